"""What two lines' readings say together, for the lead detection (`atelier.rules.leads._compare`). Pure.

Each predicate takes two lines read by `atelier.rules.lead_lines.analyse` (for a substitution, the capacity first):
what a capacity serves a need with in context (`served_to`), whether they meet at all whatever words they share
(`kept_apart`: trades, soiled offers, week-end against working days), whether a pair of needs pools
(`other_purposes`, `same_service_wanted`), and the readings that weaken or stop a knowledge link (`incidental`,
`known_apart`, `other_things`, `equipment_for`). Causes and figures: docs/leads-precision-log.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from atelier.rules.knowledge import KnowledgeIndex
from atelier.rules.lead_lines import EntryKind, InterviewEntry, Line
from atelier.rules.lead_pools import Signed, knowledge_keys


def incidental(entry: InterviewEntry, surface: str) -> bool:
    """Whether a capacity names a knowledge entry in passing: one word in brackets ("… (palettes)"); a link resting
    on it is moyenne, not forte."""
    text = entry.description
    if entry.kind is not EntryKind.CAPACITY or "(" not in text or " " in surface.strip():
        return False
    at = text.find(surface)
    return at > 0 and text[:at].count("(") > text[:at].count(")")


def known_apart(a: Line, b: Line) -> bool:
    """Whether the knowledge base knows what a need is for and what the capacity's listed item is, and the one
    does not serve the other: « copeaux d’usinage » (metal) named by a need for litter « (copeaux ou sciure) »."""
    purposes = {m.entry.key for m in b.mentions if m.entry.is_use}
    return bool(purposes) and not purposes & a.serves.keys()


def other_things(first: str, second: str) -> bool:
    """Whether one word qualified in both lines names two things: a noun complement on one side and another
    qualifier on the other ("huile d’olive" / "huiles moteur"); two adjectives may describe one thing ("tuiles
    romanes" / "tuiles anciennes")."""
    return bool(first and second and first != second and (first.startswith("de ") or second.startswith("de ")))


def kept_apart(a: Line, b: Line, evidence: Sequence[Signed], index: KnowledgeIndex | None) -> bool:
    """Whether capacity `a` does not meet need `b` whatever words they share, given the knowledge `evidence` that
    links them: people of two trades (`other_trades`); a soiled by-product that no knowledge links (« copeaux et
    poussières de ponçage (bois, mastic, antifouling) » are no litter of « copeaux »); free only at the week-end
    for a need of working days (a minibus « libre le week-end » takes no employees to work)."""
    if (a.tainted and not evidence) or (a.days == "week-end" and b.days == "semaine"):
        return True
    return index is not None and other_trades(a, b, evidence, index)


def other_trades(a: Line, b: Line, evidence: Sequence[Signed], index: KnowledgeIndex) -> bool:
    """Whether a capacity hosting apprentices or trainees in one trade meets a need of another only on those
    people: a shipyard hosting apprentices in boat carpentry has no apprentice for a bakery (« apprenti
    boulanger »)."""
    if not (a.trade and b.trade) or a.trade & b.trade or _HOSTS.match(a.entry.description) is None:
        return False
    met_on = knowledge_keys(evidence)
    return bool(met_on) and all(
        k in index.entries and index.entries[k].category == "competences-emploi" for k in met_on)


_HOSTS = re.compile(r"\s*(accueil|accueillir|on\s+accueille|nous\s+accueillons|tutorat)\b", re.IGNORECASE)


def served_to(a: Line, b: Line, index: KnowledgeIndex) -> dict[str, str]:
    """What capacity `a` serves need `b` with (see `KnowledgeIndex.served`), by context.

    A purchase (« achat groupé de… », « … en commande groupée ») is not met by waste; a need filed under group
    purchases is not met by the used thing of the very kind it buys new (« cartons vides » for « cartons
    d’expédition », « pneus usagés » for « pneumatiques de chargeuse »), though a by-product may still serve what
    it is for (« légumes déclassés » for « légumes locaux »). Advice about a thing meets a need for that very
    thing (« accompagnement à la création d’un groupement d’employeurs », « un salarié partagé »). A soiled
    by-product (oily, chrome, treated, pH 12) serves only the very resource, no use on soil, in feed or in
    litter."""
    if b.purchase and any(m.entry.category == "matieres-dechets" for m in a.resources.values()):
        giving = {k: m for k, m in a.resources.items() if m.entry.category != "matieres-dechets"}
        served = index.served(giving) | {k: k for k in a.uses}
    else:
        served = a.serves | {k: k for k in a.uses} if a.uses else a.serves
    if b.bought:
        served = {k: v for k, v in served.items() if not (k == v and k in a.resources and _discarded(a, k))}
    if a.advice:  # help to set up an employers' group meets a need for one, not what such a group could do
        served = {**served, **{k: k for k in a.objects}}
    if a.tainted:
        served = {k: v for k, v in served.items() if k == v and k in a.resources}
    return served


def _discarded(line: Line, key: str) -> bool:
    """A waste, or a thing the capacity says is used or emptied (« bouteilles de vin vides », « pneus usagés »)."""
    return line.used or line.resources[key].entry.category == "matieres-dechets"


def other_purposes(a: Line, b: Line) -> bool:
    """Whether two needs name one thing for two purposes the knowledge base tells apart: straw for mulching the
    paths and straw for the hens' litter are not one need (« du paillage (broyat, paille) », « litière sèche
    (copeaux, paille) »). A need naming no purpose pools with either."""
    return bool(a.uses and b.uses) and not a.uses.keys() & b.uses.keys()


def same_service_wanted(a: Line, b: Line) -> bool:
    """Two needs asking for one service the knowledge base knows, however each opens: « tonte des pelouses » and
    « entretien des espaces verts » (unlike « formation des caristes » and « caristes », a training and staff)."""
    return any(a.wants[key].entry.is_use for key in a.wants.keys() & b.wants.keys())


def equipment_for(a: Line, b: Line) -> bool:
    """Whether capacity `a` offers equipment, premises or a service doing what need `b` wants done to its own things
    (a grain sorter for « trier nos céréales », a shredder for « broyer les branches »): not more of a waste."""
    if any(m.entry.waste_code or m.entry.category == "matieres-dechets" for m in a.resources.values()):
        return False
    return any(m.entry.is_use and key in a.serves for key, m in b.wants.items())
