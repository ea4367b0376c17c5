"""Synergy leads (pistes) from the interviews: substitution and mutualisation. Pure: no UI, no database, no I/O.

What makes two interview lines of different actors meet, strongest first:

1. **Knowledge** (`atelier.rules.knowledge`, data in sessions/ressources.toml). A capacity *serves* the resources
   it names and their uses; a need *wants* the resources and uses it names. A substitution is a capacity serving
   what a need wants ("marc de café" serves "culture de pleurotes"), across categories; a mutualisation is two
   needs wanting the same thing, or two capacities offering the same resource. Strength: forte.
   When both lines name knowledge entries and none meet, the lines are about different things: shared words do
   not count ("copeaux d’acier" / "copeaux de bois", "pneus usagés" / "draps usés").
2. **Phrases** of the category vocabulary (sessions/categories.toml) both lines hold: forte.
3. **Context**: a generic word with what follows it ("nettoyage des locaux", "terrain de foot"): the pair counts,
   the generic word alone never does. Moyenne.
4. **Words**: content words both lines hold, stemmed (`atelier.rules.french`); generic words (collecte, déchets,
   usagés, disponible…), words saying when, how much, which state or colour, numbers and units (tonnes, heures, m³)
   never count; nor a word that only says whose or which thing (« marc *de café* ») or that each line qualifies
   differently (« filets de pêche » / « filets de volley »). Two words: moyenne; one: faible, and only within one
   category and for a substitution (one word is too little to say two actors share a need or an offer).
A knowledge link resting on a capacity's one-word aside in brackets is moyenne.

How one line is read (what it names, wants, lists, qualifies; its direction and seasons) is
`atelier.rules.lead_lines`; what two readings say together, `atelier.rules.lead_pairs`. Context rules that stop a
match: the same actor on both sides; opposite directions (a need to get rid of cartons, « que faire de… », is not
met by another actor's cartons, only by someone who takes them in); for a substitution, seasons that do not meet
("libres l’été" for a need "pour l’hiver"; two needs in turn pool well); two needs opening on different services
(a training, staff); a need for a service ON a thing (« chauffer le hangar ») met by that thing, and a service
offered on a thing (« lavage de vêtements de travail ») offering the thing; a soiled by-product (oily, chrome,
treated, pH 12) meeting a use on soil, in feed or litter; people of two trades, an offer free only at the week-end
for a need of working days (`kept_apart`); a pair of lines the facilitator dismissed, by its signature
(`Feedback`).

Leads: one substitution lead per (giving actor, receiving actor) pair, holding every line pair that matched; one
mutualisation lead per group of lines sharing a thing, groups with the same actors merged (one lead per actors and
kind), keyed by those actors (`lead_key`). Each lead carries data, not sentences: its evidence (every word and
knowledge entry that counted, entries with their French and English labels), its strength and what it rests on,
the resources named on each side and the quantities both sides gave; `atelier.rules.lead_views` words them in the
page's language. A line pair meeting on one word does not ride along a stronger link between the same actors.
Two capacities pool only on what they can do together (heat sources, roofs, equipment, teams), not on two
by-products; two needs for a by-product that someone here offers are met by that offer, not pooled
(`atelier.rules.lead_pools`).
A need met only through a use keeps its best `GIVERS_PER_NEED` givers; the others are held back (`Lead.held_back`:
not proposed, listed apart on the page). Causes and figures: docs/leads-precision-log.md.

Speed: lines are indexed by what they serve or want and by their terms; only lines sharing a key are compared, each
with its few best partners; lines the knowledge base both knows are not paired on words (`atelier.rules.lead_index`).
Lines read, pairs compared and leads built are kept across detections (`atelier.rules.lead_cache`): detecting again
after an interview reads, compares and builds only what the new lines touch.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from atelier.i18n import t
from atelier.models import Interview, KnowledgeFile
from atelier.rules.french import Quantity, stemmer
from atelier.rules.knowledge import KnowledgeEntry, KnowledgeIndex, Mention, cached_index
from atelier.rules.lead_cache import LINES, UNKNOWN, LineCache
from atelier.rules.lead_index import candidates
from atelier.rules.lead_lines import PEOPLE, EntryKind, InterviewEntry, Line
from atelier.rules.lead_pairs import (
    equipment_for,
    incidental,
    kept_apart,
    known_apart,
    other_purposes,
    other_things,
    same_service_wanted,
    served_to,
)
from atelier.rules.lead_pools import offered_elsewhere, poolable_offer, shared_things


class LeadKind(StrEnum):
    SUBSTITUTION = "substitution"
    MUTUALISATION = "mutualisation"


class Strength(StrEnum):
    STRONG = "forte"
    MEDIUM = "moyenne"
    WEAK = "faible"


_RANK = {Strength.STRONG: 3, Strength.MEDIUM: 2, Strength.WEAK: 1}
_SCORE = {Strength.STRONG: 0.9, Strength.MEDIUM: 0.7, Strength.WEAK: 0.5}


@dataclass(frozen=True)
class Evidence:
    """One thing that made two lines meet, as a person reads it."""

    kind: str  # "connaissance", "expression", "contexte" or "mot"
    text: str  # in French: "marc de café → culture de pleurotes", "chariot élévateur", "nettoyage locaux", "sciure"
    signature: str  # stable, for learning: "k:marc-de-cafe>substrat-pleurotes", "w:sciur"
    reference: str = ""  # where a knowledge entry comes from: "LER 20 01 08 ; CAFE"
    # A knowledge link as data, for a page in any language (`atelier.rules.lead_views.evidence_text`):
    relation: str = ""  # "meme" (the same resource), "sert" (the first serves the second), "cite" (listed by the need)
    names: tuple[str, ...] = ()  # the entries' French labels (or, "cite", the words of the line)
    names_en: tuple[str, ...] = ()  # their English labels


@dataclass(frozen=True)
class QuantityComparison:
    """The quantities both sides of a substitution gave, as written, and how much of the need the offer covers."""

    offer: str  # "2 t par mois"
    need: str
    percent: int | None = None  # when both are in one unit over a known period


@dataclass(frozen=True)
class Lead:
    kind: LeadKind
    category: str  # substitution: the need's category; mutualisation: the first line's
    entries: tuple[InterviewEntry, ...]  # substitution: the capacities first, then the needs
    matched_words: tuple[str, ...]  # every evidence text, strongest first (kept for exports and older views)
    score: float  # 0..1, for sorting: forte 0.9, moyenne 0.7, faible 0.5, plus how much of the lines it explains
    key: str  # stable identity from kind and actors, whatever the input order (see `lead_key`)
    strength: Strength = Strength.WEAK
    why: str = ""  # what the strength rests on: "connaissance", "expression", "contexte", "mots" or "mot"
    terms: int = 0  # how many words or phrases the strongest pair shares (for "mots")
    evidence: tuple[Evidence, ...] = ()
    offered: str = ""  # substitution: the resource as the giving side names it ("marc de café")
    wanted: str = ""  # substitution: the need as the receiving side names it ("culture de champignons")
    quantity: QuantityComparison | None = None  # when both sides give a quantity
    categories: tuple[str, ...] = ()  # every category of its lines (a lead may join two)
    promoted_like: bool = False  # one step stronger because a similar lead was promoted (see `Feedback`)
    blocked: bool = False  # not proposed: a similar lead was dismissed (see `Feedback`)…
    blocked_reason: str = ""  # …with this reason, as the facilitator wrote it
    held_back: bool = False  # not proposed: its need already has its best givers (see `GIVERS_PER_NEED`)

    @property
    def reason(self) -> str:
        """The strength with its reason, in French (exports, the idea a promoted lead becomes)."""
        return strength_reason(self, "fr")

    @property
    def quantities(self) -> str:
        """The quantities compared, in French ("" when a side gave none)."""
        return quantities_text(self, "fr")

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

    @property
    def signature(self) -> tuple[str, ...]:
        """What made it, independent of who: a dismissed lead's signature is not proposed again (`Feedback`)."""
        return tuple(sorted({e.signature for e in self.evidence}))


@dataclass(frozen=True)
class Feedback:
    """What the facilitator decided before, as per-territory matching rules (see `feedback_from`).

    `blocked`: signatures of dismissed leads, with the reason; a lead whose evidence is all blocked carries that
    reason in `Lead.blocked` and is not proposed (the page shows it apart, the bench leaves it out).
    `promoted`: signatures of promoted leads; a pair matching on one of them is one step stronger.
    """

    blocked: Mapping[str, str] = field(default_factory=dict)
    promoted: frozenset[str] = frozenset()


def feedback_from(decisions: Iterable[tuple[str, Sequence[str], str]]) -> Feedback:
    """Feedback from decided leads: (status, signature, reason) with status "ecartee" or "promue"."""
    blocked: dict[str, str] = {}
    promoted: set[str] = set()
    for status, signature, reason in decisions:
        for item in signature:
            if status == "ecartee":
                blocked.setdefault(item, reason)
            elif status == "promue":
                promoted.add(item)
    return Feedback(blocked, frozenset(promoted - set(blocked)))


def entries_of(actor_key: str, interview: Interview) -> list[InterviewEntry]:
    """The needs and capacities of one actor's interview, as detection input."""
    def entry(kind: EntryKind, item: object) -> InterviewEntry:
        return InterviewEntry(actor_key, kind, item.category, item.description, item.quantity, item.unit)  # type: ignore[attr-defined]

    return [entry(EntryKind.NEED, i) for i in interview.needs] + [entry(EntryKind.CAPACITY, i)
                                                                   for i in interview.capacities]


# --- pairs ------------------------------------------------------------------------------------------------


@dataclass(slots=True, eq=False)  # made once per compared pair and never changed: a frozen init costs a third more
class _Match:
    a: Line
    b: Line
    evidence: tuple[Evidence, ...]
    strength: Strength
    offered: str  # what the first line names that met
    wanted: str  # what the second line names that met
    learned: bool = False
    blocked: bool = False
    blocked_reason: str = ""


def _knowledge_evidence(index: KnowledgeIndex, giver: Mapping[str, Mention], served: Mapping[str, str],
                        wanted: Mapping[str, Mention]) -> list[tuple[Evidence, str, str]]:
    found = []
    for key, mention in wanted.items():
        if key not in served:
            continue
        source = index.entries[served[key]]
        offered = giver[source.key].surface if source.key in giver else source.label
        found.append((_knowledge_item(index, source, key), offered, mention.surface))
    return found


def _listed_evidence(a: Line, b: Line) -> tuple[Evidence, str, str]:
    mention = a.heads[min(b.listed & a.heads.keys())]
    evidence = Evidence("connaissance", "", f"l:{mention.entry.key}", mention.entry.reference(), "cite",
                        (mention.surface,), (mention.surface,))
    return replace(evidence, text=knowledge_text(evidence, "fr")), mention.surface, b.entry.description


def knowledge_text(evidence: Evidence, lang: str) -> str:
    """A knowledge link in words: "marc de café → culture de pleurotes", "chaleur fatale (même ressource)"."""
    names = evidence.names_en if lang == "en" and evidence.names_en else evidence.names
    if evidence.relation == "sert":
        return f"{names[0]} → {names[1]}"
    note = t("lead.same", lang) if evidence.relation == "meme" else t("lead.listed", lang)
    return f"{names[0]} ({note})"


def _knowledge_item(index: KnowledgeIndex, source: KnowledgeEntry, key: str) -> Evidence:
    """The evidence of one knowledge link, made once per pair of entries (a big territory repeats them)."""
    cached = index.evidence.get((source.key, key))
    if cached is None:
        target = index.entries[key]
        if source.key == key:
            relation, names, names_en, signature = "meme", (source.label,), (source.label_en,), f"k:{key}"
        else:
            relation, signature = "sert", f"k:{source.key}>{key}"
            names, names_en = (source.label, target.label), (source.label_en, target.label_en)
        cached = Evidence("connaissance", "", signature, _reference(index, source, target), relation, names,
                          names_en)
        cached = replace(cached, text=knowledge_text(cached, "fr"))
        index.evidence[(source.key, key)] = cached
    return cached  # type: ignore[no-any-return]


def _reference(index: KnowledgeIndex, *entries: KnowledgeEntry) -> str:
    key = tuple(e.key for e in entries)
    if key not in index.references:
        parts = (part for e in entries for part in e.reference().split(" ; ") if part)
        index.references[key] = " ; ".join(dict.fromkeys(parts))
    return index.references[key]


def _text_evidence(a: Line, b: Line, words: bool = True) -> tuple[list[Evidence], int]:
    """Phrases, contexts and (unless `words` is false) words both lines hold; the number of terms."""
    phrases = a.phrases.keys() & b.phrases.keys() if a.phrases and b.phrases else ()
    contexts = a.contexts.keys() & b.contexts.keys() if a.contexts and b.contexts else ()
    shared_words = a.words.keys() & b.words.keys() if words else ()
    if not (phrases or contexts or shared_words):
        return [], 0  # most pairs: nothing in common but a knowledge link
    evidence: list[Evidence] = []
    inside: set[str] = set()
    for term in sorted(phrases):
        evidence.append(Evidence("expression", a.phrases[term], "p:" + " ".join(term)))
        inside.update(term)
    for term in sorted(contexts):
        if not set(term) <= inside:
            evidence.append(Evidence("contexte", a.contexts[term], "c:" + " ".join(term)))
            inside.update(term)
    for term in sorted(shared_words):
        stem = term[0]
        if stem in a.details or stem in b.details:
            continue  # "marc de café" / "livraisons aux cafés" … where a thing comes from is not the thing
        if other_things(a.qualifiers.get(stem, ""), b.qualifiers.get(stem, "")):
            continue  # "filets de pêche" / "filets de volley": one word, two things
        if stem not in inside:
            evidence.append(Evidence("mot", a.words[term], "w:" + term[0]))
    return evidence, len(evidence)


def _compare(kind: LeadKind, a: Line, b: Line, index: KnowledgeIndex | None, feedback: Feedback) -> _Match | None:
    """Whether line `a` and line `b` make a lead of `kind` (for a substitution, `a` gives and `b` needs)."""
    if a.entry.actor_key == b.entry.actor_key:
        return None  # never an actor with itself
    if kind is LeadKind.MUTUALISATION and (a.takes_away != b.takes_away or (
            a.opens_on != b.opens_on and not same_service_wanted(a, b))):
        return None  # taking away and bringing in, a training and staff, are not the same need
    if kind is LeadKind.SUBSTITUTION and b.takes_away and not a.takes_away and not equipment_for(a, b):
        return None  # both have it to get rid of (a sorter or a shredder offered still meets « trier », « broyer »)
    if kind is LeadKind.SUBSTITUTION and b.objects and b.objects.keys() & a.resources.keys():
        return None  # a cold room offered does not maintain cold rooms, a hangar does not heat one
    if kind is LeadKind.SUBSTITUTION and a.seasons and b.seasons and not a.seasons & b.seasons:
        return None  # free in summer, needed in winter (two needs in turn pool well: one job all year, one tool)
    knowledge: list[tuple[Evidence, str, str]] = []
    if index is not None and not (b.service and b.service not in a.stems):
        if kind is LeadKind.SUBSTITUTION:
            knowledge = _knowledge_evidence(index, {**a.resources, **a.uses}, served_to(a, b, index), b.wants)
            if not knowledge and a.objects and b.objects:  # the same service on the same thing (washing work clothes)
                knowledge = _knowledge_evidence(index, a.objects, {k: k for k in a.objects}, b.objects)
            if not knowledge and b.listed & a.heads.keys() and not known_apart(a, b):
                # an item the need lists, named by the capacity
                knowledge = [_listed_evidence(a, b)]
            if not knowledge and a.uses:  # a service offered meets a need for who does it ("comptable")
                # Sorted: a set's order is the process's hash seed, and the lead's wording must not be.
                doing = {u: m for key, m in b.wants.items() if m.entry.category in PEOPLE
                         for u in sorted(index.entries[key].uses) if u in a.uses}
                knowledge = _knowledge_evidence(index, a.uses, {k: k for k in a.uses}, doing)
        elif a.entry.kind is EntryKind.NEED:  # the same service on the same thing pools ("livrer les restaurants")
            wanted, theirs = {**a.objects, **a.wants}, {**b.objects, **b.wants}  # what one pools on meets a want
            knowledge = _knowledge_evidence(index, wanted | a.pooled, {k: k for k in wanted | a.pooled}, theirs) \
                or _knowledge_evidence(index, wanted, {k: k for k in wanted}, b.pooled)
            if other_purposes(a, b):
                return None  # straw to mulch and straw for litter
        else:
            if a.resources or b.resources:  # two capacities: the same resource (two heat sources, two sawdusts)
                kinds = {k: v for k, v in index.served(a.resources).items() if not index.entries[k].is_use}
                knowledge = _knowledge_evidence(index, a.resources, kinds, b.resources)
            if not knowledge:  # two services offered ("nettoyage des véhicules", "entretien d'espaces verts")
                knowledge = _knowledge_evidence(index, a.uses, {k: k for k in a.uses}, b.uses)
    if kind is LeadKind.SUBSTITUTION and kept_apart(a, b, [e for e, _, _ in knowledge], index):
        return None  # apprentices in boat carpentry are none for a bakery; sanding dust is no litter
    text, count = _text_evidence(a, b, words=not knowledge)
    if knowledge:
        evidence = [e for e, _, _ in knowledge] + [e for e in text if e.kind != "mot"]
        # An offer named in passing (a need's bracketed list is what it wants: not in passing)
        in_passing = ("(" in a.entry.description or "(" in b.entry.description) and all(
            incidental(a.entry, given) or incidental(b.entry, sought) for _, given, sought in knowledge)
        strength = Strength.MEDIUM if in_passing else Strength.STRONG
        offered, wanted = knowledge[0][1], knowledge[0][2]
    elif a.named and b.named:
        return None  # the knowledge base knows both lines and they are about different things
    elif not text:
        return None
    else:
        evidence = text
        strong = any(e.kind == "expression" for e in text)
        strength = Strength.STRONG if strong else Strength.MEDIUM if count >= 2 or text[0].kind == "contexte" \
            else Strength.WEAK
        if strength is Strength.WEAK and kind is LeadKind.MUTUALISATION:
            return None  # one word is too little to say two actors need or offer the same thing
        if strength is Strength.WEAK and kind is LeadKind.SUBSTITUTION and text[0].signature[2:] in b.applied:
            return None  # « sortir les bateaux » is not met by whatever else holds boats
        if strength is Strength.WEAK and a.entry.category != b.entry.category:
            return None  # one word across two topics (« marc de café » / « livrer les cafés »): knowledge links them
        offered = wanted = text[0].text
    return _decided(_Match(a, b, tuple(evidence), strength, offered, wanted), feedback)


def _decided(match: _Match, feedback: Feedback) -> _Match:
    """The match as the facilitator's earlier decisions make it: blocked, or one step stronger. Apart from
    `_compare` so that a match kept from an earlier detection (`atelier.rules.lead_cache`) meets today's decisions."""
    if not feedback.blocked and not feedback.promoted:
        return match
    strength = match.strength
    signatures = {e.signature for e in match.evidence}
    blocked = bool(signatures) and bool(feedback.blocked) and signatures <= feedback.blocked.keys()
    blocked_reason = feedback.blocked[min(signatures)] if blocked else ""
    learned = False
    if feedback.promoted and signatures & feedback.promoted and strength is not Strength.STRONG:
        strength = Strength.STRONG if strength is Strength.MEDIUM else Strength.MEDIUM
        learned = True
    if not blocked and not learned:
        return match  # the same object: the lead it is part of may be kept (`_built`)
    return _Match(match.a, match.b, match.evidence, strength, match.offered, match.wanted, learned, blocked,
                  blocked_reason)


# --- leads ------------------------------------------------------------------------------------------------


def _entry_order(entry: InterviewEntry) -> tuple[int, str, str]:
    return (0 if entry.kind is EntryKind.CAPACITY else 1, entry.actor_key, entry.description)


def lead_key(kind: LeadKind, entries: Iterable[InterviewEntry]) -> str:
    """Stable identity: who gives to whom (a substitution) or who shares which side (a mutualisation).

    There is one lead per kind and actors (see `detect_leads`), so the key names that lead whatever lines it
    holds: a facilitator's decision stays on it when the detection improves or a line is reworded (the decision's
    snapshot keeps what the lead was). Only letters, digits and dashes (it also names the idea a promoted lead
    becomes). The store's migration 10 gives decisions stored under older keys this one (it copies this rule).
    """
    entries = list(entries)
    givers = {e.actor_key for e in entries if e.kind is EntryKind.CAPACITY}
    takers = {e.actor_key for e in entries if e.kind is EntryKind.NEED}
    return _key(kind, givers, takers, min((e.kind for e in entries), default=""))


def _key(kind: LeadKind, givers: Iterable[str], takers: Iterable[str], side: str) -> str:
    if kind is LeadKind.SUBSTITUTION:
        parts = [",".join(sorted(givers)), ",".join(sorted(takers))]
    else:
        parts = [side, ",".join(sorted({*givers, *takers}))]
    text = "\n".join([kind, *parts])
    return f"{kind}-{hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]}"


def _why(evidence: Sequence[Evidence]) -> str:
    kinds = {e.kind for e in evidence}
    for kind in ("connaissance", "expression", "contexte"):
        if kind in kinds:
            return kind
    return "mots" if len(evidence) >= 2 else "mot"


def strength_reason(lead: Lead, lang: str) -> str:
    """The strength in words with what it rests on: "forte : la base de connaissances relie …"."""
    why = t(f"lead.why.{lead.why or 'mot'}", lang, count=lead.terms)
    text = t("lead.reason", lang, strength=t(f"lead.strength.{lead.strength.value}", lang), why=why)
    return text + (t("lead.promoted_like", lang) if lead.promoted_like else "")


def _compare_quantities(giving: Sequence[Quantity], needing: Sequence[Quantity]) -> QuantityComparison | None:
    if not giving or not needing:
        return None
    offer, need = giving[0], needing[0]
    offer_year, need_year = offer.per_year(), need.per_year()
    percent = min(999, round(100 * offer_year / need_year)) if offer.unit == need.unit and offer_year and need_year \
        else None
    return QuantityComparison(offer.text, need.text, percent)


def quantities_text(lead: Lead, lang: str) -> str:
    """"offre 2 t par mois ; besoin 400 kg par semaine : l’offre couvre 96 % du besoin", or ""."""
    if lead.quantity is None:
        return ""
    text = t("lead.quantities", lang, offer=lead.quantity.offer, need=lead.quantity.need)
    if lead.quantity.percent is not None:
        text += t("lead.coverage", lang, percent=lead.quantity.percent)
    return text


def _merge_evidence(matches: Sequence[_Match]) -> tuple[Evidence, ...]:
    order = {"connaissance": 0, "expression": 1, "contexte": 2, "mot": 3}
    unique = {e.signature: e for m in matches for e in m.evidence}
    return tuple(sorted(unique.values(), key=lambda e: (order[e.kind], e.text)))


def _build(kind: LeadKind, matches: Sequence[_Match]) -> Lead:
    lines = sorted({line for m in matches for line in (m.a, m.b)}, key=lambda line: _entry_order(line.entry))
    best = max(matches, key=lambda m: (_RANK[m.strength], len(m.evidence)))
    evidence = _merge_evidence(matches)
    entries = tuple(line.entry for line in lines)
    if kind is LeadKind.SUBSTITUTION:
        category = best.b.entry.category
        quantity = _compare_quantities(best.a.amounts, best.b.amounts)
    else:
        category = best.a.entry.category
        quantity = None
    coverage = min(1.0, len(best.evidence) / min(best.a.size, best.b.size))
    score = round(_SCORE[best.strength] + 0.09 * coverage, 3)
    learned = any(m.learned for m in matches)
    blocked = all(m.blocked for m in matches)
    return Lead(
        kind, category, entries, tuple(e.text for e in evidence), score,
        _key(kind, *_actors(kind, matches), best.a.entry.kind), best.strength,
        _why(best.evidence), len(best.evidence), evidence, best.offered, best.wanted, quantity,
        tuple(sorted({line.entry.category for line in lines})), learned, blocked,
        matches[0].blocked_reason if blocked else "",
    )


def _actors(kind: LeadKind, matches: Sequence[_Match]) -> tuple[set[str], set[str]]:
    """(givers, takers) of a substitution; (actors, nobody) of a mutualisation."""
    if kind is LeadKind.SUBSTITUTION:
        return {m.a.entry.actor_key for m in matches}, {m.b.entry.actor_key for m in matches}
    return {line.entry.actor_key for m in matches for line in (m.a, m.b)}, set()


def _built(kind: LeadKind, groups: Sequence[Sequence[_Match]], kept: LineCache) -> list[Lead]:
    """The lead of each group of matches; a group of the very matches of an earlier detection, in the same order,
    made the same lead (`_build` reads nothing else), kept in `kept`."""
    keys = [(kind, *group) for group in groups]
    leads, built = [], []
    for key, group, lead in zip(keys, groups, kept.known_leads(keys), strict=True):
        if lead is UNKNOWN:
            lead = _build(kind, group)
            built.append((key, lead))
        leads.append(lead)
    kept.keep_leads(built)
    return leads  # type: ignore[return-value]


def _substitution_leads(matches: Sequence[_Match], kept: LineCache) -> list[Lead]:
    """One lead per (giving actor, receiving actor)."""
    by_pair: dict[tuple[str, str], list[_Match]] = defaultdict(list)
    for match in matches:
        by_pair[(match.a.entry.actor_key, match.b.entry.actor_key)].append(match)
    return _built(LeadKind.SUBSTITUTION, [_carrying(pair_matches) for pair_matches in by_pair.values()], kept)


def _carrying(matches: Sequence[_Match]) -> list[_Match]:
    """The line pairs that carry a lead: a pair meeting on one word does not ride along with a stronger link
    between the same actors (« sacs de jute du café vert » is not part of a waste-heat lead)."""
    strong = [m for m in matches if m.strength is not Strength.WEAK]
    return strong or list(matches)


def _mutualisation_leads(matches: Sequence[_Match], kept: LineCache) -> list[Lead]:
    """Lines sharing one thing form a group (connected through that thing); groups of the same actors merge."""
    by_thing: dict[str, list[_Match]] = defaultdict(list)
    for match in matches:
        by_thing[match.evidence[0].signature].append(match)
    groups: dict[frozenset[str], list[_Match]] = defaultdict(list)
    for thing_matches in by_thing.values():
        for component in _components(thing_matches):
            actors = frozenset(line.entry.actor_key for m in component for line in (m.a, m.b))
            groups[actors].extend(component)
    # A group whose actors are all in a bigger group of the same lines' kind is folded into it.
    ordered = sorted(groups.items(), key=lambda item: -len(item[0]))
    folded: list[tuple[frozenset[str], list[_Match]]] = []
    for actors, group in ordered:
        host = next((k for k in folded if actors < k[0] and _same_lines(group, k[1])), None)
        if host is not None:
            host[1].extend(group)
        else:
            folded.append((actors, list(group)))
    return _built(LeadKind.MUTUALISATION, [group for _, group in folded], kept)


def _same_lines(group: Sequence[_Match], host: Sequence[_Match]) -> bool:
    lines = {line for m in group for line in (m.a, m.b)}
    return lines <= {line for m in host for line in (m.a, m.b)}


def _components(matches: Sequence[_Match]) -> list[list[_Match]]:
    parent: dict[Line, Line] = {}

    def root(line: Line) -> Line:
        while parent.setdefault(line, line) is not line:
            parent[line] = parent[parent[line]]  # path halving: long chains on big territories
            line = parent[line]
        return line

    for match in matches:
        parent[root(match.a)] = root(match.b)
    components: dict[Line, list[_Match]] = defaultdict(list)
    for match in matches:
        components[root(match.a)].append(match)
    return list(components.values())


def detect_leads(
    entries: Sequence[InterviewEntry],
    vocabulary: Mapping[str, Sequence[str]],
    knowledge: KnowledgeFile | None = None,
    feedback: Feedback | None = None,
    stemmer_name: str | None = None,
    held_back: bool = False,
    lines_read: LineCache | None = None,
) -> list[Lead]:
    """Substitution and mutualisation leads among the interview lines, best first (deterministic).

    The leads held back (`GIVERS_PER_NEED`) are left out, unless `held_back`: then they follow the others, flagged
    `Lead.held_back` (the page shows them apart, a facilitator can still take one up).

    `knowledge`: the resource knowledge base (sessions/ressources.toml, read by `atelier.scenario.load_knowledge`);
    without it lines meet on words only. `feedback`: the facilitator's earlier decisions. `stemmer_name`: see
    `atelier.rules.french.STEMMERS` (the quality bench compares them). `lines_read`: where lines already read
    are kept (`atelier.rules.lead_cache`; default, the process's).
    """
    stem_with = stemmer(stemmer_name)
    index = cached_index(knowledge, stem_with) if knowledge is not None and (knowledge.uses or knowledge.resources) \
        else None
    feedback = feedback or Feedback()
    unique = sorted(set(entries), key=lambda e: (e.category, *_entry_order(e)))
    kept = LINES if lines_read is None else lines_read
    lines = kept.read(unique, index, vocabulary, stem_with)
    needs = [line for line in lines if line.entry.kind is EntryKind.NEED]
    capacities = [line for line in lines if line.entry.kind is EntryKind.CAPACITY]
    substitutions = _matches(LeadKind.SUBSTITUTION, candidates(capacities, needs, index, True), index, feedback,
                             kept)
    shared_needs = _matches(LeadKind.MUTUALISATION, candidates(needs, None, index, False), index, feedback, kept)
    shared_capacities = _matches(LeadKind.MUTUALISATION, candidates(capacities, None, index, False), index,
                                 feedback, kept)
    # Pools a facilitator proposes (see `atelier.rules.lead_pools`): offers that do something together; needs for
    # a by-product nobody here offers, or to have something taken away.
    shared_capacities = [m for m in shared_capacities
                         if poolable_offer(m.evidence, m.strength is Strength.STRONG, index)]
    offered = frozenset(key for m in substitutions for key in shared_things(m.evidence))
    shared_needs = [m for m in shared_needs if m.a.takes_away or not offered_elsewhere(m.evidence, offered, index)]
    leads = _substitution_leads(substitutions, kept)
    leads += _mutualisation_leads(shared_needs, kept) + _mutualisation_leads(shared_capacities, kept)
    proposed, held = _held_back(sorted(leads, key=lambda lead: (-lead.score, lead.kind, lead.category, lead.key)))
    return proposed + [replace(lead, held_back=True) for lead in held] if held_back else proposed


# A need met only through what resources are good for (« fertilisants organiques » ← manure, droppings, coffee
# grounds, fish waste, spent substrate…) keeps this many givers, the best first; a facilitator proposes a few
# sources for one need, not every waste that could serve it. Givers of the very resource it names are not counted.
GIVERS_PER_NEED = 3


def _held_back(leads: Sequence[Lead]) -> tuple[list[Lead], list[Lead]]:
    """(proposed, held back) of the leads, best first: past a need's `GIVERS_PER_NEED` givers through uses."""
    givers: Counter[InterviewEntry] = Counter()
    proposed, held = [], []
    for lead in leads:
        if lead.kind is LeadKind.SUBSTITUTION and not lead.blocked and lead.evidence and not any(
                e.relation == "meme" for e in lead.evidence):
            needs = [e for e in lead.entries if e.kind is EntryKind.NEED]
            if all(givers[n] >= GIVERS_PER_NEED for n in needs):
                held.append(lead)
                continue
            givers.update(needs)
        proposed.append(lead)
    return proposed, held


def _matches(kind: LeadKind, pairs: Iterable[tuple[Line, Line]], index: KnowledgeIndex | None,
             feedback: Feedback, kept: LineCache) -> list[_Match]:
    """The pairs that match; a pair of lines compared by an earlier detection is not compared again (its lines
    are the same objects while kept: `atelier.rules.lead_cache`)."""
    keys = [(kind, a, b) for a, b in pairs]
    known = kept.known_pairs(keys)
    found, compared = [], []
    for key, match in zip(keys, known, strict=True):
        if match is UNKNOWN:
            match = _compare(kind, key[1], key[2], index, _UNDECIDED)
            compared.append((key, match))
        if match is not None:
            found.append(_decided(match, feedback))  # type: ignore[arg-type]
    kept.keep_pairs(compared)
    return found


_UNDECIDED = Feedback()


__all__ = [
    "EntryKind", "Evidence", "Feedback", "InterviewEntry", "Lead", "LeadKind", "Strength", "detect_leads",
    "entries_of", "feedback_from", "lead_key",
]  # fmt: skip
