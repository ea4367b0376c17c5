"""Join requests and extension cohorts."""

from __future__ import annotations

import time
from typing import Any

from atelier.models import Actor
from atelier.store.base import StoreBase


class ExtensionStore(StoreBase):
    """What the network's extension keeps: candidates waiting and cohorts."""

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

