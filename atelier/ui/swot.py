"""The SWOT (FFOM): the facilitator's page (items added, edited, merged) and the projector's four quadrants, filled
live."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from atelier.models import Quadrant, SwotItem
from atelier.rules import Refused
from atelier.service import Diagnostic, Service
from atelier.ui.common import TerritoryPage, show_refusal, territory_heading, testid

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


# --- SWOT (facilitator) --------------------------------------------------------------------------------------


class SwotConsole(TerritoryPage):
    def __init__(self, service: Service, diagnostic: Diagnostic, tr: Callable[..., str], language: str,
                 territory_id: int) -> None:
        super().__init__(service, diagnostic, tr, language, territory_id)
        self.rows: dict[int, ui.element] = {}
        self.selected: set[int] = set()

    def build(self) -> None:
        tr = self.tr
        with ui.column().classes("console gap-3"):
            territory_heading(self.territory_id, tr, tr("diag.swot"))
            with ui.row().classes("console-row"):
                quadrant = testid(ui.select({q.value: tr(k) for q, k in QUADRANT_KEYS.items()},
                                            value=Quadrant.STRENGTHS.value).classes("w-48"), "swot-quadrant")
                text = testid(ui.input(tr("swot.item")).classes("w-96"), "swot-text")

                def add() -> None:
                    try:
                        self.diagnostic.add_swot_item(self.territory_id, quadrant.value, text.value)
                    except Refused as refusal:
                        show_refusal(refusal, self.language)
                        return
                    text.set_value("")

                testid(ui.button(tr("swot.add"), on_click=add), "swot-add")
                testid(ui.button(tr("console.merge"), on_click=self.ask_merge).props("outline"), "swot-merge")
            with ui.grid(columns=2).classes("w-full gap-4"):
                self.columns = {}
                for q, key in QUADRANT_KEYS.items():
                    with ui.card().classes("w-full"):
                        ui.label(tr(key)).classes("text-lg font-bold")
                        self.columns[q] = testid(ui.column().classes("w-full gap-1"), f"quadrant-{q.value}")
        for item in self.diagnostic.swot(self.territory_id):
            self.show(item)
        self.service.hub.swot_changed(self.territory_id).subscribe(self.show)

    def show(self, item: SwotItem) -> None:
        tr = self.tr
        row = self.rows.pop(item.id, None)
        if row is not None:
            row.delete()
        if item.merged_into is not None:
            self.selected.discard(item.id)
            return
        with self.columns[item.quadrant], ui.row().classes("console-row no-wrap w-full") as row:
            ui.checkbox(value=item.id in self.selected,
                        on_change=lambda e, i=item.id: (self.selected.add(i) if e.value else self.selected.discard(i)))
            text = item.text + (f" — {item.organisation}" if item.organisation else "")
            ui.label(text).classes("grow break-words" + (" line-through opacity-60" if item.hidden else ""))
            ui.button(tr("console.edit"), on_click=lambda i=item: self.ask_edit(i)).props("flat dense no-caps")
            testid(ui.button(tr("console.unhide") if item.hidden else tr("console.hide"),
                             on_click=lambda i=item: self.diagnostic.set_swot_hidden(i.id, not i.hidden)).props(
                "flat dense no-caps"), f"swot-hide-{item.id}")
        self.rows[item.id] = row

    def ask_edit(self, item: SwotItem) -> None:
        tr = self.tr
        with ui.dialog() as dialog, ui.card().classes("w-[32rem]"):
            quadrant = ui.select({q.value: tr(k) for q, k in QUADRANT_KEYS.items()}, value=item.quadrant.value)
            text = ui.input(tr("swot.item"), value=item.text).classes("w-full")

            def save() -> None:
                try:
                    self.diagnostic.edit_swot_item(item.id, quadrant.value, text.value)
                except Refused as refusal:
                    show_refusal(refusal, self.language)
                    return
                dialog.close()

            with ui.row():
                ui.button(tr("phone.save"), on_click=save)
                ui.button(tr("phone.cancel"), on_click=dialog.close).props("flat")
        dialog.open()

    def ask_merge(self) -> None:
        tr = self.tr
        chosen = sorted(self.selected)
        if len(chosen) < 2:
            show_refusal(Refused("merge.too_few"), self.language)
            return
        with ui.dialog() as dialog, ui.card().classes("w-[32rem]"):
            text = ui.input(tr("swot.item")).classes("w-full")

            def merge() -> None:
                try:
                    self.diagnostic.merge_swot_items(chosen, text.value)
                except Refused as refusal:
                    show_refusal(refusal, self.language)
                    return
                self.selected.clear()
                dialog.close()

            with ui.row():
                ui.button(tr("console.merge"), on_click=merge)
                ui.button(tr("phone.cancel"), on_click=dialog.close).props("flat")
        dialog.open()
