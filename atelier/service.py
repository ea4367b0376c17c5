"""Use cases: validate -> rules -> store -> publish. Pages call these, never the store."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
import sqlite3
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, replace

from pydantic import ValidationError

from atelier.exports.backup import BackupError, as_copy, backup_bytes, read_backup
from atelier.hub import Hub
from atelier.i18n import t
from atelier.imports.actors_table import ImportPreview, read_actor_table
from atelier.models import (
    ACTION_DESCRIPTION_MAX,
    ACTION_STATUSES,
    ACTION_TITLE_MAX,
    Action,
    Actor,
    ActorKind,
    Category,
    Collect,
    Draft,
    Facilitator,
    Idea,
    Interview,
    Participant,
    SwotItem,
    Workshop,
    WorkshopSettings,
    WorkshopTemplate,
)
from atelier.rules import Refused
from atelier.rules.actors import name_key, unique_slug, validated_actor
from atelier.rules.codes import new_join_code, normalised_join_code
from atelier.rules.groups import (
    checked_due,
    checked_join_request,
    checked_meeting_date,
    checked_next_step,
    checked_status_move,
    checked_threshold,
    cohort_ready,
    meetings_warning,
)
from atelier.rules.ideas import (
    check_pace,
    checked_client_id,
    checked_idea,
    checked_identity,
    checked_merge,
    checked_merged_ids,
    clean_text,
)
from atelier.rules.lead_views import (
    STATUS_DISMISSED,
    STATUS_PROMOTED,
    STATUS_PROPOSED,
    LeadView,
    lead_snapshot,
    lead_wording,
)
from atelier.rules.leads import Lead, detect_leads, entries_of
from atelier.rules.phases import check_open_for, moved_phase
from atelier.rules.selection import (
    ActionEngagements,
    DispersionReport,
    Engagement,
    GradeSummary,
    Horizon,
    LowHangingFruit,
    Thresholds,
    checked_dot_votes,
    checked_grade,
    checked_horizon,
    checked_unselection_reason,
    dispersion,
    low_hanging_fruit,
    summarise,
    voted_horizon,
)
from atelier.rules.swot import checked_swot_item
from atelier.scenario import Scenario
from atelier.store import Store

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def _hash_secret(secret: str, salt: bytes) -> str:
    return hashlib.scrypt(secret.encode(), salt=salt, **_SCRYPT).hex()


def _new_secret() -> str:
    return "-".join(secrets.token_hex(3) for _ in range(3))


def _stored_secret(secret: str) -> str:
    salt = secrets.token_bytes(16)
    return f"{salt.hex()}${_hash_secret(secret, salt)}"


def _secret_matches(secret: str, stored: str) -> bool:
    salt_hex, expected = stored.split("$")
    return hmac.compare_digest(_hash_secret(secret, bytes.fromhex(salt_hex)), expected)


class Service:
    def __init__(self, store: Store, hub: Hub | None = None) -> None:
        self.store = store
        self.hub = hub or Hub()
        self._sends: defaultdict[int, deque[float]] = defaultdict(lambda: deque(maxlen=16))
        self._pending_drafts: dict[int, Draft] = {}
        self._categories: dict[int, list[Category]] = {}
        self._last_activity = 0.0
        self._results_to_publish: set[int] = set()

    # --- set-up --------------------------------------------------------------------------------------

    def install_scenario(self, scenario: Scenario) -> int:
        """Loads a territory, its categories and the templates.

        What is already in the database wins: loading the files again at each start adds what is new in them,
        never duplicates, and never overwrites an actor or an interview edited in the app.
        Categories (and their vocabulary) and workshop templates are only edited in the files: they follow them.
        """
        territory_id = self.store.insert_territory_if_absent(scenario.territory.territory)
        self.store.upsert_categories(territory_id, scenario.categories)
        self._categories.pop(territory_id, None)
        self.store.insert_actors_if_absent(territory_id, scenario.territory.actors)
        for template in scenario.templates:
            self.store.upsert_template(template)
        return territory_id

    def ensure_demo_workshop(self, territory_id: int, template_key: str = "co-construction") -> Workshop:
        """The demo's first workshop, made once: starting the demo again finds it as it was left."""
        existing = self.store.workshops(territory_id)
        if existing:
            return existing[-1]
        template = next(t for t in self.store.templates() if t.info.key == template_key)
        return Facilitation(self).create_workshop(territory_id, template.info.title, template_key)

    def storage_secret(self) -> str:
        """Signs the browsers' identity cookies; made once, kept in the database so identities survive a restart."""
        return self.store.set_meta_if_absent("storage_secret", secrets.token_urlsafe(32))

    # --- facilitator secret ------------------------------------------------------------------------------

    def ensure_facilitator_secret(self) -> str | None:
        """Creates the lead facilitator at first start and returns their code (only then: only its hash is kept)."""
        if any(f.is_lead for f in self.store.facilitators()):
            return None
        secret = _new_secret()
        self.store.insert_facilitator("Animation principale", "principal", _stored_secret(secret))
        return secret

    def reset_facilitator_secret(self) -> str:
        """A new code for the lead facilitator; every browser logged in with the old one is logged out."""
        lead = next((f for f in self.store.facilitators() if f.is_lead), None)
        if lead is None:
            secret = self.ensure_facilitator_secret()
            assert secret is not None
            return secret
        secret = _new_secret()
        self.store.update_facilitator(lead.id, secret=_stored_secret(secret), version=lead.version + 1)
        return secret

    def log_in(self, browser_id: str, secret: str | None) -> Facilitator:
        """Each facilitator has their own code; the browser is then theirs until they log out or the code changes."""
        secret = (secret or "").strip()
        for facilitator in self.store.facilitators():
            if secret and not facilitator.revoked and _secret_matches(secret, facilitator.secret):
                self.store.add_facilitator_session(browser_id, facilitator.id, facilitator.version)
                return facilitator
        raise Refused("auth.wrong_secret")

    def log_out(self, browser_id: str) -> None:
        self.store.remove_facilitator_session(browser_id)

    def facilitator(self, browser_id: str | None) -> Facilitator | None:
        return self.store.facilitator_of_session(browser_id) if browser_id else None

    def is_facilitator(self, browser_id: str | None) -> bool:
        return self.facilitator(browser_id) is not None

    def roles(self, browser_id: str | None) -> Roles:
        """Managing who facilitates is the lead facilitator's alone."""
        facilitator = self.facilitator(browser_id)
        if facilitator is None:
            raise Refused("auth.required")
        if not facilitator.is_lead:
            raise Refused("auth.lead_only")
        return Roles(self, facilitator)

    def as_facilitator(self, browser_id: str | None) -> Facilitation:
        """The facilitator's use cases, only for a browser logged in with the current secret."""
        if not self.is_facilitator(browser_id):
            raise Refused("auth.required")
        return Facilitation(self)

    def diagnostic(self, browser_id: str | None) -> Diagnostic:
        """The diagnostic's use cases (actors, interviews, leads, SWOT), only for the facilitator."""
        if not self.is_facilitator(browser_id):
            raise Refused("auth.required")
        return Diagnostic(self)

    # --- whole-territory backup -------------------------------------------------------------------------

    def export_territory(self, territory_id: int) -> bytes:
        self.territory(territory_id)
        return backup_bytes(self.store.backup_rows(territory_id))

    def import_territory(self, content: bytes, copy: bool = False) -> int:
        """Restores a backup. A territory that exists already is refused, or imported beside it as a copy."""
        try:
            tables = read_backup(content)
        except BackupError as e:
            raise Refused("backup.invalid", reason=str(e)) from e
        territory = tables["territories"][0]
        taken = {t["key"] for t in self.store.territories()}
        if territory.get("key") in taken:
            if not copy:
                raise Refused("backup.exists", name=territory.get("name", ""))
            tables = as_copy(tables, taken)
        try:
            territory_id = self.store.restore_rows(tables, self.store.code_taken, new_join_code)
        except (sqlite3.Error, KeyError, TypeError) as e:
            raise Refused("backup.invalid", reason=f"contenu incohérent ({e})") from e
        self._categories.pop(territory_id, None)
        return territory_id

    # --- reading -------------------------------------------------------------------------------------

    def territories(self) -> list[dict]:
        return self.store.territories()

    def territory(self, territory_id: int) -> dict:
        territory = self.store.territory(territory_id)
        if territory is None:
            raise Refused("territory.unknown")
        return territory

    def templates(self) -> list[WorkshopTemplate]:
        return self.store.templates()

    def workshops(self, territory_id: int | None = None) -> list[Workshop]:
        return self.store.workshops(territory_id)

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

    def public_actor_names(self, territory_id: int) -> dict[str, str]:
        """Names as the projector may show them: an actor who did not consent appears as "Acteur n"."""
        return {actor.key: actor.name if actor.public_consent else t("actor.anonymous", n=n)
                for n, (_, actor) in enumerate(self.store.actors(territory_id), start=1)}

    def public_leads(self, territory_id: int) -> list[LeadView]:
        """The leads not dismissed, for the projector's network view. Pure work: run it off the loop."""
        return [v for v in Diagnostic(self).leads(territory_id) if v.status != STATUS_DISMISSED]

    def participant(self, workshop_id: int, browser_id: str | None) -> Participant | None:
        return self.store.participant_of_browser(workshop_id, browser_id) if browser_id else None

    def participant_count(self, workshop_id: int) -> int:
        return self.store.participant_count(workshop_id)

    def participants(self, workshop_id: int, after_id: int = 0) -> list[Participant]:
        """Who joined; with `after_id`, only those who joined since (a console adds them as they come)."""
        return self.store.participants(workshop_id, after_id)

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

    def seconds_since_last_activity(self) -> float:
        return time.time() - self._last_activity

    # --- participants ----------------------------------------------------------------------------------

    def join(self, code: str, browser_id: str, name: str | None, organisation: str | None) -> Participant:
        workshop = self.workshop_by_code(code)
        if workshop.closed:
            raise Refused("workshop.closed")
        name, organisation = checked_identity(name, organisation)
        actor_id = next((aid for aid, actor in self.store.actors(workshop.territory_id)
                         if name_key(actor.name) == name_key(organisation)), None)
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

    # --- workshop 2: ratings from phones, results ----------------------------------------------------

    def selection(self, browser_id: str | None) -> Selection:
        facilitator = self.facilitator(browser_id)
        if facilitator is None:
            raise Refused("auth.required")
        return Selection(self, facilitator.name)

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
                               self.store.dot_votes(workshop_id), availability, self.store.voter_count(workshop_id))

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

    # --- working groups and extension: the facilitator's side, and what phones and the public may do ---------

    def groups(self, browser_id: str | None) -> Groups:
        facilitator = self.facilitator(browser_id)
        if facilitator is None:
            raise Refused("auth.required")
        return Groups(self, facilitator.name)

    def extension(self, browser_id: str | None) -> Extension:
        if not self.is_facilitator(browser_id):
            raise Refused("auth.required")
        return Extension(self)

    def working_groups(self, territory_id: int) -> list[dict]:
        groups = self.store.working_groups(territory_id)
        for group in groups:
            group["warning"] = meetings_warning(group["meetings"])
        return groups

    def working_group(self, group_id: int) -> dict:
        group = self.store.working_group(group_id)
        if group is None:
            raise Refused("group.unknown")
        return group

    def actor_names(self, territory_id: int) -> dict[str, str]:
        """Actor key → name, for the lines that name the actors of a lead or an action."""
        return {a.key: a.name for _, a in self.store.actors(territory_id)}

    def request_to_join(self, territory_key: str, fields: dict[str, str | None], source: str = "formulaire") -> int:
        """The public form (and the facilitator's entry): a candidate waits for the next cohort."""
        territory = next((t for t in self.store.territories() if t["key"] == territory_key), None)
        if territory is None:
            raise Refused("territory.unknown")
        organisation, contact, email = checked_join_request(
            fields.get("organisation"), fields.get("contact"), fields.get("email"),
            self.store.all_contact_emails(territory["id"]))
        kind = fields.get("kind") or "autre"
        if kind not in {k.value for k in ActorKind}:
            raise Refused("actor.invalid", field="type")
        commune, message = clean_text(fields.get("commune"))[:80], clean_text(fields.get("message"))[:1000]
        return self.store.insert_join_request(territory["id"], organisation, kind, commune, contact, email, message,
                                              source)

    def ask_to_join_group(self, workshop_id: int, participant_id: int, group_id: int) -> bool:
        """During an extension workshop's groups phase, a newcomer asks to join a working group; once only."""
        workshop = self.workshop(workshop_id)
        check_open_for(workshop, Collect.GROUPS)
        group = self.working_group(group_id)
        if group["territory_id"] != workshop.territory_id:
            raise Refused("group.unknown")
        participant = next((p for p in self.store.participants(workshop_id) if p.id == participant_id), None)
        if participant is None:
            raise Refused("join.unknown_participant")
        return self.store.insert_group_join_request(group_id, participant.organisation, participant_id)

    def pilot_view(self, token: str) -> dict:
        """The pilot's own link: their group's requests to accept or decline, without an account."""
        group = self.store.working_group_by_token(token)
        if group is None:
            raise Refused("group.unknown")
        return {**group, "requests": self.store.group_join_requests(group["id"]),
                "members": self.store.working_group_members(group["id"])}

    def pilot_decides(self, token: str, request_id: int, accept: bool) -> None:
        group = self.store.working_group_by_token(token)
        request = self.store.group_join_request(request_id)
        if group is None or request is None or request["group_id"] != group["id"]:
            raise Refused("group.request_unknown")
        self.store.decide_group_join_request(request_id, "acceptee" if accept else "refusee")

    def method_counts(self, territory_id: int) -> dict[str, int]:
        """Where the territory stands in the method, as the figures the method guide checks."""
        self.territory(territory_id)
        actors = [a for _, a in self.store.actors(territory_id)]
        interviews = [i for _, i in self.store.interviews(territory_id) if i.needs or i.capacities]
        leads = Diagnostic(self).leads(territory_id)
        swot = [i for i in self.store.swot_items(territory_id) if i.on_board]
        workshops = self.store.workshops(territory_id)
        actions = self.store.actions(territory_id)
        selected = [a for a in actions if a.selection == SELECTED]
        groups = self.store.working_groups(territory_id)
        fruits = {e["action_id"] for w in workshops for e in self.store.selection_log(w.id)
                  if e["automatic"] and e["decision"] == SELECTED}
        return {
            "actors": len(actors),
            "public_partners": sum(1 for a in actors if a.kind in (ActorKind.LOCAL_AUTHORITY, ActorKind.PUBLIC_BODY)),
            "interviews": len(interviews),
            "leads": len(leads),
            "leads_decided": sum(1 for v in leads if v.decision is not None and v.status != STATUS_PROPOSED),
            "swot_items": len(swot),
            "swot_quadrants_filled": len({i.quadrant for i in swot}),
            "workshops_coconstruction": sum(1 for w in workshops if w.template_key in ("co-construction",
                                                                                       "extension")),
            "ideas": sum(1 for w in workshops for i in self.store.ideas(w.id) if not i.is_group),
            "candidate_actions": len(actions),
            "workshops_selection": sum(1 for w in workshops if w.template_key == "selection"),
            "ratings": sum(len(self.store.ratings(w.id)) for w in workshops if w.template_key == "selection"),
            "selected_actions": len(selected),
            "low_hanging_fruit_selected": sum(1 for a in selected if a.id in fruits),
            "working_groups": len(groups),
            "meetings_planned": sum(g["meetings"] for g in groups),
            "meetings_held": sum(g["meetings_held"] for g in groups),
            "actions_in_progress": sum(1 for a in selected if a.status == "en-cours"),
            "actions_done": sum(1 for a in selected if a.status == "realisee"),
            "join_requests_waiting": len(self.store.join_requests(territory_id, "en-attente")),
            "cohorts": len(self.store.cohorts(territory_id)),
            "co_facilitators": sum(1 for f in self.store.facilitators() if not f.is_lead and not f.revoked),
        }

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


# --- the diagnostic: actors, interviews, leads, SWOT ---------------------------------------------------------


class Diagnostic:
    """The facilitator's groundwork before the workshops. Made by `Service.diagnostic`, which checks the login."""

    HISTORY_MERGE_SECONDS = 120.0  # typing within two minutes is one entry of the history, not one per keystroke

    def __init__(self, service: Service) -> None:
        self.service = service
        self.store = service.store
        self.hub = service.hub
        self._shown_leads: dict[int, dict[str, Lead]] = {}  # per territory: the leads last computed for this page

    # actors

    def territory_id_of_actor(self, actor_id: int) -> int:
        found = self.store.actor(actor_id)
        if found is None:
            raise Refused("actor.unknown")
        return found[0]

    def actor(self, actor_id: int) -> tuple[Actor, bool]:
        found = self.store.actor(actor_id)
        if found is None:
            raise Refused("actor.unknown")
        return found[1], found[2]

    def actors(self, territory_id: int, archived: bool = False) -> list[tuple[int, Actor]]:
        return self.store.actors(territory_id, archived)

    def add_actor(self, territory_id: int, fields: dict[str, object]) -> int:
        """`fields` as the form gives them, with the French names of the model's aliases."""
        name = clean_text(str(fields.get("nom") or ""))
        taken = self.store.actor_keys(territory_id)
        key = unique_slug(name, taken)
        actor = validated_actor({**fields, "cle": key, "nom": name})
        if name_key(name) in {name_key(a.name) for _, a in self.store.actors(territory_id)}:
            raise Refused("actor.duplicate", name=name)
        ids = self.store.insert_actors_if_absent(territory_id, [actor])
        return ids[0]

    def edit_actor(self, actor_id: int, fields: dict[str, object]) -> Actor:
        current, _ = self.actor(actor_id)
        actor = validated_actor({**current.model_dump(by_alias=True, exclude={"interview"}), **fields,
                                 "cle": current.key})
        self.store.update_actor(actor_id, actor)
        return actor

    def set_archived(self, actor_id: int, archived: bool) -> None:
        """Archiving hides the actor from lists, leads and phones; what it said in workshops stays."""
        self.actor(actor_id)
        self.store.set_actor_archived(actor_id, archived)

    def preview_import(self, territory_id: int, filename: str, content: bytes) -> ImportPreview:
        existing = [a.name for _, a in self.store.actors(territory_id)]
        existing += [a.name for _, a in self.store.actors(territory_id, archived=True)]
        return read_actor_table(filename, content, existing_names=existing)

    def confirm_import(self, territory_id: int, preview: ImportPreview) -> int:
        """Imports a preview without error, all in one transaction; returns how many actors were added."""
        if not preview.ok:
            raise Refused("import.has_errors", count=len(preview.errors))
        taken = set(self.store.actor_keys(territory_id))
        actors = []
        for actor in preview.actors:
            key = unique_slug(actor.name, taken)
            taken.add(key)
            actors.append(actor.model_copy(update={"key": key}))
        return len(self.store.insert_actors_if_absent(territory_id, actors))

    # interviews

    def interview(self, actor_id: int) -> tuple[Interview, int]:
        self.actor(actor_id)
        interview, version = self.store.interview(actor_id)
        return interview or Interview(), version

    def save_interview(self, actor_id: int, interview: Interview, base_version: int, author: str) -> int:
        """Saves as typed. A tab that saves over an older version is refused; its text is kept in the history."""
        self.actor(actor_id)
        version = self.store.save_interview(actor_id, interview, base_version, author, self.HISTORY_MERGE_SECONDS)
        if version is None:
            raise Refused("interview.conflict")
        return version

    def interview_history(self, actor_id: int) -> list[dict]:
        return self.store.interview_history(actor_id)

    # leads

    def leads(self, territory_id: int) -> list[LeadView]:
        """The leads of the current interviews with the facilitator's decisions. Pure work: run it off the loop."""
        entries = [entry for key, interview in self.store.interviews(territory_id)
                   for entry in entries_of(key, interview)]
        vocabulary = {c.key: c.words for c in self.service.categories(territory_id)}
        decisions = self.store.lead_decisions(territory_id)
        leads = detect_leads(entries, vocabulary)
        self._shown_leads[territory_id] = {lead.key: lead for lead in leads}
        return [LeadView(lead, decisions.get(lead.key)) for lead in leads]

    def _lead(self, territory_id: int, key: str) -> Lead:
        """A lead the facilitator is looking at. The page computed them off the event loop; deciding on one does
        not run the detection again on it."""
        if territory_id not in self._shown_leads:
            self.leads(territory_id)
        lead = self._shown_leads[territory_id].get(key)
        if lead is None:
            raise Refused("lead.unknown")
        return lead

    def dismiss_lead(self, territory_id: int, key: str, reason: str | None) -> None:
        reason = clean_text(reason)
        if not reason:
            raise Refused("lead.reason_missing")
        lead = self._lead(territory_id, key)
        self.store.decide_lead(territory_id, key, STATUS_DISMISSED, reason[:500], lead_snapshot(lead))

    def restore_lead(self, territory_id: int, key: str) -> None:
        lead = self._lead(territory_id, key)
        self.store.decide_lead(territory_id, key, STATUS_PROPOSED, "", lead_snapshot(lead))

    def promote_lead(self, territory_id: int, key: str, workshop_id: int) -> Idea:
        """The lead becomes a candidate idea of the workshop, marked as coming from the interviews."""
        lead = self._lead(territory_id, key)
        workshop = self.service.workshop(workshop_id)
        if workshop.territory_id != territory_id:
            raise Refused("workshop.unknown", code=workshop.code)
        title, details = lead_wording(lead, self.service.actor_names(territory_id))
        idea, created = self.store.insert_idea(workshop_id, None, f"piste-{lead.key}"[:64], title, details,
                                               lead.category, origin="piste")
        self.store.decide_lead(territory_id, key, STATUS_PROMOTED, "", lead_snapshot(lead), idea.id)
        if created:
            self.hub.publish_idea(idea)
        return idea

    # SWOT

    def swot(self, territory_id: int) -> list[SwotItem]:
        return self.service.swot(territory_id)

    def add_swot_item(self, territory_id: int, quadrant: str | None, text: str | None) -> SwotItem:
        quadrant, text = checked_swot_item(quadrant, text)
        item, _ = self.store.insert_swot_item(territory_id, None, None, f"ffom-{secrets.token_hex(8)}", quadrant,
                                              text)
        self.hub.publish_swot_item(item)
        return item

    def edit_swot_item(self, item_id: int, quadrant: str | None, text: str | None) -> SwotItem:
        quadrant, text = checked_swot_item(quadrant, text)
        self._swot_item(item_id)
        item = self.store.update_swot_item(item_id, quadrant=quadrant, text=text)
        self.hub.publish_swot_item(item)
        return item

    def set_swot_hidden(self, item_id: int, hidden: bool) -> SwotItem:
        self._swot_item(item_id)
        item = self.store.update_swot_item(item_id, hidden=int(hidden))
        self.hub.publish_swot_item(item)
        return item

    def merge_swot_items(self, item_ids: list[int], text: str | None) -> SwotItem:
        ids = checked_merged_ids(item_ids)  # the text is checked as a SWOT item's, not as an idea title
        items = [self._swot_item(i) for i in ids]
        territory_id = items[0].territory_id
        if any(i.territory_id != territory_id or not i.on_board for i in items):
            raise Refused("merge.not_on_wall")
        quadrant, text = checked_swot_item(items[0].quadrant, text)
        merged = self.store.merge_swot_items(territory_id, ids, f"ffom-{secrets.token_hex(8)}", quadrant, text)
        for item in items:
            self.hub.publish_swot_item(self._swot_item(item.id))
        self.hub.publish_swot_item(merged)
        return merged

    def _swot_item(self, item_id: int) -> SwotItem:
        item = self.store.swot_item(item_id)
        if item is None:
            raise Refused("swot.unknown")
        return item


# --- workshop 2: rating and selecting the actions -------------------------------------------------------------


@dataclass(frozen=True)
class ActionResult:
    action: Action
    impact: GradeSummary
    ease: GradeSummary
    horizon: Horizon | None
    leads: tuple[str, ...]
    contributors: tuple[str, ...]
    interested: tuple[str, ...]
    fruit: LowHangingFruit
    points: int  # dot votes, in the points mode
    rank: int = 0

    @property
    def needs_working_group(self) -> bool:
        """The method: working groups are mainly for medium- or long-term actions."""
        return self.horizon in (Horizon.MEDIUM, Horizon.LONG)


@dataclass(frozen=True)
class SelectionResults:
    workshop_id: int
    voters: int
    actions: list[ActionResult]  # ranked
    dispersion: DispersionReport


def compute_results(workshop: Workshop, actions: list[Action], ratings: list[dict], dots: list[dict],
                    availability: dict[str, int], voters: int) -> SelectionResults:
    """Everything the projector and the selection console show, from what is stored. Pure."""
    by_action: dict[int, list[dict]] = defaultdict(list)
    for rating in ratings:
        by_action[rating["action_id"]].append(rating)
    points: Counter[int] = Counter()
    for vote in dots:
        points[vote["action_id"]] += vote["points"]
    thresholds = Thresholds(workshop.settings.ease_min, workshop.settings.impact_min)
    results = []
    for action in actions:
        rows = by_action.get(action.id, [])
        engaged = {e: tuple(sorted({r["organisation"] for r in rows if r["engagement"] == e.value}))
                   for e in Engagement}
        impact = summarise([r["impact"] for r in rows if r["impact"] is not None])
        ease = summarise([r["ease"] for r in rows if r["ease"] is not None])
        planned = Horizon(action.horizon) if action.horizon else None
        horizon = voted_horizon([Horizon(r["horizon"]) for r in rows if r["horizon"]], planned)
        fruit = low_hanging_fruit(impact, ease, horizon, engaged[Engagement.LEAD], thresholds)
        results.append(ActionResult(action, impact, ease, horizon, engaged[Engagement.LEAD],
                                    engaged[Engagement.CONTRIBUTOR], engaged[Engagement.INTERESTED], fruit,
                                    points[action.id]))
    if workshop.settings.vote_mode == "points":
        results.sort(key=lambda r: (-r.points, r.action.position, r.action.id))
    else:  # majority judgment on impact, then on ease; the facilitator's order settles what is left
        results.sort(key=lambda r: (r.impact.gauge, r.ease.gauge), reverse=True)
    ranked = [replace(r, rank=n) for n, r in enumerate(results, start=1)]
    engagements = [ActionEngagements(r.action.id, r.action.title, r.action.selection == SELECTED,
                                     r.leads, r.contributors) for r in ranked]
    return SelectionResults(workshop.id, voters, ranked, dispersion(engagements, availability))


SELECTED = "retenue"
NOT_SELECTED = "non_retenue"


class Selection:
    """The facilitator's side of workshop 2. Made by `Service.selection`, which checks the login."""

    def __init__(self, service: Service, author: str = "") -> None:
        self.service = service
        self.store = service.store
        self.author = author  # named in an action's status history

    def _action(self, action_id: int) -> Action:
        action = self.store.action(action_id)
        if action is None or action.deleted:
            raise Refused("action.unknown")
        return action

    def edit_action(self, action_id: int, title: str | None, description: str | None, category: str | None,
                    horizon: str | None, actor_keys: list[str]) -> Action:
        action = self._action(action_id)
        title, description = clean_text(title), clean_text(description)
        if not title:
            raise Refused("action.title_missing")
        if len(title) > ACTION_TITLE_MAX or len(description) > ACTION_DESCRIPTION_MAX:
            raise Refused("action.too_long", title_max=ACTION_TITLE_MAX, description_max=ACTION_DESCRIPTION_MAX)
        if category not in {c.key for c in self.service.categories(action.territory_id)}:
            raise Refused("idea.category_unknown")
        horizon = checked_horizon(horizon)
        known = self.store.actor_keys(action.territory_id)
        updated = self.store.update_action(action_id, title=title, description=description, category=category,
                                           horizon=horizon, actor_keys=[k for k in actor_keys if k in known])
        self.service.results_changed(action.territory_id)
        return updated

    def move_action(self, action_id: int, step: int) -> None:
        action = self._action(action_id)
        ids = [a.id for a in self.store.actions(action.territory_id)]
        index = ids.index(action_id)
        target = min(max(index + step, 0), len(ids) - 1)
        ids.insert(target, ids.pop(index))
        self.store.reorder_actions(ids)
        self.service.results_changed(action.territory_id)

    def delete_action(self, action_id: int) -> None:
        """Taken off the list (kept in the database, with its ratings)."""
        action = self._action(action_id)
        self.store.update_action(action_id, deleted=1)
        self.service.results_changed(action.territory_id)

    def set_settings(self, workshop_id: int, **changes: object) -> Workshop:
        workshop = self.service.workshop(workshop_id)
        try:
            settings = WorkshopSettings.model_validate({**workshop.settings.model_dump(), **changes})
        except ValidationError as e:
            raise Refused("settings.invalid") from e
        self.store.update_workshop(workshop_id, settings=settings)
        updated = self.service.workshop(workshop_id)
        self.service.hub.publish_workshop(updated)
        self.service.results_changed(workshop.territory_id)
        return updated

    def select(self, workshop_id: int, action_id: int) -> Action:
        action = self._action(action_id)
        updated = self.store.select_action(workshop_id, action_id, SELECTED, "", automatic=False)
        self.service.results_changed(action.territory_id)
        return updated

    def unselect(self, workshop_id: int, action_id: int, reason: str | None) -> Action:
        """A low-hanging fruit is un-selected only with a stated reason, which is kept and exported."""
        action = self._action(action_id)
        result = next((r for r in self.service.results(workshop_id).actions if r.action.id == action_id), None)
        if result is not None and result.fruit.flagged:
            reason = checked_unselection_reason(reason)
        else:
            reason = clean_text(reason)[:500]
        updated = self.store.select_action(workshop_id, action_id, NOT_SELECTED, reason, automatic=False)
        self.service.results_changed(action.territory_id)
        return updated

    def apply_low_hanging_fruit(self, workshop_id: int) -> list[Action]:
        """Selects every flagged action not decided yet; a facilitator's earlier un-selection stands."""
        selected = []
        for result in self.service.results(workshop_id).actions:
            if result.fruit.flagged and not result.action.selection:
                selected.append(self.store.select_action(workshop_id, result.action.id, SELECTED,
                                                         result.fruit.reason, automatic=True))
        if selected:
            self.service.results_changed(self.service.workshop(workshop_id).territory_id)
        return selected

    def set_pilot(self, action_id: int, pilot: str | None) -> Action:
        action = self._action(action_id)
        updated = self.store.update_action(action_id, pilot=clean_text(pilot)[:120])
        self.service.results_changed(action.territory_id)
        return updated

    def set_horizon(self, action_id: int, horizon: str | None) -> Action:
        action = self._action(action_id)
        updated = self.store.update_action(action_id, horizon=checked_horizon(horizon))
        self.service.results_changed(action.territory_id)
        return updated

    def set_follow_up(self, action_id: int, next_step: str | None, owner: str | None, due: str | None,
                      status: str | None) -> Action:
        """The plan's columns: the next step, who takes it, by when, and where the action stands."""
        action = self._action(action_id)
        due = checked_due(due)
        if status not in ACTION_STATUSES:
            raise Refused("plan.bad_status")
        next_step, owner = clean_text(next_step), clean_text(owner)
        if next_step and not owner:
            raise Refused("plan.owner_missing")
        moved = status != action.status
        if moved:  # the same moves, progress and history as the working group's page
            status, progress = checked_status_move(action.status, status, action.progress)
        updated = self.store.update_action(action_id, next_step=next_step[:500], next_step_owner=owner[:120],
                                           next_step_due=due)
        if moved:
            self.store.set_action_status(action_id, status, progress, "", self.author)
            updated = self._action(action_id)
        self.service.results_changed(action.territory_id)
        return updated

    def set_working_group(self, action_id: int, wanted: bool) -> Action:
        action = self._action(action_id)
        updated = self.store.update_action(action_id, working_group=int(wanted))
        self.service.results_changed(action.territory_id)
        return updated


class Roles:
    """The lead facilitator's page: co-facilitators (a local actor who takes the method over), their codes."""

    def __init__(self, service: Service, lead: Facilitator) -> None:
        self.store = service.store
        self.lead = lead

    def facilitators(self) -> list[Facilitator]:
        return self.store.facilitators()

    def add_co_facilitator(self, name: str | None) -> tuple[int, str]:
        """A co-facilitator with their own code, returned once to be handed over."""
        name = clean_text(name)
        if not name:
            raise Refused("roles.name_missing")
        secret = _new_secret()
        return self.store.insert_facilitator(name[:80], "co", _stored_secret(secret)), secret

    def revoke(self, facilitator_id: int) -> None:
        target = next((f for f in self.store.facilitators() if f.id == facilitator_id), None)
        if target is None:
            raise Refused("roles.unknown")
        if target.is_lead:
            raise Refused("roles.cannot_revoke_lead")
        self.store.update_facilitator(facilitator_id, revoked=1)


# --- working groups ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkingGroupView:
    """What a working group's page shows, read at once."""

    group: dict
    action: Action
    members: list[dict]  # member, role
    status_log: list[dict]  # newest first
    meetings: list[dict]  # in date order, each with its "steps"
    join_requests: list[dict]
    warning: str | None  # outside the method's 3 to 5 meetings


class Groups:
    """Working groups following the medium-term or large actions over 3 to 5 meetings. Facilitators only."""

    def __init__(self, service: Service, author: str) -> None:
        self.service = service
        self.store = service.store
        self.author = author

    def _group(self, group_id: int) -> dict:
        return self.service.working_group(group_id)

    def view(self, group_id: int) -> WorkingGroupView:
        group = self._group(group_id)
        action = self.store.action(group["action_id"])
        assert action is not None  # a group's action stays in the database, even taken off the list
        meetings = [{**m, "steps": self.store.meeting_steps(m["id"])} for m in self.store.meetings(group_id)]
        return WorkingGroupView(group, action, self.store.working_group_members(group_id),
                                self.store.action_status_log(action.id), meetings,
                                self.store.group_join_requests(group_id), meetings_warning(len(meetings)))

    def create(self, action_id: int, objective: str | None) -> int:
        """One group per action, its members taken from who engaged (pilot first)."""
        action = self.store.action(action_id)
        if action is None or action.deleted or action.selection != SELECTED:
            raise Refused("group.action_not_selected")
        if any(g["action_id"] == action_id for g in self.store.working_groups(action.territory_id)):
            raise Refused("group.exists")
        engaged = self.engaged(action)
        pilot = action.pilot or (engaged[0][0] if engaged else "")
        members = [(pilot, "pilote")] if pilot else []
        members += [(name, "membre") for name, _ in engaged if name != pilot]
        return self.store.insert_working_group(action_id, clean_text(objective)[:500], secrets.token_urlsafe(16),
                                               members)

    def engaged(self, action: Action) -> list[tuple[str, str]]:
        """(organisation, engagement) of whoever said "je pilote" or "je contribue" when rating it; pilots first."""
        seen: dict[str, str] = {}
        for workshop in self.store.workshops(action.territory_id):
            for rating in self.store.ratings(workshop.id):
                wanted = rating["action_id"] == action.id and rating["engagement"] in ("pilote", "contributeur")
                if wanted and seen.get(rating["organisation"]) != "pilote":
                    seen[rating["organisation"]] = rating["engagement"]
        return sorted(seen.items(), key=lambda item: (item[1] != "pilote", item[0]))

    def plan_meeting(self, group_id: int, starts_at: str | None, minutes: int | None, place: str | None) -> int:
        self._group(group_id)
        previous = [m["starts_at"] for m in self.store.meetings(group_id)]
        when = checked_meeting_date(starts_at, previous, datetime.date.today())
        if minutes is None or not 15 <= minutes <= 600:
            raise Refused("meeting.bad_duration")
        return self.store.insert_meeting(group_id, when, int(minutes), clean_text(place)[:200])

    def record_meeting(self, meeting_id: int, attendance: list[str], notes: str | None, decisions: str | None) -> None:
        if self.store.meeting(meeting_id) is None:
            raise Refused("meeting.unknown")
        self.store.record_meeting(meeting_id, sorted(set(attendance)), clean_text(notes)[:5000],
                                  clean_text(decisions)[:5000])

    def add_step(self, meeting_id: int, text: str | None, owner: str | None, due: str | None) -> None:
        if self.store.meeting(meeting_id) is None:
            raise Refused("meeting.unknown")
        self.store.insert_meeting_step(meeting_id, *checked_next_step(text, owner, due))

    def set_status(self, action_id: int, status: str, progress: int | None, note: str | None) -> None:
        action = self.store.action(action_id)
        if action is None:
            raise Refused("action.unknown")
        status, progress = checked_status_move(action.status, status, progress)
        self.store.set_action_status(action_id, status, progress, clean_text(note)[:500], self.author)
        self.service.results_changed(action.territory_id)

    def open_live_session(self, meeting_id: int) -> Workshop:
        """A short live session of the meeting (ideas from phones, same QR flow), made once per meeting."""
        meeting = self.store.meeting(meeting_id)
        if meeting is None:
            raise Refused("meeting.unknown")
        if meeting["workshop_id"]:
            return self.service.workshop(meeting["workshop_id"])
        group = self._group(meeting["group_id"])
        workshop = Facilitation(self.service).create_workshop(
            group["territory_id"], f"Groupe « {group['title']} » — réunion du {meeting['starts_at'][:10]}", "reunion")
        self.store.link_meeting_workshop(meeting_id, workshop.id)
        return workshop

    def decide_join_request(self, request_id: int, accept: bool) -> None:
        if self.store.group_join_request(request_id) is None:
            raise Refused("group.request_unknown")
        self.store.decide_group_join_request(request_id, "acceptee" if accept else "refusee")


# --- extension by cohorts ----------------------------------------------------------------------------------------


class Extension:
    """Newcomers wait in a list until enough of them make a cohort; then interviews, leads, an extension workshop."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.store = service.store

    def add_candidate(self, territory_id: int, fields: dict[str, str | None], source: str = "animation") -> int:
        return self.service.request_to_join(self.service.territory(territory_id)["key"], fields, source)

    def set_threshold(self, territory_id: int, value: object) -> None:
        self.service.territory(territory_id)
        self.store.set_cohort_threshold(territory_id, checked_threshold(value))

    def threshold(self, territory_id: int) -> int:
        return self.store.cohort_threshold(territory_id)

    def waiting(self, territory_id: int) -> list[dict]:
        return self.store.join_requests(territory_id, "en-attente")

    def proposal_ready(self, territory_id: int) -> bool:
        return cohort_ready(len(self.waiting(territory_id)), self.store.cohort_threshold(territory_id))

    def start_cohort(self, territory_id: int) -> tuple[int, Workshop]:
        """Every waiting candidate becomes an actor (status candidat) to interview; an extension workshop opens."""
        waiting = self.waiting(territory_id)
        if not cohort_ready(len(waiting), self.store.cohort_threshold(territory_id)):
            raise Refused("cohort.not_ready", waiting=len(waiting), threshold=self.store.cohort_threshold(territory_id))
        taken = set(self.store.actor_keys(territory_id))
        actors = []
        for request in waiting:
            key = unique_slug(request["organisation"], taken)
            taken.add(key)
            actors.append(validated_actor({"cle": key, "nom": request["organisation"], "type": request["kind"],
                                           "commune": request["commune"], "statut": "candidat",
                                           "contact": {"nom": request["contact_name"], "email": request["email"]}}))
        cohort_id = self.store.start_cohort(territory_id, [r["id"] for r in waiting], actors)
        number = len(self.store.cohorts(territory_id))
        workshop = Facilitation(self.service).create_workshop(territory_id, f"Atelier d’extension — cohorte {number}",
                                                              "extension")
        self.store.link_cohort_workshop(cohort_id, workshop.id)
        return cohort_id, workshop

    def cohorts(self, territory_id: int) -> list[dict]:
        requests = self.store.join_requests(territory_id)
        return [{**c, "newcomers": [r for r in requests if r["cohort_id"] == c["id"]]}
                for c in self.store.cohorts(territory_id)]

    def cohort_leads(self, territory_id: int) -> dict[int, list[LeadView]]:
        """Each cohort's leads between its newcomers and the network, from one detection. Run it off the loop."""
        key_of = {actor_id: a.key for actor_id, a in self.store.actors(territory_id)}
        newcomers: dict[int, set[str]] = {c["id"]: set() for c in self.store.cohorts(territory_id)}
        for request in self.store.join_requests(territory_id):
            if request["cohort_id"] in newcomers and request["actor_id"] in key_of:
                newcomers[request["cohort_id"]].add(key_of[request["actor_id"]])
        leads = Diagnostic(self.service).leads(territory_id)
        return {cohort_id: [v for v in leads if keys & set(v.lead.actor_keys)] for cohort_id, keys in newcomers.items()}
