"""The diagnostic: actors, their import, interviews, synergy leads and SWOT."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from atelier.imports.actors_table import ImportPreview, read_actor_table
from atelier.memory import collector_paused
from atelier.models import Actor, Idea, Interview, SwotItem
from atelier.rules import Refused
from atelier.rules.actors import name_key, unique_slug, validated_actor
from atelier.rules.ideas import checked_merged_ids, clean_text
from atelier.rules.lead_views import (
    STATUS_DISMISSED,
    STATUS_PROMOTED,
    STATUS_PROPOSED,
    LeadView,
    LearnedRule,
    feedback_of,
    lead_snapshot,
    lead_wording,
    learned_rules,
)
from atelier.rules.leads import Lead, detect_leads, entries_of
from atelier.rules.swot import checked_swot_item
from atelier.service.access import Access, Capability

if TYPE_CHECKING:
    from atelier.service.core import Service


class Diagnostic(Capability):
    """The facilitator's groundwork before the workshops. Made by `Service.diagnostic`; each use case checks the
    session."""

    HISTORY_MERGE_SECONDS = 120.0  # typing within two minutes is one entry of the history, not one per keystroke

    def __init__(self, service: Service, access: Access) -> None:
        super().__init__(service, access)
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
        if not actor.public_consent:  # a name typed on phones may now be one the room must not read
            self.hub.publish_names(territory_id)
        return ids[0]

    def edit_actor(self, actor_id: int, fields: dict[str, object]) -> Actor:
        current, _ = self.actor(actor_id)
        actor = validated_actor({**current.model_dump(by_alias=True, exclude={"interview"}), **fields,
                                 "cle": current.key})
        self.store.update_actor(actor_id, actor)
        if (actor.public_consent, actor.name) != (current.public_consent, current.name):
            # Open boards and plan pages stop (or start) naming it at once, not at their next reload.
            self.hub.publish_names(self.territory_id_of_actor(actor_id))
        return actor

    def set_archived(self, actor_id: int, archived: bool) -> None:
        """Archiving hides the actor from lists, leads and phones; what it said in workshops stays."""
        self.actor(actor_id)
        self.store.set_actor_archived(actor_id, archived)
        self.hub.publish_names(self.territory_id_of_actor(actor_id))  # the network's actors and their numbers

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
        added = len(self.store.insert_actors_if_absent(territory_id, actors))
        if added:
            self.hub.publish_names(territory_id)
        return added

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

    def leads(self, territory_id: int, held_back: bool = False) -> list[LeadView]:
        """The leads of the current interviews with the facilitator's decisions. Pure work: run it off the loop.

        `held_back`: also the leads not proposed because their need has its best givers (the leads page shows them
        apart); without it, only those decided on."""
        entries = [entry for key, interview in self.store.interviews(territory_id)
                   for entry in entries_of(key, interview)]
        vocabulary = {c.key: c.words for c in self.service.categories(territory_id)}
        decisions = self.store.lead_decisions(territory_id)
        with collector_paused():
            leads = detect_leads(entries, vocabulary, self.service.knowledge, feedback_of(decisions), held_back=True)
        self._shown_leads[territory_id] = {lead.key: lead for lead in leads}
        return [LeadView(lead, decisions.get(lead.key)) for lead in leads
                if held_back or not lead.held_back or lead.key in decisions]

    def learned(self, territory_id: int) -> list[LearnedRule]:
        """What the facilitator's decisions taught the detection for this territory; undone by restoring the lead."""
        return learned_rules(self.store.lead_decisions(territory_id))

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

