"""Working groups and cohorts, table-driven: status moves, the 3-to-5 meetings warning, dates, the cohort trigger."""

from __future__ import annotations

import datetime

import pytest

from atelier.rules import Refused
from atelier.rules.groups import (
    checked_due,
    checked_join_request,
    checked_meeting_date,
    checked_next_step,
    checked_status_move,
    checked_threshold,
    cohort_ready,
    email_known,
    meetings_warning,
)

TODAY = datetime.date(2026, 11, 26)


@pytest.mark.parametrize(
    ("current", "wanted", "progress", "expected"),
    [("a-lancer", "en-cours", 10, ("en-cours", 10)), ("en-cours", "bloquee", 40, ("bloquee", 40)),
     ("bloquee", "en-cours", 50, ("en-cours", 50)), ("en-cours", "realisee", 60, ("realisee", 100)),
     ("abandonnee", "a-lancer", 30, ("a-lancer", 0)), ("en-cours", "en-cours", 70, ("en-cours", 70))],
    ids=["launch", "block", "unblock", "done-means-100", "take-up-again", "progress-only"],
)
def test_allowed_status_moves(current, wanted, progress, expected) -> None:
    assert checked_status_move(current, wanted, progress, "la mairie attend le budget") == expected


@pytest.mark.parametrize(("current", "wanted"), [("en-cours", "bloquee"), ("en-cours", "abandonnee"),
                                                  ("a-lancer", "abandonnee"), ("bloquee", "abandonnee")])
@pytest.mark.parametrize("reason", ["", "   "])
def test_blocking_or_abandoning_needs_a_reason(current, wanted, reason) -> None:
    with pytest.raises(Refused) as caught:
        checked_status_move(current, wanted, 40, reason)
    assert caught.value.key == f"status.reason_missing_{wanted}"


def test_a_reason_is_not_asked_to_stay_blocked_or_to_move_on() -> None:
    assert checked_status_move("bloquee", "bloquee", 45) == ("bloquee", 45)  # progress only
    assert checked_status_move("abandonnee", "en-cours", 10) == ("en-cours", 10)


@pytest.mark.parametrize(("current", "wanted"), [("a-lancer", "realisee"), ("a-lancer", "bloquee"),
                                                  ("realisee", "abandonnee")])
def test_refused_status_moves_name_the_allowed_ones(current, wanted) -> None:
    with pytest.raises(Refused) as caught:
        checked_status_move(current, wanted, 0)
    assert caught.value.key == "status.not_allowed" and caught.value.params["allowed"]


def test_progress_out_of_range_and_unknown_status() -> None:
    with pytest.raises(Refused):
        checked_status_move("a-lancer", "en-cours", 120)
    with pytest.raises(Refused) as caught:
        checked_status_move("a-lancer", "fini", 0)
    assert caught.value.key == "plan.bad_status"


@pytest.mark.parametrize(("planned", "warned"), [(0, True), (2, True), (3, False), (5, False), (6, True)])
def test_three_to_five_meetings(planned, warned) -> None:
    assert (meetings_warning(planned) is not None) is warned


@pytest.mark.parametrize(
    ("when", "previous", "refusal"),
    [("2027-01-12T18:30", [], None), ("2027-02-12T18:30", ["2027-01-12T18:30"], None),
     ("2027-01-05T18:30", ["2027-01-12T18:30"], "meeting.before_previous"),
     ("2027-01-12T18:30", ["2027-01-12T18:30"], "meeting.before_previous"),
     ("2024-01-12T18:30", [], "meeting.far_past"), ("2026-10-01T09:00", [], None),
     ("le 12 janvier", [], "meeting.bad_date"), ("", [], "meeting.bad_date")],
    ids=["first", "after", "before-previous", "same-time", "far-past", "recent-past", "words", "empty"],
)
def test_meeting_dates(when, previous, refusal) -> None:
    if refusal is None:
        assert checked_meeting_date(when, previous, TODAY).startswith(when[:10])
    else:
        with pytest.raises(Refused) as caught:
            checked_meeting_date(when, previous, TODAY)
        assert caught.value.key == refusal


@pytest.mark.parametrize(("text", "owner", "due", "refusal"),
                         [("Chiffrer", "", "", "plan.owner_missing"), (" ", "Hélène", "", "step.empty"),
                          ("Chiffrer", "Hélène", "demain", "plan.bad_date")])
def test_next_step_needs_an_owner(text, owner, due, refusal) -> None:
    with pytest.raises(Refused) as caught:
        checked_next_step(text, owner, due)
    assert caught.value.key == refusal


@pytest.mark.parametrize(("value", "ok"), [(0, False), (-1, False), (1, True), (3, True), (51, False),
                                           (2.5, False), ("3", False), (None, False)])
def test_cohort_threshold(value, ok) -> None:
    if ok:
        assert checked_threshold(value) == value
    else:
        with pytest.raises(Refused) as caught:
            checked_threshold(value)
        assert caught.value.key == "cohort.bad_threshold"


@pytest.mark.parametrize(("waiting", "threshold", "ready"), [(2, 3, False), (3, 3, True), (4, 3, True),
                                                             (5, 0, False)])
def test_cohort_trigger(waiting, threshold, ready) -> None:
    assert cohort_ready(waiting, threshold) is ready


def test_join_request_is_cleaned_and_bounded_and_a_known_email_is_recognised() -> None:
    *_, email = checked_join_request("Ferme", "Léa", " H.Dumas@Scierie-Dumas.example ")
    assert email_known(email, ["h.dumas@scierie-dumas.example"])
    assert not email_known("lea@ferme.example", ["h.dumas@scierie-dumas.example"])
    assert checked_join_request("Ferme", "Léa", "lea@ferme.example") == ("Ferme", "Léa", "lea@ferme.example")
    assert checked_join_request("F" * 900_000, "L" * 900_000, "lea@ferme.example")[:2] == ("F" * 120, "L" * 80)
    for too_long in ("a" * 250 + "@x.example", "a" * 900_000 + "@x.example"):
        with pytest.raises(Refused) as caught:
            checked_join_request("Ferme", "Léa", too_long)
        assert caught.value.key == "actor.bad_email"


@pytest.mark.parametrize(("due", "expected"), [("", ""), (None, ""), (" 2027-02-01 ", "2027-02-01"),
                                               ("01/02/2027", None), ("2027-02-30", None)])
def test_due_dates_of_steps_and_of_the_plan(due, expected) -> None:
    if expected is None:
        with pytest.raises(Refused) as caught:
            checked_due(due)
        assert (caught.value.key, caught.value.params) == ("plan.bad_date", {"date": due.strip()})
    else:
        assert checked_due(due) == expected
