"""Whole-territory backup: the rows of a territory out, and back in."""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable
from typing import Any

from atelier.store.base import StoreBase


class BackupStore(StoreBase):
    """Reads and writes a whole territory's rows (see BACKUP_TABLES)."""

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

    def backup_schema(self) -> dict[str, dict[str, bool]]:
        """The columns a backup's rows may have, read from the database itself: {table: {column: required}}.

        A column is required when SQLite has no value of its own for it (NOT NULL without a default, or the id).
        What a backup leaves out (a phone's browser id) is no column of the file.
        """
        schema = {}
        for table, _, _ in BACKUP_TABLES:
            columns = self._rows(f"PRAGMA table_info({table})")
            left_out = BACKUP_LEFT_OUT.get(table, set())
            schema[table] = {c["name"]: bool(c["pk"]) or (bool(c["notnull"]) and c["dflt_value"] is None)
                             for c in columns if c["name"] not in left_out}
        return schema

    def restore_rows(self, tables: dict[str, list[dict[str, Any]]], codes_taken: Callable[[str], bool],
                      new_code: Callable[[], str]) -> int:
        """Inserts a territory's rows with fresh ids (the file's ids are only references), in one transaction.

        References are rewritten through each table's offset, so a restore never collides with what is there.
        Column names come from the database's own schema, never from the file's keys (read_backup has refused
        any key that is not one of them); a reference left dangling undoes the whole restore.
        """
        schema = self.backup_schema()
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
                    names = [c for c in (*schema[table], *BACKUP_LEFT_OUT.get(table, ())) if c in row]
                    columns = ", ".join(f'"{c}"' for c in names)
                    marks = ", ".join("?" * len(names))
                    conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", [row[c] for c in names])
            dangling = conn.execute("PRAGMA foreign_key_check").fetchone()
            if dangling:  # checked here, inside the transaction: a failing COMMIT would leave it open
                raise sqlite3.IntegrityError(f"référence absente dans la table « {dangling[0]} »")
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
    ("supports", "idea_id IN (SELECT i.id FROM ideas i JOIN workshops w ON w.id = i.workshop_id "
                 "WHERE w.territory_id = :territory)", {"idea_id": "ideas", "participant_id": "participants"}),
    ("erasures", "territory_id = :territory", {"territory_id": "territories"}),
]
BACKUP_LEFT_OUT = {"participants": {"browser_id"}}
TABLES_WITH_ID = {"territories", "actors", "workshops", "participants", "ideas", "actions", "swot_items",
                  "interview_history", "selection_log", "action_status_log", "working_groups", "meetings",
                  "meeting_steps", "group_join_requests", "cohorts", "join_requests", "erasures"}
