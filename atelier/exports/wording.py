"""French dates as the plan's documents write them (PDF and Markdown alike)."""

from __future__ import annotations

from datetime import date, datetime

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


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
