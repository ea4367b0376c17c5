"""What the participants' phones do: join, send and take back ideas, support the others' (+1), rate the candidate
actions, add SWOT items, keep drafts; and the results their votes make. A part of `Service` (see core.py)."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

from atelier.hub import Hub
from atelier.models import (
    IDEA_DETAILS_MAX,
    IDEA_TITLE_MAX,
    Action,
    Category,
    Collect,
    Draft,
    Idea,
    Participant,
    SwotItem,
    Workshop,
)
from atelier.rules import Refused
from atelier.rules.actors import name_key
from atelier.rules.ideas import check_pace, checked_client_id, checked_idea, checked_identity
from atelier.rules.limits import Throttle, flagged_origins, is_this_machine, seconds_to_say
from atelier.rules.phases import check_open_for
from atelier.rules.selection import Engagement, checked_dot_votes, checked_grade, checked_horizon
from atelier.rules.swot import checked_swot_item
from atelier.service.selection import SelectionResults, compute_results
from atelier.store import Store

# A draft keeps what is typed, even a little over an idea's limits (the phone says so when sending), never more.
DRAFT_TITLE_MAX = 2 * IDEA_TITLE_MAX
DRAFT_DETAILS_MAX = 2 * IDEA_DETAILS_MAX
DRAFT_CATEGORY_MAX = 64


@dataclass(frozen=True)
class BulkOrigin:
    """Identities that joined a workshop from one address (hashed), flagged to the facilitator."""

    origin: str
    identities: int
    votes_excluded: bool


class Participation:
    """The phones' use cases, mixed into `Service`, which owns the state they share."""

    store: Store
    hub: Hub
    _sends: dict[int, deque[float]]
    _pending_drafts: dict[int, Draft]
    _last_activity: float
    _results_to_publish: set[int]
    _joins: Throttle
    _origin_key: bytes | None

    if TYPE_CHECKING:  # what the rest of Service gives
        def workshop(self, workshop_id: int) -> Workshop: ...
        def workshop_by_code(self, code: str | None) -> Workshop: ...
        def idea(self, idea_id: int) -> Idea: ...
        def categories(self, territory_id: int) -> list[Category]: ...
        def storage_secret(self) -> str: ...

    # --- participants ----------------------------------------------------------------------------------

    def join(self, code: str, browser_id: str, name: str | None, organisation: str | None,
             client: str = "local") -> Participant:
        """A phone joins (or renames itself). A new identity is held to the workshop's participant cap and to a
        pace per client address, and remembers where it came from (hashed) for the console's bulk flags."""
        workshop = self.workshop_by_code(code)
        if workshop.closed:
            raise Refused("workshop.closed")
        anonymous = workshop.settings.anonymous
        name, organisation = checked_identity(name, organisation, anonymous)
        existed = self.store.participant_of_browser(workshop.id, browser_id) is not None
        origin = None
        if not existed:
            now = time.time()
            wait = 0.0 if is_this_machine(client) else self._joins.wait(client, now)
            if wait > 0:
                raise Refused("join.too_fast", seconds=seconds_to_say(wait))
            cap = workshop.settings.max_participants
            if self.store.participant_count(workshop.id) >= cap:
                raise Refused("join.full", max=cap)
            self._joins.record(client, now)
            origin = self.origin_of(client)
        actor_id = next((aid for aid, actor in self.store.actors(workshop.territory_id)
                         if organisation and name_key(actor.name) == name_key(organisation)), None)
        participant = self.store.upsert_participant(workshop.id, browser_id, name, organisation, actor_id,
                                                    anonymous, origin)
        if not existed:
            self.hub.publish_participant_count(workshop.id, self.store.participant_count(workshop.id))
        return participant

    def origin_of(self, client: str) -> str:
        """A client address as kept with a participant: a keyed hash, enough to group identities by address
        without storing the address itself (the key is the server's own, so it cannot be reversed by a
        dictionary of addresses from a copy of the database alone... unless the meta table comes with it)."""
        key = self._origin_key or self.storage_secret().encode()
        self._origin_key = key
        return hmac.new(key, client.encode(), hashlib.sha256).hexdigest()[:12]

    def bulk_origins(self, workshop_id: int) -> list[BulkOrigin]:
        """Addresses from which identities joined in bulk, for the console (rules.limits.flagged_origins)."""
        rows = self.store.participant_origins(workshop_id)
        flagged = flagged_origins(r["origin"] for r in rows for _ in range(r["identities"]))
        return sorted((BulkOrigin(r["origin"], r["identities"], bool(r["excluded"]))
                       for r in rows if r["origin"] in flagged), key=lambda b: -b.identities)

    def submit_idea(self, workshop_id: int, participant_id: int, client_id: str | None, title: str | None,
                    details: str | None, category: str | None) -> Idea:
        """Stores the idea before answering; the same client id sent twice gives the same idea, once."""
        client_id = checked_client_id(client_id)
        existing = self.store.idea_by_client_id(client_id) if self.store.sent_before(client_id) else None
        if existing is not None and existing.participant_id == participant_id:
            return existing  # a retry after a network drop: already stored, say "reçue" again
        workshop = self.workshop(workshop_id)
        check_open_for(workshop, Collect.IDEAS)
        title, details, category = checked_idea(title, details, category,
                                                [c.key for c in self.categories(workshop.territory_id)])
        now = time.time()
        check_pace(self._sends[participant_id], now)
        idea, created = self.store.insert_idea(workshop_id, participant_id, client_id, title, details, category,
                                               pending=workshop.settings.premoderation)
        self._last_activity = now
        if created:
            self._sends[participant_id].append(now)
            self._pending_drafts.pop(participant_id, None)
            self.hub.publish_idea(idea)
        return idea

    def _own_editable_idea(self, participant_id: int, idea_id: int) -> tuple[Idea, Workshop]:
        idea = self.idea(idea_id)
        if idea.participant_id != participant_id or idea.withdrawn:
            raise Refused("idea.not_yours" if idea.participant_id != participant_id else "idea.unknown")
        workshop = self.workshop(idea.workshop_id)
        check_open_for(workshop, Collect.IDEAS)
        if idea.merged_into is not None or idea.action_id is not None:
            raise Refused("idea.frozen")
        return idea, workshop

    def edit_own_idea(self, participant_id: int, idea_id: int, title: str | None, details: str | None,
                      category: str | None) -> Idea:
        idea, workshop = self._own_editable_idea(participant_id, idea_id)
        title, details, category = checked_idea(title, details, category,
                                                [c.key for c in self.categories(workshop.territory_id)])
        updated = self.store.update_idea(idea.id, title=title, details=details, category=category)
        self.hub.publish_idea(updated)
        return updated

    def withdraw_own_idea(self, participant_id: int, idea_id: int) -> Idea:
        idea, _ = self._own_editable_idea(participant_id, idea_id)
        updated = self.store.update_idea(idea.id, withdrawn=1)
        self.hub.publish_idea(updated)
        return updated

    def restore_own_idea(self, participant_id: int, idea_id: int) -> Idea:
        """Undoes a withdrawal (the phone offers it for a few seconds), while ideas are still open."""
        idea = self.idea(idea_id)
        if idea.participant_id != participant_id:
            raise Refused("idea.not_yours")
        if not idea.withdrawn:
            raise Refused("idea.not_withdrawn")
        check_open_for(self.workshop(idea.workshop_id), Collect.IDEAS)
        updated = self.store.update_idea(idea.id, withdrawn=0)
        self.hub.publish_idea(updated)
        return updated

    # --- workshop 2: ratings from phones, results ----------------------------------------------------

    def candidate_actions(self, territory_id: int) -> list[Action]:
        return self.store.actions(territory_id)

    def own_ratings(self, workshop_id: int, participant_id: int) -> dict[int, dict]:
        return self.store.ratings_of_participant(workshop_id, participant_id)

    def own_dot_votes(self, workshop_id: int, participant_id: int) -> dict[int, int]:
        return self.store.dot_votes_of_participant(workshop_id, participant_id)

    def _open_vote(self, workshop_id: int, action_id: int | None, mode: str) -> Workshop:
        workshop = self.workshop(workshop_id)
        check_open_for(workshop, Collect.RATINGS)
        if workshop.settings.vote_mode != mode:
            raise Refused("rating.wrong_mode")
        if action_id is not None:
            action = self.store.action(action_id)
            if action is None or action.deleted or action.territory_id != workshop.territory_id:
                raise Refused("rating.action_gone")
        return workshop

    def rate(self, workshop_id: int, participant_id: int, action_id: int, impact: object, ease: object,
             horizon: str | None, engagement: str | None) -> None:
        """Stored before the phone is told; a new rating of the same action replaces the previous one."""
        self._open_vote(workshop_id, action_id, "notes")
        impact, ease = checked_grade(impact), checked_grade(ease)
        horizon = checked_horizon(horizon)
        engagement = engagement or Engagement.NONE.value
        if engagement not in {e.value for e in Engagement}:
            raise Refused("rating.engagement_unknown")
        self.store.upsert_rating(workshop_id, action_id, participant_id, impact, ease, horizon, engagement)
        self._last_activity = time.time()
        self._results_to_publish.add(workshop_id)

    def cast_dots(self, workshop_id: int, participant_id: int, points: dict[int, int]) -> None:
        workshop = self._open_vote(workshop_id, None, "points")
        known = {a.id for a in self.store.actions(workshop.territory_id)}
        if set(points) - known:
            raise Refused("rating.action_gone")
        self.store.replace_dot_votes(workshop_id, participant_id,
                                     checked_dot_votes(points, workshop.settings.points_budget))
        self._last_activity = time.time()
        self._results_to_publish.add(workshop_id)

    def results(self, workshop_id: int) -> SelectionResults:
        workshop = self.workshop(workshop_id)
        availability = {a.name: a.availability_groups for _, a in self.store.actors(workshop.territory_id)}
        return compute_results(workshop, self.store.actions(workshop.territory_id), self.store.ratings(workshop_id),
                               self.store.dot_votes(workshop_id), availability, self.store.voter_count(workshop_id),
                               self.store.excluded_participants(workshop_id))

    def working_group_actions(self, territory_id: int) -> set[int]:
        """The actions that go to a working group, by the rule the plan's PDF applies (in_working_group), over the
        territory's selection workshops."""
        return {r.action.id for w in self.store.workshops(territory_id) if w.template_key == "selection"
                for r in self.results(w.id).actions if r.in_working_group}

    def results_changed(self, territory_id: int) -> None:
        self._results_to_publish.update(w.id for w in self.store.workshops(territory_id))

    def publish_results(self) -> int:
        """Called by the app's one results loop: each changed workshop's results, computed once per tick.

        Ratings arrive by the hundred; the projector and the consoles get one update per tick, never one per vote.
        """
        changed, self._results_to_publish = self._results_to_publish, set()
        for workshop_id in changed:
            self.hub.publish_results(self.results(workshop_id))
        return len(changed)

    # --- SWOT from phones ---------------------------------------------------------------------------------

    def swot(self, territory_id: int) -> list[SwotItem]:
        return self.store.swot_items(territory_id)

    def own_swot_items(self, participant_id: int) -> list[SwotItem]:
        return self.store.swot_items_of_participant(participant_id)

    def submit_swot_item(self, workshop_id: int, participant_id: int, client_id: str | None, quadrant: str | None,
                         text: str | None) -> SwotItem:
        """Like an idea: stored before the phone is told, once per client id, only in a SWOT phase."""
        client_id = checked_client_id(client_id)
        workshop = self.workshop(workshop_id)
        existing = self.store.swot_item_by_client_id(client_id)
        if existing is not None and existing.participant_id == participant_id:
            return existing
        check_open_for(workshop, Collect.SWOT)
        checked_quadrant, text = checked_swot_item(quadrant, text)
        now = time.time()
        check_pace(self._sends[participant_id], now)
        item, created = self.store.insert_swot_item(workshop.territory_id, workshop.id, participant_id, client_id,
                                                    checked_quadrant, text)
        self._last_activity = now
        if created:
            self._sends[participant_id].append(now)
            self.hub.publish_swot_item(item)
        return item

    # --- drafts: kept in memory as typed, written to SQLite in one batch by the app's single timer --------

    def keep_draft(self, participant_id: int, draft: Draft) -> None:
        """Kept bounded: a draft is at most what an idea may hold (a phone sent 900 kB once)."""
        self._pending_drafts[participant_id] = Draft(title=draft.title[:DRAFT_TITLE_MAX],
                                                     details=draft.details[:DRAFT_DETAILS_MAX],
                                                     category=draft.category[:DRAFT_CATEGORY_MAX])

    def flush_drafts(self) -> int:
        if not self._pending_drafts:
            return 0
        drafts, self._pending_drafts = self._pending_drafts, {}
        self.store.save_drafts(drafts)
        return len(drafts)

    def draft(self, participant_id: int) -> Draft:
        return self._pending_drafts.get(participant_id) or self.store.draft(participant_id)
