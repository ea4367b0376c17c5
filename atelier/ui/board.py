"""The projector board: phase, countdown, QR code to join, and the idea wall by category, live."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from nicegui import run, ui

from atelier.models import Collect, Idea, Workshop
from atelier.qr import qr_svg
from atelier.rules import Refused
from atelier.service import SelectionResults, Service
from atelier.ui.common import (
    Heading,
    categories_by_key,
    category_style,
    countdown,
    page_language,
    setup_page,
    testid,
    translator,
    update_countdown,
)
from atelier.ui.diagnostic import network_chart
from atelier.ui.selection import ResultsView, shows_results
from atelier.ui.swot import SwotWall


def register(service: Service, public_base_url: str) -> None:
    @ui.page("/tableau/{code}")
    async def board_page(code: str, lang: str | None = None) -> None:
        language = page_language(lang)
        tr = translator(language)
        try:
            workshop = service.workshop_by_code(code)
        except Refused as refusal:
            setup_page("atelier", language)
            ui.label(tr(refusal.key, **refusal.params)).classes("text-2xl p-8")
            return
        setup_page(workshop.title, language)
        ui.query("body").style("background: #0b0f14")
        await Board(service, workshop, tr, public_base_url).build()

    @ui.page("/tableau/{code}/reseau")
    async def network_page(code: str, lang: str | None = None) -> None:
        language = page_language(lang)
        tr = translator(language)
        setup_page("atelier", language)
        try:
            workshop = service.workshop_by_code(code)
        except Refused as refusal:
            ui.label(tr(refusal.key, **refusal.params)).classes("text-2xl p-8")
            return
        ui.query("body").style("background: #0b0f14")
        territory_id = workshop.territory_id
        views = await run.io_bound(service.public_leads, territory_id)
        categories = {c.key: c.in_language(language) for c in service.categories(territory_id)}
        with ui.element("div").classes("board"):
            with ui.element("header").classes("board-top"):
                Heading(tr("board.network")).classes("board-title")
                ui.label(workshop.title).classes("board-stat")
            with ui.element("div").classes("w-full p-4"):
                network_chart(views, service.public_actor_names(territory_id), categories, height="82vh", dark=True)
                with ui.row().classes("gap-6 justify-center w-full"):
                    for category in categories.values():
                        ui.label(category.label).classes("text-lg font-bold").style(f"color: {category.colour}")


class Board:
    """Each idea is a card: added, changed or removed one at a time, never a redraw of the whole wall."""

    def __init__(self, service: Service, workshop: Workshop, tr: Callable[..., str], base_url: str) -> None:
        self.service = service
        self.workshop = workshop
        self.tr = tr
        self.join_url = f"{base_url}/j/{workshop.code}"
        self.language = page_language(None)  # this page's, chosen by ?lang= and remembered
        self.categories = [c.in_language(self.language) for c in service.categories(workshop.territory_id)]
        self.category_of = categories_by_key(self.categories)
        self.cards: dict[int, tuple[ui.element, str]] = {}  # idea id -> (card, category key)
        self.changed_live: set[int] = set()

    async def build(self) -> None:
        tr = self.tr
        with ui.element("div").classes("board") as self.root:
            with ui.element("header").classes("board-top"):
                Heading(self.workshop.title).classes("board-title")
                self.phase_label = testid(ui.label().classes("board-phase"), "phase")
                self.locked_label = ui.label(tr("board.locked")).classes("board-locked")
                self.participants_label = testid(ui.label().classes("board-stat"), "participants")
                self.ideas_label = testid(ui.label().classes("board-stat"), "idea-count")
                self.countdown = countdown(self.workshop, "board-countdown")
            with ui.element("main").classes("board-body"):
                self.swot = SwotWall(tr)
                self.results = ResultsView(tr, self.workshop)
                with testid(ui.element("section").classes("board-wall"), "wall") as self.wall:
                    self.panels: dict[str, ui.element] = {}
                    for category in self.categories:
                        with ui.element("div").classes("category-panel") as panel:
                            ui.label(category.label).classes("category-title").style(f"color: {category.colour}")
                        panel.set_visibility(False)
                        self.panels[category.key] = panel
                with ui.element("aside").classes("board-side"):
                    testid(ui.html(qr_svg(self.join_url), sanitize=False).classes("board-qr"), "qr").props(
                        f'role=img aria-label="{tr("board.qr_alt")}"')
                    testid(ui.label(self.workshop.code).classes("board-code"), "join-code")
                    ui.label(self.join_url.split("://", 1)[-1]).classes("board-url")
                    self.instruction = ui.label().classes("board-instruction")
        hub = self.service.hub
        # Subscribe first, then draw what is stored: an idea that changes while the wall is being drawn
        # comes through the event and is not drawn again from the older list.
        hub.workshop_changed(self.workshop.id).subscribe(self.show_workshop_state)
        hub.idea_changed(self.workshop.id).subscribe(self.on_idea_changed)
        hub.participant_count_changed(self.workshop.id).subscribe(self.show_participant_count)
        hub.results_changed(self.workshop.id).subscribe(self.on_results)
        self.show_workshop_state(self.workshop)
        self.show_participant_count(self.service.participant_count(self.workshop.id))
        for n, idea in enumerate(self.service.wall(self.workshop.id)):
            if idea.id not in self.changed_live:
                self.show(idea)
            if n % 100 == 99:
                await asyncio.sleep(0)  # a full wall is drawn in slices: phones keep being served meanwhile
        self.update_idea_count()
        for item in self.service.swot(self.workshop.territory_id):
            self.swot.show(item)
        hub.swot_changed(self.workshop.territory_id).subscribe(self.swot.show)

    def show_workshop_state(self, workshop: Workshop) -> None:
        self.workshop = workshop
        phase = workshop.phase.in_language(self.language)
        self.phase_label.set_text(f"{phase.title} · {workshop.phase_index + 1}/{len(workshop.phases)}")
        self.instruction.set_text(phase.instruction)
        self.locked_label.set_visibility(workshop.locked)
        swot_phase = phase.collect == Collect.SWOT
        results_phase = shows_results(workshop)
        self.swot.root.set_visibility(swot_phase)
        self.results.root.set_visibility(results_phase)
        self.wall.set_visibility(not swot_phase and not results_phase)
        self.ideas_label.set_visibility(not swot_phase and not results_phase)
        if results_phase:
            self.results.show(workshop, self.service.results(workshop.id))
        # While people arrive, the QR code takes the room: the first phase is when phones join.
        if workshop.phase_index == 0:
            self.root.classes(add="welcome")
        else:
            self.root.classes(remove="welcome")
        update_countdown(self.countdown, workshop)

    def on_results(self, results: SelectionResults) -> None:
        if shows_results(self.workshop):
            self.results.show(self.workshop, results)

    def show_participant_count(self, count: int) -> None:
        self.participants_label.set_text(self.tr("board.participants", count=count))

    def update_idea_count(self) -> None:
        self.ideas_label.set_text(self.tr("board.ideas", count=len(self.cards)))

    def on_idea_changed(self, idea: Idea) -> None:
        self.changed_live.add(idea.id)
        if idea.on_wall:
            self.show(idea)
        elif idea.id in self.cards:
            card, category = self.cards.pop(idea.id)
            card.delete()
            self.panels[category].set_visibility(self.panel_has_cards(category))
        self.update_idea_count()

    def panel_has_cards(self, category: str) -> bool:
        return any(c == category for _, c in self.cards.values())

    def show(self, idea: Idea) -> None:
        """Adds the idea's card, or fills it again where it stands (moving it if its category changed)."""
        category_key = idea.category if idea.category in self.panels else next(iter(self.panels))
        panel = self.panels[category_key]
        if idea.id in self.cards:
            card, previous = self.cards[idea.id]
            card.clear()
            self.cards[idea.id] = (card, category_key)
            if previous != category_key:
                card.move(panel)
                self.panels[previous].set_visibility(self.panel_has_cards(previous))
        else:
            with panel:
                card = ui.element("article").classes("idea-card")
            self.cards[idea.id] = (card, category_key)
        panel.set_visibility(True)
        card.style(category_style(self.category_of.get(idea.category)))
        with card:
            # Participant text goes through labels: shown as text, never run as markup.
            testid(ui.label(idea.title).classes("idea-title"), "idea-title")
            if idea.is_group:
                members = self.service.group_members(idea.id)
                ui.label(self.tr("board.group_of", count=len(members))).classes("idea-meta")
                ui.label(" · ".join(m.title for m in members)).classes("idea-members")
            elif idea.organisation:  # the organisation, not the person: the projector is seen by all
                ui.label(idea.organisation).classes("idea-meta")
            if idea.origin == "piste":
                ui.label(self.tr("board.from_interviews")).classes("idea-badge idea-badge-lead")
            if idea.action_id is not None:
                ui.label(self.tr("board.action")).classes("idea-badge")
