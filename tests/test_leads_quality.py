"""The lead detection measured on each labelled territory against the issue's targets: recall ≥ 0.85, precision
≥ 0.8, no tempting non-lead. The same scoring as `python -m atelier.bench.leads_quality` (which prints the misses
and false positives), through the project's knowledge base. Figures are asserted, never timings.

Where a target is not reached the test says so in its name and asserts what is reached, so a regression still
fails: the littoral falls short of the precision target (see below). The published-cases territory reaches it
(0.80) since a need for protein feed is no longer met by any feed (bread, whey). The valley was kept aside during
the first round; its false positives were looked at in the second (stop 15), so none of the sets is unseen any
more: the held-out territories are.

The bocage was written by another helper, apart from the detection, and is kept aside: the lead scored it and
nobody tuned on it. It is far from the targets (P 0.53 / R 0.90 with 2 tempting non-leads, from P 0.42 / R 0.92 / 3
before this stop's rules): the detection still proposes about three leads per expected one on a territory it was
not written for. Its test asserts what is measured, so a regression fails, and says so in its name.

The littoral was written by a helper who never saw the detection code nor the knowledge base; scored untouched it
gave P 0.47 / R 0.84 with 5 tempting non-leads. Its false positives were read for general causes (a service on a
thing, knowledge links too broad, lone qualifier words, lines riding along, one-word mutualisations; the log is
docs/leads-precision-log.md), so it is a tuning set now. It falls short of the precision target (0.76): most of its
remaining extra leads are pools of two by-products that its labeller did not propose where the other sets' labellers
do (two heat sources, two coffee-ground sources), and plausible leads it did not list (manure or droppings as
organic fertiliser for a cooperative's members).
"""

from __future__ import annotations

import pytest

from atelier.bench.leads_quality import LABELLED, evaluate, load_expected, main
from atelier.rules.leads import LeadKind

SETS = {name: (territory, expected) for name, territory, expected, _ in LABELLED}
TUNED = sorted(name for name, _, _, tuned in LABELLED if tuned)


def _report(name: str):
    territory, expected = SETS[name]
    return evaluate(territory, expected)


@pytest.mark.parametrize("name", sorted(SETS))
def test_labelled_territories_are_big_enough_with_traps(name: str) -> None:
    _, expected_path = SETS[name]
    expected, non_leads = load_expected(expected_path)
    assert len(expected) >= 30 and len(non_leads) >= 4
    assert {e.kind for e in expected} == set(LeadKind)


@pytest.mark.parametrize("name", TUNED)
def test_no_tempting_non_lead_on_each_tuning_territory(name: str) -> None:
    report = _report(name)
    assert report.violations == [], [(n.actors, lead.matched_words) for n, lead in report.violations]


@pytest.mark.parametrize("name", sorted(SETS))
def test_recall_target_on_each_labelled_territory(name: str) -> None:
    report = _report(name)
    assert report.recall >= 0.85, [m.describe() for m in report.misses]


@pytest.mark.parametrize("name", ["projet", "cas-publies", "vallee"])
def test_precision_target_on_each_labelled_territory(name: str) -> None:
    report = _report(name)
    assert report.precision >= 0.8, [(lead.kind, lead.actor_keys, lead.matched_words)
                                     for lead in report.false_positives]


def test_precision_below_target_on_the_littoral() -> None:
    """Target 0.8 not reached on the littoral (0.76 measured, from 0.47 before its false positives were read; see
    the module docstring): this floor catches a regression. Recall and non-leads meet the targets above."""
    report = _report("littoral")
    assert report.precision >= 0.74, [(lead.kind, lead.actor_keys, lead.matched_words)
                                      for lead in report.false_positives]


def test_held_out_bocage_below_the_precision_and_non_lead_targets() -> None:
    """The territory nobody tuned on: recall meets the target; precision (0.53 measured) and tempting non-leads (2)
    do not. These bounds catch a regression, they are not the targets."""
    report = _report("bocage")
    assert report.precision >= 0.5, len(report.false_positives)
    assert len(report.violations) <= 2, [n.actors for n, _ in report.violations]


def test_the_bench_scores_any_labelled_file_given(capsys: pytest.CaptureFixture[str]) -> None:
    territory, expected = SETS["cas-publies"]
    assert main([str(territory), str(expected), "--brief", "--sizes", "", "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "territoire-cas-publies.toml" in out and "substitution P " in out and "mutualisation P " in out
    assert "Pistes du territoire de démonstration" in out
