"""Working groups and extension cohorts: what the method asks, as checks with messages."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from atelier.i18n import t
from atelier.rules import Refused
from atelier.rules.actors import EMAIL

# The method: "3 à 5 réunions de chaque groupe de travail".
MEETINGS_MIN, MEETINGS_MAX = 3, 5
FAR_PAST_DAYS = 365  # a meeting planned further back than this is a typing error, not history
COHORT_THRESHOLD_MAX = 50

# Which status may follow which: an action is launched, runs, may be blocked and unblocked, and ends done or
# abandoned; an abandoned action can be taken up again, a done one reopened.
STATUS_MOVES: dict[str, frozenset[str]] = {
    "a-lancer": frozenset({"en-cours", "abandonnee"}),
    "en-cours": frozenset({"bloquee", "realisee", "abandonnee"}),
    "bloquee": frozenset({"en-cours", "abandonnee"}),
    "realisee": frozenset({"en-cours"}),
    "abandonnee": frozenset({"a-lancer", "en-cours"}),
}
STATUS_PROGRESS = {"a-lancer": 0, "realisee": 100}  # a status that settles the progress figure
# Stopping an action is a decision the network will ask about: it is made with its reason, which is kept.
REASON_NEEDED = frozenset({"bloquee", "abandonnee"})



def checked_status_move(current: str, wanted: str, progress: int | None, reason: str = "") -> tuple[str, int]:
    """The new status and progress (0–100), or a refusal naming the moves allowed from the current one.

    Blocking or abandoning an action needs its `reason` (the note kept in the status history).
    """
    if wanted not in STATUS_MOVES:
        raise Refused("plan.bad_status")
    if wanted != current and wanted not in STATUS_MOVES[current]:
        raise Refused("status.not_allowed", current=current, wanted=wanted,
                      allowed=", ".join(sorted(STATUS_MOVES[current])))
    if wanted != current and wanted in REASON_NEEDED and not " ".join(reason.split()):
        raise Refused(f"status.reason_missing_{wanted}")
    if wanted in STATUS_PROGRESS:
        return wanted, STATUS_PROGRESS[wanted]
    value = 0 if progress is None else progress
    if not 0 <= value <= 100:
        raise Refused("status.bad_progress")
    return wanted, value


def meetings_advice(planned: int) -> tuple[str, dict[str, int]] | None:
    """The method's range of meetings when a group is outside it: a catalogue key and its values."""
    if planned < MEETINGS_MIN:
        return "meetings.too_few", {"planned": planned, "min": MEETINGS_MIN, "max": MEETINGS_MAX}
    if planned > MEETINGS_MAX:
        return "meetings.too_many", {"planned": planned, "max": MEETINGS_MAX}
    return None


def meetings_warning(planned: int, lang: str = "fr") -> str | None:
    """The method's range of meetings, said plainly when a group is outside it."""
    advice = meetings_advice(planned)
    return t(advice[0], lang, **advice[1]) if advice else None


def checked_meeting_date(starts_at: str | None, previous: Sequence[str], today: datetime.date) -> str:
    """An ISO date-time after the group's previous meetings and not in the far past."""
    text = (starts_at or "").strip()
    try:
        when = datetime.datetime.fromisoformat(text)
    except ValueError as e:
        raise Refused("meeting.bad_date", date=text[:25]) from e
    if when.date() < today - datetime.timedelta(days=FAR_PAST_DAYS):
        raise Refused("meeting.far_past", date=when.date().isoformat())
    last = max((datetime.datetime.fromisoformat(p) for p in previous), default=None)
    if last is not None and when <= last:
        raise Refused("meeting.before_previous", date=when.strftime("%d/%m/%Y %H:%M"),
                      previous=last.strftime("%d/%m/%Y %H:%M"))
    return when.isoformat(timespec="minutes")


def checked_next_step(text: str | None, owner: str | None, due: str | None) -> tuple[str, str, str]:
    text, owner, due = " ".join((text or "").split()), " ".join((owner or "").split()), (due or "").strip()
    if not text:
        raise Refused("step.empty")
    if not owner:
        raise Refused("plan.owner_missing")
    return text[:500], owner[:120], checked_due(due)


def checked_due(due: str | None) -> str:
    """A step's deadline: an ISO date, or "" for none."""
    due = (due or "").strip()
    if due:
        try:
            datetime.date.fromisoformat(due)
        except ValueError as e:
            raise Refused("plan.bad_date", date=due[:20]) from e
    return due


def checked_threshold(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value:
        raise Refused("cohort.bad_threshold", max=COHORT_THRESHOLD_MAX)
    if not 1 <= int(value) <= COHORT_THRESHOLD_MAX:
        raise Refused("cohort.bad_threshold", max=COHORT_THRESHOLD_MAX)
    return int(value)


def cohort_ready(waiting: int, threshold: int) -> bool:
    """The method: wait until several actors want to join, then take them in together."""
    return threshold >= 1 and waiting >= threshold


EMAIL_MAX = 254  # the longest address SMTP carries; a 900 kB "e-mail" was once kept


def checked_join_request(organisation: str | None, contact_name: str | None,
                         email: str | None) -> tuple[str, str, str]:
    """Bounded before anything else is done with them (the public form takes anyone's text)."""
    organisation = " ".join((organisation or "")[:1000].split())
    contact_name = " ".join((contact_name or "")[:1000].split())
    email = (email or "")[:1000].strip().lower()
    if not organisation:
        raise Refused("join.organisation_missing")
    if not contact_name:
        raise Refused("join.name_missing")
    if len(email) > EMAIL_MAX or not EMAIL.match(email):
        raise Refused("actor.bad_email", email=email[:80])
    return organisation[:120], contact_name[:80], email


def email_known(email: str, known_emails: Sequence[str]) -> bool:
    return email in {e.strip().lower() for e in known_emails}
