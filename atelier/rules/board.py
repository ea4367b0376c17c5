"""What the projected board shows in each phase, and the numbers its layout starts from. Pure."""

from __future__ import annotations

from enum import StrEnum

from atelier.models import BoardState, Collect
from atelier.rules import Refused


class BoardMode(StrEnum):
    WELCOME = "accueil"  # the QR code large, the count, the organisations joining
    WALL = "mur"  # the ideas, by category, paged
    GROUPS = "regroupement"  # the wall, groups first with their ideas
    SWOT = "ffom"
    PRESENTATION = "presentation"  # one candidate action per screen
    NETWORK = "reseau"  # the actors and their leads
    VOTE = "vote"  # progress only: never the results before the reveal
    RESULTS = "resultats"  # the matrix and the ranking
    DECISIONS = "decisions"  # the selected actions, the fruits and their reason, the plan's QR code
    WORKING_GROUPS = "groupes"  # the working groups newcomers may join
    SUMMARY = "bilan"  # what the workshop produced


def board_mode(template_key: str, phase_key: str, collect: Collect, phase_index: int) -> BoardMode:
    """Chosen by what the phase collects first, then by what the phase is for."""
    if collect == Collect.IDEAS:
        return BoardMode.WALL
    if collect == Collect.SWOT:
        return BoardMode.SWOT
    if collect == Collect.RATINGS:
        return BoardMode.VOTE
    if collect == Collect.GROUPS:
        return BoardMode.WORKING_GROUPS
    if phase_index == 0 or phase_key == "accueil":
        return BoardMode.WELCOME
    if phase_key == "regroupement":
        return BoardMode.GROUPS
    if phase_key == "presentation":
        return BoardMode.PRESENTATION
    if phase_key == "presentation-reseau":
        return BoardMode.NETWORK
    if template_key == "selection":
        if phase_key == "resultats":
            return BoardMode.RESULTS
        return BoardMode.DECISIONS  # selection and closing: what the room decided
    if template_key == "ffom":
        return BoardMode.SWOT
    return BoardMode.SUMMARY


def title_floor(viewport_height: int) -> int:
    """The smallest idea title a room can read at the back: 24 px at 720 px high, 32 px at 1080, in between
    proportionally, never under 20 px (atelier.js computes the same from the window)."""
    return max(20, round(24 + (viewport_height - 720) * 8 / 360))


def changed_board(state: BoardState, changes: dict[str, object], categories: set[str],
                  action_count: int) -> BoardState:
    """The board's settings after the facilitator's change; refuses an unknown category or action."""
    allowed = set(BoardState.model_fields)
    unknown = set(changes) - allowed
    if unknown:
        raise Refused("board.unknown_setting", name=", ".join(sorted(unknown)))
    data = state.model_dump() | changes
    if data["category"] and data["category"] not in categories:
        raise Refused("board.unknown_category")
    count = max(action_count, 1)
    if isinstance(data["action_index"], int) and not isinstance(data["action_index"], bool):
        data["action_index"] = data["action_index"] % count  # "next" after the last comes back to the first
    try:
        return BoardState.model_validate(data)
    except ValueError as error:
        raise Refused("board.bad_setting") from error
