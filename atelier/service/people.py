"""People's data: who left personal details in a territory, and erasing them on request with a trace.

Made by `Service.people`; each use case checks the facilitator's session when it runs; the trace names that facilitator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from atelier.models import Contact
from atelier.rules import Refused
from atelier.service.access import Capability


@dataclass
class PeopleOverview:
    candidates: list[dict[str, Any]] = field(default_factory=list)  # extension requests with a contact left
    contacts: list[dict[str, Any]] = field(default_factory=list)  # actors with a contact person
    participants: list[dict[str, Any]] = field(default_factory=list)  # named workshop participants
    erasures: list[dict[str, Any]] = field(default_factory=list)  # kind, erased_by, erased_at; never content


class People(Capability):
    """Each use case checks the session first (see service.access); erasures name the facilitator acting."""

    def overview(self, territory_id: int) -> PeopleOverview:
        self.service.territory(territory_id)
        candidates = [r for r in self.store.join_requests(territory_id) if r["contact_name"] or r["email"]
                      or r["message"]]
        contacts = [{"actor_id": actor_id, "actor": actor.name, **actor.contact.model_dump()}
                    for archived in (False, True) for actor_id, actor in self.store.actors(territory_id, archived)
                    if any(actor.contact.model_dump().values())]
        return PeopleOverview(candidates, contacts, self.store.participants_of_territory(territory_id),
                              self.store.erasures(territory_id))

    def erase_candidate(self, request_id: int) -> None:
        request = self.store.join_request(request_id)
        if request is None:
            raise Refused("erasure.unknown")
        self.store.erase_join_request(request_id, request["territory_id"], self._author)

    def erase_actor_contact(self, actor_id: int) -> None:
        found = self.store.actor(actor_id)
        if found is None:
            raise Refused("erasure.unknown")
        territory_id, actor, _ = found
        self.store.erase_actor_contact(actor_id, actor.model_copy(update={"contact": Contact()}), territory_id,
                                       self._author)

    def erase_participant(self, participant_id: int) -> None:
        territory_id = self.store.participant_territory(participant_id)
        if territory_id is None:
            raise Refused("erasure.unknown")
        self.store.erase_participant(participant_id, territory_id, self._author)
