"""Suggested groupings of similar ideas for the facilitator, from the French matching of the interviews.

The rule, as the console explains it: two ideas are alike when they share at least two meaningful words (title or
details, compared by stem: "broyeurs" meets "broyeur", "végétaux" meets "vegetaux"), or when their titles share a
word that heads one of them and covers at least half of the shorter title ("Covoiturage domicile-travail" /
"Covoiturage entre entreprises"). Words every workshop uses ("partager", "commun", "mutualiser"...) and words found
in more than a fifth of the ideas do not count: they do not tell two ideas apart. A suggestion gathers ideas that
are all alike two by two (no chains), at most MAX_SIZE, strongest pairs first. Only public helpers of `french`
(`normalise`, `is_content`, `stem`) are used.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from atelier.rules.french import is_content, normalise, stem, word_set

MAX_SIZE = 6  # a bigger pile is a category, not a grouping
TITLE_WEIGHT = 1.0
DETAILS_WEIGHT = 0.5  # a word only in the details says less about what the idea is
MIN_SCORE = 2.0
COMMON_SHARE = 0.2  # a word in more than this share of the ideas does not distinguish them...
COMMON_MIN = 6  # ...once it is in at least this many

# Words of any pooling workshop: nearly every idea says it, so sharing them means nothing.
GENERIC = frozenset(stem(normalise(w)) for w in word_set("""
    mutualiser mutualisation mutualisé partager partage partagé commun communs commune ensemble collectif
    créer création mettre place projet territoire idée besoin entreprise entreprises acteur acteurs
    développer développement local locale améliorer
    """))


@dataclass(frozen=True)
class IdeaText:
    id: int
    title: str
    details: str = ""


@dataclass(frozen=True)
class Suggestion:
    idea_ids: tuple[int, ...]  # in the order given (the console gives newest first)
    words: tuple[str, ...]  # the shared words as written, most shared first

    @property
    def key(self) -> str:
        """Names the suggestion for a dismissal: the same ideas make the same key, a new idea a new one."""
        return "-".join(map(str, sorted(self.idea_ids)))


_WORD = re.compile(r"[^\W_]+")


@functools.lru_cache(maxsize=4096)
def _words(text: str) -> tuple[tuple[str, str], ...]:
    """(stem, word as written) of each content word; cached because the console recomputes on every change.

    Only `normalise`, `is_content` and `stem` of `french` are used, so its other matching may change freely.
    """
    found = []
    for match in _WORD.finditer(text):
        for norm in normalise(match.group()).split():
            if is_content(norm):
                found.append((stem(norm), match.group().lower()))
    return tuple(found)


def _stems(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for s, surface in _words(text):
        if s not in GENERIC:
            found.setdefault(s, surface)
    return found


def similarity(title_a: set[str], all_a: set[str], title_b: set[str], all_b: set[str],
               heads: tuple[str | None, str | None] = (None, None)) -> float:
    """The score of two ideas (0 when not alike): shared title words count 1, shared details words 0.5.

    A shared title word that heads one of the titles (a French title starts with what it is about: "Covoiturage
    …", "Broyeur …") and covers half of the shorter title makes the pair alike by itself.
    """
    shared_titles = title_a & title_b
    shared_rest = (all_a & all_b) - shared_titles
    score = TITLE_WEIGHT * len(shared_titles) + DETAILS_WEIGHT * len(shared_rest)
    shorter = min(len(title_a), len(title_b))
    headed = any(h in shared_titles for h in heads if h)
    if headed and shorter and len(shared_titles) / shorter >= 0.5:
        score = max(score, MIN_SCORE)
    return score if score >= MIN_SCORE else 0.0


def suggest_groupings(ideas: Sequence[IdeaText], dismissed: frozenset[str] = frozenset()) -> list[Suggestion]:
    """Groups of alike ideas, largest first; a suggestion whose key is in `dismissed` is left out."""
    titles = {i.id: _stems(i.title) for i in ideas}
    everything = {i.id: {**titles[i.id], **{s: w for s, w in _stems(i.details).items() if s not in titles[i.id]}}
                  for i in ideas}  # title words first, as written in the title
    frequency = Counter(s for words in everything.values() for s in words)
    too_common = {s for s, n in frequency.items() if n >= COMMON_MIN and n > COMMON_SHARE * len(ideas)}
    title_sets = {i: set(w) - too_common for i, w in titles.items()}
    heads = {i: next((s for s in w if s not in too_common), None) for i, w in titles.items()}
    all_sets = {i: set(w) - too_common for i, w in everything.items()}

    # Only pairs sharing a word are compared: an index from word to ideas, not 45,000 pairs for 300 ideas.
    by_word: defaultdict[str, list[int]] = defaultdict(list)
    for idea_id, words in all_sets.items():
        for word in words:
            by_word[word].append(idea_id)
    candidates = {(a, b) for ids in by_word.values() for n, a in enumerate(ids) for b in ids[n + 1:]}
    pairs = []
    for a, b in candidates:
        score = similarity(title_sets[a], all_sets[a], title_sets[b], all_sets[b], (heads[a], heads[b]))
        if score:
            pairs.append((score, a, b))
    alike = {(a, b) for _, a, b in pairs} | {(b, a) for _, a, b in pairs}
    pairs.sort(key=lambda p: (-p[0], min(p[1], p[2]), max(p[1], p[2])))

    group_of: dict[int, list[int]] = {}
    for _, a, b in pairs:  # strongest pairs first; two piles join only while small and every pair in them alike
        ga, gb = group_of.get(a, [a]), group_of.get(b, [b])
        if ga is gb or len(ga) + len(gb) > MAX_SIZE or any((x, y) not in alike for x in ga for y in gb):
            continue
        joined = ga + gb
        for idea_id in joined:
            group_of[idea_id] = joined
    order = {i.id: n for n, i in enumerate(ideas)}
    groups = {id(g): g for g in group_of.values()}.values()
    suggestions = []
    for group in groups:
        ids = tuple(sorted(group, key=order.__getitem__))
        counts = Counter(s for i in ids for s in all_sets[i])
        in_order = list(dict.fromkeys(s for i in ids for s in everything[i]))  # as read, for a stable order
        shared = sorted((s for s in in_order if counts[s] >= 2), key=lambda s: -counts[s])
        surface: dict[str, str] = {}
        for i in ids:
            for s, w in everything[i].items():
                surface.setdefault(s, w)
        suggestion = Suggestion(ids, tuple(surface[s] for s in shared[:4]))
        if suggestion.key not in dismissed:
            suggestions.append(suggestion)
    suggestions.sort(key=lambda s: (-len(s.idea_ids), order[s.idea_ids[0]]))
    return suggestions
