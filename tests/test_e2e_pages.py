"""End to end, every page once: axe-core (no serious or critical violation), one h1, and the console's screenshots
at 64 and 300 ideas. One server, one browser, a database prepared with something on every page."""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from browsing import log_in
from playwright.sync_api import Browser, BrowserContext, Page, expect
from prepared import actions_open_for_the_vote, lead_session

from atelier.launch import RunningServer, start_demo

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
THEMES = ["Chaufferie bois partagée", "Broyeur à végétaux en commun", "Covoiturage domicile-travail",
          "Achat groupé d’emballages", "Récupération des palettes", "Local de stockage partagé",
          "Groupement d’employeurs", "Compostage collectif des biodéchets"]
PLACES = ["de la zone des Aulnes", "du bourg", "de la vallée", "entre les fermes", "du marché", "de la scierie",
          "des artisans", "du collège"]


@dataclass
class Site:
    server: RunningServer
    territory_id: int
    territory_key: str
    actor_id: int
    ideas_64: int  # a co-construction workshop in its ideas phase, 64 ideas
    ideas_300: int
    ideas_code: str
    ideas_300_code: str
    vote_id: int
    vote_code: str
    group_id: int
    pilot_token: str


def prepare(directory: Path) -> dict:
    """The demo territory with something on every page: ideas, a vote with ratings, a selection, a working group."""
    prepared = actions_open_for_the_vote(directory / "atelier.sqlite", ["Chaufferie à copeaux partagée",
                                                                        "Camion frigorifique en commun"])
    service, facilitation, vote = prepared.service, prepared.facilitation, prepared.vote
    tid = prepared.territory_id
    sizes = {}
    for count in (64, 300):
        workshop = facilitation.move_phase(facilitation.create_workshop(tid, f"Atelier {count} idées",
                                                                       "co-construction").id, 1)
        titles = (f"{theme} {place}" for place, theme in itertools.cycle(itertools.product(PLACES, THEMES)))
        categories = [c.key for c in service.categories(tid)]
        for n, title in zip(range(count), titles, strict=False):
            details = "https://exemple.fr/" + "une-adresse-tres-longue-sans-espace" * 4 if n == count - 1 else ""
            service.store.insert_idea(workshop.id, None, f"prepared-{count}-{n:04d}", title, details,
                                      categories[n % len(categories)])
        sizes[count] = workshop
    for n, organisation in enumerate(["Scierie Dumas", "Brasserie La Fourche", "GAEC du Pré-Haut"]):
        voter = service.join(vote.code, f"voter-{n}", f"Votant {n}", organisation)
        service.rate(vote.id, voter.id, prepared.actions[0].id, 4, 5, "court", "pilote")
        service.rate(vote.id, voter.id, prepared.actions[1].id, 4, 3, "moyen", "contributeur")
    session = lead_session(service)
    selection = service.selection(session)
    selection.select(vote.id, prepared.actions[1].id)
    group_id = service.groups(session).create(prepared.actions[1].id, "Une tournée par semaine")
    group = service.working_group(group_id)
    actor_id = service.store.actors(tid)[0][0]
    site = {"territory_id": tid, "territory_key": service.territory(tid)["key"], "actor_id": actor_id,
            "ideas_64": sizes[64].id, "ideas_300": sizes[300].id, "ideas_code": sizes[64].code,
            "ideas_300_code": sizes[300].code,
            "vote_id": vote.id, "vote_code": vote.code, "group_id": group_id, "pilot_token": group["pilot_token"]}
    prepared.close()
    return site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    directory = tmp_path_factory.mktemp("pages")
    prepared = prepare(directory)
    server = start_demo(directory)
    yield Site(server=server, **prepared)
    server.stop()


def console_pages(s: Site) -> list[str]:
    territory = f"/animation/territoire/{s.territory_id}"
    return ["/animation", "/animation/roles", f"/animation/atelier/{s.ideas_64}", f"/animation/atelier/{s.vote_id}",
            f"/animation/atelier/{s.vote_id}/selection", f"/animation/atelier/{s.vote_id}/plan",
            f"{territory}/actions", f"{territory}/acteurs", f"/animation/acteur/{s.actor_id}", f"{territory}/pistes",
            f"{territory}/ffom", f"{territory}/groupes", f"/animation/groupe/{s.group_id}", f"{territory}/extension",
            f"{territory}/methode", f"{territory}/donnees"]


def public_pages(s: Site) -> list[str]:
    return ["/connexion", f"/tableau/{s.ideas_code}", f"/tableau/{s.vote_code}", f"/tableau/{s.ideas_code}/reseau",
            f"/plan/{s.vote_code}", f"/reseau/{s.territory_key}/rejoindre", f"/groupe/{s.pilot_token}", "/rejoindre",
            f"/j/{s.ideas_code}"]


def settle(page: Page) -> None:
    """Loaded, connected, and drawn (the console draws its list and suggestions just after connecting)."""
    page.wait_for_function("window.did_handshake === true")
    page.wait_for_timeout(600)


def problems(page: Page) -> list[str]:
    """What a screen reader user would trip over: axe's serious and critical violations, not exactly one h1."""
    found = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
             for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    headings = page.locator("h1").count()
    if headings != 1:
        found.append(f"{headings} h1")
    # A Material icon is a word drawn as a picture ("check_circle"): a screen reader must not read it out.
    spoken_icons = page.evaluate("""
        [...document.querySelectorAll('.material-icons, .q-icon, [class*="material-symbols"]')]
        .filter(i => i.textContent.trim() && !i.closest('[aria-hidden="true"]')).map(i => i.textContent.trim())""")
    if spoken_icons:
        found.append(f"icon names read as text: {sorted(set(spoken_icons))}")
    return found


def join(context: BrowserContext, base_url: str, code: str, name: str) -> Page:
    phone = context.new_page()
    phone.goto(f"{base_url}/j/{code}")
    phone.get_by_test_id("name").fill(name)
    phone.get_by_test_id("organisation").fill("Scierie Dumas")
    phone.get_by_test_id("join").click()
    phone.get_by_test_id("hello").wait_for()
    return phone


def test_every_page_accessible_with_one_h1(site: Site, browser: Browser, artifacts: Path) -> None:
    base = site.server.base_url
    found: dict[str, list[str]] = {}
    public = browser.new_context(viewport={"width": 1280, "height": 800})
    page = public.new_page()
    for path in public_pages(site):
        page.goto(base + path)
        settle(page)
        found[path] = problems(page)
    phones = browser.new_context(**PHONE)
    ideas_phone = join(phones, base, site.ideas_code, "Zoé")
    settle(ideas_phone)
    found["phone: ideas"] = problems(ideas_phone)
    rating_phone = join(browser.new_context(**PHONE), base, site.vote_code, "Marc")
    rating_phone.get_by_test_id("rating-title").wait_for()
    settle(rating_phone)
    found["phone: rating"] = problems(rating_phone)

    facilitator = browser.new_context(viewport={"width": 1280, "height": 800})
    console = facilitator.new_page()
    log_in(console, base, site.server.secret)
    for path in console_pages(site):
        console.goto(base + path)
        settle(console)
        found[path] = problems(console)

    for count, code in ((64, site.ideas_code), (300, site.ideas_300_code)):
        # The phone with the room's ideas: its own page, then the others' ideas opened, read with a thumb.
        phone = ideas_phone if count == 64 else join(browser.new_context(**PHONE), base, code, "Léa")
        phone.screenshot(path=artifacts / f"phone-{count}-ideas-360x740.png")
        phone.get_by_test_id("peers-open").tap()
        expect(phone.get_by_test_id("peers-close")).to_be_in_viewport()  # the list comes up, not below the fold
        settle(phone)
        phone.screenshot(path=artifacts / f"phone-{count}-ideas-others-360x740.png")
        phone.screenshot(path=artifacts / f"phone-{count}-ideas-others-full.png", full_page=True)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # long words wrap
        found[f"phone: others' ideas ({count})"] = problems(phone)

    for count, workshop_id in ((64, site.ideas_64), (300, site.ideas_300)):
        console.goto(f"{base}/animation/atelier/{workshop_id}")
        settle(console)
        console.screenshot(path=artifacts / f"console-{count}-ideas-1280x800.png")
        console.screenshot(path=artifacts / f"console-{count}-ideas-full.png", full_page=True)
        assert console.evaluate("document.documentElement.scrollWidth") <= 1280  # long words wrap
        # The list of ideas starts in the first screen: the board's steering is folded until asked for.
        first_row = console.get_by_test_id("idea-title").first.bounding_box()
        assert first_row is not None and first_row["y"] + first_row["height"] <= 800, first_row
        expect(console.get_by_test_id("board-pause")).to_be_hidden()
    failing = {path: issues for path, issues in found.items() if issues}
    assert not failing, "\n".join(f"{path}: {issue}" for path, issues in failing.items() for issue in issues)


# French that English pages must not show: accented letters and French words (user data taken out first).
FRENCH_LETTERS = set("éèêëàâùûçôîïœÉÈÊÀÇÔÎŒ«»")
FRENCH_WORDS = {"le", "la", "les", "des", "du", "une", "et", "pour", "avec", "dans", "sur", "vous", "votre", "nous",
                "au", "aux", "ces", "est", "sont", "pas", "qui", "idées", "réseau", "acteurs", "retenue", "pilote",
                "groupe", "travail", "terme", "envoyer", "rejoindre", "enregistrer"}


def user_data(db_path: Path) -> list[str]:
    """Every text people typed or imported (ideas, actors, interviews, titles...): French by nature, left out; and
    the workshops' random join codes (a code like "DU986" reads as the word "du")."""
    queries = ["SELECT title, details FROM ideas", "SELECT name, description FROM territories",
               "SELECT title, code FROM workshops", "SELECT title, description FROM actions",
               "SELECT name, organisation FROM participants", "SELECT text FROM swot_items",
               "SELECT objective FROM working_groups", "SELECT name, data FROM actors", "SELECT data FROM interviews",
               "SELECT member FROM group_members"]
    found: set[str] = set()

    def collect(value: object) -> None:
        if isinstance(value, str):
            if value.startswith(("{", "[")):
                with contextlib.suppress(ValueError):
                    collect(json.loads(value))
                    return
            found.update(v for v in (value, *value.splitlines()) if v.strip())
        elif isinstance(value, dict):
            for v in value.values():
                collect(v)
        elif isinstance(value, list):
            for v in value:
                collect(v)

    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        for query in queries:
            for row in conn.execute(query):
                for value in row:
                    collect(value)
    return sorted(found, key=len, reverse=True)


def french_left(page: Page, data: list[str]) -> list[str]:
    """Lines of the page (outside a part marked in another language than the page's, like the link to the French
    page) still French once user data is taken out: whole values first, then their words (a matched word...)."""
    text = page.evaluate("""(() => {
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        const parts = [];
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const element = node.parentElement;
            const marked = element.closest('[lang]');
            if (marked && marked.lang !== document.documentElement.lang) continue;
            if (element.closest('[aria-hidden="true"]')) continue;
            if (!element.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
            parts.push(node.textContent);
        }
        return parts.join('\\n');
    })()""").lower()
    text = re.sub(r"https?://\S+", " ", text)  # addresses are routes, not words to translate
    values = [v.lower() for v in data if len(v) >= 3]
    for value in values:
        text = text.replace(value, " ")
    data_words = {w for v in values for w in re.findall(r"[^\W\d_]+", v)} - FRENCH_WORDS
    lines = []
    if page.evaluate("document.documentElement.lang") != "en":
        lines.append("<html lang> is not en")
    for line in text.splitlines():
        words = set(re.findall(r"[^\W\d_]+", line)) - data_words
        if FRENCH_LETTERS & set("".join(words)) or FRENCH_WORDS & words:
            lines.append(line.strip()[:120])
    return lines


def test_every_page_in_english_has_no_french_but_user_data(site: Site, browser: Browser) -> None:
    base = site.server.base_url
    phone = browser.new_context(**PHONE).new_page()
    phone.goto(f"{base}/j/{site.ideas_code}?lang=en")
    phone.get_by_test_id("name").fill("Zoé")
    phone.get_by_test_id("organisation").fill("Scierie Dumas")
    phone.get_by_test_id("join").click()
    phone.get_by_test_id("hello").wait_for()
    data = user_data(site.server.db_path)
    found: dict[str, list[str]] = {"phone: ideas": french_left(phone, data)}
    public = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    for path in public_pages(site):
        public.goto(f"{base}{path}?lang=en")
        settle(public)
        found[path] = french_left(public, data)
    console = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    log_in(console, base, site.server.secret)
    for path in console_pages(site):
        console.goto(f"{base}{path}?lang=en")
        settle(console)
        found[path] = french_left(console, data)
    # The detector itself sees French: the same console page in French is flagged.
    console.goto(f"{base}/animation/atelier/{site.vote_id}/selection?lang=fr")
    settle(console)
    assert "<html lang> is not en" in french_left(console, data) and len(french_left(console, data)) > 3
    failing = {path: lines for path, lines in found.items() if lines}
    assert not failing, "\n".join(f"{path}: {line}" for path, lines in failing.items() for line in lines)
