"""End to end: five phones rate the candidate actions, the projector shows the matrix and the low-hanging fruit,
and a server killed mid-vote keeps every rating."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import log_in
from playwright.sync_api import Browser, Page, expect
from prepared import actions_open_for_the_vote

from atelier.launch import RunningServer, start_demo

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
PEOPLE = [("Zoé", "Scierie Dumas"), ("François", "Brasserie La Fourche"), ("Anaïs", "GAEC du Pré-Haut"),
          ("Loïc", "Transports Fabre"), ("Cécile", "Mairie de Saint-Julien-du-Vallon")]
ACTIONS = ["Chaufferie à copeaux partagée", "Légumerie intercommunale"]


def prepare(db_path: Path) -> str:
    """Workshop 1 promoted two ideas; workshop 2 is open for the vote, results shown. Returns its join code."""
    prepared = actions_open_for_the_vote(db_path, ACTIONS)
    prepared.service.selection("setup").set_settings(prepared.vote.id, results_visible=True)
    prepared.close()
    return prepared.vote.code


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[RunningServer, str]]:
    code = prepare(tmp_path / "atelier.sqlite")
    running = start_demo(tmp_path)
    yield running, code
    running.stop()


def rate(phone: Page, impact: int, ease: int, horizon: str, engagement: str) -> None:
    phone.get_by_test_id("rating-impact").get_by_role("button", name=str(impact), exact=True).click()
    phone.get_by_test_id("rating-ease").get_by_role("button", name=str(ease), exact=True).click()
    phone.get_by_test_id("rating-horizon").get_by_role("button", name=horizon).click()
    phone.get_by_test_id("rating-engagement").get_by_role("button", name=engagement).click()
    phone.get_by_test_id("rating-save").click()


def ratings_stored(db_path: Path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT COUNT(*) FROM ratings").fetchone()[0]
    finally:
        conn.close()


def test_five_phones_rate_and_a_kill_loses_nothing(server: tuple[RunningServer, str], browser: Browser,
                                                  artifacts: Path) -> None:
    running, code = server
    board = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    board.goto(f"{running.base_url}/tableau/{code}")
    # During the vote the board shows its progress, never the grades (even with the results revealed).
    expect(board.get_by_test_id("vote-progress")).to_have_text("0 votant·es · 0 ont noté toutes les actions")
    phones = []
    for name, organisation in PEOPLE:
        phone = browser.new_context(**PHONE).new_page()
        phone.goto(f"{running.base_url}/j/{code}")
        phone.get_by_test_id("name").fill(name)
        phone.get_by_test_id("organisation").fill(organisation)
        phone.get_by_test_id("join").click()
        expect(phone.get_by_test_id("rating-progress")).to_have_text("0/2 notées")
        phones.append(phone)

    # The phones rate side by side: each action in turn, every phone before the next.
    for n, phone in enumerate(phones[:3]):
        expect(phone.get_by_test_id("rating-title")).to_have_text(ACTIONS[0])
        rate(phone, 4, 5, "Court terme", "Je pilote" if n == 0 else "Je contribue")
    for phone in phones[:3]:
        expect(phone.get_by_test_id("rating-title")).to_have_text(ACTIONS[1])
        rate(phone, 5, 2, "Long terme", "Intéressé·e")
        expect(phone.get_by_test_id("status")).to_contain_text("Toutes les actions sont notées")
    phones[3].screenshot(path=artifacts / "phone-rating-360x740.png", full_page=True)
    expect(board.get_by_test_id("vote-progress")).to_have_text("3 votant·es · 3 ont noté toutes les actions")
    assert ratings_stored(running.db_path) == 6

    for page in [board, *phones]:
        page.evaluate("window.beforeTheCrash = true")
    running.kill()  # mid-vote
    running.start()
    for page in [board, *phones]:
        page.wait_for_function("!window.beforeTheCrash", timeout=30_000)
    assert ratings_stored(running.db_path) == 6
    for phone in phones[:3]:
        expect(phone.get_by_test_id("rating-progress")).to_have_text("2/2 notées")
    for phone in phones[3:]:
        expect(phone.get_by_test_id("rating-progress")).to_have_text("0/2 notées")
        rate(phone, 4, 4, "Court terme", "Je contribue")
        rate(phone, 4, 1, "Long terme", "Rien")
        expect(phone.get_by_test_id("rating-progress")).to_have_text("2/2 notées")
    assert ratings_stored(running.db_path) == 10

    expect(board.get_by_test_id("vote-progress")).to_have_text("5 votant·es · 5 ont noté toutes les actions")
    assert "/5" not in board.get_by_test_id("view-vote").inner_text()

    # The facilitator closes the vote from the console: the board shows the results.
    console = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    log_in(console, running.base_url, running.secret)
    console.get_by_text(code).first.click()
    console.get_by_test_id("next-phase").click()
    expect(board.get_by_test_id("voters")).to_have_text("5 votant·es")
    ranking = board.get_by_test_id("ranking")
    expect(ranking).to_contain_text(f"1. {ACTIONS[1]}")  # impact median 5 beats 4
    expect(ranking).to_contain_text(f"2. {ACTIONS[0]}")
    fruit_line = ranking.locator(".results-line", has_text=ACTIONS[0])
    expect(fruit_line).to_contain_text("fruit à portée de main")
    expect(ranking.locator(".results-line", has_text=ACTIONS[1])).not_to_contain_text("fruit à portée de main")
    expect(board.locator(".results-matrix canvas").first).to_be_visible()
    board.screenshot(path=artifacts / "board-results-1920x1080.png")

    # The facilitator's selection console: the fruit is flagged with its reason, in words.
    console.get_by_test_id("selection-link").click()
    expect(console.get_by_test_id("selection-actions")).to_contain_text(
        "Fruit à portée de main : facile 5/5, impact 4/5, court terme, pilote : Scierie Dumas")
    console.screenshot(path=artifacts / "selection-console.png", full_page=True)
