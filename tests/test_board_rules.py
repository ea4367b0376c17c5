"""The projected board's pure rules: what each phase projects, the legible floor, the facilitator's settings, the
matrix's points and the network's layout."""

from __future__ import annotations

import itertools

import pytest

from atelier.models import BoardState, Collect
from atelier.rules import Refused
from atelier.rules.actors import anonymised, shown_name
from atelier.rules.board import BoardMode, board_mode, changed_board, title_floor
from atelier.rules.network import HEIGHT, WIDTH, inside, layout, overlaps, wrapped
from atelier.rules.selection import finished_voters, matrix_points, summarise


@pytest.mark.parametrize(("template", "phase", "collect", "index", "mode"), [
    ("co-construction", "accueil", Collect.NONE, 0, BoardMode.WELCOME),
    ("co-construction", "idees", Collect.IDEAS, 1, BoardMode.WALL),
    ("co-construction", "regroupement", Collect.NONE, 2, BoardMode.GROUPS),
    ("co-construction", "cloture", Collect.NONE, 3, BoardMode.SUMMARY),
    ("selection", "presentation", Collect.NONE, 1, BoardMode.PRESENTATION),
    ("selection", "vote", Collect.RATINGS, 2, BoardMode.VOTE),
    ("selection", "resultats", Collect.NONE, 3, BoardMode.RESULTS),
    ("selection", "selection", Collect.NONE, 4, BoardMode.DECISIONS),
    ("selection", "cloture", Collect.NONE, 5, BoardMode.DECISIONS),
    ("ffom", "ffom", Collect.SWOT, 1, BoardMode.SWOT),
    ("ffom", "cloture", Collect.NONE, 2, BoardMode.SWOT),
    ("extension", "presentation-reseau", Collect.NONE, 1, BoardMode.NETWORK),
    ("extension", "groupes", Collect.GROUPS, 3, BoardMode.WORKING_GROUPS),
])
def test_each_phase_projects_what_it_collects(template: str, phase: str, collect: Collect, index: int,
                                              mode: BoardMode) -> None:
    assert board_mode(template, phase, collect, index) == mode


def test_title_floor_is_legible_from_the_back() -> None:
    assert title_floor(720) == 24
    assert title_floor(1080) == 32
    assert title_floor(900) == 28
    assert title_floor(400) == 20  # never below 20 px


def test_board_settings_change_and_refuse() -> None:
    state = BoardState()
    assert changed_board(state, {"paused": True}, {"energie"}, 3).paused
    assert changed_board(state, {"category": "energie"}, {"energie"}, 3).category == "energie"
    assert changed_board(state, {"action_index": 3}, set(), 3).action_index == 0  # after the last, the first
    assert changed_board(state, {"action_index": -1}, set(), 3).action_index == 2
    with pytest.raises(Refused) as unknown:
        changed_board(state, {"category": "inconnue"}, {"energie"}, 3)
    assert unknown.value.key == "board.unknown_category"
    with pytest.raises(Refused) as bad:
        changed_board(state, {"page_seconds": 1}, set(), 3)
    assert bad.value.key == "board.bad_setting"
    with pytest.raises(Refused) as other:
        changed_board(state, {"colour": "red"}, set(), 3)
    assert other.value.key == "board.unknown_setting"


def test_matrix_points_keep_the_median_side_and_spread_coinciding_points() -> None:
    four_up = summarise([4, 4, 5, 5, 4])  # median 4, more above
    four_down = summarise([4, 4, 3, 3, 4])  # median 4, more below
    three = summarise([3, 3, 3])
    points = matrix_points([(four_up, three), (four_down, three), (three, three), (three, three), (three, three)])
    assert points[0].x > 4 > points[1].x > 3.5  # the gauge moves within the grade, never past the line at 3.5
    spread = points[2:]
    assert len({(p.x, p.y) for p in spread}) == 3  # three equal medians, three distinct points
    assert all(2.5 < p.x < 3.5 and 2.5 < p.y < 3.5 for p in spread)  # each stays in its median's grade
    assert matrix_points([(summarise([]), three)]) == [matrix_points([(summarise([]), three)])[0]]


def test_finished_voters_rated_every_action() -> None:
    rows = [{"participant_id": 1, "action_id": a} for a in (1, 2)] + [{"participant_id": 2, "action_id": 1}]
    assert finished_voters(rows, [1, 2]) == 1
    assert finished_voters(rows, []) == 0


def test_network_layout_is_the_same_every_time_and_readable() -> None:
    nodes = [(f"a{n}", f"Brasserie de la Cascade numéro {n}") for n in range(30)]
    links = [(f"a{n}", f"a{(n * 7) % 30}") for n in range(30)]
    first, second = layout(nodes, links), layout(list(reversed(nodes)), links)
    assert first == second
    placed = list(first.values())
    assert len(placed) == 30
    assert not [(a.key, b.key) for a, b in itertools.combinations(placed, 2) if overlaps(a, b)]
    assert all(inside(p) for p in placed)
    assert all(0 <= p.x <= WIDTH and 0 <= p.y <= HEIGHT for p in placed)
    assert wrapped("La Recyclerie du Haut-Vallon et ses amis") == ["La Recyclerie du", "Haut-Vallon et…"]


def test_consent_hides_a_name_however_typed() -> None:
    hidden = {"ehpad les tilleuls"}
    assert shown_name("EHPAD-LES-TILLEULS", hidden) == ""
    assert shown_name("Scierie Dumas", hidden) == "Scierie Dumas"
    assert anonymised("pilote : EHPAD Les Tilleuls, Scierie Dumas", ["EHPAD Les Tilleuls", "Scierie Dumas"],
                      hidden) == "pilote : un acteur, Scierie Dumas"
