"""The SWOT (FFOM) as the projector shows it: four quadrants, filled live."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from atelier.models import Quadrant, SwotItem
from atelier.ui.common import testid

QUADRANT_KEYS = {Quadrant.STRENGTHS: "swot.strengths", Quadrant.WEAKNESSES: "swot.weaknesses",
                 Quadrant.OPPORTUNITIES: "swot.opportunities", Quadrant.THREATS: "swot.threats"}
QUADRANT_COLOURS = {Quadrant.STRENGTHS: "#81c784", Quadrant.WEAKNESSES: "#ffb74d",
                    Quadrant.OPPORTUNITIES: "#64b5f6", Quadrant.THREATS: "#e57373"}


class SwotWall:
    """Each item is a line added, changed or removed on its own, as the idea cards are."""

    def __init__(self, tr: Callable[..., str]) -> None:
        self.lines: dict[int, ui.element] = {}
        with testid(ui.element("section").classes("swot-wall"), "swot-wall") as self.root:
            self.quadrants: dict[Quadrant, ui.element] = {}
            for quadrant, key in QUADRANT_KEYS.items():
                with ui.element("div").classes("swot-quadrant").style(f"--stripe: {QUADRANT_COLOURS[quadrant]}"):
                    ui.label(tr(key)).classes("swot-title")
                    self.quadrants[quadrant] = testid(ui.element("div").classes("swot-items"),
                                                      f"swot-{quadrant.value}")

    def show(self, item: SwotItem) -> None:
        line = self.lines.pop(item.id, None)
        if line is not None:
            line.delete()
        if not item.on_board:
            return
        with self.quadrants[item.quadrant]:
            self.lines[item.id] = ui.label(item.text).classes("swot-item")  # text, never markup
