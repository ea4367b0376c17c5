"""Words shared by every page: language switch, connection, file formats, workshops, phases, timer, backups."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "workshop.closed": {"fr": "Cet atelier est terminé.", "en": "This workshop is over."},
    "workshop.unknown": {
        "fr": "Aucun atelier ne porte le code « {code} ». Vérifiez le code affiché à l’écran.",
        "en": "No workshop has the code “{code}”. Check the code on the screen.",
    },
    "phase.first": {"fr": "C’est déjà la première phase.", "en": "This is already the first phase."},
    "phase.last": {"fr": "C’est déjà la dernière phase.", "en": "This is already the last phase."},
    "workshop.title_missing": {"fr": "Donnez un titre à l’atelier.", "en": "Give the workshop a title."},
    "template.unknown": {"fr": "Modèle d’atelier inconnu.", "en": "Unknown workshop template."},
    "territory.unknown": {"fr": "Territoire inconnu.", "en": "Unknown territory."},
    "timer.bad_minutes": {
        "fr": "Indiquez une durée entre 0 et 600 minutes.",
        "en": "Enter a duration between 0 and 600 minutes.",
    },
    "format.pdf": {"fr": "PDF", "en": "PDF"},
    "format.xlsx": {"fr": "XLSX", "en": "XLSX"},
    "format.ods": {"fr": "ODS", "en": "ODS"},
    "format.csv": {"fr": "CSV (;)", "en": "CSV (;)"},
    "format.md": {"fr": "Compte rendu (Markdown)", "en": "Report (Markdown)"},
    "format.ics": {"fr": "Réunions (iCalendar)", "en": "Meetings (iCalendar)"},
    "format.decidim": {"fr": "Decidim (résultats)", "en": "Decidim (results)"},
    # Common
    "common.language": {"fr": "English", "en": "Français"},
    "common.connection_lost": {"fr": "Connexion perdue, reconnexion…", "en": "Connection lost, reconnecting…"},
    "common.not_found": {"fr": "Page introuvable.", "en": "Page not found."},
    "timer.overrun": {"fr": "Temps écoulé", "en": "Time is up"},
    "backup.invalid": {"fr": "Sauvegarde refusée : {reason}", "en": "Backup refused: {reason}"},
    "backup.exists": {
        "fr": "Le territoire « {name} » existe déjà ici : rien n’a été importé. Importez-le comme copie "
              "(atelier import --copie) pour l’avoir à côté, sans mélange.",
        "en": "The territory “{name}” already exists here: nothing was imported. Import it as a copy "
              "(atelier import --copie) to have it beside, unmerged.",
    },
}
