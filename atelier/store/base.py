"""The connection, transactions and migrations shared by every part of the store."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from atelier.store.files import (
    DatabaseUnusable,
    check_database_content,
    check_database_file,
    check_database_owner,
)
from atelier.store.migrations import MIGRATIONS

# Who a participant is, as an idea shows it: nobody in an anonymous workshop or for someone who joined one (the
# organisation too is never projected then), the organisation alone once a name was erased. Decided here, where
# every idea is read, so no page or event can show more. Query with IDEA_FROM.
_HIDDEN_AUTHOR = "(p.id IS NULL OR p.anonymous = 1 OR COALESCE(json_extract(w.settings, '$.anonymous'), 0) = 1)"
IDEA_COLUMNS = (
    "i.id, i.workshop_id, i.participant_id, i.client_id, i.title, i.details, i.category, i.hidden, i.withdrawn, "
    "i.merged_into, i.is_group, i.action_id, i.origin, i.created_at, i.updated_at, i.pending, "
    f"CASE WHEN {_HIDDEN_AUTHOR} THEN '' WHEN p.name = '' THEN p.organisation "
    "ELSE p.name || ' (' || p.organisation || ')' END AS author, "
    f"CASE WHEN {_HIDDEN_AUTHOR} THEN '' ELSE p.organisation END AS organisation, "
    # A group counts every phone that supported it or one of its ideas, once.
    "CASE WHEN i.is_group = 1 THEN (SELECT COUNT(DISTINCT s.participant_id) FROM supports s WHERE s.idea_id = i.id "
    "OR s.idea_id IN (SELECT m.id FROM ideas m WHERE m.merged_into = i.id)) "
    "ELSE (SELECT COUNT(*) FROM supports s WHERE s.idea_id = i.id) END AS support"
)
IDEA_FROM = ("ideas i JOIN workshops w ON w.id = i.workshop_id "
             "LEFT JOIN participants p ON p.id = i.participant_id")


class StoreBase:
    """SQLite in WAL mode; one connection shared by the event loop and worker threads, one writer at a time."""

    def __init__(self, path: Path | str) -> None:
        """Opens the database, or creates it when there is no file yet; DatabaseUnusable (French) when a file is
        there but cannot be used: never a silent new database in place of the one that was expected."""
        self.path = Path(path)
        existed = check_database_file(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        try:
            if existed:  # before the first PRAGMA that writes: a file that is not ours is left as it was
                check_database_content(self.path, conn)
                check_database_owner(self.path, conn, len(MIGRATIONS))
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=5000")
            self.db = sqlite_utils.Database(conn)
            self._lock = threading.RLock()
            # Parsed workshops, read on every submit from every phone (atelier bench: the workshop's read and parse
            # were 6 % of a 2,000-phone burst). Emptied by every write through `transaction` unless the write says
            # it leaves workshops alone, and when another connection committed (PRAGMA data_version): phases and
            # locks are checked when an action runs, so a stale workshop must never be served.
            self._workshop_cache: dict[int, Any] = {}
            self._cache_data_version: int | None = None
            self.closed = False
            self._migrate()
        except sqlite3.DatabaseError as e:
            conn.close()
            raise DatabaseUnusable(self.path, f"SQLite ne peut pas l’ouvrir ({e})") from e
        except DatabaseUnusable:
            conn.close()
            raise

    # --- plumbing -----------------------------------------------------------------------------------

    @contextmanager
    def transaction(self, *, workshops_untouched: bool = False) -> Iterator[sqlite3.Connection]:
        """One atomic write: all of it lands, or none of it. `workshops_untouched`: this write changes no workshop
        row (ideas, drafts), so the cached workshops stay; any other write empties the cache, which keeps a new
        write path safe by default."""
        with self._lock:
            conn = self.db.conn
            if not workshops_untouched:  # before too: a read inside this write must not get the old workshop
                self._workshop_cache.clear()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            finally:
                if not workshops_untouched:
                    self._workshop_cache.clear()
            conn.execute("COMMIT")

    def _rows(self, sql: str, params: tuple | dict = ()) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(r) for r in self.db.query(sql, params)]

    def _row(self, sql: str, params: tuple | dict = ()) -> dict[str, Any] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def schema_version(self) -> int:
        return self.db.conn.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        with self.transaction() as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > len(MIGRATIONS):
                raise DatabaseUnusable(self.path, f"elle vient d’une version plus récente d’atelier (schéma {version}, "
                                                  f"celle-ci connaît jusqu’au schéma {len(MIGRATIONS)}) : mettez "
                                                  "atelier à jour, ou suivez l’une des voies ci-dessous")
            for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
                migration(conn)
                conn.execute(f"PRAGMA user_version = {number}")

    def close(self) -> None:
        """Waits for the query under way: closing SQLite's connection under a worker thread's query crashes the
        process (a stop while the start's lead read-ahead was reading the interviews)."""
        with self._lock:
            self.db.conn.close()
            self.closed = True

    # --- meta ---------------------------------------------------------------------------------------

    def set_meta_if_absent(self, key: str, value: str) -> str:
        """Stores `value` unless the key already has one; returns the value in force."""
        with self.transaction() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING", (key, value))
            return conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0]
