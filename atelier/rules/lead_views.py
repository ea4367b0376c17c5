"""How a lead reads for a person (console, workshop idea) and what is kept of it when the facilitator decides."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from atelier.models import IDEA_DETAILS_MAX, IDEA_TITLE_MAX
from atelier.rules.leads import EntryKind, Lead, LeadKind

STATUS_PROPOSED = "proposee"
STATUS_DISMISSED = "ecartee"
STATUS_PROMOTED = "promue"


@dataclass(frozen=True)
class LeadView:
    lead: Lead
    decision: Mapping[str, Any] | None

    @property
    def status(self) -> str:
        return str(self.decision["status"]) if self.decision else STATUS_PROPOSED

    @property
    def reason(self) -> str:
        return str(self.decision["reason"]) if self.decision else ""


def _names(keys: tuple[str, ...], names: Mapping[str, str]) -> str:
    return ", ".join(names.get(k, k) for k in keys)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def lead_wording(lead: Lead, names: Mapping[str, str]) -> tuple[str, str]:
    """(title, details) of the idea a promoted lead becomes; actor names only as the facilitator sees them."""
    lines = [f"• {names.get(e.actor_key, e.actor_key)} — {'offre' if e.kind == EntryKind.CAPACITY else 'besoin'} : "
             f"{e.description}" for e in lead.entries]
    if lead.kind == LeadKind.SUBSTITUTION:
        offer = next(e for e in lead.entries if e.kind == EntryKind.CAPACITY)
        title = f"{offer.description} : de {_names(lead.providers, names)} vers {_names(lead.receivers, names)}"
        head = "Piste des entretiens — substitution (l’offre de l’un répond au besoin de l’autre)."
    else:
        title = f"Mutualiser : {lead.entries[0].description} ({len(lead.actor_keys)} acteurs)"
        head = "Piste des entretiens — mutualisation (le même besoin ou la même ressource chez plusieurs acteurs)."
    words = f"Mots en commun : {', '.join(lead.matched_words)}."
    return _cut(title, IDEA_TITLE_MAX), _cut("\n".join([head, *lines, words]), IDEA_DETAILS_MAX)


def lead_snapshot(lead: Lead) -> str:
    """What the lead was when decided: kept with the decision, so a reason still makes sense if interviews change."""
    return json.dumps({
        "type": lead.kind.value, "categorie": lead.category, "acteurs": list(lead.actor_keys),
        "mots": list(lead.matched_words), "score": lead.score,
        "elements": [{"acteur": e.actor_key, "nature": e.kind.value, "description": e.description}
                     for e in lead.entries],
    }, ensure_ascii=False)
