"""The resource knowledge base, indexed for matching interview lines. Pure: the file is read by `atelier.scenario`.

A line *mentions* a knowledge entry when the stems of one of its phrasings appear as consecutive content words of
the line (stop words between them do not count: "litière pour les chevaux" holds "litière … chevaux"). Among
overlapping mentions the longest wins ("produits laitiers" is not the blast-furnace "laitier"; "palettes cassées"
is not "palettes en bon état"). A use that only completes the noun before it ("lavage des camions *de
livraison*") is a detail of that noun, not a second thing the line is about.

A capacity *serves* what its resources are and what they are good for (their uses); a need *wants* the resources
and uses it mentions. A substitution is where the two meet, whatever their categories.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from atelier.models import KnowledgeFile
from atelier.rules.french import UNIT_WORDS, StemFunction, Word, normalise, phrase_key, stemmer, tokens


@dataclass(frozen=True)
class KnowledgeEntry:
    key: str
    label: str  # how a person reads it: the first phrasing
    category: str
    is_use: bool  # a use (a need as written), or a resource one can offer
    uses: frozenset[str]  # resources only: the uses (or other resources) it can serve
    waste_code: str  # European List of Waste code, when the resource is a waste
    sources: tuple[str, ...]
    label_en: str = ""  # how a person reads it in English (the file's `en`; the French label when missing)
    hazardous: bool = False  # a hazardous waste (starred in the List of Waste): collected by an approved collector

    def reference(self) -> str:
        """Where the entry comes from, briefly: "LER 20 01 08 ; CAFE"."""
        parts = [f"LER {self.waste_code}"] if self.waste_code else []
        return " ; ".join(parts + [s for s in self.sources if s != "LER"])


@dataclass(frozen=True)
class Mention:
    entry: KnowledgeEntry
    first: int  # index of its first and last word in the line's content words
    last: int
    surface: str  # as written in the line


_ELISION = re.compile(r"\b\w['’]")  # "l’", "d’": an elided article, never a unit (l = litres)
_COMPLEMENT = re.compile(r"^\s*(de|des|du|d['’]|de\s+la|de\s+l['’])\s*$", re.IGNORECASE)


class KnowledgeIndex:
    """The entries of a knowledge file, keyed by the stems of their phrasings (for one stemmer)."""

    def __init__(self, knowledge: KnowledgeFile, stem_with: StemFunction | None = None) -> None:
        self.stem_with = stem_with or stemmer()
        self.entries: dict[str, KnowledgeEntry] = {}
        for use in knowledge.uses:
            self.entries[use.key] = KnowledgeEntry(use.key, use.phrases[0], use.category, True, frozenset(), "",
                                                   tuple(use.sources), use.label_en)
        for res in knowledge.resources:
            self.entries[res.key] = KnowledgeEntry(res.key, res.names[0], res.category, False, frozenset(res.uses),
                                                   res.waste_code, tuple(res.sources), res.label_en, res.hazardous)
        self.sources = dict(knowledge.sources)
        self.references: dict[tuple[str, ...], str] = {}  # evidence references, written once per pair of entries
        self.evidence: dict[tuple[str, str], object] = {}  # the leads' evidence of a link, made once (leads.py)
        self._served: dict[frozenset[str], dict[str, str]] = {}
        phrasings: list[tuple[str, str]] = [(r.key, n) for r in knowledge.resources for n in r.names]
        named = {phrase_key(n, self.stem_with) for _, n in phrasings}
        # A use phrased like a resource's name ("chariot élévateur" for handling) would make a need for that thing
        # a need for anything serving the use: the thing's name is the resource's only.
        phrasings += [(u.key, p) for u in knowledge.uses for p in u.phrases
                      if phrase_key(p, self.stem_with) not in named]
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        labels: dict[str, str] = {}
        for key, phrase in phrasings:
            if any(t in UNIT_WORDS for t in tokens(_ELISION.sub(" ", phrase))):  # "l’abri" holds no litre
                continue  # "tonne à lisier" would be read as "lisier": units never count, so such a name cannot
            stems = phrase_key(phrase, self.stem_with)
            if stems and (stems, key) not in self._by_first[stems[0]]:
                self._by_first[stems[0]].append((stems, key))
                labels.setdefault(key, phrase)
        for key, label in labels.items():  # an entry reads as its first phrasing in use
            entry = self.entries[key]
            self.entries[key] = replace(entry, label=label, label_en=entry.label_en or label)
        for candidates in self._by_first.values():
            candidates.sort(key=lambda c: -len(c[0]))

    def __len__(self) -> int:
        return len(self.entries)

    def mentions(self, text: str, words: Sequence[Word]) -> list[Mention]:
        """The entries a line is about (see the module docstring for longest match and complements)."""
        found: list[Mention] = []
        stems = [w.stem for w in words]
        for i, first in enumerate(stems):
            for key_stems, key in self._by_first.get(first, ()):
                if tuple(stems[i : i + len(key_stems)]) == key_stems:
                    last = i + len(key_stems) - 1
                    found.append(Mention(self.entries[key], i, last, text[words[i].start : words[last].end]))
        kept = [m for m in found if not any(_inside(m, o) for o in found)]
        kept.sort(key=lambda m: (m.first, -m.last))
        result: list[Mention] = []
        for mention in kept:
            before = [m for m in result if m.last == mention.first - 1]
            start = words[mention.first].start
            between = text[words[mention.first - 1].end : start] if mention.first else ""
            if before and mention.entry.is_use and _COMPLEMENT.match(between):
                continue  # "camions de livraison": the delivery only says which lorries
            if _qualifies(text, words, mention, result):
                continue
            result.append(mention)
        return result

    def served(self, keys: Iterable[str]) -> dict[str, str]:
        """What resources serve: each resource itself and its uses, with the resource that serves it."""
        keys = frozenset(keys)
        if keys in self._served:
            return self._served[keys]
        served: dict[str, str] = {}
        self._served[keys] = served
        for key in sorted(keys):
            served.setdefault(key, key)
            for use in self.entries[key].uses:
                served.setdefault(use, key)
        return served


# "X à Y" with no article: Y says what kind of X ("tonne à lisier", "four à bois", "bac à compost").
_A_NOUN = re.compile(r"[^\W\d_]{3,}\s+(à|a)\s*$", re.IGNORECASE)
# Ends on "de", "des", "du", "d’", "de la", "de l’": a noun complement follows.
_DE = re.compile(r"\b(de|des|du|d['’]|de\s+la|de\s+l['’])\s*$", re.IGNORECASE)
# A clause break or a purpose: what follows is a new thing, not a complement of what came before.
_BREAK = re.compile(r"[,;:.()?!]|\b(pour|afin|comme|avec|ou)\b", re.IGNORECASE)
# A past participle right after its noun qualifies it ("local chauffé", "bois séché"): not a use wanted.
_PARTICIPLE = re.compile(r"[^\W\d_]{2,}(é|ée|és|ées)$", re.IGNORECASE)
# "X en Y", Y a material: what X is made of ("poches en plastique", "palettes en bois"); X is the thing. ("en camion
# frigorifique" is how, and stays.)
_EN_NOUN = re.compile(r"[^\W\d_]{3,}\s+en\s*$", re.IGNORECASE)
# Heads whose complement is what the line is about: a service applied to a thing ("collecte des plastiques").
_SERVICE_HEADS = frozenset({"services-partages"})
# Nouns of action: their complement is their object ("collecte, prétri et valorisation des plastiques").
_ACTIONS_TEXT = (
    "collecte ramassage enlèvement reprise tri prétri valorisation recyclage traitement nettoyage lavage entretien "
    "réparation maintenance location transport livraison stockage broyage compostage formation accompagnement "
    "gestion élimination évacuation récupération vente achat conseil"
)
_ACTIONS = frozenset(normalise(w) for w in _ACTIONS_TEXT.split())


def _qualifies(text: str, words: Sequence[Word], mention: Mention, kept: Sequence[Mention]) -> bool:
    """Whether `mention` only says which or what kind of thing an earlier noun of the line is.

    "pneus usagés de voitures et de tracteurs" offers tyres, not tractors; "épandeur à fumier et tonne à lisier"
    offers spreaders, not slurry; "formation CACES des conducteurs d’engins" is a training, not drivers; "local
    chauffé" wants premises, not heating; "pourraient loger des saisonniers" offers housing, not staff; "studios
    meublés" offers studios, not furniture; "poches en plastique" are bags (what they are made of is a detail). A
    service keeps its object ("collecte des plastiques").
    """
    start = words[mention.first].start
    participle = (mention.first > 0 and mention.first == mention.last and _PARTICIPLE.fullmatch(mention.surface)
                  is not None and not text[words[mention.first - 1].end : start].strip())
    if mention.entry.is_use:  # "bois à brûler": what follows "à" is then a purpose
        return participle
    made_of = mention.entry.category == "matieres-dechets" and _EN_NOUN.search(text[:start]) is not None
    if participle or made_of or _A_NOUN.search(text[:start]):
        return True  # "studios meublés" offers studios, not furniture
    if not _DE.search(text[:start]):
        return False
    for head in reversed(kept):
        between = text[words[head.last].end : start]
        if _BREAK.search(between) and not _complements(between):
            return False
        # The object of a service is what the line is about; what a thing or a use ("loger des saisonniers" is
        # housing, not staff) applies to is a detail of it.
        return not (normalise(head.surface.split()[0].strip(",")) in _ACTIONS or head.entry.category in _SERVICE_HEADS)
    return False


# A chain of noun complements: « des cantines, de l’hôpital et des » (whose biowaste), with nothing else between.
_CHAIN_PART = re.compile(r"\s*(de|des|du|d['’]|de\s+la|de\s+l['’])\s*[^\W\d_][^,;:.()?!]*", re.IGNORECASE)
_CHAIN_SEP = re.compile(r",|\bet\b|\bou\b", re.IGNORECASE)


def _complements(between: str) -> bool:
    """Whether the text between a noun and a later mention is a list of its complements (« biodéchets *des
    cantines, de l’hôpital et des* restaurants »): the restaurants then say whose biowaste, as the first complement
    does. A purpose, a bracket or a clause break ends the chain."""
    parts = _CHAIN_SEP.split(between)
    if re.search(r"[;:.()?!]|\b(pour|afin|comme|avec)\b", between, re.IGNORECASE) or len(parts) < 2:
        return False
    return _CHAIN_PART.fullmatch(parts[0]) is not None and all(
        _CHAIN_PART.fullmatch(p) is not None for p in parts[1:-1]) and _DE.search(parts[-1]) is not None


def _inside(mention: Mention, other: Mention) -> bool:
    """Whether `mention` lies within a strictly longer mention `other`."""
    return (other.first <= mention.first and mention.last <= other.last
            and (other.last - other.first) > (mention.last - mention.first))


_INDEXES: dict[tuple[int, StemFunction], tuple[KnowledgeFile, KnowledgeIndex]] = {}


def cached_index(knowledge: KnowledgeFile, stem_with: StemFunction) -> KnowledgeIndex:
    """One index per loaded knowledge file and stemmer: building it stems some 1,500 phrasings (about 20 ms).

    Keyed by the file object's identity (a reloaded file is a new object); the file is kept with its index so
    the identity is not reused while the entry lives. A few entries at most: one per load of the file.
    """
    key = (id(knowledge), stem_with)
    if key not in _INDEXES:
        if len(_INDEXES) >= 8:
            _INDEXES.pop(next(iter(_INDEXES)))
        _INDEXES[key] = (knowledge, KnowledgeIndex(knowledge, stem_with))
    return _INDEXES[key][1]
