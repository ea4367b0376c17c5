"""Extending the network: the public join form, candidates and cohorts."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "cohort.bad_threshold": {"fr": "Le seuil est un nombre entier de 1 à {max} candidats.",
                             "en": "The threshold is a whole number from 1 to {max} candidates."},
    "cohort.not_ready": {"fr": "{waiting} candidat(s) en attente pour un seuil de {threshold} : attendez encore.",
                         "en": "{waiting} candidate(s) waiting for a threshold of {threshold}: wait a little more."},
    "extension.title": {"fr": "Extension du réseau", "en": "Extending the network"},
    "extension.public_form": {"fr": "Formulaire public de candidature : {url}", "en": "Public application form: {url}"},
    "extension.threshold": {"fr": "Seuil de la cohorte (candidats)", "en": "Cohort threshold (candidates)"},
    "extension.waiting": {"fr": "{count} candidat(s) en attente (seuil : {threshold})",
                          "en": "{count} candidate(s) waiting (threshold: {threshold})"},
    "extension.ready": {"fr": "{count} candidats attendent : une cohorte d’extension peut commencer.",
                        "en": "{count} candidates are waiting: an extension cohort can start."},
    "extension.start": {"fr": "Lancer la cohorte", "en": "Start the cohort"},
    "extension.add": {"fr": "Ajouter un candidat", "en": "Add a candidate"},
    "extension.cohorts": {"fr": "Cohortes", "en": "Cohorts"},
    "extension.cohort": {"fr": "Cohorte du {date} — {count} nouveaux acteurs",
                         "en": "Cohort of {date} — {count} newcomers"},
    "extension.interview": {"fr": "Entretien : {name}", "en": "Interview: {name}"},
    "extension.leads": {"fr": "{count} piste(s) avec le réseau", "en": "{count} lead(s) with the network"},
    "extension.workshop": {"fr": "Atelier d’extension", "en": "Extension workshop"},
    "extension.join_title": {"fr": "Rejoindre le réseau", "en": "Join the network"},
    "extension.join_help": {
        "fr": "Votre structure souhaite rejoindre le réseau ? Laissez vos coordonnées : l’animation vous contactera "
              "pour une visite quand plusieurs nouveaux acteurs seront prêts à rejoindre ensemble.",
        "en": "Does your organisation want to join the network? Leave your details: the facilitator will contact "
              "you for a visit when several new actors are ready to join together.",
    },
    "extension.message": {"fr": "Message (facultatif)", "en": "Message (optional)"},
    "extension.join_send": {"fr": "Envoyer ma demande", "en": "Send my request"},
    "extension.join_received": {"fr": "Demande reçue, merci ! L’animation vous recontactera.",
                                "en": "Request received, thank you! The facilitator will contact you."},
}
