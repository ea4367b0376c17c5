"""The facilitator's console with many ideas, through NiceGUI's simulated users."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from nicegui import app
from nicegui.testing import User

from atelier.rules.groupings import IdeaText, Suggestion, suggest_groupings
from atelier.service import Service
from atelier.ui import suggestions


def running_service() -> Service:
    return app.state.atelier_service


async def open_console(create_user: Callable[[], User], ideas: list[tuple[str, str]]) -> tuple[User, int]:
    """The demo's workshop 1 in its ideas phase with these (title, category) ideas, one phone each."""
    service = running_service()
    secret = service.reset_facilitator_secret()
    facilitation = service.as_facilitator(service.log_in(secret))
    workshop = facilitation.move_phase(service.workshops()[0].id, 1)
    for n, (title, category) in enumerate(ideas):
        phone = service.join(workshop.code, f"phone-{n}", f"Personne {n}", f"Structure {n}")
        service.submit_idea(workshop.id, phone.id, f"client-id-{n:04d}", title, "", category)
    fac = create_user()
    await fac.open(f"/connexion?jeton={service.login_link()}")  # the one-time link, never the code
    await fac.open(f"/animation/atelier/{workshop.id}")
    return fac, workshop.id


def shown_titles(user: User) -> list[str]:
    """The titles in the list, top to bottom (`find` gives a set: read the list's own children in order)."""
    with user:
        column = user.find(marker="ideas").elements.pop()
    return [e.text for e in column.descendants() if "idea-title" in e._markers]


async def test_sort_filter_search_and_pages(create_user: Callable[[], User]) -> None:
    ideas = [(f"Idée numéro {n}", "energie" if n % 2 else "eau") for n in range(1, 61)]
    ideas[6] = ("Chaufferie à plaquettes", "energie")
    fac, _ = await open_console(create_user, ideas)
    await fac.should_see("Idées (60)")
    assert shown_titles(fac)[:2] == ["Idée numéro 60", "Idée numéro 59"]  # newest first
    assert len(shown_titles(fac)) == 50  # one page; the rest a tap away
    fac.find(marker="idea-pages").elements.pop().set_value(2)
    await fac.should_see("Idée numéro 1")
    assert len(shown_titles(fac)) == 10

    fac.find(marker="idea-filter").elements.pop().set_value("eau")
    await fac.should_see("Idées (60) · 30 affichées")
    assert all(int(t.split()[-1]) % 2 == 0 for t in shown_titles(fac))
    fac.find(marker="idea-sort").elements.pop().set_value("categorie")
    fac.find(marker="idea-filter").elements.pop().set_value("*toutes")
    await fac.should_see("Idées (60)")
    titles = shown_titles(fac)  # énergie (odd numbers) comes before eau in the territory's order, newest first
    assert titles[:3] == ["Idée numéro 59", "Idée numéro 57", "Idée numéro 55"]
    assert titles[30:32] == ["Idée numéro 60", "Idée numéro 58"]

    fac.find(marker="idea-search").type("CHAUFFERIE plaquette")  # case, accents and plural folded
    await fac.should_see("Idées (60) · 1 affichées", retries=20)
    assert shown_titles(fac) == ["Chaufferie à plaquettes"]


async def test_promote_from_the_row_and_hidden_filter(create_user: Callable[[], User]) -> None:
    fac, workshop_id = await open_console(create_user, [("Camion frigo partagé", "transport-logistique"),
                                                        ("Idée hors sujet", "energie")])
    service = running_service()
    first, second = service.ideas(workshop_id)
    fac.find(marker=f"promote-{first.id}").click()
    await fac.should_see("Action candidate créée : « Camion frigo partagé »")
    await fac.should_see("(Structure 0) · action candidate", retries=20)
    await fac.should_not_see(marker=f"promote-{first.id}")  # once an action, the button goes
    assert [a.title for a in service.candidate_actions(service.territories()[0]["id"])][-1] == "Camion frigo partagé"

    fac.find(marker=f"hide-{second.id}").click()
    await fac.should_see("(Structure 1) · masquée", retries=20)
    fac.find(marker="idea-filter").elements.pop().set_value("*masquees")
    await fac.should_see("Idées (2) · 1 affichées")
    assert shown_titles(fac) == ["Idée hors sujet"]


async def test_suggested_grouping_merged_in_one_tap_and_stands_in_place(create_user: Callable[[], User]) -> None:
    fac, workshop_id = await open_console(create_user, [
        ("Broyeur à végétaux en commun", "matieres-dechets"), ("Camion frigo", "transport-logistique"),
        ("Acheter un broyeur de végétaux", "matieres-dechets"),
        ("Covoiturage domicile-travail", "transport-logistique"),
    ])
    await fac.should_see("Regroupements suggérés (1)")
    with fac:
        panel = fac.find(marker="suggestions-panel").elements.pop()
    assert panel.value is False  # folded, its count in the header: the list of ideas stays in the first screen
    panel.set_value(True)
    await fac.should_see("« Acheter un broyeur de végétaux » · « Broyeur à végétaux en commun »")
    await fac.should_see("Mots communs : broyeur, végétaux")
    fac.find(marker="suggestion-merge").click()
    await fac.should_see("2 idées regroupées.")
    await fac.should_not_see("Regroupements suggérés", retries=20)
    # The group takes its oldest idea's title and stands where its newest idea stood (third from the top).
    await fac.should_see("Regroupe : Broyeur à végétaux en commun · Acheter un broyeur de végétaux", retries=20)
    assert shown_titles(fac) == ["Covoiturage domicile-travail", "Broyeur à végétaux en commun", "Camion frigo"]
    group = next(i for i in running_service().wall(workshop_id) if i.is_group)
    assert sorted(m.title for m in running_service().group_members(group.id)) == [
        "Acheter un broyeur de végétaux", "Broyeur à végétaux en commun"]


async def test_dismissed_suggestion_stays_dismissed_after_reload(create_user: Callable[[], User]) -> None:
    fac, workshop_id = await open_console(create_user, [("Broyeur de végétaux", "matieres-dechets"),
                                                        ("Un broyeur à végétaux", "matieres-dechets")])
    await fac.should_see("Regroupements suggérés (1)")
    fac.find("Ignorer").click()
    await fac.should_not_see("Regroupements suggérés")
    await fac.open(f"/animation/atelier/{workshop_id}")
    await fac.should_see("Idées (2)")
    await fac.should_not_see("Regroupements suggérés")


async def test_ideas_from_phones_reach_every_open_console_live_newest_first(create_user: Callable[[], User]) -> None:
    fac, workshop_id = await open_console(create_user, [(f"Idée numéro {n}", "eau") for n in range(1, 51)])
    service = running_service()
    code = service.workshop(workshop_id).code
    await fac.should_see("Idées (50)")
    second = create_user()  # a co-facilitator's console on the same workshop, searching
    await second.open(f"/connexion?jeton={service.login_link()}")
    await second.open(f"/animation/atelier/{workshop_id}")
    second.find(marker="idea-search").type("chaufferie")
    await second.should_see("Idées (50) · 0 affichées", retries=20)
    phone = service.join(code, "phone-live", "Zoé", "Scierie Dumas")
    service.submit_idea(workshop_id, phone.id, "live-0001", "Chaufferie bois partagée", "", "energie")
    await fac.should_see("Chaufferie bois partagée", retries=20)
    await fac.should_see("Idées (51)")
    assert shown_titles(fac)[:2] == ["Chaufferie bois partagée", "Idée numéro 50"]
    await second.should_see("Idées (51) · 1 affichées", retries=20)  # its search holds for the new idea too
    assert shown_titles(second) == ["Chaufferie bois partagée"]
    # A burst of 30 ideas at once: drawn together, none lost, still newest first on one page of 50.
    phones = [service.join(code, f"phone-burst-{n}", f"Personne {n}", "Scierie Dumas").id for n in range(30)]
    for n, phone_id in enumerate(phones):
        service.submit_idea(workshop_id, phone_id, f"burst-{n:04d}", f"Idée en rafale {n}", "", "eau")
    await fac.should_see("Idées (81)", retries=20)
    await fac.should_see("Idée en rafale 29")
    await fac.should_see("Idée en rafale 0", retries=30)  # a few rows a redraw, the newest first
    titles = shown_titles(fac)
    assert titles[:2] == ["Idée en rafale 29", "Idée en rafale 28"] and len(titles) == 50


async def test_consoles_on_one_workshop_share_the_suggested_groupings(create_user: Callable[[], User],
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The grouping rule runs once for every console open on the workshop (each run holds the phones' loop), and a
    new similar idea reaches the suggestions of both."""
    runs: list[int] = []

    def counted(ideas: Sequence[IdeaText], dismissed: frozenset[str] = frozenset()) -> list[Suggestion]:
        runs.append(len(ideas))
        return suggest_groupings(ideas, dismissed)

    monkeypatch.setattr(suggestions, "suggest_groupings", counted)
    fac, workshop_id = await open_console(create_user, [("Broyeur à végétaux en commun", "matieres-dechets"),
                                                        ("Camion frigo", "transport-logistique")])
    service = running_service()
    await fac.should_see("Idées (2)")
    await fac.should_not_see("Regroupements suggérés")
    second = create_user()
    await second.open(f"/connexion?jeton={service.login_link()}")
    await second.open(f"/animation/atelier/{workshop_id}")
    await second.should_see("Idées (2)")
    assert runs == [2]  # the second console got the first one's suggestions for the same ideas
    phone = service.join(service.workshop(workshop_id).code, "phone-similar", "Zoé", "Scierie Dumas")
    service.submit_idea(workshop_id, phone.id, "similar-0001", "Acheter un broyeur de végétaux", "",
                        "matieres-dechets")
    for user in (fac, second):
        await user.should_see("Regroupements suggérés (1)", retries=40)
        await user.should_see("« Acheter un broyeur de végétaux » · « Broyeur à végétaux en commun »")
    assert runs == [2, 3]


async def test_board_steering_starts_folded_and_opens_in_one_click(create_user: Callable[[], User]) -> None:
    fac, workshop_id = await open_console(create_user, [("Camion frigo partagé", "transport-logistique")])
    await fac.should_see("Camion frigo partagé")
    with fac:
        panel = fac.find(marker="board-control").elements.pop()
    assert panel.value is False  # folded: the list of ideas is in the first screen
    await fac.should_not_see(marker="board-preview")  # the preview board is not even loaded yet
    panel.set_value(True)  # one click on its header
    await fac.should_see(marker="board-preview")
    fac.find(marker="board-pause").click()
    await fac.should_see("Reprendre les pages")
    assert running_service().board_state(workshop_id).paused
    assert panel.value is True  # stays open while the page lives
    await fac.should_see(marker="board-preview")


async def test_timer_setting_shows_the_countdown_minutes(create_user: Callable[[], User]) -> None:
    fac, workshop_id = await open_console(create_user, [])
    phase = running_service().workshop(workshop_id).phase
    assert fac.find(marker="timer-minutes").elements.pop().value == phase.minutes
    fac.find(marker="timer-minutes").elements.pop().set_value(7)
    fac.find(marker="timer-set").click()
    await fac.should_see(marker="timer-minutes")
    assert running_service().workshop(workshop_id).timer_remaining == 7 * 60
    fac.find(marker="next-phase").click()
    await fac.should_see("Phase 3/4")
    minutes = running_service().workshop(workshop_id).phase.minutes
    assert fac.find(marker="timer-minutes").elements.pop().value == minutes


async def test_selection_console_says_why_and_prefills_from_the_votes(create_user: Callable[[], User]) -> None:
    from prepared import vote_on

    service = running_service()
    prepared = vote_on(service, ["Chaufferie bois partagée", "Camion frigorifique en commun"])
    w, (heating, truck) = prepared.vote, prepared.actions
    for n, organisation in enumerate(["Scierie Dumas", "Brasserie La Fourche", "GAEC du Pré-Haut"]):
        phone = service.join(w.code, f"voter-{n}", f"Votant {n}", organisation)
        service.rate(w.id, phone.id, heating.id, 4, 3, "court", "pilote" if n else "contributeur")
        service.rate(w.id, phone.id, truck.id, 4, 5, "moyen" if n else "court", "contributeur")
    fac = create_user()
    await fac.open(f"/connexion?jeton={service.login_link()}")
    await fac.open(f"/animation/atelier/{w.id}/selection")
    await fac.should_see("Pas un fruit à portée de main : facile 3/5, il faut 4")
    await fac.should_see("Pas un fruit à portée de main : horizon moyen terme, il faut court terme ; aucun pilote")
    await fac.should_see("Horizon voté : court terme 1 · moyen terme 2 · long terme 0")
    assert fac.find(marker=f"horizon-{truck.id}").elements.pop().value == "moyen"  # the majority of the votes
    pilot = fac.find(marker=f"pilot-{heating.id}").elements.pop()
    assert pilot.value == "Brasserie La Fourche"  # the first volunteer, until the facilitator confirms one
    assert pilot.options == {"": "–", "Brasserie La Fourche": "Brasserie La Fourche (volontaire pour piloter)",
                             "GAEC du Pré-Haut": "GAEC du Pré-Haut (volontaire pour piloter)",
                             "Scierie Dumas": "Scierie Dumas"}

    fac.find(marker=f"select-{truck.id}").click()
    await fac.should_see("→ Groupe de travail (liste du plan d’action : moyen ou long terme, ou choisi)", retries=30)
    await fac.open(f"/animation/territoire/{w.territory_id}/groupes")  # the dashboard offers the same list
    await fac.should_see(marker=f"create-group-{truck.id}")
    await fac.should_not_see(marker=f"create-group-{heating.id}")


async def test_a_burst_of_ideas_is_drawn_in_few_small_redraws_and_every_idea_shows(
        create_user: Callable[[], User], monkeypatch: pytest.MonkeyPatch) -> None:
    """A slow redraw (here 60 ms, as new rows cost in a big room) spaces the next ones by its own cost, and each
    builds a few rows only, the page's top first, so the loop is never held long: a burst of 40 ideas arriving while
    the console draws is a handful of redraws, each idea's row is built once, and every idea ends up in the list."""
    fac, workshop_id = await open_console(create_user, [])
    service = running_service()
    code = service.workshop(workshop_id).code
    # The app's modules are imported afresh for each test: patch the class the running console is made of.
    module = sys.modules["atelier.ui.console"]
    console_class = module.WorkshopConsole
    draws: list[int] = []  # rows built by each redraw
    built: list[int] = []  # the ideas whose row was built
    consoles: list[Any] = []
    slow_draw, fill_row = console_class.draw_list, console_class.fill_row

    def counted(console: Any, changed: set[int], most_rows: int | None = None) -> None:
        consoles.append(console)
        before = len(built)
        time.sleep(0.06)
        slow_draw(console, changed, most_rows)
        draws.append(len(built) - before)

    def counted_row(console: Any, row: Any, idea: Any, members: Any) -> None:
        built.append(idea.id)
        fill_row(console, row, idea, members)

    monkeypatch.setattr(console_class, "draw_list", counted)
    monkeypatch.setattr(console_class, "fill_row", counted_row)
    titles = [f"Idée en rafale {n:02d}" for n in range(40)]
    for n, title in enumerate(titles):
        phone = service.join(code, f"burst-{n}", f"Rafale {n}", "Structure")
        service.submit_idea(workshop_id, phone.id, f"burst-client-{n:04d}", title, "", "energie")
        await asyncio.sleep(0.01)  # the phones' messages arrive one loop turn apart
    for _ in range(100):
        if set(titles) <= set(shown_titles(fac)):
            break
        await asyncio.sleep(0.1)
    assert set(titles) <= set(shown_titles(fac))
    assert len(built) == len(set(built)) == 40  # each new idea's row built, once
    assert max(draws) <= module.ROWS_PER_REDRAW  # never a whole page at once
    assert len(draws) <= 12  # not one redraw per idea
    # The next redraw that follows ideas waits nine times the last one's cost (0.06 s here), never over 2 s.
    assert 9 * 0.06 <= consoles[-1].redraw_gap <= 2.0
    # The newest first: the list's order is the page's, whatever the order the rows were built in.
    assert shown_titles(fac)[:40] == titles[::-1]
