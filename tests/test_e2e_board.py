"""End to end: the projected board is a display. 150 ideas fit 1280×720 and 1920×1080 without a scroll (pages turn
by themselves), every phase of the co-construction and selection workshops projects real content, the matrix is
the rule's, the network is the same at every load, and an actor who refused publication is named nowhere."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from board_screens import FLOOR, NETWORK_LABEL_FLOOR, NETWORK_LABEL_SIZES, NO_SCROLL, SIZES, open_boards, shoot
from browsing import log_in
from playwright.sync_api import Browser, Page, expect

from atelier.hub import Hub
from atelier.launch import RunningServer, start_demo
from atelier.scenario import load_scenario
from atelier.service import SELECTED, Service
from atelier.store import Store

VOTERS = 12  # a full vote: each rates every candidate action
HIDDEN = "Garage Besson"  # the demo actor who refused publication
ORGANISATIONS = ["Scierie Dumas", "GAEC du Pré-Haut", "Boulangerie Roux", "GARAGE-BESSON",
                 "Épicerie Le Panier du Vallon", "Mairie de Saint-Julien-du-Vallon", "Les Jardins des Sources",
                 "Coopérative agricole du Vallon"]
SUBJECTS = ["Chaufferie à copeaux partagée", "Camion frigorifique en commun", "Achat groupé de cartons",
            "Emploi partagé de comptable", "Broyeur de végétaux intercommunal", "Récupération des palettes",
            "Mutualisationdeséquipementsfrigorifiquesintercommunaux",  # one long word: must wrap, not overflow
            "Covoiturage des salariés vers la zone d’activité du Vallon",
            "Formation commune aux gestes de premiers secours", "Réparer ensemble les outils"]
ACTIONS = ["Chaufferie à copeaux partagée", "Camion frigorifique en commun", "Achat groupé de cartons",
           "Emploi partagé de comptable", "Broyeur de végétaux intercommunal", "Légumerie intercommunale",
           "Tournée commune de livraison des commerces du bourg", "Salle de réunion partagée",
           "Compostage collectif des restes de la cantine", "Formation commune à la sécurité"]  # 10 candidates


@dataclass
class Rooms:
    ideas_code: str
    ideas_id: int
    selection_code: str
    selection_id: int
    titles: list[str]
    selected: list[str]
    fruits: list[str]
    aggregates: dict[str, tuple[int, int, bool]]  # title -> (ease median, impact median, fruit)
    ease_min: int
    impact_min: int


def prepare(db_path: Path) -> Rooms:
    """Workshop 1 in its ideas phase with 150 ideas from 150 phones; workshop 2 rated by 8 phones, its low-hanging
    fruit selected (one piloted by the actor who refused publication) and two more actions selected."""
    service = Service(Store(db_path), Hub())
    territory_id = service.install_scenario(load_scenario())
    first = service.ensure_demo_workshop(territory_id)
    session = service.log_in(service.reset_facilitator_secret())
    facilitation = service.as_facilitator(session)
    facilitation.move_phase(first.id, 1)
    categories = [c.key for c in service.categories(territory_id)]
    titles = []
    for n in range(150):
        phone = service.join(first.code, f"phone-{n}", f"Personne {n}", ORGANISATIONS[n % len(ORGANISATIONS)])
        title = f"{SUBJECTS[n % len(SUBJECTS)]} n°{n + 1}"
        service.submit_idea(first.id, phone.id, f"client-{n:04d}-abcdef", title, "", categories[(n * 7) % 5])
        titles.append(title)
    actions = []
    for n, title in enumerate(ACTIONS):
        author = service.join(first.code, f"author-{n}", f"Auteur {n}", "Scierie Dumas")
        idea = service.submit_idea(first.id, author.id, f"action-{n:04d}-abcdef", title, "", categories[n % 5])
        action = facilitation.promote(idea.id)
        actions.append(action)
        titles.append(title)
    selection = service.selection(session)
    selection.edit_action(actions[0].id, ACTIONS[0], "Une chaudière commune pour la scierie, l’école et la mairie, "
                          "alimentée par les copeaux de la scierie.", actions[0].category, "court",
                          ["scierie-dumas", "mairie-saint-julien", "garage-besson"])
    second = facilitation.create_workshop(territory_id, "Atelier 2 — sélection", "selection")
    facilitation.move_phase(second.id, 1)
    facilitation.move_phase(second.id, 1)  # vote
    # (impact, ease) per action: two fruits (short term, piloted); every voter rates every action (a full vote)
    grades = [(5, 5), (4, 5), (4, 4), (2, 3), (3, 2), (1, 1), (4, 2), (2, 2), (5, 3), (3, 4)]
    for p in range(VOTERS):
        organisation = [HIDDEN.upper(), "Scierie Dumas", "GAEC du Pré-Haut", "Boulangerie Roux"][p % 4]
        phone = service.join(second.code, f"voter-{p}", f"Votant {p}", organisation)
        spread = p % 3 - 1  # voters differ by a grade around the action's own
        for n, action in enumerate(actions):
            impact, ease = (min(5, max(1, grade + spread)) for grade in grades[n])
            engagement = "pilote" if p < 4 and n < 2 else "contributeur"
            service.rate(second.id, phone.id, action.id, impact, ease, "court" if n < 3 else "long", engagement)
    facilitation.move_phase(second.id, -1)  # leaving the vote selects the fruits
    facilitation.move_phase(second.id, -1)  # back to the welcome: the test walks every phase
    selection.set_settings(second.id, results_visible=True)
    selection.select(second.id, actions[3].id)
    selection.set_pilot(actions[3].id, "Boulangerie Roux")
    selection.set_working_group(actions[3].id, True)
    for n in (6, 8, 9):  # five of the ten decided: the closing board lists them all
        selection.select(second.id, actions[n].id)
    results = service.results(second.id)
    chosen = [r.action.title for r in results.actions if r.action.selection == SELECTED]
    fruits = [r.action.title for r in results.actions if r.fruit.flagged]
    aggregates = {r.action.title: (r.ease.median, r.impact.median, r.fruit.flagged) for r in results.actions}
    settings = service.workshop(second.id).settings
    service.store.close()
    return Rooms(first.code, first.id, second.code, second.id, titles, chosen, fruits, aggregates,  # type: ignore
                 settings.ease_min, settings.impact_min)


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningServer, Rooms]]:
    directory = tmp_path_factory.mktemp("board")
    rooms = prepare(directory / "atelier.sqlite")
    running = start_demo(directory)
    yield running, rooms
    running.stop()


SEEN_TITLES = """() => {
  const seen = [];
  const w = window.innerWidth, h = window.innerHeight;
  document.querySelectorAll('[data-testid=idea-title]').forEach(el => {
    if (el.closest('.wall-measure')) return;
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const whole = el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1;
    if (r.width > 0 && r.left >= 0 && r.top >= 0 && r.right <= w + 0.5 && r.bottom <= h + 0.5 && whole
        && style.visibility !== 'hidden')
      seen.push([el.textContent, parseFloat(style.fontSize)]);
  });
  return seen;
}"""

CUT_CARDS = """() => [...document.querySelectorAll('.wall-area .idea-card')].filter(el => {
  const r = el.getBoundingClientRect(), area = el.closest('.wall-area').getBoundingClientRect();
  return r.left < area.left - 0.5 || r.right > area.right + 0.5 || r.top < area.top - 0.5
      || r.bottom > area.bottom + 0.5 || r.bottom > window.innerHeight || r.right > window.innerWidth;
}).map(el => el.textContent)"""

def test_150_ideas_are_all_seen_without_scrolling(room: tuple[RunningServer, Rooms], browser: Browser,
                                                 artifacts: Path) -> None:
    running, rooms = room
    boards = open_boards(browser, f"{running.base_url}/tableau/{rooms.ideas_code}")
    seen: list[dict[str, float]] = [{}, {}]
    for board in boards:
        expect(board.get_by_test_id("idea-count")).to_have_text(f"{len(rooms.titles)} idées")
        # the pages, and which one is shown
        expect(board.get_by_test_id("wall-page")).to_have_text(re.compile(r"^\d+/\d+$"))
    pages_shot: list[set[str]] = [set(), set()]
    for _ in range(120):  # 60 s at most: the pages turn by themselves (every 5 s)
        for n, board in enumerate(boards):
            for title, size in board.evaluate(SEEN_TITLES):
                seen[n][title] = min(size, seen[n].get(title, size))
            assert board.evaluate(NO_SCROLL) == [True, True, True]
            assert board.evaluate(CUT_CARDS) == []  # never a card cut by the wall's or the screen's edge
            counter = board.get_by_test_id("wall-page").inner_text()
            if counter not in pages_shot[n] and len(pages_shot[n]) < 2:
                pages_shot[n].add(counter)
                width, height = SIZES[n]
                board.screenshot(path=artifacts / f"board-wall-{width}x{height}-page{counter.split('/')[0]}.png")
        if all(len(s) >= len(rooms.titles) for s in seen):
            break
        boards[0].wait_for_timeout(500)
    for n, (width, height) in enumerate(SIZES):
        missing = sorted(set(rooms.titles) - set(seen[n]))
        assert not missing, f"{width}×{height}: {len(missing)} titles never fully on screen: {missing[:5]}"
        assert min(seen[n].values()) >= FLOOR[height]
        html = boards[n].content()
        assert HIDDEN not in html and HIDDEN.upper() not in html and "GARAGE-BESSON" not in html
        assert "Scierie Dumas" in boards[n].locator(".wall-area").inner_text()  # consenting: named

    # A new idea from a phone is shown at once, on whatever page it falls, and highlighted.
    phone = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True).new_page()
    phone.goto(f"{running.base_url}/j/{rooms.ideas_code}")
    phone.get_by_test_id("name").fill("Nina")
    phone.get_by_test_id("organisation").fill("Scierie Dumas")
    phone.get_by_test_id("join").click()
    title = "Composteur partagé au bourg"
    phone.get_by_test_id("idea-title").fill(title)
    phone.get_by_test_id("send").click()
    expect(phone.get_by_test_id("status")).to_have_text(f"Idée reçue : « {title} »")
    for board in boards:
        fresh = board.locator(".wall-area .idea-new")
        expect(fresh).to_have_count(1)
        expect(fresh.get_by_test_id("idea-title")).to_have_text(title)
        expect(fresh).to_be_in_viewport(ratio=1)


def chart_option(page: Page, testid: str) -> dict:
    return page.evaluate("""id => getElement(document.querySelector(`[data-testid=${id}]`).id.slice(1))
        .chart.getOption()""", testid)


def open_board_control(console: Page) -> None:
    """The console's board steering starts folded (the list of ideas comes first): one click on its header."""
    console.get_by_test_id("board-control").get_by_text("Écran projeté").click()
    expect(console.get_by_test_id("board-pause")).to_be_visible()


def visible_text(page: Page, testid: str) -> str:
    view = page.get_by_test_id(testid)
    expect(view).to_be_visible()
    return view.inner_text()


def test_every_phase_projects_its_content(room: tuple[RunningServer, Rooms], browser: Browser,
                                          artifacts: Path) -> None:
    running, rooms = room
    console = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    log_in(console, running.base_url, running.secret)
    console.goto(f"{running.base_url}/animation/atelier/{rooms.selection_id}")
    boards = open_boards(browser, f"{running.base_url}/tableau/{rooms.selection_code}")

    # Welcome: the QR code large, the count and the organisations that joined, never the one who refused.
    for board in boards:
        text = visible_text(board, "view-accueil")
        assert f"{VOTERS} participant·es" in text and "Scierie Dumas" in text
        assert HIDDEN.casefold() not in text.casefold()
        assert board.get_by_test_id("welcome-qr").bounding_box()["height"] >= board.viewport_size["height"] * 0.5
    shoot(boards, artifacts, "selection-1-welcome")

    # Presentation: one candidate action per screen, moved from the console.
    console.get_by_test_id("next-phase").click()
    for board in boards:
        slide = board.locator(".present-slide.shown")
        expect(slide.get_by_test_id("present-title")).to_have_text(ACTIONS[0])
        expect(slide).to_contain_text("Scierie Dumas")  # the actors involved
        expect(slide).to_contain_text("Court terme")
    shoot(boards, artifacts, "selection-2-presentation")
    open_board_control(console)
    console.get_by_test_id("board-next-action").click()
    for board in boards:
        expect(board.locator(".present-slide.shown").get_by_test_id("present-title")).to_have_text(ACTIONS[1])

    # Vote: progress only, never a grade.
    console.get_by_test_id("next-phase").click()
    for board in boards:
        expect(board.get_by_test_id("vote-progress")).to_have_text(
            f"{VOTERS} votant·es · {VOTERS} ont noté toutes les actions")
        expect(board.get_by_test_id("vote-action")).to_have_count(len(ACTIONS))
        assert "/5" not in visible_text(board, "view-vote")
    shoot(boards, artifacts, "selection-3-vote")

    # Results: the matrix plots the rule's medians, its lines sit at the thresholds, fruits by the rule's verdict.
    console.get_by_test_id("next-phase").click()
    for board in boards:
        expect(board.get_by_test_id("ranking")).to_contain_text("1. ")
        option = chart_option(board, "matrix")
        fruits_series, others_series = option["series"]
        plotted = {p[5]: (p[2], p[3], True) for p in fruits_series["data"]}
        plotted |= {p[5]: (p[2], p[3], False) for p in others_series["data"]}
        assert plotted == rooms.aggregates
        for point in fruits_series["data"] + others_series["data"]:  # nudged and spread within its grade
            assert abs(point[0] - point[2]) < 0.5 and abs(point[1] - point[3]) < 0.5
        lines = fruits_series["markLine"]["data"]
        assert [line.get("xAxis") for line in lines if "xAxis" in line] == [rooms.ease_min - 0.5]
        assert [line.get("yAxis") for line in lines if "yAxis" in line] == [rooms.impact_min - 0.5]
        assert option["legend"][0]["data"][0] == "fruit à portée de main (selon la règle)"
    shoot(boards, artifacts, "selection-4-results")

    # Selection and closing: the decisions, every selected action with its pilot, fruits with their reason.
    for phase in ("5-selection", "6-closing"):
        console.get_by_test_id("next-phase").click()
        for board in boards:
            expect(board.get_by_test_id("decision")).to_have_count(len(rooms.selected))
            shown = board.get_by_test_id("decision-title").all_inner_texts()
            assert sorted(shown) == sorted(rooms.selected)
            for title in rooms.selected:
                assert board.get_by_test_id("decision-title").filter(has_text=title).first.is_visible()
            fruit_lines = board.get_by_test_id("decision-fruit").all_inner_texts()
            assert len(fruit_lines) == len(rooms.fruits) >= 1
            assert all(line.startswith("◆ Fruit à portée de main : facile") for line in fruit_lines)
            text = visible_text(board, "view-decisions")
            assert "pilote : Boulangerie Roux" in text and "groupe de travail proposé" in text
            assert HIDDEN.casefold() not in board.content().casefold()  # the pilot who refused: "un acteur"
            assert "un acteur" in " ".join(fruit_lines)
            expect(board.get_by_test_id("plan-qr")).to_be_visible()
        shoot(boards, artifacts, f"selection-{phase}")

    # The plan page the QR code leads to names the actions, never the actor who refused publication.
    plan = boards[0]
    plan.goto(f"{running.base_url}/plan/{rooms.selection_code}")
    for title in rooms.selected:
        expect(plan.get_by_text(title, exact=True).first).to_be_visible()
    assert HIDDEN.casefold() not in plan.content().casefold()


def test_co_construction_phases_and_the_network(room: tuple[RunningServer, Rooms], browser: Browser,
                                                artifacts: Path) -> None:
    running, rooms = room
    console = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    log_in(console, running.base_url, running.secret)
    console.goto(f"{running.base_url}/animation/atelier/{rooms.ideas_id}")
    boards = open_boards(browser, f"{running.base_url}/tableau/{rooms.ideas_code}")
    console.get_by_test_id("previous-phase").click()  # ideas -> welcome
    for board in boards:
        text = visible_text(board, "view-accueil")
        assert board.get_by_test_id("participants").inner_text() in text  # the count, large
        assert "Scierie Dumas" in text and HIDDEN.casefold() not in text.casefold()
    shoot(boards, artifacts, "co-construction-1-welcome")
    console.get_by_test_id("next-phase").click()
    console.get_by_test_id("next-phase").click()  # grouping: the wall, groups first
    for board in boards:
        expect(board.get_by_test_id("view-mur")).to_be_visible()
        expect(board.get_by_test_id("idea-title").first).to_be_visible()
    shoot(boards, artifacts, "co-construction-3-grouping")
    # The facilitator puts one idea full screen, then shows one category.
    open_board_control(console)
    console.get_by_test_id("board-focus").click()
    console.get_by_role("option", name=rooms.titles[0], exact=True).click()
    for board in boards:
        expect(board.get_by_test_id("focus-title")).to_have_text(rooms.titles[0])
    shoot(boards, artifacts, "co-construction-3-focus")
    expect(console.get_by_test_id("board-preview")).to_be_visible()  # the console previews the board itself
    console.get_by_test_id("board-control").screenshot(path=artifacts / "console-board-control.png")
    console.get_by_test_id("board-focus").click()
    console.get_by_role("option", name="Aucune (le mur)").click()
    for board in boards:
        expect(board.get_by_test_id("focus")).to_be_hidden()
    console.get_by_test_id("next-phase").click()  # closing: what the workshop produced
    for board in boards:
        ideas = board.get_by_test_id("idea-count").text_content()  # "156 idées" (157 after the first test's phone)
        expect(board.get_by_test_id("summary")).to_have_text(f"{ideas} · {len(ACTIONS)} actions candidates")
        expect(board.get_by_test_id("summary-action")).to_have_count(len(ACTIONS))
    shoot(boards, artifacts, "co-construction-4-closing")

    # The network: the same positions at every load, the hidden actor unnamed.
    positions = []
    for load in range(2):
        for board, (width, height) in zip(boards, SIZES, strict=True):
            board.goto(f"{running.base_url}/tableau/{rooms.ideas_code}/reseau")
            expect(board.locator(".network-slot canvas").first).to_be_visible()
            nodes = board.evaluate("""() => getElement(document.querySelector('.network-slot .nicegui-echart')
                .id.slice(1)).chart.getOption().series[0].data.map(n => [n.name, n.x, n.y])""")
            assert HIDDEN not in [n[0] for n in nodes]
            assert min(board.evaluate(NETWORK_LABEL_SIZES)) >= NETWORK_LABEL_FLOOR
            positions.append((width, sorted(map(tuple, nodes))))
            if load == 0:
                assert board.evaluate(NO_SCROLL) == [True, True, True]
                board.screenshot(path=artifacts / f"board-network-{width}x{height}.png")
    assert positions[0] == positions[2] and positions[1] == positions[3]
