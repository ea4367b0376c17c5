"""How this atelier process runs: where its database is, which address phones reach."""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

import platformdirs

from atelier.scenario import DEMO_TERRITORY


def default_db_path(demo: bool) -> Path:
    name = "demo.sqlite" if demo else "atelier.sqlite"
    return Path(platformdirs.user_data_dir("atelier")) / name


@dataclass(frozen=True)
class Config:
    db_path: Path
    host: str = "0.0.0.0"
    port: int = 8080
    public_url: str | None = None
    scenario: Traversable = DEMO_TERRITORY  # a territory file or folder; the shipped demo by default
    demo: bool = False

    @classmethod
    def from_env(cls) -> Config:
        demo = bool(os.environ.get("ATELIER_DEMO"))
        return cls(
            db_path=Path(os.environ.get("ATELIER_DB") or default_db_path(demo)),
            host=os.environ.get("ATELIER_HOST", "0.0.0.0"),
            port=int(os.environ.get("ATELIER_PORT", "8080")),
            public_url=os.environ.get("ATELIER_PUBLIC_URL") or None,
            scenario=Path(os.environ["ATELIER_SCENARIO"]) if os.environ.get("ATELIER_SCENARIO") else DEMO_TERRITORY,
            demo=demo,
        )
