"""The facilitator's list of ideas: which ideas are in play, in what order, through which filter and search.

Pure: ideas in, ideas out. With 300 ideas the console shows a page of this list, so the order must not depend on
when a row was drawn: a group takes the place of the newest idea it gathers, not the bottom of the list.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum

from atelier.models import Idea
from atelier.rules.french import normalise


class Sort(StrEnum):
    NEWEST = "recentes"
    CATEGORY = "categorie"
    SUPPORT = "soutiens"


# Filters other than a category key: every idea, only the hidden ones, only those without a known category.
FILTER_ALL = "*toutes"
FILTER_HIDDEN = "*masquees"
FILTER_UNSORTED = "*a-classer"


def in_play(idea: Idea) -> bool:
    """Still on the console: not withdrawn by its author, not gathered into a group (the group names it)."""
    return not idea.withdrawn and idea.merged_into is None


def is_unsorted(idea: Idea, categories: Iterable[str]) -> bool:
    """An idea sent without a category (or with one the territory no longer has): the facilitator sorts it."""
    return not idea.category or idea.category not in set(categories)


def search_text(idea: Idea, members: Sequence[Idea] = ()) -> str:
    """What a search looks in, accents and case folded: title, details, author, and a group's ideas."""
    parts = [idea.title, idea.details, idea.author, idea.organisation]
    parts += [m.title for m in members]
    return _folded(" ".join(parts))


@functools.lru_cache(maxsize=8192)  # a search runs over every idea at each keystroke: fold each text once
def _folded(text: str) -> str:
    return normalise(text)


def matches(text: str, query: str) -> bool:
    """Every word of the query is in the text ("energie" finds "Énergie", "chaufferie bois" both words)."""
    return all(word in text for word in normalise(query).split())


def members_of(ideas: Iterable[Idea]) -> dict[int, list[Idea]]:
    """Each group's ideas, from the workshop's ideas (a merged idea points at its group)."""
    members: dict[int, list[Idea]] = {}
    for idea in ideas:
        if idea.merged_into is not None:
            members.setdefault(idea.merged_into, []).append(idea)
    return members


def listed(ideas: Sequence[Idea], *, sort: Sort, shown: str, query: str, categories: Sequence[str],
           support: Mapping[int, int] | None = None) -> list[Idea]:
    """The ideas of the console in order: filtered by `shown` (a FILTER_* or a category key), then searched.

    Newest first; by category in the territory's order (ideas to sort first: they wait for the facilitator), newest
    first within one; by support (most +1 first, then newest). A group stands where its newest idea stood.
    """
    members = members_of(ideas)
    rank = {key: n for n, key in enumerate(categories)}
    support = support or {}

    def when(idea: Idea) -> float:  # a group is made after its ideas: it is dated by its newest idea
        gathered = members.get(idea.id)
        return max(m.created_at for m in gathered) if gathered else idea.created_at

    chosen = []
    for idea in ideas:
        if not in_play(idea):
            continue
        if shown == FILTER_HIDDEN and not idea.hidden:
            continue
        if shown == FILTER_UNSORTED and not is_unsorted(idea, categories):
            continue
        if shown not in (FILTER_ALL, FILTER_HIDDEN, FILTER_UNSORTED) and idea.category != shown:
            continue
        if query.strip() and not matches(search_text(idea, members.get(idea.id, ())), query):
            continue
        chosen.append(idea)
    if sort == Sort.CATEGORY:
        chosen.sort(key=lambda i: (rank.get(i.category, -1), -when(i), -i.id))
    elif sort == Sort.SUPPORT:
        chosen.sort(key=lambda i: (-support.get(i.id, 0), -when(i), -i.id))
    else:
        chosen.sort(key=lambda i: (-when(i), -i.id))
    return chosen
