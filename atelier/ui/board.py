"""The projector board: a display, not a page. Each phase projects what it collects (rules/board.py's board_mode):
the QR code and who joined, the idea wall (laid out and paged for the screen by board.js), one candidate action
per screen, the vote's progress, the results, the decisions. The facilitator steers it from the console
(ui/board_control.py); its settings are stored and come through the hub."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from nicegui import background_tasks, run, ui
from nicegui.client import Client
from nicegui.events import GenericEventArguments

from atelier.models import BoardState, Idea, Workshop
from atelier.qr import qr_svg
from atelier.rules import Refused, network
from atelier.rules.actors import anonymised, shown_name
from atelier.rules.board import BoardMode, board_mode, title_floor
from atelier.service import SELECTED, SelectionResults, Service
from atelier.ui.common import (
    STATIC_DIR,
    Heading,
    categories_by_key,
    category_style,
    countdown,
    forget_first_served_texts,
    page_language,
    setup_page,
    testid,
    translator,
    update_countdown,
)
from atelier.ui.diagnostic import network_chart
from atelier.ui.selection import HORIZON_KEYS, ResultsView
from atelier.ui.swot import SwotWall

# Inline, as the app's other assets (ui/common.py): no static route to miss behind a reverse proxy's prefix.
BOARD_SCRIPT = f"<script>{(STATIC_DIR / 'board.js').read_text(encoding='utf-8')}</script>"
WELCOME_ORGANISATIONS = 40
SUMMARY_IDEAS = 18  # a closing without actions lists this many of the session's ideas: three columns of six fit
NETWORK_LABEL_PX = 22  # the network's actor names on a projector: the font shrinks only when actors run out of room
FLUSH_SECONDS = 0.02  # ideas changed within this are sent to the wall together: a burst is a few messages


def shown_url(url: str) -> str:
    """The address as the room reads it: no scheme, and lines that may break only before a "/" (a zero-width space),
    so that a narrow panel never splits the join code in two."""
    return url.split("://", 1)[-1].replace("/", "\u200b/")


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
        ui.add_head_html(BOARD_SCRIPT)
        ui.query("body").style("background: #0b0f14; overflow: hidden")
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
        ui.query("body").style("background: #0b0f14; overflow: hidden")
        with ui.element("div").classes("board"):
            with ui.element("header").classes("board-top"):
                Heading(tr("board.network")).classes("board-title")
                ui.label(workshop.title).classes("board-stat")
            with ui.element("div").classes("board-body"), ui.element("div").classes("board-main") as holder:
                pass

        async def renamed() -> None:  # an actor's consent changed: the chart names the actors afresh
            holder.clear()
            await NetworkView.fill(service, workshop, holder)
            forget_first_served_texts()

        service.hub.names_changed(workshop.territory_id).subscribe(renamed)
        await NetworkView.fill(service, workshop, holder)


class NetworkView:
    """The actors and their leads, projected: positions computed once per load from the leads (deterministic),
    labels sized for the screen the chart is on."""

    @staticmethod
    async def fill(service: Service, workshop: Workshop, holder: ui.element) -> None:
        territory_id = workshop.territory_id
        language = page_language(None)  # the page's, as ?lang= chose it
        categories = {c.key: c.in_language(language) for c in service.categories(territory_id)}
        with holder:
            slot = testid(ui.element("div").classes("network-slot"), "network")
            with ui.element("div").classes("network-legend"):
                for category in categories.values():
                    ui.label(category.label).classes("network-legend-item").style(f"color: {category.colour}")
        views = await run.io_bound(service.public_leads, territory_id)
        client = holder.client  # also reached from a task of its own (the extension's presentation phase)
        await client.connected()
        # The labels are sized for the screen: the layout's frame is scaled to the chart's slot.
        try:
            size = await client.run_javascript(
                f"(() => {{ const r = document.getElementById('c{slot.id}').getBoundingClientRect();"
                " return [r.width, r.height]; })()", timeout=5)
        except TimeoutError:  # a browser too busy to answer: the chart is drawn for a 1280×720 screen
            size = None
        width, height = size if isinstance(size, list) and len(size) == 2 and size[0] > 100 else (1250, 560)
        scale = max(0.4, min(float(width) / network.WIDTH, float(height) / network.HEIGHT))
        with slot:
            network_chart(views, service.public_actor_names(territory_id), categories, height="100%", dark=True,
                          scale=scale, label_floor_px=NETWORK_LABEL_PX).classes("network-chart")


class Board:
    """Idea cards are data for board.js (added, changed, removed one at a time); the other views are a few
    elements each, filled when the phase or what they show changes."""

    def __init__(self, service: Service, workshop: Workshop, tr: Callable[..., str], base_url: str) -> None:
        self.service = service
        self.workshop = workshop
        self.tr = tr
        self.base_url = base_url
        self.join_url = f"{base_url}/j/{workshop.code}"
        self.language = page_language(None)  # this page's, chosen by ?lang= and remembered
        self.categories = [c.in_language(self.language) for c in service.categories(workshop.territory_id)]
        self.category_of = categories_by_key(self.categories)
        self.ideas: dict[int, dict[str, Any]] = {}  # what the wall shows, as sent to board.js
        self.pending: dict[int, dict[str, Any] | None] = {}
        self.flush_scheduled = False
        self.client: Client | None = None
        self.hidden: frozenset[str] = frozenset()
        self.state = BoardState()
        self.mode: BoardMode | None = None
        self.organisations: set[str] = set()
        self.last_participant = 0

    async def build(self) -> None:
        tr = self.tr
        self.client = ui.context.client
        self.hidden = self.service.hidden_organisations(self.workshop.territory_id)
        self.state = self.service.board_state(self.workshop.id)
        with testid(ui.element("div").classes("board"), "board") as self.root:
            with ui.element("header").classes("board-top"):
                Heading(self.workshop.title).classes("board-title")
                self.phase_label = testid(ui.label().classes("board-phase"), "phase")
                self.locked_label = ui.label(tr("board.locked")).classes("board-locked")
                self.participants_label = testid(ui.label().classes("board-stat"), "participants")
                self.ideas_label = testid(ui.label().classes("board-stat"), "idea-count")
                self.page_label = testid(ui.label().classes("board-page"), "wall-page")
                self.countdown = countdown(self.workshop, "board-countdown")
            with ui.element("div").classes("board-body"):
                with ui.element("main").classes("board-main"):
                    self.views: dict[BoardMode, ui.element] = {}
                    self.build_welcome()
                    self.build_wall()
                    with self.view(BoardMode.SWOT):
                        self.swot = SwotWall(tr)
                    with self.view(BoardMode.RESULTS):
                        self.results = ResultsView(tr, self.workshop)
                    for mode in (BoardMode.PRESENTATION, BoardMode.VOTE, BoardMode.DECISIONS,
                                 BoardMode.WORKING_GROUPS, BoardMode.SUMMARY, BoardMode.NETWORK):
                        self.view(mode)
                with ui.element("aside").classes("board-side"):
                    testid(ui.html(qr_svg(self.join_url), sanitize=False).classes("board-qr"), "qr").props(
                        f'role=img aria-label="{tr("board.qr_alt")}"')
                    testid(ui.label(self.workshop.code).classes("board-code"), "join-code")
                    ui.label(shown_url(self.join_url)).classes("board-url")
                    self.instruction = ui.label().classes("board-instruction")
        hub = self.service.hub
        # Subscribe first, then read what is stored: a change made meanwhile arrives through its event.
        hub.workshop_changed(self.workshop.id).subscribe(self.show_workshop_state)
        hub.idea_changed(self.workshop.id).subscribe(self.on_idea_changed)
        hub.participant_count_changed(self.workshop.id).subscribe(self.show_participant_count)
        hub.results_changed(self.workshop.id).subscribe(self.on_results)
        hub.board_changed(self.workshop.id).subscribe(self.on_board_state)
        hub.support_changed(self.workshop.id).subscribe(self.on_support)
        hub.swot_changed(self.workshop.territory_id).subscribe(self.swot.show)
        hub.names_changed(self.workshop.territory_id).subscribe(self.on_names_changed)
        for idea in self.service.wall(self.workshop.id):
            self.ideas[idea.id] = self.payload(idea)
        for item in self.service.swot(self.workshop.territory_id):
            self.swot.show(item)
        self.update_idea_count()
        self.show_participant_count(self.service.participant_count(self.workshop.id))
        self.show_workshop_state(self.workshop)
        self.apply_state()
        ui.on("atelier_screen", self.on_screen)
        await self.client.connected()
        config = {"categories": [{"key": c.key, "label": c.label, "colour": c.colour} for c in self.categories],
                  "labels": {"continued": tr("board.continued"), "groupOf": tr("board.group_of", count="{count}")},
                  "settings": self.state.model_dump(), "groupsFirst": self.mode == BoardMode.GROUPS}
        self.client.run_javascript(f"atelierWall.init({json.dumps(f'c{self.wall.id}')}, {self.json(config)})")
        ideas = list(self.ideas.values())
        for start in range(0, len(ideas), 500):  # a full wall in a few messages, phones served in between
            self.client.run_javascript(f"atelierWall.put({self.json(ideas[start:start + 500])}, false)")
            await asyncio.sleep(0)
        self.present_script()

    @staticmethod
    def json(value: object) -> str:
        # Participant text goes as JSON data and board.js sets it as text: markup never runs on the projector.
        return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")

    def view(self, mode: BoardMode) -> ui.element:
        element = testid(ui.element("section").classes(f"board-view {mode.value}-view"), f"view-{mode.value}")
        element.set_visibility(False)
        self.views[mode] = element
        return element

    # --- welcome ---------------------------------------------------------------------------------------------

    def build_welcome(self) -> None:
        tr = self.tr
        with self.view(BoardMode.WELCOME):
            with ui.element("div").classes("welcome-qr"):
                testid(ui.html(qr_svg(self.join_url), sanitize=False).classes("board-qr"), "welcome-qr").props(
                    f'role=img aria-label="{tr("board.qr_alt")}"')
                testid(ui.label(self.workshop.code).classes("board-code"), "welcome-code")
                ui.label(shown_url(self.join_url)).classes("board-url")
            with ui.element("div").classes("welcome-text"):
                self.welcome_count = testid(ui.label().classes("welcome-count"), "welcome-count")
                self.welcome_instruction = ui.label().classes("board-note")
                ui.label(tr("board.joined")).classes("board-heading")
                self.welcome_orgs = testid(ui.element("div").classes("welcome-orgs"), "welcome-orgs")

    def add_joined(self) -> None:
        """The organisations that joined since the last look, as the room may read them (consent): the newest
        first, at most WELCOME_ORGANISATIONS of them (a big room's list stays on the screen)."""
        for participant in self.service.participants(self.workshop.id, self.last_participant):
            self.last_participant = participant.id
            name = shown_name(participant.organisation, self.hidden).strip()
            if name and name.casefold() not in self.organisations:
                self.organisations.add(name.casefold())
                with self.welcome_orgs:
                    ui.label(name).classes("welcome-org").move(self.welcome_orgs, target_index=0)
                shown = list(self.welcome_orgs)
                for old in shown[WELCOME_ORGANISATIONS:]:
                    old.delete()

    def on_names_changed(self) -> None:
        """An actor's publication consent (or name) changed: everything projected is named afresh, at once, not at
        the board's next reload: the wall's cards, the organisations that joined, and the view on screen."""
        self.hidden = self.service.hidden_organisations(self.workshop.territory_id)
        for idea in self.service.wall(self.workshop.id):
            payload = self.payload(idea)
            if self.ideas.get(idea.id) != payload:
                self.ideas[idea.id] = payload
                self.queue(idea.id, payload)
        self.welcome_orgs.clear()
        self.organisations.clear()
        self.last_participant = 0
        if self.mode == BoardMode.WELCOME:
            self.add_joined()
        self.show_focus()
        if self.mode in (BoardMode.PRESENTATION, BoardMode.RESULTS, BoardMode.DECISIONS, BoardMode.NETWORK):
            self.fill(self.mode)
        forget_first_served_texts()

    # --- the wall ---------------------------------------------------------------------------------------------

    def build_wall(self) -> None:
        with self.view(BoardMode.WALL) as wall_view:
            with testid(ui.element("div").classes("wall-area"), "wall") as self.wall:
                pass
            self.wall_empty = ui.label(self.tr("board.no_ideas")).classes("wall-empty")
            with testid(ui.element("div").classes("board-focus"), "focus") as self.focus:
                self.focus_title = testid(ui.label().classes("board-focus-title"), "focus-title")
                self.focus_meta = ui.label().classes("board-focus-meta")
            self.focus.set_visibility(False)
        self.views[BoardMode.GROUPS] = wall_view  # the grouping phase shows the same wall, groups first

    def payload(self, idea: Idea) -> dict[str, Any]:
        data: dict[str, Any] = {"id": idea.id, "t": idea.title, "c": idea.category
                                if idea.category in self.category_of else self.categories[0].key}
        if idea.is_group:
            data["g"] = [m.title for m in self.service.group_members(idea.id)]
        else:
            organisation = shown_name(idea.organisation, self.hidden)
            if organisation:  # the organisation, never the person: the projector is seen by all
                data["o"] = organisation
        badges = []
        if idea.origin == "piste":
            badges.append({"t": self.tr("board.from_interviews"), "k": "lead"})
        if idea.action_id is not None:
            badges.append({"t": self.tr("board.action")})
        if badges:
            data["b"] = badges
        if idea.support:  # how many phones back it (+1)
            data["s"] = idea.support
        return data

    def on_support(self, idea_id: int, count: int) -> None:
        data = self.ideas.get(idea_id)
        if data is None or data.get("s", 0) == count:
            return
        data = {**data, "s": count} if count else {k: v for k, v in data.items() if k != "s"}
        self.ideas[idea_id] = data
        self.queue(idea_id, data)

    def on_idea_changed(self, idea: Idea) -> None:
        if idea.on_wall:
            payload = self.payload(idea)
            if self.ideas.get(idea.id) == payload:
                return
            self.ideas[idea.id] = payload
            self.queue(idea.id, payload)
        elif idea.id in self.ideas:
            del self.ideas[idea.id]
            self.queue(idea.id, {"id": idea.id, "gone": True})
        else:
            return
        self.update_idea_count()
        if self.state.idea_id == idea.id:
            self.show_focus()

    def queue(self, idea_id: int, data: dict[str, Any]) -> None:
        """Sent with the other changes of the next FLUSH_SECONDS."""
        self.pending[idea_id] = data
        if not self.flush_scheduled:
            self.flush_scheduled = True
            asyncio.get_running_loop().call_later(FLUSH_SECONDS, self.flush)

    def flush(self) -> None:
        self.flush_scheduled = False
        batch, self.pending = list(self.pending.values()), {}
        if batch and self.client is not None and not self.client.is_deleted:
            self.client.run_javascript(f"atelierWall.put({self.json(batch)}, true)")

    def update_idea_count(self) -> None:
        self.ideas_label.set_text(self.tr("board.ideas", count=len(self.ideas)))
        self.wall_empty.set_visibility(not self.ideas)

    def show_focus(self) -> None:
        data = self.ideas.get(self.state.idea_id) if self.state.idea_id is not None else None
        self.focus.set_visibility(data is not None)
        if data is not None:
            self.focus_title.set_text(data["t"])
            category = self.category_of.get(data["c"])
            meta = [category.label if category else "", data.get("o", ""), " · ".join(data.get("g", []))]
            self.focus_meta.set_text(" — ".join(m for m in meta if m))

    def on_screen(self, event: GenericEventArguments) -> None:
        """board.js says how tall the screen is: the charts' type follows the wall's legible floor."""
        height = event.args.get("height") if isinstance(event.args, dict) else None
        if not isinstance(height, int | float) or not 200 <= height <= 10_000:
            return
        font = round(title_floor(int(height)) * 0.8)
        if font != self.results.font:
            self.results.font = font
            if self.mode == BoardMode.RESULTS:
                self.results.show(self.workshop, self.service.results(self.workshop.id))

    # --- the facilitator's settings ------------------------------------------------------------------------

    def on_board_state(self, state: BoardState) -> None:
        self.state = state
        self.apply_state()
        if self.client is not None and self.client.has_socket_connection:
            self.client.run_javascript(f"atelierWall.settings({self.json(state.model_dump())})")
            self.present_script()

    def apply_state(self) -> None:
        if self.state.hide_qr:
            self.root.classes(add="hide-qr")
        else:
            self.root.classes(remove="hide-qr")
        self.show_focus()

    # --- phases ---------------------------------------------------------------------------------------------

    def show_workshop_state(self, workshop: Workshop) -> None:
        self.workshop = workshop
        phase = workshop.phase.in_language(self.language)
        self.phase_label.set_text(f"{phase.title} · {workshop.phase_index + 1}/{len(workshop.phases)}")
        self.instruction.set_text(phase.instruction)
        self.locked_label.set_visibility(workshop.locked)
        mode = board_mode(workshop.template_key, phase.key, phase.collect, workshop.phase_index)
        changed = mode != self.mode
        if changed and self.client is not None and self.client.has_socket_connection:
            self.client.run_javascript(f"atelierWall.settings({self.json(self.state.model_dump())}, "
                                       f"{'true' if mode == BoardMode.GROUPS else 'false'})")
        self.mode = mode
        shown = self.views[mode]
        for element in self.views.values():  # one element may serve two modes (the wall: ideas and grouping)
            element.set_visibility(element is shown)
        wall = mode in (BoardMode.WALL, BoardMode.GROUPS)
        self.ideas_label.set_visibility(wall)
        self.page_label.set_visibility(wall)
        # Once the room has joined and decides, the join panel gives its room to the results and decisions.
        if mode in (BoardMode.RESULTS, BoardMode.DECISIONS, BoardMode.SUMMARY):
            self.root.classes(add="no-side")
        else:
            self.root.classes(remove="no-side")
        if mode == BoardMode.WELCOME:
            self.root.classes(add="welcome")
            self.welcome_instruction.set_text(phase.instruction)
            self.add_joined()
        else:
            self.root.classes(remove="welcome")
        if changed or mode in (BoardMode.RESULTS, BoardMode.DECISIONS, BoardMode.VOTE):
            self.fill(mode)
        update_countdown(self.countdown, workshop)

    def fill(self, mode: BoardMode) -> None:
        if mode == BoardMode.PRESENTATION:
            self.fill_presentation()
            self.present_script()
        elif mode in (BoardMode.VOTE, BoardMode.RESULTS, BoardMode.DECISIONS):
            self.on_results(self.service.results(self.workshop.id))
        elif mode == BoardMode.WORKING_GROUPS:
            self.fill_working_groups()
        elif mode == BoardMode.SUMMARY:
            self.fill_summary()
        elif mode == BoardMode.NETWORK:
            view = self.views[BoardMode.NETWORK]
            view.clear()
            background_tasks.create(NetworkView.fill(self.service, self.workshop, view), name="board network")

    def on_results(self, results: SelectionResults) -> None:
        if self.mode == BoardMode.VOTE:
            self.fill_vote(results)
        elif self.mode == BoardMode.RESULTS:
            self.results.show(self.workshop, results)
        elif self.mode == BoardMode.DECISIONS:
            self.fill_decisions(results)

    def show_participant_count(self, count: int) -> None:
        text = self.tr("board.participants", count=count)
        self.participants_label.set_text(text)
        self.welcome_count.set_text(text)
        if self.mode == BoardMode.WELCOME:
            self.add_joined()

    def names(self, names: list[str] | tuple[str, ...]) -> str:
        return ", ".join(n for n in (shown_name(x, self.hidden) for x in names) if n)


    def fill_presentation(self) -> None:
        """Every candidate action as a slide, only one shown: board.js turns them when they move by themselves,
        from the stored start time, so the board and the console's preview show the same one."""
        tr = self.tr
        view = self.views[BoardMode.PRESENTATION]
        view.clear()
        actions = self.service.candidate_actions(self.workshop.territory_id)
        public = self.service.public_actor_names(self.workshop.territory_id)  # "Acteur n" without consent
        with view:
            if not actions:
                ui.label(tr("board.no_actions")).classes("board-heading")
                return
            for n, action in enumerate(actions):
                category = self.category_of.get(action.category)
                with testid(ui.element("div").classes("present-slide"), "present-slide").props(
                        f"data-index={n}").style(category_style(category)):
                    ui.label(tr("board.present_position", n=n + 1, total=len(actions))).classes("present-position")
                    testid(ui.label(action.title).classes("present-title"), "present-title")
                    if category:
                        ui.label(category.label).classes("present-line").style(f"color: {category.colour}")
                    if action.description:
                        ui.label(action.description).classes("present-description")
                    actors = ", ".join(public.get(k, k) for k in action.actor_keys)
                    if actors:
                        ui.label(tr("board.present_actors", names=actors)).classes("present-line")
                    if action.horizon:
                        horizon = tr(HORIZON_KEYS[next(h for h in HORIZON_KEYS if h.value == action.horizon)])
                        ui.label(tr("board.present_horizon", horizon=horizon)).classes("present-line")
        self.present_count = len(actions)

    def present_script(self) -> None:
        if self.mode != BoardMode.PRESENTATION or self.client is None:
            return
        s = self.state
        self.client.run_javascript(
            f"atelierPresent({json.dumps(f'c{self.views[BoardMode.PRESENTATION].id}')}, {s.action_index}, "
            f"{'true' if s.auto_present else 'false'}, {s.page_seconds * 2})")

    def fill_vote(self, results: SelectionResults) -> None:
        """Progress only: who voted, how many ratings each action has, never a grade before the reveal."""
        tr = self.tr
        view = self.views[BoardMode.VOTE]
        view.clear()
        most = max((r.impact.count for r in results.actions), default=0) or 1
        with view:
            testid(ui.label(tr("board.vote_progress", voters=results.voters, finished=results.finished))
                   .classes("board-heading"), "vote-progress")
            with ui.element("div").classes("board-list").style(self.list_columns(len(results.actions))):
                for r in sorted(results.actions, key=lambda r: (r.action.position, r.action.id)):
                    with testid(ui.element("div").classes("board-item"), "vote-action").style(
                            category_style(self.category_of.get(r.action.category))):
                        ui.label(r.action.title).classes("board-item-title")
                        count = r.points if self.workshop.settings.vote_mode == "points" else r.impact.count
                        label = (tr("results.points", points=count) if self.workshop.settings.vote_mode == "points"
                                 else tr("board.vote_count", count=count))
                        ui.label(label).classes("board-item-line")
                        with ui.element("div").classes("vote-bar"):
                            ui.element("div").style(f"width: {min(100, round(100 * count / most))}%")
            ui.label(tr("board.vote_hidden")).classes("board-note")

    @staticmethod
    def list_columns(count: int) -> str:
        columns = 1 if count <= 5 else 2 if count <= 12 else 3
        return f"grid-template-columns: repeat({columns}, minmax(0, 1fr))"

    def fill_decisions(self, results: SelectionResults) -> None:
        """What the room decided: the selected actions with pilot and horizon, the fruits with their reason in
        words, the working groups proposed, and the plan's QR code."""
        tr = self.tr
        view = self.views[BoardMode.DECISIONS]
        view.clear()
        selected = [r for r in results.actions if r.action.selection == SELECTED]
        selected.sort(key=lambda r: (not r.fruit.flagged, r.rank))
        with view:
            with ui.element("div").classes("decisions-main"):
                testid(ui.label(tr("board.decisions_count", count=len(selected), total=len(results.actions)))
                       .classes("board-heading"), "decisions-count")
                if not selected:
                    ui.label(tr("board.no_decision")).classes("board-note")
                with ui.element("div").classes("board-list").style(self.list_columns(len(selected))):
                    for r in selected:
                        a = r.action
                        with testid(ui.element("div").classes("board-item"), "decision").style(
                                category_style(self.category_of.get(a.category))):
                            testid(ui.label(a.title).classes("board-item-title"), "decision-title")
                            pilot = shown_name(a.pilot or (r.leads[0] if r.leads else ""), self.hidden)
                            horizon_value = a.horizon or (r.horizon.value if r.horizon else "")
                            line = [tr("board.pilot", name=pilot) if pilot else tr("board.no_pilot")]
                            if horizon_value:
                                line.append(tr(HORIZON_KEYS[next(h for h in HORIZON_KEYS
                                                                 if h.value == horizon_value)]))
                            if a.working_group or (r.needs_working_group and not r.fruit.flagged):
                                line.append(tr("board.working_group"))
                            ui.label(" · ".join(line)).classes("board-item-line")
                            if r.fruit.flagged:
                                reason = anonymised(r.fruit.reason, r.leads, self.hidden)
                                testid(ui.label(tr("board.fruit_reason", reason=reason)).classes("board-item-fruit"),
                                       "decision-fruit")
            plan_url = f"{self.base_url}/plan/{self.workshop.code}"
            with ui.element("div").classes("decisions-side"):
                testid(ui.html(qr_svg(plan_url), sanitize=False).classes("board-qr"), "plan-qr").props(
                    f'role=img aria-label="{tr("board.plan_qr_alt")}"')
                ui.label(tr("board.plan_qr")).classes("decisions-side-label")
                ui.label(shown_url(plan_url)).classes("board-url")

    def fill_working_groups(self) -> None:
        tr = self.tr
        view = self.views[BoardMode.WORKING_GROUPS]
        view.clear()
        groups = self.service.working_groups(self.workshop.territory_id)
        with view:
            ui.label(tr("board.groups_heading")).classes("board-heading")
            if not groups:
                ui.label(tr("board.no_groups")).classes("board-note")
            with ui.element("div").classes("board-list").style(self.list_columns(len(groups))):
                for group in groups:
                    with testid(ui.element("div").classes("board-item"), "board-group"):
                        ui.label(group["title"]).classes("board-item-title")
                        if group.get("objective"):
                            ui.label(group["objective"]).classes("board-item-line")

    def fill_summary(self) -> None:
        """A closing without a vote: what the workshop produced, its candidate actions first."""
        tr = self.tr
        view = self.views[BoardMode.SUMMARY]
        view.clear()
        actions = [a for a in self.service.candidate_actions(self.workshop.territory_id)
                   if a.workshop_id == self.workshop.id]
        with view:
            testid(ui.label(tr("board.summary", ideas=len(self.ideas), actions=len(actions)))
                   .classes("board-heading"), "summary")
            ui.label(self.workshop.phase.instruction).classes("board-note")
            if actions:
                ui.label(tr("board.candidate_actions")).classes("board-heading")
                with ui.element("div").classes("board-list").style(self.list_columns(len(actions))):
                    for action in actions:
                        with testid(ui.element("div").classes("board-item"), "summary-action").style(
                                category_style(self.category_of.get(action.category))):
                            ui.label(action.title).classes("board-item-title")
            elif self.ideas:
                # No action came of it (a working group's meeting): what the room said, the most supported first.
                ideas = sorted(self.ideas.values(), key=lambda i: (-i.get("s", 0), i["id"]))
                shown = ideas[:SUMMARY_IDEAS]
                ui.label(tr("board.session_ideas")).classes("board-heading")
                with ui.element("div").classes("board-list").style(self.list_columns(len(shown))):
                    for idea in shown:
                        with testid(ui.element("div").classes("board-item"), "summary-idea").style(
                                category_style(self.category_of.get(idea["c"]))):
                            ui.label(idea["t"]).classes("board-item-title")
                if len(ideas) > len(shown):
                    ui.label(tr("board.more_ideas", count=len(ideas) - len(shown))).classes("board-note")
