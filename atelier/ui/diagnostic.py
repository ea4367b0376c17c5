"""The facilitator's diagnostic pages: their addresses, and the leads with their network.

The actors and their interview sheets are in `atelier.ui.actors`, the SWOT in `atelier.ui.swot`."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from nicegui import run, ui

from atelier.rules import Refused, network
from atelier.rules.lead_views import (
    STATUS_DISMISSED,
    STATUS_PROMOTED,
    LeadView,
    lead_explanation_parts,
    lead_reason,
    lead_title_parts,
)
from atelier.rules.leads import LeadKind
from atelier.service import Diagnostic, Service
from atelier.ui.actors import ActorsPage, InterviewPage
from atelier.ui.common import (
    Heading,
    TerritoryPage,
    open_facilitator_page,
    page_language,
    show_refusal,
    territory_menu,
    testid,
)
from atelier.ui.swot import SwotConsole


def register(service: Service) -> None:
    def open_page(title_key: str, lang: str | None) -> tuple[Diagnostic, Callable[..., str], str] | None:
        page = open_facilitator_page(service, lang, title_key)
        return (service.diagnostic(page.session), page.tr, page.language) if page else None

    @ui.page("/animation/territoire/{territory_id}/acteurs")
    def actors_page(territory_id: int, lang: str | None = None) -> None:
        opened = open_page("diag.actors", lang)
        if opened:
            ActorsPage(service, *opened, territory_id).build()

    @ui.page("/animation/acteur/{actor_id}")
    def interview_page(actor_id: int, lang: str | None = None) -> None:
        opened = open_page("diag.interview", lang)
        if opened:
            InterviewPage(*opened, actor_id).build()

    @ui.page("/animation/territoire/{territory_id}/pistes")
    async def leads_page(territory_id: int, lang: str | None = None) -> None:
        opened = open_page("diag.leads", lang)
        if opened:
            await LeadsPage(service, *opened, territory_id).build()

    @ui.page("/animation/territoire/{territory_id}/ffom")
    def swot_page(territory_id: int, lang: str | None = None) -> None:
        opened = open_page("diag.swot", lang)
        if opened:
            SwotConsole(service, *opened, territory_id).build()


# --- leads and network -------------------------------------------------------------------------------------


def quoted(parts: list[tuple[str, bool]]) -> ui.html:
    """Text whose quotes of the interviews are marked as French (they are, whatever the page's language): screen
    readers read them as French, and the page's language is not claimed for them. Every part is escaped."""
    return ui.html("".join(f'<span lang="fr">{escape(text)}</span>' if quote else escape(text)
                           for text, quote in parts), sanitize=False)


class LeadsPage(TerritoryPage):
    async def build(self) -> None:
        tr = self.tr
        with ui.column().classes("console gap-3"):
            territory_menu(self.territory_id, tr)
            Heading(tr("diag.leads")).classes("text-2xl font-bold")
            ui.label(tr("diag.leads_help")).classes("text-gray-800")
            self.chart_area = ui.column().classes("w-full")
            self.learned_area = testid(ui.column().classes("w-full gap-1"), "learned")
            self.list_area = testid(ui.column().classes("w-full gap-2"), "leads")
        await self.refresh()

    async def refresh(self) -> None:
        # Matching every need against every capacity is pure CPU work: off the event loop the phones share.
        views = await run.io_bound(self.diagnostic.leads, self.territory_id, True)
        names = self.service.actor_names(self.territory_id)
        categories = {c.key: c.in_language(page_language(None)) for c in self.service.categories(self.territory_id)}
        self.chart_area.clear()
        with self.chart_area:
            network_chart(views, names, categories, height="520px")
        self.show_learned()
        shown = [v for v in views if not v.learned_out and not v.held_back]
        learned_out = [v for v in views if v.learned_out]
        held_back = [v for v in views if v.held_back]
        self.list_area.clear()
        with self.list_area:
            ui.label(self.tr("diag.leads_count", count=len(shown))).classes("font-bold")
            for view in shown:
                self.lead_card(view, names, categories)
            if learned_out:
                with testid(ui.expansion(self.tr("diag.blocked_count", count=len(learned_out))), "learned-out"):
                    for view in learned_out:
                        self.lead_card(view, names, categories)
            if held_back:  # reachable: a facilitator may still take one up
                with testid(ui.expansion(self.tr("diag.held_back_count", count=len(held_back))), "held-back"):
                    for view in held_back:
                        self.lead_card(view, names, categories)

    def show_learned(self) -> None:
        """The per-territory rules the decisions made, each with its undo."""
        tr = self.tr
        rules = self.diagnostic.learned(self.territory_id)
        self.learned_area.clear()
        if not rules:
            return
        with self.learned_area:
            ui.label(tr("diag.learned")).classes("text-lg font-bold")
            ui.label(tr("diag.learned_help")).classes("text-sm text-gray-800")
            for rule in rules:
                evidence = ", ".join(rule.evidence_in(self.language))
                text = (tr("diag.learned_no", evidence=evidence, reason=rule.reason) if rule.status == STATUS_DISMISSED
                        else tr("diag.learned_yes", evidence=evidence))
                with testid(ui.row().classes("items-center gap-2"), "learned-rule"):
                    ui.label(text).classes("text-sm")
                    ui.button(tr("diag.undo"), on_click=lambda k=rule.lead_key: self.restore(k)).props(
                        "flat dense no-caps")

    def lead_card(self, view: LeadView, names: dict[str, str], categories: dict[str, Any]) -> None:
        tr = self.tr
        lead = view.lead
        category = categories.get(lead.category)
        with testid(ui.card().classes("w-full console-idea gap-1"), "lead").style(
                f"--stripe: {category.colour if category else '#888'}"):
            kind = tr("diag.substitution") if lead.kind == LeadKind.SUBSTITUTION else tr("diag.mutualisation")
            testid(quoted(lead_title_parts(lead, names, self.language)).classes("text-lg font-bold"), "lead-title")
            with ui.row().classes("console-row"):
                ui.label(f"{kind} · {category.label if category else lead.category}").classes("font-bold")
                testid(ui.label(tr("diag.strength", reason=lead_reason(lead, self.language))).classes(
                    f"text-sm lead-{lead.strength.value}"), "lead-strength")
                if view.status == STATUS_DISMISSED:
                    ui.label(tr("diag.dismissed", reason=view.reason)).classes("text-sm italic")
                elif view.status == STATUS_PROMOTED:
                    ui.label(tr("diag.promoted")).classes("text-sm italic")
                elif view.learned_out:
                    ui.label(tr("diag.blocked", reason=lead.blocked_reason or tr("lead.similar_dismissed"))).classes(
                        "text-sm italic")
                elif view.held_back:
                    ui.label(tr("diag.held_back")).classes("text-sm italic")
            for entry in lead.entries:
                nature = tr("diag.offer") if entry.kind.value == "capacite" else tr("diag.need")
                ui.label(tr("diag.entry_line", who=names.get(entry.actor_key, entry.actor_key), nature=nature,
                            text=entry.description)).classes("text-sm")
            with testid(ui.column().classes("gap-0"), "lead-why"):
                ui.label(tr("diag.why")).classes("text-sm font-bold")
                for line in lead_explanation_parts(lead, self.language):
                    quoted([("• ", False), *line]).classes("text-sm text-gray-800")
            with ui.row().classes("gap-2"):
                if view.status == STATUS_DISMISSED:
                    ui.button(tr("diag.restore"), on_click=lambda k=lead.key: self.restore(k)).props(
                        "flat dense no-caps")
                elif view.status != STATUS_PROMOTED:
                    ui.button(tr("diag.dismiss"), on_click=lambda k=lead.key: self.ask_dismiss(k)).props(
                        "flat dense no-caps")
                    ui.button(tr("diag.promote"), on_click=lambda k=lead.key: self.ask_promote(k)).props(
                        "flat dense no-caps")

    async def restore(self, key: str) -> None:
        self.diagnostic.restore_lead(self.territory_id, key)
        await self.refresh()

    def ask_dismiss(self, key: str) -> None:
        tr = self.tr
        with ui.dialog() as dialog, ui.card().classes("w-[32rem]"):
            reason = testid(ui.input(tr("diag.reason")).classes("w-full"), "dismiss-reason")
            error = ui.label().classes("phone-error")

            async def dismiss() -> None:
                try:
                    self.diagnostic.dismiss_lead(self.territory_id, key, reason.value)
                except Refused as refusal:
                    error.set_text(tr(refusal.key, **refusal.params))
                    return
                dialog.close()
                await self.refresh()

            with ui.row():
                testid(ui.button(tr("diag.dismiss"), on_click=dismiss), "dismiss-confirm")
                ui.button(tr("phone.cancel"), on_click=dialog.close).props("flat")
        dialog.open()

    def ask_promote(self, key: str) -> None:
        tr = self.tr
        workshops = {w.id: f"{w.title} — {w.code}" for w in self.service.workshops(self.territory_id)}
        with ui.dialog() as dialog, ui.card().classes("w-[32rem]"):
            ui.label(tr("diag.promote_to")).classes("font-bold")
            choice = ui.select(workshops, value=next(iter(workshops), None)).classes("w-full")

            async def promote() -> None:
                try:
                    idea = self.diagnostic.promote_lead(self.territory_id, key, choice.value)
                except Refused as refusal:
                    show_refusal(refusal, self.language)
                    return
                dialog.close()
                ui.notify(tr("diag.promoted_as", title=idea.title), type="positive")
                await self.refresh()

            with ui.row():
                testid(ui.button(tr("diag.promote"), on_click=promote), "promote-confirm")
                ui.button(tr("phone.cancel"), on_click=dialog.close).props("flat")
        dialog.open()


def network_options(views: list[LeadView], names: dict[str, str], categories: dict[str, Any], dark: bool = False,
                    scale: float = 0.6, label_floor_px: float = 0.0) -> dict[str, Any]:
    """Actors as nodes, leads as links coloured by category (a mutualisation links each pair of its actors).

    The positions come from rules.network.layout: the same at every load, labels apart, every node inside the
    frame. `scale` is the chart's size over the frame's (its labels are sized for it, in pixels); the labels are
    at least `label_floor_px` on screen unless the frame has too few places for that many actors."""
    shown = [v for v in views if not v.hidden]
    degree: dict[str, int] = {}
    pairs_seen: list[tuple[str, str, str]] = []
    for view in shown:
        lead = view.lead
        colour = categories[lead.category].colour if lead.category in categories else "#888888"
        keys = lead.actor_keys
        pairs = ([(p, r) for p in lead.providers for r in lead.receivers if p != r]
                 if lead.kind == LeadKind.SUBSTITUTION else
                 [(a, b) for i, a in enumerate(keys) for b in keys[i + 1:]])
        for a, b in pairs:
            degree[a] = degree.get(a, 0) + 1
            degree[b] = degree.get(b, 0) + 1
            pairs_seen.append((a, b, colour))
    font = max(LABEL_FONT, label_floor_px / scale)
    placed = network.layout([(k, names.get(k, k)) for k in degree], [(a, b) for a, b, _ in pairs_seen], font)
    label_px = max(11, round((next(iter(placed.values())).font if placed else font) * scale))
    links = [{"source": a, "target": b, "lineStyle": {"color": colour, "width": 3, "opacity": 0.8}}
             for a, b, colour in pairs_seen]
    nodes = [{"id": k, "name": names.get(k, k), "x": round(p.x, 1), "y": round(p.y, 1),
              # At most 30 frame units: the node stays within its cell, above its label (rules/network.py).
              "symbolSize": round((14 + 2 * min(degree[k], 8)) * scale),
              "label": {"show": True, "position": "bottom", "distance": 4,
                        "formatter": "\n".join(network.wrapped(names.get(k, k))),
                        # Light text on a dark outline: readable over any link or node colour.
                        "color": "#ffffff" if dark else "#111111", "fontSize": label_px, "fontWeight": "bold",
                        "textBorderColor": "#0b0f14" if dark else "#ffffff", "textBorderWidth": 3,
                        "lineHeight": round(label_px * network.LINE)}}
             for k, p in sorted(placed.items())]
    # Two invisible corners pin the frame: the chart maps the whole frame, not just the nodes' extent.
    nodes += [{"id": f"_corner{n}", "name": "", "x": x, "y": y, "symbolSize": 0, "label": {"show": False},
               "tooltip": {"show": False}, "silent": True}
              for n, (x, y) in enumerate(((0, 0), (network.WIDTH, network.HEIGHT)))]
    return {
        "backgroundColor": "transparent", "animation": False,
        "tooltip": {},
        "series": [{
            "type": "graph", "layout": "none", "roam": False, "draggable": False,
            "left": 0, "right": 0, "top": 0, "bottom": 0,
            "itemStyle": {"color": "#0b5cad" if not dark else "#ffd54f", "borderColor": "#0b0f14" if dark else "#fff",
                          "borderWidth": 2},
            "data": nodes, "links": links,
        }],
    }


LABEL_FONT = 26.0  # in the frame's units (rules.network.WIDTH wide)


def network_chart(views: list[LeadView], names: dict[str, str], categories: dict[str, Any], height: str,
                  dark: bool = False, scale: float = 0.6, label_floor_px: float = 0.0) -> ui.echart:
    options = network_options(views, names, categories, dark, scale, label_floor_px)
    return ui.echart(options).style(f"height: {height}; width: 100%")
