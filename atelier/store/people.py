"""People's data: erasing a person's details on request, with a trace of each erasure (who, when, what kind).

An erasure overwrites the details where they are stored, in the same transaction as its trace, so nothing read
afterwards (pages, the JSON backup, the CSV/XLSX/ODS exports) can hold them. The trace holds no content.
"""

from __future__ import annotations

import time
from typing import Any

from atelier.models import Actor
from atelier.store.base import StoreBase


class PeopleStore(StoreBase):
    """Who left personal details, and the erasures."""

    def participants_of_territory(self, territory_id: int) -> list[dict[str, Any]]:
        """Every workshop participant still named, with their workshop's title (erased ones have no name)."""
        return self._rows(
            "SELECT p.id, p.name, p.organisation, w.title AS workshop FROM participants p "
            "JOIN workshops w ON w.id = p.workshop_id WHERE w.territory_id = ? AND p.name != '' "
            "ORDER BY w.created_at DESC, p.id", (territory_id,))

    def participant_territory(self, participant_id: int) -> int | None:
        row = self._row("SELECT w.territory_id FROM participants p JOIN workshops w ON w.id = p.workshop_id "
                        "WHERE p.id = ?", (participant_id,))
        return int(row["territory_id"]) if row else None

    def join_request(self, request_id: int) -> dict[str, Any] | None:
        return self._row("SELECT * FROM join_requests WHERE id = ?", (request_id,))

    def _trace(self, conn: Any, territory_id: int, kind: str, erased_by: str) -> None:
        conn.execute("INSERT INTO erasures (territory_id, kind, erased_by, erased_at) VALUES (?, ?, ?, ?)",
                     (territory_id, kind, erased_by, time.time()))

    def erase_participant(self, participant_id: int, territory_id: int, erased_by: str) -> None:
        """The name goes, the draft too, and the phone's link to the person (its browser id): the phone joins
        afresh if it comes back. Their ideas stay, shown with the organisation only."""
        with self.transaction() as conn:
            conn.execute("UPDATE participants SET name = '', browser_id = 'efface-' || id WHERE id = ?",
                         (participant_id,))
            conn.execute("DELETE FROM drafts WHERE participant_id = ?", (participant_id,))
            self._trace(conn, territory_id, "participant", erased_by)

    def erase_join_request(self, request_id: int, territory_id: int, erased_by: str) -> None:
        """The contact's name, address and message go; the organisation's request stays (it is not a person)."""
        with self.transaction() as conn:
            conn.execute("UPDATE join_requests SET contact_name = '', email = '', message = '' WHERE id = ?",
                         (request_id,))
            self._trace(conn, territory_id, "candidat", erased_by)

    def erase_actor_contact(self, actor_id: int, actor: Actor, territory_id: int, erased_by: str) -> None:
        """`actor` is the actor with its contact emptied, written back with the trace in one transaction."""
        data = actor.model_dump_json(by_alias=True, exclude={"interview"})
        with self.transaction() as conn:
            conn.execute("UPDATE actors SET data = ?, updated_at = ? WHERE id = ?", (data, time.time(), actor_id))
            self._trace(conn, territory_id, "contact", erased_by)

    def erasures(self, territory_id: int) -> list[dict[str, Any]]:
        return self._rows("SELECT kind, erased_by, erased_at FROM erasures WHERE territory_id = ? ORDER BY id",
                          (territory_id,))
