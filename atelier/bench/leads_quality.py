"""Quality and speed of the lead detection: `python -m atelier.bench.leads_quality [territory.toml expected.toml]`.

Without arguments it scores every labelled territory of tests/data (`LABELLED`): precision and recall per kind
(substitution, mutualisation) and overall, the tempting non-leads proposed, the false positives and misses (of a
held-out set, figures only). With
a territory file and its expected-leads file, it scores that pair the same way (a held-out set, written apart).
Then it times the detection on synthetic territories of 1,000 and 5,000 actors and prints the demo territory's
best leads for a person to judge. `--stemmers` also scores each French stemmer. Figures are printed, not judged;
the tests assert the targets (tests/test_leads_quality.py).

The territory file is a scenario file (sessions/demo/territoire.toml's format: [territoire], [[acteurs]] with
[acteurs.entretien] needs and capacities). The expected-leads file is TOML:

    [[piste]]                            # a lead a facilitator would propose
    type = "substitution"                # or "mutualisation"
    categorie = "matieres-dechets"       # a lead joining two categories: the need's one
    fournisseurs = ["actor-key", …]      # substitution: the actors giving…
    receveurs = ["actor-key", …]         # …and the actors receiving
    acteurs = ["actor-key", …]           # mutualisation: the actors sharing it
    sur = "besoins"                      # mutualisation, optional: of needs or of "capacites"
    motif = "why, in words"

    [[non_piste]]                        # a tempting pair that no lead may bring together
    acteurs = ["first", "second"]
    categorie = "…"                      # optional: only in this category
    type = "substitution"                # optional: then the first must not give to the second
    motif = "why it is a trap"

How a predicted lead is matched with an expected one (a predicted lead may match several expected ones):
* substitution: an expected substitution whose category is one of the lead's categories, with at least one
  provider in common and at least one receiver in common;
* mutualisation: an expected mutualisation whose category is one of the lead's (and of the same side, needs or
  capacities, when the expected lead says `sur`) with at least two actors in common.
Precision = predicted leads matching at least one expected lead / predicted leads.
Recall = expected leads matched by at least one predicted lead / expected leads.
A `[[non_piste]]` is violated by a predicted lead holding its category (and of its type, when given) that puts
its two actors together: both present in a mutualisation; in a substitution, one giving and the other receiving
(the first giving to the second when the non-lead says `type = "substitution"`). With one actor, a substitution
where that actor both gives and receives. Violations are listed; they are usually false positives
too, unless the lead also matches an expected one.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from atelier.memory import collector_paused
from atelier.models import CategoriesFile, KnowledgeFile, TerritoryFile
from atelier.rules.french import STEMMERS
from atelier.rules.lead_cache import LINES
from atelier.rules.leads import EntryKind, InterviewEntry, Lead, LeadKind, detect_leads, entries_of
from atelier.scenario import SESSIONS_DIR, load_knowledge

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
LABELLED_TERRITORY = DATA / "territoire-etiquete.toml"
EXPECTED_LEADS = DATA / "leads-attendus.toml"
# (name, territory, expected leads, whether the detection was tuned while looking at it)
LABELLED = (
    ("projet", LABELLED_TERRITORY, EXPECTED_LEADS, True),
    ("cas-publies", DATA / "territoire-cas-publies.toml", DATA / "leads-cas-publies.toml", True),
    # Kept aside in the first round; its false positives were read in the second (general rules only came of it).
    ("vallee", DATA / "territoire-vallee.toml", DATA / "leads-vallee.toml", True),
    # Written by a helper who never saw the detection code nor the knowledge base (first scored untouched at P 0.47
    # R 0.84); its false positives were read to find general causes, so it is a tuning set now.
    ("littoral", DATA / "territoire-littoral.toml", DATA / "leads-littoral.toml", True),
    # Written by another helper, apart from the detection (stop 15); scored by the lead only at first: P 0.42 R 0.92
    # (3 tempting non-leads), then P 0.53 R 0.90 (2). Its false positives were read in stop 16 (general causes only):
    # a development set now. Territories nobody here reads are scored apart (the lead's held-out sets).
    ("bocage", DATA / "territoire-bocage.toml", DATA / "leads-bocage.toml", True),
    # Written apart at stop 16 (as the bocage): scored untouched P 0.48 R 0.70 (2 non-leads); the lead read its misses
    # and false positives late in stop 16 (general causes only).
    ("plateau", DATA / "territoire-plateau.toml", DATA / "leads-plateau.toml", True),
    # Written apart at stop 16 with the plateau; nobody read its lines then: only its figures were printed (P 0.51
    # R 0.58, 4 non-leads untouched; P 0.60 R 0.65, 3 at the end of stop 16). Read from stop 17 on, when a fresh
    # territory was written apart: a tuning set now (general causes only).
    ("estuaire", DATA / "territoire-estuaire.toml", DATA / "leads-estuaire.toml", True),
    # Written apart at stop 17 by a helper who never saw the code; only its figures were printed then (P 0.40 R 0.46,
    # no non-lead untouched; 0.41 / 0.46 at the end of leadsgen2). Read late in stop 17: a tuning set now.
    ("montagne", DATA / "territoire-montagne.toml", DATA / "leads-montagne.toml", True),
    # Written apart at stop 17 with montagne; nobody read its lines: the held-out set, of which the bench prints only
    # the figures (P 0.52 R 0.46 untouched, P 0.53 R 0.48 at the end of stop 17). Write another territory apart before
    # reading it.
    ("zone", DATA / "territoire-zone.toml", DATA / "leads-zone.toml", False),
)
CATEGORIES = SESSIONS_DIR / "categories.toml"
DEMO_TERRITORY = SESSIONS_DIR / "demo" / "territoire.toml"
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
    per_kind: dict[LeadKind, tuple[float, float, int, int]] = field(default_factory=dict)  # P, R, predicted, expected


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


def _categories(lead: Lead) -> tuple[str, ...]:
    return lead.categories or (lead.category,)


def matches(lead: Lead, expected: ExpectedLead) -> bool:
    if lead.kind is not expected.kind or expected.category not in _categories(lead):
        return False
    if lead.kind is LeadKind.SUBSTITUTION:
        return bool(set(lead.providers) & expected.providers and set(lead.receivers) & expected.receivers)
    if expected.side is not None and lead.entries[0].kind is not expected.side:
        return False
    return len(set(lead.actor_keys) & expected.actors) >= 2


def violates(lead: Lead, non_lead: NonLead) -> bool:
    if (non_lead.category is not None and non_lead.category not in _categories(lead)) or non_lead.kind not in (
        None, lead.kind
    ):
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
    per_kind = {}
    for kind in LeadKind:
        kind_predicted = [lead for lead in predicted if lead.kind is kind]
        kind_expected = [e for e in expected if e.kind is kind]
        kind_right = [lead for lead in right if lead.kind is kind]
        kind_found = [e for e in found if e.kind is kind]
        per_kind[kind] = (
            len(kind_right) / len(kind_predicted) if kind_predicted else 1.0,
            len(kind_found) / len(kind_expected) if kind_expected else 1.0,
            len(kind_predicted),
            len(kind_expected),
        )
    return QualityReport(
        precision=len(right) / len(predicted) if predicted else 1.0,
        recall=len(found) / len(expected) if expected else 1.0,
        predicted=list(predicted),
        expected=list(expected),
        false_positives=[lead for lead in predicted if lead not in right],
        misses=[e for e in expected if e not in found],
        violations=[(n, lead) for n in non_leads for lead in predicted if violates(lead, n)],
        per_kind=per_kind,
    )


def evaluate(
    territory_path: Path = LABELLED_TERRITORY,
    expected_path: Path = EXPECTED_LEADS,
    categories_path: Path = CATEGORIES,
    knowledge: KnowledgeFile | None = None,
    stemmer_name: str | None = None,
) -> QualityReport:
    """Detect the leads of a labelled territory, as the page does, and compare them with the expected ones.

    `knowledge`: default, the project's knowledge base (sessions/ressources.toml).
    """
    entries = territory_entries(load_territory(territory_path))
    expected, non_leads = load_expected(expected_path)
    knowledge = load_knowledge() if knowledge is None else knowledge
    leads = detect_leads(entries, load_vocabulary(categories_path), knowledge, stemmer_name=stemmer_name)
    return compare(leads, expected, non_leads)


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


def synthetic_entries(actors: int = 1000, per_actor: int = 5, seed: int = 7) -> list[InterviewEntry]:
    """A deterministic fake territory: lines drawn from the labelled territories' real lines, each given a filler
    and a place so that the lines differ, spread over `actors` actors (the same need at many actors, as a big
    territory has)."""
    rng = random.Random(seed)
    pool = [e for _, territory, _, _ in LABELLED for e in territory_entries(load_territory(territory))]
    entries = []
    for n in range(actors):
        for item in rng.sample(pool, k=per_actor):
            text = f"{item.description} {rng.choice(_FILLER)} ({rng.choice(_NOUNS)})"
            entries.append(InterviewEntry(f"acteur-{n:04d}", item.kind, item.category, text))
    return entries


@dataclass(frozen=True)
class Timing:
    wall_p50: float  # a first detection: no line read before (`atelier.rules.lead_cache` emptied)
    wall_max: float
    cpu_p50: float
    again_cpu_p50: float  # the same territory again with one line changed: the others already read
    leads: int


def time_detection(entries: Sequence[InterviewEntry], runs: int = 3) -> Timing:
    """The CPU time of this process says what the detection costs when the machine is shared (the wall time also
    counts waiting for a core). Timed as the leads page runs it: with the cycle collector paused
    (`atelier.memory.collector_paused`). A first detection reads every line; the page then detects again after
    each change, with the lines it has read kept (`LINES`): both are timed."""
    vocabulary, knowledge = load_vocabulary(), load_knowledge()
    detect_leads(entries[:20], vocabulary, knowledge)  # the knowledge index and the lemmatiser's tables load once
    durations, cpu, again, count = [], [], [], 0
    for run in range(runs):
        LINES.clear()
        start, start_cpu = time.perf_counter(), time.process_time()
        with collector_paused():
            count = len(detect_leads(entries, vocabulary, knowledge))
        durations.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        changed = list(entries)
        changed[run] = replace(changed[run], description=changed[run].description + " (modifié)")
        start_cpu = time.process_time()
        with collector_paused():
            detect_leads(changed, vocabulary, knowledge)
        again.append(time.process_time() - start_cpu)
    return Timing(statistics.median(durations), max(durations), statistics.median(cpu), statistics.median(again),
                  count)


# --- printing -------------------------------------------------------------------------------------------


def describe(lead: Lead, names: Mapping[str, str], labels: Mapping[str, str]) -> str:
    def who(keys: Sequence[str]) -> str:
        return ", ".join(names.get(k, k) for k in keys)

    if lead.kind is LeadKind.SUBSTITUTION:
        actors = f"{who(lead.providers)} → {who(lead.receivers)}"
    else:
        side = "besoin" if lead.entries[0].kind is EntryKind.NEED else "capacité"
        actors = f"{side} commun : {who(lead.actor_keys)}"
    head = f"[{lead.strength}] {lead.kind} · {labels.get(lead.category, lead.category)} · {actors}"
    lines = [head, f"      {lead.reason} — {' | '.join(lead.matched_words)}"]
    lines += [f"      - {names.get(e.actor_key, e.actor_key)} ({e.kind}) : {e.description}" for e in lead.entries]
    return "\n".join(lines)


def summary(report: QualityReport) -> str:
    kinds = "   ".join(f"{kind.value} P {p:.2f} R {r:.2f} ({n} proposées, {m} attendues)"
                       for kind, (p, r, n, m) in report.per_kind.items())
    return (f"Précision {report.precision:.2f}   Rappel {report.recall:.2f}   "
            f"non-pistes proposées {len(report.violations)}\n    {kinds}")


def _print_report(report: QualityReport, names: Mapping[str, str], labels: Mapping[str, str],
                  details: bool = True) -> None:
    print(f"Pistes proposées : {len(report.predicted)}   attendues : {len(report.expected)}")
    print(summary(report))
    if not details:
        return
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
    parser.add_argument("territory", nargs="?", type=Path, help="a labelled territory (default: all of tests/data)")
    parser.add_argument("expected", nargs="?", type=Path, help="its expected leads")
    parser.add_argument("--runs", type=int, default=3, help="timing runs on each synthetic territory")
    parser.add_argument("--top", type=int, default=15, help="how many demo leads to print (0: all)")
    parser.add_argument("--brief", action="store_true", help="figures only, no lists of misses")
    parser.add_argument("--stemmers", action="store_true", help="also score each French stemmer")
    parser.add_argument("--sizes", default="1000,5000", help="synthetic territory sizes to time (actors)")
    args = parser.parse_args(argv)
    if (args.territory is None) != (args.expected is None):
        parser.error("donner le territoire ET ses pistes attendues, ou aucun des deux")

    labels = {c.key: c.label for c in CategoriesFile.model_validate(_toml(CATEGORIES)).categories}
    sets = [("donné", args.territory, args.expected, False)] if args.territory else list(LABELLED)
    for name, territory_path, expected_path, tuned in sets:
        territory = load_territory(territory_path)
        names = {a.key: a.name for a in territory.actors}
        looked = "réglé en le regardant" if tuned else "PAS réglé dessus (tenu à l’écart)"
        print(f"\n== Qualité sur {territory_path.name} ({name}, {len(territory.actors)} acteurs ; {looked})")
        # A held-out set's misses and false positives are not printed: read, it would become a tuning set.
        _print_report(evaluate(territory_path, expected_path), names, labels, not args.brief and (tuned or bool(
            args.territory)))
        if args.stemmers:
            for stemmer_name in STEMMERS:
                report = evaluate(territory_path, expected_path, stemmer_name=stemmer_name)
                print(f"  racinisation « {stemmer_name} » : {summary(report)}")

    for size in (int(n) for n in args.sizes.split(",") if n.strip()):
        entries = synthetic_entries(size)
        timing = time_detection(entries, args.runs)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"\n== Temps : territoire synthétique de {size} acteurs, {len(entries)} lignes, {timing.leads} pistes")
        print(f"première détection : mur p50 {timing.wall_p50 * 1000:.0f} ms   max {timing.wall_max * 1000:.0f} ms   "
              f"CPU p50 {timing.cpu_p50 * 1000:.0f} ms ; de nouveau, une ligne changée : CPU p50 "
              f"{timing.again_cpu_p50 * 1000:.0f} ms   ({args.runs} passages, un processus ; charge de la machine "
              f"{load:.1f} pour {os.cpu_count()} cœurs)")

    demo = load_territory(DEMO_TERRITORY)
    demo_names = {a.key: a.name for a in demo.actors}
    leads = detect_leads(territory_entries(demo), load_vocabulary(), load_knowledge())
    shown = leads[: args.top] if args.top else leads
    print(f"\n== Pistes du territoire de démonstration ({demo.territory.name}) : {len(leads)}")
    for rank, lead in enumerate(shown, 1):
        print(f"{rank:>3}. " + describe(lead, demo_names, labels))
    return 0


if __name__ == "__main__":
    sys.exit(main())
