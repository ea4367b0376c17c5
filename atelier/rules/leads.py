"""Synergy leads (pistes) from the interviews: substitution and mutualisation. Pure: no UI, no database, no I/O.

How two interview lines match (same category only, different actors only):

* Each line becomes weighted *terms*: the phrases of the category vocabulary it contains ("chutes de bois",
  "chariot élévateur", matched on stems so plurals and accents do not matter) and its content words, stemmed
  (`atelier.rules.french`). Weights: vocabulary phrase of the category 0.9, vocabulary phrase of another
  category 0.6, single word of the category vocabulary 0.7, other content word 0.5, generic word 0.2.
  Generic words name the kind of exchange, not the resource ("achat groupé", "entretien", "collecte",
  "formation", "disponible", "local"): on their own they never make a match.
* The *evidence* of a pair is 1 − Π(1 − w) over the terms both lines share (a word inside a shared phrase is
  not counted twice; at most one generic word counts). A pair matches when its evidence reaches 0.6: one
  vocabulary word or phrase, two other content words, or one content word with a generic one ("entretien des
  camions"), and always at least one term that is not generic.
* Direction: a need that opens on taking something away ("collecte des cartons", "enlèvement des solvants")
  is not met by a plain offer of the same thing (both actors have cartons to give); it is met by a capacity
  that opens on taking it in ("collecte et tri des cartons", "reprise des biodéchets"). Likewise a
  mutualisation never mixes lines of opposite direction.
* The pair *score* is 0.75 × evidence + 0.25 × coverage, coverage being the shared weight over the weight of
  the shorter line (a line fully explained by the match scores higher than a long line sharing one word).

Leads are built around shared terms: the lines that match one another on a term form one lead (three actors
needing a forklift give one lead with three actors, not three pairs); a lead whose lines are all inside a bigger
lead of the same kind and category is folded into it (its words are added). A lead's score is the mean, over
its lines, of each line's best pair score inside the lead.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from atelier.models import Interview
from atelier.rules.french import (
    Word,
    content_words,
    find_phrases,
    normalise,
    phrase_key,
    stem,
    vocabulary_keys,
    word_set,
)


class LeadKind(StrEnum):
    SUBSTITUTION = "substitution"
    MUTUALISATION = "mutualisation"


class EntryKind(StrEnum):
    NEED = "besoin"
    CAPACITY = "capacite"


@dataclass(frozen=True)
class InterviewEntry:
    """One need or capacity of one actor."""

    actor_key: str
    kind: EntryKind
    category: str  # a category key
    description: str


@dataclass(frozen=True)
class Lead:
    kind: LeadKind
    category: str
    entries: tuple[InterviewEntry, ...]  # substitution: the capacities first, then the needs
    matched_words: tuple[str, ...]  # as a person reads them: "sciure", "chariot élévateur"
    score: float  # 0..1, see the module docstring
    key: str  # stable identity from kind, category and entries, whatever the input order (see `lead_key`)

    @property
    def actor_keys(self) -> tuple[str, ...]:
        return tuple(sorted({e.actor_key for e in self.entries}))

    @property
    def providers(self) -> tuple[str, ...]:
        """Substitution: the actors offering; mutualisation: all actors."""
        if self.kind is LeadKind.MUTUALISATION:
            return self.actor_keys
        return tuple(sorted({e.actor_key for e in self.entries if e.kind is EntryKind.CAPACITY}))

    @property
    def receivers(self) -> tuple[str, ...]:
        """Substitution: the actors in need; mutualisation: all actors."""
        if self.kind is LeadKind.MUTUALISATION:
            return self.actor_keys
        return tuple(sorted({e.actor_key for e in self.entries if e.kind is EntryKind.NEED}))


def entries_of(actor_key: str, interview: Interview) -> list[InterviewEntry]:
    """The needs and capacities of one actor's interview, as detection input."""
    needs = [InterviewEntry(actor_key, EntryKind.NEED, i.category, i.description) for i in interview.needs]
    capacities = [
        InterviewEntry(actor_key, EntryKind.CAPACITY, i.category, i.description) for i in interview.capacities
    ]
    return needs + capacities


# --- weights and word lists -----------------------------------------------------------------------------

PHRASE_OF_CATEGORY = 0.9
PHRASE_OF_OTHER_CATEGORY = 0.6
VOCABULARY_WORD = 0.7
CONTENT_WORD = 0.5
GENERIC_WORD = 0.2
MATCH_EVIDENCE = 0.6

# The kind of exchange rather than the resource exchanged; words every line of a category shares (eau, déchet,
# salarié); seasons and sizes. Written plainly, stemmed when the module loads.
_GENERIC = """
    achat groupe groupement commande besoin disponible disponibilite ponctuel ponctuellement regulier
    partage partager mutualise mutualiser mutualisation commun service prestation prestataire acces offre
    location louer louable pret preter local produit usage entretien maintenance reparation formation
    recrutement recruter collecte tri recyclage valorisation reemploi recuperation recuperer
    eau energie transport logistique emploi materiel equipement dechet salarie temps
    ete hiver printemps automne petit grand gros semaine mois annee jour journee
    entreprise professionnel acteur territoire zone activite structure solution projet
    moindre cout prix reduire bon etat libre possible
    """
GENERIC_STEMS = frozenset(stem(w) for w in word_set(_GENERIC))
GENERIC_PHRASES = frozenset(
    phrase_key(p)
    for p in (
        "achat groupé", "achats groupés", "commande groupée", "temps partagé", "emploi partagé", "service partagé",
        "prêt de matériel", "zone d’activités",
    )
)  # fmt: skip

# A need holding one of these words wants something taken away; a capacity holding one takes something in.
_TAKE_AWAY = word_set(
    """
    collecte collecter enlevement enlever evacuation evacuer debarrasser detourner eliminer
    elimination reprise reprendre compostage composter traitement traiter tri trier recyclage recycler
    valorisation valoriser broyage
    """
)
# In a capacity these words mean "I have it to give away", not "I take it in".
_GIVE_AWAY = word_set("evacuer evacuation debarrasser detourner eliminer elimination")


# --- analysis of one line -------------------------------------------------------------------------------

Term = tuple[str, ...]  # the stems of a phrase, or one stem


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per input line
class _Line:
    entry: InterviewEntry
    weights: dict[Term, float]
    surfaces: dict[Term, str]
    takes_away: bool  # direction: see the module docstring
    total: float  # the weight of the whole line, for coverage
    identity: str  # what the lead key is made of

    @property
    def significant(self) -> set[Term]:
        return {t for t, w in self.weights.items() if w >= CONTENT_WORD}


def _analyse(entry: InterviewEntry, vocab: dict[str, dict[Term, str]], phrases: set[Term]) -> _Line:
    own = vocab.get(entry.category, {})
    words = content_words(entry.description)
    weights: dict[Term, float] = {}
    surfaces: dict[Term, str] = {}
    for found in find_phrases(entry.description, words, phrases):
        weight = PHRASE_OF_CATEGORY if found.key in own else PHRASE_OF_OTHER_CATEGORY
        weights[found.key] = GENERIC_WORD if found.key in GENERIC_PHRASES else weight
        surfaces.setdefault(found.key, own.get(found.key, found.surface))
    for word in words:
        term = (word.stem,)
        weights[term] = max(_word_weight(term, own), weights.get(term, 0.0))
        surfaces.setdefault(term, own.get(term, word.surface))
    markers = _TAKE_AWAY - _GIVE_AWAY if entry.kind is EntryKind.CAPACITY else _TAKE_AWAY
    total = sum(weights[t] for t in _counted(weights))
    return _Line(entry, weights, surfaces, _leads_with(words, markers), total, _identity(entry))


def _leads_with(words: Sequence[Word], markers: frozenset[str]) -> bool:
    """Whether the line opens on one of `markers`, generic words aside ("Collecte régulière des cartons").

    Further in, such a word is a detail ("saisonniers pour le tri des sciages"), not the direction of the line.
    """
    for word in words:
        if word.norm in markers:
            return True
        if word.stem not in GENERIC_STEMS:
            return False
    return False


def _word_weight(term: Term, own: Mapping[Term, str]) -> float:
    if term[0] in GENERIC_STEMS:
        return GENERIC_WORD
    return VOCABULARY_WORD if term in own else CONTENT_WORD


def _counted(terms: Iterable[Term]) -> list[Term]:
    """Terms without the single words already inside one of the phrases."""
    terms = list(terms)
    inside = {s for t in terms if len(t) > 1 for s in t}
    return [t for t in terms if len(t) > 1 or t[0] not in inside]


@dataclass(frozen=True)
class _Pair:
    a: _Line
    b: _Line
    terms: frozenset[Term]  # the significant shared terms
    score: float


def _pair(a: _Line, b: _Line) -> _Pair | None:
    shared = {t: min(a.weights[t], b.weights[t]) for t in _counted(a.weights.keys() & b.weights.keys())}
    significant = frozenset(t for t, w in shared.items() if w >= CONTENT_WORD)
    if not significant:
        return None
    generic = max((w for t, w in shared.items() if t not in significant), default=0.0)  # one at most
    evidence = 1 - (1 - generic) * math.prod(1 - shared[t] for t in significant)
    if evidence < MATCH_EVIDENCE:
        return None
    coverage = min(1.0, sum(shared.values()) / min(a.total, b.total))
    return _Pair(a, b, significant, round(0.75 * evidence + 0.25 * coverage, 3))


def _compatible(kind: LeadKind, a: _Line, b: _Line) -> bool:
    if a.entry.actor_key == b.entry.actor_key:
        return False  # never an actor with itself
    if kind is LeadKind.MUTUALISATION:
        return a.takes_away == b.takes_away
    capacity, need = a, b  # a substitution pair is always (capacity, need)
    return not (need.takes_away and not capacity.takes_away)


# --- pairs, then leads ----------------------------------------------------------------------------------


def _candidate_pairs(left: Sequence[_Line], right: Sequence[_Line] | None) -> Iterable[tuple[_Line, _Line]]:
    """Pairs sharing at least one significant term (an inverted index avoids comparing everything)."""
    index: dict[Term, list[int]] = defaultdict(list)
    others = left if right is None else right
    for j, line in enumerate(others):
        for term in line.significant:
            index[term].append(j)
    for i, line in enumerate(left):
        seen: set[int] = set()
        for term in line.significant:
            seen.update(j for j in index[term] if right is not None or j > i)
        for j in sorted(seen):
            yield line, others[j]


def _pairs(kind: LeadKind, left: Sequence[_Line], right: Sequence[_Line] | None) -> list[_Pair]:
    pairs = []
    for a, b in _candidate_pairs(left, right):
        if _compatible(kind, a, b):
            pair = _pair(a, b)
            if pair is not None:
                pairs.append(pair)
    return pairs


@dataclass
class _Group:
    lines: frozenset[_Line]
    terms: set[Term]
    pairs: set[_Pair]


def _groups(kind: LeadKind, pairs: Sequence[_Pair]) -> list[_Group]:
    """One group per shared term; identical groups merged, groups inside a bigger one folded into it."""
    by_term: dict[Term, list[_Pair]] = defaultdict(list)
    for pair in pairs:
        for term in pair.terms:
            by_term[term].append(pair)
    merged: dict[frozenset[_Line], _Group] = {}
    for term, term_pairs in by_term.items():
        parts = [p for component in _components(term_pairs) for p in _split_if_both_sides(kind, component)]
        for part in parts:
            lines = frozenset(line for p in part for line in (p.a, p.b))
            group = merged.setdefault(lines, _Group(lines, set(), set()))
            group.terms.add(term)
            group.pairs.update(part)
    groups = sorted(merged.values(), key=lambda g: -len(g.lines))
    kept: list[_Group] = []
    for group in groups:
        hosts = [k for k in kept if group.lines < k.lines]
        for host in hosts:
            host.terms.update(group.terms)
            host.pairs.update(group.pairs)
        if not hosts:
            kept.append(group)
    return kept


def _components(pairs: Iterable[_Pair]) -> list[list[_Pair]]:
    """The pairs sharing a term, cut into connected groups: two unrelated "bois" pairs make two leads."""
    parent: dict[_Line, _Line] = {}

    def root(line: _Line) -> _Line:
        while parent.setdefault(line, line) is not line:
            line = parent[line]
        return line

    pairs = list(pairs)
    for pair in pairs:
        parent[root(pair.a)] = root(pair.b)
    components: dict[_Line, list[_Pair]] = defaultdict(list)
    for pair in pairs:
        components[root(pair.a)].append(pair)
    return list(components.values())


def _split_if_both_sides(kind: LeadKind, pairs: list[_Pair]) -> list[list[_Pair]]:
    """A substitution where an actor would both give and receive is cut into one lead per capacity."""
    if kind is LeadKind.MUTUALISATION:
        return [pairs]
    givers = {p.a.entry.actor_key for p in pairs}
    takers = {p.b.entry.actor_key for p in pairs}
    if not givers & takers:
        return [pairs]
    per_capacity: dict[_Line, list[_Pair]] = defaultdict(list)
    for pair in pairs:
        per_capacity[pair.a].append(pair)
    return list(per_capacity.values())


def _entry_order(entry: InterviewEntry) -> tuple[int, str, str]:
    return (0 if entry.kind is EntryKind.CAPACITY else 1, entry.actor_key, entry.description)


def lead_key(kind: LeadKind, category: str, entries: Iterable[InterviewEntry]) -> str:
    """Stable identity: the same kind, category and lines give the same key, in any order.

    Only letters, digits and dashes (it also names the idea a promoted lead becomes). Rewording a line of the
    lead gives a new key: the facilitator's decision was about the old wording.
    """
    return _key(kind, category, [_identity(e) for e in entries])


def _identity(entry: InterviewEntry) -> str:
    return f"{entry.kind}|{entry.actor_key}|{normalise(' '.join(entry.description.split()))}"


def _key(kind: LeadKind, category: str, identities: Iterable[str]) -> str:
    text = "\n".join([kind, category, *sorted(identities)])
    return f"{kind}-{hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]}"


def _lead(kind: LeadKind, category: str, group: _Group) -> Lead:
    best: dict[_Line, float] = defaultdict(float)
    for pair in group.pairs:
        for line in (pair.a, pair.b):
            best[line] = max(best[line], pair.score)
    lines = sorted(group.lines, key=lambda line: _entry_order(line.entry))
    entries = tuple(line.entry for line in lines)
    weight = {t: max(line.weights.get(t, 0.0) for line in lines) for t in group.terms}
    terms = sorted(_counted(group.terms), key=lambda t: (-weight[t], _surface(t, lines)))
    words = tuple(dict.fromkeys(_surface(t, lines) for t in terms))
    score = round(sum(best.values()) / len(best), 3)
    return Lead(kind, category, entries, words, score, _key(kind, category, (line.identity for line in lines)))


def _surface(term: Term, lines: Sequence[_Line]) -> str:
    return next(line.surfaces[term] for line in lines if term in line.surfaces)


def detect_leads(entries: Sequence[InterviewEntry], vocabulary: Mapping[str, Sequence[str]]) -> list[Lead]:
    """Substitution and mutualisation leads among the interview lines, best score first (deterministic)."""
    vocab = vocabulary_keys(vocabulary)
    phrases = {key for keyed in vocab.values() for key in keyed if len(key) > 1}
    unique = sorted(set(entries), key=lambda e: (e.category, *_entry_order(e)))
    lines_by: dict[tuple[str, EntryKind], list[_Line]] = defaultdict(list)
    for entry in unique:
        lines_by[(entry.category, entry.kind)].append(_analyse(entry, vocab, phrases))
    leads: list[Lead] = []
    for category in sorted({e.category for e in unique}):
        needs = lines_by[(category, EntryKind.NEED)]
        capacities = lines_by[(category, EntryKind.CAPACITY)]
        relations = [
            (LeadKind.SUBSTITUTION, _pairs(LeadKind.SUBSTITUTION, capacities, needs)),
            (LeadKind.MUTUALISATION, _pairs(LeadKind.MUTUALISATION, needs, None)),
            (LeadKind.MUTUALISATION, _pairs(LeadKind.MUTUALISATION, capacities, None)),
        ]
        for kind, pairs in relations:
            leads.extend(_lead(kind, category, g) for g in _groups(kind, pairs))
    return sorted(leads, key=lambda lead: (-lead.score, lead.kind, lead.category, lead.key))


__all__ = ["EntryKind", "InterviewEntry", "Lead", "LeadKind", "detect_leads", "entries_of", "lead_key"]
