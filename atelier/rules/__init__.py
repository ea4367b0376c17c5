"""Pure domain rules: no NiceGUI, no SQLite."""

from __future__ import annotations


class Refused(Exception):
    """A request the rules turn down; `key` names the message in the catalogue, shown to the person."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
