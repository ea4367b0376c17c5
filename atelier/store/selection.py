"""Candidate actions, their selection, ratings and dot votes."""

from __future__ import annotations

import json
import time
from typing import Any

from atelier.models import Action, Idea
from atelier.store.base import StoreBase


class SelectionStore(StoreBase):
    """What the selection workshop keeps: actions, grades, dots and the selection log."""

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

