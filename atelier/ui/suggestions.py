"""Suggested groupings on the workshop console: similar ideas offered to be merged in one tap, or dismissed.

The rule is `atelier.rules.groupings`; this module decides when it runs. With 300 ideas it takes tens of
milliseconds (hundreds on a busy laptop), in a worker thread that still shares the interpreter with the phones'
event loop: so it runs once per workshop for every console open on it (the facilitator's, a co-facilitator's, a
reloaded tab still waiting for its reconnection), at most every SUGGEST_SECONDS, and a console redraws its panel
only when what it shows changes.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Callable

from nicegui import app, background_tasks, run, ui

from atelier.models import Idea, Workshop
from atelier.rules.groupings import IdeaText, Suggestion, suggest_groupings
from atelier.rules.idea_list import in_play
from atelier.service import Facilitation, Service
from atelier.ui.common import testid

SUGGESTIONS_SHOWN = 5
SUGGEST_SECONDS = 2.0  # a workshop's suggestions are computed at most this often
QUIET_SECONDS = 0.3

Candidates = tuple[IdeaText, ...]


class SharedGroupings:
    """The last suggestions of each workshop and the computation under way, shared by its consoles."""

    def __init__(self) -> None:
        self._done: dict[int, tuple[Candidates, list[Suggestion]]] = {}
        self._running: dict[int, asyncio.Task[tuple[Candidates, list[Suggestion]]]] = {}
        self._started: dict[int, float] = {}

    async def suggestions(self, workshop_id: int, candidates: Candidates) -> tuple[list[Suggestion], bool]:
        """The suggestions for these ideas, and whether they are of exactly them: computed now, or the one
        computation under way awaited, or (computed less than SUGGEST_SECONDS ago) the last ones, which the
        console uses until it asks again."""
        done = self._done.get(workshop_id)
        if done is not None and done[0] == candidates:
            return done[1], True
        running = self._running.get(workshop_id)
        if running is None and (done is None
                                or time.monotonic() - self._started.get(workshop_id, 0.0) >= SUGGEST_SECONDS):
            running = self._start(workshop_id, candidates)
        if running is None:
            assert done is not None
            return done[1], False
        computed_for, found = await asyncio.shield(running)  # a console going away does not cancel the others'
        return found, computed_for == candidates

    def wait(self, workshop_id: int) -> float:
        """Seconds before the workshop's suggestions may be computed again (a short pause at least, so that ideas
        arriving together are one computation)."""
        since = time.monotonic() - self._started.get(workshop_id, 0.0)
        return max(QUIET_SECONDS, SUGGEST_SECONDS - since)

    def _start(self, workshop_id: int, candidates: Candidates) -> asyncio.Task[tuple[Candidates, list[Suggestion]]]:
        self._started[workshop_id] = time.monotonic()

        async def compute() -> tuple[Candidates, list[Suggestion]]:
            try:
                found = await run.io_bound(suggest_groupings, candidates)
                result = (candidates, found or [])  # None while the app shuts down
                self._done[workshop_id] = result
                return result
            finally:
                self._running.pop(workshop_id, None)

        task = background_tasks.create(compute(), name=f"groupings-{workshop_id}")
        self._running[workshop_id] = task
        return task


_shared: weakref.WeakKeyDictionary[Service, SharedGroupings] = weakref.WeakKeyDictionary()


def shared_groupings(service: Service) -> SharedGroupings:
    """One per running app (tests run several apps in one process, each with its own service and database)."""
    shared = _shared.get(service)
    if shared is None:
        shared = _shared[service] = SharedGroupings()
    return shared


class SuggestionsPanel:
    """The console's panel of suggested groupings; `ideas` is the console's own dict of the workshop's ideas."""

    def __init__(self, service: Service, workshop: Workshop, tr: Callable[..., str], ideas: dict[int, Idea],
                 act: Callable[[Callable[[Facilitation], object]], object | None]) -> None:
        self.service = service
        self.workshop = workshop
        self.tr = tr
        self.ideas = ideas
        self.act = act
        self.shared = shared_groupings(service)
        self.found: list[Suggestion] = []
        self.shown: tuple[object, ...] | None = None  # what the panel shows now, to skip a redraw that changes nothing
        self.scheduled = False

    def build(self) -> None:
        # Folded at first, its count in the header: 5 suggestions of 6 ideas would push the list of ideas out of the
        # console's first screen (1280×800). Opened, it stays open while the page lives.
        with testid(ui.expansion(value=False).classes("w-full suggestions-panel"), "suggestions-panel") as self.panel:
            with self.panel.add_slot("header"):
                self.title = ui.label().classes("text-lg font-bold")
            self.rows = testid(ui.column().classes("w-full gap-1"), "suggestions")
        self.panel.set_visibility(False)
        self.client = self.panel.client

    def dismissed(self) -> frozenset[str]:
        return frozenset(app.storage.user.get(f"groupings-dismissed-{self.workshop.id}", []))

    def ideas_changed(self, changed: set[int]) -> None:
        """After the console drew changed ideas: a suggestion that names a merged or hidden idea goes at once, and
        the suggestions are computed again soon."""
        if any(changed.intersection(s.idea_ids) for s in self.found):
            self.show(self.found)
        self.schedule(self.shared.wait(self.workshop.id))

    def schedule(self, delay: float) -> None:
        """One pending computation per console, run as its own task: the list's redraws never wait for it."""
        if self.scheduled:
            return
        self.scheduled = True
        asyncio.get_running_loop().call_later(delay, self._run)

    def _run(self) -> None:
        self.scheduled = False
        if not self.client.is_deleted:
            background_tasks.create(self.update(), name="console-groupings")

    async def update(self) -> None:
        # Hidden ideas cannot be grouped, and a group's title is the facilitator's: only ideas on the wall, newest
        # first.
        candidates = tuple(IdeaText(i.id, i.title, i.details) for i in sorted(
            self.ideas.values(), key=lambda i: -i.created_at) if in_play(i) and not i.hidden and not i.is_group)
        found, exact = await self.shared.suggestions(self.workshop.id, candidates)
        if self.client.is_deleted:
            return
        dismissed = self.dismissed()
        self.show([s for s in found if s.key not in dismissed])
        if not exact:  # computed for slightly older ideas (another console asked first): ask again later
            self.schedule(self.shared.wait(self.workshop.id))

    def show(self, found: list[Suggestion]) -> None:
        tr = self.tr
        # Ideas merged or hidden since the computation are left out rather than offered again.
        self.found = found = [s for s in found if all(
            i in self.ideas and in_play(self.ideas[i]) and not self.ideas[i].hidden for i in s.idea_ids)]
        top = found[:SUGGESTIONS_SHOWN]
        shown = (len(found), *((s.key, s.words, *(self.ideas[i].title for i in s.idea_ids)) for s in top))
        if shown == self.shown:
            return
        self.shown = shown
        self.rows.clear()
        self.panel.set_visibility(bool(found))
        self.title.set_text(tr("console.suggestions", count=len(found)))
        if not found:
            return
        with self.rows:
            ui.label(tr("console.suggestions_help")).classes("text-sm text-gray-700")
            for suggestion in top:
                with testid(ui.row().classes("console-row no-wrap w-full suggestion"), "suggestion"):
                    with ui.column().classes("gap-0 grow min-w-0"):
                        titles = " · ".join(f"« {self.ideas[i].title} »" for i in suggestion.idea_ids)
                        ui.label(titles).classes("text-base break-anywhere")
                        ui.label(tr("console.suggestion_words", words=", ".join(suggestion.words))).classes(
                            "text-sm text-gray-700")
                    testid(ui.button(tr("console.suggestion_merge", count=len(suggestion.idea_ids)),
                                     on_click=lambda s=suggestion: self.merge(s)).props("no-caps"),
                           "suggestion-merge")
                    ui.button(tr("console.suggestion_dismiss"), on_click=lambda s=suggestion: self.dismiss(s)).props(
                        "flat dense no-caps")

    def merge(self, suggestion: Suggestion) -> None:
        """One tap: the group takes the title of its oldest idea (the facilitator can rename it after)."""
        oldest = min(suggestion.idea_ids, key=lambda i: (self.ideas[i].created_at, i))
        group = self.act(lambda f: f.merge(self.workshop.id, list(suggestion.idea_ids), self.ideas[oldest].title))
        if group is not None:
            ui.notify(self.tr("console.merged", count=len(suggestion.idea_ids)), type="positive")

    def dismiss(self, suggestion: Suggestion) -> None:
        """Kept for this browser (app.storage.user is saved on disk): a reload does not bring it back."""
        key = f"groupings-dismissed-{self.workshop.id}"
        app.storage.user[key] = sorted({*app.storage.user.get(key, []), suggestion.key})
        self.show([s for s in self.found if s.key != suggestion.key])
