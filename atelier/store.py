"""The only module that talks to SQLite (through sqlite-utils). Every write is one transaction."""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from atelier.models import (
    Action,
    Actor,
    Category,
    Draft,
    Facilitator,
    Idea,
    Interview,
    Participant,
    PhaseTemplate,
    SwotItem,
    TerritoryInfo,
    Workshop,
    WorkshopSettings,
    WorkshopTemplate,
)


def _run_statements(conn: sqlite3.Connection, script: str) -> None:
    """Like executescript, but inside the caller's transaction (executescript commits first)."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _migration_1(conn: sqlite3.Connection) -> None:
    _run_statements(
        conn,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE territories (
            id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE categories (
            territory_id INTEGER NOT NULL REFERENCES territories(id), key TEXT NOT NULL, label TEXT NOT NULL,
            colour TEXT NOT NULL, words TEXT NOT NULL DEFAULT '[]', position INTEGER NOT NULL,
            PRIMARY KEY (territory_id, key)
        );
        CREATE TABLE actors (
            id INTEGER PRIMARY KEY, territory_id INTEGER NOT NULL REFERENCES territories(id), key TEXT NOT NULL,
            name TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL, public_consent INTEGER NOT NULL DEFAULT 0,
            archived INTEGER NOT NULL DEFAULT 0, data TEXT NOT NULL, updated_at REAL NOT NULL,
            UNIQUE (territory_id, key)
        );
        CREATE TABLE templates (key TEXT PRIMARY KEY, title TEXT NOT NULL, data TEXT NOT NULL);
        CREATE TABLE workshops (
            id INTEGER PRIMARY KEY, territory_id INTEGER NOT NULL REFERENCES territories(id),
            code TEXT NOT NULL UNIQUE, title TEXT NOT NULL, template_key TEXT NOT NULL, phases TEXT NOT NULL,
            phase_index INTEGER NOT NULL DEFAULT 0, locked INTEGER NOT NULL DEFAULT 0,
            timer_ends_at REAL, timer_remaining REAL, closed INTEGER NOT NULL DEFAULT 0, created_at REAL NOT NULL
        );
        CREATE TABLE participants (
            id INTEGER PRIMARY KEY, workshop_id INTEGER NOT NULL REFERENCES workshops(id), browser_id TEXT NOT NULL,
            name TEXT NOT NULL, organisation TEXT NOT NULL, actor_id INTEGER REFERENCES actors(id),
            joined_at REAL NOT NULL, UNIQUE (workshop_id, browser_id)
        );
        CREATE TABLE ideas (
            id INTEGER PRIMARY KEY, workshop_id INTEGER NOT NULL REFERENCES workshops(id),
            participant_id INTEGER REFERENCES participants(id), client_id TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL, details TEXT NOT NULL DEFAULT '', category TEXT NOT NULL,
            hidden INTEGER NOT NULL DEFAULT 0, withdrawn INTEGER NOT NULL DEFAULT 0,
            merged_into INTEGER REFERENCES ideas(id), is_group INTEGER NOT NULL DEFAULT 0,
            action_id INTEGER, created_at REAL NOT NULL, updated_at REAL NOT NULL
        );
        CREATE INDEX ideas_workshop ON ideas (workshop_id, id);
        CREATE TABLE actions (
            id INTEGER PRIMARY KEY, territory_id INTEGER NOT NULL REFERENCES territories(id),
            workshop_id INTEGER REFERENCES workshops(id), title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
            category TEXT NOT NULL, origin TEXT NOT NULL, source_idea_id INTEGER REFERENCES ideas(id),
            created_at REAL NOT NULL
        );
        CREATE TABLE drafts (
            participant_id INTEGER PRIMARY KEY REFERENCES participants(id), title TEXT NOT NULL DEFAULT '',
            details TEXT NOT NULL DEFAULT '', category TEXT NOT NULL DEFAULT '', updated_at REAL NOT NULL
        );
        CREATE TABLE facilitator_sessions (browser_id TEXT PRIMARY KEY, secret_version INTEGER NOT NULL,
            created_at REAL NOT NULL);
        """
    )


def _migration_2(conn: sqlite3.Connection) -> None:
    """The diagnostic: interviews with their history, decisions on leads, the SWOT; where an idea comes from."""
    _run_statements(
        conn,
        """
        CREATE TABLE interviews (
            actor_id INTEGER PRIMARY KEY REFERENCES actors(id), data TEXT NOT NULL, version INTEGER NOT NULL,
            updated_at REAL NOT NULL
        );
        CREATE TABLE interview_history (
            id INTEGER PRIMARY KEY, actor_id INTEGER NOT NULL REFERENCES actors(id), data TEXT NOT NULL,
            version INTEGER NOT NULL, saved_at REAL NOT NULL, author TEXT NOT NULL DEFAULT '',
            conflict INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX interview_history_actor ON interview_history (actor_id, id);
        CREATE TABLE lead_decisions (
            territory_id INTEGER NOT NULL REFERENCES territories(id), key TEXT NOT NULL, status TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '', idea_id INTEGER REFERENCES ideas(id), snapshot TEXT NOT NULL,
            decided_at REAL NOT NULL, PRIMARY KEY (territory_id, key)
        );
        CREATE TABLE swot_items (
            id INTEGER PRIMARY KEY, territory_id INTEGER NOT NULL REFERENCES territories(id),
            workshop_id INTEGER REFERENCES workshops(id), participant_id INTEGER REFERENCES participants(id),
            client_id TEXT NOT NULL UNIQUE, quadrant TEXT NOT NULL, text TEXT NOT NULL,
            hidden INTEGER NOT NULL DEFAULT 0, merged_into INTEGER REFERENCES swot_items(id),
            created_at REAL NOT NULL, updated_at REAL NOT NULL
        );
        CREATE INDEX swot_items_territory ON swot_items (territory_id, id);
        ALTER TABLE ideas ADD COLUMN origin TEXT NOT NULL DEFAULT 'participant'
        """,
    )
    # Interviews loaded with the actors so far move to their own table.
    for actor_id, data in conn.execute("SELECT id, data FROM actors").fetchall():
        actor = json.loads(data)
        interview = actor.pop("entretien", None)
        if interview is not None:
            conn.execute("INSERT INTO interviews (actor_id, data, version, updated_at) VALUES (?, ?, 1, ?)",
                         (actor_id, json.dumps(interview, ensure_ascii=False), time.time()))
        conn.execute("UPDATE actors SET data = ? WHERE id = ?", (json.dumps(actor, ensure_ascii=False), actor_id))


def _migration_3(conn: sqlite3.Connection) -> None:
    """Workshop 2: candidate actions prepared for the vote, ratings, dot votes, selection decisions."""
    _run_statements(
        conn,
        """
        ALTER TABLE actions ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE actions ADD COLUMN horizon TEXT NOT NULL DEFAULT '';
        ALTER TABLE actions ADD COLUMN actor_keys TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE actions ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE actions ADD COLUMN selection TEXT NOT NULL DEFAULT '';
        ALTER TABLE actions ADD COLUMN selection_reason TEXT NOT NULL DEFAULT '';
        ALTER TABLE actions ADD COLUMN pilot TEXT NOT NULL DEFAULT '';
        ALTER TABLE actions ADD COLUMN working_group INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE workshops ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
        CREATE TABLE ratings (
            workshop_id INTEGER NOT NULL REFERENCES workshops(id), action_id INTEGER NOT NULL REFERENCES actions(id),
            participant_id INTEGER NOT NULL REFERENCES participants(id), impact INTEGER, ease INTEGER,
            horizon TEXT NOT NULL DEFAULT '', engagement TEXT NOT NULL DEFAULT 'aucun', updated_at REAL NOT NULL,
            PRIMARY KEY (workshop_id, action_id, participant_id)
        );
        CREATE TABLE dot_votes (
            workshop_id INTEGER NOT NULL REFERENCES workshops(id), action_id INTEGER NOT NULL REFERENCES actions(id),
            participant_id INTEGER NOT NULL REFERENCES participants(id), points INTEGER NOT NULL,
            PRIMARY KEY (workshop_id, action_id, participant_id)
        );
        CREATE TABLE selection_log (
            id INTEGER PRIMARY KEY, workshop_id INTEGER NOT NULL REFERENCES workshops(id),
            action_id INTEGER NOT NULL REFERENCES actions(id), decision TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',
            automatic INTEGER NOT NULL DEFAULT 0, at REAL NOT NULL
        )
        """,
    )


def _migration_4(conn: sqlite3.Connection) -> None:
    """The action plan: each action's next step, its owner and due date, and a status."""
    _run_statements(
        conn,
        """
        ALTER TABLE actions ADD COLUMN next_step TEXT NOT NULL DEFAULT '';
        ALTER TABLE actions ADD COLUMN next_step_owner TEXT NOT NULL DEFAULT '';
        ALTER TABLE actions ADD COLUMN next_step_due TEXT NOT NULL DEFAULT '';
        ALTER TABLE actions ADD COLUMN status TEXT NOT NULL DEFAULT 'a-lancer'
        """,
    )


def _migration_5(conn: sqlite3.Connection) -> None:
    """Several facilitators with their own codes and roles; working groups, meetings; extension by cohorts."""
    _run_statements(
        conn,
        """
        CREATE TABLE facilitators (
            id INTEGER PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, secret TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1, revoked INTEGER NOT NULL DEFAULT 0, created_at REAL NOT NULL
        );
        ALTER TABLE facilitator_sessions ADD COLUMN facilitator_id INTEGER REFERENCES facilitators(id);
        ALTER TABLE actions ADD COLUMN progress INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE action_status_log (
            id INTEGER PRIMARY KEY, action_id INTEGER NOT NULL REFERENCES actions(id), status TEXT NOT NULL,
            progress INTEGER NOT NULL, note TEXT NOT NULL DEFAULT '', author TEXT NOT NULL DEFAULT '', at REAL NOT NULL
        );
        CREATE TABLE working_groups (
            id INTEGER PRIMARY KEY, action_id INTEGER NOT NULL UNIQUE REFERENCES actions(id),
            objective TEXT NOT NULL DEFAULT '', pilot_token TEXT NOT NULL UNIQUE, created_at REAL NOT NULL
        );
        CREATE TABLE group_members (
            group_id INTEGER NOT NULL REFERENCES working_groups(id), member TEXT NOT NULL, role TEXT NOT NULL,
            joined_at REAL NOT NULL, PRIMARY KEY (group_id, member)
        );
        CREATE TABLE meetings (
            id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL REFERENCES working_groups(id), starts_at TEXT NOT NULL,
            minutes INTEGER NOT NULL DEFAULT 90, place TEXT NOT NULL DEFAULT '', attendance TEXT NOT NULL DEFAULT '[]',
            notes TEXT NOT NULL DEFAULT '', decisions TEXT NOT NULL DEFAULT '', held INTEGER NOT NULL DEFAULT 0,
            workshop_id INTEGER REFERENCES workshops(id), created_at REAL NOT NULL
        );
        CREATE TABLE meeting_steps (
            id INTEGER PRIMARY KEY, meeting_id INTEGER NOT NULL REFERENCES meetings(id), text TEXT NOT NULL,
            owner TEXT NOT NULL, due TEXT NOT NULL DEFAULT '', done INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE join_requests (
            id INTEGER PRIMARY KEY, territory_id INTEGER NOT NULL REFERENCES territories(id),
            organisation TEXT NOT NULL, kind TEXT NOT NULL, commune TEXT NOT NULL DEFAULT '',
            contact_name TEXT NOT NULL, email TEXT NOT NULL, message TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'en-attente', cohort_id INTEGER REFERENCES cohorts(id),
            actor_id INTEGER REFERENCES actors(id), created_at REAL NOT NULL
        );
        CREATE TABLE cohorts (
            id INTEGER PRIMARY KEY, territory_id INTEGER NOT NULL REFERENCES territories(id),
            workshop_id INTEGER REFERENCES workshops(id), created_at REAL NOT NULL
        );
        CREATE TABLE group_join_requests (
            id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL REFERENCES working_groups(id),
            organisation TEXT NOT NULL, participant_id INTEGER REFERENCES participants(id),
            status TEXT NOT NULL DEFAULT 'en-attente', created_at REAL NOT NULL, decided_at REAL,
            UNIQUE (group_id, organisation)
        );
        ALTER TABLE territories ADD COLUMN cohort_threshold INTEGER NOT NULL DEFAULT 3
        """,
    )
    # The single facilitator of earlier versions becomes the lead facilitator, keeping their code and sessions.
    secret = conn.execute("SELECT value FROM meta WHERE key = 'facilitator_secret'").fetchone()
    if secret:
        version = conn.execute("SELECT value FROM meta WHERE key = 'facilitator_secret_version'").fetchone()
        conn.execute("INSERT INTO facilitators (id, name, role, secret, version, created_at) "
                     "VALUES (1, 'Animation principale', 'principal', ?, ?, ?)",
                     (secret[0], int(version[0]) if version else 1, time.time()))
        conn.execute("UPDATE facilitator_sessions SET facilitator_id = 1")
        conn.execute("DELETE FROM meta WHERE key IN ('facilitator_secret', 'facilitator_secret_version')")


def _migration_6(conn: sqlite3.Connection) -> None:
    """A phone's own ratings are read at every save: an index instead of a scan of the workshop's thousands."""
    conn.execute("CREATE INDEX ratings_participant ON ratings (workshop_id, participant_id)")


# Append only: a database at version N runs migrations N+1.. at open. Never edit a released one.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migration_1, _migration_2, _migration_3, _migration_4,
                                                           _migration_5, _migration_6]

_IDEA_COLUMNS = (
    "i.id, i.workshop_id, i.participant_id, i.client_id, i.title, i.details, i.category, i.hidden, i.withdrawn, "
    "i.merged_into, i.is_group, i.action_id, i.origin, i.created_at, i.updated_at, "
    "COALESCE(p.name || ' (' || p.organisation || ')', '') AS author, COALESCE(p.organisation, '') AS organisation"
)


class Store:
    """SQLite in WAL mode; one connection shared by the event loop and worker threads, one writer at a time."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=5000")
        self.db = sqlite_utils.Database(conn)
        self._lock = threading.RLock()
        self._migrate()

    # --- plumbing -----------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: all of it lands, or none of it."""
        with self._lock:
            conn = self.db.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
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
                raise RuntimeError(
                    f"La base {self.path} vient d’une version plus récente d’atelier (schéma {version})."
                )
            for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
                migration(conn)
                conn.execute(f"PRAGMA user_version = {number}")

    def close(self) -> None:
        self.db.conn.close()

    # --- meta ---------------------------------------------------------------------------------------

    def set_meta_if_absent(self, key: str, value: str) -> str:
        """Stores `value` unless the key already has one; returns the value in force."""
        with self.transaction() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING", (key, value))
            return conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0]

    # --- territory, categories, actors, templates (loaded from scenario files) ------------------------

    def insert_territory_if_absent(self, info: TerritoryInfo) -> int:
        with self.transaction() as conn:
            conn.execute("INSERT INTO territories (key, name, description) VALUES (?, ?, ?) "
                         "ON CONFLICT(key) DO NOTHING", (info.key, info.name, info.description))
            return conn.execute("SELECT id FROM territories WHERE key = ?", (info.key,)).fetchone()[0]

    def territories(self) -> list[dict[str, Any]]:
        return self._rows("SELECT id, key, name, description FROM territories ORDER BY name")

    def territory(self, territory_id: int) -> dict[str, Any] | None:
        return self._row("SELECT id, key, name, description FROM territories WHERE id = ?", (territory_id,))

    def upsert_categories(self, territory_id: int, categories: list[Category]) -> None:
        with self.transaction() as conn:
            for position, c in enumerate(categories):
                conn.execute(
                    "INSERT INTO categories (territory_id, key, label, colour, words, position) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(territory_id, key) DO UPDATE SET label = excluded.label, "
                    "colour = excluded.colour, words = excluded.words, position = excluded.position",
                    (territory_id, c.key, c.label, c.colour, json.dumps(c.words, ensure_ascii=False), position),
                )

    def categories(self, territory_id: int) -> list[Category]:
        rows = self._rows(
            "SELECT key, label, colour, words FROM categories WHERE territory_id = ? ORDER BY position",
            (territory_id,),
        )
        return [Category(cle=r["key"], libelle=r["label"], couleur=r["colour"], mots=json.loads(r["words"]))
                for r in rows]

    @staticmethod
    def _insert_actor(conn: sqlite3.Connection, territory_id: int, actor: Actor) -> int | None:
        """Inserts the actor (its interview apart) unless its key exists; the new id, or None."""
        interview = actor.interview
        data = actor.model_dump_json(by_alias=True, exclude={"interview"})
        now = time.time()
        cursor = conn.execute(
            "INSERT INTO actors (territory_id, key, name, kind, status, public_consent, data, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(territory_id, key) DO NOTHING",
            (territory_id, actor.key, actor.name, actor.kind.value, actor.status.value, int(actor.public_consent),
             data, now),
        )
        if cursor.rowcount != 1:
            return None
        actor_id = int(cursor.lastrowid or 0)
        if interview is not None:
            conn.execute("INSERT INTO interviews (actor_id, data, version, updated_at) VALUES (?, ?, 1, ?)",
                         (actor_id, interview.model_dump_json(by_alias=True), now))
        return actor_id

    def insert_actors_if_absent(self, territory_id: int, actors: list[Actor]) -> list[int]:
        """All in one transaction: an import lands whole or not at all. Returns the ids of the new actors."""
        with self.transaction() as conn:
            ids = [self._insert_actor(conn, territory_id, actor) for actor in actors]
        return [i for i in ids if i is not None]

    def actor_keys(self, territory_id: int) -> set[str]:
        return {r["key"] for r in self._rows("SELECT key FROM actors WHERE territory_id = ?", (territory_id,))}

    def update_actor(self, actor_id: int, actor: Actor) -> None:
        data = actor.model_dump_json(by_alias=True, exclude={"interview"})
        with self.transaction() as conn:
            conn.execute(
                "UPDATE actors SET name = ?, kind = ?, status = ?, public_consent = ?, data = ?, updated_at = ? "
                "WHERE id = ?",
                (actor.name, actor.kind.value, actor.status.value, int(actor.public_consent), data, time.time(),
                 actor_id))

    def set_actor_archived(self, actor_id: int, archived: bool) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE actors SET archived = ?, updated_at = ? WHERE id = ?",
                         (int(archived), time.time(), actor_id))

    def actor(self, actor_id: int) -> tuple[int, Actor, bool] | None:
        """(territory id, actor, archived)."""
        row = self._row("SELECT territory_id, data, archived FROM actors WHERE id = ?", (actor_id,))
        if row is None:
            return None
        return row["territory_id"], Actor.model_validate_json(row["data"]), bool(row["archived"])

    def actors(self, territory_id: int, archived: bool = False) -> list[tuple[int, Actor]]:
        rows = self._rows("SELECT id, data FROM actors WHERE territory_id = ? AND archived = ? ORDER BY name",
                          (territory_id, int(archived)))
        return [(r["id"], Actor.model_validate_json(r["data"])) for r in rows]

    # --- interviews ------------------------------------------------------------------------------------

    def interview(self, actor_id: int) -> tuple[Interview | None, int]:
        """The interview and its version (0 when there is none yet)."""
        row = self._row("SELECT data, version FROM interviews WHERE actor_id = ?", (actor_id,))
        if row is None:
            return None, 0
        return Interview.model_validate_json(row["data"]), row["version"]

    def interviews(self, territory_id: int) -> list[tuple[str, Interview]]:
        """(actor key, interview) of the territory's actors that are not archived."""
        rows = self._rows("SELECT a.key, i.data FROM interviews i JOIN actors a ON a.id = i.actor_id "
                          "WHERE a.territory_id = ? AND a.archived = 0 ORDER BY a.key", (territory_id,))
        return [(r["key"], Interview.model_validate_json(r["data"])) for r in rows]

    def save_interview(self, actor_id: int, interview: Interview, base_version: int, author: str,
                       history_merge_seconds: float) -> int | None:
        """Saves over `base_version`; the new version, or None when another tab saved meanwhile.

        The refused text is kept in the history, marked as a conflict, so nothing typed is ever lost.
        Saves of one author within `history_merge_seconds` share one history entry (typing, not events).
        """
        data = interview.model_dump_json(by_alias=True)
        now = time.time()
        with self.transaction() as conn:
            row = conn.execute("SELECT version FROM interviews WHERE actor_id = ?", (actor_id,)).fetchone()
            current = row[0] if row else 0
            if current != base_version:
                conn.execute("INSERT INTO interview_history (actor_id, data, version, saved_at, author, conflict) "
                             "VALUES (?, ?, ?, ?, ?, 1)", (actor_id, data, base_version, now, author))
                return None
            version = current + 1
            conn.execute("INSERT INTO interviews (actor_id, data, version, updated_at) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT(actor_id) DO UPDATE SET data = excluded.data, version = excluded.version, "
                         "updated_at = excluded.updated_at", (actor_id, data, version, now))
            last = conn.execute("SELECT id, author, saved_at, conflict FROM interview_history WHERE actor_id = ? "
                                "ORDER BY id DESC LIMIT 1", (actor_id,)).fetchone()
            if last and last[1] == author and not last[3] and now - last[2] < history_merge_seconds:
                conn.execute("UPDATE interview_history SET data = ?, version = ?, saved_at = ? WHERE id = ?",
                             (data, version, now, last[0]))
            else:
                conn.execute("INSERT INTO interview_history (actor_id, data, version, saved_at, author) "
                             "VALUES (?, ?, ?, ?, ?)", (actor_id, data, version, now, author))
            return version

    def interview_history(self, actor_id: int) -> list[dict[str, Any]]:
        rows = self._rows("SELECT data, version, saved_at, author, conflict FROM interview_history "
                          "WHERE actor_id = ? ORDER BY id DESC", (actor_id,))
        return [{**r, "interview": Interview.model_validate_json(r.pop("data"))} for r in rows]

    # --- leads ---------------------------------------------------------------------------------------------

    def lead_decisions(self, territory_id: int) -> dict[str, dict[str, Any]]:
        rows = self._rows("SELECT key, status, reason, idea_id, snapshot, decided_at FROM lead_decisions "
                          "WHERE territory_id = ?", (territory_id,))
        return {r["key"]: r for r in rows}

    def decide_lead(self, territory_id: int, key: str, status: str, reason: str, snapshot: str,
                    idea_id: int | None = None) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO lead_decisions (territory_id, key, status, reason, idea_id, snapshot, decided_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(territory_id, key) DO UPDATE SET status = excluded.status, "
                "reason = excluded.reason, idea_id = excluded.idea_id, snapshot = excluded.snapshot, "
                "decided_at = excluded.decided_at", (territory_id, key, status, reason, idea_id, snapshot, time.time()))

    # --- SWOT ---------------------------------------------------------------------------------------------

    def insert_swot_item(self, territory_id: int, workshop_id: int | None, participant_id: int | None,
                         client_id: str, quadrant: str, text: str) -> tuple[SwotItem, bool]:
        now = time.time()
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO swot_items (territory_id, workshop_id, participant_id, client_id, quadrant, text, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(client_id) DO NOTHING",
                (territory_id, workshop_id, participant_id, client_id, quadrant, text, now, now))
            created = cursor.rowcount == 1
        item = self.swot_item_by_client_id(client_id)
        assert item is not None
        return item, created

    def _swot_items(self, where: str, params: tuple) -> list[SwotItem]:
        rows = self._rows(
            "SELECT s.id, s.territory_id, s.workshop_id, s.participant_id, s.client_id, s.quadrant, s.text, "
            "s.hidden, s.merged_into, s.created_at, COALESCE(p.organisation, '') AS organisation "
            f"FROM swot_items s LEFT JOIN participants p ON p.id = s.participant_id WHERE {where} ORDER BY s.id",
            params)
        return [SwotItem(**r) for r in rows]

    def swot_items(self, territory_id: int) -> list[SwotItem]:
        return self._swot_items("s.territory_id = ?", (territory_id,))

    def swot_items_of_participant(self, participant_id: int) -> list[SwotItem]:
        return self._swot_items("s.participant_id = ?", (participant_id,))

    def swot_item_by_client_id(self, client_id: str) -> SwotItem | None:
        found = self._swot_items("s.client_id = ?", (client_id,))
        return found[0] if found else None

    def swot_item(self, item_id: int) -> SwotItem | None:
        found = self._swot_items("s.id = ?", (item_id,))
        return found[0] if found else None

    def update_swot_item(self, item_id: int, **fields: Any) -> SwotItem:
        allowed = {"text", "quadrant", "hidden"}
        if set(fields) - allowed:
            raise ValueError(f"unknown SWOT fields {set(fields) - allowed}")
        assignments = ", ".join(f"{name} = ?" for name in fields)
        with self.transaction() as conn:
            conn.execute(f"UPDATE swot_items SET {assignments}, updated_at = ? WHERE id = ?",
                         (*fields.values(), time.time(), item_id))
        item = self.swot_item(item_id)
        assert item is not None
        return item

    def merge_swot_items(self, territory_id: int, item_ids: list[int], client_id: str, quadrant: str,
                         text: str) -> SwotItem:
        now = time.time()
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO swot_items (territory_id, client_id, quadrant, text, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)", (territory_id, client_id, quadrant, text, now, now))
            merged_id = int(cursor.lastrowid or 0)
            marks = ",".join("?" * len(item_ids))
            conn.execute(f"UPDATE swot_items SET merged_into = ?, updated_at = ? WHERE id IN ({marks})",
                         (merged_id, now, *item_ids))
        item = self.swot_item(merged_id)
        assert item is not None
        return item

    def upsert_template(self, template: WorkshopTemplate) -> None:
        with self.transaction() as conn:
            data = template.model_dump_json(by_alias=True)
            conn.execute(
                "INSERT INTO templates (key, title, data) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET title = excluded.title, data = excluded.data",
                (template.info.key, template.info.title, data),
            )

    def templates(self) -> list[WorkshopTemplate]:
        return [WorkshopTemplate.model_validate_json(r["data"])
                for r in self._rows("SELECT data FROM templates ORDER BY key")]

    # --- workshops -----------------------------------------------------------------------------------

    def insert_workshop(self, territory_id: int, code: str, title: str, template_key: str,
                        phases: list[PhaseTemplate], timer_remaining: float) -> int:
        phases_json = json.dumps([p.model_dump(by_alias=True, mode="json") for p in phases], ensure_ascii=False)
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO workshops (territory_id, code, title, template_key, phases, timer_remaining, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (territory_id, code, title, template_key, phases_json, timer_remaining, time.time()),
            )
            return int(cursor.lastrowid or 0)

    def code_taken(self, code: str) -> bool:
        return self._row("SELECT 1 FROM workshops WHERE code = ?", (code,)) is not None

    @staticmethod
    def _workshop(row: dict[str, Any]) -> Workshop:
        phases = [PhaseTemplate.model_validate(p) for p in json.loads(row.pop("phases"))]
        settings = WorkshopSettings.model_validate_json(row.pop("settings"))
        return Workshop(phases=phases, settings=settings, **row)

    def workshop(self, workshop_id: int) -> Workshop | None:
        row = self._row("SELECT * FROM workshops WHERE id = ?", (workshop_id,))
        return self._workshop(row) if row else None

    def workshop_by_code(self, code: str) -> Workshop | None:
        row = self._row("SELECT * FROM workshops WHERE code = ?", (code,))
        return self._workshop(row) if row else None

    def workshops(self, territory_id: int | None = None) -> list[Workshop]:
        """Newest first; one territory's, or all of them."""
        if territory_id is None:
            rows = self._rows("SELECT * FROM workshops ORDER BY created_at DESC")
        else:
            rows = self._rows("SELECT * FROM workshops WHERE territory_id = ? ORDER BY created_at DESC",
                              (territory_id,))
        return [self._workshop(r) for r in rows]

    def update_workshop(self, workshop_id: int, **fields: Any) -> None:
        allowed = {"phase_index", "locked", "timer_ends_at", "timer_remaining", "closed", "title", "settings"}
        if isinstance(fields.get("settings"), WorkshopSettings):
            fields["settings"] = fields["settings"].model_dump_json()
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"unknown workshop fields {unknown}")
        assignments = ", ".join(f"{name} = ?" for name in fields)
        with self.transaction() as conn:
            conn.execute(f"UPDATE workshops SET {assignments} WHERE id = ?", (*fields.values(), workshop_id))

    # --- participants ----------------------------------------------------------------------------------

    def upsert_participant(self, workshop_id: int, browser_id: str, name: str, organisation: str,
                           actor_id: int | None) -> Participant:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO participants (workshop_id, browser_id, name, organisation, actor_id, joined_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(workshop_id, browser_id) DO UPDATE SET name = excluded.name, "
                "organisation = excluded.organisation, actor_id = excluded.actor_id",
                (workshop_id, browser_id, name, organisation, actor_id, time.time()),
            )
        participant = self.participant_of_browser(workshop_id, browser_id)
        assert participant is not None
        return participant

    def participant_of_browser(self, workshop_id: int, browser_id: str) -> Participant | None:
        row = self._row(
            "SELECT id, workshop_id, name, organisation, actor_id, joined_at FROM participants "
            "WHERE workshop_id = ? AND browser_id = ?", (workshop_id, browser_id))
        return Participant(**row) if row else None

    def participants(self, workshop_id: int, after_id: int = 0) -> list[Participant]:
        rows = self._rows("SELECT id, workshop_id, name, organisation, actor_id, joined_at FROM participants "
                          "WHERE workshop_id = ? AND id > ? ORDER BY id", (workshop_id, after_id))
        return [Participant(**r) for r in rows]

    def participant_count(self, workshop_id: int) -> int:
        return self.db.conn.execute("SELECT COUNT(*) FROM participants WHERE workshop_id = ?",
                                    (workshop_id,)).fetchone()[0]

    # --- ideas ---------------------------------------------------------------------------------------------

    def insert_idea(self, workshop_id: int, participant_id: int | None, client_id: str, title: str, details: str,
                    category: str, is_group: bool = False, origin: str = "participant") -> tuple[Idea, bool]:
        """Stores an idea once per client id: (the idea, whether this call created it)."""
        now = time.time()
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO ideas (workshop_id, participant_id, client_id, title, details, category, is_group, "
                "origin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(client_id) DO NOTHING",
                (workshop_id, participant_id, client_id, title, details, category, int(is_group), origin, now, now),
            )
            created = cursor.rowcount == 1
            if created and participant_id is not None:
                conn.execute("DELETE FROM drafts WHERE participant_id = ?", (participant_id,))
        idea = self.idea_by_client_id(client_id)
        assert idea is not None
        return idea, created

    def _ideas(self, where: str, params: tuple) -> list[Idea]:
        rows = self._rows(
            f"SELECT {_IDEA_COLUMNS} FROM ideas i LEFT JOIN participants p ON p.id = i.participant_id "
            f"WHERE {where} ORDER BY i.id", params)
        return [Idea(**r) for r in rows]

    def idea(self, idea_id: int) -> Idea | None:
        found = self._ideas("i.id = ?", (idea_id,))
        return found[0] if found else None

    def idea_by_client_id(self, client_id: str) -> Idea | None:
        found = self._ideas("i.client_id = ?", (client_id,))
        return found[0] if found else None

    def ideas(self, workshop_id: int) -> list[Idea]:
        return self._ideas("i.workshop_id = ?", (workshop_id,))

    def ideas_of_participant(self, participant_id: int) -> list[Idea]:
        return self._ideas("i.participant_id = ?", (participant_id,))

    def group_members(self, group_id: int) -> list[Idea]:
        return self._ideas("i.merged_into = ?", (group_id,))

    def update_idea(self, idea_id: int, **fields: Any) -> Idea:
        allowed = {"title", "details", "category", "hidden", "withdrawn", "action_id"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"unknown idea fields {unknown}")
        assignments = ", ".join(f"{name} = ?" for name in fields)
        with self.transaction() as conn:
            conn.execute(f"UPDATE ideas SET {assignments}, updated_at = ? WHERE id = ?",
                         (*fields.values(), time.time(), idea_id))
        idea = self.idea(idea_id)
        assert idea is not None
        return idea

    def merge_ideas(self, workshop_id: int, idea_ids: list[int], client_id: str, title: str,
                    category: str) -> Idea:
        """A group idea whose members point at it; the members keep their text, so the merge stays traceable."""
        now = time.time()
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO ideas (workshop_id, participant_id, client_id, title, details, category, is_group, "
                "created_at, updated_at) VALUES (?, NULL, ?, ?, '', ?, 1, ?, ?)",
                (workshop_id, client_id, title, category, now, now),
            )
            group_id = cursor.lastrowid
            marks = ",".join("?" * len(idea_ids))
            conn.execute(f"UPDATE ideas SET merged_into = ?, updated_at = ? WHERE id IN ({marks})",
                         (group_id, now, *idea_ids))
        group = self.idea(int(group_id or 0))
        assert group is not None
        return group

    # --- actions ---------------------------------------------------------------------------------------------

    def insert_action_from_idea(self, idea: Idea, territory_id: int, description: str) -> Action:
        now = time.time()
        with self.transaction() as conn:
            # New candidates go to the end of the facilitator's order.
            position = conn.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM actions WHERE territory_id = ?",
                                    (territory_id,)).fetchone()[0]
            cursor = conn.execute(
                "INSERT INTO actions (territory_id, workshop_id, title, description, category, origin, "
                "source_idea_id, created_at, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (territory_id, idea.workshop_id, idea.title, description, idea.category,
                 "piste" if idea.origin == "piste" else "idee", idea.id, now, position),
            )
            action_id = int(cursor.lastrowid or 0)
            conn.execute("UPDATE ideas SET action_id = ?, updated_at = ? WHERE id = ?", (action_id, now, idea.id))
        action = self.action(action_id)
        assert action is not None
        return action

    @staticmethod
    def _action(row: dict[str, Any]) -> Action:
        return Action(**{**row, "actor_keys": json.loads(row["actor_keys"])})

    def actions(self, territory_id: int) -> list[Action]:
        """The territory's candidate actions still on the list, in the order the facilitator set."""
        rows = self._rows("SELECT * FROM actions WHERE territory_id = ? AND deleted = 0 ORDER BY position, id",
                          (territory_id,))
        return [self._action(r) for r in rows]

    def action(self, action_id: int) -> Action | None:
        row = self._row("SELECT * FROM actions WHERE id = ?", (action_id,))
        return self._action(row) if row else None

    def update_action(self, action_id: int, **fields: Any) -> Action:
        allowed = {"title", "description", "category", "horizon", "actor_keys", "deleted", "position", "selection",
                   "selection_reason", "pilot", "working_group", "next_step", "next_step_owner", "next_step_due"}
        # the status moves only through set_action_status, with its progress figure and history line
        if set(fields) - allowed:
            raise ValueError(f"unknown action fields {set(fields) - allowed}")
        if "actor_keys" in fields:
            fields["actor_keys"] = json.dumps(fields["actor_keys"], ensure_ascii=False)
        assignments = ", ".join(f"{name} = ?" for name in fields)
        with self.transaction() as conn:
            conn.execute(f"UPDATE actions SET {assignments} WHERE id = ?", (*fields.values(), action_id))
        action = self.action(action_id)
        assert action is not None
        return action

    def reorder_actions(self, ordered_ids: list[int]) -> None:
        with self.transaction() as conn:
            conn.executemany("UPDATE actions SET position = ? WHERE id = ?",
                             [(position, action_id) for position, action_id in enumerate(ordered_ids)])

    def select_action(self, workshop_id: int, action_id: int, selection: str, reason: str, automatic: bool) -> Action:
        """The decision and its line in the selection log, together."""
        with self.transaction() as conn:
            conn.execute("UPDATE actions SET selection = ?, selection_reason = ? WHERE id = ?",
                         (selection, reason, action_id))
            conn.execute("INSERT INTO selection_log (workshop_id, action_id, decision, reason, automatic, at) "
                         "VALUES (?, ?, ?, ?, ?, ?)", (workshop_id, action_id, selection, reason, int(automatic),
                                                      time.time()))
        action = self.action(action_id)
        assert action is not None
        return action

    def selection_log(self, workshop_id: int) -> list[dict[str, Any]]:
        return self._rows("SELECT action_id, decision, reason, automatic, at FROM selection_log "
                          "WHERE workshop_id = ? ORDER BY id", (workshop_id,))

    # --- ratings and dot votes -------------------------------------------------------------------------

    def upsert_rating(self, workshop_id: int, action_id: int, participant_id: int, impact: int | None,
                      ease: int | None, horizon: str, engagement: str) -> None:
        """A participant's rating of an action replaces their previous one, never adds to it."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO ratings (workshop_id, action_id, participant_id, impact, ease, horizon, engagement, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(workshop_id, action_id, participant_id) "
                "DO UPDATE SET impact = excluded.impact, ease = excluded.ease, horizon = excluded.horizon, "
                "engagement = excluded.engagement, updated_at = excluded.updated_at",
                (workshop_id, action_id, participant_id, impact, ease, horizon, engagement, time.time()))

    def ratings(self, workshop_id: int) -> list[dict[str, Any]]:
        return self._rows(
            # An engagement counts for the actor (its name as registered) when the participant picked one.
            "SELECT r.action_id, r.participant_id, r.impact, r.ease, r.horizon, r.engagement, "
            "COALESCE(a.name, p.organisation) AS organisation FROM ratings r "
            "JOIN participants p ON p.id = r.participant_id LEFT JOIN actors a ON a.id = p.actor_id "
            "WHERE r.workshop_id = ?",
            (workshop_id,))

    def ratings_of_participant(self, workshop_id: int, participant_id: int) -> dict[int, dict[str, Any]]:
        rows = self._rows("SELECT action_id, impact, ease, horizon, engagement FROM ratings "
                          "WHERE workshop_id = ? AND participant_id = ?", (workshop_id, participant_id))
        return {r["action_id"]: r for r in rows}

    def replace_dot_votes(self, workshop_id: int, participant_id: int, points: dict[int, int]) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM dot_votes WHERE workshop_id = ? AND participant_id = ?",
                         (workshop_id, participant_id))
            conn.executemany("INSERT INTO dot_votes (workshop_id, action_id, participant_id, points) "
                             "VALUES (?, ?, ?, ?)", [(workshop_id, a, participant_id, p) for a, p in points.items()])

    def dot_votes(self, workshop_id: int) -> list[dict[str, Any]]:
        return self._rows("SELECT action_id, participant_id, points FROM dot_votes WHERE workshop_id = ?",
                          (workshop_id,))

    def dot_votes_of_participant(self, workshop_id: int, participant_id: int) -> dict[int, int]:
        rows = self._rows("SELECT action_id, points FROM dot_votes WHERE workshop_id = ? AND participant_id = ?",
                          (workshop_id, participant_id))
        return {r["action_id"]: r["points"] for r in rows}

    def voter_count(self, workshop_id: int) -> int:
        return self.db.conn.execute(
            "SELECT COUNT(DISTINCT participant_id) FROM (SELECT participant_id FROM ratings WHERE workshop_id = ? "
            "UNION SELECT participant_id FROM dot_votes WHERE workshop_id = ?)", (workshop_id, workshop_id)
        ).fetchone()[0]

    # --- drafts ------------------------------------------------------------------------------------------

    def save_drafts(self, drafts: dict[int, Draft]) -> None:
        now = time.time()
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO drafts (participant_id, title, details, category, updated_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(participant_id) DO UPDATE SET title = excluded.title, details = excluded.details, "
                "category = excluded.category, updated_at = excluded.updated_at",
                [(pid, d.title, d.details, d.category, now) for pid, d in drafts.items()],
            )

    def draft(self, participant_id: int) -> Draft:
        row = self._row("SELECT title, details, category FROM drafts WHERE participant_id = ?", (participant_id,))
        return Draft(**row) if row else Draft()

    # --- facilitator sessions ---------------------------------------------------------------------------

    def facilitators(self) -> list[Facilitator]:
        return [Facilitator(**r) for r in self._rows(
            "SELECT id, name, role, secret, version, revoked FROM facilitators ORDER BY id")]

    def insert_facilitator(self, name: str, role: str, secret: str) -> int:
        with self.transaction() as conn:
            cursor = conn.execute("INSERT INTO facilitators (name, role, secret, created_at) VALUES (?, ?, ?, ?)",
                                  (name, role, secret, time.time()))
            return int(cursor.lastrowid or 0)

    def update_facilitator(self, facilitator_id: int, **fields: Any) -> None:
        if set(fields) - {"secret", "version", "revoked", "name"}:
            raise ValueError(f"unknown facilitator fields {set(fields)}")
        assignments = ", ".join(f"{name} = ?" for name in fields)
        with self.transaction() as conn:
            conn.execute(f"UPDATE facilitators SET {assignments} WHERE id = ?", (*fields.values(), facilitator_id))

    def add_facilitator_session(self, browser_id: str, facilitator_id: int, secret_version: int) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO facilitator_sessions (browser_id, facilitator_id, secret_version, created_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(browser_id) DO UPDATE SET facilitator_id = excluded.facilitator_id, "
                "secret_version = excluded.secret_version", (browser_id, facilitator_id, secret_version, time.time()))

    def facilitator_of_session(self, browser_id: str) -> Facilitator | None:
        """The facilitator a browser is logged in as, while their code has not changed and they are not revoked."""
        row = self._row(
            "SELECT f.id, f.name, f.role, f.secret, f.version, f.revoked FROM facilitator_sessions s "
            "JOIN facilitators f ON f.id = s.facilitator_id WHERE s.browser_id = ? AND s.secret_version = f.version "
            "AND f.revoked = 0", (browser_id,))
        return Facilitator(**row) if row else None

    def remove_facilitator_session(self, browser_id: str) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM facilitator_sessions WHERE browser_id = ?", (browser_id,))

    # --- working groups, meetings, status history --------------------------------------------------------

    def insert_working_group(self, action_id: int, objective: str, pilot_token: str,
                             members: list[tuple[str, str]]) -> int:
        now = time.time()
        with self.transaction() as conn:
            cursor = conn.execute("INSERT INTO working_groups (action_id, objective, pilot_token, created_at) "
                                  "VALUES (?, ?, ?, ?)", (action_id, objective, pilot_token, now))
            group_id = int(cursor.lastrowid or 0)
            conn.executemany("INSERT OR IGNORE INTO group_members (group_id, member, role, joined_at) "
                             "VALUES (?, ?, ?, ?)", [(group_id, m, role, now) for m, role in members])
            conn.execute("UPDATE actions SET working_group = 1 WHERE id = ?", (action_id,))
        return group_id

    def working_groups(self, territory_id: int) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT g.id, g.action_id, g.objective, g.pilot_token, a.title, a.status, a.progress, "
            "(SELECT COUNT(*) FROM meetings m WHERE m.group_id = g.id) AS meetings, "
            "(SELECT COUNT(*) FROM meetings m WHERE m.group_id = g.id AND m.held = 1) AS meetings_held "
            "FROM working_groups g JOIN actions a ON a.id = g.action_id WHERE a.territory_id = ? ORDER BY g.id",
            (territory_id,))

    def working_group(self, group_id: int) -> dict[str, Any] | None:
        return self._row("SELECT g.id, g.action_id, g.objective, g.pilot_token, a.title, a.territory_id, a.status, "
                         "a.progress FROM working_groups g JOIN actions a ON a.id = g.action_id WHERE g.id = ?",
                         (group_id,))

    def working_group_by_token(self, token: str) -> dict[str, Any] | None:
        row = self._row("SELECT id FROM working_groups WHERE pilot_token = ?", (token,))
        return self.working_group(row["id"]) if row else None

    def working_group_members(self, group_id: int) -> list[dict[str, Any]]:
        return self._rows("SELECT member, role FROM group_members WHERE group_id = ? ORDER BY role DESC, member",
                          (group_id,))

    def insert_meeting(self, group_id: int, starts_at: str, minutes: int, place: str) -> int:
        with self.transaction() as conn:
            cursor = conn.execute("INSERT INTO meetings (group_id, starts_at, minutes, place, created_at) "
                                  "VALUES (?, ?, ?, ?, ?)", (group_id, starts_at, minutes, place, time.time()))
            return int(cursor.lastrowid or 0)

    def meetings(self, group_id: int) -> list[dict[str, Any]]:
        rows = self._rows("SELECT * FROM meetings WHERE group_id = ? ORDER BY starts_at, id", (group_id,))
        for row in rows:
            row["attendance"] = json.loads(row["attendance"])
        return rows

    def meeting(self, meeting_id: int) -> dict[str, Any] | None:
        row = self._row("SELECT * FROM meetings WHERE id = ?", (meeting_id,))
        if row:
            row["attendance"] = json.loads(row["attendance"])
        return row

    def territory_meetings(self, territory_id: int) -> list[dict[str, Any]]:
        return self._rows("SELECT m.id, m.starts_at, m.minutes, m.place, a.title FROM meetings m "
                          "JOIN working_groups g ON g.id = m.group_id JOIN actions a ON a.id = g.action_id "
                          "WHERE a.territory_id = ? ORDER BY m.starts_at", (territory_id,))

    def record_meeting(self, meeting_id: int, attendance: list[str], notes: str, decisions: str) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE meetings SET attendance = ?, notes = ?, decisions = ?, held = 1 WHERE id = ?",
                         (json.dumps(attendance, ensure_ascii=False), notes, decisions, meeting_id))

    def link_meeting_workshop(self, meeting_id: int, workshop_id: int) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE meetings SET workshop_id = ? WHERE id = ?", (workshop_id, meeting_id))

    def insert_meeting_step(self, meeting_id: int, text: str, owner: str, due: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT INTO meeting_steps (meeting_id, text, owner, due) VALUES (?, ?, ?, ?)",
                         (meeting_id, text, owner, due))

    def meeting_steps(self, meeting_id: int) -> list[dict[str, Any]]:
        return self._rows("SELECT id, text, owner, due, done FROM meeting_steps WHERE meeting_id = ? ORDER BY id",
                          (meeting_id,))

    def set_action_status(self, action_id: int, status: str, progress: int, note: str, author: str) -> None:
        """The status, its progress figure and the history line, together."""
        with self.transaction() as conn:
            conn.execute("UPDATE actions SET status = ?, progress = ? WHERE id = ?", (status, progress, action_id))
            conn.execute("INSERT INTO action_status_log (action_id, status, progress, note, author, at) "
                         "VALUES (?, ?, ?, ?, ?, ?)", (action_id, status, progress, note, author, time.time()))

    def action_status_log(self, action_id: int) -> list[dict[str, Any]]:
        return self._rows("SELECT status, progress, note, author, at FROM action_status_log WHERE action_id = ? "
                          "ORDER BY id DESC", (action_id,))

    def insert_group_join_request(self, group_id: int, organisation: str, participant_id: int | None) -> bool:
        with self.transaction() as conn:
            cursor = conn.execute("INSERT OR IGNORE INTO group_join_requests (group_id, organisation, participant_id, "
                                  "created_at) VALUES (?, ?, ?, ?)", (group_id, organisation, participant_id,
                                                                      time.time()))
            return cursor.rowcount == 1

    def group_join_requests(self, group_id: int) -> list[dict[str, Any]]:
        return self._rows("SELECT id, organisation, status, created_at FROM group_join_requests WHERE group_id = ? "
                          "ORDER BY id", (group_id,))

    def group_join_request(self, request_id: int) -> dict[str, Any] | None:
        return self._row("SELECT * FROM group_join_requests WHERE id = ?", (request_id,))

    def decide_group_join_request(self, request_id: int, status: str) -> None:
        with self.transaction() as conn:
            row = conn.execute("SELECT group_id, organisation FROM group_join_requests WHERE id = ?",
                               (request_id,)).fetchone()
            conn.execute("UPDATE group_join_requests SET status = ?, decided_at = ? WHERE id = ?",
                         (status, time.time(), request_id))
            if status == "acceptee":
                conn.execute("INSERT OR IGNORE INTO group_members (group_id, member, role, joined_at) "
                             "VALUES (?, ?, 'membre', ?)", (row[0], row[1], time.time()))

    # --- extension by cohorts ------------------------------------------------------------------------------

    def insert_join_request(self, territory_id: int, organisation: str, kind: str, commune: str, contact_name: str,
                            email: str, message: str, source: str) -> int:
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO join_requests (territory_id, organisation, kind, commune, contact_name, email, message, "
                "source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (territory_id, organisation, kind, commune, contact_name, email, message, source, time.time()))
            return int(cursor.lastrowid or 0)

    def join_requests(self, territory_id: int, status: str | None = None) -> list[dict[str, Any]]:
        if status is None:
            return self._rows("SELECT * FROM join_requests WHERE territory_id = ? ORDER BY id", (territory_id,))
        return self._rows("SELECT * FROM join_requests WHERE territory_id = ? AND status = ? ORDER BY id",
                          (territory_id, status))

    def set_cohort_threshold(self, territory_id: int, threshold: int) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE territories SET cohort_threshold = ? WHERE id = ?", (threshold, territory_id))

    def cohort_threshold(self, territory_id: int) -> int:
        row = self._row("SELECT cohort_threshold FROM territories WHERE id = ?", (territory_id,))
        return int(row["cohort_threshold"]) if row else 0

    def start_cohort(self, territory_id: int, request_ids: list[int], actors: list[Actor]) -> int:
        """The cohort, its newcomers as actors (status candidat), the requests marked: all or nothing."""
        with self.transaction() as conn:
            cursor = conn.execute("INSERT INTO cohorts (territory_id, created_at) VALUES (?, ?)",
                                  (territory_id, time.time()))
            cohort_id = int(cursor.lastrowid or 0)
            for request_id, actor in zip(request_ids, actors, strict=True):
                actor_id = self._insert_actor(conn, territory_id, actor)
                conn.execute("UPDATE join_requests SET status = 'integre', cohort_id = ?, actor_id = ? WHERE id = ?",
                             (cohort_id, actor_id, request_id))
        return cohort_id

    def cohorts(self, territory_id: int) -> list[dict[str, Any]]:
        return self._rows("SELECT id, workshop_id, created_at FROM cohorts WHERE territory_id = ? ORDER BY id",
                          (territory_id,))

    def link_cohort_workshop(self, cohort_id: int, workshop_id: int) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE cohorts SET workshop_id = ? WHERE id = ?", (workshop_id, cohort_id))

    def all_contact_emails(self, territory_id: int) -> list[str]:
        """E-mails already in the network: its actors' contacts and the requests still waiting."""
        emails = [a.contact.email for _, a in self.actors(territory_id) + self.actors(territory_id, archived=True)]
        emails += [r["email"] for r in self.join_requests(territory_id, "en-attente")]
        return [e for e in emails if e]

    # --- whole-territory backup (see BACKUP_TABLES) ----------------------------------------------------

    def backup_rows(self, territory_id: int) -> dict[str, list[dict[str, Any]]]:
        rows = {}
        for table, where, _ in BACKUP_TABLES:
            found = self._rows(f"SELECT * FROM {table} WHERE {where} ORDER BY rowid", {"territory": territory_id})
            for row in found:
                for column in BACKUP_LEFT_OUT.get(table, ()):
                    row.pop(column, None)
            rows[table] = found
        return rows

    def restore_rows(self, tables: dict[str, list[dict[str, Any]]], codes_taken: Callable[[str], bool],
                      new_code: Callable[[], str]) -> int:
        """Inserts a territory's rows with fresh ids (the file's ids are only references), in one transaction.

        References are rewritten through each table's offset, so a restore never collides with what is there.
        """
        with self.transaction() as conn:
            conn.execute("PRAGMA defer_foreign_keys = ON")  # ideas and actions point at each other
            offsets = {t: conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {t}").fetchone()[0] for t in TABLES_WITH_ID}
            foreign = {table: keys for table, _, keys in BACKUP_TABLES}
            for table, _, _ in BACKUP_TABLES:
                for row in tables.get(table, []):
                    row = dict(row)
                    if table in TABLES_WITH_ID:
                        row["id"] = offsets[table] + row["id"]
                    for column, target in foreign[table].items():
                        if row.get(column) is not None:
                            row[column] = offsets[target] + row[column]
                    if table == "participants":
                        row["browser_id"] = f"importe-{row['id']}"
                    if table == "workshops" and codes_taken(row["code"]):
                        row["code"] = new_code()
                    if table == "working_groups" and conn.execute(
                            "SELECT 1 FROM working_groups WHERE pilot_token = ?", (row["pilot_token"],)).fetchone():
                        row["pilot_token"] = secrets.token_urlsafe(16)  # a copy gets its own pilot link
                    if table in ("ideas", "swot_items") and conn.execute(
                            f"SELECT 1 FROM {table} WHERE client_id = ?", (row["client_id"],)).fetchone():
                        row["client_id"] = f"{row['client_id']}~{row['id']}"  # a copy: its own submissions
                    columns = ", ".join(row)
                    marks = ", ".join("?" * len(row))
                    conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(row.values()))
            return offsets["territories"] + tables["territories"][0]["id"]


# --- whole-territory backup ---------------------------------------------------------------------------------------

_GROUPS_OF_TERRITORY = ("SELECT g.id FROM working_groups g JOIN actions a ON a.id = g.action_id "
                        "WHERE a.territory_id = :territory")
# Each table of a territory, in an order where what a row points at comes first, with its foreign keys.
# `browser_id` of participants stays behind: it is a phone's identity on this machine only.
BACKUP_TABLES: list[tuple[str, str, dict[str, str]]] = [
    ("territories", "id = :territory", {}),
    ("categories", "territory_id = :territory", {"territory_id": "territories"}),
    ("actors", "territory_id = :territory", {"territory_id": "territories"}),
    ("interviews", "actor_id IN (SELECT id FROM actors WHERE territory_id = :territory)", {"actor_id": "actors"}),
    ("interview_history", "actor_id IN (SELECT id FROM actors WHERE territory_id = :territory)",
     {"actor_id": "actors"}),
    ("workshops", "territory_id = :territory", {"territory_id": "territories"}),
    ("participants", "workshop_id IN (SELECT id FROM workshops WHERE territory_id = :territory)",
     {"workshop_id": "workshops", "actor_id": "actors"}),
    ("ideas", "workshop_id IN (SELECT id FROM workshops WHERE territory_id = :territory)",
     {"workshop_id": "workshops", "participant_id": "participants", "merged_into": "ideas", "action_id": "actions"}),
    ("actions", "territory_id = :territory",
     {"territory_id": "territories", "workshop_id": "workshops", "source_idea_id": "ideas"}),
    ("lead_decisions", "territory_id = :territory", {"territory_id": "territories", "idea_id": "ideas"}),
    ("swot_items", "territory_id = :territory",
     {"territory_id": "territories", "workshop_id": "workshops", "participant_id": "participants",
      "merged_into": "swot_items"}),
    ("ratings", "workshop_id IN (SELECT id FROM workshops WHERE territory_id = :territory)",
     {"workshop_id": "workshops", "action_id": "actions", "participant_id": "participants"}),
    ("dot_votes", "workshop_id IN (SELECT id FROM workshops WHERE territory_id = :territory)",
     {"workshop_id": "workshops", "action_id": "actions", "participant_id": "participants"}),
    ("selection_log", "workshop_id IN (SELECT id FROM workshops WHERE territory_id = :territory)",
     {"workshop_id": "workshops", "action_id": "actions"}),
    ("action_status_log", "action_id IN (SELECT id FROM actions WHERE territory_id = :territory)",
     {"action_id": "actions"}),
    ("working_groups", "action_id IN (SELECT id FROM actions WHERE territory_id = :territory)",
     {"action_id": "actions"}),
    ("group_members", f"group_id IN ({_GROUPS_OF_TERRITORY})", {"group_id": "working_groups"}),
    ("meetings", f"group_id IN ({_GROUPS_OF_TERRITORY})", {"group_id": "working_groups", "workshop_id": "workshops"}),
    ("meeting_steps", f"meeting_id IN (SELECT id FROM meetings WHERE group_id IN ({_GROUPS_OF_TERRITORY}))",
     {"meeting_id": "meetings"}),
    ("group_join_requests", f"group_id IN ({_GROUPS_OF_TERRITORY})",
     {"group_id": "working_groups", "participant_id": "participants"}),
    ("cohorts", "territory_id = :territory", {"territory_id": "territories", "workshop_id": "workshops"}),
    ("join_requests", "territory_id = :territory",
     {"territory_id": "territories", "cohort_id": "cohorts", "actor_id": "actors"}),
]
BACKUP_LEFT_OUT = {"participants": {"browser_id"}}
TABLES_WITH_ID = {"territories", "actors", "workshops", "participants", "ideas", "actions", "swot_items",
                  "interview_history", "selection_log", "action_status_log", "working_groups", "meetings",
                  "meeting_steps", "group_join_requests", "cohorts", "join_requests"}
