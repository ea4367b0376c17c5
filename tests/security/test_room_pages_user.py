"""Issue 11, point 5 through the pages (NiceGUI simulated users): a full workshop tells the phone so; the console
warns near the cap, sets it, flags identities made in bulk and excludes their votes; the selection says so."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import app
from nicegui.testing import User
from prepared import vote_on

from atelier.service import Service


def running_service() -> Service:
    return app.state.atelier_service


async def facilitator(create_user: Callable[[], User]) -> User:
    fac = create_user()
    await fac.open(f"/connexion?jeton={running_service().login_link()}")
    await fac.should_see("Console d’animation")
    return fac


async def test_a_full_workshop_says_so_on_the_phone_and_the_console_warns(create_user: Callable[[], User]) -> None:
    service = running_service()
    workshop = service.workshops()[0]
    fac = await facilitator(create_user)
    await fac.open(f"/animation/atelier/{workshop.id}")
    fac.find(marker="cap").elements.pop().set_value(10)
    fac.find(marker="cap-save").click()
    for n in range(8):
        service.join(workshop.code, f"phone-{n}", f"P{n}", "Org", f"10.0.0.{n + 1}")
    await fac.should_not_see("Bientôt complet")
    service.join(workshop.code, "phone-8", "P8", "Org", "10.0.0.9")
    await fac.should_see("Bientôt complet : 9 participant·es sur 10")  # from 90 %, before it is full
    service.join(workshop.code, "phone-9", "P9", "Org", "10.0.0.10")
    assert service.workshop(workshop.id).settings.max_participants == 10

    phone = create_user()
    await phone.open(f"/j/{workshop.code}")
    phone.find(marker="name").type("Inès")
    phone.find(marker="organisation").type("GAEC du Pré-Haut")
    phone.find(marker="join").click()
    await phone.should_see("Cet atelier est complet (10 participant·es). Adressez-vous à l’animation.")
    assert service.participant_count(workshop.id) == 10


async def test_identities_in_bulk_are_flagged_and_their_votes_excluded(create_user: Callable[[], User]) -> None:
    service = running_service()
    prepared = vote_on(service, ["Camion frigorifique en commun"])
    vote, action = prepared.vote, prepared.actions[0]
    real = service.join(vote.code, "phone-real", "Zoé", "Scierie Dumas", "10.0.0.1")
    service.rate(vote.id, real.id, action.id, 2, 2, "court", "interesse")
    for n in range(6):
        robot = service.join(vote.code, f"script-{n}", f"Robot {n}", f"Fausse {n}", "10.0.0.66")
        service.rate(vote.id, robot.id, action.id, 5, 5, "court", "pilote")
    fac = await facilitator(create_user)
    await fac.open(f"/animation/atelier/{vote.id}")
    await fac.should_see("6 identités créées depuis une même adresse")
    fac.find("Écarter leurs votes").click()
    await fac.should_see("votes écartés")
    await fac.should_see("Compter à nouveau leurs votes")
    results = service.results(vote.id)
    assert (results.voters, results.excluded_votes) == (1, 6)
    assert not results.actions[0].fruit.flagged
    await fac.open(f"/animation/atelier/{vote.id}/selection")
    await fac.should_see("1 votant·es · 6 votes écartés (6 identités créées en nombre depuis une même adresse)")
