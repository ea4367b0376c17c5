"""Which pairs of interview lines the lead detection compares (`atelier.rules.leads`): an index by key. Pure.

A line's keys are what it serves (a capacity giving) or wants (a need), the knowledge entries it names, its
phrases, contexts and significant words (`keys_of`). Only lines sharing a key are compared, each with its
`MAX_PARTNERS` best partners (the most keys in common, the first lines on a tie); a word held by too many lines
is no key, and a key held by very many lines is read through a window moving with the line (`WIDE_KEY_LINES`), so
the work grows with the territory, not with its square.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from atelier.rules.knowledge import KnowledgeIndex
from atelier.rules.lead_lines import PEOPLE, EntryKind, Line


def keys_of(line: Line, giving: bool, index: KnowledgeIndex | None) -> frozenset[str]:
    """Index keys: what the line serves (giving) or wants, and its terms. Computed once per line and side (a line
    analysed with an index is only ever used with that index; a cached line keeps them for the next detection)."""
    found = line.index_keys.get(giving)
    if found is None:
        found = line.index_keys[giving] = frozenset(_keys_of(line, giving, index))
    return found


def _keys_of(line: Line, giving: bool, index: KnowledgeIndex | None) -> set[str]:
    keys: set[str] = set()
    if index is not None:
        if line.entry.kind is EntryKind.NEED:
            keys |= {"k:" + k for k in line.wants}
            if not giving:
                keys |= {"k:" + k for k in (*line.objects, *line.pooled)}
            keys |= {"k:" + u for k, m in line.wants.items() if m.entry.category in PEOPLE
                     for u in index.entries[k].uses}
        else:
            keys |= {"k:" + k for k in (index.served(line.resources) if giving else line.resources)}
            keys |= {"k:" + k for k in line.objects}  # a service on a thing meets the same service on it
            keys |= {"k:" + k for k in line.uses}
            if not giving:  # two capacities meet on a resource or one it is a kind of (crates are wood)
                keys |= {"k:" + k for k in index.served(line.resources) if not index.entries[k].is_use}
        keys |= {"h:" + stem for stem in (line.listed or line.heads)}  # an item a need lists, a resource's head
    keys |= {"t:" + " ".join(t) for t in (*line.phrases, *line.contexts)}
    keys |= {"w:" + t[0] for t in line.words}
    return keys


# A single word shared by more lines than this says little (it is a filler of the territory, not a resource):
# it is not used to find candidate pairs. Knowledge entries, phrases and contexts always are.
COMMON_WORD_LINES = 40
# On a big territory one line can share a key with hundreds of others (every "palettes"): each line is compared
# with the partners sharing the most keys with it, at most this many. A territory of a few dozen actors never
# reaches it; a thousand actors stay under a second.
MAX_PARTNERS = 8
# A key held by more lines than this (5,000 actors all wanting "litière") is looked at through a window of that
# many lines, moving with the line, so the work grows with the territory, not with its square. Never reached by
# a territory of a few hundred actors.
WIDE_KEY_LINES = 96


def _window(found: list[int], low: int, i: int) -> list[int]:
    """The lines of one key from index `low` on (within one list, only the partners after this line; the indexes
    ascend), at most `WIDE_KEY_LINES` of them, from a place that moves with line `i`. Never copies the whole list."""
    count = len(found) - low
    if count <= WIDE_KEY_LINES:
        return found[low:] if low else found
    start = low + (i * WIDE_KEY_LINES) % count
    end = start + WIDE_KEY_LINES
    return found[start:end] if end <= len(found) else found[start:] + found[low : low + end - len(found)]


def candidates(left: Sequence[Line], right: Sequence[Line] | None, index: KnowledgeIndex | None,
               substitution: bool) -> Iterable[tuple[Line, Line]]:
    """Pairs sharing at least one key; `right` None: pairs within `left`. Each line of `left` comes with its
    partners in the order of `right` (or `left`)."""
    others = left if right is None else right
    by_key: dict[str, list[int]] = defaultdict(list)
    # Two lines the knowledge base both knows meet through it or not at all (see `_compare`): their shared words
    # are no reason to compare them. Words and phrases are indexed apart for the lines it does not know.
    unknown: dict[str, list[int]] = defaultdict(list)
    others_keys = [keys_of(line, False, index) for line in others]
    for j, line in enumerate(others):
        keys = others_keys[j]
        for key in keys:
            by_key[key].append(j)
        if not line.named:
            for key in keys:
                if key[0] in "tw":
                    unknown[key].append(j)
    for key in [k for k, found in by_key.items() if k.startswith("w:") and len(found) > COMMON_WORD_LINES]:
        del by_key[key]
        unknown.pop(key, None)
    within = right is None
    for i, line in enumerate(left):
        keys = others_keys[i] if within and not substitution else keys_of(line, substitution, index)
        named = line.named
        partners: list[int] = []
        for key in keys:
            found = (unknown if named and key[0] in "tw" else by_key).get(key)
            if found:
                partners += _window(found, bisect_right(found, i) if within else 0, i)
        if not partners:
            continue
        for j in _best(Counter(partners)):
            yield line, others[j]


def _best(shared: Counter[int]) -> list[int]:
    """The `MAX_PARTNERS` partners sharing the most keys, the first lines on a tie, in line order. (What
    `sorted(j for _, j in heapq.nsmallest(MAX_PARTNERS, [(-n, j) for j, n in shared.items()]))` says, without a
    Python step per partner: a line of a big territory has hundreds.)"""
    if len(shared) <= MAX_PARTNERS:
        return sorted(shared)
    # Both sorts run in C: by line, then (stable) by count, most first.
    return sorted(sorted(sorted(shared), key=shared.__getitem__, reverse=True)[:MAX_PARTNERS])
