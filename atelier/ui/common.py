"""What every page shares: language, browser identity, assets, countdown, messages."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from nicegui import app, ui
from nicegui.client import Client

from atelier.i18n import LANGUAGES, t
from atelier.models import Category, Workshop
from atelier.rules import Refused
from atelier.service import Diagnostic, Service
from atelier.service.access import SessionEnded

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
# The app's own stylesheet and script go inline in each page: an absolute `/atelier-static/...` link would miss
# the path prefix when a reverse proxy serves a territory under `/<territory>/` (see deploy/), and they are small.
PAGE_HEAD = (f"<style>{(STATIC_DIR / 'atelier.css').read_text(encoding='utf-8')}</style>"
             f"<script>{(STATIC_DIR / 'atelier.js').read_text(encoding='utf-8')}</script>")


def page_language(lang: str | None) -> str:
    """`?lang=en` switches and is remembered for this browser; French otherwise."""
    if lang in LANGUAGES:
        app.storage.user["lang"] = lang
    chosen = app.storage.user.get("lang", "fr")
    return chosen if chosen in LANGUAGES else "fr"


def translator(lang: str) -> Callable[..., str]:
    def tr(key: str, **params: object) -> str:
        return t(key, lang, **params)

    return tr


def browser_id() -> str:
    """The id in this browser's signed session cookie: the key of a phone's or facilitator's identity."""
    return str(app.storage.browser["id"])


SESSION_KEY = "facilitator_session"
LOGIN_PATH = "/connexion"
SESSION_ENDED_PATH = "/connexion?motif=fin"
# Refusals that mean "this page's session is gone": the page goes to the login page.
_LOGIN_KEYS = {"auth.required", SessionEnded.key}


def client_address() -> str:
    """The address this page was requested from (per-address limits on logins, joins and forms)."""
    request = ui.context.client.request
    client = getattr(request, "client", None)
    return str(getattr(client, "host", None) or "local")


def facilitator_session() -> str | None:
    """This browser's facilitator session id, kept in NiceGUI's per-browser storage (the cookie is signed)."""
    value = app.storage.user.get(SESSION_KEY)
    return value if isinstance(value, str) else None


def keep_facilitator_session(session_id: str | None) -> None:
    if session_id:
        app.storage.user[SESSION_KEY] = session_id
    else:
        app.storage.user.pop(SESSION_KEY, None)


def guard_facilitator_page(lang: str) -> str | None:
    """What every facilitator page calls first: the page's session id, and a handler that, when any action of
    the page meets an ended session (`SessionEnded`, raised by the service before the use case runs), says so
    in French and goes to the login page, whatever the handler that ran it."""

    def on_exception(exception: Exception) -> None:
        if isinstance(exception, SessionEnded):
            to_login_page(lang)

    ui.context.client.on_exception(on_exception)
    return facilitator_session()


def to_login_page(lang: str) -> None:
    ui.notify(t(SessionEnded.key, lang), type="warning", position="top", timeout=8000)
    ui.navigate.to(SESSION_ENDED_PATH)


def install_page_head() -> None:
    """The app's style, script and colours, once for the whole app (idempotent). Added per page, each connected page
    kept its own 23 kB copy of them and a colours element: 46 MB for 2,000 phones (tracemalloc, atelier bench)."""
    if PAGE_HEAD not in Client.shared_head_html:
        ui.add_head_html(PAGE_HEAD, shared=True)
    # Quasar's default blue and red fail contrast on white (WCAG AA): darker shades, readable in a sunny hall.
    app.colors(primary="#0b5cad", negative="#b00020", positive="#1b5e20")


def setup_page(title: str, lang: str) -> None:
    ui.page_title(title)
    install_page_head()
    ui.add_head_html(
        # Quasar's language pack sets <html lang> to the app's French when it starts: this page's language is
        # put back, or a screen reader reads an English page with a French voice.
        f'<script>(() => {{ const fix = () => {{ if (document.documentElement.lang !== "{lang}") '
        f'document.documentElement.lang = "{lang}"; }}; fix(); new MutationObserver(fix).observe('
        f'document.documentElement, {{attributes: true, attributeFilter: ["lang"]}}); }})();</script>'
    )


class Heading(ui.label):
    """The page's one h1: screen readers list the page by its headings and jump to them."""

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.tag = "h1"


@dataclass(frozen=True)
class FacilitatorPage:
    """A facilitator page once opened: its language, its words, and the session its actions are checked with."""

    language: str
    tr: Callable[..., str]
    session: str


def open_facilitator_page(service: Service, lang: str | None, title_key: str) -> FacilitatorPage | None:
    """What every facilitator page does first: its language and title, then the session checked; without a
    facilitator's session, to the login page (None: the page draws nothing). Each action checks again."""
    language = page_language(lang)
    tr = translator(language)
    setup_page(tr(title_key), language)
    session = guard_facilitator_page(language)
    if session is None or not service.is_facilitator(session):
        ui.navigate.to(LOGIN_PATH)
        return None
    return FacilitatorPage(language, tr, session)


class TerritoryPage:
    """What a facilitator's page about one territory's diagnosis holds (actors, SWOT, leads)."""

    def __init__(self, service: Service, diagnostic: Diagnostic, tr: Callable[..., str], language: str,
                 territory_id: int) -> None:
        self.service = service
        self.diagnostic = diagnostic
        self.tr = tr
        self.language = language
        self.territory_id = territory_id


def territory_menu(territory_id: int, tr: Callable[..., str]) -> None:
    """The facilitator's way round a territory's pages."""
    with ui.row().classes("gap-4 text-lg"):
        ui.link(tr("console.workshops"), "/animation")
        ui.link(tr("diag.actors"), f"/animation/territoire/{territory_id}/acteurs")
        ui.link(tr("diag.leads"), f"/animation/territoire/{territory_id}/pistes")
        ui.link(tr("diag.swot"), f"/animation/territoire/{territory_id}/ffom")
        ui.link(tr("actions.title"), f"/animation/territoire/{territory_id}/actions")
        ui.link(tr("groups.title"), f"/animation/territoire/{territory_id}/groupes")
        ui.link(tr("extension.title"), f"/animation/territoire/{territory_id}/extension")
        ui.link(tr("guide.title"), f"/animation/territoire/{territory_id}/methode")
        ui.link(tr("people.title"), f"/animation/territoire/{territory_id}/donnees")


def territory_heading(territory_id: int, tr: Callable[..., str], title: str) -> None:
    """The top of a territory's facilitator page: its menu, then the page's one h1."""
    territory_menu(territory_id, tr)
    Heading(title).classes("text-2xl font-bold")


def language_link(lang: str) -> None:
    """A link to the other language, named in that language."""
    other = "en" if lang == "fr" else "fr"
    ui.link(t("common.language", lang), f"?lang={other}").classes("text-sm").props(f'lang="{other}"')


def countdown(workshop: Workshop, classes: str) -> ui.element:
    """An element whose text the browser counts down (see atelier.js)."""
    element = ui.element("div").classes(f"countdown {classes}").props("data-countdown role=timer")
    update_countdown(element, workshop)
    return element


def update_countdown(element: ui.element, workshop: Workshop) -> None:
    ends = "" if workshop.timer_ends_at is None else str(int(workshop.timer_ends_at * 1000))
    left = "" if workshop.timer_remaining is None else str(int(workshop.timer_remaining))
    element.props(f'data-ends="{ends}" data-left="{left}" data-now="{int(time.time() * 1000)}"')


def show_refusal(refusal: Refused, lang: str) -> None:
    if refusal.key in _LOGIN_KEYS:
        to_login_page(lang)
        return
    ui.notify(t(refusal.key, lang, **refusal.params), type="warning", position="top", timeout=6000)


def category_style(category: Category | None) -> str:
    return f"--stripe: {category.colour}" if category else ""


def categories_by_key(categories: list[Category]) -> dict[str, Category]:
    return {c.key: c for c in categories}


def scroll_to_top_of(element: ui.element) -> None:
    """Brings `element` to the top of the screen (CSS scroll-margin keeps a little air above it): on a phone, what a
    person just asked for must be in view, not below the fold."""
    ui.run_javascript(f"getHtmlElement({element.id})?.scrollIntoView({{block: 'start'}})")


def quasar_button(label: str, action: str, test_id: str, look: str, colour: str) -> str:
    """A Quasar button written as HTML, for a card drawn as one HTML element (`look` is "outline" or "flat"):
    the same classes and inner spans as Quasar's own `q-btn` with `no-caps`, so it looks and focuses the same.
    Its click reaches the server through the card's listener, as `data-action`."""
    return (f'<button type="button" tabindex="0" data-action="{escape(action)}" data-testid="{escape(test_id)}" '
            f'class="q-btn q-btn-item non-selectable no-outline q-btn--{look} q-btn--rectangle text-{colour} '
            'q-btn--actionable q-focusable q-hoverable q-btn--no-uppercase">'
            '<span class="q-focus-helper" tabindex="-1"></span>'
            '<span class="q-btn__content text-center col items-center q-anchor--skip justify-center row">'
            f'<span class="block">{escape(label, quote=False)}</span></span></button>')


def testid(element: Any, name: str) -> Any:
    """A stable hook for tests: a `data-testid` for browsers and simulated phones, a marker for `User` tests."""
    return element.props(f"data-testid={name}").mark(name)


# The page as first served carries its elements' first texts in an inline script; once run, the script is only
# a copy. Emptied when names change, so that an actor who withdrew consent is not left in the open page's source.
_FORGET_FIRST_SERVED = "document.querySelectorAll('script:not([src])').forEach(s => { s.textContent = ''; })"


def forget_first_served_texts() -> None:
    """Empties the open page's inline scripts (already run): the texts they hold may name an actor who has since
    withdrawn consent. Call it in the page's context after naming things afresh."""
    ui.run_javascript(_FORGET_FIRST_SERVED)


def emptied_by_the_page(field: ui.input) -> None:
    """The field is now empty, as the browser already shows it (the page emptied it itself, see atelierIdeaForm in
    atelier.js): the value changes here, its change handlers run, and nothing is sent back. This is what NiceGUI
    does with a value typed in the browser (ValueElement's `handle_change`, NiceGUI 3.18); sending the empty field
    was a tenth of the server's time in a 2,000-phone burst (atelier bench, py-spy)."""
    field._send_update_on_value_change = False
    try:
        field.set_value("")
    finally:
        field._send_update_on_value_change = True
    field._client_value = ""  # what the browser shows: kept there if the field is sent again
