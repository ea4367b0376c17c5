"""How a lead reads for a person (console, workshop idea) and what is kept of it when the facilitator decides."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from atelier.i18n import t
from atelier.models import IDEA_DETAILS_MAX, IDEA_TITLE_MAX
from atelier.rules.leads import (
    EntryKind,
    Evidence,
    Feedback,
    Lead,
    LeadKind,
    feedback_from,
    knowledge_text,
    quantities_text,
    strength_reason,
)

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


Part = tuple[str, bool]  # a piece of text, and whether it quotes the interviews (French, whatever the page)


def lead_title_parts(lead: Lead, names: Mapping[str, str], lang: str = "fr") -> list[Part]:
    """What the lead is about, naming the resource on both sides as the lines name it:
    "marc de café (Café du Marché) → culture de champignons (Champignonnière)";
    a mutualisation: "En commun : chariot élévateur (Entrepôts, Imprimerie, Rivet)"."""
    if lead.kind == LeadKind.SUBSTITUTION:
        return [(lead.offered.lower(), True), (f" ({_names(lead.providers, names)}) → ", False),
                (lead.wanted.lower(), True), (f" ({_names(lead.receivers, names)})", False)]
    head, _, tail = t("lead.in_common", lang, what="\0", who=_names(lead.actor_keys, names)).partition("\0")
    return [(head, False), (lead.offered.lower(), True), (tail, False)]


def lead_title(lead: Lead, names: Mapping[str, str], lang: str = "fr") -> str:
    return "".join(text for text, _ in lead_title_parts(lead, names, lang))


def evidence_parts(evidence: Evidence, lang: str = "fr") -> list[Part]:
    """One piece of evidence in the page's language: knowledge entries by their label in it, words quoted."""
    if evidence.relation == "cite":
        note = knowledge_text(evidence, lang)[len(evidence.names[0]):]
        return [(evidence.names[0], True), (note, False)]
    return [(knowledge_text(evidence, lang), False)] if evidence.relation else [(evidence.text, True)]


def evidence_text(evidence: Evidence, lang: str = "fr") -> str:
    return "".join(text for text, _ in evidence_parts(evidence, lang))


def lead_explanation_parts(lead: Lead, lang: str = "fr") -> list[list[Part]]:
    """Every thing that counted, one line each, as the page and the idea show them."""
    lines = []
    for e in lead.evidence:
        head, _, tail = t("lead.evidence_line", lang, kind=t(f"lead.evidence.{e.kind}", lang), text="\0").partition(
            "\0")
        lines.append([(head, False), *evidence_parts(e, lang), (tail + (f" [{e.reference}]" if e.reference else ""),
                                                                  False)])
    if lead.quantity is not None:
        lines.append([(t("lead.quantities_line", lang, text=quantities_text(lead, lang)), False)])
    return lines


def lead_explanation(lead: Lead, lang: str = "fr") -> list[str]:
    return ["".join(text for text, _ in line) for line in lead_explanation_parts(lead, lang)]


def lead_reason(lead: Lead, lang: str = "fr") -> str:
    """The strength in words with its reason, in the page's language."""
    return strength_reason(lead, lang)


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
        "preuves_en": [evidence_text(e, "en") for e in lead.evidence],
        "elements": [{"acteur": e.actor_key, "nature": e.kind.value, "description": e.description}
                     for e in lead.entries],
    }, ensure_ascii=False)


@dataclass(frozen=True)
class LearnedRule:
    """What one decision taught the detection, for the page: shown, and undone by restoring the lead."""

    lead_key: str
    status: str  # STATUS_DISMISSED: not proposed again; STATUS_PROMOTED: similar leads stronger
    evidence: tuple[str, ...]  # what the decided lead matched on, as read (in French)
    reason: str
    evidence_en: tuple[str, ...] = ()  # the same in English (decisions made before it was kept: none)

    def evidence_in(self, lang: str) -> tuple[str, ...]:
        return self.evidence_en if lang == "en" and self.evidence_en else self.evidence


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
            english = tuple(str(e) for e in snapshot.get("preuves_en", []))
            rules.append(LearnedRule(key, status, evidence, str(decision.get("reason", "")), english))
    return rules


def feedback_of(decisions: Mapping[str, Mapping[str, Any]]) -> Feedback:
    """The detection's `Feedback` from the stored decisions (dismissed: not again; promoted: stronger)."""
    return feedback_from(
        (str(d.get("status", "")), [str(s) for s in _snapshot(d).get("signature", []) if isinstance(s, str)],
         str(d.get("reason", "")))
        for d in decisions.values()
    )
