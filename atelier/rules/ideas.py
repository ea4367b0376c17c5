"""What makes an idea acceptable, and how fast a phone may send."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from atelier.models import IDEA_DETAILS_MAX, IDEA_TITLE_MAX, NAME_MAX, ORGANISATION_MAX, UNSORTED
from atelier.rules import Refused

# A person types an idea in more than a few seconds; faster than this is a stuck button or a script.
MIN_SECONDS_BETWEEN_IDEAS = 3.0
MAX_IDEAS_PER_MINUTE = 8

_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str | None) -> str:
    """Text as stored: NFC (so é typed two ways is one letter), no control characters, trimmed."""
    text = unicodedata.normalize("NFC", text or "")
    return _CONTROL.sub("", text).strip()


def checked_idea(
    title: str | None, details: str | None, category: str | None, categories: Sequence[str]
) -> tuple[str, str, str]:
    """The idea's cleaned (title, details, category), or a refusal that says what to fix. No category is not a
    fault: the idea waits "À classer" for the facilitator."""
    title, details = clean_text(title), clean_text(details)
    category = category or UNSORTED.key
    if not title:
        raise Refused("idea.empty")
    if len(title) > IDEA_TITLE_MAX:
        raise Refused("idea.title_too_long", max=IDEA_TITLE_MAX, length=len(title))
    if len(details) > IDEA_DETAILS_MAX:
        raise Refused("idea.details_too_long", max=IDEA_DETAILS_MAX, length=len(details))
    if category not in categories and category != UNSORTED.key:
        raise Refused("idea.category_unknown")
    return title, details, category


def checked_client_id(client_id: str | None) -> str:
    """The phone's own id for a submission: it makes a retry land on the same idea."""
    if not client_id or not _CLIENT_ID.match(client_id):
        raise Refused("idea.bad_client_id")
    return client_id


def checked_identity(name: str | None, organisation: str | None, anonymous: bool = False) -> tuple[str, str]:
    """(name, organisation) as stored. In an anonymous workshop no name is kept, even if one is sent, and the
    organisation is optional."""
    name, organisation = clean_text(name), clean_text(organisation)
    if anonymous:
        if len(organisation) > ORGANISATION_MAX:
            raise Refused("join.organisation_too_long", max=ORGANISATION_MAX)
        return "", organisation
    if not name:
        raise Refused("join.name_missing")
    if len(name) > NAME_MAX:
        raise Refused("join.name_too_long", max=NAME_MAX)
    if not organisation:
        raise Refused("join.organisation_missing")
    if len(organisation) > ORGANISATION_MAX:
        raise Refused("join.organisation_too_long", max=ORGANISATION_MAX)
    return name, organisation


def check_support(*, allowed: bool, own: bool, on_wall: bool) -> None:
    """Whether a phone may support (+1) an idea or take its support back: the workshop lets phones read the
    others' ideas and is open for ideas; the idea is someone else's and on the board."""
    if not allowed:
        raise Refused("support.closed")
    if own:
        raise Refused("support.own_idea")
    if not on_wall:
        raise Refused("support.not_on_wall")


def check_pace(previous_sends: Sequence[float], now: float) -> None:
    """Refuses a send that comes faster than a person types; `previous_sends` are this phone's recent times."""
    if previous_sends:
        wait = MIN_SECONDS_BETWEEN_IDEAS - (now - max(previous_sends))
        if wait > 0:
            raise Refused("idea.too_fast", seconds=max(1, round(wait)))
    last_minute = [t for t in previous_sends if now - t < 60]
    if len(last_minute) >= MAX_IDEAS_PER_MINUTE:
        wait = 60 - (now - min(last_minute))
        raise Refused("idea.too_many", max=MAX_IDEAS_PER_MINUTE, seconds=max(1, round(wait)))


def checked_merged_ids(ids: Sequence[int]) -> list[int]:
    """What any merge needs, ideas or SWOT items alike: two different things at least."""
    unique = sorted(set(ids))
    if len(unique) < 2:
        raise Refused("merge.too_few")
    return unique


def checked_merge(idea_ids: Sequence[int], title: str | None) -> tuple[list[int], str]:
    ids = checked_merged_ids(idea_ids)
    title = clean_text(title)
    if not title:
        raise Refused("idea.empty")
    if len(title) > IDEA_TITLE_MAX:
        raise Refused("idea.title_too_long", max=IDEA_TITLE_MAX, length=len(title))
    return ids, title
