"""The lead detection measured on each labelled territory against the issue's targets: recall ≥ 0.85, precision
≥ 0.8, no tempting non-lead. The same scoring as `python -m atelier.bench.leads_quality` (which prints the misses
and false positives), through the project's knowledge base. Figures are asserted, never timings.

Where a target is not reached the test says so in its name and asserts what is reached, so a regression still
fails: the bocage's and the plateau's precision fall short (see below), and estuaire (written apart at stop 16, held
out then, read from stop 17 on) is below every target, as are montagne (written apart at stop 17, read late in stop 17)
and zone (written apart at stop 17 and never read: the held-out set, whose misses the bench does not print).

The littoral was written by a helper who never saw the detection code nor the knowledge base; scored untouched it
gave P 0.47 / R 0.84 with 5 tempting non-leads. Its false positives were read for general causes (the log is
docs/leads-precision-log.md): 0.76 at stop 15, 0.84 since capacities pool only on what two offers do together
(two heat sources, two roofs, two nacelles; not two manures, two coffee-ground sources) and two needs for a
by-product someone offers are met by that offer rather than pooled.

The bocage was written by another helper, apart from the detection, and was held out until stop 16 (P 0.42 / R 0.92
/ 3 tempting non-leads untouched, 0.53 / 0.90 / 2 at stop 15). Read for general causes at stop 16, it gave
P 0.72 / R 0.92 with no tempting non-lead, and P 0.76 / R 0.98 at stop 17: recall and non-leads meet the targets,
precision does not. Most of its
remaining extra leads are plausible ones its labeller routed elsewhere (manure to the farms' fertiliser needs where
the labeller sends it to the digester and the digestate to the farms; wood chips to litter; waste heat to a
workshop heated with fuel oil), and pools of needs the labeller did not write.
"""

from __future__ import annotations

import pytest

from atelier.bench.leads_quality import LABELLED, evaluate, load_expected, main
from atelier.rules.leads import LeadKind

SETS = {name: (territory, expected) for name, territory, expected, _ in LABELLED}
# The sets on which the recall and non-lead targets are met (precision: see below); estuaire is below every target.
MEETING = ["bocage", "cas-publies", "littoral", "plateau", "projet", "vallee"]


def _report(name: str):
    territory, expected = SETS[name]
    return evaluate(territory, expected)


@pytest.mark.parametrize("name", sorted(SETS))
def test_labelled_territories_are_big_enough_with_traps(name: str) -> None:
    _, expected_path = SETS[name]
    expected, non_leads = load_expected(expected_path)
    assert len(expected) >= 30 and len(non_leads) >= 4
    assert {e.kind for e in expected} == set(LeadKind)


@pytest.mark.parametrize("name", MEETING)
def test_no_tempting_non_lead_on_each_tuning_territory(name: str) -> None:
    report = _report(name)
    assert report.violations == [], [(n.actors, lead.matched_words) for n, lead in report.violations]


@pytest.mark.parametrize("name", MEETING)
def test_recall_target_on_each_labelled_territory(name: str) -> None:
    report = _report(name)
    assert report.recall >= 0.85, [m.describe() for m in report.misses]


@pytest.mark.parametrize("name", ["projet", "cas-publies", "vallee", "littoral"])
def test_precision_target_on_each_labelled_territory(name: str) -> None:
    report = _report(name)
    assert report.precision >= 0.8, [(lead.kind, lead.actor_keys, lead.matched_words)
                                     for lead in report.false_positives]


@pytest.mark.parametrize(("name", "precision"), [("bocage", 0.75), ("plateau", 0.67)])
def test_precision_below_target_on_the_bocage_and_the_plateau(name: str, precision: float) -> None:
    """Target 0.8 not reached on the bocage (0.76 measured at stop 17, from 0.42 untouched, 0.53 at stop 15 and 0.72
    at stop 16) nor on the plateau (0.67, from 0.48 untouched and 0.57 at stop 16): these floors catch a regression.
    Recall and non-leads meet the targets above (the plateau's since stop 17: R 0.89, no non-lead)."""
    report = _report(name)
    assert report.precision >= precision, [(lead.kind, lead.actor_keys, lead.matched_words)
                                           for lead in report.false_positives]


# Sets below every target (P 0.8 / R 0.85 / no non-lead): floors at what is measured, so a regression fails.
# (set, precision, recall, tempting non-leads at most)
BELOW_EVERY_TARGET = [
    # Written apart at stop 16, held out then (P 0.60 R 0.65, 3 non-leads); read at stop 17 for general causes.
    ("estuaire", 0.76, 0.78, 2),
    # Written apart at stop 17 by a helper who never saw the code (untouched P 0.40 R 0.46, no non-lead); read late
    # in stop 17 for general causes.
    ("montagne", 0.54, 0.75, 0),
    # Written apart at stop 17 and never read: the held-out set (untouched P 0.52 R 0.46; its misses are printed by
    # nobody).
    ("zone", 0.52, 0.47, 0),
]


@pytest.mark.parametrize(("name", "precision", "recall", "non_leads"), BELOW_EVERY_TARGET)
def test_a_set_below_every_target_keeps_what_it_reached(name: str, precision: float, recall: float,
                                                        non_leads: int) -> None:
    report = _report(name)
    assert report.precision >= precision, round(report.precision, 3)
    assert report.recall >= recall, round(report.recall, 3)
    assert len(report.violations) <= non_leads, len(report.violations)


def test_the_bench_scores_any_labelled_file_given(capsys: pytest.CaptureFixture[str]) -> None:
    territory, expected = SETS["cas-publies"]
    assert main([str(territory), str(expected), "--brief", "--sizes", "", "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "territoire-cas-publies.toml" in out and "substitution P " in out and "mutualisation P " in out
    assert "Pistes du territoire de démonstration" in out
