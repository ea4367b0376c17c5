"""Extension of the network by cohorts: candidates, threshold, cohort workshop, newcomers' leads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from atelier.models import Workshop
from atelier.rules import Refused
from atelier.rules.actors import unique_slug, validated_actor
from atelier.rules.groups import checked_threshold, cohort_ready
from atelier.rules.lead_views import LeadView
from atelier.service.diagnostic import Diagnostic
from atelier.service.workshop import Facilitation

if TYPE_CHECKING:
    from atelier.service.core import Service


class Extension:
    """Newcomers wait in a list until enough of them make a cohort; then interviews, leads, an extension workshop."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.store = service.store

    def add_candidate(self, territory_id: int, fields: dict[str, str | None], source: str = "animation") -> int:
        return self.service.request_to_join(self.service.territory(territory_id)["key"], fields, source)

    def set_threshold(self, territory_id: int, value: object) -> None:
        self.service.territory(territory_id)
        self.store.set_cohort_threshold(territory_id, checked_threshold(value))

    def threshold(self, territory_id: int) -> int:
        return self.store.cohort_threshold(territory_id)

    def waiting(self, territory_id: int) -> list[dict]:
        return self.store.join_requests(territory_id, "en-attente")

    def proposal_ready(self, territory_id: int) -> bool:
        return cohort_ready(len(self.waiting(territory_id)), self.store.cohort_threshold(territory_id))

    def start_cohort(self, territory_id: int) -> tuple[int, Workshop]:
        """Every waiting candidate becomes an actor (status candidat) to interview; an extension workshop opens."""
        waiting = self.waiting(territory_id)
        if not cohort_ready(len(waiting), self.store.cohort_threshold(territory_id)):
            raise Refused("cohort.not_ready", waiting=len(waiting), threshold=self.store.cohort_threshold(territory_id))
        taken = set(self.store.actor_keys(territory_id))
        actors = []
        for request in waiting:
            key = unique_slug(request["organisation"], taken)
            taken.add(key)
            actors.append(validated_actor({"cle": key, "nom": request["organisation"], "type": request["kind"],
                                           "commune": request["commune"], "statut": "candidat",
                                           "contact": {"nom": request["contact_name"], "email": request["email"]}}))
        cohort_id = self.store.start_cohort(territory_id, [r["id"] for r in waiting], actors)
        number = len(self.store.cohorts(territory_id))
        workshop = Facilitation(self.service).create_workshop(territory_id, f"Atelier d’extension — cohorte {number}",
                                                              "extension")
        self.store.link_cohort_workshop(cohort_id, workshop.id)
        return cohort_id, workshop

    def cohorts(self, territory_id: int) -> list[dict]:
        requests = self.store.join_requests(territory_id)
        return [{**c, "newcomers": [r for r in requests if r["cohort_id"] == c["id"]]}
                for c in self.store.cohorts(territory_id)]

    def cohort_leads(self, territory_id: int) -> dict[int, list[LeadView]]:
        """Each cohort's leads between its newcomers and the network, from one detection. Run it off the loop."""
        key_of = {actor_id: a.key for actor_id, a in self.store.actors(territory_id)}
        newcomers: dict[int, set[str]] = {c["id"]: set() for c in self.store.cohorts(territory_id)}
        for request in self.store.join_requests(territory_id):
            if request["cohort_id"] in newcomers and request["actor_id"] in key_of:
                newcomers[request["cohort_id"]].add(key_of[request["actor_id"]])
        leads = Diagnostic(self.service).leads(territory_id)
        return {cohort_id: [v for v in leads if keys & set(v.lead.actor_keys)] for cohort_id, keys in newcomers.items()}
