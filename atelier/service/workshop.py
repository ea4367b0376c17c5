"""The facilitator's side of a live workshop: phases, timer, moderation of ideas, ideas into actions."""

from __future__ import annotations

import secrets
import time
from typing import TYPE_CHECKING

from atelier.models import Action, BoardState, Collect, Idea, Workshop, WorkshopSettings
from atelier.rules import Refused
from atelier.rules.board import changed_board
from atelier.rules.codes import new_join_code
from atelier.rules.ideas import checked_idea, checked_merge, clean_text
from atelier.rules.phases import moved_phase
from atelier.service.selection import Selection

if TYPE_CHECKING:
    from atelier.service.core import Service

# The settings of what participants may do (see TemplateSettings), the ones `set_participation` changes.
PARTICIPATION_SETTINGS = {"peer_ideas", "anonymous", "premoderation"}


class Facilitation:
    """What only the facilitator may do. Made by `Service.as_facilitator`, which checks the login."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.store = service.store
        self.hub = service.hub

    def create_workshop(self, territory_id: int, title: str | None, template_key: str) -> Workshop:
        title = clean_text(title)
        if not title:
            raise Refused("workshop.title_missing")
        if self.store.territory(territory_id) is None:
            raise Refused("territory.unknown")
        template = next((t for t in self.store.templates() if t.info.key == template_key), None)
        if template is None:
            raise Refused("template.unknown")
        code = new_join_code()
        while self.store.code_taken(code):
            code = new_join_code()
        # What participants may do starts as the template says ([reglages]); the console changes it.
        settings = WorkshopSettings(**template.settings.model_dump())
        workshop_id = self.store.insert_workshop(territory_id, code, title[:120], template.info.key,
                                                 template.phases, float(template.phases[0].minutes * 60), settings)
        return self.service.workshop(workshop_id)

    def set_participation(self, workshop_id: int, **changes: bool) -> Workshop:
        """Peer reading and supports, anonymity, pre-moderation: stored, and at once on every open page."""
        if not changes or set(changes) - PARTICIPATION_SETTINGS or not all(isinstance(v, bool)
                                                                            for v in changes.values()):
            raise Refused("settings.invalid")
        workshop = self.service.workshop(workshop_id)
        settings = workshop.settings.model_copy(update=changes)
        return self._changed(workshop_id, settings=settings)

    def _changed(self, workshop_id: int, **fields: object) -> Workshop:
        self.store.update_workshop(workshop_id, **fields)
        workshop = self.service.workshop(workshop_id)
        self.hub.publish_workshop(workshop)
        return workshop

    def set_board(self, workshop_id: int, **changes: object) -> BoardState:
        """The facilitator steers the projected board: paging, one category, one idea full screen, the QR panel,
        the candidate action presented. Stored, then sent to every board and preview of the workshop."""
        workshop = self.service.workshop(workshop_id)
        if changes.get("idea_id") is not None:
            idea = self.store.idea(changes["idea_id"]) if isinstance(changes["idea_id"], int) else None
            if idea is None or idea.workshop_id != workshop_id:
                raise Refused("idea.unknown")
        categories = {c.key for c in self.service.categories(workshop.territory_id)}
        actions = len(self.store.actions(workshop.territory_id))
        state = changed_board(self.service.board_state(workshop_id), changes, categories, actions)
        self.store.set_board_state(workshop_id, state.model_dump_json())
        self.hub.publish_board(workshop_id, state)
        return state

    def move_phase(self, workshop_id: int, step: int) -> Workshop:
        """Next (+1) or previous (-1) phase; its countdown starts on the phase's planned time."""
        workshop = self.service.workshop(workshop_id)
        index = moved_phase(workshop.phases, workshop.phase_index, step)
        if workshop.phase.collect == Collect.RATINGS:
            # The vote closes: the low-hanging fruit are selected now, each with its reason (the method).
            Selection(self.service).apply_low_hanging_fruit(workshop_id)
        seconds = workshop.phases[index].minutes * 60
        ends_at = time.time() + seconds if seconds else None
        return self._changed(workshop_id, phase_index=index, timer_ends_at=ends_at, timer_remaining=None)

    def set_locked(self, workshop_id: int, locked: bool) -> Workshop:
        return self._changed(workshop_id, locked=int(locked))

    def start_timer(self, workshop_id: int) -> Workshop:
        workshop = self.service.workshop(workshop_id)
        if workshop.timer_ends_at is not None or workshop.timer_remaining is None:
            return workshop
        return self._changed(workshop_id, timer_ends_at=time.time() + workshop.timer_remaining,
                             timer_remaining=None)

    def pause_timer(self, workshop_id: int) -> Workshop:
        workshop = self.service.workshop(workshop_id)
        if workshop.timer_ends_at is None:
            return workshop
        return self._changed(workshop_id, timer_ends_at=None,
                             timer_remaining=max(0.0, workshop.timer_ends_at - time.time()))

    def set_timer(self, workshop_id: int, minutes: float | None) -> Workshop:
        if minutes is None or not 0 <= minutes <= 600:
            raise Refused("timer.bad_minutes")
        return self._changed(workshop_id, timer_ends_at=None, timer_remaining=float(minutes * 60))

    def add_minute(self, workshop_id: int) -> Workshop:
        workshop = self.service.workshop(workshop_id)
        if workshop.timer_ends_at is not None:
            return self._changed(workshop_id, timer_ends_at=max(workshop.timer_ends_at, time.time()) + 60)
        return self._changed(workshop_id, timer_remaining=max(0.0, workshop.timer_remaining or 0) + 60)

    def edit_idea(self, idea_id: int, title: str | None, details: str | None, category: str | None) -> Idea:
        idea = self.service.idea(idea_id)
        workshop = self.service.workshop(idea.workshop_id)
        title, details, category = checked_idea(title, details, category,
                                                [c.key for c in self.service.categories(workshop.territory_id)])
        updated = self.store.update_idea(idea_id, title=title, details=details, category=category)
        self.hub.publish_idea(updated)
        return updated

    def set_hidden(self, idea_id: int, hidden: bool) -> Idea:
        """Hiding an idea that waits for approval is refusing it: it leaves the queue, hidden (and can be shown
        later, which puts it on the board)."""
        self.service.idea(idea_id)
        updated = self.store.update_idea(idea_id, hidden=int(hidden), pending=0)
        self.hub.publish_idea(updated)
        return updated

    def approve_idea(self, idea_id: int) -> Idea:
        """Pre-moderation: the idea leaves the queue for the board."""
        idea = self.service.idea(idea_id)
        if not idea.pending:
            return idea
        updated = self.store.update_idea(idea_id, pending=0)
        self.hub.publish_idea(updated)
        return updated

    def merge(self, workshop_id: int, idea_ids: list[int], title: str | None) -> Idea:
        """Groups ideas under a new title; the originals stay stored, pointing at their group."""
        ids, title = checked_merge(idea_ids, title)
        ideas = [self.service.idea(i) for i in ids]
        if any(i.workshop_id != workshop_id or not i.on_wall for i in ideas):
            raise Refused("merge.not_on_wall")
        # The group takes the category most of its ideas share (the first one's on a tie).
        categories = [i.category for i in ideas]
        category = max(categories, key=lambda c: (categories.count(c), -categories.index(c)))
        group = self.store.merge_ideas(workshop_id, ids, f"groupe-{secrets.token_hex(8)}", title, category)
        for idea in ideas:
            self.hub.publish_idea(self.service.idea(idea.id))
        self.hub.publish_idea(group)
        return group

    def promote(self, idea_id: int) -> Action:
        """Makes an idea or a group a candidate action of the territory (once)."""
        idea = self.service.idea(idea_id)
        workshop = self.service.workshop(idea.workshop_id)
        if idea.action_id is not None:
            action = self.store.action(idea.action_id)
            assert action is not None  # an idea's action is never removed from the database
            if action.deleted:  # promoted again after it was taken off the list: it comes back, with its ratings
                action = self.store.update_action(action.id, deleted=0)
                self.service.results_changed(workshop.territory_id)
            return action
        description = idea.details
        if idea.is_group:
            description = "\n".join(f"• {m.title}" + (f" — {m.details}" if m.details else "")
                                    for m in self.store.group_members(idea.id))
        action = self.store.insert_action_from_idea(idea, workshop.territory_id, description)
        self.hub.publish_idea(self.service.idea(idea_id))
        return action

