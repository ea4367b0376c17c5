"""The one message catalogue: French first, English second. Every string a person reads comes from here."""

from __future__ import annotations

from contextvars import ContextVar

LANGUAGES = ("fr", "en")
language: ContextVar[str] = ContextVar("language", default="fr")

MESSAGES: dict[str, dict[str, str]] = {
    # Refusals (keys raised by the rules and the service)
    "idea.empty": {"fr": "Écrivez un titre pour votre idée.", "en": "Write a title for your idea."},
    "idea.title_too_long": {
        "fr": "Le titre fait {length} caractères : {max} au plus.",
        "en": "The title is {length} characters long: {max} at most.",
    },
    "idea.details_too_long": {
        "fr": "Les détails font {length} caractères : {max} au plus.",
        "en": "The details are {length} characters long: {max} at most.",
    },
    "idea.category_unknown": {"fr": "Choisissez une catégorie dans la liste.", "en": "Pick a category from the list."},
    "idea.bad_client_id": {
        "fr": "Envoi non reconnu : rechargez la page et réessayez.",
        "en": "Unrecognised submission: reload the page and try again.",
    },
    "idea.too_fast": {
        "fr": "Doucement : attendez {seconds} s avant d’envoyer une autre idée.",
        "en": "Slow down: wait {seconds} s before sending another idea.",
    },
    "idea.too_many": {
        "fr": "Vous avez envoyé {max} idées en une minute : attendez {seconds} s.",
        "en": "You sent {max} ideas in a minute: wait {seconds} s.",
    },
    "idea.unknown": {"fr": "Cette idée n’existe plus.", "en": "This idea no longer exists."},
    "idea.not_yours": {
        "fr": "Vous ne pouvez modifier que vos propres idées.",
        "en": "You can only change your own ideas.",
    },
    "idea.frozen": {
        "fr": "Cette idée a été regroupée ou retenue par l’animation : elle ne peut plus être modifiée.",
        "en": "This idea was grouped or promoted by the facilitator: it can no longer be changed.",
    },
    "ideas.phase_closed": {
        "fr": "Les idées sont fermées pendant la phase « {phase} ».",
        "en": "Ideas are closed during the “{phase}” phase.",
    },
    "ideas.locked": {"fr": "L’animation a suspendu les envois.", "en": "The facilitator paused submissions."},
    "workshop.closed": {"fr": "Cet atelier est terminé.", "en": "This workshop is over."},
    "workshop.unknown": {
        "fr": "Aucun atelier ne porte le code « {code} ». Vérifiez le code affiché à l’écran.",
        "en": "No workshop has the code “{code}”. Check the code on the screen.",
    },
    "join.name_missing": {"fr": "Indiquez votre prénom ou votre nom.", "en": "Enter your name."},
    "join.name_too_long": {"fr": "Le nom fait plus de {max} caractères.", "en": "The name is over {max} characters."},
    "join.organisation_missing": {
        "fr": "Indiquez votre structure (entreprise, ferme, commune…).",
        "en": "Enter your organisation (firm, farm, town…).",
    },
    "join.organisation_too_long": {
        "fr": "Le nom de la structure fait plus de {max} caractères.",
        "en": "The organisation name is over {max} characters.",
    },
    "join.unknown_participant": {
        "fr": "Vous n’êtes pas encore inscrit·e à cet atelier.",
        "en": "You have not joined this workshop yet.",
    },
    "phase.first": {"fr": "C’est déjà la première phase.", "en": "This is already the first phase."},
    "phase.last": {"fr": "C’est déjà la dernière phase.", "en": "This is already the last phase."},
    "merge.too_few": {"fr": "Cochez au moins deux idées à regrouper.", "en": "Tick at least two ideas to group."},
    "merge.not_on_wall": {
        "fr": "Une des idées cochées n’est plus au mur.",
        "en": "One of the ticked ideas is no longer on the wall.",
    },
    "auth.required": {"fr": "Réservé à l’animation : connectez-vous.", "en": "Facilitators only: log in."},
    "auth.wrong_secret": {"fr": "Code d’animation incorrect.", "en": "Wrong facilitator code."},
    "workshop.title_missing": {"fr": "Donnez un titre à l’atelier.", "en": "Give the workshop a title."},
    "template.unknown": {"fr": "Modèle d’atelier inconnu.", "en": "Unknown workshop template."},
    "territory.unknown": {"fr": "Territoire inconnu.", "en": "Unknown territory."},
    "timer.bad_minutes": {
        "fr": "Indiquez une durée entre 0 et 600 minutes.",
        "en": "Enter a duration between 0 and 600 minutes.",
    },
    # Phone page
    "phone.welcome": {"fr": "Bienvenue à l’atelier", "en": "Welcome to the workshop"},
    "phone.your_name": {"fr": "Votre nom", "en": "Your name"},
    "phone.your_organisation": {"fr": "Votre structure", "en": "Your organisation"},
    "phone.organisation_hint": {
        "fr": "Choisissez dans la liste ou tapez le nom",
        "en": "Pick from the list or type the name",
    },
    "phone.join": {"fr": "Rejoindre l’atelier", "en": "Join the workshop"},
    "phone.hello": {"fr": "Bonjour {name} ({organisation})", "en": "Hello {name} ({organisation})"},
    "phone.new_idea": {"fr": "Votre idée", "en": "Your idea"},
    "phone.idea_title": {"fr": "Titre de l’idée", "en": "Idea title"},
    "phone.idea_details": {"fr": "Détails (facultatif)", "en": "Details (optional)"},
    "phone.idea_category": {"fr": "Catégorie", "en": "Category"},
    "phone.send": {"fr": "Envoyer l’idée", "en": "Send the idea"},
    "phone.sending": {"fr": "Envoi…", "en": "Sending…"},
    "phone.received": {"fr": "Idée reçue : « {title} »", "en": "Idea received: “{title}”"},
    "phone.updated": {"fr": "Idée modifiée.", "en": "Idea updated."},
    "phone.withdrawn": {"fr": "Idée retirée.", "en": "Idea withdrawn."},
    "phone.my_ideas": {"fr": "Mes idées ({count})", "en": "My ideas ({count})"},
    "phone.no_ideas": {"fr": "Vous n’avez pas encore envoyé d’idée.", "en": "You have not sent any idea yet."},
    "phone.edit": {"fr": "Modifier", "en": "Edit"},
    "phone.withdraw": {"fr": "Retirer", "en": "Withdraw"},
    "phone.save": {"fr": "Enregistrer", "en": "Save"},
    "phone.cancel": {"fr": "Annuler", "en": "Cancel"},
    "phone.closed_title": {"fr": "Envois fermés", "en": "Submissions closed"},
    "phone.wait_next": {
        "fr": "Suivez l’écran : la page s’ouvrira d’elle-même à la prochaine étape.",
        "en": "Follow the screen: this page opens by itself at the next step.",
    },
    "phone.hidden_note": {"fr": "masquée par l’animation", "en": "hidden by the facilitator"},
    "phone.grouped_note": {"fr": "regroupée dans « {title} »", "en": "grouped into “{title}”"},
    "phone.promoted_note": {"fr": "retenue comme action candidate", "en": "promoted to a candidate action"},
    "phone.enter_code": {"fr": "Code de l’atelier", "en": "Workshop code"},
    "phone.go": {"fr": "Entrer", "en": "Enter"},
    "phone.not_you": {"fr": "Ce n’est pas moi", "en": "Not me"},
    # Board
    "board.participants": {"fr": "{count} participant·es", "en": "{count} participants"},
    "board.ideas": {"fr": "{count} idées", "en": "{count} ideas"},
    "board.join_at": {"fr": "Rejoindre : {url}", "en": "Join: {url}"},
    "board.code": {"fr": "Code {code}", "en": "Code {code}"},
    "board.group_of": {"fr": "{count} idées regroupées", "en": "{count} ideas grouped"},
    "board.action": {"fr": "action candidate", "en": "candidate action"},
    "board.locked": {"fr": "Envois suspendus", "en": "Submissions paused"},
    "board.qr_alt": {"fr": "QR code pour rejoindre l’atelier", "en": "QR code to join the workshop"},
    # Console
    "console.title": {"fr": "Console d’animation", "en": "Facilitator console"},
    "console.workshops": {"fr": "Ateliers", "en": "Workshops"},
    "console.new_workshop": {"fr": "Nouvel atelier", "en": "New workshop"},
    "console.workshop_title": {"fr": "Titre de l’atelier", "en": "Workshop title"},
    "console.template": {"fr": "Modèle", "en": "Template"},
    "console.create": {"fr": "Créer", "en": "Create"},
    "console.open": {"fr": "Ouvrir", "en": "Open"},
    "console.board": {"fr": "Tableau projeté", "en": "Projector board"},
    "console.previous_phase": {"fr": "Phase précédente", "en": "Previous phase"},
    "console.next_phase": {"fr": "Phase suivante", "en": "Next phase"},
    "console.phase": {"fr": "Phase {index}/{count} : {title}", "en": "Phase {index}/{count}: {title}"},
    "console.timer_start": {"fr": "Lancer", "en": "Start"},
    "console.timer_pause": {"fr": "Pause", "en": "Pause"},
    "console.timer_set": {"fr": "Régler (min)", "en": "Set (min)"},
    "console.timer_plus": {"fr": "+1 min", "en": "+1 min"},
    "console.lock": {"fr": "Suspendre les envois", "en": "Pause submissions"},
    "console.unlock": {"fr": "Rouvrir les envois", "en": "Resume submissions"},
    "console.participants": {"fr": "Participant·es ({count})", "en": "Participants ({count})"},
    "console.ideas": {"fr": "Idées ({count})", "en": "Ideas ({count})"},
    "console.hide": {"fr": "Masquer", "en": "Hide"},
    "console.unhide": {"fr": "Afficher", "en": "Show"},
    "console.edit": {"fr": "Modifier", "en": "Edit"},
    "console.moderate": {"fr": "Modifier…", "en": "Edit…"},
    "console.merge": {"fr": "Regrouper la sélection", "en": "Group the selection"},
    "console.merge_title": {"fr": "Titre du regroupement", "en": "Group title"},
    "console.promote": {"fr": "En faire une action", "en": "Make it an action"},
    "console.promoted": {
        "fr": "Action candidate créée : « {title} »",
        "en": "Candidate action created: “{title}”",
    },
    "console.merged": {"fr": "{count} idées regroupées.", "en": "{count} ideas grouped."},
    "console.saved": {"fr": "Enregistré.", "en": "Saved."},
    "console.hidden_tag": {"fr": "masquée", "en": "hidden"},
    "console.withdrawn_tag": {"fr": "retirée", "en": "withdrawn"},
    "console.group_members": {"fr": "Regroupe : {titles}", "en": "Groups: {titles}"},
    "console.logout": {"fr": "Se déconnecter", "en": "Log out"},
    "console.join_link": {"fr": "Lien des téléphones : {url}", "en": "Phone link: {url}"},
    # Login
    "login.title": {"fr": "Connexion de l’animation", "en": "Facilitator login"},
    "login.secret": {"fr": "Code d’animation", "en": "Facilitator code"},
    "login.submit": {"fr": "Se connecter", "en": "Log in"},
    "login.help": {
        "fr": "Le code a été affiché dans le terminal au premier démarrage "
        "(atelier secret --reset pour en créer un autre).",
        "en": "The code was printed in the terminal at first start (atelier secret --reset makes a new one).",
    },
    # Common
    "common.language": {"fr": "English", "en": "Français"},
    "common.connection_lost": {"fr": "Connexion perdue, reconnexion…", "en": "Connection lost, reconnecting…"},
    "common.not_found": {"fr": "Page introuvable.", "en": "Page not found."},
    "timer.overrun": {"fr": "Temps écoulé", "en": "Time is up"},
}


def t(key: str, lang: str | None = None, **params: object) -> str:
    """The message `key` in the current language, falling back to French, then to the key itself."""
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    text = entry.get(lang or language.get()) or entry["fr"]
    return text.format(**params) if params else text

MESSAGES.update({
    "actor.anonymous": {"fr": "Acteur {n}", "en": "Actor {n}"},
    "actor.unknown": {"fr": "Cet acteur n’existe pas.", "en": "This actor does not exist."},
    "actor.duplicate": {"fr": "Un acteur s’appelle déjà « {name} ».", "en": "An actor is already called “{name}”."},
    "actor.invalid": {"fr": "Vérifiez le champ « {field} ».", "en": "Check the “{field}” field."},
    "actor.bad_email": {"fr": "L’adresse « {email} » n’est pas un e-mail valide.",
                        "en": "“{email}” is not a valid e-mail address."},
    "import.has_errors": {"fr": "Le fichier a {count} erreur(s) : corrigez-les avant d’importer. Rien n’a été importé.",
                          "en": "The file has {count} error(s): fix them before importing. Nothing was imported."},
    "interview.conflict": {
        "fr": "Cet entretien a été modifié dans un autre onglet. Votre saisie est gardée dans l’historique ; "
              "rechargez la page pour reprendre la dernière version.",
        "en": "This interview was changed in another tab. What you typed is kept in the history; "
              "reload the page to get the latest version.",
    },
    "lead.unknown": {"fr": "Cette piste n’existe plus (les entretiens ont changé).",
                     "en": "This lead no longer exists (the interviews changed)."},
    "lead.reason_missing": {"fr": "Indiquez pourquoi vous écartez cette piste.",
                            "en": "Say why you dismiss this lead."},
    "swot.unknown": {"fr": "Cet élément FFOM n’existe plus.", "en": "This SWOT item no longer exists."},
    "swot.quadrant_unknown": {"fr": "Choisissez : force, faiblesse, opportunité ou menace.",
                              "en": "Pick: strength, weakness, opportunity or threat."},
    "swot.empty": {"fr": "Écrivez une phrase.", "en": "Write a sentence."},
    "swot.too_long": {"fr": "Le texte fait {length} caractères : {max} au plus.",
                      "en": "The text is {length} characters long: {max} at most."},
    "swot.phase_closed": {"fr": "La FFOM n’est pas ouverte pendant la phase « {phase} ».",
                          "en": "The SWOT is not open during the “{phase}” phase."},
})

MESSAGES.update({
    "diag.actors": {"fr": "Acteurs", "en": "Actors"},
    "diag.leads": {"fr": "Pistes de synergie", "en": "Synergy leads"},
    "diag.swot": {"fr": "Matrice FFOM", "en": "SWOT matrix"},
    "diag.interview": {"fr": "Entretien", "en": "Interview"},
    "diag.territory": {"fr": "Territoire : {name}", "en": "Territory: {name}"},
    "diag.add_actor": {"fr": "Ajouter un acteur", "en": "Add an actor"},
    "diag.import": {"fr": "Importer des acteurs (CSV, ODS, XLSX)", "en": "Import actors (CSV, ODS, XLSX)"},
    "diag.import_help": {
        "fr": "Colonnes attendues : Nom, Type (obligatoires), Secteur, NAF, Commune, Contact, Rôle, E-mail, "
              "Téléphone, Statut, Disponibilité, Heures par mois, Motivation, Consentement. "
              "Rien n’est importé avant votre confirmation.",
        "en": "Expected columns: Nom, Type (required), Secteur, NAF, Commune, Contact, Rôle, E-mail, Téléphone, "
              "Statut, Disponibilité, Heures par mois, Motivation, Consentement. "
              "Nothing is imported before you confirm.",
    },
    "diag.preview": {"fr": "{rows} lignes lues : {ok} acteurs prêts, {errors} erreur(s).",
                     "en": "{rows} rows read: {ok} actors ready, {errors} error(s)."},
    "diag.ignored_columns": {"fr": "Colonnes ignorées : {columns}", "en": "Ignored columns: {columns}"},
    "diag.row_error": {"fr": "Ligne {row} : {message}", "en": "Row {row}: {message}"},
    "diag.more_errors": {"fr": "… et {count} autres erreurs.", "en": "… and {count} more errors."},
    "diag.confirm_import": {"fr": "Importer {count} acteurs", "en": "Import {count} actors"},
    "diag.imported": {"fr": "{count} acteurs importés.", "en": "{count} actors imported."},
    "diag.count": {"fr": "{count} acteurs", "en": "{count} actors"},
    "diag.archived": {"fr": "Archivés", "en": "Archived"},
    "diag.archive": {"fr": "Archiver", "en": "Archive"},
    "diag.unarchive": {"fr": "Réactiver", "en": "Restore"},
    "diag.consent_yes": {"fr": "visible des membres", "en": "visible to members"},
    "diag.consent_no": {"fr": "non diffusé", "en": "not shown"},
    "diag.name": {"fr": "Nom de la structure", "en": "Organisation name"},
    "diag.kind": {"fr": "Type", "en": "Kind"},
    "diag.sector": {"fr": "Secteur", "en": "Sector"},
    "diag.commune": {"fr": "Commune", "en": "Town"},
    "diag.status": {"fr": "Statut dans le réseau", "en": "Status in the network"},
    "diag.contact": {"fr": "Personne contact", "en": "Contact person"},
    "diag.role": {"fr": "Fonction", "en": "Role"},
    "diag.email": {"fr": "E-mail", "en": "E-mail"},
    "diag.phone": {"fr": "Téléphone", "en": "Phone"},
    "diag.groups": {"fr": "Groupes de travail possibles", "en": "Working groups possible"},
    "diag.hours": {"fr": "Heures par mois", "en": "Hours a month"},
    "diag.motivation": {"fr": "Motivation", "en": "Motivation"},
    "diag.consent": {"fr": "Accepte que son nom soit montré aux autres membres et au tableau",
                     "en": "Agrees to show its name to the other members and on the board"},
    "diag.actor_card": {"fr": "Fiche de l’acteur", "en": "Actor card"},
    "diag.date": {"fr": "Date de la visite", "en": "Visit date"},
    "diag.interviewer": {"fr": "Enquêteur·rice", "en": "Interviewer"},
    "diag.problems": {"fr": "Problématiques (une par ligne)", "en": "Problems (one per line)"},
    "diag.opportunities": {"fr": "Opportunités (une par ligne)", "en": "Opportunities (one per line)"},
    "diag.notes": {"fr": "Notes libres", "en": "Free notes"},
    "diag.needs": {"fr": "Besoins", "en": "Needs"},
    "diag.capacities": {"fr": "Capacités et ressources", "en": "Capacities and resources"},
    "diag.add_need": {"fr": "Ajouter un besoin", "en": "Add a need"},
    "diag.add_capacity": {"fr": "Ajouter une capacité", "en": "Add a capacity"},
    "diag.description": {"fr": "Description", "en": "Description"},
    "diag.quantity": {"fr": "Quantité", "en": "Quantity"},
    "diag.unit": {"fr": "Unité", "en": "Unit"},
    "diag.frequency": {"fr": "Fréquence", "en": "Frequency"},
    "diag.remove": {"fr": "Supprimer", "en": "Remove"},
    "diag.saved_at": {"fr": "Enregistré à {time}", "en": "Saved at {time}"},
    "diag.history": {"fr": "Historique des modifications", "en": "History of changes"},
    "diag.conflict_copy": {"fr": "saisie d’un autre onglet, gardée", "en": "another tab’s text, kept"},
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
    "diag.dismiss": {"fr": "Écarter", "en": "Dismiss"},
    "diag.restore": {"fr": "Reprendre", "en": "Restore"},
    "diag.promote": {"fr": "Proposer à l’atelier", "en": "Bring to the workshop"},
    "diag.promote_to": {"fr": "Dans quel atelier ?", "en": "In which workshop?"},
    "diag.promoted_as": {"fr": "Idée ajoutée à l’atelier : « {title} »", "en": "Idea added to the workshop: “{title}”"},
    "diag.dismissed": {"fr": "écartée : {reason}", "en": "dismissed: {reason}"},
    "diag.promoted": {"fr": "proposée à l’atelier", "en": "brought to the workshop"},
    "diag.reason": {"fr": "Pourquoi l’écarter ?", "en": "Why dismiss it?"},
    "swot.strengths": {"fr": "Forces", "en": "Strengths"},
    "swot.weaknesses": {"fr": "Faiblesses", "en": "Weaknesses"},
    "swot.opportunities": {"fr": "Opportunités", "en": "Opportunities"},
    "swot.threats": {"fr": "Menaces", "en": "Threats"},
    "swot.item": {"fr": "Élément de la matrice", "en": "Matrix item"},
    "swot.add": {"fr": "Ajouter", "en": "Add"},
    "swot.send": {"fr": "Envoyer", "en": "Send"},
    "swot.received": {"fr": "Reçu : « {text} »", "en": "Received: “{text}”"},
    "swot.your_items": {"fr": "Mes éléments ({count})", "en": "My items ({count})"},
    "swot.choose": {"fr": "Dans quelle case ?", "en": "Which box?"},
    "board.from_interviews": {"fr": "piste des entretiens", "en": "lead from the interviews"},
    "board.network": {"fr": "Qui pourrait travailler avec qui", "en": "Who could work with whom"},
})
