"""Territories, categories, actors, interviews, lead decisions and SWOT items."""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

from atelier.models import Actor, Category, Interview, SwotItem, TerritoryInfo
from atelier.store.base import StoreBase


class DiagnosticStore(StoreBase):
    """What the diagnostic keeps: the territory's actors, their interviews, the leads decided, SWOT."""

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
                    "INSERT INTO categories (territory_id, key, label, colour, words, position, label_en) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(territory_id, key) DO UPDATE SET label = excluded.label, "
                    "colour = excluded.colour, words = excluded.words, position = excluded.position, "
                    "label_en = excluded.label_en",
                    (territory_id, c.key, c.label, c.colour, json.dumps(c.words, ensure_ascii=False), position,
                     c.label_en),
                )

    def categories(self, territory_id: int) -> list[Category]:
        rows = self._rows(
            "SELECT key, label, colour, words, label_en FROM categories WHERE territory_id = ? ORDER BY position",
            (territory_id,),
        )
        return [Category(cle=r["key"], libelle=r["label"], couleur=r["colour"], mots=json.loads(r["words"]),
                         libelle_en=r["label_en"]) for r in rows]

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

