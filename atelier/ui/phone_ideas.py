"""The others' ideas on a phone, to read and support (+1), when the workshop allows it (its `peer_ideas` setting).

Live: a new idea of the room appears, a hidden or grouped one goes, and support counts follow every phone's taps
(the hub's `support_changed`). Each card is a few elements, filled again in place, never the whole list redrawn.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from atelier.models import Category, Idea
from atelier.rules import Refused
from atelier.service import Service
from atelier.ui.common import category_style, testid


class PeerIdeas:
    """The list under the phone's own ideas: newest first, each with its support button."""

    def __init__(self, service: Service, workshop_id: int, participant_id: int, tr: Callable[..., str],
                 category_of: dict[str, Category]) -> None:
        self.service = service
        self.workshop_id = workshop_id
        self.participant_id = participant_id
        self.tr = tr
        self.category_of = category_of
        self.cards: dict[int, ui.element] = {}
        self.buttons: dict[int, ui.button] = {}
        self.supported = service.own_supports(participant_id)
        with testid(ui.element("section").classes("w-full flex flex-col gap-2"), "peer-ideas") as self.root:
            self.heading = ui.label().classes("text-lg font-bold mt-3")
            ui.label(tr("peers.help")).classes("text-sm")
            self.list = ui.column().classes("w-full gap-2")
        for idea in service.peer_ideas(workshop_id, participant_id):
            self.show(idea)
        self.update_heading()
        service.hub.idea_changed(workshop_id).subscribe(self.on_idea_changed)
        service.hub.support_changed(workshop_id).subscribe(self.on_support_changed)

    def close(self) -> None:
        """The phase or the setting changed: this list goes, and stops listening."""
        self.service.hub.idea_changed(self.workshop_id).unsubscribe(self.on_idea_changed)
        self.service.hub.support_changed(self.workshop_id).unsubscribe(self.on_support_changed)
        if not self.root.is_deleted:
            self.root.delete()

    def update_heading(self) -> None:
        self.heading.set_text(self.tr("peers.title", count=len(self.cards)))

    def on_idea_changed(self, idea: Idea) -> None:
        if self.root.is_deleted:
            return
        if idea.participant_id == self.participant_id:
            return  # one's own ideas are in "Mes idées"
        if idea.on_wall:
            self.show(idea)
        else:
            card = self.cards.pop(idea.id, None)
            self.buttons.pop(idea.id, None)
            if card is not None:
                card.delete()
        self.update_heading()

    def on_support_changed(self, idea_id: int, count: int) -> None:
        if not self.root.is_deleted and idea_id in self.buttons:
            self.show_support(idea_id, count)

    def show(self, idea: Idea) -> None:
        if idea.id in self.cards:
            card = self.cards[idea.id]
            card.clear()
        else:
            with self.list:
                card = testid(ui.card().classes("phone-own-idea gap-1"), f"peer-{idea.id}")
            card.move(self.list, target_index=0)  # newest first
            self.cards[idea.id] = card
        category = self.category_of.get(idea.category)
        card.style(category_style(category))
        with card:
            ui.label(idea.title).classes("font-bold text-lg")
            if idea.details:
                ui.label(idea.details).classes("text-base whitespace-pre-wrap")
            with ui.row().classes("w-full items-center justify-between no-wrap"):
                ui.label(category.label if category else idea.category).classes("text-sm text-gray-700")
                self.buttons[idea.id] = testid(
                    ui.button(on_click=lambda i=idea.id: self.toggle(i)).props("no-caps"), f"support-{idea.id}")
        self.show_support(idea.id, idea.support)

    def show_support(self, idea_id: int, count: int) -> None:
        button = self.buttons[idea_id]
        mine = idea_id in self.supported
        button.set_text(self.tr("peers.support", count=count))
        # Pressed or not, said to screen readers too; the filled look is the visible "I support it".
        button.props(f'aria-pressed={"true" if mine else "false"} '
                     f'aria-label="{self.tr("peers.support_label", count=count)}"')
        button.props(remove="outline" if mine else "unelevated", add="unelevated" if mine else "outline")

    def toggle(self, idea_id: int) -> None:
        try:
            supported, count = self.service.toggle_support(self.participant_id, idea_id)
        except Refused as refusal:
            ui.notify(self.tr(refusal.key, **refusal.params), type="warning", position="top")
            return
        if supported:
            self.supported.add(idea_id)
        else:
            self.supported.discard(idea_id)
        if idea_id in self.buttons:
            self.show_support(idea_id, count)
