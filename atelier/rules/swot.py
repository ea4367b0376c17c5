"""SWOT (FFOM) items: one short sentence in one of the four quadrants."""

from __future__ import annotations

from atelier.models import SWOT_TEXT_MAX, Quadrant
from atelier.rules import Refused
from atelier.rules.ideas import clean_text


def checked_swot_item(quadrant: str | None, text: str | None) -> tuple[Quadrant, str]:
    try:
        checked_quadrant = Quadrant(quadrant)
    except ValueError as e:
        raise Refused("swot.quadrant_unknown") from e
    text = clean_text(text)
    if not text:
        raise Refused("swot.empty")
    if len(text) > SWOT_TEXT_MAX:
        raise Refused("swot.too_long", max=SWOT_TEXT_MAX, length=len(text))
    return checked_quadrant, text
