"""End to end on a 360×740 touch phone (issue 10): the rating screen keeps the action in view, a withdrawal can
be undone, a 300-letter word never widens a page, and a +1 from one phone shows on another, live.
One server for the file, with what 8 phones would have left: 64 ideas in workshop 1 and 12 actions to rate."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from browsing import log_in
from playwright.sync_api import Browser, Page, expect
from prepared import actions_open_for_the_vote, lead_session

from atelier.launch import RunningServer, start_demo

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
LONG_WORD = "https://exemple.fr/" + "a" * 281  # 300 characters without a space
ACTIONS = ["Chaufferie à copeaux partagée", "Légumerie intercommunale", "Camion frigorifique en commun",
           "Broyeur à végétaux", "Achat groupé d’emballages", "Emploi partagé de comptable",
           "Tournée commune de livraison", "Salle de réunion partagée", "Récupération des palettes",
           "Compostage collectif", "Formation sécurité commune", "Mutualisation des " + "x" * 100]
SUPPORTED = "Camion frigorifique partagé entre fermes"
TOPICS = ["Palettes", "Cartons", "Chaleur", "Camion", "Broyeur", "Compost", "Emploi", "Salle"]


@dataclass
class Prepared:
    server: RunningServer
    ideas_code: str
    vote_code: str
    support_idea: str  # the title of an idea the +1 test supports


def prepare(db_path: Path) -> tuple[str, str, str]:
    """Workshop 1 (ideas, peers on) holds 64 ideas from 8 phones; workshop 2 is open for the vote on 12 actions,
    one of them selected for the plan. Returns both join codes and the idea to support."""
    prepared = actions_open_for_the_vote(db_path, ACTIONS)
    service, facilitation = prepared.service, prepared.facilitation
    first = next(w for w in service.workshops() if w.template_key == "co-construction")
    facilitation.set_participation(first.id, peer_ideas=True)
    selection = service.selection(lead_session(service))
    selection.edit_action(prepared.actions[-1].id, ACTIONS[-1], f"Détails : {LONG_WORD}", "energie", "", [])
    selection.select(prepared.vote.id, prepared.actions[-1].id)
    phones = [service.join(first.code, f"phone-{n}", f"Personne {n}", f"Structure {n}") for n in range(8)]
    count = len(service.ideas(first.id))
    n = 0
    while count < 64:
        phone = phones[n % 8]
        details = LONG_WORD if n == 49 else f"Proposée par la structure {n % 8}, à discuter en groupe."
        service._sends.clear()  # the pace limit is for people; this is the set-up of what they left
        title = SUPPORTED if n == 48 else f"{TOPICS[n % 8]} : idée n° {n + 1}"
        service.submit_idea(first.id, phone.id, f"prepared-idea-{n:04d}", title, details,
                            "" if n % 5 == 0 else "matieres-dechets")
        n += 1
        count += 1
    prepared.close()
    return first.code, prepared.vote.code, SUPPORTED


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prepared]:
    directory = tmp_path_factory.mktemp("e2e-phone")
    ideas_code, vote_code, support_idea = prepare(directory / "atelier.sqlite")
    running = start_demo(directory)
    yield Prepared(running, ideas_code, vote_code, support_idea)
    running.stop()


def join(browser: Browser, base_url: str, code: str, name: str, organisation: str) -> Page:
    phone = browser.new_context(**PHONE).new_page()
    phone.goto(f"{base_url}/j/{code}")
    phone.get_by_test_id("name").fill(name)
    phone.get_by_test_id("organisation").fill(organisation)
    phone.get_by_test_id("join").tap()
    expect(phone.get_by_test_id("hello")).to_have_text(f"Bonjour {name} ({organisation})")
    return phone


def in_viewport(page: Page, test_id: str) -> bool:
    box = page.get_by_test_id(test_id).bounding_box()
    assert box is not None
    return box["y"] >= 0 and box["y"] + box["height"] <= 740


def horizontal_overflow(page: Page) -> int:
    """How many pixels the page is wider than the screen (0 when nothing sticks out)."""
    return page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")


def test_the_next_action_is_in_view_after_each_save(prepared: Prepared, browser: Browser, artifacts: Path) -> None:
    phone = join(browser, prepared.server.base_url, prepared.vote_code, "Zoé", "Scierie Dumas")
    expect(phone.get_by_test_id("rating-progress")).to_have_text("0/12 notées")
    for n in range(12):
        title = phone.get_by_test_id("rating-title").text_content()
        assert in_viewport(phone, "rating-title"), f"the title of action {n + 1} is out of view"
        phone.get_by_test_id("rating-impact").get_by_role("button", name="4", exact=True).tap()
        phone.get_by_test_id("rating-ease").get_by_role("button", name="5", exact=True).tap()
        phone.get_by_test_id("rating-horizon").get_by_role("button", name="Court terme").tap()
        phone.get_by_test_id("rating-engagement").get_by_role("button", name="Je contribue").tap()
        assert in_viewport(phone, "rating-save"), "the save button is out of the thumb's reach"
        if n == 3:
            phone.screenshot(path=artifacts / "phone-rating-bar-360x740.png")
        phone.get_by_test_id("rating-save").tap()
        expect(phone.get_by_test_id("rating-progress")).to_have_text(f"{n + 1}/12 notées")
        expect(phone.get_by_test_id("status")).to_contain_text(f"« {title} »" if n < 11 else "Toutes les actions")
        # The page has scrolled back: the next action's title (and the answer above it) are on screen.
        phone.wait_for_function("document.querySelector('[data-testid=rating-title]').getBoundingClientRect().top"
                                " < window.innerHeight / 2")
        assert in_viewport(phone, "rating-title") and in_viewport(phone, "status")
        assert horizontal_overflow(phone) == 0
    phone.screenshot(path=artifacts / "phone-rating-done-360x740.png")
    phone.goto(f"{prepared.server.base_url}/plan/{prepared.vote_code}")  # a selected action with the long word
    expect(phone.get_by_text(ACTIONS[-1])).to_be_visible()
    assert horizontal_overflow(phone) == 0
    phone.context.close()


def test_a_withdrawal_can_be_undone(prepared: Prepared, browser: Browser, artifacts: Path) -> None:
    base = prepared.server.base_url
    board = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    board.goto(f"{base}/tableau/{prepared.ideas_code}")
    phone = join(browser, base, prepared.ideas_code, "Loïc", "Garage Martin")
    phone.get_by_test_id("idea-title").fill("Prêt de la nacelle entre garages")
    # The app's contrasted colours (set once for the whole app) reach the page, and its style too.
    expect(phone.get_by_test_id("send")).to_have_css("background-color", "rgb(11, 92, 173)")
    expect(phone.locator(".phone").first).to_have_css("max-width", "560px")
    phone.get_by_test_id("send").tap()
    expect(phone.get_by_test_id("status")).to_contain_text("Idée reçue")
    expect(board.get_by_text("Prêt de la nacelle entre garages")).to_be_visible()
    card = phone.get_by_test_id("own-ideas").locator(".phone-own-idea").first
    edit, withdraw = card.get_by_role("button", name="Modifier"), card.get_by_role("button", name="Retirer")
    edit_box, withdraw_box = edit.bounding_box(), withdraw.bounding_box()
    assert edit_box and withdraw_box
    gap = withdraw_box["x"] - (edit_box["x"] + edit_box["width"])
    assert gap >= 48, f"Retirer is {gap:.0f} px from Modifier: a thumb would hit one for the other"
    title_box = card.get_by_text("Prêt de la nacelle entre garages").bounding_box()
    assert title_box and edit_box["y"] >= title_box["y"] + title_box["height"]  # the buttons under the text
    assert abs(edit_box["y"] - withdraw_box["y"]) < 2  # on one line
    card.screenshot(path=artifacts / "phone-own-idea-360x740.png")
    withdraw.tap()
    undo = phone.get_by_role("button", name="Annuler le retrait")
    expect(undo).to_be_in_viewport()
    expect(phone.get_by_text("Idée retirée : « Prêt de la nacelle entre garages »")).to_be_in_viewport()
    expect(board.get_by_text("Prêt de la nacelle entre garages")).to_have_count(0)  # stored, gone from the board
    phone.screenshot(path=artifacts / "phone-undo-360x740.png")
    undo.tap()
    expect(card.get_by_role("button", name="Modifier")).to_be_visible()
    expect(board.get_by_text("Prêt de la nacelle entre garages")).to_be_visible()
    phone.reload()
    expect(phone.get_by_test_id("own-ideas")).to_contain_text("Prêt de la nacelle entre garages")
    # "Modifier" in the browser: the form takes the card's place; saved, the card and the board say the new title.
    phone.get_by_test_id("own-ideas").get_by_role("button", name="Modifier").tap()
    phone.get_by_test_id("edit-title").fill("Prêt de la nacelle entre trois garages")
    phone.get_by_test_id("edit-save").tap()
    own = phone.get_by_test_id("own-ideas").locator(".phone-own-idea")
    expect(own).to_have_count(1)
    expect(own.first).to_contain_text("Prêt de la nacelle entre trois garages")
    expect(own.first.get_by_role("button", name="Retirer")).to_be_visible()
    expect(board.get_by_text("Prêt de la nacelle entre trois garages")).to_be_visible()
    phone.context.close()
    board.context.close()


def test_the_form_empties_as_an_idea_is_sent_and_keeps_a_refused_text(prepared: Prepared, browser: Browser,
                                                                      artifacts: Path) -> None:
    """The page empties the fields itself as it sends (the server sends nothing back for them): after "reçue" they
    are empty, for the server too; a refused send gives the text back with the reason."""
    phone = join(browser, prepared.server.base_url, prepared.ideas_code, "Maëlle", "Menuiserie Roux")
    title, details = phone.get_by_test_id("idea-title"), phone.get_by_test_id("idea-details")
    title.fill("Copeaux de la menuiserie pour la chaufferie")
    details.fill("Deux bennes par mois.")
    phone.get_by_test_id("send").tap()
    expect(phone.get_by_test_id("status")).to_have_text(
        "Idée reçue : « Copeaux de la menuiserie pour la chaufferie »")
    expect(title).to_have_value("")
    expect(details).to_have_value("")
    phone.screenshot(path=artifacts / "phone-sent-360x740.png")
    # Sent again at once, the server refuses (3 s between two ideas): the text is back, to send in a moment.
    title.fill("Sciure pour la litière des chevaux")
    phone.get_by_test_id("send").tap()
    expect(phone.get_by_test_id("status")).to_contain_text("Doucement : attendez")
    expect(title).to_have_value("Sciure pour la litière des chevaux")
    # The field's label moves above the text given back (it must not sit over it).
    expect(phone.locator("label.q-field", has=title)).to_have_class(re.compile(r"\bq-field--float\b"))
    phone.wait_for_timeout(400)  # the label's move is animated: the screenshot shows where it ends
    phone.screenshot(path=artifacts / "phone-refused-keeps-text-360x740.png")
    phone.wait_for_timeout(3000)
    phone.get_by_test_id("send").tap()
    expect(phone.get_by_test_id("status")).to_have_text("Idée reçue : « Sciure pour la litière des chevaux »")
    expect(title).to_have_value("")
    # Tapped again on the empty form: the server's field is empty too, so nothing is sent twice.
    phone.get_by_test_id("send").tap()
    expect(phone.get_by_test_id("status")).to_have_text("Écrivez un titre pour votre idée.")
    expect(title).to_have_value("")
    own = phone.get_by_test_id("own-ideas").locator(".phone-own-idea")
    expect(own).to_have_count(2)
    phone.wait_for_timeout(2500)  # drafts are written every 2 s: a reload finds the form as the person left it
    phone.reload()
    expect(phone.get_by_test_id("own-ideas").locator(".phone-own-idea")).to_have_count(2)
    expect(phone.get_by_test_id("idea-title")).to_have_value("")
    phone.context.close()


def test_a_300_letter_word_never_widens_a_page(prepared: Prepared, browser: Browser, artifacts: Path) -> None:
    base = prepared.server.base_url
    phone = join(browser, base, prepared.ideas_code, "Anaïs", "Ferme du Pré Vert")
    phone.get_by_test_id("idea-title").fill("Lien : " + "b" * 130)
    phone.get_by_test_id("idea-details").fill(LONG_WORD)
    phone.get_by_test_id("send").tap()
    expect(phone.get_by_test_id("status")).to_contain_text("Idée reçue")
    phone.get_by_test_id("peers-open").tap()
    expect(phone.get_by_test_id("peer-ideas")).to_contain_text(LONG_WORD)  # a prepared idea carries one too
    assert horizontal_overflow(phone) == 0
    phone.screenshot(path=artifacts / "phone-64-ideas-360x740-full.png", full_page=True)
    for size in ({"width": 1280, "height": 720}, {"width": 1920, "height": 1080}):
        board = browser.new_context(viewport=size).new_page()
        board.goto(f"{base}/tableau/{prepared.ideas_code}")
        # The wall pages by itself (5 s a page): the idea comes round within one turn of its pages.
        expect(board.get_by_text("Lien : " + "b" * 130)).to_be_visible(timeout=45_000)
        assert horizontal_overflow(board) == 0
        board.context.close()
    console = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(console, base, prepared.server.secret)
    console.get_by_text(prepared.ideas_code).first.click()
    expect(console.get_by_test_id("ideas")).to_contain_text("Lien : " + "b" * 130)
    assert horizontal_overflow(console) == 0
    console.context.close()
    phone.context.close()


def test_a_support_from_one_phone_shows_live_on_another(prepared: Prepared, browser: Browser,
                                                       artifacts: Path) -> None:
    base = prepared.server.base_url
    first = join(browser, base, prepared.ideas_code, "Cécile", "Mairie de Saint-Julien")
    second = join(browser, base, prepared.ideas_code, "François", "Brasserie de la Cascade")
    for phone in (first, second):
        phone.get_by_test_id("peers-open").tap()
    card = second.locator(".phone-own-idea", has_text=prepared.support_idea)
    expect(second.get_by_test_id("peer-ideas")).to_contain_text(prepared.support_idea)
    before = int(card.get_by_role("button", name="Soutenir").text_content().split("·")[1])
    second.screenshot(path=artifacts / "phone-64-ideas-360x740.png")
    target = first.locator(".phone-own-idea", has_text=prepared.support_idea).get_by_role("button",
                                                                                         name="Soutenir")
    target.scroll_into_view_if_needed()
    target.tap()
    expect(target).to_have_attribute("aria-pressed", "true")
    expect(card.get_by_role("button", name="Soutenir")).to_have_text(f"+1 · {before + 1}")  # live, no reload
    card.scroll_into_view_if_needed()
    second.screenshot(path=artifacts / "phone-support-live-360x740.png")
    target.tap()  # taken back
    expect(card.get_by_role("button", name="Soutenir")).to_have_text(f"+1 · {before}")
    assert horizontal_overflow(second) == 0
    first.context.close()
    second.context.close()
