"""End to end: the board of the extension, SWOT (FFOM) and working-group meeting workshops, phase by phase, at
1280×720 and 1920×1080, with what a real session holds (issue 9): each phase projects its own content, on the
screen, never cut nor scrolled; and a phone's +1 changes the count on the board, live (issue 10).
One server for the file, prepared as earlier workshops would have left the territory."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from board_screens import FLOOR, NETWORK_LABEL_FLOOR, NETWORK_LABEL_SIZES, SIZES, open_boards, shoot
from browsing import log_in, phone_sends_a_threat
from playwright.sync_api import Browser, Page, expect
from prepared import vote_on

from atelier.hub import Hub
from atelier.launch import RunningServer, start_demo
from atelier.scenario import load_scenario
from atelier.service import Service
from atelier.store import Store

ACTIONS = ["Chaufferie à copeaux partagée", "Camion frigorifique en commun", "Emploi partagé de comptable",
           "Légumerie intercommunale"]
GROUPS = {0: "Chauffer l’école et la mairie avec les copeaux de la scierie d’ici l’hiver prochain",
          2: "Recruter un ou une comptable partagé·e entre quatre entreprises, à mi-temps",
          3: "Ouvrir une légumerie pour la cantine du collège et l’EHPAD"}
NEWCOMERS = ["Fromagerie des Combes", "Atelier Bois & Cie", "Ferme de la Source", "Hôtel du Lac",
             "Imprimerie Vallée", "Carrosserie Martin", "Crèche Les Lutins", "Maraîchers du Plateau"]
EXTENSION_IDEAS = ["Reprendre le petit-lait pour les cochons de la ferme voisine", "Partager la chambre froide",
                   "Sciure pour la litière des volailles", "Un camion de livraison pour trois fermes",
                   "Former ensemble les saisonniers", "Récupérer les chutes de bois pour le chauffage",
                   "Mutualiser le ramassage des cartons", "Une benne commune pour les déchets verts",
                   "Louer ensemble une nacelle", "Partager une salle de réunion au bourg",
                   "Acheter ensemble l’électricité verte", "Échanger les invendus contre du compost",
                   "Covoiturage vers la zone d’activité", "Prêt de matériel entre artisans",
                   "Une vitrine commune des produits locaux", "Regrouper les commandes d’emballages",
                   "Chaleur du four à pain pour la serre", "Un apprenti partagé entre deux ateliers",
                   "Compostage des restes de la cantine", "Réparer les palettes plutôt que les jeter"]
SWOT = {
    "forces": ["Des acteurs qui se connaissent déjà", "Une scierie avec des copeaux en abondance",
               "Une mairie motivée qui prête ses salles", "Des agriculteurs prêts à vendre en circuit court",
               "Un collège qui cuisine sur place", "Des artisans habitués à s’entraider"],
    "faiblesses": ["Peu de temps disponible chez les dirigeants", "Des distances longues entre les sites",
                   "Pas de salarié pour animer le réseau", "Des volumes trop petits pour négocier seuls",
                   "Peu de locaux libres au bourg", "Une connaissance faible des aides publiques"],
    "opportunites": ["L’appel à projets régional sur l’économie circulaire", "La hausse du prix de l’énergie",
                     "La loi EGalim pour la restauration collective", "Le nouveau parc d’activités intercommunal",
                     "Des consommateurs attachés au local", "Le plan vélo du département"],
    "menaces": ["La fermeture possible de l’abattoir", "Le départ en retraite de plusieurs chefs d’entreprise",
                "La concurrence des grandes surfaces", "Des hivers plus secs pour les cultures",
                "La hausse des coûts de transport", "Le manque de logements pour les saisonniers"]}
MEETING_IDEAS = ["Visiter la chaufferie de Saint-Flour", "Demander un devis au bureau d’études",
                 "Lister les bâtiments à raccorder", "Estimer le volume de copeaux par an",
                 "Rencontrer la région pour l’aide", "Fixer la date de la prochaine réunion",
                 "Prévoir une convention entre la scierie et la mairie", "Calculer les économies pour l’école",
                 "Trouver un lieu de stockage couvert", "Informer les parents d’élèves"]
SUPPORT_IDEAS = ["Une benne commune pour les cartons", "Un broyeur partagé entre communes",
                 "Chaleur du méthaniseur pour la piscine", "Achat groupé de fioul", "Un emploi partagé d’agent"]


@dataclass
class Rooms:
    server: RunningServer
    extension: tuple[int, str]  # workshop id, join code
    swot: tuple[int, str]
    meeting: tuple[int, str]
    supports: str  # the join code of a co-construction workshop in its ideas phase, supports on
    groups: list[str]  # the working groups' titles
    extension_actions: list[str]  # the actions the extension workshop produced


def prepare(db_path: Path) -> Rooms:
    service = Service(Store(db_path), Hub())
    territory_id = service.install_scenario(load_scenario())
    service.ensure_demo_workshop(territory_id)
    prepared = vote_on(service, ACTIONS)
    session = service.log_in(service.reset_facilitator_secret())
    facilitation, selection = service.as_facilitator(session), service.selection(session)
    groups = service.groups(session)
    group_ids = []
    for n, objective in GROUPS.items():
        selection.select(prepared.vote.id, prepared.actions[n].id)
        group_ids.append(groups.create(prepared.actions[n].id, objective))
    titles = [g["title"] for g in service.working_groups(territory_id)]

    # The extension workshop: newcomers joined and sent ideas; two became actions.
    extension = facilitation.create_workshop(territory_id, "Atelier d’extension — printemps", "extension")
    facilitation.move_phase(extension.id, 2)  # ideas
    ideas = []
    for n, title in enumerate(EXTENSION_IDEAS):
        phone = service.join(extension.code, f"new-{n}", f"Nouveau {n}", NEWCOMERS[n % len(NEWCOMERS)])
        ideas.append(service.submit_idea(extension.id, phone.id, f"extension-{n:04d}-abcdef", title, "",
                                         ["matieres-dechets", "energie", "achats-groupes", "transport-logistique",
                                          "competences-emploi"][n % 5]))
    extension_actions = [facilitation.promote(ideas[n].id).title for n in (1, 3)]
    facilitation.move_phase(extension.id, -2)  # back to the welcome: the test walks every phase

    # The SWOT workshop: phones filled the four quadrants.
    swot = facilitation.create_workshop(territory_id, "FFOM du réseau", "ffom")
    facilitation.move_phase(swot.id, 1)
    for quadrant, items in SWOT.items():
        for n, text in enumerate(items):
            phone = service.join(swot.code, f"{quadrant}-{n}", f"Membre {n}", "Scierie Dumas")
            service.submit_swot_item(swot.id, phone.id, f"swot-{quadrant}-{n:04d}-abcdef", quadrant, text)
    facilitation.move_phase(swot.id, -1)

    # A working group's live meeting: its members sent ideas.
    when = (datetime.date.today() + datetime.timedelta(days=7)).isoformat() + "T18:00"
    meeting = groups.open_live_session(groups.plan_meeting(group_ids[0], when, 90, "Mairie de Saint-Julien"))
    facilitation.move_phase(meeting.id, 1)
    for n, title in enumerate(MEETING_IDEAS):
        phone = service.join(meeting.code, f"member-{n}", f"Membre {n}", ["Scierie Dumas", "Mairie de Saint-Julien",
                                                                          "Collège Jean-Rouchon"][n % 3])
        service.submit_idea(meeting.id, phone.id, f"meeting-{n:04d}-abcdef", title, "", "energie")
    facilitation.move_phase(meeting.id, -1)

    # A co-construction workshop in its ideas phase where phones support each other's ideas.
    supports = facilitation.create_workshop(territory_id, "Atelier 3 — idées du printemps", "co-construction")
    facilitation.set_participation(supports.id, peer_ideas=True)
    facilitation.move_phase(supports.id, 1)
    for n, title in enumerate(SUPPORT_IDEAS):
        phone = service.join(supports.code, f"author-{n}", f"Auteur {n}", NEWCOMERS[n])
        service.submit_idea(supports.id, phone.id, f"support-{n:04d}-abcdef", title, "", "matieres-dechets")
    service.store.close()
    return Rooms(None, (extension.id, extension.code), (swot.id, swot.code),  # type: ignore[arg-type]
                 (meeting.id, meeting.code), supports.code, titles, extension_actions)


@pytest.fixture(scope="module")
def rooms(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rooms]:
    directory = tmp_path_factory.mktemp("e2e-board-templates")
    rooms = prepare(directory / "atelier.sqlite")
    rooms.server = start_demo(directory)
    yield rooms
    rooms.server.stop()


TITLE_SIZES = """() => [...document.querySelectorAll('.wall-area [data-testid=idea-title]')]
    .map(el => parseFloat(getComputedStyle(el).fontSize))"""


def console_of(browser: Browser, rooms: Rooms, workshop_id: int) -> Page:
    console = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    log_in(console, rooms.server.base_url, rooms.server.secret)
    console.goto(f"{rooms.server.base_url}/animation/atelier/{workshop_id}")
    return console


def next_phase(console: Page, boards: list[Page], phase: str) -> None:
    console.get_by_test_id("next-phase").click()
    for board in boards:
        expect(board.get_by_test_id("phase")).to_contain_text(phase)


def welcome_names(boards: list[Page], count: int, organisations: list[str]) -> None:
    for board in boards:
        expect(board.get_by_test_id("welcome-count")).to_have_text(f"{count} participant·es")
        for organisation in organisations:
            expect(board.get_by_test_id("welcome-orgs")).to_contain_text(organisation)
        expect(board.get_by_test_id("welcome-qr")).to_be_visible()


def wall_shows(boards: list[Page], titles: list[str]) -> None:
    """Every title seen on the wall (paging brings each round), none under the legible floor."""
    for board, (_, height) in zip(boards, SIZES, strict=True):
        expect(board.get_by_test_id("idea-count")).to_have_text(f"{len(titles)} idées")
        for title in titles:
            expect(board.locator(".wall-area").get_by_text(title, exact=True)).to_be_in_viewport(timeout=30_000)
        assert min(board.evaluate(TITLE_SIZES)) >= FLOOR[height]


def test_extension_workshop_board_phase_by_phase(rooms: Rooms, browser: Browser, artifacts: Path) -> None:
    workshop_id, code = rooms.extension
    console = console_of(browser, rooms, workshop_id)
    boards = open_boards(browser, f"{rooms.server.base_url}/tableau/{code}")

    welcome_names(boards, len(EXTENSION_IDEAS), NEWCOMERS)
    shoot(boards, artifacts, "extension-1-welcome")

    next_phase(console, boards, "Présentation du réseau")  # the actors and the leads between them
    for board in boards:
        board.wait_for_function("""() => { const c = document.querySelector('.reseau-view .nicegui-echart');
            const chart = c && getElement(c.id.slice(1)).chart;
            return chart && chart.getOption().series[0].data.some(n => n.name === 'Scierie Dumas'); }""")
        # The actors' names are read from the back of the room, beside the QR panel too (the chart's own sizes).
        assert min(board.evaluate(NETWORK_LABEL_SIZES)) >= NETWORK_LABEL_FLOOR
        legend = board.locator(".reseau-view .network-legend")
        expect(legend).to_contain_text("Matières et déchets")
        assert legend.bounding_box()["y"] + legend.bounding_box()["height"] <= board.viewport_size["height"]
    shoot(boards, artifacts, "extension-2-network")

    next_phase(console, boards, "Idées")
    wall_shows(boards, EXTENSION_IDEAS)
    shoot(boards, artifacts, "extension-3-ideas")

    next_phase(console, boards, "Groupes de travail")  # the groups newcomers may join
    for board in boards:
        expect(board.get_by_test_id("board-group")).to_have_count(len(rooms.groups))
        for title, objective in zip(rooms.groups, GROUPS.values(), strict=True):
            group = board.get_by_test_id("board-group").filter(has_text=title)
            expect(group).to_contain_text(objective)
            expect(group).to_be_in_viewport(ratio=1)
    shoot(boards, artifacts, "extension-4-working-groups")

    next_phase(console, boards, "Clôture")  # what the workshop produced
    for board in boards:
        expect(board.get_by_test_id("summary")).to_have_text(
            f"{len(EXTENSION_IDEAS)} idées · {len(rooms.extension_actions)} actions candidates")
        expect(board.get_by_test_id("summary-action")).to_have_count(len(rooms.extension_actions))
        for title in rooms.extension_actions:
            expect(board.get_by_test_id("summary-action").filter(has_text=title)).to_be_in_viewport(ratio=1)
    shoot(boards, artifacts, "extension-5-closing")
    for page in (*boards, console):
        page.context.close()


def test_swot_workshop_board_phase_by_phase(rooms: Rooms, browser: Browser, artifacts: Path) -> None:
    workshop_id, code = rooms.swot
    console = console_of(browser, rooms, workshop_id)
    boards = open_boards(browser, f"{rooms.server.base_url}/tableau/{code}")
    welcome_names(boards, sum(len(items) for items in SWOT.values()), ["Scierie Dumas"])
    shoot(boards, artifacts, "ffom-1-welcome")
    for phase, name in (("FFOM du réseau", "ffom-2-swot"), ("Clôture", "ffom-3-closing")):
        next_phase(console, boards, phase)
        for board in boards:
            for quadrant, items in SWOT.items():
                shown = board.get_by_test_id(f"swot-{quadrant}")
                for text in items:
                    expect(shown.get_by_text(text, exact=True)).to_be_in_viewport(ratio=1)
        shoot(boards, artifacts, name)
    # Live: a phone's item reaches the board without a reload (the SWOT phase collects).
    console.get_by_test_id("previous-phase").click()
    phone = phone_sends_a_threat(browser, rooms.server.base_url, code, "Une route coupée l’hiver")
    for board in boards:
        expect(board.get_by_test_id("swot-menaces").get_by_text("Une route coupée l’hiver")).to_be_in_viewport()
    for page in (*boards, console, phone):
        page.context.close()


def test_working_group_meeting_board_phase_by_phase(rooms: Rooms, browser: Browser, artifacts: Path) -> None:
    workshop_id, code = rooms.meeting
    console = console_of(browser, rooms, workshop_id)
    boards = open_boards(browser, f"{rooms.server.base_url}/tableau/{code}")
    welcome_names(boards, len(MEETING_IDEAS), ["Scierie Dumas", "Collège Jean-Rouchon"])
    shoot(boards, artifacts, "reunion-1-welcome")
    next_phase(console, boards, "Idées")
    wall_shows(boards, MEETING_IDEAS)
    shoot(boards, artifacts, "reunion-2-ideas")
    next_phase(console, boards, "Clôture")
    for board in boards:
        expect(board.get_by_test_id("summary")).to_have_text(f"{len(MEETING_IDEAS)} idées · 0 actions candidates")
        for title in MEETING_IDEAS:  # what the meeting said, since no action came of it
            expect(board.get_by_test_id("summary-idea").filter(has_text=title)).to_be_in_viewport(ratio=1)
    shoot(boards, artifacts, "reunion-3-closing")
    for page in (*boards, console):
        page.context.close()


def test_a_phones_support_shows_live_on_the_board(rooms: Rooms, browser: Browser, artifacts: Path) -> None:
    """Issue 10: a phone supports another's idea; the board's card shows "+1" without a reload, and drops it
    when the support is taken back."""
    boards = open_boards(browser, f"{rooms.server.base_url}/tableau/{rooms.supports}")
    for board in boards:
        board.evaluate("window.notReloaded = true")
    phone = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True).new_page()
    phone.goto(f"{rooms.server.base_url}/j/{rooms.supports}")
    phone.get_by_test_id("name").fill("Lucie")
    phone.get_by_test_id("organisation").fill("Boulangerie Roux")
    phone.get_by_test_id("join").tap()
    phone.get_by_test_id("peers-open").tap()
    supported = SUPPORT_IDEAS[2]
    button = phone.locator(".phone-own-idea", has_text=supported).get_by_role("button", name="Soutenir")
    cards = [board.locator(".wall-area .idea-card", has_text=supported) for board in boards]
    for card in cards:
        expect(card).to_be_in_viewport(ratio=1)
        expect(card.get_by_test_id("idea-support")).to_have_count(0)  # nobody supports it yet
    button.tap()
    expect(button).to_have_attribute("aria-pressed", "true")
    for board, card, (width, height) in zip(boards, cards, SIZES, strict=True):
        expect(card.get_by_test_id("idea-support")).to_have_text("+1")
        others = board.locator(".wall-area [data-testid=idea-support]")
        expect(others).to_have_count(1)  # only the supported idea
        board.screenshot(path=artifacts / f"board-support-live-{width}x{height}.png")
    button.tap()  # taken back
    for board, card in zip(boards, cards, strict=True):
        expect(card.get_by_test_id("idea-support")).to_have_count(0)
        assert board.evaluate("window.notReloaded") is True
    for page in (*boards, phone):
        page.context.close()
