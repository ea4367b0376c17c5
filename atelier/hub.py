"""The one place that fans events out to connected clients.

Pages subscribe to the events of what they show; the service publishes after each stored change.
Events are split by audience so that an idea wakes the boards and consoles of its workshop, not every phone:
with hundreds of phones connected, a phone only hears about its workshop's state and its own ideas.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from nicegui import Event

from atelier.models import BoardState, Idea, SwotItem, Workshop


class Hub:
    def __init__(self) -> None:
        self._workshop: defaultdict[int, Event[Workshop]] = defaultdict(Event)
        self._ideas: defaultdict[int, Event[Idea]] = defaultdict(Event)
        self._own_ideas: defaultdict[int, Event[Idea]] = defaultdict(Event)
        self._participants: defaultdict[int, Event[int]] = defaultdict(Event)
        self._swot: defaultdict[int, Event[SwotItem]] = defaultdict(Event)
        self._results: defaultdict[int, Event[Any]] = defaultdict(Event)
        self._board: defaultdict[int, Event[BoardState]] = defaultdict(Event)
        self._names: defaultdict[int, Event[int]] = defaultdict(Event)
        self._supports: defaultdict[int, Event[int, int]] = defaultdict(Event)
        # Batched for the phones that list the others' ideas: one event per tick, not one per idea or +1.
        self._peer_batches: defaultdict[int, Event[list[Idea], dict[int, int]]] = defaultdict(Event)
        self._batched_ideas: defaultdict[int, dict[int, Idea]] = defaultdict(dict)
        self._batched_supports: defaultdict[int, dict[int, int]] = defaultdict(dict)

    # Subscriptions (made inside a page: NiceGUI drops them when the client goes away).

    def workshop_changed(self, workshop_id: int) -> Event[Workshop]:
        """Phase, countdown, lock: for every page of the workshop."""
        return self._workshop[workshop_id]

    def idea_changed(self, workshop_id: int) -> Event[Idea]:
        """Any idea of the workshop added or changed: for boards and consoles."""
        return self._ideas[workshop_id]

    def own_idea_changed(self, participant_id: int) -> Event[Idea]:
        """One participant's idea added or changed, by the facilitator (hidden, grouped, promoted) or from any of
        the participant's tabs: for that participant's phones. Plain subscribers run inside `emit`."""
        return self._own_ideas[participant_id]

    def participant_count_changed(self, workshop_id: int) -> Event[int]:
        return self._participants[workshop_id]

    def swot_changed(self, territory_id: int) -> Event[SwotItem]:
        """A SWOT item of the territory added or changed: for boards and consoles (the SWOT is the network's)."""
        return self._swot[territory_id]

    def results_changed(self, workshop_id: int) -> Event[Any]:
        """The selection results of a workshop, at most once per tick of the app's results loop."""
        return self._results[workshop_id]

    def board_changed(self, workshop_id: int) -> Event[BoardState]:
        """How the facilitator steers the projected board (paging, category, idea full screen, QR panel): for the
        boards and the consoles' previews."""
        return self._board[workshop_id]

    def names_changed(self, territory_id: int) -> Event[int]:
        """(territory id) after an actor's publication consent, name or archiving changed, or actors were added:
        who may be named in public changed, so the boards and plan pages of the territory name them afresh."""
        return self._names[territory_id]

    def support_changed(self, workshop_id: int) -> Event[int, int]:
        """(idea id, support count) after a phone supports an idea or takes its support back: for the phones that
        list the others' ideas, and for boards and consoles."""
        return self._supports[workshop_id]

    def peer_batch(self, workshop_id: int) -> Event[list[Idea], dict[int, int]]:
        """(ideas added or changed, {idea id: support count}) since the last tick of the app's loop, for the
        phones reading the others' ideas: with 150 of them open, one event per idea cost each phone an update
        per idea (atelier bench --peers); a tick batches a burst into one."""
        return self._peer_batches[workshop_id]

    def flush_peer_batches(self) -> None:
        """Called by the app's one loop, a few times a second."""
        for workshop_id in list(self._batched_ideas.keys() | self._batched_supports.keys()):
            ideas = list(self._batched_ideas.pop(workshop_id, {}).values())
            supports = self._batched_supports.pop(workshop_id, {})
            if ideas or supports:
                self._peer_batches[workshop_id].emit(ideas, supports)

    def _batching(self, workshop_id: int) -> bool:
        batch = self._peer_batches.get(workshop_id)
        return batch is not None and bool(batch.callbacks)

    # Publishing (by the service, after the change is stored).

    def publish_workshop(self, workshop: Workshop) -> None:
        self._workshop[workshop.id].emit(workshop)

    def publish_idea(self, idea: Idea) -> None:
        self._ideas[idea.workshop_id].emit(idea)
        if self._batching(idea.workshop_id):
            self._batched_ideas[idea.workshop_id][idea.id] = idea  # the latest state of each idea
        if idea.participant_id is not None:
            self._own_ideas[idea.participant_id].emit(idea)

    def publish_participant_count(self, workshop_id: int, count: int) -> None:
        self._participants[workshop_id].emit(count)

    def publish_swot_item(self, item: SwotItem) -> None:
        self._swot[item.territory_id].emit(item)

    def publish_support(self, workshop_id: int, idea_id: int, count: int) -> None:
        self._supports[workshop_id].emit(idea_id, count)
        if self._batching(workshop_id):
            self._batched_supports[workshop_id][idea_id] = count

    def publish_names(self, territory_id: int) -> None:
        self._names[territory_id].emit(territory_id)

    def publish_results(self, results: Any) -> None:
        self._results[results.workshop_id].emit(results)

    def publish_board(self, workshop_id: int, state: BoardState) -> None:
        self._board[workshop_id].emit(state)
