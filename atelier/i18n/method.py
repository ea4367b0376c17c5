"""The method guide: the page's frame, and the method's content (steps, purposes, checks, tips) in both languages.

A figure and its noun agree by language: French takes the singular for 0 and 1 ("0 entretien"), English for 1
only ("0 interviews"). Such entries come in pairs, `….one` and `….many` (atelier.rules.method.counted)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "guide.title": {"fr": "Méthode", "en": "Method"},
    # The page's frame (atelier.ui.guide)
    "guide.page_title": {"fr": "Guide de la méthode", "en": "Method guide"},
    "guide.steps": {"fr": "Les étapes", "en": "The steps"},
    "guide.done_count.one": {"fr": "{count} étape sur {total} franchie", "en": "{count} step of {total} done"},
    "guide.done_count.many": {"fr": "{count} étapes sur {total} franchies", "en": "{count} steps of {total} done"},
    "guide.all_done": {"fr": "Toutes les étapes de la méthode sont franchies.",
                       "en": "Every step of the method is done."},
    "guide.all_done_next": {"fr": "Continuez d’animer les groupes de travail et accueillez les prochaines cohortes.",
                            "en": "Keep the working groups going and welcome the next cohorts."},
    "guide.current": {"fr": "Étape en cours : {step}", "en": "Current step: {step}"},
    "guide.remaining": {"fr": "Reste à faire :", "en": "Still to do:"},
    "guide.go": {"fr": "Aller à cette étape", "en": "Go to this step"},
    "guide.standing": {"fr": "Où en est le territoire", "en": "Where the territory stands"},
    "guide.current_tag": {"fr": "en cours", "en": "current"},
    "guide.current_spoken": {"fr": " (étape en cours)", "en": " (current step)"},
    "guide.state_done": {"fr": "franchie", "en": "done"},
    "guide.state_current": {"fr": "en cours", "en": "current"},
    "guide.state_later": {"fr": "à venir", "en": "to come"},
    "guide.checklist": {"fr": "Liste de contrôle", "en": "Checklist"},
    "guide.tips": {"fr": "Conseils d’animation", "en": "Facilitation tips"},
    "guide.check_done": {"fr": "fait", "en": "done"},
    "guide.check_todo": {"fr": "à faire", "en": "to do"},
    # 1. Recruitment
    "method.recrutement.title": {"fr": "Recrutement des partenaires et des pouvoirs publics",
                                 "en": "Recruiting partners and public authorities"},
    "method.recrutement.purpose": {
        "fr": "Réunir les partenaires du réseau et rencontrer les représentants des pouvoirs publics locaux "
              "et territoriaux.",
        "en": "Bring the network's partners together and meet the representatives of the local and regional "
              "public authorities."},
    "method.recrutement.economic.one": {"fr": "{count} acteur économique dans le réseau (au moins {min})",
                                        "en": "{count} economic actor in the network (at least {min})"},
    "method.recrutement.economic.many": {"fr": "{count} acteurs économiques dans le réseau (au moins {min})",
                                         "en": "{count} economic actors in the network (at least {min})"},
    "method.recrutement.public.one": {"fr": "{count} partenaire public (collectivité ou établissement public)",
                                      "en": "{count} public partner (local authority or public body)"},
    "method.recrutement.public.many": {"fr": "{count} partenaires publics (collectivité ou établissement public)",
                                       "en": "{count} public partners (local authority or public body)"},
    "method.recrutement.tip1": {
        "fr": "Rencontrez d’abord la collectivité : son appui légitime la démarche et ouvre des portes.",
        "en": "Meet the local authority first: its backing makes the approach legitimate and opens doors."},
    "method.recrutement.tip2": {
        "fr": "Visez quelques pionniers motivés plutôt qu’un grand nombre d’acteurs peu disponibles.",
        "en": "Aim for a few motivated pioneers rather than many actors with little time."},
    "method.recrutement.tip3": {"fr": "Notez dès le départ le contact et la disponibilité de chacun.",
                                "en": "Note everyone's contact and availability from the start."},
    # 2. Interviews
    "method.entretiens.title": {"fr": "Visite individuelle de chaque acteur", "en": "Visiting each actor"},
    "method.entretiens.purpose": {
        "fr": "Rendre visite à chaque acteur participant pour identifier ses problématiques et collecter ses "
              "besoins, opportunités et capacités.",
        "en": "Visit each taking-part actor to find out their problems and gather their needs, opportunities "
              "and capacities."},
    "method.interviews.one": {"fr": "{count} entretien", "en": "{count} interview"},
    "method.interviews.many": {"fr": "{count} entretiens", "en": "{count} interviews"},
    "method.actors.one": {"fr": "{count} acteur", "en": "{count} actor"},
    "method.actors.many": {"fr": "{count} acteurs", "en": "{count} actors"},
    "method.interviews_of": {"fr": "{interviews} sur {actors}", "en": "{interviews} out of {actors}"},
    "method.entretiens.check": {
        "fr": "{figures} (chaque acteur a son entretien, avec au moins un besoin ou une capacité)",
        "en": "{figures} (every actor has an interview, with at least one need or capacity)"},
    "method.entretiens.tip1": {
        "fr": "Faites l’entretien sur place : la visite révèle des ressources qu’on ne cite pas en réunion.",
        "en": "Hold the interview on site: a visit shows resources nobody mentions in a meeting."},
    "method.entretiens.tip2": {
        "fr": "Demandez ce qui est jeté, stocké, peu utilisé ou acheté souvent : ce sont des pistes.",
        "en": "Ask what is thrown away, stored, rarely used or often bought: those are leads."},
    "method.entretiens.tip3": {
        "fr": "Notez la disponibilité réelle de chacun : elle évitera de disperser son énergie plus tard.",
        "en": "Note everyone's real availability: it will keep their energy from scattering later."},
    # 3. Leads
    "method.pistes.title": {"fr": "Premières pistes de mutualisation", "en": "First pooling leads"},
    "method.pistes.purpose": {
        "fr": "Identifier de premières pistes de mutualisation et d’échange entre les acteurs, à partir des "
              "entretiens.",
        "en": "Find the first leads for pooling and exchange between the actors, from the interviews."},
    "method.pistes.detected.one": {"fr": "{count} piste détectée à partir des entretiens",
                                   "en": "{count} lead found from the interviews"},
    "method.pistes.detected.many": {"fr": "{count} pistes détectées à partir des entretiens",
                                    "en": "{count} leads found from the interviews"},
    "method.pistes.examined": {
        "fr": "Pistes examinées : {decided} sur {leads} (écartées avec une raison ou promues en action)",
        "en": "Leads examined: {decided} out of {leads} (dismissed with a reason or promoted to an action)"},
    "method.pistes.tip1": {"fr": "Écartez une piste avec une raison courte : elle reste consultable.",
                           "en": "Dismiss a lead with a short reason: it can still be looked up."},
    "method.pistes.tip2": {
        "fr": "Promouvez en action candidate les pistes qui réunissent au moins deux acteurs motivés.",
        "en": "Promote to candidate actions the leads that bring together at least two motivated actors."},
    "method.pistes.tip3": {"fr": "Vérifiez une piste prometteuse avec les acteurs concernés avant l’atelier.",
                           "en": "Check a promising lead with the actors involved before the workshop."},
    # 4. SWOT
    "method.ffom.title": {"fr": "Matrice FFOM", "en": "SWOT matrix"},
    "method.ffom.purpose": {
        "fr": "Construire la matrice Forces, Faiblesses, Opportunités, Menaces du réseau d’acteurs sur le "
              "territoire.",
        "en": "Build the Strengths, Weaknesses, Opportunities, Threats matrix of the territory's network of "
              "actors."},
    "method.ffom.items.one": {"fr": "Matrice commencée : {count} élément", "en": "Matrix started: {count} item"},
    "method.ffom.items.many": {"fr": "Matrice commencée : {count} éléments", "en": "Matrix started: {count} items"},
    "method.ffom.quadrants": {
        "fr": "Quadrants remplis : {filled} sur {total} (forces, faiblesses, opportunités, menaces)",
        "en": "Quadrants filled: {filled} out of {total} (strengths, weaknesses, opportunities, threats)"},
    "method.ffom.tip1": {
        "fr": "Préparez la matrice à partir des entretiens, puis faites-la compléter par les acteurs.",
        "en": "Prepare the matrix from the interviews, then have the actors complete it."},
    "method.ffom.tip2": {"fr": "Une ou deux lignes par case suffisent : la matrice sert à lancer la discussion.",
                         "en": "One or two lines a box are enough: the matrix is there to start the discussion."},
    "method.ffom.tip3": {
        "fr": "Forces et faiblesses parlent du réseau ; opportunités et menaces, de son environnement.",
        "en": "Strengths and weaknesses are about the network; opportunities and threats, about its surroundings."},
    # 5. Co-construction workshop
    "method.atelier-co-construction.title": {"fr": "Atelier 1 : co-construction",
                                             "en": "Workshop 1: co-construction"},
    "method.atelier-co-construction.purpose": {
        "fr": "Collecter, générer et co-construire des idées pour identifier des solutions mutualisées et "
              "construire un plan d’action.",
        "en": "Gather, generate and build ideas together to find pooled solutions and draw up an action plan."},
    "method.atelier-co-construction.workshops.one": {"fr": "{count} atelier de co-construction",
                                                     "en": "{count} co-construction workshop"},
    "method.atelier-co-construction.workshops.many": {"fr": "{count} ateliers de co-construction",
                                                      "en": "{count} co-construction workshops"},
    "method.atelier-co-construction.ideas.one": {"fr": "{count} idée recueillie", "en": "{count} idea gathered"},
    "method.atelier-co-construction.ideas.many": {"fr": "{count} idées recueillies",
                                                  "en": "{count} ideas gathered"},
    "method.atelier-co-construction.actions.one": {"fr": "{count} action candidate au plan d’action",
                                                   "en": "{count} candidate action in the action plan"},
    "method.atelier-co-construction.actions.many": {"fr": "{count} actions candidates au plan d’action",
                                                    "en": "{count} candidate actions in the action plan"},
    "method.atelier-co-construction.tip1": {
        "fr": "Ouvrez en restituant les pistes et la matrice FFOM : les idées partent du concret.",
        "en": "Open by presenting the leads and the SWOT matrix: ideas start from something concrete."},
    "method.atelier-co-construction.tip2": {
        "fr": "Laissez chacun proposer sur son téléphone, puis regroupez à voix haute les idées proches.",
        "en": "Let everyone propose on their phone, then group similar ideas out loud."},
    "method.atelier-co-construction.tip3": {
        "fr": "Faites des actions candidates avec les idées qui ont un porteur possible.",
        "en": "Turn into candidate actions the ideas that someone could carry."},
    # 6. Selection workshop
    "method.atelier-selection.title": {"fr": "Atelier 2 : sélection", "en": "Workshop 2: selection"},
    "method.atelier-selection.purpose": {
        "fr": "Sélectionner les pistes les plus prometteuses, les « fruits à portée de main » étant "
              "systématiquement retenus.",
        "en": "Select the most promising leads, the “low-hanging fruit” always being selected."},
    "method.atelier-selection.workshops.one": {"fr": "{count} atelier de sélection",
                                               "en": "{count} selection workshop"},
    "method.atelier-selection.workshops.many": {"fr": "{count} ateliers de sélection",
                                                "en": "{count} selection workshops"},
    "method.atelier-selection.ratings.one": {"fr": "{count} note donnée par les participants",
                                             "en": "{count} rating given by the participants"},
    "method.atelier-selection.ratings.many": {"fr": "{count} notes données par les participants",
                                              "en": "{count} ratings given by the participants"},
    "method.atelier-selection.fruits.one": {"fr": "{count} fruit à portée de main sélectionné d’office",
                                            "en": "{count} low-hanging fruit selected by the rule"},
    "method.atelier-selection.fruits.many": {"fr": "{count} fruits à portée de main sélectionnés d’office",
                                             "en": "{count} low-hanging fruits selected by the rule"},
    "method.atelier-selection.selected.one": {"fr": "{count} action sélectionnée sur {candidates}",
                                              "en": "{count} action selected out of {candidates}"},
    "method.atelier-selection.selected.many": {"fr": "{count} actions sélectionnées sur {candidates}",
                                               "en": "{count} actions selected out of {candidates}"},
    "method.candidates.one": {"fr": "{count} candidate", "en": "{count} candidate"},
    "method.candidates.many": {"fr": "{count} candidates", "en": "{count} candidates"},
    "method.atelier-selection.tip1": {
        "fr": "Présentez chaque action en une minute avant le vote : ce qu’elle change, qui elle concerne.",
        "en": "Present each action in a minute before the vote: what it changes, whom it concerns."},
    "method.atelier-selection.tip2": {
        "fr": "Annoncez les fruits à portée de main retenus d’office : ils donnent de l’élan.",
        "en": "Announce the low-hanging fruit selected by the rule: they give momentum."},
    "method.atelier-selection.tip3": {
        "fr": "Mieux vaut peu d’actions bien portées que beaucoup d’actions sans pilote.",
        "en": "Better a few well-carried actions than many actions without a lead."},
    # 7. Working groups
    "method.groupes.title": {"fr": "Groupes de travail", "en": "Working groups"},
    "method.groupes.purpose": {
        "fr": "Mettre en place et animer des groupes de travail sur les pistes sélectionnées, de {min} à {max} "
              "réunions chacun.",
        "en": "Set up and run working groups on the selected leads, {min} to {max} meetings each."},
    "method.groupes.groups.one": {"fr": "{count} groupe de travail constitué", "en": "{count} working group set up"},
    "method.groupes.groups.many": {"fr": "{count} groupes de travail constitués",
                                   "en": "{count} working groups set up"},
    "method.groupes.planned": {
        "fr": "Réunions planifiées : {planned} sur {expected} au moins ({min} à {max} par groupe)",
        "en": "Meetings planned: {planned} out of at least {expected} ({min} to {max} a group)"},
    "method.groupes.held": {"fr": "Réunions tenues : {held} sur {expected} au moins",
                            "en": "Meetings held: {held} out of at least {expected}"},
    "method.groupes.started": {"fr": "Mise en œuvre : {in_progress} en cours, {done}",
                               "en": "Implementation: {in_progress} under way, {done}"},
    "method.groupes.in_progress.one": {"fr": "{count} action", "en": "{count} action"},
    "method.groupes.in_progress.many": {"fr": "{count} actions", "en": "{count} actions"},
    "method.groupes.done.one": {"fr": "{count} action réalisée", "en": "{count} action done"},
    "method.groupes.done.many": {"fr": "{count} actions réalisées", "en": "{count} actions done"},
    "method.groupes.tip1": {"fr": "Réservez les groupes de travail aux actions à moyen terme ou de grande ampleur.",
                            "en": "Keep working groups for medium-term or large actions."},
    "method.groupes.tip2": {"fr": "Avant de clore une réunion, fixez la suivante et nommez qui fait quoi.",
                            "en": "Before closing a meeting, set the next one and name who does what."},
    "method.groupes.tip3": {"fr": "Surveillez la charge des pilotes : ne dispersez pas l’énergie des acteurs.",
                            "en": "Watch the leads' load: do not scatter the actors' energy."},
    # 8. Extension
    "method.extension.title": {"fr": "Extension à de nouveaux acteurs", "en": "Extending to new actors"},
    "method.extension.purpose": {
        "fr": "Étendre la démarche à de nouveaux acteurs, par groupes, avec un entretien pour chacun et un "
              "atelier de co-construction.",
        "en": "Extend the approach to new actors, in groups, with an interview for each and a co-construction "
              "workshop."},
    "method.extension.cohorts": {"fr": "{cohorts} d’extension ({waiting} en attente)",
                                 "en": "{cohorts} ({waiting} waiting)"},
    "method.extension.cohorts_count.one": {"fr": "{count} cohorte", "en": "{count} extension cohort"},
    "method.extension.cohorts_count.many": {"fr": "{count} cohortes", "en": "{count} extension cohorts"},
    "method.extension.waiting.one": {"fr": "{count} candidat", "en": "{count} candidate"},
    "method.extension.waiting.many": {"fr": "{count} candidats", "en": "{count} candidates"},
    "method.extension.met": {"fr": "Nouveaux partenaires rencontrés : {figures}", "en": "New partners met: {figures}"},
    "method.extension.workshop": {
        "fr": "Atelier d’extension : {workshops} de co-construction en tout (au moins 2 : pionniers, puis "
              "nouveaux venus)",
        "en": "Extension workshop: {workshops} in all (at least 2: pioneers, then newcomers)"},
    "method.extension.workshops.one": {"fr": "{count} atelier", "en": "{count} co-construction workshop"},
    "method.extension.workshops.many": {"fr": "{count} ateliers", "en": "{count} co-construction workshops"},
    "method.extension.tip1": {
        "fr": "Attendez que plusieurs candidats se manifestent avant de déclencher une extension.",
        "en": "Wait until several candidates come forward before starting an extension."},
    "method.extension.tip2": {"fr": "Faites l’entretien individuel de chaque nouveau partenaire avant l’atelier.",
                              "en": "Interview each new partner before the workshop."},
    "method.extension.tip3": {"fr": "Confiez la présentation des actions existantes à leurs pilotes.",
                              "en": "Let the leads of the existing actions present them."},
    # 9. Hand-over
    "method.transmission.title": {"fr": "Transmission du savoir-faire", "en": "Handing over the know-how"},
    "method.transmission.purpose": {
        "fr": "Transmettre le savoir-faire pour qu’un acteur local monte en compétence et anime la dynamique "
              "amorcée.",
        "en": "Hand over the know-how so that a local actor gains the skills and leads the momentum started."},
    "method.transmission.co.one": {
        "fr": "{count} co-animateur local (acteur du territoire qui reprend l’animation)",
        "en": "{count} local co-facilitator (an actor of the territory who takes over the facilitation)"},
    "method.transmission.co.many": {
        "fr": "{count} co-animateurs locaux (acteur du territoire qui reprend l’animation)",
        "en": "{count} local co-facilitators (an actor of the territory who takes over the facilitation)"},
    "method.transmission.tip1": {
        "fr": "Repérez tôt un acteur local motivé et associez-le à la préparation des ateliers.",
        "en": "Spot a motivated local actor early and involve them in preparing the workshops."},
    "method.transmission.tip2": {
        "fr": "Faites-lui animer une phase, puis un atelier entier, en restant en appui.",
        "en": "Have them run a phase, then a whole workshop, while you stay in support."},
    "method.transmission.tip3": {
        "fr": "Partagez le plan d’action et les comptes rendus pour que le réseau vive sans vous.",
        "en": "Share the action plan and the minutes so the network lives without you."},
}
