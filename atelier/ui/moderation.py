"""Pre-moderation in the console: ideas sent while the workshop's `premoderation` setting is on wait here, and
reach the board only once the facilitator approves them (refused ones are hidden, and can be shown later)."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from atelier.models import Idea, Workshop
from atelier.service import Facilitation, Service
from atelier.ui.common import testid


class ModerationQueue:
    def __init__(self, service: Service, workshop: Workshop, tr: Callable[..., str],
                 act: Callable[[Callable[[Facilitation], object]], object | None]) -> None:
        self.tr = tr
        self.act = act
        self.workshop = workshop
        self.rows: dict[int, ui.element] = {}
        with testid(ui.card().classes("w-full gap-2 moderation-queue"), "moderation-queue") as self.root:
            self.title = ui.label().classes("text-xl font-bold")
            ui.label(tr("moderation.help")).classes("text-sm text-gray-700")
            self.list = ui.column().classes("w-full gap-1")
        for idea in service.pending_ideas(workshop.id):
            self.show(idea)
        self.update()
        service.hub.idea_changed(workshop.id).subscribe(self.on_idea_changed)
        service.hub.workshop_changed(workshop.id).subscribe(self.on_workshop_changed)

    def update(self) -> None:
        self.title.set_text(self.tr("moderation.title", count=len(self.rows)))
        # Shown while the setting is on, and after, as long as ideas still wait.
        self.root.set_visibility(self.workshop.settings.premoderation or bool(self.rows))

    def on_workshop_changed(self, workshop: Workshop) -> None:
        self.workshop = workshop
        self.update()

    def on_idea_changed(self, idea: Idea) -> None:
        if idea.pending and not idea.withdrawn:
            self.show(idea)
        else:
            row = self.rows.pop(idea.id, None)
            if row is not None:
                row.delete()
        self.update()

    def show(self, idea: Idea) -> None:
        tr = self.tr
        if idea.id in self.rows:
            row = self.rows[idea.id]
            row.clear()
        else:
            with self.list:
                row = testid(ui.element("div").classes("console-idea w-full"), f"pending-{idea.id}")
            self.rows[idea.id] = row
        with row, ui.row().classes("console-row no-wrap w-full"):
            with ui.column().classes("gap-0 grow min-w-0"):
                ui.label(idea.title).classes("font-bold text-base")
                if idea.details:
                    ui.label(idea.details).classes("text-sm text-gray-700")
                if idea.author:
                    ui.label(idea.author).classes("text-sm")
            testid(ui.button(tr("moderation.approve"),
                             on_click=lambda i=idea.id: self.act(lambda f: f.approve_idea(i))).props("no-caps"),
                   f"approve-{idea.id}")
            testid(ui.button(tr("moderation.reject"),
                             on_click=lambda i=idea.id: self.act(lambda f: f.set_hidden(i, True)))
                   .props("flat no-caps color=negative"), f"reject-{idea.id}")
