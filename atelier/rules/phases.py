"""Phases of a workshop and what they allow."""

from __future__ import annotations

from atelier.models import Collect, PhaseTemplate, Workshop
from atelier.rules import Refused


def moved_phase(phases: list[PhaseTemplate], current: int, step: int) -> int:
    """The phase index after moving `step` phases (+1 next, -1 back); refuses to leave the agenda."""
    target = current + step
    if target < 0:
        raise Refused("phase.first")
    if target >= len(phases):
        raise Refused("phase.last")
    return target


def accepts(workshop: Workshop, collect: Collect) -> bool:
    """Whether phones may send `collect` right now."""
    return not workshop.closed and not workshop.locked and workshop.phase.collect == collect


_CLOSED_MESSAGE = {Collect.IDEAS: "ideas.phase_closed", Collect.SWOT: "swot.phase_closed",
                   Collect.RATINGS: "ratings.phase_closed", Collect.GROUPS: "groups.phase_closed"}


def check_open_for(workshop: Workshop, collect: Collect) -> None:
    """Refuses with the reason a participant should read when they may not send `collect`."""
    if workshop.closed:
        raise Refused("workshop.closed")
    if workshop.phase.collect != collect:
        raise Refused(_CLOSED_MESSAGE.get(collect, "ideas.phase_closed"), phase=workshop.phase.title)
    if workshop.locked:
        raise Refused("ideas.locked")
