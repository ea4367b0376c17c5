"""The facilitator steers the projected board from the workshop console: a live preview of what it shows, paging
paused or resumed, one category, one idea full screen, the QR panel hidden, the candidate action presented.

The panel starts folded, so that the list of ideas is in the console's first screen (1280×800); one click opens it
and it stays as the facilitator left it while the page is open. The preview is a board of its own (one more
connected page for the server): it is made when the panel first opens, not for every console opened.

Every change goes through the service (rights checked there), is stored with the workshop and reaches every
board and preview through the hub: a reloaded board comes back as it was.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui
from nicegui.events import ValueChangeEventArguments

from atelier.models import BoardState, Idea, Workshop
from atelier.rules import Refused
from atelier.service import Service
from atelier.ui.common import facilitator_session, show_refusal, testid


class BoardControl:
    def __init__(self, service: Service, workshop: Workshop, tr: Callable[..., str], language: str) -> None:
        self.service = service
        self.workshop = workshop
        self.tr = tr
        self.language = language
        self.session = facilitator_session()
        self.categories = service.categories(workshop.territory_id)
        self.titles: dict[int, str] = {}
        self.preview_made = False

    def build(self) -> None:
        tr = self.tr
        state = self.service.board_state(self.workshop.id)
        panel = testid(ui.expansion(tr("board.control"), value=False, on_value_change=self.opened).classes(
            "w-full").props("header-class=text-xl"), "board-control")
        with panel, ui.row().classes("w-full no-wrap items-start gap-4"):
            with ui.column().classes("gap-1"):
                ui.label(tr("board.preview")).classes("text-sm font-bold")
                self.preview = ui.element("div").classes("board-preview")
            with ui.column().classes("grow gap-2"):
                with ui.row().classes("console-row"):
                    self.pause = testid(ui.button(on_click=self.toggle_pause).props("outline no-caps"),
                                        "board-pause")
                    self.qr = testid(ui.button(on_click=self.toggle_qr).props("outline no-caps"), "board-qr")
                    self.seconds = testid(ui.number(tr("board.page_seconds"), value=state.page_seconds, min=3,
                                                    max=60, step=1).classes("w-36"), "board-seconds")
                    self.seconds.on("change", lambda: self.change(page_seconds=int(self.seconds.value or 5)))
                with ui.row().classes("console-row"):
                    options = {"": tr("board.all_categories"), **{c.key: c.label for c in self.categories}}
                    self.category = testid(ui.select(options, value=state.category,
                                                     label=tr("board.show_category")).classes("w-64"),
                                           "board-category")
                    self.category.on_value_change(lambda e: self.change(category=e.value or ""))
                    self.focus = testid(ui.select({0: tr("board.no_focus")}, value=state.idea_id or 0,
                                                  label=tr("board.focus_idea"), with_input=True)
                                        .classes("w-96"), "board-focus")
                    self.focus.on("popup-show", self.load_ideas)
                    self.focus.on_value_change(lambda e: self.change(idea_id=e.value or None))
                    self.load_ideas()
                with ui.row().classes("console-row"):
                    testid(ui.button(tr("board.previous_action"), on_click=lambda: self.step_action(-1))
                           .props("outline no-caps"), "board-previous-action")
                    self.action_label = testid(ui.label().classes("font-bold"), "board-action")
                    testid(ui.button(tr("board.next_action"), on_click=lambda: self.step_action(1))
                           .props("no-caps"), "board-next-action")
                    self.auto = testid(ui.switch(tr("board.auto_present"), value=state.auto_present),
                                       "board-auto")
                    self.auto.on_value_change(lambda e: self.change(auto_present=bool(e.value)))
        self.service.hub.board_changed(self.workshop.id).subscribe(self.show)
        self.show(state)

    def opened(self, event: ValueChangeEventArguments) -> None:
        if event.value and not self.preview_made:
            self.preview_made = True
            with self.preview:
                # The board itself, scaled down: the preview shows exactly what the room sees.
                testid(ui.element("iframe").props(
                    f'src="/tableau/{self.workshop.code}" title="{self.tr("board.preview")}" tabindex=-1'),
                    "board-preview")

    def change(self, **changes: object) -> None:
        try:
            self.service.as_facilitator(self.session).set_board(self.workshop.id, **changes)
        except Refused as refusal:
            show_refusal(refusal, self.language)

    def toggle_pause(self) -> None:
        self.change(paused=not self.state.paused)

    def toggle_qr(self) -> None:
        self.change(hide_qr=not self.state.hide_qr)

    def step_action(self, step: int) -> None:
        self.change(action_index=self.state.action_index + step)

    def load_ideas(self) -> None:
        """The ideas on the wall, read when the list opens (not kept in step with every idea of a big room)."""
        ideas: list[Idea] = self.service.wall(self.workshop.id)
        self.titles = {i.id: i.title for i in ideas}
        self.focus.set_options({0: self.tr("board.no_focus"), **self.titles},
                               value=self.focus.value if self.focus.value in self.titles else 0)

    def show(self, state: BoardState) -> None:
        self.state = state
        tr = self.tr
        self.pause.set_text(tr("board.resume") if state.paused else tr("board.pause"))
        self.qr.set_text(tr("board.show_qr") if state.hide_qr else tr("board.hide_qr"))
        if self.category.value != state.category:
            self.category.set_value(state.category)
        if state.idea_id and state.idea_id not in self.titles:
            self.load_ideas()
        if (self.focus.value or None) != state.idea_id:
            self.focus.set_value(state.idea_id or 0)
        if self.auto.value != state.auto_present:
            self.auto.set_value(state.auto_present)
        if self.seconds.value != state.page_seconds:
            self.seconds.set_value(state.page_seconds)
        count = len(self.service.candidate_actions(self.workshop.territory_id))
        self.action_label.set_text(tr("board.present_position", n=state.action_index + 1, total=count)
                                   if count else tr("board.no_actions"))
