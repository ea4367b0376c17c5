"""Use cases everyone reaches (phones, the public form, reading) and the doors to the facilitator's ones."""

from __future__ import annotations

import secrets
import sqlite3
import time
from collections import defaultdict, deque

from atelier.exports.backup import BackupError, as_copy, backup_bytes, read_backup
from atelier.hub import Hub
from atelier.i18n import t
from atelier.models import (
    UNSORTED,
    ActorKind,
    BoardState,
    Category,
    Collect,
    Draft,
    Facilitator,
    Idea,
    KnowledgeFile,
    Participant,
    Workshop,
    WorkshopTemplate,
)
from atelier.rules import Refused
from atelier.rules.actors import name_key
from atelier.rules.codes import new_join_code, normalised_join_code
from atelier.rules.groups import checked_join_request, email_known, meetings_warning
from atelier.rules.ideas import (
    check_support,
    clean_text,
)
from atelier.rules.lead_views import STATUS_PROPOSED, LeadView
from atelier.rules.limits import (
    JOIN_PER_CLIENT,
    PUBLIC_FORM_PER_CLIENT,
    Throttle,
    is_this_machine,
    seconds_to_say,
)
from atelier.rules.phases import accepts, check_open_for
from atelier.scenario import Scenario
from atelier.service.access import SYSTEM, SessionAccess, Sessions
from atelier.service.diagnostic import Diagnostic
from atelier.service.extension import Extension
from atelier.service.groups import Groups
from atelier.service.login import Login
from atelier.service.participation import Participation
from atelier.service.people import People
from atelier.service.roles import Roles, new_secret, stored_secret
from atelier.service.selection import SELECTED, Selection
from atelier.service.workshop import Facilitation
from atelier.store import Store


class Service(Participation):
    def __init__(self, store: Store, hub: Hub | None = None) -> None:
        self.store = store
        self.hub = hub or Hub()
        self._sends: defaultdict[int, deque[float]] = defaultdict(lambda: deque(maxlen=16))
        self._pending_drafts: dict[int, Draft] = {}
        self._categories: dict[int, list[Category]] = {}
        self.knowledge: KnowledgeFile | None = None  # the leads' resource knowledge base, from the scenario files
        self._last_activity = 0.0
        self._results_to_publish: set[int] = set()
        self._joins = Throttle(JOIN_PER_CLIENT)
        self._public_forms = Throttle(PUBLIC_FORM_PER_CLIENT)
        self._origin_key: bytes | None = None
        self.sessions = Sessions(store)
        self.login = Login(store, self.sessions)

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
        self.knowledge = scenario.knowledge
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
        return Facilitation(self, SYSTEM).create_workshop(territory_id, template.info.title, template_key)

    def storage_secret(self) -> str:
        """Signs the browsers' identity cookies; made once, kept in the database so identities survive a restart."""
        return self.store.set_meta_if_absent("storage_secret", secrets.token_urlsafe(32))

    # --- facilitator secret ------------------------------------------------------------------------------

    def ensure_facilitator_secret(self) -> str | None:
        """Creates the lead facilitator at first start and returns their code (only then: only its hash is kept)."""
        if any(f.is_lead for f in self.store.facilitators()):
            return None
        secret = new_secret()
        self.store.insert_facilitator("Animation principale", "principal", stored_secret(secret))
        return secret

    def reset_facilitator_secret(self) -> str:
        """A new code for the lead facilitator; every facilitator's session ends (open pages stop working)."""
        lead = next((f for f in self.store.facilitators() if f.is_lead), None)
        if lead is None:
            secret = self.ensure_facilitator_secret()
            assert secret is not None
            return secret
        secret = new_secret()
        self.store.update_facilitator(lead.id, secret=stored_secret(secret), version=lead.version + 1)
        self.store.remove_sessions_of(None)
        return secret

    def login_link(self) -> str:
        """A one-time token for the lead's login link (`/connexion?jeton=…`), valid a few minutes; the code itself
        never goes in a URL. Printed by `atelier demo|serve` and `atelier secret --lien`."""
        lead = next((f for f in self.store.facilitators() if f.is_lead), None)
        if lead is None:
            raise Refused("auth.required")
        return self.sessions.new_link(lead)

    def log_in(self, secret: str | None, client: str = "local") -> str:
        """Each facilitator has their own code; returns a new session's opaque id (for scripts and tests: the
        login page uses `log_in_off_loop`). Throttled per client address and overall."""
        return self.login.log_in(secret, client)

    async def log_in_off_loop(self, secret: str | None, client: str) -> str:
        return await self.login.log_in_off_loop(secret, client)

    def log_in_with_link(self, token: str | None, client: str) -> str:
        return self.login.log_in_with_link(token, client)

    def login_wait(self, client: str) -> float:
        return self.login.client_wait(client)

    def log_out(self, session_id: str | None) -> None:
        self.sessions.end(session_id)

    def facilitator(self, session_id: str | None) -> Facilitator | None:
        return self.sessions.facilitator(session_id)

    def is_facilitator(self, session_id: str | None) -> bool:
        return self.facilitator(session_id) is not None

    def _access(self, session_id: str | None, lead_only: bool = False) -> SessionAccess:
        """Checked now, so a page can send a visitor to the login page before drawing; then again by the
        capability at each use case."""
        facilitator = self.facilitator(session_id)
        if facilitator is None:
            raise Refused("auth.required")
        if lead_only and not facilitator.is_lead:
            raise Refused("auth.lead_only")
        return SessionAccess(self.sessions, session_id, lead_only)

    def roles(self, session_id: str | None) -> Roles:
        """Managing who facilitates is the lead facilitator's alone."""
        return Roles(self, self._access(session_id, lead_only=True))

    def people(self, session_id: str | None) -> People:
        """People's data of a territory (see and erase), only for the facilitator; erasures name who did them."""
        return People(self, self._access(session_id))

    def as_facilitator(self, session_id: str | None) -> Facilitation:
        """The facilitator's use cases in a live workshop."""
        return Facilitation(self, self._access(session_id))

    def diagnostic(self, session_id: str | None) -> Diagnostic:
        """The diagnostic's use cases (actors, interviews, leads, SWOT)."""
        return Diagnostic(self, self._access(session_id))

    # --- whole-territory backup -------------------------------------------------------------------------

    def export_territory(self, territory_id: int) -> bytes:
        self.territory(territory_id)
        return backup_bytes(self.store.backup_rows(territory_id))

    def import_territory(self, content: bytes, copy: bool = False) -> int:
        """Restores a backup. A territory that exists already is refused, or imported beside it as a copy."""
        try:
            tables = read_backup(content, self.store.backup_schema())
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
        except sqlite3.Error as e:  # what read_backup cannot see: a row that contradicts another
            raise Refused("backup.invalid", reason=f"contenu incohérent, rien n’a été importé ({e})") from e
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
        """The territory's categories, then "À classer", where ideas sent without a category wait."""
        if territory_id not in self._categories:
            stored = self.store.categories(territory_id)
            self._categories[territory_id] = [*[c for c in stored if c.key != UNSORTED.key], UNSORTED]
        return self._categories[territory_id]

    def organisations(self, territory_id: int) -> list[str]:
        """Actor names a phone may pick: only those who agreed to be shown to the other members."""
        return [actor.name for _, actor in self.store.actors(territory_id) if actor.public_consent]

    def public_actor_names(self, territory_id: int) -> dict[str, str]:
        """Names as the projector may show them: an actor who did not consent appears as "Acteur n"."""
        return {actor.key: actor.name if actor.public_consent else t("actor.anonymous", n=n)
                for n, (_, actor) in enumerate(self.store.actors(territory_id), start=1)}

    def hidden_organisations(self, territory_id: int) -> frozenset[str]:
        """Name keys of the registered actors (archived too) who refused publication: the board and the plan name
        them nowhere, however a phone typed them (rules.actors.shown_name)."""
        actors = self.store.actors(territory_id) + self.store.actors(territory_id, archived=True)
        return frozenset(name_key(a.name) for _, a in actors if not a.public_consent)

    def board_state(self, workshop_id: int) -> BoardState:
        """How the facilitator set the projected board (stored: a reloaded or restarted board comes back so)."""
        stored = self.store.board_state(workshop_id)
        if stored:
            try:
                return BoardState.model_validate_json(stored)
            except ValueError:
                pass  # written by another version: the defaults are a safe board
        return BoardState()

    def public_leads(self, territory_id: int) -> list[LeadView]:
        """The leads not dismissed (nor like a dismissed one), for the projector's network view. Pure work: run it
        off the loop."""
        return [v for v in self.lead_views(territory_id) if not v.hidden]

    def read_leads_ahead(self) -> None:
        """Detects every territory's leads once, at start: the detection keeps the lines it read and the pairs it
        compared (atelier.rules.lead_cache), so the leads page's first opening re-reads nothing (1,000 actors:
        about 0.3 s instead of 1.5 s). Pure work: run it off the loop."""
        for territory in self.store.territories():
            if self.store.closed:  # the server stopped meanwhile
                return
            self.lead_views(territory["id"])

    def lead_views(self, territory_id: int) -> list[LeadView]:
        """Every lead with the facilitator's decision, for the action plan. Pure work: run it off the loop."""
        return Diagnostic(self, SYSTEM).leads(territory_id)

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

    def pending_ideas(self, workshop_id: int) -> list[Idea]:
        """Pre-moderation's queue: ideas waiting for the facilitator's approval."""
        return [i for i in self.store.ideas(workshop_id) if i.pending and not i.withdrawn and not i.hidden]

    def peer_ideas(self, workshop_id: int, participant_id: int) -> list[Idea]:
        """The others' ideas a phone may read and support: those on the board, when the workshop allows it."""
        if not self.workshop(workshop_id).settings.peer_ideas:
            return []
        return [i for i in self.store.ideas(workshop_id) if i.on_wall and i.participant_id != participant_id]

    def own_supports(self, participant_id: int) -> set[int]:
        return self.store.supported_ideas(participant_id)

    def toggle_support(self, participant_id: int, idea_id: int) -> tuple[bool, int]:
        """+1 from this phone, or taken back: (supported now, the idea's count), fanned out to every page."""
        idea = self.idea(idea_id)
        workshop = self.workshop(idea.workshop_id)
        participant = self.store.participant(participant_id)
        if participant is None or participant.workshop_id != workshop.id:
            raise Refused("idea.unknown")
        check_support(allowed=workshop.settings.peer_ideas and accepts(workshop, Collect.IDEAS),
                      own=idea.participant_id == participant_id, on_wall=idea.on_wall)
        supported = self.store.toggle_support(idea_id, participant_id)
        count = self.idea(idea_id).support
        self.hub.publish_support(workshop.id, idea_id, count)
        if idea.merged_into is not None:  # a group counts its ideas' supports
            self.hub.publish_support(workshop.id, idea.merged_into, self.idea(idea.merged_into).support)
        return supported, count

    def idea(self, idea_id: int) -> Idea:
        idea = self.store.idea(idea_id)
        if idea is None:
            raise Refused("idea.unknown")
        return idea

    def group_members(self, group_id: int) -> list[Idea]:
        return self.store.group_members(group_id)

    def seconds_since_last_activity(self) -> float:
        return time.time() - self._last_activity

    # --- workshop 2: the facilitator's door (ratings and results: service/participation.py) -------------

    def selection(self, session_id: str | None) -> Selection:
        return Selection(self, self._access(session_id))

    # --- working groups and extension: the facilitator's side, and what phones and the public may do ---------

    def groups(self, session_id: str | None) -> Groups:
        return Groups(self, self._access(session_id))

    def extension(self, session_id: str | None) -> Extension:
        return Extension(self, self._access(session_id))

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

    def request_to_join(self, territory_key: str, fields: dict[str, str | None], source: str = "formulaire",
                        client: str | None = None) -> int:
        """The public form (`client`: its address) and the facilitator's entry: a candidate waits for the next
        cohort. The public form is paced per address and answers the same whether the e-mail is already known
        (then nothing is added and 0 is returned): it must not tell who is in the network."""
        public = client is not None
        if public:
            now = time.time()
            wait = 0.0 if is_this_machine(client) else self._public_forms.wait(client, now)
            if wait > 0:
                raise Refused("joinreq.too_fast", seconds=seconds_to_say(wait))
            self._public_forms.record(client, now)
        territory = next((t for t in self.store.territories() if t["key"] == territory_key), None)
        if territory is None:
            raise Refused("territory.unknown")
        organisation, contact, email = checked_join_request(
            fields.get("organisation"), fields.get("contact"), fields.get("email"))
        if email_known(email, self.store.all_contact_emails(territory["id"])):
            if public:
                return 0
            raise Refused("joinreq.email_known")
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
        leads = Diagnostic(self, SYSTEM).leads(territory_id)
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
