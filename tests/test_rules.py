"""Domain rules, table-driven: ideas, identity, pace, phases, merge, join codes."""

from __future__ import annotations

import pytest

from atelier.models import IDEA_DETAILS_MAX, IDEA_TITLE_MAX, Collect, PhaseTemplate, Workshop
from atelier.rules import Refused
from atelier.rules.codes import JOIN_CODE_ALPHABET, new_join_code, normalised_join_code
from atelier.rules.ideas import (
    MAX_IDEAS_PER_MINUTE,
    check_pace,
    checked_client_id,
    checked_idea,
    checked_identity,
    checked_merge,
    clean_text,
)
from atelier.rules.phases import accepts, check_open_for, moved_phase

CATEGORIES = ["energie", "autre"]


@pytest.mark.parametrize(
    ("title", "details", "category", "refusal"),
    [
        ("", "", "energie", "idea.empty"),
        ("   \n\t ", "", "energie", "idea.empty"),
        (None, None, "energie", "idea.empty"),
        ("x" * (IDEA_TITLE_MAX + 1), "", "energie", "idea.title_too_long"),
        ("ok", "y" * (IDEA_DETAILS_MAX + 1), "energie", "idea.details_too_long"),
        ("ok", "", "inconnue", "idea.category_unknown"),
    ],  # no category is not refused: the idea waits "À classer" (tests/test_phone_rules.py)
    ids=["empty", "blank", "none", "title-over-limit", "details-over-limit", "unknown-category"],
)
def test_bad_ideas_are_refused_with_their_reason(title, details, category, refusal) -> None:
    with pytest.raises(Refused) as caught:
        checked_idea(title, details, category, CATEGORIES)
    assert caught.value.key == refusal


def test_an_idea_at_the_limits_is_accepted_and_cleaned() -> None:
    title = "é" * IDEA_TITLE_MAX
    assert checked_idea(f"  {title}  ", "d" * IDEA_DETAILS_MAX, "energie", CATEGORIES) == (
        title, "d" * IDEA_DETAILS_MAX, "energie")


def test_clean_text_composes_accents_and_drops_control_characters() -> None:
    decomposed = "Cre\u0301er une coope\u0301rative\x00\x07"
    assert clean_text(decomposed) == "Créer une coopérative"
    assert clean_text("main-d’œuvre 12 €") == "main-d’œuvre 12 €"


def test_markup_is_kept_as_text_not_stripped() -> None:
    """Markup is shown as text on every page; the rules keep what the person typed."""
    title, _, _ = checked_idea("<img src=x onerror=alert(1)>", "", "autre", CATEGORIES)
    assert title == "<img src=x onerror=alert(1)>"


@pytest.mark.parametrize("client_id", [None, "", "short", "a" * 65, "has space 123", "<script>1234"])
def test_bad_client_ids_are_refused(client_id) -> None:
    with pytest.raises(Refused) as caught:
        checked_client_id(client_id)
    assert caught.value.key == "idea.bad_client_id"


@pytest.mark.parametrize(
    ("name", "organisation", "refusal"),
    [("", "Scierie", "join.name_missing"), ("Zoé", " ", "join.organisation_missing"),
     ("z" * 81, "Scierie", "join.name_too_long"), ("Zoé", "o" * 121, "join.organisation_too_long")],
)
def test_bad_identities_are_refused(name, organisation, refusal) -> None:
    with pytest.raises(Refused) as caught:
        checked_identity(name, organisation)
    assert caught.value.key == refusal


@pytest.mark.parametrize(
    ("previous", "now", "refusal"),
    [
        ([], 100.0, None),
        ([99.0], 100.0, "idea.too_fast"),
        ([96.9], 100.0, None),
        ([41.0 + 5 * i for i in range(MAX_IDEAS_PER_MINUTE)], 100.0, "idea.too_many"),
        ([30.0 + 5 * i for i in range(MAX_IDEAS_PER_MINUTE)], 100.0, None),
    ],
    ids=["first", "one-second-after", "three-seconds-after", "eight-in-a-minute", "eight-but-older"],
)
def test_pace_of_a_phone(previous, now, refusal) -> None:
    if refusal is None:
        check_pace(previous, now)
    else:
        with pytest.raises(Refused) as caught:
            check_pace(previous, now)
        assert caught.value.key == refusal
        assert caught.value.params["seconds"] >= 1


PHASES = [PhaseTemplate(cle=k, titre=k.title(), duree_minutes=m, collecte=c)
          for k, m, c in [("accueil", 15, "aucune"), ("idees", 25, "idees"), ("cloture", 10, "aucune")]]


def workshop(**fields) -> Workshop:
    return Workshop(**{"id": 1, "territory_id": 1, "code": "ABCDE", "title": "t", "template_key": "x",
                       "phases": PHASES, **fields})


@pytest.mark.parametrize(("current", "step", "expected"), [(0, 1, 1), (1, 1, 2), (2, -1, 1), (1, -1, 0)])
def test_moving_through_phases(current, step, expected) -> None:
    assert moved_phase(PHASES, current, step) == expected


@pytest.mark.parametrize(("current", "step", "refusal"), [(0, -1, "phase.first"), (2, 1, "phase.last")])
def test_cannot_leave_the_agenda(current, step, refusal) -> None:
    with pytest.raises(Refused) as caught:
        moved_phase(PHASES, current, step)
    assert caught.value.key == refusal


@pytest.mark.parametrize(
    ("fields", "open_", "refusal"),
    [
        ({"phase_index": 1}, True, None),
        ({"phase_index": 0}, False, "ideas.phase_closed"),
        ({"phase_index": 1, "locked": True}, False, "ideas.locked"),
        ({"phase_index": 1, "closed": True}, False, "workshop.closed"),
    ],
    ids=["ideas-phase", "welcome-phase", "locked", "closed"],
)
def test_when_phones_may_send_ideas(fields, open_, refusal) -> None:
    w = workshop(**fields)
    assert accepts(w, Collect.IDEAS) is open_
    if refusal is None:
        check_open_for(w, Collect.IDEAS)
    else:
        with pytest.raises(Refused) as caught:
            check_open_for(w, Collect.IDEAS)
        assert caught.value.key == refusal


@pytest.mark.parametrize(("ids", "title", "refusal"), [([1], "t", "merge.too_few"), ([1, 1], "t", "merge.too_few"),
                                                       ([1, 2], " ", "idea.empty")])
def test_bad_merges(ids, title, refusal) -> None:
    with pytest.raises(Refused) as caught:
        checked_merge(ids, title)
    assert caught.value.key == refusal


def test_join_codes_avoid_ambiguous_letters_and_ignore_case() -> None:
    codes = {new_join_code() for _ in range(200)}
    assert all(len(c) == 5 and set(c) <= set(JOIN_CODE_ALPHABET) for c in codes)
    assert not set("0O1IL5S2Z") & set(JOIN_CODE_ALPHABET)
    assert normalised_join_code(" ab cd e ") == "ABCDE"
