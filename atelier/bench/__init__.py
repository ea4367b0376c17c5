"""`atelier bench`: simulated phones against a live workshop (see atelier.bench.run)."""

from __future__ import annotations

from typing import Any

# The rating load's defaults (`atelier bench --ratings`), shared by the command line and atelier.bench.run.
DEFAULT_ACTIONS = 12
DEFAULT_THINK = 3.0  # mean seconds a phone spends on one action before saving


def main(args: Any) -> int:
    """Entry point of `atelier bench` (the import is deferred: the bench needs psutil and socket.io)."""
    from atelier.bench.run import main as run_main

    return run_main(args)


__all__ = ["DEFAULT_ACTIONS", "DEFAULT_THINK", "main"]
