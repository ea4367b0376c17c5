"""End to end: a SWOT (FFOM) filled by a room of 120 phones, 30 lines per quadrant, on the projector at
1280×720 and 1920×1080 (issue 9: try it at the room's scale). The board is never scrolled and cuts no line; a
quadrant too full for one screen turns pages by itself ("1/2" in its corner), so that every line is seen whole
within a minute; a line sent by a phone is shown at once."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from board_screens import SIZES, open_boards, shoot
from browsing import phone_sends_a_threat
from playwright.sync_api import Browser, Page, expect

from atelier.hub import Hub
from atelier.launch import RunningServer, start_demo
from atelier.scenario import load_scenario
from atelier.service import Service
from atelier.store import Store

PHONES = 120  # one line each (a phone sends at a person's pace): 30 per quadrant
QUADRANTS = ("forces", "faiblesses", "opportunites", "menaces")
SUBJECTS = ["la scierie", "la mairie", "le collège", "les fermes du plateau", "la recyclerie", "l’EHPAD",
            "les artisans du bourg", "la coopérative", "les commerçants", "la communauté de communes"]
SAYINGS = {
    "forces": "Ce que {s} sait déjà faire ensemble, sans aide extérieure ({n})",
    "faiblesses": "Le manque de temps chez {s} pour suivre un projet commun ({n})",
    "opportunites": "Un appel à projets qui pourrait financer {s} l’an prochain ({n})",
    "menaces": "La hausse des coûts qui pèse sur {s} cet hiver ({n})",
}

# The lines a person sees whole right now: shown, inside the window and inside their quadrant.
SEEN = """() => { const seen = [];
  document.querySelectorAll('.ffom-view .swot-item').forEach(item => {
    const r = item.getBoundingClientRect();
    if (!r.width || !r.height) return;
    const q = item.closest('.swot-quadrant').getBoundingClientRect();
    if (r.top >= q.top - 1 && r.bottom <= q.bottom + 1 && r.bottom <= window.innerHeight + 1
        && r.right <= window.innerWidth + 1) seen.push(item.textContent.trim());
  });
  return seen; }"""
LINE_FLOOR = {720: 20, 1080: 27}  # pixels: 85 % of the board's type at most, then pages
COUNTERS = """() => [...document.querySelectorAll('.ffom-view .swot-quadrant')].map(q => q.dataset.page || '')"""
LINE_SIZES = """() => [...document.querySelectorAll('.ffom-view .swot-item')].filter(i => i.offsetParent)
    .map(i => parseFloat(getComputedStyle(i).fontSize))"""


@dataclass
class Room:
    server: RunningServer
    code: str
    lines: dict[str, list[str]]


def prepare(db_path: Path) -> tuple[str, dict[str, list[str]]]:
    service = Service(Store(db_path), Hub())
    territory_id = service.install_scenario(load_scenario())
    session = service.log_in(service.reset_facilitator_secret())
    facilitation = service.as_facilitator(session)
    swot = facilitation.create_workshop(territory_id, "FFOM du territoire", "ffom")
    facilitation.move_phase(swot.id, 1)  # the SWOT phase collects
    lines: dict[str, list[str]] = {q: [] for q in QUADRANTS}
    for n in range(PHONES):
        phone = service.join(swot.code, f"phone-{n}", f"Personne {n}", SUBJECTS[n % len(SUBJECTS)].title())
        quadrant = QUADRANTS[n % 4]
        text = SAYINGS[quadrant].format(s=SUBJECTS[n % len(SUBJECTS)], n=n)
        service.submit_swot_item(swot.id, phone.id, f"swot-{n:04d}-volume", quadrant, text)
        lines[quadrant].append(text)
    service.store.close()
    return swot.code, lines


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Room]:
    directory = tmp_path_factory.mktemp("e2e-swot-volume")
    code, lines = prepare(directory / "atelier.sqlite")
    running = start_demo(directory)
    yield Room(running, code, lines)
    running.stop()


def every_line_seen(boards: list[Page], expected: set[str], seconds: float) -> list[set[str]]:
    """What each board has shown whole, watched as a person would for `seconds` (no scrolling, no clicking)."""
    seen: list[set[str]] = [set() for _ in boards]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(expected - s for s in seen):
        for board, shown in zip(boards, seen, strict=True):
            shown.update(board.evaluate(SEEN))
        boards[0].wait_for_timeout(500)
    return seen


def test_a_full_swot_is_seen_whole_page_by_page(room: Room, browser: Browser, artifacts: Path) -> None:
    boards = open_boards(browser, f"{room.server.base_url}/tableau/{room.code}")
    total = sum(len(lines) for lines in room.lines.values())
    for board in boards:
        expect(board.locator(".ffom-view .swot-item")).to_have_count(total)
    shoot(boards, artifacts, "ffom-volume-120-lines")  # never scrolled, no line cut
    small = boards[0]  # 1280×720: the quadrants cannot hold 30 lines each
    counters = small.evaluate(COUNTERS)
    # "1/8" at first, another page if one turned meanwhile on a busy machine: a counter that says pages exist
    assert all(re.fullmatch(r"[1-9]/[2-9]", counter) for counter in counters), counters
    for board, (_, height) in zip(boards, SIZES, strict=True):  # shrunk a little, then paged: read from afar
        assert min(board.evaluate(LINE_SIZES)) >= LINE_FLOOR[height]

    expected = {line for lines in room.lines.values() for line in lines}
    seen = every_line_seen(boards, expected, 60)
    for shown, (width, height) in zip(seen, SIZES, strict=True):
        assert expected - shown == set(), f"{width}×{height}: lines never shown whole"


def test_a_line_sent_by_a_phone_is_shown_at_once_on_a_paged_quadrant(room: Room, browser: Browser) -> None:
    boards = open_boards(browser, f"{room.server.base_url}/tableau/{room.code}")
    for board in boards:
        expect(board.locator(".ffom-view .swot-item").first).to_be_attached()
    phone = phone_sends_a_threat(browser, room.server.base_url, room.code, "Une route coupée l’hiver par la neige")
    for board in boards:
        line = board.get_by_test_id("swot-menaces").get_by_text("Une route coupée l’hiver par la neige")
        expect(line).to_be_in_viewport(ratio=1, timeout=3000)  # its page is shown at once, not in turn
    for page in (*boards, phone):
        page.context.close()
