"""The method as a guide: its steps, a checklist per step computed from the territory's figures, where it stands.

Pure functions: counts in, steps out (no NiceGUI, no SQLite). The steps follow
`mission/methode-ecologie-economique-territoriale.txt`: the 7 steps of the initial approach (the recruitment of
partners and public authorities counted as the first), then the extension to more actors and the hand-over of
the know-how.

`counts` (built by `Service.method_counts`) maps these keys to integers; a missing key counts as 0, a negative
value as 0, an unknown key is ignored:

- ``actors``: actors of the territory that are not archived (public partners included);
- ``public_partners``: those of kind *collectivite* or *etablissement-public*;
- ``interviews``: actors whose interview holds at least one need or capacity;
- ``leads``: leads detected from the interviews; ``leads_decided``: those dismissed or promoted;
- ``swot_items``: SWOT items shown (not hidden, not merged); ``swot_quadrants_filled``: quadrants with one (0-4);
- ``workshops_coconstruction``: co-construction workshops, the extension workshops included (the method's
  extension workshop is a co-construction workshop); ``ideas``: ideas submitted; ``candidate_actions``;
- ``workshops_selection``: selection workshops; ``ratings``: grades given by phones; ``selected_actions``;
  ``low_hanging_fruit_selected``: selected actions flagged as low-hanging fruit;
- ``working_groups``; ``meetings_planned``: meetings on a working group's calendar, held or to come;
  ``meetings_held``; ``actions_in_progress``; ``actions_done``;
- ``join_requests_waiting``: candidates waiting for an extension; ``cohorts``: extension cohorts triggered;
- ``co_facilitators``: local co-facilitators named.

Choices, where the method leaves room:

- Recruitment is done with at least `MIN_ECONOMIC_ACTORS` actors besides the public partners and at least one
  public partner: a pooling needs several actors, and the method meets the public authorities first.
- Interviews: *every* actor ("visite individuelle auprès de chaque acteur participant"), not 80 %: an actor not
  visited brings no need and no capacity, so no lead can involve them. The figure shows how far it is; an actor
  who drops out is archived and no longer counts. When an extension cohort joins, the step opens again until
  the newcomers have had their interview, as the method asks.
- Leads: every detected lead examined (dismissed with a reason, or promoted into a candidate action).
- Selection: at least one low-hanging fruit selected. The method selects them "systématiquement"; when none
  comes out of the vote, the unchecked line is a prompt to look for a quick, easy action that builds momentum.
- Working groups: 3 meetings per group at least (the method's "3 à 5 réunions"), counted over all groups
  (the figures are per territory, not per group), and the implementation started (an action in progress or done).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

COUNT_KEYS = (
    "actors", "public_partners", "interviews", "leads", "leads_decided", "swot_items", "swot_quadrants_filled",
    "workshops_coconstruction", "ideas", "candidate_actions", "workshops_selection", "ratings",
    "selected_actions", "low_hanging_fruit_selected", "working_groups", "meetings_planned", "meetings_held",
    "actions_in_progress", "actions_done", "join_requests_waiting", "cohorts", "co_facilitators",
)

MIN_ECONOMIC_ACTORS = 3
INTERVIEWS_SHARE = 1.0  # of the actors: every one of them
MIN_MEETINGS_PER_GROUP = 3
MAX_MEETINGS_PER_GROUP = 5
SWOT_QUADRANTS = 4


@dataclass(frozen=True)
class CheckItem:
    text: str
    done: bool


@dataclass(frozen=True)
class MethodStep:
    key: str
    title: str
    purpose: str
    checklist: tuple[CheckItem, ...]
    tips: tuple[str, ...]
    link: str

    @property
    def done(self) -> bool:
        return all(item.done for item in self.checklist)

    @property
    def progress(self) -> float:
        """The share of the checklist done, from 0 to 1 (a step without checks is done)."""
        if not self.checklist:
            return 1.0
        return sum(item.done for item in self.checklist) / len(self.checklist)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """`count` and the noun, French style: 0 and 1 take the singular ("0 entretien", "2 entretiens")."""
    word = singular if count <= 1 else (plural_form or f"{singular}s")
    return f"{count} {word}"


def _counts(counts: Mapping[str, int]) -> dict[str, int]:
    return {key: max(0, int(counts.get(key, 0) or 0)) for key in COUNT_KEYS}


def method_steps(counts: Mapping[str, int], territory_id: int) -> list[MethodStep]:
    """The nine steps of the method, each with its checklist checked against the territory's `counts`."""
    c = _counts(counts)
    base = f"/animation/territoire/{territory_id}"
    return [
        _recruitment(c, base), _interviews(c, base), _leads(c, base), _swot(c, base), _coconstruction(c),
        _selection(c, base), _working_groups(c, base), _extension(c, base), _transmission(c),
    ]


def current_step(steps: Sequence[MethodStep]) -> MethodStep | None:
    """The first step not done, or None when every step is."""
    return next((step for step in steps if not step.done), None)


# --- the steps ---------------------------------------------------------------------------------------------


def _interviews_enough(c: dict[str, int]) -> bool:
    return c["actors"] > 0 and c["interviews"] >= math.ceil(INTERVIEWS_SHARE * c["actors"])


def _interviews_text(c: dict[str, int]) -> str:
    return f"{plural(c['interviews'], 'entretien')} sur {plural(c['actors'], 'acteur')}"


def _recruitment(c: dict[str, int], base: str) -> MethodStep:
    economic = max(0, c["actors"] - c["public_partners"])
    return MethodStep(
        key="recrutement",
        title="Recrutement des partenaires et des pouvoirs publics",
        purpose="Réunir les partenaires du réseau et rencontrer les représentants des pouvoirs publics locaux "
                "et territoriaux.",
        checklist=(
            CheckItem(f"{plural(economic, 'acteur économique', 'acteurs économiques')} dans le réseau "
                      f"(au moins {MIN_ECONOMIC_ACTORS})", economic >= MIN_ECONOMIC_ACTORS),
            CheckItem(f"{plural(c['public_partners'], 'partenaire public', 'partenaires publics')} "
                      "(collectivité ou établissement public)", c["public_partners"] >= 1),
        ),
        tips=(
            "Rencontrez d’abord la collectivité : son appui légitime la démarche et ouvre des portes.",
            "Visez quelques pionniers motivés plutôt qu’un grand nombre d’acteurs peu disponibles.",
            "Notez dès le départ le contact et la disponibilité de chacun.",
        ),
        link=f"{base}/acteurs",
    )


def _interviews(c: dict[str, int], base: str) -> MethodStep:
    return MethodStep(
        key="entretiens",
        title="Visite individuelle de chaque acteur",
        purpose="Rendre visite à chaque acteur participant pour identifier ses problématiques et collecter ses "
                "besoins, opportunités et capacités.",
        checklist=(
            CheckItem(f"{_interviews_text(c)} (chaque acteur a son entretien, avec au moins un besoin ou "
                      "une capacité)", _interviews_enough(c)),
        ),
        tips=(
            "Faites l’entretien sur place : la visite révèle des ressources qu’on ne cite pas en réunion.",
            "Demandez ce qui est jeté, stocké, peu utilisé ou acheté souvent : ce sont des pistes.",
            "Notez la disponibilité réelle de chacun : elle évitera de disperser son énergie plus tard.",
        ),
        link=f"{base}/acteurs",
    )


def _leads(c: dict[str, int], base: str) -> MethodStep:
    leads, decided = c["leads"], c["leads_decided"]
    return MethodStep(
        key="pistes",
        title="Premières pistes de mutualisation",
        purpose="Identifier de premières pistes de mutualisation et d’échange entre les acteurs, à partir des "
                "entretiens.",
        checklist=(
            CheckItem(f"{plural(leads, 'piste détectée', 'pistes détectées')} à partir des entretiens", leads >= 1),
            CheckItem(f"Pistes examinées : {min(decided, leads)} sur {leads} (écartées avec une raison ou promues "
                      "en action)", leads >= 1 and decided >= leads),
        ),
        tips=(
            "Écartez une piste avec une raison courte : elle reste consultable.",
            "Promouvez en action candidate les pistes qui réunissent au moins deux acteurs motivés.",
            "Vérifiez une piste prometteuse avec les acteurs concernés avant l’atelier.",
        ),
        link=f"{base}/pistes",
    )


def _swot(c: dict[str, int], base: str) -> MethodStep:
    filled = min(c["swot_quadrants_filled"], SWOT_QUADRANTS)
    return MethodStep(
        key="ffom",
        title="Matrice FFOM",
        purpose="Construire la matrice Forces, Faiblesses, Opportunités, Menaces du réseau d’acteurs sur le "
                "territoire.",
        checklist=(
            CheckItem(f"Matrice commencée : {plural(c['swot_items'], 'élément')}", c["swot_items"] >= 1),
            CheckItem(f"Quadrants remplis : {filled} sur {SWOT_QUADRANTS} (forces, faiblesses, opportunités, "
                      "menaces)", filled >= SWOT_QUADRANTS),
        ),
        tips=(
            "Préparez la matrice à partir des entretiens, puis faites-la compléter par les acteurs.",
            "Une ou deux lignes par case suffisent : la matrice sert à lancer la discussion.",
            "Forces et faiblesses parlent du réseau ; opportunités et menaces, de son environnement.",
        ),
        link=f"{base}/ffom",
    )


def _coconstruction(c: dict[str, int]) -> MethodStep:
    return MethodStep(
        key="atelier-co-construction",
        title="Atelier 1 : co-construction",
        purpose="Collecter, générer et co-construire des idées pour identifier des solutions mutualisées et "
                "construire un plan d’action.",
        checklist=(
            CheckItem(f"{plural(c['workshops_coconstruction'], 'atelier')} de co-construction",
                      c["workshops_coconstruction"] >= 1),
            CheckItem(f"{plural(c['ideas'], 'idée recueillie', 'idées recueillies')}", c["ideas"] >= 1),
            CheckItem(f"{plural(c['candidate_actions'], 'action candidate', 'actions candidates')} "
                      "au plan d’action", c["candidate_actions"] >= 1),
        ),
        tips=(
            "Ouvrez en restituant les pistes et la matrice FFOM : les idées partent du concret.",
            "Laissez chacun proposer sur son téléphone, puis regroupez à voix haute les idées proches.",
            "Faites des actions candidates avec les idées qui ont un porteur possible.",
        ),
        link="/animation",
    )


def _selection(c: dict[str, int], base: str) -> MethodStep:
    return MethodStep(
        key="atelier-selection",
        title="Atelier 2 : sélection",
        purpose="Sélectionner les pistes les plus prometteuses, les « fruits à portée de main » étant "
                "systématiquement retenus.",
        checklist=(
            CheckItem(f"{plural(c['workshops_selection'], 'atelier')} de sélection", c["workshops_selection"] >= 1),
            CheckItem(f"{plural(c['ratings'], 'note donnée', 'notes données')} par les participants",
                      c["ratings"] >= 1),
            CheckItem(f"{plural(c['low_hanging_fruit_selected'], 'fruit', 'fruits')} à portée de main "
                      f"{'sélectionnés' if c['low_hanging_fruit_selected'] > 1 else 'sélectionné'} d’office",
                      c["low_hanging_fruit_selected"] >= 1),
            CheckItem(f"{plural(c['selected_actions'], 'action sélectionnée', 'actions sélectionnées')} "
                      f"sur {plural(c['candidate_actions'], 'candidate')}", c["selected_actions"] >= 1),
        ),
        tips=(
            "Présentez chaque action en une minute avant le vote : ce qu’elle change, qui elle concerne.",
            "Annoncez les fruits à portée de main retenus d’office : ils donnent de l’élan.",
            "Mieux vaut peu d’actions bien portées que beaucoup d’actions sans pilote.",
        ),
        link=f"{base}/actions",
    )


def _working_groups(c: dict[str, int], base: str) -> MethodStep:
    groups = c["working_groups"]
    expected = MIN_MEETINGS_PER_GROUP * groups
    started = c["actions_in_progress"] + c["actions_done"]
    return MethodStep(
        key="groupes",
        title="Groupes de travail",
        purpose=f"Mettre en place et animer des groupes de travail sur les pistes sélectionnées, de "
                f"{MIN_MEETINGS_PER_GROUP} à {MAX_MEETINGS_PER_GROUP} réunions chacun.",
        checklist=(
            CheckItem(f"{plural(groups, 'groupe')} de travail {'constitués' if groups > 1 else 'constitué'}",
                      groups >= 1),
            CheckItem(f"Réunions planifiées : {c['meetings_planned']} sur {expected} au moins "
                      f"({MIN_MEETINGS_PER_GROUP} à {MAX_MEETINGS_PER_GROUP} par groupe)",
                      groups >= 1 and c["meetings_planned"] >= expected),
            CheckItem(f"Réunions tenues : {c['meetings_held']} sur {expected} au moins",
                      groups >= 1 and c["meetings_held"] >= expected),
            CheckItem(f"Mise en œuvre : {plural(c['actions_in_progress'], 'action')} en cours, "
                      f"{plural(c['actions_done'], 'action réalisée', 'actions réalisées')}", started >= 1),
        ),
        tips=(
            "Réservez les groupes de travail aux actions à moyen terme ou de grande ampleur.",
            "Avant de clore une réunion, fixez la suivante et nommez qui fait quoi.",
            "Surveillez la charge des pilotes : ne dispersez pas l’énergie des acteurs.",
        ),
        link=f"{base}/groupes",
    )


def _extension(c: dict[str, int], base: str) -> MethodStep:
    cohorts = c["cohorts"]
    waiting = c["join_requests_waiting"]
    return MethodStep(
        key="extension",
        title="Extension à de nouveaux acteurs",
        purpose="Étendre la démarche à de nouveaux acteurs, par groupes, avec un entretien pour chacun et un "
                "atelier de co-construction.",
        checklist=(
            CheckItem(f"{plural(cohorts, 'cohorte')} d’extension ({plural(waiting, 'candidat')} en attente)",
                      cohorts >= 1),
            CheckItem(f"Nouveaux partenaires rencontrés : {_interviews_text(c)}",
                      cohorts >= 1 and _interviews_enough(c)),
            CheckItem(f"Atelier d’extension : {plural(c['workshops_coconstruction'], 'atelier')} de "
                      "co-construction en tout (au moins 2 : pionniers, puis nouveaux venus)",
                      cohorts >= 1 and c["workshops_coconstruction"] >= 2),
        ),
        tips=(
            "Attendez que plusieurs candidats se manifestent avant de déclencher une extension.",
            "Faites l’entretien individuel de chaque nouveau partenaire avant l’atelier.",
            "Confiez la présentation des actions existantes à leurs pilotes.",
        ),
        link=f"{base}/extension",
    )


def _transmission(c: dict[str, int]) -> MethodStep:
    return MethodStep(
        key="transmission",
        title="Transmission du savoir-faire",
        purpose="Transmettre le savoir-faire pour qu’un acteur local monte en compétence et anime la dynamique "
                "amorcée.",
        checklist=(
            CheckItem(f"{plural(c['co_facilitators'], 'co-animateur local', 'co-animateurs locaux')} "
                      "(acteur du territoire qui reprend l’animation)", c["co_facilitators"] >= 1),
        ),
        tips=(
            "Repérez tôt un acteur local motivé et associez-le à la préparation des ateliers.",
            "Faites-lui animer une phase, puis un atelier entier, en restant en appui.",
            "Partagez le plan d’action et les comptes rendus pour que le réseau vive sans vous.",
        ),
        link="/animation/roles",
    )
