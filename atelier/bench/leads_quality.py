"""Quality and speed of the lead detection: `python -m atelier.bench.leads_quality [territory.toml expected.toml]`.

Runs `detect_leads` on a labelled territory (default: tests/data/territoire-etiquete.toml) and compares its leads
with the ones a facilitator listed (default: tests/data/leads-attendus.toml). Then times it on a synthetic
200-actor territory and prints the demo territory's leads for a person to judge. Figures are printed, not judged.

How a predicted lead is matched with an expected one (a predicted lead may match several expected ones):
* substitution: an expected substitution of the same category with at least one provider in common and at least
  one receiver in common;
* mutualisation: an expected mutualisation of the same category (and of the same side, needs or capacities,
  when the expected lead says `sur`) with at least two actors in common.
Precision = predicted leads matching at least one expected lead / predicted leads.
Recall = expected leads matched by at least one predicted lead / expected leads.
A `[[non_piste]]` is violated by a predicted lead of its category (and type, when given) that puts its two actors
together: both present in a mutualisation; in a substitution, one giving and the other receiving (the first
giving to the second when the non-lead says `type = "substitution"`). With one actor, a substitution where that
actor both gives and receives. Violations are listed; they are usually false positives
too, unless the lead also matches an expected one.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from atelier.models import CategoriesFile, TerritoryFile
from atelier.rules.leads import EntryKind, InterviewEntry, Lead, LeadKind, detect_leads, entries_of

ROOT = Path(__file__).resolve().parents[2]
LABELLED_TERRITORY = ROOT / "tests" / "data" / "territoire-etiquete.toml"
EXPECTED_LEADS = ROOT / "tests" / "data" / "leads-attendus.toml"
CATEGORIES = ROOT / "sessions" / "categories.toml"
DEMO_TERRITORY = ROOT / "sessions" / "demo" / "territoire.toml"
SIDES = {"besoins": EntryKind.NEED, "capacites": EntryKind.CAPACITY}


@dataclass(frozen=True)
class ExpectedLead:
    kind: LeadKind
    category: str
    providers: frozenset[str] = frozenset()  # substitution
    receivers: frozenset[str] = frozenset()
    actors: frozenset[str] = frozenset()  # mutualisation
    side: EntryKind | None = None  # mutualisation of needs or of capacities, when said
    reason: str = ""

    def describe(self) -> str:
        if self.kind is LeadKind.SUBSTITUTION:
            who = f"{', '.join(sorted(self.providers))} -> {', '.join(sorted(self.receivers))}"
        else:
            who = ", ".join(sorted(self.actors))
        return f"{self.kind} {self.category}: {who} ({self.reason})"


@dataclass(frozen=True)
class NonLead:
    actors: tuple[str, ...]
    category: str | None = None
    kind: LeadKind | None = None
    reason: str = ""


@dataclass
class QualityReport:
    precision: float
    recall: float
    predicted: list[Lead]
    expected: list[ExpectedLead]
    false_positives: list[Lead] = field(default_factory=list)
    misses: list[ExpectedLead] = field(default_factory=list)
    violations: list[tuple[NonLead, Lead]] = field(default_factory=list)


# --- loading --------------------------------------------------------------------------------------------


def _toml(path: Path) -> dict:
    with path.open("rb") as f:
        return tomllib.load(f)


def load_vocabulary(path: Path = CATEGORIES) -> dict[str, list[str]]:
    return {c.key: c.words for c in CategoriesFile.model_validate(_toml(path)).categories}


def load_territory(path: Path) -> TerritoryFile:
    return TerritoryFile.model_validate(_toml(path))


def territory_entries(territory: TerritoryFile) -> list[InterviewEntry]:
    return [e for actor in territory.actors if actor.interview for e in entries_of(actor.key, actor.interview)]


def load_expected(path: Path) -> tuple[list[ExpectedLead], list[NonLead]]:
    data = _toml(path)
    expected = [_expected(item) for item in data.get("piste", [])]
    non_leads = [
        NonLead(
            tuple(item["acteurs"]),
            item.get("categorie"),
            LeadKind(item["type"]) if "type" in item else None,
            item.get("motif", ""),
        )
        for item in data.get("non_piste", [])
    ]
    return expected, non_leads


def _expected(item: Mapping) -> ExpectedLead:
    kind = LeadKind(item["type"])
    common = {"kind": kind, "category": item["categorie"], "reason": item.get("motif", "")}
    if kind is LeadKind.SUBSTITUTION:
        return ExpectedLead(providers=frozenset(item["fournisseurs"]), receivers=frozenset(item["receveurs"]), **common)
    side = SIDES[item["sur"]] if "sur" in item else None
    return ExpectedLead(actors=frozenset(item["acteurs"]), side=side, **common)


# --- matching -------------------------------------------------------------------------------------------


def matches(lead: Lead, expected: ExpectedLead) -> bool:
    if lead.kind is not expected.kind or lead.category != expected.category:
        return False
    if lead.kind is LeadKind.SUBSTITUTION:
        return bool(set(lead.providers) & expected.providers and set(lead.receivers) & expected.receivers)
    if expected.side is not None and lead.entries[0].kind is not expected.side:
        return False
    return len(set(lead.actor_keys) & expected.actors) >= 2


def violates(lead: Lead, non_lead: NonLead) -> bool:
    if non_lead.category not in (None, lead.category) or non_lead.kind not in (None, lead.kind):
        return False
    first, second = non_lead.actors[0], non_lead.actors[-1]
    if lead.kind is LeadKind.MUTUALISATION:
        return first != second and {first, second} <= set(lead.actor_keys)
    providers, receivers = set(lead.providers), set(lead.receivers)
    given = first in providers and second in receivers
    return given if non_lead.kind is LeadKind.SUBSTITUTION else given or (second in providers and first in receivers)


def compare(predicted: Sequence[Lead], expected: Sequence[ExpectedLead], non_leads: Sequence[NonLead]) -> QualityReport:
    right = [lead for lead in predicted if any(matches(lead, e) for e in expected)]
    found = [e for e in expected if any(matches(lead, e) for lead in predicted)]
    return QualityReport(
        precision=len(right) / len(predicted) if predicted else 1.0,
        recall=len(found) / len(expected) if expected else 1.0,
        predicted=list(predicted),
        expected=list(expected),
        false_positives=[lead for lead in predicted if lead not in right],
        misses=[e for e in expected if e not in found],
        violations=[(n, lead) for n in non_leads for lead in predicted if violates(lead, n)],
    )


def evaluate(
    territory_path: Path = LABELLED_TERRITORY, expected_path: Path = EXPECTED_LEADS, categories_path: Path = CATEGORIES
) -> QualityReport:
    """Detect the leads of a labelled territory and compare them with the expected ones."""
    entries = territory_entries(load_territory(territory_path))
    expected, non_leads = load_expected(expected_path)
    return compare(detect_leads(entries, load_vocabulary(categories_path)), expected, non_leads)


# --- synthetic territory for timing ---------------------------------------------------------------------

_FILLER = (
    "pour l’atelier", "en hiver", "chaque semaine", "à partager avec les voisins", "de bonne qualité",
    "en petite quantité", "pour nos clients", "disponible rapidement", "sur la commune", "près de la zone",
    "issus de notre production",
)  # fmt: skip
_NOUNS = (
    "bâtiment", "véhicule", "serre", "verger", "cave", "fromagerie", "boucherie", "scierie", "menuiserie", "garage",
    "camping", "hôtel", "école", "mairie", "ferme", "élevage", "brasserie", "laiterie", "conserverie", "imprimerie",
    "boulangerie", "épicerie", "chantier", "déchetterie",
)  # fmt: skip


def synthetic_entries(actors: int = 200, per_actor: int = 6, seed: int = 7) -> list[InterviewEntry]:
    """A deterministic fake territory: each line mixes words of its category vocabulary and ordinary words."""
    rng = random.Random(seed)
    vocabulary = load_vocabulary()
    categories = [c for c, words in vocabulary.items() if words]
    entries = []
    for n in range(actors):
        for _ in range(per_actor):
            category = rng.choice(categories)
            words = rng.sample(vocabulary[category], k=min(2, len(vocabulary[category])))
            text = f"{words[0].capitalize()} et {words[1]} {rng.choice(_FILLER)} ({rng.choice(_NOUNS)})"
            entries.append(InterviewEntry(f"acteur-{n:03d}", rng.choice(list(EntryKind)), category, text))
    return entries


def time_detection(entries: Sequence[InterviewEntry], runs: int = 5) -> tuple[float, float, int]:
    vocabulary = load_vocabulary()
    durations, count = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        count = len(detect_leads(entries, vocabulary))
        durations.append(time.perf_counter() - start)
    return statistics.median(durations), max(durations), count


# --- printing -------------------------------------------------------------------------------------------


def describe(lead: Lead, names: Mapping[str, str], labels: Mapping[str, str]) -> str:
    def who(keys: Sequence[str]) -> str:
        return ", ".join(names.get(k, k) for k in keys)

    if lead.kind is LeadKind.SUBSTITUTION:
        actors = f"{who(lead.providers)} → {who(lead.receivers)}"
    else:
        side = "besoin" if lead.entries[0].kind is EntryKind.NEED else "capacité"
        actors = f"{side} commun : {who(lead.actor_keys)}"
    head = f"[{lead.score:.2f}] {lead.kind} · {labels.get(lead.category, lead.category)} · {actors}"
    lines = [head, f"      mots : {', '.join(lead.matched_words)}"]
    lines += [f"      - {names.get(e.actor_key, e.actor_key)} ({e.kind}) : {e.description}" for e in lead.entries]
    return "\n".join(lines)


def _print_report(report: QualityReport, names: Mapping[str, str], labels: Mapping[str, str]) -> None:
    print(f"Pistes proposées : {len(report.predicted)}   attendues : {len(report.expected)}")
    print(f"Précision : {report.precision:.2f}   Rappel : {report.recall:.2f}")
    print(f"\nFaux positifs ({len(report.false_positives)}) :")
    for lead in report.false_positives:
        print("  " + describe(lead, names, labels))
    print(f"\nPistes manquées ({len(report.misses)}) :")
    for missed in report.misses:
        print(f"  {missed.describe()}")
    print(f"\nNon-pistes proposées quand même ({len(report.violations)}) :")
    for non_lead, lead in report.violations:
        print(f"  {' / '.join(non_lead.actors)} ({non_lead.reason})\n    " + describe(lead, names, labels))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("territory", nargs="?", type=Path, default=LABELLED_TERRITORY)
    parser.add_argument("expected", nargs="?", type=Path, default=EXPECTED_LEADS)
    parser.add_argument("--runs", type=int, default=5, help="timing runs on the synthetic territory")
    parser.add_argument("--top", type=int, default=0, help="how many demo leads to print (0: all)")
    args = parser.parse_args(argv)

    labels = {c.key: c.label for c in CategoriesFile.model_validate(_toml(CATEGORIES)).categories}
    territory = load_territory(args.territory)
    names = {a.key: a.name for a in territory.actors}
    print(f"== Qualité sur {args.territory.name} ({len(territory.actors)} acteurs)")
    _print_report(evaluate(args.territory, args.expected), names, labels)

    entries = synthetic_entries()
    p50, worst, count = time_detection(entries, args.runs)
    actors = len({e.actor_key for e in entries})
    print(f"\n== Temps sur un territoire synthétique : {actors} acteurs, {len(entries)} lignes, {count} pistes")
    print(f"p50 {p50 * 1000:.0f} ms   max {worst * 1000:.0f} ms   ({args.runs} passages)")

    demo = load_territory(DEMO_TERRITORY)
    demo_names = {a.key: a.name for a in demo.actors}
    leads = detect_leads(territory_entries(demo), load_vocabulary())
    shown = leads[: args.top] if args.top else leads
    print(f"\n== Pistes du territoire de démonstration ({demo.territory.name}) : {len(leads)}")
    for rank, lead in enumerate(shown, 1):
        print(f"{rank:>3}. " + describe(lead, demo_names, labels))
    return 0


if __name__ == "__main__":
    sys.exit(main())
