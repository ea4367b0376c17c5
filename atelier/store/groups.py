"""Working groups, meetings, action statuses and requests to join a group."""

from __future__ import annotations

import json
import time
from typing import Any

from atelier.store.base import StoreBase


class GroupsStore(StoreBase):
    """What the working groups keep over their 3 to 5 meetings."""

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

