"""The phone, thumb-first, and what participants expect from the peers (issue 10), through simulated phones."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import pytest
from board_wall import WallData
from nicegui import app
from nicegui.testing import User
from prepared import lead_session, vote_on

from atelier.models import UNSORTED, Idea, Workshop
from atelier.service import Service


def running_service() -> Service:
    return app.state.atelier_service


def open_ideas(service: Service, **settings: bool) -> Workshop:
    """The demo workshop in its ideas phase, with these participation settings."""
    facilitation = service.as_facilitator(service.log_in(service.reset_facilitator_secret()))
    workshop = service.workshops()[0]
    if settings:
        facilitation.set_participation(workshop.id, **settings)
    return facilitation.move_phase(workshop.id, 1)


async def join_as(user: User, code: str, name: str, organisation: str) -> None:
    await user.open(f"/j/{code}")
    user.find(marker="name").type(name)
    user.find(marker="organisation").type(organisation)
    user.find(marker="join").click()
    await user.should_see(f"Bonjour {name} ({organisation})")


def tap_card_button(user: User, idea_id: int, action: object) -> None:
    """What the browser sends when a button of an own idea's card is tapped: the card's click, naming the button
    (its data-action; the browser tests tap the real buttons)."""
    user.find(marker=f"own-{idea_id}").trigger("click", action)


async def send(user: User, title: str) -> None:
    user.find(marker="idea-title").type(title)
    user.find(marker="send").click()
    await user.should_see(f"Idée reçue : « {title} »")


async def phone_with_one_idea(create_user: Callable[[], User]) -> tuple[Service, User, Idea]:
    """Zoé's phone in the demo workshop's ideas phase, having sent one idea ("Tournée commune")."""
    service = running_service()
    workshop = open_ideas(service)
    phone = create_user()
    await join_as(phone, workshop.code, "Zoé", "Scierie Dumas")
    await send(phone, "Tournée commune")
    [idea] = service.ideas(workshop.id)
    return service, phone, idea


async def facilitator(create_user: Callable[[], User]) -> User:
    link = running_service().login_link()  # the one-time link the demo prints
    fac = create_user()
    await fac.open(f"/connexion?jeton={link}")
    await fac.should_see("Console d’animation")
    return fac


# --- point 1: thumb-first ------------------------------------------------------------------------------------


async def test_rating_progress_and_save_sit_in_the_bottom_bar(create_user: Callable[[], User]) -> None:
    service = running_service()
    workshop = vote_on(service, ["Chaufferie bois partagée", "Camion frigorifique en commun", "Broyeur"]).vote
    phone = create_user()
    await join_as(phone, workshop.code, "Zoé", "Scierie Dumas")
    bar = phone.find(marker="rating-bar").elements.pop()
    assert {e.id for e in bar.descendants()} >= {phone.find(marker="rating-progress").elements.pop().id,
                                                  phone.find(marker="rating-save").elements.pop().id}
    assert "phone-bar" in bar.classes
    await phone.should_see("0/3 notées")
    await phone.should_see("Chaufferie bois partagée")
    phone.find(marker="rating-impact").elements.pop().set_value(4)
    phone.find(marker="rating-ease").elements.pop().set_value(5)
    phone.find(marker="rating-save").click()
    await phone.should_see("1/3 notées")
    assert phone.find(marker="rating-title").elements.pop().text == "Camion frigorifique en commun"
    # The answer to the save sits just above the next action's title, where the page scrolls to.
    status = phone.find(marker="status").elements.pop()
    assert "Note enregistrée" in status.text and "« Chaufferie bois partagée »" in status.text
    assert "rating-top" in status.classes


async def test_withdrawal_is_stored_at_once_and_undo_restores_it(create_user: Callable[[], User],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    service = running_service()
    workshop = open_ideas(service)
    board = create_user()
    await board.open(f"/tableau/{workshop.code}")
    wall = WallData(board)  # board.js draws the cards: the wall is read from the ideas the server sends it
    phone = create_user()
    await join_as(phone, workshop.code, "Zoé", "Scierie Dumas")
    await send(phone, "Broyeur à végétaux en commun")
    await wall.shows("Broyeur à végétaux en commun")
    [idea] = service.ideas(workshop.id)

    tap_card_button(phone, idea.id, "withdraw")
    await phone.should_see("Idée retirée : « Broyeur à végétaux en commun »")
    await phone.should_see("Mes idées (0)")
    await wall.shows("Broyeur à végétaux en commun", present=False)  # withdrawn for real, not just hidden
    assert service.idea(idea.id).withdrawn
    phone.find(marker=f"undo-{idea.id}").click()
    await phone.should_see("Mes idées (1)")
    await phone.should_not_see("Idée retirée")
    await wall.shows("Broyeur à végétaux en commun")
    assert not service.idea(idea.id).withdrawn

    # Without undo, the card goes after a few seconds, and the idea stays withdrawn, reload or not.
    # The app's modules are loaded afresh for each test: patch the one this test's app runs.
    monkeypatch.setattr(importlib.import_module("atelier.ui.phone"), "UNDO_SECONDS", 0.3)
    tap_card_button(phone, idea.id, "withdraw")
    await phone.should_see("Idée retirée")
    await phone.should_not_see("Idée retirée", retries=30)
    await phone.should_not_see(marker=f"undo-{idea.id}")
    await phone.open(f"/j/{workshop.code}")
    await phone.should_see("Mes idées (0)")
    assert service.idea(idea.id).withdrawn


async def test_withdraw_stands_apart_from_edit(create_user: Callable[[], User]) -> None:
    _, phone, idea = await phone_with_one_idea(create_user)
    card = phone.find(marker=f"own-{idea.id}").elements.pop()
    # The card's text takes a full line, then the two buttons share the next at its two ends (the card's
    # phone-own-shown rule wraps and spaces them; the browser test measures the gap in pixels).
    assert "phone-own-shown" in card.classes
    text = card.content
    assert text.index("Tournée commune") < text.index(f'data-testid="edit-{idea.id}"') \
        < text.index(f'data-testid="withdraw-{idea.id}"')
    assert ">Modifier<" in text and ">Retirer<" in text


async def test_a_card_ignores_what_is_not_one_of_its_buttons(create_user: Callable[[], User]) -> None:
    service, phone, idea = await phone_with_one_idea(create_user)
    for junk in ("delete", "", None, 42, {"action": "withdraw"}, ["withdraw", "edit"], "x" * 10_000):
        tap_card_button(phone, idea.id, junk)
    await phone.should_see("Mes idées (1)")
    await phone.should_not_see("Idée retirée")
    assert not service.idea(idea.id).withdrawn
    tap_card_button(phone, idea.id, "edit")
    await phone.should_see(marker="edit-title")
    assert phone.find(marker="edit-title").elements.pop().value == "Tournée commune"


async def test_an_idea_without_category_waits_to_be_sorted(create_user: Callable[[], User]) -> None:
    service = running_service()
    workshop = open_ideas(service)
    board = create_user()
    await board.open(f"/tableau/{workshop.code}")
    wall = WallData(board)
    fac = await facilitator(create_user)
    await fac.open(f"/animation/atelier/{workshop.id}")
    phone = create_user()
    await join_as(phone, workshop.code, "Zoé", "Scierie Dumas")
    assert phone.find(marker="idea-category").elements.pop().value is None  # nothing chosen for the person
    await send(phone, "Une idée sans case")
    [idea] = service.ideas(workshop.id)
    assert idea.category == UNSORTED.key
    await wall.shows("Une idée sans case")
    assert wall.ideas[idea.id]["c"] == UNSORTED.key
    await fac.should_see("À classer", retries=20)  # the console redraws changes in batches
    with fac:
        fac.find(marker=f"moderate-{idea.id}").click()
    await fac.should_see(marker="moderate-title")
    assert service.categories(workshop.territory_id)[-1] == UNSORTED  # offered last, in every category list
    # The facilitator sorts it.
    service.as_facilitator(lead_session(service)).edit_idea(idea.id, idea.title, "", "energie")
    await wall.card_has(idea.id, "c", "energie")
    assert service.idea(idea.id).category == "energie"


async def test_closed_message_names_the_current_phase(create_user: Callable[[], User]) -> None:
    service = running_service()
    workshop = open_ideas(service)
    phone = create_user()
    await join_as(phone, workshop.code, "Zoé", "Scierie Dumas")
    facilitation = service.as_facilitator(lead_session(service))
    facilitation.move_phase(workshop.id, 1)
    await phone.should_see("Les idées sont fermées pendant la phase « Regroupement »")
    facilitation.move_phase(workshop.id, 1)
    await phone.should_see("Clôture")
    await phone.should_not_see("« Regroupement »")
    assert "Clôture" in phone.find(marker="closed-reason").elements.pop().text


# --- point 2: the peers --------------------------------------------------------------------------------------


async def test_the_others_ideas_are_built_when_opened_and_open_again_after_closing(
        create_user: Callable[[], User]) -> None:
    service = running_service()
    workshop = open_ideas(service, peer_ideas=True)
    writer, reader = create_user(), create_user()
    await join_as(writer, workshop.code, "Zoé", "Scierie Dumas")
    await join_as(reader, workshop.code, "Marc", "Garage du Pont")
    await send(writer, "Broyeur partagé")
    await reader.should_see(marker="peers-open")
    await reader.should_not_see(marker="peers-order")  # nothing of the list is built before it is opened
    for _ in range(2):  # open, close, open again
        reader.find(marker="peers-open").click()
        await reader.should_see("Idées des autres (1)")
        await reader.should_see("Broyeur partagé")
        reader.find(marker="peers-close").click()
        await reader.should_not_see("Broyeur partagé")
        await reader.should_see(marker="peers-open")


async def test_phones_read_and_support_the_others_ideas_live(create_user: Callable[[], User]) -> None:
    service = running_service()
    workshop = open_ideas(service, peer_ideas=True)
    people = [("Zoé", "Scierie Dumas"), ("Marc", "Garage du Pont"), ("Inès", "Épicerie")]
    phones = [create_user() for _ in people]
    for phone, (name, organisation) in zip(phones, people, strict=True):
        await join_as(phone, workshop.code, name, organisation)
        phone.find(marker="peers-open").click()
        await phone.should_see("Idées des autres (0)")
    await send(phones[0], "Chaufferie bois partagée")
    [idea] = service.ideas(workshop.id)
    service.hub.flush_peer_batches()  # the app's loop does it twice a second
    for phone in phones[1:]:
        await phone.should_see("Nouvelles idées : 1 — afficher")  # live, without reloading
        phone.find(marker="peers-news").click()
        await phone.should_see("Chaufferie bois partagée")
        await phone.should_see("Idées des autres (1)")
    await phones[0].should_see("Idées des autres (0)")  # one's own idea is not in the others' list

    phones[1].find(marker=f"support-{idea.id}").click()
    await phones[1].should_see("+1 · 1")
    service.hub.flush_peer_batches()
    await phones[2].should_see("+1 · 1")  # fanned out live to the other phones
    assert service.ideas(workshop.id)[0].support == 1  # and on the idea data boards and consoles read
    phones[2].find(marker=f"support-{idea.id}").click()
    service.hub.flush_peer_batches()
    await phones[1].should_see("+1 · 2")
    phones[1].find(marker=f"support-{idea.id}").click()  # a second tap takes the support back
    service.hub.flush_peer_batches()
    await phones[2].should_see("+1 · 1")
    assert service.ideas(workshop.id)[0].support == 1
    button = phones[2].find(marker=f"support-{idea.id}").elements.pop()
    assert button.props["aria-pressed"] == "true"
    await phones[1].open(f"/j/{workshop.code}")  # survives a reload
    phones[1].find(marker="peers-open").click()
    await phones[1].should_see("+1 · 1")
    assert phones[1].find(marker=f"support-{idea.id}").elements.pop().props["aria-pressed"] == "false"


async def test_the_others_ideas_come_a_page_at_a_time_newest_or_most_supported(
        create_user: Callable[[], User]) -> None:
    service = running_service()
    workshop = open_ideas(service, peer_ideas=True)
    authors = [service.join(workshop.code, f"author-{n}", f"Auteur {n}", f"Structure {n}") for n in range(5)]
    ideas = []
    for n in range(25):
        service._sends.clear()  # the pace limit is per person; these are five people over a while
        ideas.append(service.submit_idea(workshop.id, authors[n % 5].id, f"client-id-{n:04d}", f"Idée n° {n + 1}",
                                         "", "energie"))
    for supporter in (authors[0], authors[1], authors[3]):  # not its author, authors[2]
        service.toggle_support(supporter.id, ideas[2].id)
    phone = create_user()
    await join_as(phone, workshop.code, "Zoé", "Scierie Dumas")
    phone.find(marker="peers-open").click()
    await phone.should_see("Idées des autres (25)")
    await phone.should_see("Idée n° 25")

    def drawn() -> list[int]:
        return [i.id for i in ideas if phone._gather_elements(None, None, f"peer-{i.id}", None)]

    assert drawn() == [i.id for i in ideas[5:]]  # the 20 newest
    await phone.should_not_see("Idée n° 3")
    phone.find(marker="peers-more").click()
    await phone.should_see("Idée n° 3")
    assert len(drawn()) == 25
    await phone.should_not_see(marker="peers-more")
    phone.find(marker="peers-order").elements.pop().set_value("support")
    await phone.should_see("+1 · 3")
    card = phone.find(marker=f"peer-{ideas[2].id}").elements.pop()
    assert card.parent_slot.children.index(card) == 0  # the most supported on top
    assert service.ideas(workshop.id)[2].support == 3


async def test_peer_reading_is_a_setting_the_console_switches(create_user: Callable[[], User]) -> None:
    service = running_service()
    workshop = open_ideas(service, peer_ideas=False)
    author, reader = create_user(), create_user()
    await join_as(author, workshop.code, "Zoé", "Scierie Dumas")
    await join_as(reader, workshop.code, "Marc", "Garage du Pont")
    await send(author, "Chaufferie bois partagée")
    await reader.should_not_see(marker="peers-open")
    await reader.should_not_see("Chaufferie bois partagée")
    fac = await facilitator(create_user)
    await fac.open(f"/animation/atelier/{workshop.id}")
    with fac:
        fac.find(marker="setting-peer_ideas").elements.pop().set_value(True)
    await reader.should_see(marker="peers-open")  # the open phone follows the switch
    reader.find(marker="peers-open").click()
    await reader.should_see("Chaufferie bois partagée")
    assert service.workshop(workshop.id).settings.peer_ideas  # stored: a reload finds it on
    await reader.open(f"/j/{workshop.code}")
    await reader.should_see(marker="peers-open")
    await fac.open(f"/animation/atelier/{workshop.id}")
    assert fac.find(marker="setting-peer_ideas").elements.pop().value is True
    with fac:
        fac.find(marker="setting-peer_ideas").elements.pop().set_value(False)
    await reader.should_not_see(marker="peers-open")


async def test_anonymous_workshop_asks_no_name_and_never_projects_the_organisation(
        create_user: Callable[[], User]) -> None:
    service = running_service()
    workshop = open_ideas(service, anonymous=True)
    board = create_user()
    await board.open(f"/tableau/{workshop.code}")
    wall = WallData(board)
    phone = create_user()
    await phone.open(f"/j/{workshop.code}")
    await phone.should_see("Atelier anonyme : votre nom n’est pas demandé.")
    await phone.should_not_see(marker="name")
    phone.find(marker="organisation").type("Scierie Dumas")
    phone.find(marker="join").click()
    await phone.should_see("Vous participez anonymement.")
    await send(phone, "Idée sans nom")
    silent = create_user()  # the organisation is optional too
    await silent.open(f"/j/{workshop.code}")
    silent.find(marker="join").click()
    await silent.should_see("Vous participez anonymement.")
    await send(silent, "Idée sans structure")
    await wall.shows("Idée sans nom")
    await wall.shows("Idée sans structure")
    await wall.shows("Scierie Dumas", present=False)
    await board.should_not_see("Scierie Dumas")
    assert all(i.organisation == "" and i.author == "" for i in service.wall(workshop.id))


async def test_premoderated_ideas_wait_in_the_console_queue(create_user: Callable[[], User]) -> None:
    service = running_service()
    workshop = open_ideas(service, premoderation=True)
    board = create_user()
    await board.open(f"/tableau/{workshop.code}")
    wall = WallData(board)
    fac = await facilitator(create_user)
    await fac.open(f"/animation/atelier/{workshop.id}")
    await fac.should_see("Idées à valider (0)")
    phone = create_user()
    await join_as(phone, workshop.code, "Zoé", "Scierie Dumas")
    await send(phone, "Idée à valider")
    await send_later(phone, "Idée hors sujet")
    await phone.should_see("en attente de validation par l’animation")
    await fac.should_see("Idées à valider (2)")
    await wall.shows("Idée à valider", present=False)
    first, second = service.ideas(workshop.id)
    with fac:
        fac.find(marker=f"approve-{first.id}").click()
        fac.find(marker=f"reject-{second.id}").click()
    await wall.shows("Idée à valider")
    await fac.should_see("Idées à valider (0)")
    await wall.shows("Idée hors sujet", present=False)
    assert service.idea(second.id).hidden and not service.idea(second.id).pending
    await phone.should_see("masquée par l’animation")


async def send_later(user: User, title: str) -> None:
    """A second idea from the same phone, past the 3-second pace limit (the clock is moved, not waited for)."""
    service = running_service()
    for participant, times in service._sends.items():
        service._sends[participant] = [t - 10 for t in times]
    await send(user, title)


# --- point 5: people's data ----------------------------------------------------------------------------------


async def test_join_form_says_what_the_data_is_for(create_user: Callable[[], User]) -> None:
    service = running_service()
    key = service.territories()[0]["key"]
    visitor = create_user()
    await visitor.open(f"/reseau/{key}/rejoindre")
    await visitor.should_see("Vos données")
    await visitor.should_see("À quoi elles servent")
    await visitor.should_see("Qui les voit : l’animation du réseau seulement.")
    await visitor.should_see("Pour les faire effacer")


async def test_facilitator_erases_a_participant_with_a_trace(create_user: Callable[[], User]) -> None:
    service = running_service()
    workshop = open_ideas(service)
    phone = create_user()
    await join_as(phone, workshop.code, "Zoé Martin", "Scierie Dumas")
    [participant] = service.participants(workshop.id)
    fac = await facilitator(create_user)
    await fac.open(f"/animation/territoire/{workshop.territory_id}/donnees")
    await fac.should_see("Zoé Martin")
    with fac:
        fac.find(marker=f"erase-participant-{participant.id}").click()
    await fac.should_see(marker="erase-confirm")
    with fac:
        fac.find(marker="erase-confirm").click()
    await fac.should_see("Données effacées.")
    await fac.should_not_see("Zoé Martin")
    await fac.should_see("participant — par Animation principale")
    assert service.participants(workshop.id)[0].name == ""
    await phone.open(f"/j/{workshop.code}")  # the phone is no longer tied to the erased person
    await phone.should_see("Rejoindre l’atelier")

    actor_id, actor = next((i, a) for i, a in service.store.actors(workshop.territory_id) if a.contact.email)
    await fac.should_see(actor.contact.email)
    with fac:
        fac.find(marker=f"erase-contact-{actor_id}").click()
    await fac.should_see(marker="erase-confirm")
    with fac:
        fac.find(marker="erase-confirm").click()
    await fac.should_see("contact d’acteur — par Animation principale")
    await fac.should_not_see(actor.contact.email)
    assert service.store.actor(actor_id)[1].contact.email == ""


async def test_the_same_facilitator_name_is_refused(create_user: Callable[[], User]) -> None:
    fac = await facilitator(create_user)
    await fac.open("/animation/roles")
    for name in ("Hélène Dumas", "helene  dumas"):
        fac.find(marker="co-name").type(name)
        fac.find(marker="co-add").click()
    await fac.should_see("Une personne porte déjà ce nom parmi l’animation")
    names = [f.name for f in running_service().store.facilitators()]
    assert names.count("Hélène Dumas") == 1 and "helene  dumas" not in names


async def test_pages_carry_the_app_style_once_and_no_copy_of_their_own(create_user: Callable[[], User]) -> None:
    """The style and script are the app's, in every page's head once; a page keeps only its language fix (each
    connected phone kept a 23 kB copy of them before)."""
    from atelier.ui.common import PAGE_HEAD

    workshop = running_service().workshops()[0]
    phones = [create_user() for _ in range(2)]
    for phone in phones:
        await phone.open(f"/j/{workshop.code}")
        await phone.should_see(marker="join")
        client = phone.client
        assert client is not None
        assert client.head_html.count(PAGE_HEAD) == 1
        assert PAGE_HEAD not in client._head_html
        assert 'document.documentElement.lang = "fr"' in client._head_html
        # The contrasted colours are the app's too, not an element of each page.
        assert not [e for e in client.elements.values() if type(e).__name__ == "Colors"]
    assert app.config.quasar_config["brand"]["primary"] == "#0b5cad"
    assert app.config.quasar_config["brand"]["negative"] == "#b00020"
