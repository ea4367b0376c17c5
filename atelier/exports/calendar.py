"""The working groups' planned meetings as an iCalendar file (RFC 5545) that any calendar imports.

Times: each meeting is written in the territory's local time with `TZID=Europe/Paris`, and the file carries that
zone's VTIMEZONE. Floating time (no zone) was the other choice, but RFC 5545 §3.3.5 makes it "the same hour
wherever the reader is", and some calendars (Outlook, a phone set to UTC on a trip) then move an 18:30 meeting in
the village hall; with a TZID every calendar shows the hour the group agreed. The VTIMEZONE is the compact rule
every mainland-France calendar publishes since the 1996 EU summer-time directive (last Sunday of March and of
October, 01:00 UTC), rather than the year-by-year list `icalendar`'s `add_missing_timezones` writes, which is long,
ends in 2038 and starts summer time one hour late.

`ActionPlan` has no time zone: the territories atelier serves are in mainland France. An overseas territory would
need one in the plan (and its own VTIMEZONE) before its meetings could be exported right.

`icalendar` writes the file: text escaping (`,` `;` `\\` and line breaks), CRLF line ends and folding at 75 octets
without cutting a UTF-8 character.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from atelier.exports.model import ActionPlan, PlanAction, PlanMeeting
from atelier.imports.actors_table import clean_export

__all__ = ["TZID", "meeting_summary", "meetings_ics"]

TZID = "Europe/Paris"
PARIS = ZoneInfo(TZID)
PRODID = "-//atelier//Plan d’action//FR"


def _local(text: str) -> datetime:
    """An ISO datetime as Paris time: a naive one is already local (the plan's rule), an aware one is converted."""
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=PARIS) if moment.tzinfo is None else moment.astimezone(PARIS)


def meeting_summary(meeting: PlanMeeting) -> str:
    return f"Groupe de travail : {clean_export(meeting.group)} — réunion {meeting.number}"


def _paris_timezone() -> Timezone:
    zone = Timezone()
    zone.add("tzid", TZID)
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("tzoffsetfrom", timedelta(hours=1))
    summer.add("tzoffsetto", timedelta(hours=2))
    summer.add("dtstart", datetime(1996, 3, 31, 2, 0, 0))  # 02:00 CET becomes 03:00 CEST
    summer.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("tzoffsetfrom", timedelta(hours=2))
    winter.add("tzoffsetto", timedelta(hours=1))
    winter.add("dtstart", datetime(1996, 10, 27, 3, 0, 0))  # 03:00 CEST becomes 02:00 CET
    winter.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def _stamp(plan: ActionPlan) -> datetime:
    """DTSTAMP must be UTC (RFC 5545 §3.8.7.2): the moment the plan was generated. `build_plan` writes it with its
    UTC offset from the real clock, so this is exact on a machine kept in UTC too; a naive time (a hand-made plan)
    is read as the territory's."""
    try:
        return _local(plan.generated_at).astimezone(UTC)
    except ValueError:
        try:  # a bare date
            return datetime.combine(date.fromisoformat(plan.generated_at), datetime.min.time(), PARIS).astimezone(UTC)
        except ValueError:
            return datetime(1970, 1, 1, tzinfo=UTC)  # no usable date: stable bytes rather than "now"


def _description(meeting: PlanMeeting, action: PlanAction | None, plan: ActionPlan) -> str:
    """What the group follows and who carries it (organisations, "un acteur" for one who did not consent)."""
    lines = [f"Action suivie : {meeting.group}"]
    if action is not None:
        lines.append(f"Pilote : {action.pilot or 'à trouver'}")
        if action.contributors:
            lines.append(f"Contributeurs : {', '.join(action.contributors)}")
    lines.append(f"{plan.workshop}, {plan.territory}.")
    return "\n".join(lines)


def meetings_ics(plan: ActionPlan) -> bytes:
    """One VEVENT per planned meeting, UID from the meeting so a second import updates rather than duplicates.

    A plan without meetings still gives a valid calendar: the VTIMEZONE is the one component RFC 5545 requires.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = clean_export(f"{plan.workshop} — {plan.territory}")
    calendar.add("name", name)  # RFC 7986
    calendar.add("x-wr-calname", name)  # the name Google, Apple and Thunderbird show
    calendar.add("x-wr-timezone", TZID)
    calendar.add_component(_paris_timezone())
    stamp = _stamp(plan)
    followed = {action.title: action for action in plan.actions}
    for meeting in sorted(plan.meetings, key=lambda m: (m.starts_at, m.group, m.number)):
        event = Event()
        uid = (clean_export(meeting.uid).strip()
               or f"atelier-{plan.workshop_code}-{meeting.starts_at}-{meeting.number}@atelier")
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", _local(meeting.starts_at))
        event.add("duration", timedelta(minutes=max(meeting.minutes, 0)))
        event.add("summary", meeting_summary(meeting))
        if meeting.place:
            event.add("location", clean_export(meeting.place))
        event.add("description", clean_export(_description(meeting, followed.get(meeting.group), plan)))
        calendar.add_component(event)
    return calendar.to_ical()
