"""What a simulated board's wall shows: board.js draws the cards in the browser, so NiceGUI `User` tests read the
ideas from the data the server sends the board (shared by every `User` test that reads the wall)."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from nicegui.testing import User


class WallData:
    """What a board's wall was sent: board.js draws the cards in the browser, so a simulated board reads the
    ideas from the calls the server made (added, changed, taken off)."""

    PUT = re.compile(r"atelierWall\.put\((.*), (?:true|false)\)$", re.S)

    def __init__(self, board: User) -> None:
        """Call after `board.open`: listens to what the server sends that board from then on."""
        self.ideas: dict[int, dict[str, Any]] = {}
        outbox = board.client.outbox  # type: ignore[union-attr]
        emit = outbox._emit

        async def listening(message: Any) -> None:
            await emit(message)
            _, kind, data = message
            if kind == "run_javascript" and (match := self.PUT.match(data["code"])):
                self.put(match)

        outbox._emit = listening  # type: ignore[method-assign]

    def put(self, match: re.Match) -> None:
        for item in json.loads(match.group(1)):
            if item.get("gone"):
                self.ideas.pop(item["id"], None)
            else:
                self.ideas[item["id"]] = item

    def texts(self) -> list[str]:
        return [text for i in self.ideas.values() for text in (i["t"], i.get("o", ""), *i.get("g", []))]

    async def shows(self, text: str, present: bool = True) -> None:
        for _ in range(50):
            if (text in self.texts()) == present:
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"the wall {'does not show' if present else 'still shows'} {text!r}: {self.texts()}")

    async def card_has(self, idea_id: int, key: str, value: object) -> None:
        """Waits until the card of `idea_id` carries `value` under `key` (as board.js receives it: "c" its
        category, "s" its support count, "o" its organisation...)."""
        for _ in range(50):
            if self.ideas.get(idea_id, {}).get(key) == value:
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"the card {idea_id} has {key}={self.ideas.get(idea_id, {}).get(key)!r}, not {value!r}")
