"""Damaged data at start: a database file that is there but unusable is refused in French, left as it was, and
never silently replaced by a new database (with a new facilitator code). `atelier backup` copies a database that a
running server is writing, consistently, and the copy restores.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from atelier.bench.run import run_bench
from atelier.cli import main
from atelier.launch import RunningServer, free_port
from atelier.models import Collect
from atelier.scenario import load_scenario
from atelier.service import Facilitation, Service
from atelier.store import Store
from atelier.store.files import DatabaseUnusable


@pytest.fixture(scope="module")
def good_db(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real atelier database, checkpointed into one file: the bytes to damage."""
    path = tmp_path_factory.mktemp("good") / "atelier.sqlite"
    service = Service(Store(path))
    service.ensure_demo_workshop(service.install_scenario(load_scenario()))
    service.reset_facilitator_secret()
    service.store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    service.store.close()
    return path.read_bytes()


def scribbled(data: bytes) -> bytes:
    """Three pages in the middle overwritten, as a failing disk or a half-synced copy would."""
    damaged = bytearray(data)
    for i in range(3 * 4096, 6 * 4096):
        damaged[i] = (i * 7) % 256
    return bytes(damaged)


def sqlite_file(make: Callable[[sqlite3.Connection], object]) -> Callable[[bytes], bytes]:
    def build(_: bytes) -> bytes:
        path = Path(os.environ.get("TMPDIR", "/tmp")) / f"atelier-damaged-{os.getpid()}-{time.monotonic_ns()}.db"
        with sqlite3.connect(path) as conn:
            make(conn)
        content = path.read_bytes()
        path.unlink()
        return content
    return build


DAMAGED: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "zero-bytes": (lambda _: b"", "le fichier est vide (0 octet)"),
    "text-file": (lambda _: b"Liste des acteurs\nScierie;Entreprise\n" * 10, "n’est pas une base SQLite"),
    "truncated-in-half": (lambda data: data[:len(data) // 2], "le fichier est tronqué"),
    "truncated-header": (lambda data: data[:60], "n’est pas une base SQLite"),
    "pages-scribbled": (scribbled, "elle est abîmée"),
    "newer-version": (sqlite_file(lambda c: (c.execute("CREATE TABLE meta (key TEXT)"),
                                            c.execute("PRAGMA user_version = 99"))), "version plus récente"),
    "another-programs-database": (sqlite_file(lambda c: c.execute("CREATE TABLE clients (nom TEXT)")),
                                  "ce n’est pas une base d’atelier"),
}


@pytest.mark.parametrize("case", list(DAMAGED))
def test_a_damaged_database_is_refused_in_french_and_left_as_it_was(tmp_path: Path, good_db: bytes,
                                                                     case: str) -> None:
    make, says = DAMAGED[case]
    path = tmp_path / "atelier.sqlite"
    path.write_bytes(make(good_db))
    before = path.read_bytes()
    with pytest.raises(DatabaseUnusable) as caught:
        Store(path)
    assert says in str(caught.value) and "atelier backup" in str(caught.value) and path.read_bytes() == before


def test_the_server_refuses_a_zero_byte_database_without_a_traceback(tmp_path: Path) -> None:
    """Through the real command: no new database, no new facilitator code, a French message, exit code 3."""
    path = tmp_path / "atelier.sqlite"
    path.write_bytes(b"")
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    done = subprocess.run([sys.executable, "-m", "atelier.cli", "demo", "--db", str(path), "--host", "127.0.0.1",
                           "--port", str(free_port())], capture_output=True, text=True, timeout=60, env=env)
    assert (done.returncode, "Traceback" in done.stderr, "jeton=" in done.stdout, path.stat().st_size) == (
        3, False, False, 0), done.stderr
    assert "est inutilisable : le fichier est vide" in done.stderr


def test_no_file_yet_is_a_new_database(tmp_path: Path) -> None:
    store = Store(tmp_path / "nouveau" / "atelier.sqlite")
    assert store.schema_version() >= 6


def test_backup_of_a_missing_database_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backup", "--db", str(tmp_path / "absente.sqlite"), "-o", str(tmp_path / "copie.sqlite")]) == 3
    assert "ce fichier n’existe pas" in capsys.readouterr().err and not (tmp_path / "copie.sqlite").exists()


def prepare_ideas_workshop(path: Path) -> str:
    """The demo's workshop moved to its ideas phase, so simulated phones can send ideas to the server."""
    service = Service(Store(path))
    workshop = service.ensure_demo_workshop(service.install_scenario(load_scenario()))
    facilitation = Facilitation(service)
    target = next(i for i, phase in enumerate(workshop.phases) if phase.collect == Collect.IDEAS)
    for _ in range(target - workshop.phase_index):
        workshop = facilitation.move_phase(workshop.id, 1)
    service.store.close()
    return workshop.code


def test_backup_while_the_server_writes_gives_consistent_copies_that_restore(tmp_path: Path) -> None:
    db = tmp_path / "atelier.sqlite"
    code = prepare_ideas_workshop(db)
    server = RunningServer(db_path=db, port=free_port(), log_path=tmp_path / "server.log").start()
    try:
        load = threading.Thread(target=run_bench, args=(8, 2.0), kwargs={"url": server.base_url, "code": code})
        load.start()
        copies: list[int] = []
        while load.is_alive() and len(copies) < 40:
            copy = tmp_path / f"copie-{len(copies)}.sqlite"
            assert main(["backup", "--db", str(db), "-o", str(copy)]) == 0
            with sqlite3.connect(copy) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                copies.append(conn.execute("SELECT COUNT(*) FROM ideas").fetchone()[0])
            time.sleep(0.2)
        load.join(timeout=300)
        assert main(["backup", "--db", str(db), "-o", str(tmp_path / "finale.sqlite")]) == 0
    finally:
        server.stop()
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT COUNT(*) FROM ideas").fetchone()[0]
    restored = Service(Store(tmp_path / "finale.sqlite"))
    # Copies taken during the load saw the ideas grow; the last one, restored, has every idea the server stored.
    assert (copies == sorted(copies), copies[0] < stored, len(restored.store.ideas(restored.workshops()[0].id))) == (
        True, True, stored), copies
