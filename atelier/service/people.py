"""People's data: who left personal details in a territory, and erasing them on request with a trace.

Made by `Service.people`, which checks the facilitator's login at each call; the trace names that facilitator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from atelier.models import Contact
from atelier.rules import Refused

if TYPE_CHECKING:
    from atelier.service.core import Service


@dataclass
class PeopleOverview:
    candidates: list[dict[str, Any]] = field(default_factory=list)  # extension requests with a contact left
    contacts: list[dict[str, Any]] = field(default_factory=list)  # actors with a contact person
    participants: list[dict[str, Any]] = field(default_factory=list)  # named workshop participants
    erasures: list[dict[str, Any]] = field(default_factory=list)  # kind, erased_by, erased_at; never content


class People:
    def __init__(self, service: Service, facilitator_name: str) -> None:
        self.service = service
        self.store = service.store
        self.by = facilitator_name

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
        self.store.erase_join_request(request_id, request["territory_id"], self.by)

    def erase_actor_contact(self, actor_id: int) -> None:
        found = self.store.actor(actor_id)
        if found is None:
            raise Refused("erasure.unknown")
        territory_id, actor, _ = found
        self.store.erase_actor_contact(actor_id, actor.model_copy(update={"contact": Contact()}), territory_id,
                                       self.by)

    def erase_participant(self, participant_id: int) -> None:
        territory_id = self.store.participant_territory(participant_id)
        if territory_id is None:
            raise Refused("erasure.unknown")
        self.store.erase_participant(participant_id, territory_id, self.by)
