"""The leads page through NiceGUI's simulated user: leads held back (a need keeps its best three givers through a
use) are not among the proposed ones but stay reachable, apart, each saying why it is not proposed."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import app
from nicegui.testing import User
from prepared import lead_session

from atelier.models import Interview, InterviewItem
from atelier.service import Service

GIVERS = ["Fumier de cheval pailleux", "Fientes de volailles sèches", "Marc de café du comptoir",
          "Déchets de poisson de la conserverie", "Substrat de champignons épuisé"]


async def test_leads_held_back_are_reachable_apart(create_user: Callable[[], User]) -> None:
    service: Service = app.state.atelier_service
    territory_id = service.territories()[0]["id"]
    diagnostic = service.diagnostic(lead_session(service))
    contact = {"type": "entreprise", "commune": "Port-Vieux", "contact": {"nom": "Léa", "email": "lea@example.org"}}
    for n, text in enumerate(GIVERS):
        actor = diagnostic.add_actor(territory_id, {**contact, "nom": f"Donneur {n}"})
        diagnostic.save_interview(actor, Interview(capacites=[InterviewItem(categorie="matieres-dechets",
                                                                            description=text)]), 0, "tab")
    cooperative = diagnostic.add_actor(territory_id, {**contact, "nom": "Coopérative des Polders"})
    diagnostic.save_interview(cooperative, Interview(besoins=[InterviewItem(
        categorie="matieres-dechets", description="Fertilisants organiques pour les adhérents")]), 0, "tab")
    held = [v for v in diagnostic.leads(territory_id, held_back=True) if v.held_back]
    assert len(held) >= 2

    fac = create_user()
    await fac.open(f"/connexion?jeton={service.login_link()}")
    await fac.should_see("Console d’animation")
    await fac.open(f"/animation/territoire/{territory_id}/pistes")
    await fac.should_see(marker="held-back", retries=100)  # the detection runs off the event loop
    await fac.should_see(f"{len(held)} autres sources possibles, non proposées (un besoin garde ses trois meilleures)")
    await fac.should_see("non proposée : ce besoin a déjà ses trois meilleures sources")
    await fac.should_see(f"{len(held)} autres sources possibles", marker="held-back")
