"""The others' ideas on a phone, to read and support (+1), when the workshop allows it (its `peer_ideas` setting).

Light by design: 150 phones that each drew every new idea of a burst lost their connections (atelier bench,
150 phones: 152 transport errors, against none with the list off). So the list stays closed until the person
opens it, and costs nothing per idea while closed; open, it shows a page of ideas and, for ideas sent meanwhile,
one button "N nouvelles idées" that draws them when tapped. Changes and support counts arrive in the hub's
`peer_batch`, at most twice a second, however many ideas and +1 the room sends.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from atelier.models import Category, Idea
from atelier.rules import Refused
from atelier.service import Service
from atelier.ui.common import category_style, scroll_to_top_of, testid

PAGE = 20  # ideas drawn at a time: a thumb's few screens


class PeerIdeas:
    """Below the phone's own ideas: a button that opens the room's ideas, newest or most supported first."""

    def __init__(self, service: Service, workshop_id: int, participant_id: int, tr: Callable[..., str],
                 category_of: dict[str, Category]) -> None:
        self.service = service
        self.workshop_id = workshop_id
        self.participant_id = participant_id
        self.tr = tr
        self.category_of = category_of
        self.cards: dict[int, ui.element] = {}
        self.buttons: dict[int, ui.button] = {}
        self.supported: set[int] = set()
        self.waiting: dict[int, Idea] = {}  # sent while the list is open, drawn on request
        self.listening = False
        with testid(ui.element("section").classes("w-full flex flex-col gap-2 mt-3"), "peer-ideas") as self.root:
            self.opener = testid(ui.button(tr("peers.open"), on_click=self.open).classes("w-full")
                                 .props("outline no-caps"), "peers-open")
        # The list is built when the phone opens it: most phones never do, and each keeps less (atelier bench).
        self.content: ui.column | None = None

    # --- opening and closing -----------------------------------------------------------------------------

    def open(self) -> None:
        tr = self.tr
        self.opener.set_visibility(False)
        if self.content is None:
            with self.root:
                self.content = ui.column().classes("w-full gap-2")
        self.content.set_visibility(True)
        self.supported = self.service.own_supports(self.participant_id)
        with self.content:
            with ui.row().classes("w-full items-center justify-between"):
                self.heading = ui.label().classes("text-lg font-bold").props("role=heading aria-level=2")
                testid(ui.button(tr("peers.close"), on_click=self.close_list).props("flat no-caps"), "peers-close")
            ui.label(tr("peers.help")).classes("text-sm")
            self.order = testid(ui.toggle({"recent": tr("peers.recent"), "support": tr("peers.most_supported")},
                                          value="recent", on_change=lambda: self.draw()).props("no-caps spread")
                                .classes("w-full"), "peers-order")
            self.news = testid(ui.button(on_click=self.show_news).classes("w-full").props("no-caps"),
                               "peers-news")
            self.list = ui.column().classes("w-full gap-2")
            self.more = testid(ui.button(tr("peers.more"), on_click=self.show_more).classes("w-full")
                               .props("flat no-caps"), "peers-more")
        self.service.hub.peer_batch(self.workshop_id).subscribe(self.on_batch)
        self.listening = True
        self.draw()
        scroll_to_top_of(self.heading)  # the list opens below the form: bring it up to the thumb

    def close_list(self) -> None:
        self.stop_listening()
        if self.content is not None:
            self.content.clear()
            self.content.set_visibility(False)
        self.opener.set_visibility(True)
        self.cards.clear()
        self.buttons.clear()
        self.waiting.clear()

    def stop_listening(self) -> None:
        if self.listening:
            self.service.hub.peer_batch(self.workshop_id).unsubscribe(self.on_batch)
            self.listening = False

    def close(self) -> None:
        """The phase or the setting changed: the whole section goes."""
        self.stop_listening()
        if not self.root.is_deleted:
            self.root.delete()

    # --- drawing -------------------------------------------------------------------------------------------

    def draw(self) -> None:
        """The first page of ideas, in the chosen order (read afresh: counts and texts as they are now)."""
        ideas = self.service.peer_ideas(self.workshop_id, self.participant_id)
        if self.order.value == "support":
            ideas.sort(key=lambda i: (-i.support, -i.id))
        else:
            ideas.reverse()  # newest first
        self.ordered = ideas
        self.ordered_ids = {i.id for i in ideas}  # a burst asks "listed?" per idea per phone: a set, not a scan
        self.list.clear()
        self.cards.clear()
        self.buttons.clear()
        self.waiting.clear()
        self.shown = 0
        self.show_more()

    def show_more(self) -> None:
        for idea in self.ordered[self.shown:self.shown + PAGE]:
            self.add_card(idea)
        self.shown = min(len(self.ordered), self.shown + PAGE)
        self.update_counts()

    def show_news(self) -> None:
        for idea in sorted(self.waiting.values(), key=lambda i: i.id):  # the newest ends on top
            self.add_card(idea, first=True)
            self.ordered.insert(0, idea)
            self.ordered_ids.add(idea.id)
            self.shown += 1
        self.waiting.clear()
        self.update_counts()

    def update_counts(self) -> None:
        # The heading counts the ideas listed; new ones are counted on their own button until drawn, so a new
        # idea changes one text on each open phone (the bench's burst with every list open).
        self.heading.set_text(self.tr("peers.title", count=len(self.ordered)))
        self.more.set_visibility(self.shown < len(self.ordered))
        self.news.set_text(self.tr("peers.news", count=len(self.waiting)))
        self.news.set_visibility(bool(self.waiting))

    def add_card(self, idea: Idea, first: bool = False) -> None:
        with self.list:
            card = testid(ui.card().classes("phone-own-idea gap-1"), f"peer-{idea.id}")
        if first:
            card.move(self.list, target_index=0)
        self.cards[idea.id] = card
        self.fill(idea)

    def fill(self, idea: Idea) -> None:
        card = self.cards[idea.id]
        card.clear()
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

    # --- live ----------------------------------------------------------------------------------------------

    def on_batch(self, ideas: list[Idea], supports: dict[int, int]) -> None:
        if self.root.is_deleted:
            return
        waiting = len(self.waiting)
        for idea in ideas:
            if idea.participant_id != self.participant_id:  # one's own ideas are in "Mes idées"
                self.on_idea_changed(idea)
        if len(self.waiting) != waiting:
            self.news.set_text(self.tr("peers.news", count=len(self.waiting)))
            self.news.set_visibility(bool(self.waiting))
        for idea_id, count in supports.items():
            if idea_id in self.buttons:
                self.show_support(idea_id, count)

    def on_idea_changed(self, idea: Idea) -> None:
        position = (next(n for n, i in enumerate(self.ordered) if i.id == idea.id)
                    if idea.id in self.ordered_ids else None)
        if not idea.on_wall:  # hidden, withdrawn, grouped, awaiting approval: it goes
            self.waiting.pop(idea.id, None)
            if position is not None:
                del self.ordered[position]
                self.ordered_ids.discard(idea.id)
                if position < self.shown:
                    self.shown -= 1
            card = self.cards.pop(idea.id, None)
            self.buttons.pop(idea.id, None)
            if card is not None:
                card.delete()
        elif idea.id in self.cards:
            self.fill(idea)
        elif position is not None:
            self.ordered[position] = idea  # not drawn yet: drawn as it is now when "more" is tapped
        else:
            self.waiting[idea.id] = idea  # counted on one button (see on_batch), not drawn: cheap for a burst
            return
        self.update_counts()

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
