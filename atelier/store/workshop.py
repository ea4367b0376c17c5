"""Workshop templates, workshops, participants, ideas and drafts."""

from __future__ import annotations

import json
import time
from typing import Any

from atelier.models import Draft, Idea, Participant, PhaseTemplate, Workshop, WorkshopSettings, WorkshopTemplate
from atelier.store.base import IDEA_COLUMNS, IDEA_FROM, StoreBase


class WorkshopStore(StoreBase):
    """What a live workshop keeps: its phases, its phones, their ideas and drafts."""

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
                        phases: list[PhaseTemplate], timer_remaining: float,
                        settings: WorkshopSettings | None = None) -> int:
        phases_json = json.dumps([p.model_dump(by_alias=True, mode="json") for p in phases], ensure_ascii=False)
        settings_json = (settings or WorkshopSettings()).model_dump_json()
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO workshops (territory_id, code, title, template_key, phases, timer_remaining, "
                "created_at, settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (territory_id, code, title, template_key, phases_json, timer_remaining, time.time(), settings_json),
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
        """From the cache when no write since its reading can have changed it (see StoreBase.transaction); the
        object is shared, like the one the hub sends to every page: never changed in place."""
        with self._lock:
            version = self.db.conn.execute("PRAGMA data_version").fetchone()[0]
            if version != self._cache_data_version:  # another connection (a command line, a restore) committed
                self._workshop_cache.clear()
                self._cache_data_version = version
            cached = self._workshop_cache.get(workshop_id)
            if cached is None:
                row = self._row("SELECT * FROM workshops WHERE id = ?", (workshop_id,))
                if row is None:
                    return None
                cached = self._workshop_cache[workshop_id] = self._workshop(row)
            return cached

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

    # --- the projected board's settings: one JSON value per workshop in `meta` (nothing to migrate) ---------

    def board_state(self, workshop_id: int) -> str | None:
        row = self.db.conn.execute("SELECT value FROM meta WHERE key = ?", (f"board:{int(workshop_id)}",)).fetchone()
        return row[0] if row else None

    def set_board_state(self, workshop_id: int, value: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                         (f"board:{int(workshop_id)}", value))

    # --- participants ----------------------------------------------------------------------------------

    def upsert_participant(self, workshop_id: int, browser_id: str, name: str, organisation: str,
                           actor_id: int | None, anonymous: bool = False, origin: str | None = None) -> Participant:
        """`anonymous`: joined while the workshop was anonymous; stays so (its organisation is never shown) even if
        the setting is switched off later. `origin`: where a new identity joined from (a keyed hash of the
        address); kept from the first join."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO participants (workshop_id, browser_id, name, organisation, actor_id, joined_at, "
                "anonymous, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(workshop_id, browser_id) DO UPDATE SET "
                "name = excluded.name, organisation = excluded.organisation, actor_id = excluded.actor_id, "
                "anonymous = MAX(anonymous, excluded.anonymous)",
                (workshop_id, browser_id, name, organisation, actor_id, time.time(), int(anonymous), origin),
            )
        participant = self.participant_of_browser(workshop_id, browser_id)
        assert participant is not None
        return participant

    def participant_of_browser(self, workshop_id: int, browser_id: str) -> Participant | None:
        row = self._row(
            "SELECT id, workshop_id, name, organisation, actor_id, joined_at FROM participants "
            "WHERE workshop_id = ? AND browser_id = ?", (workshop_id, browser_id))
        return Participant(**row) if row else None

    def participant_origins(self, workshop_id: int) -> list[dict[str, Any]]:
        """Per origin (hashed address): how many identities joined from it, how many have their votes excluded."""
        return self._rows("SELECT origin, COUNT(*) AS identities, SUM(votes_excluded) AS excluded FROM participants "
                          "WHERE workshop_id = ? AND origin IS NOT NULL GROUP BY origin", (workshop_id,))

    def set_votes_excluded(self, workshop_id: int, origin: str, excluded: bool) -> int:
        with self.transaction() as conn:
            return conn.execute("UPDATE participants SET votes_excluded = ? WHERE workshop_id = ? AND origin = ?",
                                (int(excluded), workshop_id, origin)).rowcount

    def excluded_participants(self, workshop_id: int) -> set[int]:
        return {r["id"] for r in self._rows(
            "SELECT id FROM participants WHERE workshop_id = ? AND votes_excluded = 1", (workshop_id,))}

    def participant(self, participant_id: int) -> Participant | None:
        row = self._row("SELECT id, workshop_id, name, organisation, actor_id, joined_at FROM participants "
                        "WHERE id = ?", (participant_id,))
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
                    category: str, is_group: bool = False, origin: str = "participant",
                    pending: bool = False) -> tuple[Idea, bool]:
        """Stores an idea once per client id: (the idea, whether this call created it). `pending`: waits for the
        facilitator's approval before the board shows it."""
        now = time.time()
        with self.transaction(workshops_untouched=True) as conn:
            cursor = conn.execute(
                "INSERT INTO ideas (workshop_id, participant_id, client_id, title, details, category, is_group, "
                "origin, created_at, updated_at, pending) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(client_id) DO NOTHING",
                (workshop_id, participant_id, client_id, title, details, category, int(is_group), origin, now, now,
                 int(pending)),
            )
            created = cursor.rowcount == 1
            if created and participant_id is not None:
                conn.execute("DELETE FROM drafts WHERE participant_id = ?", (participant_id,))
        idea = self.idea_by_client_id(client_id)
        assert idea is not None
        return idea, created

    def _ideas(self, where: str, params: tuple) -> list[Idea]:
        rows = self._rows(
            f"SELECT {IDEA_COLUMNS} FROM {IDEA_FROM} "
            f"WHERE {where} ORDER BY i.id", params)
        return [Idea(**r) for r in rows]

    def idea(self, idea_id: int) -> Idea | None:
        found = self._ideas("i.id = ?", (idea_id,))
        return found[0] if found else None

    def idea_by_client_id(self, client_id: str) -> Idea | None:
        found = self._ideas("i.client_id = ?", (client_id,))
        return found[0] if found else None

    def sent_before(self, client_id: str) -> bool:
        """Whether an idea already has this client id: asked on every submit, nearly always "no", so a bare
        index lookup rather than the whole idea's query (atelier bench: 3 % of a 2,000-phone burst)."""
        with self._lock:
            return self.db.conn.execute("SELECT 1 FROM ideas WHERE client_id = ?", (client_id,)).fetchone() is not None

    def ideas(self, workshop_id: int) -> list[Idea]:
        return self._ideas("i.workshop_id = ?", (workshop_id,))

    def ideas_of_participant(self, participant_id: int) -> list[Idea]:
        return self._ideas("i.participant_id = ?", (participant_id,))

    def group_members(self, group_id: int) -> list[Idea]:
        return self._ideas("i.merged_into = ?", (group_id,))

    def update_idea(self, idea_id: int, **fields: Any) -> Idea:
        allowed = {"title", "details", "category", "hidden", "withdrawn", "action_id", "pending"}
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
        with self.transaction(workshops_untouched=True) as conn:
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

    # --- supports (+1) ------------------------------------------------------------------------------------

    def toggle_support(self, idea_id: int, participant_id: int) -> bool:
        """Adds this phone's support, or takes it back if it was there: whether it supports the idea now. The
        primary key (idea, participant) holds one per phone per idea, whatever two taps at once do."""
        with self.transaction() as conn:
            added = conn.execute("INSERT INTO supports (idea_id, participant_id, created_at) VALUES (?, ?, ?) "
                                 "ON CONFLICT DO NOTHING", (idea_id, participant_id, time.time())).rowcount == 1
            if not added:
                conn.execute("DELETE FROM supports WHERE idea_id = ? AND participant_id = ?",
                             (idea_id, participant_id))
        return added

    def supported_ideas(self, participant_id: int) -> set[int]:
        return {r["idea_id"] for r in self._rows("SELECT idea_id FROM supports WHERE participant_id = ?",
                                                 (participant_id,))}

    # --- drafts ------------------------------------------------------------------------------------------

    def save_drafts(self, drafts: dict[int, Draft]) -> None:
        now = time.time()
        with self.transaction(workshops_untouched=True) as conn:
            conn.executemany(
                "INSERT INTO drafts (participant_id, title, details, category, updated_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(participant_id) DO UPDATE SET title = excluded.title, details = excluded.details, "
                "category = excluded.category, updated_at = excluded.updated_at",
                [(pid, d.title, d.details, d.category, now) for pid, d in drafts.items()],
            )

    def draft(self, participant_id: int) -> Draft:
        row = self._row("SELECT title, details, category FROM drafts WHERE participant_id = ?", (participant_id,))
        return Draft(**row) if row else Draft()

