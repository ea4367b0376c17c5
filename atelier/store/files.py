"""The database file itself: told apart when missing (create it) or there but unusable (refuse, say how to restore);
and copied while the server runs (SQLite's online backup API), for `atelier backup`.
"""

from __future__ import annotations

import os
import sqlite3
import struct
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_BYTES = 100


class DatabaseUnusable(RuntimeError):
    """A database file that is there but cannot be used; the message says, in French, what and how to restore."""

    def __init__(self, path: Path, what: str) -> None:
        self.path, self.what = path, what
        super().__init__(
            f"La base de données {path} est inutilisable : {what}. atelier ne l’a pas modifiée.\n"
            "Pour repartir :\n"
            "  • mettez ce fichier de côté et remplacez-le par votre dernière copie faite avec "
            f"« atelier backup » (voir « Sauvegarder et restaurer » dans le README) ;\n"
            "  • ou bien démarrez sur une nouvelle base (--db autre-fichier.sqlite) et restaurez-y un territoire "
            "sauvegardé avec « atelier import FICHIER.json --db autre-fichier.sqlite »."
        )


def _header_problem(path: Path) -> str | None:
    """What the first 100 bytes say is wrong, without opening SQLite (which would treat 0 bytes as a new base)."""
    size = path.stat().st_size
    if size == 0:
        return "le fichier est vide (0 octet) : ce n’est plus une base, et une nouvelle ne sera pas créée à sa place"
    with path.open("rb") as file:
        header = file.read(HEADER_BYTES)
    if len(header) < HEADER_BYTES or not header.startswith(SQLITE_MAGIC):
        return "ce fichier n’est pas une base SQLite (son contenu est d’une autre nature)"
    page_size, = struct.unpack(">H", header[16:18])
    page_size = 65_536 if page_size == 1 else page_size
    change_counter, pages = struct.unpack(">II", header[24:32])
    valid_for, = struct.unpack(">I", header[92:96])  # the page count is trusted only when this matches
    if page_size < 512 or page_size & (page_size - 1):
        return "son en-tête est abîmé (taille de page impossible)"
    wal = path.with_name(path.name + "-wal")
    # With a journal beside it, SQLite itself completes the file from the journal (a checkpoint cut short writes
    # page 1 first): then quick_check judges, not this count.
    settled = not (wal.exists() and wal.stat().st_size > 0)
    if settled and change_counter == valid_for and pages and size < pages * page_size:
        return (f"le fichier est tronqué ({size} octets au lieu de {pages * page_size} : copie interrompue, "
                "disque plein ?)")
    return None


def check_database_file(path: Path) -> bool:
    """True when there is a file to open, False when there is none yet (create it); DatabaseUnusable otherwise."""
    if not path.exists():
        return False
    if not path.is_file():
        raise DatabaseUnusable(path, "ce chemin n’est pas un fichier")
    problem = _header_problem(path)
    if problem:
        raise DatabaseUnusable(path, problem)
    return True


def check_database_content(path: Path, conn: sqlite3.Connection) -> None:
    """SQLite's own quick check of every page; run once at start, before anything is read or written."""
    try:
        found = [row[0] for row in conn.execute("PRAGMA quick_check(5)").fetchall()]
    except sqlite3.DatabaseError as e:
        raise DatabaseUnusable(path, f"SQLite ne peut pas la lire ({e})") from e
    if found != ["ok"]:
        said = " ".join("; ".join(found).split())[:300]
        raise DatabaseUnusable(path, f"elle est abîmée (vérification SQLite : {said})")


def check_database_owner(path: Path, conn: sqlite3.Connection, known_version: int) -> None:
    """Refuses another program's database, and one that a newer atelier has moved past this one's schema."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > known_version:
        raise DatabaseUnusable(path, f"elle vient d’une version plus récente d’atelier (schéma {version}, celle-ci "
                                     f"connaît jusqu’au schéma {known_version}) : mettez atelier à jour, ou suivez "
                                     "l’une des voies ci-dessous")
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    if (version == 0 and tables) or (version > 0 and "meta" not in tables):
        raise DatabaseUnusable(path, "ce n’est pas une base d’atelier (elle contient d’autres tables : "
                                     f"{', '.join(tables[:5]) or 'aucune'})")


@dataclass(frozen=True)
class CopyReport:
    target: Path
    size: int  # bytes
    territories: int
    ideas: int


def online_copy(source: Path, target: Path) -> CopyReport:
    """A consistent copy of a database that a running server may be writing, checked before it takes its name.

    SQLite's backup API copies every page in one step under one read transaction: in WAL mode the server's
    writes go on meanwhile, and the copy is the database as it was at one instant. The copy is written beside
    its target and renamed only once checked, so an interrupted copy never passes for a good one.
    """
    if not source.is_file():
        raise DatabaseUnusable(source, "ce fichier n’existe pas")
    check_database_file(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partiel")
    partial.unlink(missing_ok=True)
    # mode=rw: never creates the source, and this command writes nothing to it.
    with closing(sqlite3.connect(f"file:{source}?mode=rw", uri=True, timeout=10)) as live, \
            closing(sqlite3.connect(partial)) as copy:
        live.execute("PRAGMA busy_timeout=10000")
        try:
            live.backup(copy)
        except sqlite3.DatabaseError as e:
            raise DatabaseUnusable(source, f"SQLite ne peut pas la lire ({e})") from e
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        check_database_content(partial, copy)
        try:
            territories = copy.execute("SELECT COUNT(*) FROM territories").fetchone()[0]
            ideas = copy.execute("SELECT COUNT(*) FROM ideas").fetchone()[0]
        except sqlite3.OperationalError as e:
            raise DatabaseUnusable(source, "ce n’est pas une base d’atelier") from e
    os.replace(partial, target)
    return CopyReport(target, target.stat().st_size, territories, ideas)
