"""Reads the human-edited scenario files of `sessions/` into validated models (no database here)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from atelier.models import CategoriesFile, Category, KnowledgeFile, TerritoryFile, WorkshopTemplate

SESSIONS_DIR = Path(__file__).resolve().parent.parent / "sessions"
DEMO_TERRITORY = SESSIONS_DIR / "demo" / "territoire.toml"
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


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError as e:
        raise ScenarioError(f"Fichier introuvable : {path}") from e
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ScenarioError(f"{path} n’est pas un fichier TOML valide : {e}") from e


def _validated(model: type[M], path: Path) -> M:
    try:
        return model.model_validate(_read_toml(path))
    except ValidationError as e:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc'])} : {err['msg']}" for err in e.errors())
        raise ScenarioError(f"{path} : {problems}") from e


def load_scenario(territory_path: Path = DEMO_TERRITORY, sessions_dir: Path = SESSIONS_DIR) -> Scenario:
    """The territory file, with the categories, the workshop templates and the resource knowledge base found in
    `sessions_dir`."""
    territory = _validated(TerritoryFile, territory_path)
    categories = _validated(CategoriesFile, sessions_dir / "categories.toml").categories
    templates = [_validated(WorkshopTemplate, p) for p in sorted((sessions_dir / "ateliers").glob("*.toml"))]
    if not templates:
        raise ScenarioError(f"Aucun modèle d’atelier dans {sessions_dir / 'ateliers'}")
    known = {c.key for c in categories}
    for actor in territory.actors:
        items = [*actor.interview.needs, *actor.interview.capacities] if actor.interview else []
        for item in items:
            if item.category not in known:
                raise ScenarioError(
                    f"{territory_path} : l’acteur « {actor.name} » cite la catégorie inconnue « {item.category} »"
                )
    return Scenario(territory, categories, templates, load_knowledge(sessions_dir))


def load_knowledge(sessions_dir: Path = SESSIONS_DIR) -> KnowledgeFile:
    """The resource knowledge base (`ressources.toml` of `sessions_dir`), checked for references to nothing.

    Without the file the leads are matched on words alone: a territory may run without it.
    """
    path = sessions_dir / KNOWLEDGE_FILE
    if not path.exists():
        return KnowledgeFile()
    knowledge = _validated(KnowledgeFile, path)
    problems = knowledge.problems()
    if problems:
        raise ScenarioError(f"{path} : " + " ; ".join(problems[:10]))
    return knowledge
