"""Which pools of lines a facilitator proposes as mutualisations (`atelier.rules.leads`). Pure.

Two capacities pool on what they can do together that neither does alone: heat sources feed one network, roofs one
solar project, equipment, premises and teams one shared service. Two by-products of one kind (two manures, two
piles of pallets, two rinse waters) each go to a taker on their own: a facilitator proposes those substitutions,
seldom a pool of the offers. Likewise two needs for a by-product that someone in the territory offers are met by
that offer (two substitutions), not pooled; needs to have something taken away still pool (one collection for both).
Measured on five labelled territories and a sixth nobody here read: docs/leads-precision-log.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from atelier.rules.knowledge import KnowledgeIndex

BY_PRODUCTS = frozenset({"matieres-dechets", "eau"})  # knowledge categories of what is given away, not shared
# Knowledge categories of what two offers do together: heat sources or roofs make one energy project, two teams one
# shared service. Two pieces of equipment or premises (two tractors, skips, nacelles, lifts, empty homes) are each
# lent on their own: a facilitator proposes them to whoever needs one, not as a pool (stop 17: 10 of 11 such pools
# on the seven labelled sets were not expected; one meeting-room pool was).
POOLED_OFFERS = frozenset({"energie", "services-partages"})


class Signed(Protocol):
    """A piece of evidence (`atelier.rules.leads.Evidence`): its kind and signature ("k:marc-de-cafe>compostage")."""

    @property
    def kind(self) -> str: ...

    @property
    def signature(self) -> str: ...


def knowledge_keys(evidence: Iterable[Signed]) -> list[str]:
    """The knowledge entries two lines met on, each link's wanted entry last ("k:a>b" gives a, b)."""
    return [k for e in evidence if e.kind == "connaissance" and e.signature.startswith("k:")
            for k in e.signature[2:].split(">")]


def shared_things(evidence: Iterable[Signed]) -> list[str]:
    """What two lines have in common through the knowledge base: each link's wanted entry (cooling water meets
    waste heat as heat)."""
    return [e.signature[2:].split(">")[-1] for e in evidence
            if e.kind == "connaissance" and e.signature.startswith("k:")]


def poolable_offer(evidence: Iterable[Signed], strong: bool, index: KnowledgeIndex | None) -> bool:
    """Whether two capacities make a mutualisation: a strong knowledge link on a shared thing of energy or a shared
    service (`POOLED_OFFERS`). Without the knowledge base there is no telling: the pair stays."""
    if index is None:
        return True
    shared = shared_things(evidence)
    return strong and bool(shared) and all(
        k in index.entries and index.entries[k].category in POOLED_OFFERS for k in shared)


def offered_elsewhere(evidence: Iterable[Signed], offered: frozenset[str], index: KnowledgeIndex | None) -> bool:
    """Whether two needs met on by-products only, every one of which a capacity of the territory offers
    (`offered`: the entries substitutions reach)."""
    keys = knowledge_keys(evidence)
    return bool(keys) and index is not None and set(keys) <= offered and all(
        k in index.entries and index.entries[k].category in BY_PRODUCTS for k in keys)
