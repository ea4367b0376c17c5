"""French dates as the plan's documents write them (PDF and Markdown alike)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

# The territories atelier serves are in mainland France: the plan's dates and hours are Paris time, whatever clock
# the machine keeps (a server often runs in UTC).
TERRITORY_ZONE = ZoneInfo("Europe/Paris")

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


def territory_now() -> datetime:
    """The real clock, as an aware time of the territory (to the second): "2026-11-30T09:30:00+01:00" when it is
    08:30 UTC, so no later reader has to guess which clock a naive time came from."""
    return datetime.now(TERRITORY_ZONE).replace(microsecond=0)


def territory_date(timestamp: float) -> date:
    """The territory's calendar day of a Unix time (a workshop held at 00:30 in Paris is on that day, not the UTC
    day before)."""
    return datetime.fromtimestamp(timestamp, TERRITORY_ZONE).date()


def french_date(iso: str) -> str | None:
    """"2026-11-26" -> "26 novembre 2026" ("1er" for the first); None when it is not a date."""
    try:
        day = date.fromisoformat(iso or "")
    except ValueError:
        return None
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def french_datetime(iso: str) -> str | None:
    """"2027-01-12T18:30" -> "12 janvier 2027 à 18 h 30"; None when it is not a date-time."""
    try:
        moment = datetime.fromisoformat(iso or "")
    except ValueError:
        return None
    return f"{french_date(moment.date().isoformat())} à {moment.hour} h {moment.minute:02d}"
