"""Workshop 2's rules, table-driven: aggregation, majority-judgment order, low-hanging fruit, dispersion guard."""

from __future__ import annotations

import pytest

from atelier.rules import Refused
from atelier.rules.selection import (
    ActionEngagements,
    Horizon,
    Thresholds,
    checked_dot_votes,
    checked_grade,
    checked_horizon,
    checked_unselection_reason,
    dispersion,
    fruit_reason,
    low_hanging_fruit,
    summarise,
    voted_horizon,
)


@pytest.mark.parametrize(
    ("grades", "median", "mean", "distribution"),
    [
        ([], None, None, (0, 0, 0, 0, 0)),
        ([4], 4, 4.0, (0, 0, 0, 1, 0)),
        ([1, 5], 1, 3.0, (1, 0, 0, 0, 1)),  # even count: the lower median (majority judgment)
        ([3, 4, 4, 5], 4, 4.0, (0, 0, 1, 2, 1)),
        ([5, 1, 2, 5, 5], 5, 3.6, (1, 1, 0, 0, 3)),
    ],
    ids=["no-votes", "one-voter", "two-split", "four", "unordered"],
)
def test_summaries(grades, median, mean, distribution) -> None:
    summary = summarise(grades)
    assert (summary.median, summary.mean, summary.distribution, summary.count) == (
        median, mean, distribution, len(grades))


def test_majority_judgment_breaks_ties_on_the_median() -> None:
    """Same median 3: more voters above it ranks higher; more below ranks lower; then the plain median."""
    pulled_up = summarise([3, 3, 4, 5, 5])
    balanced = summarise([3, 3, 3, 3, 3])
    pulled_down = summarise([1, 1, 3, 3, 3])
    higher_median = summarise([4, 4, 4])
    order = sorted([balanced, pulled_down, higher_median, pulled_up], key=lambda s: s.gauge, reverse=True)
    assert order == [higher_median, pulled_up, balanced, pulled_down]


@pytest.mark.parametrize("value", [0, 6, -1, 3.5, "4", None, True])
def test_grades_outside_one_to_five_are_refused(value) -> None:
    with pytest.raises(Refused) as caught:
        checked_grade(value)
    assert caught.value.key == "rating.out_of_range"


@pytest.mark.parametrize(
    ("votes", "planned", "expected"),
    [([], Horizon.MEDIUM, Horizon.MEDIUM), ([], None, None),
     ([Horizon.SHORT, Horizon.SHORT, Horizon.LONG], None, Horizon.SHORT),
     ([Horizon.SHORT, Horizon.MEDIUM], Horizon.SHORT, Horizon.MEDIUM)],  # a tie goes to the longer horizon
    ids=["planned-only", "nothing", "majority", "tie-longer"],
)
def test_voted_horizon(votes, planned, expected) -> None:
    assert voted_horizon(votes, planned) == expected


T = Thresholds()


@pytest.mark.parametrize(
    ("impact", "ease", "horizon", "leads", "flagged"),
    [
        ([3, 3, 3], [4, 4, 4], Horizon.SHORT, ["Ferme du Pré"], True),  # exactly on both thresholds
        ([2, 3, 3], [4, 4, 5], Horizon.SHORT, ["Ferme du Pré"], True),
        ([2, 2, 3], [4, 4, 5], Horizon.SHORT, ["Ferme du Pré"], False),  # impact median 2
        ([4, 4, 4], [3, 4, 4], Horizon.SHORT, ["Ferme du Pré"], True),
        ([4, 4, 4], [3, 3, 4], Horizon.SHORT, ["Ferme du Pré"], False),  # ease median 3
        ([5, 5, 5], [5, 5, 5], Horizon.MEDIUM, ["Ferme du Pré"], False),  # not short term
        ([5, 5, 5], [5, 5, 5], Horizon.SHORT, [], False),  # no pilot
        ([], [], Horizon.SHORT, ["Ferme du Pré"], False),  # no votes
        ([4], [5], Horizon.SHORT, ["Ferme du Pré"], True),  # one voter
    ],
    ids=["on-threshold", "impact-3", "impact-2", "ease-4", "ease-3", "medium-term", "no-pilot", "no-votes",
         "one-voter"],
)
def test_low_hanging_fruit(impact, ease, horizon, leads, flagged) -> None:
    verdict = low_hanging_fruit(summarise(impact), summarise(ease), horizon, leads, T)
    assert verdict.flagged is flagged


def test_low_hanging_fruit_reason_in_words() -> None:
    verdict = low_hanging_fruit(summarise([4, 4]), summarise([4, 5]), Horizon.SHORT, ["Ferme du Pré"], T)
    assert verdict.reason == "facile 4/5, impact 4/5, court terme, pilote : Ferme du Pré"
    stricter = low_hanging_fruit(summarise([4, 4]), summarise([4, 5]), Horizon.SHORT, ["Ferme du Pré"],
                                 Thresholds(ease_min=5, impact_min=3))
    assert not stricter.flagged  # thresholds are the workshop's settings


@pytest.mark.parametrize(
    ("impact", "ease", "horizon", "leads", "french", "english"),
    [
        ([4], [3], Horizon.SHORT, ["Ferme"], "facile 3/5, il faut 4", "ease 3/5, 4 needed"),
        ([2], [5], Horizon.SHORT, ["Ferme"], "impact 2/5, il faut 3", "impact 2/5, 3 needed"),
        ([4], [5], Horizon.MEDIUM, ["Ferme"], "horizon moyen terme, il faut court terme",
         "medium-term horizon, short term needed"),
        ([4], [5], None, ["Ferme"], "horizon non précisé, il faut court terme", "horizon not given, short term needed"),
        ([5], [5], Horizon.SHORT, [], "aucun pilote", "no lead"),
        ([2], [3], Horizon.LONG, [], "facile 3/5, il faut 4 ; impact 2/5, il faut 3 ; horizon long terme, il faut "
         "court terme ; aucun pilote", "ease 3/5, 4 needed ; impact 2/5, 3 needed ; long-term horizon, short term "
         "needed ; no lead"),
        ([], [], Horizon.SHORT, ["Ferme"], "facilité non notée, il faut 4 ; impact non noté, il faut 3",
         "ease not rated, 4 needed ; impact not rated, 3 needed"),
    ],
    ids=["ease", "impact", "medium-term", "no-horizon", "no-pilot", "everything", "no-votes"],
)
def test_a_non_fruit_names_the_criteria_that_failed(impact, ease, horizon, leads, french, english) -> None:
    verdict = low_hanging_fruit(summarise(impact), summarise(ease), horizon, leads, T)
    assert not verdict.flagged
    assert verdict.reason == french
    assert fruit_reason(verdict, "en") == english


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_unselection_without_a_reason_is_refused(reason) -> None:
    with pytest.raises(Refused) as caught:
        checked_unselection_reason(reason)
    assert caught.value.key == "selection.reason_missing"


def test_unselection_reason_is_kept_tidy() -> None:
    assert checked_unselection_reason("  Déjà   porté par la mairie ") == "Déjà porté par la mairie"


def test_dot_votes_budget() -> None:
    assert checked_dot_votes({1: 3, 2: 2, 3: 0}, 5) == {1: 3, 2: 2}
    with pytest.raises(Refused) as caught:
        checked_dot_votes({1: 4, 2: 2}, 5)
    assert caught.value.key == "dots.over_budget" and caught.value.params["over"] == 1
    with pytest.raises(Refused):
        checked_dot_votes({1: -1}, 5)


def test_dispersion_guard() -> None:
    actions = [
        ActionEngagements(1, "Chaufferie", True, ("Scierie",), ("Brasserie",)),
        ActionEngagements(2, "Camion frigo", True, (), ("Ferme", "Épicerie")),  # no pilot
        ActionEngagements(3, "Broyeur", True, ("Scierie",), ()),  # one actor engaged
        ActionEngagements(4, "Non retenue", False, (), ()),  # not selected: no warning
        ActionEngagements(5, "Compost", True, ("Scierie",), ("Ferme",)),
    ]
    report = dispersion(actions, {"Scierie": 2, "Ferme": 3, "Brasserie": 1})
    assert report.action_warnings == {2: ["aucun pilote"], 3: ["1 acteur engagé"]}
    assert report.actor_load["Scierie"] == (3, 2)
    assert report.actor_warnings == {"Scierie": "3 actions retenues pour 2 déclarée(s)"}
    assert report.actor_load["Épicerie"] == (1, 0)  # engaged but not a registered actor: no availability known
    assert "Épicerie" not in report.actor_warnings


@pytest.mark.parametrize(("horizon", "expected"), [("court", "court"), ("long", "long"), ("", ""), (None, ""),
                                                   ("bientôt", None)])
def test_horizons_as_stored(horizon, expected) -> None:
    if expected is None:
        with pytest.raises(Refused) as caught:
            checked_horizon(horizon)
        assert caught.value.key == "action.horizon_unknown"
    else:
        assert checked_horizon(horizon) == expected
