"""Facilitator access: login, sessions, refusals, and the roles of the facilitation."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "auth.required": {"fr": "Réservé à l’animation : connectez-vous.", "en": "Facilitators only: log in."},
    "auth.wrong_secret": {"fr": "Code d’animation incorrect.", "en": "Wrong facilitator code."},
    "auth.too_many": {"fr": "Trop de tentatives de connexion : réessayez dans {seconds} s.",
                      "en": "Too many login attempts: try again in {seconds} s."},
    "auth.use_link": {"fr": "La personne qui anime peut aussi obtenir un lien de connexion : atelier secret --lien.",
                      "en": "The facilitator can also get a login link: atelier secret --lien."},
    "auth.link_invalid": {"fr": "Ce lien de connexion n’est plus valable (il sert une seule fois, quelques minutes). "
                                "Saisissez votre code d’animation.",
                          "en": "This login link is no longer valid (it works once, for a few minutes). "
                                "Enter your facilitator code."},
    "auth.session_ended": {"fr": "Votre session d’animation a pris fin (déconnexion, accès retiré, code changé ou "
                                 "session expirée) : action refusée. Reconnectez-vous.",
                           "en": "Your facilitator session has ended (logged out, access revoked, code changed or "
                                 "session expired): action refused. Log in again."},
    # Login
    "login.title": {"fr": "Connexion de l’animation", "en": "Facilitator login"},
    "login.secret": {"fr": "Code d’animation", "en": "Facilitator code"},
    "login.submit": {"fr": "Se connecter", "en": "Log in"},
    "login.help": {
        "fr": "Le code a été affiché dans le terminal au premier démarrage "
        "(atelier secret --lien pour un lien de connexion à usage unique, --reset pour un nouveau code).",
        "en": "The code was printed in the terminal at first start (atelier secret --lien for a one-time login "
        "link, --reset for a new code).",
    },
    "roles.name_taken": {"fr": "Une personne porte déjà ce nom parmi l’animation : précisez-le (ex. « Anne B. »).",
                         "en": "Someone in the facilitation already has this name: make it distinct (e.g. “Anne B.”)."},
    "auth.lead_only": {"fr": "Réservé à l’animation principale : la gestion des rôles ne vous est pas ouverte.",
                       "en": "Lead facilitator only: managing roles is not open to you."},
    "roles.name_missing": {"fr": "Indiquez le nom de la personne.", "en": "Enter the person’s name."},
    "roles.unknown": {"fr": "Cette personne n’existe pas.", "en": "This person does not exist."},
    "roles.cannot_revoke_lead": {"fr": "L’animation principale ne peut pas être retirée.",
                                 "en": "The lead facilitator cannot be revoked."},
    "roles.title": {"fr": "Rôles d’animation", "en": "Facilitation roles"},
    "roles.lead": {"fr": "animation principale", "en": "lead facilitator"},
    "roles.co": {"fr": "co-animation", "en": "co-facilitator"},
    "roles.revoked": {"fr": "retiré·e", "en": "revoked"},
    "roles.add": {"fr": "Ajouter une co-animatrice ou un co-animateur", "en": "Add a co-facilitator"},
    "roles.name": {"fr": "Nom (acteur local)", "en": "Name (local actor)"},
    "roles.created": {"fr": "Code de {name}, à lui remettre (affiché une seule fois) : {secret}",
                      "en": "{name}’s code, to hand over (shown once): {secret}"},
    "roles.revoke": {"fr": "Retirer l’accès", "en": "Revoke access"},
    "roles.you": {"fr": "Connecté·e : {name} ({role})", "en": "Logged in: {name} ({role})"},
}
