"""The schema, as numbered migrations run at open."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable


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


def _migration_7(conn: sqlite3.Connection) -> None:
    """What participants expect from the peers, and people's data (issue 10): ideas waiting for the facilitator's
    approval, participants who joined an anonymous workshop, supports (+1: one per phone per idea, which the
    primary key enforces), and the trace of each erasure of a person's data (who, when, what kind; no content)."""
    _run_statements(
        conn,
        """
        ALTER TABLE ideas ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE participants ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE supports (
            idea_id INTEGER NOT NULL REFERENCES ideas(id),
            participant_id INTEGER NOT NULL REFERENCES participants(id),
            created_at REAL NOT NULL,
            PRIMARY KEY (idea_id, participant_id)
        );
        CREATE INDEX supports_participant ON supports (participant_id);
        CREATE TABLE erasures (
            id INTEGER PRIMARY KEY, territory_id INTEGER NOT NULL REFERENCES territories(id), kind TEXT NOT NULL,
            erased_by TEXT NOT NULL, erased_at REAL NOT NULL
        )
        """,
    )


def _migration_8(conn: sqlite3.Connection) -> None:
    """Facilitator sessions with an opaque id (kept hashed), creation, last use and expiry, replacing the
    browser-keyed ones (everyone logs in again once); one-time login links; where each participant joined from
    (a keyed hash of the address) and whether the facilitator excluded their votes."""
    _run_statements(
        conn,
        """
        DROP TABLE facilitator_sessions;
        CREATE TABLE facilitator_sessions (
            id_hash TEXT PRIMARY KEY, facilitator_id INTEGER NOT NULL REFERENCES facilitators(id),
            secret_version INTEGER NOT NULL, created_at REAL NOT NULL, last_used_at REAL NOT NULL,
            expires_at REAL NOT NULL
        );
        CREATE INDEX facilitator_sessions_facilitator ON facilitator_sessions (facilitator_id);
        CREATE TABLE login_links (
            token_hash TEXT PRIMARY KEY, facilitator_id INTEGER NOT NULL REFERENCES facilitators(id),
            secret_version INTEGER NOT NULL, created_at REAL NOT NULL, expires_at REAL NOT NULL
        );
        ALTER TABLE participants ADD COLUMN origin TEXT;
        ALTER TABLE participants ADD COLUMN votes_excluded INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX participants_origin ON participants (workshop_id, origin)
        """,
    )


def _migration_9(conn: sqlite3.Connection) -> None:
    """A category's English label, beside the French one (the scenario file's libelle_en)."""
    conn.execute("ALTER TABLE categories ADD COLUMN label_en TEXT NOT NULL DEFAULT ''")


def _migration_10(conn: sqlite3.Connection) -> None:
    """Lead decisions keyed by who gives to whom instead of by the lead's lines, so they stay on their lead.

    Keys were a hash of the lead's lines: when the detection grouped lines differently, or a line was reworded,
    the facilitator's dismissals and promotions attached to nothing. Each decision's snapshot names its lead's
    kind and lines (actor and side); its key becomes `atelier.rules.leads.lead_key`'s, copied here as it is
    today so that this migration never changes. A substitution decided over several givers or receivers (the
    oldest leads) applies to each pair; where two decisions land on one key the latest wins. A snapshot that
    cannot be read keeps its row as it is.
    """
    import hashlib

    rows = conn.execute("SELECT territory_id, key, status, reason, idea_id, snapshot, decided_at FROM lead_decisions "
                        "ORDER BY decided_at").fetchall()
    moved: dict[tuple[int, str], tuple] = {}
    kept: list[tuple] = []
    for territory_id, key, status, reason, idea_id, snapshot, decided_at in rows:
        try:
            data = json.loads(snapshot)
            kind = str(data["type"])
            elements = [(str(e["acteur"]), str(e["nature"])) for e in data["elements"]]
        except (TypeError, ValueError, KeyError):
            kept.append((territory_id, key, status, reason, idea_id, snapshot, decided_at))
            continue
        if kind == "substitution":
            givers = sorted({a for a, side in elements if side == "capacite"})
            takers = sorted({a for a, side in elements if side == "besoin"})
            parts = [[g, t] for g in givers for t in takers if g != t]
        else:
            parts = [[min((side for _, side in elements), default=""), ",".join(sorted({a for a, _ in elements}))]]
        for part in parts:
            text = "\n".join([kind, *part])
            new_key = f"{kind}-{hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]}"
            moved[(territory_id, new_key)] = (territory_id, new_key, status, reason, idea_id, snapshot, decided_at)
    conn.execute("DELETE FROM lead_decisions")
    conn.executemany("INSERT OR REPLACE INTO lead_decisions (territory_id, key, status, reason, idea_id, snapshot, "
                     "decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)", [*kept, *moved.values()])


# Append only: a database at version N runs migrations N+1.. at open. Never edit a released one.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migration_1, _migration_2, _migration_3, _migration_4,
                                                           _migration_5, _migration_6, _migration_7, _migration_8,
                                                           _migration_9, _migration_10]
