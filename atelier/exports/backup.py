"""A whole territory as one JSON file, to restore on another machine (`atelier export` / `atelier import`).

The file's ids are renumbered 1, 2, 3… per table in a fixed order, and it carries no export time, so that
export → import → export gives the same bytes. Pure: rows in, bytes out, and back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from atelier.exports.backup_check import BackupError, check_rows
from atelier.store import BACKUP_TABLES, TABLES_WITH_ID

__all__ = ["FORMAT", "MAX_BACKUP_BYTES", "VERSION", "BackupError", "as_copy", "backup_bytes", "read_backup"]

FORMAT = "atelier-territoire"
VERSION = 1
# A file of an older version is brought up to VERSION by these, one step at a time: {from_version: step}.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}
# A territory's backup weighs a few megabytes; a file far past that is not one, and would only fill memory.
MAX_BACKUP_BYTES = 100_000_000


def _canonical(tables: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Ids renumbered from 1 in each table, references rewritten to match."""
    renumber = {t: {row["id"]: n for n, row in enumerate(tables.get(t, []), start=1)} for t in TABLES_WITH_ID}
    out: dict[str, list[dict[str, Any]]] = {}
    for table, _, foreign in BACKUP_TABLES:
        rows = []
        for row in tables.get(table, []):
            row = dict(row)
            if table in TABLES_WITH_ID:
                row["id"] = renumber[table][row["id"]]
            for column, target in foreign.items():
                if row.get(column) is not None:
                    row[column] = renumber[target].get(row[column])
            rows.append(row)
        out[table] = rows
    return out


def backup_bytes(tables: dict[str, list[dict[str, Any]]]) -> bytes:
    document = {"format": FORMAT, "version": VERSION, "tables": _canonical(tables)}
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n"


def read_backup(content: bytes, schema: Mapping[str, Mapping[str, bool]]) -> dict[str, list[dict[str, Any]]]:
    """The tables of a backup file, upgraded to the current version and checked row by row (backup_check).

    `schema` is the store's own ({table: {column: whether a row must give it}}): nothing of the file's own
    naming reaches SQL. Any problem raises a BackupError saying in French what is wrong, and where.
    """
    if len(content) > MAX_BACKUP_BYTES:
        raise BackupError(f"Le fichier pèse {len(content) // 1_000_000} Mo : bien plus qu’une sauvegarde de "
                          f"territoire ({MAX_BACKUP_BYTES // 1_000_000} Mo au plus).")
    try:
        document = json.loads(content.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise BackupError("Le fichier n’est pas du texte UTF-8 : ce n’est pas une sauvegarde d’atelier.") from e
    except json.JSONDecodeError as e:
        raise BackupError(f"Le fichier est tronqué ou abîmé (JSON invalide, ligne {e.lineno}).") from e
    except ValueError as e:  # an integer of thousands of digits
        raise BackupError("Le fichier contient un nombre démesuré : ce n’est pas une sauvegarde d’atelier.") from e
    except RecursionError as e:
        raise BackupError("Le fichier est imbriqué trop profondément : ce n’est pas une sauvegarde d’atelier.") from e
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError("Ce fichier n’est pas une sauvegarde de territoire d’atelier.")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BackupError("La version de la sauvegarde est illisible.")
    if version > VERSION:
        shown = version if version < 10**6 else "inconnu"
        raise BackupError(f"Cette sauvegarde vient d’une version plus récente d’atelier (format {shown}, "
                          f"celle-ci lit jusqu’au format {VERSION}) : mettez atelier à jour.")
    while version < VERSION:
        if version not in UPGRADES:
            raise BackupError(f"Le format {version} ne peut plus être relu par cette version d’atelier.")
        document = UPGRADES[version](document)
        version += 1
    tables = document.get("tables")
    if not isinstance(tables, dict) or not tables.get("territories"):
        raise BackupError("La sauvegarde ne contient pas de territoire.")
    unknown = sorted(str(t)[:60] for t in set(tables) - set(schema))
    if unknown:
        raise BackupError(f"Tables inconnues dans la sauvegarde : {', '.join(unknown[:5])}.")
    check_rows(tables, schema, {table: keys for table, _, keys in BACKUP_TABLES}, TABLES_WITH_ID)
    return tables


def as_copy(tables: dict[str, list[dict[str, Any]]], taken_keys: set[str]) -> dict[str, list[dict[str, Any]]]:
    """The same territory under a new key and name, so it sits beside the existing one, never merged into it."""
    territory = dict(tables["territories"][0])
    key, n = f"{territory['key']}-copie", 2
    while key in taken_keys:
        key, n = f"{territory['key']}-copie-{n}", n + 1
    territory.update(key=key, name=f"{territory['name']} (copie)")
    return {**tables, "territories": [territory]}
