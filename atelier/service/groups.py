"""Working groups: meetings, next steps, action statuses and requests to join."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from atelier.models import Action, Workshop
from atelier.rules import Refused
from atelier.rules.groups import checked_meeting_date, checked_next_step, checked_status_move, meetings_warning
from atelier.rules.ideas import clean_text
from atelier.service.access import Capability
from atelier.service.selection import SELECTED
from atelier.service.workshop import Facilitation


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


class Groups(Capability):
    """Working groups following the medium-term or large actions over 3 to 5 meetings. Facilitators only: each
    use case checks the session."""

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
            excluded = self.store.excluded_participants(workshop.id)  # identities made in bulk engage no one
            for rating in self.store.ratings(workshop.id):
                if rating["participant_id"] in excluded:
                    continue
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
        note = clean_text(note)[:500]
        status, progress = checked_status_move(action.status, status, progress, note)
        self.store.set_action_status(action_id, status, progress, note, self._author)
        self.service.results_changed(action.territory_id)

    def open_live_session(self, meeting_id: int) -> Workshop:
        """A short live session of the meeting (ideas from phones, same QR flow), made once per meeting."""
        meeting = self.store.meeting(meeting_id)
        if meeting is None:
            raise Refused("meeting.unknown")
        if meeting["workshop_id"]:
            return self.service.workshop(meeting["workshop_id"])
        group = self._group(meeting["group_id"])
        workshop = Facilitation(self.service, self._access).create_workshop(
            group["territory_id"], f"Groupe « {group['title']} » — réunion du {meeting['starts_at'][:10]}", "reunion")
        self.store.link_meeting_workshop(meeting_id, workshop.id)
        return workshop

    def decide_join_request(self, request_id: int, accept: bool) -> None:
        if self.store.group_join_request(request_id) is None:
            raise Refused("group.request_unknown")
        self.store.decide_group_join_request(request_id, "acceptee" if accept else "refusee")

