"""Reads the human-edited scenario files into validated models (no database here).

The shipped files (demo territory, resource categories, workshop templates) live in the top-level `sessions/`
folder of the checkout, which the build maps to the package `atelier.sessions`: they are read through
importlib.resources, so a checkout and an installed wheel read the same files. A territory of one's own is a
folder made by `atelier init` (territoire.toml, categories.toml, ateliers/*.toml), or a single territory file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from atelier.models import CategoriesFile, Category, KnowledgeFile, TerritoryFile, WorkshopTemplate

SESSIONS: Traversable = files("atelier.sessions")
SESSIONS_DIR = SESSIONS  # the same folder, by its older name (the leads bench and tests use it)
DEMO_TERRITORY: Traversable = SESSIONS / "demo" / "territoire.toml"
# The names of the files in a territory folder (and in the shipped sessions).
TERRITORY_FILE = "territoire.toml"
CATEGORIES_FILE = "categories.toml"
TEMPLATES_DIR = "ateliers"
KNOWLEDGE_FILE = "ressources.toml"

M = TypeVar("M", TerritoryFile, CategoriesFile, WorkshopTemplate, KnowledgeFile)


class ScenarioError(Exception):
    """A scenario file that cannot be used; the message says which file and what is wrong, in French."""


@dataclass(frozen=True)
class Scenario:
    territory: TerritoryFile
    categories: list[Category]
    templates: list[WorkshopTemplate]
    knowledge: KnowledgeFile = field(default_factory=KnowledgeFile)  # the resource knowledge base of the leads


def _read_toml(path: Traversable) -> dict:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as e:
        raise ScenarioError(f"Fichier introuvable : {path}") from e
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ScenarioError(f"{path} n’est pas un fichier TOML valide : {e}") from e


def _validated(model: type[M], path: Traversable) -> M:
    try:
        return model.model_validate(_read_toml(path))
    except ValidationError as e:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc'])} : {err['msg']}" for err in e.errors())
        raise ScenarioError(f"{path} : {problems}") from e


def template_files(sessions_dir: Traversable) -> list[Traversable]:
    """The workshop templates of a folder, in name order (`ateliers/*.toml`)."""
    folder = sessions_dir / TEMPLATES_DIR
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if p.name.endswith(".toml") and p.is_file()), key=lambda p: p.name)


def scenario_sources(source: Traversable) -> tuple[Traversable, Traversable]:
    """(territory file, folder of the categories and templates) for what `--scenario` names.

    A folder made by `atelier init` holds its own categories and templates; one it lacks is taken from the shipped
    ones, so a territory folder may keep only what it changes. A single territory file uses the shipped ones.
    """
    if source.is_dir():
        territory = source / TERRITORY_FILE
        if not territory.is_file():
            raise ScenarioError(f"Le dossier {source} n’a pas de fichier {TERRITORY_FILE} "
                                "(créez-le avec `atelier init DOSSIER`).")
        return territory, source
    return source, SESSIONS


def load_scenario(source: Traversable | Path = DEMO_TERRITORY) -> Scenario:
    """The territory of a file or a territory folder, with its categories, workshop templates and resource
    knowledge base (each from the folder if it has its own, else the shipped one)."""
    territory_path, own_dir = scenario_sources(source)
    categories_path = own_dir / CATEGORIES_FILE
    if not categories_path.is_file():
        categories_path = SESSIONS / CATEGORIES_FILE
    territory = _validated(TerritoryFile, territory_path)
    categories = _validated(CategoriesFile, categories_path).categories
    templates = [_validated(WorkshopTemplate, p) for p in template_files(own_dir) or template_files(SESSIONS)]
    if not templates:
        raise ScenarioError(f"Aucun modèle d’atelier dans {SESSIONS / TEMPLATES_DIR}")
    known = {c.key for c in categories}
    for actor in territory.actors:
        items = [*actor.interview.needs, *actor.interview.capacities] if actor.interview else []
        for item in items:
            if item.category not in known:
                raise ScenarioError(
                    f"{territory_path} : l’acteur « {actor.name} » cite la catégorie inconnue « {item.category} »"
                )
    knowledge_dir = own_dir if (own_dir / KNOWLEDGE_FILE).is_file() else SESSIONS
    return Scenario(territory, categories, templates, load_knowledge(knowledge_dir))


def load_knowledge(sessions_dir: Traversable | Path = SESSIONS) -> KnowledgeFile:
    """The resource knowledge base (`ressources.toml` of `sessions_dir`), checked for references to nothing.

    Without the file the leads are matched on words alone: a territory may run without it.
    """
    path = sessions_dir / KNOWLEDGE_FILE
    if not path.is_file():
        return KnowledgeFile()
    knowledge = _validated(KnowledgeFile, path)
    problems = knowledge.problems()
    if problems:
        raise ScenarioError(f"{path} : " + " ; ".join(problems[:10]))
    return knowledge
