"""Databases prepared before an end-to-end test starts its server: what earlier workshops would have left."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from atelier.hub import Hub
from atelier.models import Action, Collect, Workshop
from atelier.scenario import load_scenario
from atelier.service import Facilitation, Service
from atelier.store import Store


@dataclass
class Prepared:
    service: Service
    territory_id: int
    facilitation: Facilitation
    actions: list[Action]
    vote: Workshop  # a selection workshop, open for the vote

    def close(self) -> None:
        self.service.store.close()


def lead_session(service: Service) -> str:
    """A session of the lead facilitator, as logging in opens one (for tests of use cases, not of logging in)."""
    service.ensure_facilitator_secret()
    lead = next(f for f in service.store.facilitators() if f.is_lead)
    return service.sessions.open(lead)


def actions_open_for_the_vote(db_path: Path, titles: list[str]) -> Prepared:
    """The demo territory; workshop 1 promoted one idea per title; workshop 2 is in its vote phase."""
    service = Service(Store(db_path), Hub())
    territory_id = service.install_scenario(load_scenario())
    service.ensure_demo_workshop(territory_id)
    return vote_on(service, titles)


def vote_on(service: Service, titles: list[str], **settings: object) -> Prepared:
    """On a service holding the demo: workshop 1 promoted one idea per title; workshop 2 (with these settings)
    is in its vote phase."""
    territory_id = service.territories()[0]["id"]
    session = service.log_in(service.reset_facilitator_secret())
    facilitation = service.as_facilitator(session)
    first = facilitation.move_phase(service.workshops()[0].id, 1)
    actions = []
    for n, title in enumerate(titles):
        author = service.join(first.code, f"author-{n}", f"Auteur {n}", "Org")
        idea = service.submit_idea(first.id, author.id, f"client-id-000{n}", title, "", "energie")
        actions.append(facilitation.promote(idea.id))
    vote = facilitation.create_workshop(territory_id, "Atelier 2 — sélection", "selection")
    if settings:
        service.selection(session).set_settings(vote.id, **settings)
    vote = facilitation.move_phase(facilitation.move_phase(vote.id, 1).id, 1)
    return Prepared(service, territory_id, facilitation, actions, vote)


def demo_in_ideas_phase(db_path: Path) -> str:
    """The demo territory with its first workshop in its ideas phase; returns the workshop's join code."""
    service = Service(Store(db_path), Hub())
    try:
        service.ensure_demo_workshop(service.install_scenario(load_scenario()))
        facilitation = service.as_facilitator(service.log_in(service.reset_facilitator_secret()))
        workshop = service.workshops()[0]
        while workshop.phase.collect != Collect.IDEAS:
            workshop = facilitation.move_phase(workshop.id, 1)
        return workshop.code
    finally:
        service.store.close()
