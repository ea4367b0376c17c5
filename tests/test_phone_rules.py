"""Rules behind the phone's issue-10 behaviour: unsorted ideas, anonymous identity, who may support what."""

from __future__ import annotations

import pytest

from atelier.models import ORGANISATION_MAX, UNSORTED
from atelier.rules import Refused
from atelier.rules.ideas import check_support, checked_idea, checked_identity

CATEGORIES = ["energie", "eau"]


@pytest.mark.parametrize(("category", "stored"), [
    (None, UNSORTED.key),  # nothing chosen on the phone
    ("", UNSORTED.key),  # a cleared choice
    ("eau", "eau"),
    (UNSORTED.key, UNSORTED.key),  # the facilitator may leave it there
])
def test_an_idea_without_category_goes_to_be_sorted(category: str | None, stored: str) -> None:
    assert checked_idea("Une idée", "", category, CATEGORIES)[2] == stored


def test_an_unknown_category_is_still_refused() -> None:
    with pytest.raises(Refused) as caught:
        checked_idea("Une idée", "", "inventee", CATEGORIES)
    assert caught.value.key == "idea.category_unknown"


@pytest.mark.parametrize(("name", "organisation", "expected"), [
    ("Zoé", "Scierie", ("", "Scierie")),  # a name sent anyway is not kept
    (None, None, ("", "")),  # nothing at all is fine
    ("", "  Ferme du Pré  ", ("", "Ferme du Pré")),
])
def test_anonymous_identity_keeps_no_name(name: str | None, organisation: str | None,
                                          expected: tuple[str, str]) -> None:
    assert checked_identity(name, organisation, anonymous=True) == expected


def test_anonymous_identity_still_bounds_the_organisation() -> None:
    with pytest.raises(Refused) as caught:
        checked_identity(None, "x" * (ORGANISATION_MAX + 1), anonymous=True)
    assert caught.value.key == "join.organisation_too_long"


def test_named_identity_still_needs_both() -> None:
    with pytest.raises(Refused) as caught:
        checked_identity(None, "Scierie")
    assert caught.value.key == "join.name_missing"


@pytest.mark.parametrize(("allowed", "own", "on_wall", "refusal"), [
    (True, False, True, None),
    (False, False, True, "support.closed"),  # setting off, or ideas closed
    (True, True, True, "support.own_idea"),
    (True, False, False, "support.not_on_wall"),  # hidden, withdrawn, grouped or awaiting approval
])
def test_who_may_support_what(allowed: bool, own: bool, on_wall: bool, refusal: str | None) -> None:
    if refusal is None:
        check_support(allowed=allowed, own=own, on_wall=on_wall)
        return
    with pytest.raises(Refused) as caught:
        check_support(allowed=allowed, own=own, on_wall=on_wall)
    assert caught.value.key == refusal
