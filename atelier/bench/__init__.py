"""`atelier bench`: simulated phones against a live workshop (see atelier.bench.run)."""

from __future__ import annotations

from typing import Any


def main(args: Any) -> int:
    """Entry point of `atelier bench` (the import is deferred: the bench needs psutil and socket.io)."""
    from atelier.bench.run import main as run_main

    return run_main(args)


__all__ = ["main"]
