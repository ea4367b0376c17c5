"""End to end: the app as `atelier demo` starts it, Debian's Chromium as projector, facilitator and five phones."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp
from axe_playwright_python.sync_playwright import Axe
from browsing import log_in
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect

from atelier.launch import RunningServer, start_demo

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
PEOPLE = [
    ("Zoé", "Scierie Dumas"),
    ("François", "Brasserie de la Cascade"),
    ("Anaïs", "Ferme du Pré Vert"),
    ("Loïc", "Garage Martin"),
    ("Cécile", "Mairie de Saint-Julien"),
]
IDEAS = [
    "Chaufferie à copeaux partagée : 12 000 € d’économie",
    "Sœurs et frères de main-d’œuvre : un emploi partagé à Sainte-Cécile",
    "Achat groupé de fioul 🚜",
    "<img src=x onerror=alert(1)>",
    "Ramassage commun des cartons, « zéro déchet »",
]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    running = start_demo(tmp_path)
    yield running
    running.stop()


def watch_requests(context: BrowserContext, base_url: str, outside: list[str], dialogs: list[str]) -> None:
    """Every request must go to the app itself (offline village hall); any dialog means markup ran."""
    context.on("request", lambda r: None if r.url.startswith((base_url, "data:", "blob:")) else outside.append(r.url))
    context.on("page", lambda p: p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss())))


def decode_qr(board: Page) -> str:
    # The welcome shows the code large; the other phases keep it in the side panel.
    shot = board.locator("[data-testid=welcome-qr]:visible, [data-testid=qr]:visible").first.screenshot()
    codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))
    assert codes, "no QR code could be read from the board"
    return codes[0].text


def open_console(context: BrowserContext, server: RunningServer) -> Page:
    page = context.new_page()
    log_in(page, server.base_url, server.secret)
    page.get_by_text(server.join_code).first.click()
    expect(page.get_by_test_id("phase")).to_contain_text("Phase 1/4")
    return page


def serious_violations(page: Page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
            for v in violations if v["impact"] in ("serious", "critical")]


def test_live_workshop_end_to_end(server: RunningServer, browser: Browser, artifacts: Path) -> None:
    outside: list[str] = []
    dialogs: list[str] = []
    board_context = browser.new_context(viewport={"width": 1920, "height": 1080})
    facilitator_context = browser.new_context(viewport={"width": 1400, "height": 900})
    phone_contexts = [browser.new_context(**PHONE) for _ in PEOPLE]
    for context in [board_context, facilitator_context, *phone_contexts]:
        watch_requests(context, server.base_url, outside, dialogs)

    board = board_context.new_page()
    board.goto(f"{server.base_url}/tableau/{server.join_code}")
    expect(board.get_by_test_id("join-code")).to_have_text(server.join_code)
    console = open_console(facilitator_context, server)

    # Phones join by the QR code read off the projector, as a phone camera would.
    join_url = decode_qr(board)
    assert join_url == f"{server.base_url}/j/{server.join_code}"
    phones: list[Page] = []
    for context, (name, organisation) in zip(phone_contexts, PEOPLE, strict=True):
        phone = context.new_page()
        phone.goto(join_url)
        phone.get_by_test_id("name").fill(name)
        phone.get_by_test_id("organisation").fill(organisation)
        phone.get_by_test_id("join").click()
        expect(phone.get_by_test_id("hello")).to_have_text(f"Bonjour {name} ({organisation})")
        expect(phone.get_by_test_id("closed")).to_be_visible()  # welcome phase: no ideas yet
        phones.append(phone)
    expect(board.get_by_test_id("participants")).to_have_text("5 participant·es")

    console.get_by_test_id("next-phase").click()
    expect(board.get_by_test_id("phase")).to_contain_text("Idées")
    for phone, title in zip(phones, IDEAS, strict=True):
        expect(phone.get_by_test_id("idea-title")).to_be_visible()
        phone.get_by_test_id("idea-title").fill(title)
        phone.get_by_test_id("send").click()
        expect(phone.get_by_test_id("status")).to_have_text(f"Idée reçue : « {title} »")
    wall = board.get_by_test_id("wall")
    for title in IDEAS:
        expect(wall.get_by_text(title, exact=True)).to_be_visible()  # markup shown as the text typed
    expect(board.get_by_test_id("idea-count")).to_have_text("5 idées")
    assert board.locator("[data-testid=wall] img").count() == 0

    board.screenshot(path=artifacts / "board-1920x1080.png")
    phones[0].screenshot(path=artifacts / "phone-360x740.png", full_page=True)
    assert serious_violations(board) == []
    assert serious_violations(phones[0]) == []

    # Moderation: hide one idea, group two; the board follows without reloading.
    ideas = console.get_by_test_id("ideas")
    hidden_row = ideas.locator(".console-idea", has_text=IDEAS[2])
    hidden_row.get_by_role("button", name="Masquer").click()
    expect(wall.get_by_text(IDEAS[2], exact=True)).to_have_count(0)
    for title in IDEAS[0], IDEAS[4]:
        ideas.locator(".console-idea", has_text=title).get_by_role("checkbox").click()
    console.get_by_test_id("merge").click()
    console.get_by_test_id("merge-title").fill("Logistique et énergie en commun")
    console.get_by_test_id("merge-confirm").click()
    expect(wall.get_by_text("Logistique et énergie en commun")).to_be_visible()
    expect(wall.get_by_text("2 idées regroupées")).to_be_visible()
    expect(board.get_by_test_id("idea-count")).to_have_text("3 idées")
    expect(phones[0].get_by_test_id("own-ideas")).to_contain_text("regroupée dans « Logistique et énergie en commun »")

    # A pulled plug in the middle of the workshop: SIGKILL, then the same command on the same database.
    for page in [board, *phones]:
        page.evaluate("window.beforeTheCrash = true")
    server.kill()
    server.start()
    for page in [board, *phones]:  # each page reconnects by itself, which reloads it from the new process
        page.wait_for_function("!window.beforeTheCrash", timeout=30_000)
    for phone, (name, organisation) in zip(phones, PEOPLE, strict=True):
        # A brand-new page, yet it knows who the phone is: the signed cookie and the database kept it.
        expect(phone.get_by_test_id("hello")).to_have_text(f"Bonjour {name} ({organisation})", timeout=20_000)
        expect(phone.get_by_test_id("idea-title")).to_be_visible()  # still in the ideas phase
    expect(phones[3].get_by_test_id("own-ideas")).to_contain_text(IDEAS[3])
    expect(board.get_by_test_id("idea-count")).to_have_text("3 idées", timeout=20_000)
    for title in [IDEAS[1], IDEAS[3], "Logistique et énergie en commun"]:
        expect(wall.get_by_text(title, exact=True)).to_be_visible()

    # The workshop goes on after the restart: a new idea reaches the board live.
    phones[1].get_by_test_id("idea-title").fill("Compostage collectif à l’école")
    phones[1].get_by_test_id("send").click()
    expect(phones[1].get_by_test_id("status")).to_have_text("Idée reçue : « Compostage collectif à l’école »")
    expect(wall.get_by_text("Compostage collectif à l’école")).to_be_visible()
    board.screenshot(path=artifacts / "board-after-restart.png")

    assert dialogs == []
    assert outside == []


def test_board_readable_at_1280x720_and_phone_without_horizontal_scroll(
    server: RunningServer, browser: Browser, artifacts: Path
) -> None:
    board = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    board.goto(f"{server.base_url}/tableau/{server.join_code}")
    code = board.locator("[data-testid=welcome-code]:visible, [data-testid=join-code]:visible").first
    expect(code).to_have_text(server.join_code)
    assert decode_qr(board).endswith(f"/j/{server.join_code}")
    code_size = code.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert code_size >= 32  # the join code reads from the back of the room
    board.screenshot(path=artifacts / "board-1280x720.png")

    phone = browser.new_context(**PHONE).new_page()
    phone.goto(f"{server.base_url}/j/{server.join_code}")
    expect(phone.get_by_test_id("join")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.get_by_test_id("join").click()
    expect(phone.get_by_test_id("status")).to_have_text("Indiquez votre prénom ou votre nom.")
    assert serious_violations(phone) == []
