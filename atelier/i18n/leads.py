"""Synergy leads computed from the interviews, and what the tool learns from the facilitator's decisions."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "lead.unknown": {"fr": "Cette piste n’existe plus (les entretiens ont changé).",
                     "en": "This lead no longer exists (the interviews changed)."},
    "lead.reason_missing": {"fr": "Indiquez pourquoi vous écartez cette piste.",
                            "en": "Say why you dismiss this lead."},
    "diag.leads": {"fr": "Pistes de synergie", "en": "Synergy leads"},
    "diag.leads_help": {
        "fr": "Calculées à partir des entretiens : substitution (l’offre de l’un répond au besoin de l’autre) et "
              "mutualisation (le même besoin ou la même ressource chez plusieurs acteurs).",
        "en": "Computed from the interviews: substitution (one's offer meets another's need) and pooling "
              "(the same need or resource at several actors).",
    },
    "diag.leads_count": {"fr": "{count} pistes", "en": "{count} leads"},
    "diag.substitution": {"fr": "Substitution", "en": "Substitution"},
    "diag.mutualisation": {"fr": "Mutualisation", "en": "Pooling"},
    "diag.score": {"fr": "pertinence {score} %", "en": "relevance {score}%"},
    "diag.offer": {"fr": "offre", "en": "offers"},
    "diag.need": {"fr": "besoin", "en": "needs"},
    "diag.matched": {"fr": "Mots en commun : {words}", "en": "Matched words: {words}"},
    "diag.strength": {"fr": "Force {reason}", "en": "Strength {reason}"},
    "diag.why": {"fr": "Pourquoi :", "en": "Why:"},
    "diag.learned": {"fr": "Appris de vos décisions", "en": "Learnt from your decisions"},
    "diag.learned_help": {
        "fr": "Une piste écartée n’est plus proposée entre d’autres acteurs pour les mêmes raisons ; une piste "
              "proposée à l’atelier rend plus fortes les pistes semblables. « Annuler » reprend la piste.",
        "en": "A dismissed lead is no longer proposed between other actors for the same reasons; a lead brought "
              "to the workshop makes similar leads stronger. “Undo” restores the lead.",
    },
    "diag.learned_no": {"fr": "ne plus proposer : {evidence} (motif : {reason})",
                        "en": "no longer propose: {evidence} (reason: {reason})"},
    "diag.learned_yes": {"fr": "rendre plus fortes les pistes sur : {evidence}",
                         "en": "make leads on {evidence} stronger"},
    "diag.undo": {"fr": "Annuler", "en": "Undo"},
    "diag.blocked_count": {"fr": "{count} pistes semblables à des pistes écartées, non proposées",
                           "en": "{count} leads like dismissed ones, not proposed"},
    "diag.blocked": {"fr": "non proposée : ressemble à une piste écartée (motif : {reason})",
                     "en": "not proposed: like a dismissed lead (reason: {reason})"},
    "diag.dismiss": {"fr": "Écarter", "en": "Dismiss"},
    "diag.restore": {"fr": "Reprendre", "en": "Restore"},
    "diag.promote": {"fr": "Proposer à l’atelier", "en": "Bring to the workshop"},
    "diag.promote_to": {"fr": "Dans quel atelier ?", "en": "In which workshop?"},
    "diag.promoted_as": {"fr": "Idée ajoutée à l’atelier : « {title} »", "en": "Idea added to the workshop: “{title}”"},
    "diag.dismissed": {"fr": "écartée : {reason}", "en": "dismissed: {reason}"},
    "diag.promoted": {"fr": "proposée à l’atelier", "en": "brought to the workshop"},
    "diag.reason": {"fr": "Pourquoi l’écarter ?", "en": "Why dismiss it?"},
    "board.from_interviews": {"fr": "piste des entretiens", "en": "lead from the interviews"},
}
