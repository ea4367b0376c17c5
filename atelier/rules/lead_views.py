"""How a lead reads for a person (console, workshop idea) and what is kept of it when the facilitator decides."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from atelier.models import IDEA_DETAILS_MAX, IDEA_TITLE_MAX
from atelier.rules.leads import EntryKind, Feedback, Lead, LeadKind, feedback_from

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

    @property
    def learned_out(self) -> bool:
        """Not proposed: like a lead the facilitator dismissed, and not decided on itself."""
        return bool(self.lead.blocked) and self.decision is None

    @property
    def hidden(self) -> bool:
        """Kept off the network and the projector: dismissed, or learned out."""
        return self.status == STATUS_DISMISSED or self.learned_out


def _names(keys: tuple[str, ...], names: Mapping[str, str]) -> str:
    return ", ".join(names.get(k, k) for k in keys)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def lead_title(lead: Lead, names: Mapping[str, str]) -> str:
    """What the lead is about, naming the resource on both sides:
    "marc de café (Café du Marché) → culture de champignons (Champignonnière)";
    a mutualisation: "En commun : chariot élévateur (Entrepôts, Imprimerie, Rivet)"."""
    if lead.kind == LeadKind.SUBSTITUTION:
        return (f"{lead.offered.lower()} ({_names(lead.providers, names)}) → "
                f"{lead.wanted.lower()} ({_names(lead.receivers, names)})")
    return f"En commun : {lead.offered.lower()} ({_names(lead.actor_keys, names)})"


def lead_explanation(lead: Lead) -> list[str]:
    """Every thing that counted, one line each, as the page and the idea show them."""
    labels = {"connaissance": "connaissance", "expression": "expression", "contexte": "contexte", "mot": "mot"}
    lines = [f"{labels[e.kind]} : {e.text}" + (f" [{e.reference}]" if e.reference else "") for e in lead.evidence]
    if lead.quantities:
        lines.append(f"quantités : {lead.quantities}")
    return lines


def lead_wording(lead: Lead, names: Mapping[str, str]) -> tuple[str, str]:
    """(title, details) of the idea a promoted lead becomes; actor names only as the facilitator sees them."""
    lines = [f"• {names.get(e.actor_key, e.actor_key)} — {'offre' if e.kind == EntryKind.CAPACITY else 'besoin'} : "
             f"{e.description}" for e in lead.entries]
    if lead.kind == LeadKind.SUBSTITUTION:
        head = "Piste des entretiens — substitution (l’offre de l’un répond au besoin de l’autre)."
    else:
        head = "Piste des entretiens — mutualisation (le même besoin ou la même ressource chez plusieurs acteurs)."
    why = [f"Force {lead.reason}.", *(f"– {line}" for line in lead_explanation(lead))]
    return _cut(lead_title(lead, names), IDEA_TITLE_MAX), _cut("\n".join([head, *lines, *why]), IDEA_DETAILS_MAX)


def lead_snapshot(lead: Lead) -> str:
    """What the lead was when decided: kept with the decision, so a reason still makes sense if interviews change."""
    return json.dumps({
        "type": lead.kind.value, "categorie": lead.category, "acteurs": list(lead.actor_keys),
        "mots": list(lead.matched_words), "score": lead.score, "force": lead.strength.value,
        "signature": list(lead.signature), "preuves": [e.text for e in lead.evidence],
        "elements": [{"acteur": e.actor_key, "nature": e.kind.value, "description": e.description}
                     for e in lead.entries],
    }, ensure_ascii=False)


@dataclass(frozen=True)
class LearnedRule:
    """What one decision taught the detection, for the page: shown, and undone by restoring the lead."""

    lead_key: str
    status: str  # STATUS_DISMISSED: not proposed again; STATUS_PROMOTED: similar leads stronger
    evidence: tuple[str, ...]  # what the decided lead matched on, as read
    reason: str


def _snapshot(decision: Mapping[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(decision.get("snapshot") or "{}")
    except (TypeError, ValueError):
        return {}  # a snapshot written before signatures were kept teaches nothing
    return data if isinstance(data, dict) else {}


def learned_rules(decisions: Mapping[str, Mapping[str, Any]]) -> list[LearnedRule]:
    """The per-territory rules the facilitator's decisions make, from the stored decisions and their snapshots."""
    rules = []
    for key, decision in sorted(decisions.items()):
        status = str(decision.get("status", ""))
        snapshot = _snapshot(decision)
        signature = [str(s) for s in snapshot.get("signature", []) if isinstance(s, str)]
        if status in (STATUS_DISMISSED, STATUS_PROMOTED) and signature:
            evidence = tuple(str(e) for e in snapshot.get("preuves", [])) or tuple(signature)
            rules.append(LearnedRule(key, status, evidence, str(decision.get("reason", ""))))
    return rules


def feedback_of(decisions: Mapping[str, Mapping[str, Any]]) -> Feedback:
    """The detection's `Feedback` from the stored decisions (dismissed: not again; promoted: stronger)."""
    return feedback_from(
        (str(d.get("status", "")), [str(s) for s in _snapshot(d).get("signature", []) if isinstance(s, str)],
         str(d.get("reason", "")))
        for d in decisions.values()
    )
