"""`atelier init DIR`: the scenario files of a new, empty territory, for the facilitator to fill in."""

from __future__ import annotations

import json
import re
import textwrap
import unicodedata
from pathlib import Path

from atelier.models import ActorKind, ActorStatus
from atelier.scenario import (
    CATEGORIES_FILE,
    SESSIONS,
    TEMPLATES_DIR,
    TERRITORY_FILE,
    ScenarioError,
    load_scenario,
    template_files,
)

# The sample actor is commented out: the territory starts empty, and an actor loaded once stays in the database
# even if its lines are removed later, so nothing fictitious may load by mistake.
SAMPLE_ACTOR = """\
# [[acteurs]]
# cle = "menuiserie-exemple"
# nom = "Menuiserie Exemple"
# type = "artisan"
# secteur = "Menuiserie bois"
# naf = "16.23Z"
# commune = "Saint-Exemple"
# statut = "pionnier"
# disponibilite_groupes = 1
# disponibilite_heures_mois = 4
# motivation = "Valoriser les chutes de bois et partager un véhicule utilitaire."
# consentement_public = false
#
# [acteurs.contact]
# nom = "Prénom Nom"
# role = "Gérant·e"
# email = "contact@menuiserie.example"
# telephone = "04 00 00 00 00"
#
# [acteurs.entretien]
# date = "2026-01-15"
# enqueteur = "Prénom de l’animateur·rice"
# problematiques = ["Les chutes de bois partent en déchetterie."]
# opportunites = ["Fournir du bois de chauffage à un voisin."]
# notes = ""
#
# [[acteurs.entretien.besoins]]
# categorie = "transport-logistique"
# description = "Un véhicule utilitaire deux jours par mois"
# frequence = "par mois"
#
# [[acteurs.entretien.capacites]]
# categorie = "matieres-dechets"
# description = "Chutes de bois non traité"
# quantite = 3
# unite = "m³"
# frequence = "par an"
"""

TERRITORY_TEMPLATE = """\
# Territoire « {name} » : le fichier à compléter, avec n’importe quel éditeur de texte.
# atelier le relit à chaque démarrage (`atelier serve DOSSIER`) : ce qui est nouveau ici est ajouté,
# rien n’est dupliqué, et un acteur ou un entretien modifié dans l’application n’est jamais écrasé.
#
# Les autres fichiers de ce dossier, modifiables aussi :
#   {categories}  les catégories de ressources et leur vocabulaire (un territoire peut ajouter les siennes) ;
#   {templates}/*.toml   les modèles d’atelier (phases, durées, consignes).
# Un fichier ressources.toml posé ici remplacerait la base de connaissances des ressources livrée avec atelier
# (elle aide à trouver les pistes de synergie) ; sans lui, c’est celle d’atelier qui sert.

[territoire]
# La clé identifie le territoire dans la base : minuscules, chiffres et tirets. Ne la changez plus après le
# premier démarrage : une autre clé ferait un autre territoire.
cle = {key}
nom = {name_toml}
description = ""

# ---------------------------------------------------------------------------------------------------------
# Les acteurs : copiez le modèle ci-dessous une fois par acteur, puis retirez le « # » du début de ses lignes.
# Seule la partie [[acteurs]] est obligatoire ; contact et entretien peuvent aussi se remplir dans l’application.
#   cle                  identifiant unique de l’acteur (minuscules et tirets) ;
#   type                 {kinds} ;
#   statut               {statuses} ;
#   consentement_public  true si l’acteur accepte que son nom paraisse au tableau et dans le plan publié,
#                        false sinon (il y est alors « un acteur ») ;
#   categorie            une clé de {categories} :
#                        {category_keys}.
#
{sample}"""


def territory_key(name: str) -> str:
    """A key for the database from a folder or territory name: 'Val d’Allier' -> 'val-d-allier'."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "mon-territoire"


def _listed(words: list[str]) -> str:
    """A list of values for a comment column, wrapped under itself."""
    return "\n#                        ".join(textwrap.wrap(", ".join(words), 80))


def init_territory(folder: Path, name: str | None = None, key: str | None = None) -> Path:
    """Writes territoire.toml (empty territory, commented sample actor), categories.toml and the templates."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScenarioError(f"{folder} existe déjà et n’est pas un dossier vide : rien n’a été écrit.")
    name = (name or folder.resolve().name).strip() or "Mon territoire"
    key = key or territory_key(name)
    if not re.fullmatch(r"[a-z0-9-]+", key):
        raise ScenarioError(f"Clé de territoire invalide : « {key} » (minuscules, chiffres et tirets seulement).")
    categories_text = (SESSIONS / CATEGORIES_FILE).read_text(encoding="utf-8")
    shipped = load_scenario()  # the shipped categories, to list their keys in the comments
    territory_text = TERRITORY_TEMPLATE.format(
        name=name, key=json.dumps(key), name_toml=json.dumps(name, ensure_ascii=False),
        categories=CATEGORIES_FILE, templates=TEMPLATES_DIR,
        kinds=_listed([k.value for k in ActorKind]), statuses=_listed([s.value for s in ActorStatus]),
        category_keys=_listed([c.key for c in shipped.categories]), sample=SAMPLE_ACTOR,
    )
    (folder / TEMPLATES_DIR).mkdir(parents=True, exist_ok=True)
    (folder / TERRITORY_FILE).write_text(territory_text, encoding="utf-8")
    (folder / CATEGORIES_FILE).write_text(categories_text, encoding="utf-8")
    for template in template_files(SESSIONS):
        (folder / TEMPLATES_DIR / template.name).write_text(template.read_text(encoding="utf-8"), encoding="utf-8")
    load_scenario(folder)  # what was written must load as it is
    return folder / TERRITORY_FILE
