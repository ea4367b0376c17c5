"""People's data: what the join form says about it, and erasure on request."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "people.title": {"fr": "Données personnelles", "en": "Personal data"},
    "people.help": {
        "fr": "Qui a laissé des coordonnées, et l’effacement sur demande. Un effacement retire les données de l’outil "
              "et de tous ses exports ; le journal garde qui l’a fait, quand et de quel type, jamais le contenu.",
        "en": "Who left personal details, and erasure on request. An erasure removes the data from the tool and all "
              "its exports; the log keeps who did it, when and of what kind, never the content."},
    "people.candidates": {"fr": "Candidats à l’extension ({count})", "en": "Extension candidates ({count})"},
    "people.contacts": {"fr": "Contacts des acteurs ({count})", "en": "Actors' contacts ({count})"},
    "people.participants": {"fr": "Participant·es des ateliers ({count})", "en": "Workshop participants ({count})"},
    "people.none": {"fr": "Personne.", "en": "Nobody."},
    "people.erase": {"fr": "Effacer", "en": "Erase"},
    "people.erase_who": {"fr": "Effacer les données : {who}", "en": "Erase the data: {who}"},
    "people.confirm": {"fr": "Effacer les données de ce {kind} ?", "en": "Erase this {kind}'s data?"},
    "people.confirm_help": {
        "fr": "Nom, adresse, téléphone et message sont effacés pour de bon. Les idées restent, sans nom.",
        "en": "Name, address, phone and message are erased for good. Ideas stay, without a name."},
    "people.erased": {"fr": "Données effacées.", "en": "Data erased."},
    "people.erasures": {"fr": "Journal des effacements", "en": "Erasure log"},
    "people.no_erasure": {"fr": "Aucun effacement.", "en": "No erasure."},
    "people.erasure_line": {"fr": "{when} — {kind} — par {by}", "en": "{when} — {kind} — by {by}"},
    "people.kind_candidate": {"fr": "candidat", "en": "candidate"},
    "people.kind_contact": {"fr": "contact d’acteur", "en": "actor's contact"},
    "people.kind_participant": {"fr": "participant", "en": "participant"},
    "erasure.unknown": {"fr": "Rien à effacer : cette personne n’existe pas ou plus.",
                        "en": "Nothing to erase: this person does not exist or no longer does."},
    "privacy.title": {"fr": "Vos données", "en": "Your data"},
    "privacy.purpose": {
        "fr": "À quoi elles servent : votre nom et votre adresse servent uniquement à vous recontacter pour la "
              "visite et l’atelier d’accueil des nouveaux acteurs du réseau.",
        "en": "What it is for: your name and address are used only to contact you for the visit and the "
              "newcomers' workshop of the network."},
    "privacy.who": {
        "fr": "Qui les voit : l’animation du réseau seulement. Elles ne sont ni projetées, ni publiées, ni "
              "transmises.",
        "en": "Who sees it: the network's facilitators only. It is never projected, published or passed on."},
    "privacy.erase": {
        "fr": "Pour les faire effacer : demandez-le à l’animation (à un atelier ou par le contact qui vous a donné "
              "ce lien). Elle les efface de l’outil et de ses exports ; seule la date de l’effacement est gardée.",
        "en": "To have it erased: ask the facilitators (at a workshop or through whoever gave you this link). They "
              "erase it from the tool and its exports; only the date of the erasure is kept."},
}
