"""Use cases: validate -> rules -> store -> publish. Pages call these, never the store."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import defaultdict, deque

from atelier.hub import Hub
from atelier.models import Action, Category, Collect, Draft, Idea, Participant, Workshop, WorkshopTemplate
from atelier.rules import Refused
from atelier.rules.codes import new_join_code, normalised_join_code
from atelier.rules.ideas import (
    check_pace,
    checked_client_id,
    checked_idea,
    checked_identity,
    checked_merge,
    clean_text,
)
from atelier.rules.phases import check_open_for, moved_phase, timer_seconds_left
from atelier.scenario import Scenario
from atelier.store import Store

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def _hash_secret(secret: str, salt: bytes) -> str:
    return hashlib.scrypt(secret.encode(), salt=salt, **_SCRYPT).hex()


class Service:
    def __init__(self, store: Store, hub: Hub | None = None) -> None:
        self.store = store
        self.hub = hub or Hub()
        self._sends: defaultdict[int, deque[float]] = defaultdict(lambda: deque(maxlen=16))
        self._pending_drafts: dict[int, Draft] = {}
        self._categories: dict[int, list[Category]] = {}

    # --- set-up --------------------------------------------------------------------------------------

    def install_scenario(self, scenario: Scenario) -> int:
        """Loads a territory, its categories and the templates; loading the same files again changes nothing."""
        territory_id = self.store.upsert_territory(scenario.territory.territory)
        self.store.upsert_categories(territory_id, scenario.categories)
        self._categories.pop(territory_id, None)
        for actor in scenario.territory.actors:
            self.store.upsert_actor(territory_id, actor)
        for template in scenario.templates:
            self.store.upsert_template(template)
        return territory_id

    def ensure_demo_workshop(self, territory_id: int, template_key: str = "co-construction") -> Workshop:
        """The demo's first workshop, made once: starting the demo again finds it as it was left."""
        existing = [w for w in self.store.workshops() if w.territory_id == territory_id]
        if existing:
            return existing[-1]
        template = next(t for t in self.store.templates() if t.info.key == template_key)
        return Facilitation(self).create_workshop(territory_id, template.info.title, template_key)

    def storage_secret(self) -> str:
        """Signs the browsers' identity cookies; made once, kept in the database so identities survive a restart."""
        return self.store.set_meta_if_absent("storage_secret", secrets.token_urlsafe(32))

    # --- facilitator secret ------------------------------------------------------------------------------

    def ensure_facilitator_secret(self) -> str | None:
        """Creates the facilitator's secret at first start and returns it (only then: only its hash is kept)."""
        if self.store.meta("facilitator_secret") is not None:
            return None
        return self.reset_facilitator_secret()

    def reset_facilitator_secret(self) -> str:
        """A new secret; every facilitator logged in with the old one is logged out."""
        secret = "-".join(secrets.token_hex(3) for _ in range(3))
        salt = secrets.token_bytes(16)
        version = int(self.store.meta("facilitator_secret_version") or 0) + 1
        self.store.set_meta("facilitator_secret", f"{salt.hex()}${_hash_secret(secret, salt)}")
        self.store.set_meta("facilitator_secret_version", str(version))
        return secret

    def log_in(self, browser_id: str, secret: str | None) -> None:
        stored = self.store.meta("facilitator_secret")
        if not stored or not secret:
            raise Refused("auth.wrong_secret")
        salt_hex, expected = stored.split("$")
        if not hmac.compare_digest(_hash_secret(secret.strip(), bytes.fromhex(salt_hex)), expected):
            raise Refused("auth.wrong_secret")
        self.store.add_facilitator_session(browser_id, int(self.store.meta("facilitator_secret_version") or 0))

    def log_out(self, browser_id: str) -> None:
        self.store.remove_facilitator_session(browser_id)

    def is_facilitator(self, browser_id: str | None) -> bool:
        if not browser_id:
            return False
        version = self.store.facilitator_session_version(browser_id)
        return version is not None and version == int(self.store.meta("facilitator_secret_version") or 0)

    def as_facilitator(self, browser_id: str | None) -> Facilitation:
        """The facilitator's use cases, only for a browser logged in with the current secret."""
        if not self.is_facilitator(browser_id):
            raise Refused("auth.required")
        return Facilitation(self)

    # --- reading -------------------------------------------------------------------------------------

    def territories(self) -> list[dict]:
        return self.store.territories()

    def templates(self) -> list[WorkshopTemplate]:
        return self.store.templates()

    def workshops(self) -> list[Workshop]:
        return self.store.workshops()

    def workshop(self, workshop_id: int) -> Workshop:
        workshop = self.store.workshop(workshop_id)
        if workshop is None:
            raise Refused("workshop.unknown", code=str(workshop_id))
        return workshop

    def workshop_by_code(self, code: str | None) -> Workshop:
        normalised = normalised_join_code(code)
        workshop = self.store.workshop_by_code(normalised) if normalised else None
        if workshop is None:
            raise Refused("workshop.unknown", code=(code or "").strip()[:20])
        return workshop

    def categories(self, territory_id: int) -> list[Category]:
        if territory_id not in self._categories:
            self._categories[territory_id] = self.store.categories(territory_id)
        return self._categories[territory_id]

    def organisations(self, territory_id: int) -> list[str]:
        """Actor names a phone may pick: only those who agreed to be shown to the other members."""
        return [actor.name for _, actor in self.store.actors(territory_id) if actor.public_consent]

    def participant(self, workshop_id: int, browser_id: str | None) -> Participant | None:
        return self.store.participant_of_browser(workshop_id, browser_id) if browser_id else None

    def participant_count(self, workshop_id: int) -> int:
        return self.store.participant_count(workshop_id)

    def participants(self, workshop_id: int) -> list[Participant]:
        return self.store.participants(workshop_id)

    def ideas(self, workshop_id: int) -> list[Idea]:
        return self.store.ideas(workshop_id)

    def wall(self, workshop_id: int) -> list[Idea]:
        """What the projector shows."""
        return [i for i in self.store.ideas(workshop_id) if i.on_wall]

    def own_ideas(self, participant_id: int) -> list[Idea]:
        return [i for i in self.store.ideas_of_participant(participant_id) if not i.withdrawn]

    def idea(self, idea_id: int) -> Idea:
        idea = self.store.idea(idea_id)
        if idea is None:
            raise Refused("idea.unknown")
        return idea

    def group_members(self, group_id: int) -> list[Idea]:
        return self.store.group_members(group_id)

    def actions(self, territory_id: int) -> list[Action]:
        return self.store.actions(territory_id)

    @staticmethod
    def seconds_left(workshop: Workshop, now: float | None = None) -> float | None:
        return timer_seconds_left(workshop.timer_ends_at, workshop.timer_remaining, now or time.time())

    # --- participants ----------------------------------------------------------------------------------

    def join(self, code: str, browser_id: str, name: str | None, organisation: str | None) -> Participant:
        workshop = self.workshop_by_code(code)
        if workshop.closed:
            raise Refused("workshop.closed")
        name, organisation = checked_identity(name, organisation)
        actor_id = next((aid for aid, actor in self.store.actors(workshop.territory_id)
                         if actor.name.casefold() == organisation.casefold()), None)
        existed = self.store.participant_of_browser(workshop.id, browser_id) is not None
        participant = self.store.upsert_participant(workshop.id, browser_id, name, organisation, actor_id)
        if not existed:
            self.hub.publish_participant_count(workshop.id, self.store.participant_count(workshop.id))
        return participant

    def submit_idea(self, workshop_id: int, participant_id: int, client_id: str | None, title: str | None,
                    details: str | None, category: str | None) -> Idea:
        """Stores the idea before answering; the same client id sent twice gives the same idea, once."""
        client_id = checked_client_id(client_id)
        existing = self.store.idea_by_client_id(client_id)
        if existing is not None and existing.participant_id == participant_id:
            return existing  # a retry after a network drop: already stored, say "reçue" again
        workshop = self.workshop(workshop_id)
        check_open_for(workshop, Collect.IDEAS)
        title, details, category = checked_idea(title, details, category,
                                                [c.key for c in self.categories(workshop.territory_id)])
        now = time.time()
        check_pace(self._sends[participant_id], now)
        idea, created = self.store.insert_idea(workshop_id, participant_id, client_id, title, details, category)
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

    # --- drafts: kept in memory as typed, written to SQLite in one batch by the app's single timer --------

    def keep_draft(self, participant_id: int, draft: Draft) -> None:
        self._pending_drafts[participant_id] = draft

    def flush_drafts(self) -> int:
        if not self._pending_drafts:
            return 0
        drafts, self._pending_drafts = self._pending_drafts, {}
        self.store.save_drafts(drafts)
        return len(drafts)

    def draft(self, participant_id: int) -> Draft:
        return self._pending_drafts.get(participant_id) or self.store.draft(participant_id)


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
        workshop_id = self.store.insert_workshop(territory_id, code, title[:120], template.info.key,
                                                 template.phases, float(template.phases[0].minutes * 60))
        return self.service.workshop(workshop_id)

    def _changed(self, workshop_id: int, **fields: object) -> Workshop:
        self.store.update_workshop(workshop_id, **fields)
        workshop = self.service.workshop(workshop_id)
        self.hub.publish_workshop(workshop)
        return workshop

    def move_phase(self, workshop_id: int, step: int) -> Workshop:
        """Next (+1) or previous (-1) phase; its countdown starts on the phase's planned time."""
        workshop = self.service.workshop(workshop_id)
        index = moved_phase(workshop.phases, workshop.phase_index, step)
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
        self.service.idea(idea_id)
        updated = self.store.update_idea(idea_id, hidden=int(hidden))
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
            return next(a for a in self.store.actions(workshop.territory_id) if a.id == idea.action_id)
        description = idea.details
        if idea.is_group:
            description = "\n".join(f"• {m.title}" + (f" — {m.details}" if m.details else "")
                                    for m in self.store.group_members(idea.id))
        action = self.store.insert_action_from_idea(idea, workshop.territory_id, description)
        self.hub.publish_idea(self.service.idea(idea_id))
        return action
