"""The method guide's rules, table-driven: which steps are done, the current step, figures in the checklist."""

from __future__ import annotations

import re

import pytest

from atelier.i18n import MESSAGES
from atelier.rules.method import COUNT_KEYS, CheckItem, MethodStep, current_step, method_steps

STEP_KEYS = ["recrutement", "entretiens", "pistes", "ffom", "atelier-co-construction", "atelier-selection",
             "groupes", "extension", "transmission"]

# A territory after its first workshop: actors recruited and all visited, leads reviewed, SWOT done,
# co-construction held; selection under way (grades given, nothing selected yet).
HALFWAY = {
    "actors": 17, "public_partners": 2, "interviews": 17, "leads": 9, "leads_decided": 9, "swot_items": 14,
    "swot_quadrants_filled": 4, "workshops_coconstruction": 1, "ideas": 34, "candidate_actions": 6,
    "workshops_selection": 1, "ratings": 48,
}

# Everything the method asks, extension and hand-over included.
COMPLETE = {
    **HALFWAY, "interviews": 20, "actors": 20, "selected_actions": 4, "low_hanging_fruit_selected": 2,
    "working_groups": 2, "meetings_planned": 8, "meetings_held": 6, "actions_in_progress": 1, "actions_done": 2,
    "cohorts": 1, "join_requests_waiting": 0, "workshops_coconstruction": 2, "co_facilitators": 1,
}


def steps_by_key(counts: dict[str, int]) -> dict[str, MethodStep]:
    return {step.key: step for step in method_steps(counts, 7)}


def texts(step: MethodStep) -> str:
    return " | ".join(item.text for item in step.checklist)


def test_the_steps_follow_the_method_in_order() -> None:
    steps = method_steps({}, 7)
    assert [s.key for s in steps] == STEP_KEYS
    assert steps[0].title == "Recrutement des partenaires et des pouvoirs publics"
    for step in steps:
        assert step.purpose.endswith(".")
        assert step.checklist, step.key
        assert 2 <= len(step.tips) <= 3, step.key
        assert step.link.startswith("/animation")


@pytest.mark.parametrize(
    ("name", "counts", "done", "current"),
    [
        ("empty territory", {}, [], "recrutement"),
        ("unknown keys and negatives are ignored", {"foo": 9, "actors": -3}, [], "recrutement"),
        ("actors but no public partner", {"actors": 5}, [], "recrutement"),
        ("public partner but too few economic actors", {"actors": 3, "public_partners": 1}, [], "recrutement"),
        ("recruited, no interview yet", {"actors": 4, "public_partners": 1}, ["recrutement"], "entretiens"),
        ("one actor still to visit", {"actors": 17, "public_partners": 2, "interviews": 16},
         ["recrutement"], "entretiens"),
        ("halfway: selection under way", HALFWAY,
         ["recrutement", "entretiens", "pistes", "ffom", "atelier-co-construction"], "atelier-selection"),
        ("halfway with a lead left to examine", {**HALFWAY, "leads_decided": 8},
         ["recrutement", "entretiens", "ffom", "atelier-co-construction"], "pistes"),
        ("a later step done does not move the current step back past an earlier gap",
         {**HALFWAY, "swot_quadrants_filled": 3, "co_facilitators": 1},
         ["recrutement", "entretiens", "pistes", "atelier-co-construction", "transmission"], "ffom"),
        ("selected but no low-hanging fruit", {**HALFWAY, "selected_actions": 3},
         ["recrutement", "entretiens", "pistes", "ffom", "atelier-co-construction"], "atelier-selection"),
        ("groups with too few meetings held",
         {**HALFWAY, "selected_actions": 3, "low_hanging_fruit_selected": 1, "working_groups": 2,
          "meetings_planned": 6, "meetings_held": 5, "actions_in_progress": 1},
         ["recrutement", "entretiens", "pistes", "ffom", "atelier-co-construction", "atelier-selection"], "groupes"),
        ("groups done, waiting for an extension",
         {**HALFWAY, "selected_actions": 3, "low_hanging_fruit_selected": 1, "working_groups": 2,
          "meetings_planned": 6, "meetings_held": 6, "actions_done": 1, "join_requests_waiting": 2},
         STEP_KEYS[:7], "extension"),
        ("a cohort joined: newcomers not yet interviewed",
         {**COMPLETE, "actors": 23}, [k for k in STEP_KEYS if k not in ("entretiens", "extension")], "entretiens"),
        ("everything done", COMPLETE, STEP_KEYS, None),
    ],
)
def test_done_steps_and_current_step(name: str, counts: dict[str, int], done: list[str], current: str | None) -> None:
    steps = method_steps(counts, 7)
    assert [s.key for s in steps if s.done] == done, name
    found = current_step(steps)
    assert (found.key if found else None) == current, name


@pytest.mark.parametrize(
    ("counts", "key", "expected"),
    [
        ({"actors": 17, "public_partners": 2, "interviews": 12}, "entretiens", "12 entretiens sur 17 acteurs"),
        ({"actors": 1, "interviews": 0}, "entretiens", "0 entretien sur 1 acteur"),
        ({"actors": 17, "public_partners": 2}, "recrutement", "15 acteurs économiques"),
        ({"actors": 17, "public_partners": 2}, "recrutement", "2 partenaires publics"),
        ({"leads": 9, "leads_decided": 4}, "pistes", "9 pistes détectées"),
        ({"leads": 9, "leads_decided": 4}, "pistes", "Pistes examinées : 4 sur 9"),
        ({"swot_items": 11, "swot_quadrants_filled": 3}, "ffom", "11 éléments"),
        ({"swot_items": 11, "swot_quadrants_filled": 3}, "ffom", "Quadrants remplis : 3 sur 4"),
        ({"ideas": 34, "candidate_actions": 6}, "atelier-co-construction", "34 idées recueillies"),
        ({"ideas": 34, "candidate_actions": 6}, "atelier-co-construction", "6 actions candidates"),
        ({"ratings": 48, "selected_actions": 5, "candidate_actions": 6}, "atelier-selection",
         "5 actions sélectionnées sur 6 candidates"),
        ({"low_hanging_fruit_selected": 2}, "atelier-selection", "2 fruits à portée de main sélectionnés"),
        ({"ratings": 48}, "atelier-selection", "48 notes données"),
        ({"working_groups": 2, "meetings_held": 4}, "groupes", "Réunions tenues : 4 sur 6"),
        ({"working_groups": 2, "meetings_planned": 7}, "groupes", "Réunions planifiées : 7 sur 6"),
        ({"actions_in_progress": 3, "actions_done": 1}, "groupes", "3 actions en cours, 1 action réalisée"),
        ({"cohorts": 1, "join_requests_waiting": 4}, "extension", "1 cohorte d’extension (4 candidats en attente)"),
        ({"co_facilitators": 2}, "transmission", "2 co-animateurs locaux"),
    ],
)
def test_figures_appear_in_the_checklist(counts: dict[str, int], key: str, expected: str) -> None:
    assert expected in texts(steps_by_key(counts)[key])


@pytest.mark.parametrize("counts", [{}, HALFWAY, COMPLETE, {**HALFWAY, "swot_quadrants_filled": 9}],
                         ids=["empty", "halfway", "complete", "too-many-quadrants"])
def test_progress_is_a_share_between_0_and_1(counts: dict[str, int]) -> None:
    for step in method_steps(counts, 7):
        assert 0.0 <= step.progress <= 1.0
        assert (step.progress == 1.0) == step.done
        ticked = sum(item.done for item in step.checklist)
        assert step.progress == pytest.approx(ticked / len(step.checklist))


def test_empty_territory_has_nothing_ticked() -> None:
    assert all(step.progress == 0.0 for step in method_steps({}, 7))
    # each step's first line counts nothing yet: "0 acteur …", "Matrice commencée : 0 élément", …
    assert all(re.search(r"(^|: )0 ", step.checklist[0].text) for step in method_steps({}, 7))


def test_halfway_progress_of_the_partial_steps() -> None:
    steps = steps_by_key({**HALFWAY, "swot_quadrants_filled": 2})
    assert steps["ffom"].progress == pytest.approx(0.5)  # started, not all quadrants
    assert steps["atelier-selection"].progress == pytest.approx(0.5)  # workshop and grades, nothing selected


def test_links_point_at_the_territory_pages() -> None:
    links = {step.key: step.link for step in method_steps({}, 42)}
    assert links == {
        "recrutement": "/animation/territoire/42/acteurs",
        "entretiens": "/animation/territoire/42/acteurs",
        "pistes": "/animation/territoire/42/pistes",
        "ffom": "/animation/territoire/42/ffom",
        "atelier-co-construction": "/animation",
        "atelier-selection": "/animation/territoire/42/actions",
        "groupes": "/animation/territoire/42/groupes",
        "extension": "/animation/territoire/42/extension",
        "transmission": "/animation/roles",
    }


def test_a_step_is_done_when_every_check_is() -> None:
    half = MethodStep("k", "t", "p.", (CheckItem("a", True), CheckItem("b", False)), ("x", "y"), "/animation")
    assert not half.done
    assert half.progress == 0.5
    assert current_step([half]) is half
    full = MethodStep("k", "t", "p.", (CheckItem("a", True),), ("x", "y"), "/animation")
    assert full.done and full.progress == 1.0
    assert current_step([full]) is None
    assert current_step([]) is None


def test_every_count_key_is_read() -> None:
    """Each key of `counts` changes at least one check's text: none is forgotten by the guide."""
    base = {"leads": 20}  # examined leads are shown against the detected ones
    blank = [texts(s) for s in method_steps(base, 7)]
    for key in COUNT_KEYS:
        changed = [texts(s) for s in method_steps({**base, key: 7}, 7)]
        assert changed != blank, key


@pytest.mark.parametrize(
    ("counts", "key", "expected"),
    [
        ({"actors": 1, "interviews": 0}, "entretiens", "0 interviews out of 1 actor"),
        ({"actors": 17, "interviews": 12}, "entretiens", "12 interviews out of 17 actors"),
        ({"actors": 17, "public_partners": 2}, "recrutement", "15 economic actors in the network (at least 3)"),
        ({"public_partners": 1}, "recrutement", "1 public partner (local authority or public body)"),
        ({"ratings": 48, "selected_actions": 1, "candidate_actions": 6}, "atelier-selection",
         "1 action selected out of 6 candidates"),
        ({"low_hanging_fruit_selected": 0}, "atelier-selection", "0 low-hanging fruits selected by the rule"),
        ({"actions_in_progress": 3, "actions_done": 1}, "groupes",
         "Implementation: 3 actions under way, 1 action done"),
        ({"cohorts": 1, "join_requests_waiting": 4}, "extension", "1 extension cohort (4 candidates waiting)"),
        ({"co_facilitators": 1}, "transmission", "1 local co-facilitator"),
    ],
)
def test_figures_in_english_agree_with_their_count(counts: dict[str, int], key: str, expected: str) -> None:
    """English takes the plural for 0 ("0 interviews"), French the singular ("0 entretien")."""
    steps = {step.key: step for step in method_steps(counts, 7, "en")}
    assert expected in texts(steps[key])


def test_the_guide_in_english_has_the_same_steps_and_verdicts_in_other_words() -> None:
    for counts in ({}, HALFWAY, COMPLETE):
        french, english = method_steps(counts, 7), method_steps(counts, 7, "en")
        assert [(s.key, s.done, s.link, [i.done for i in s.checklist]) for s in french] == \
            [(s.key, s.done, s.link, [i.done for i in s.checklist]) for s in english]
        for fr, en in zip(french, english, strict=True):
            assert en.title != fr.title and en.purpose != fr.purpose, fr.key
            assert all(a != b for a, b in zip(fr.tips, en.tips, strict=True)), fr.key
            assert all(a.text != b.text for a, b in zip(fr.checklist, en.checklist, strict=True)), fr.key
    assert method_steps({}, 7, "en")[0].title == "Recruiting partners and public authorities"


def test_every_method_message_has_english() -> None:
    keys = [key for key in MESSAGES if key.startswith(("method.", "guide."))]
    assert len(keys) > 100
    assert [key for key in keys if not MESSAGES[key].get("en")] == []
