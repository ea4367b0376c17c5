"""The method guide (facilitator): the steps of the method, where the territory stands, a checklist and tips.

The method's content (titles, purposes, checks, tips) comes from `atelier.rules.method` in the page's language;
its words and the page's frame are in the message catalogue (`atelier.i18n.method`).
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import run, ui

from atelier.rules import Refused
from atelier.rules.method import CheckItem, MethodStep, counted, current_step, method_steps
from atelier.service import Service
from atelier.ui.common import (
    open_facilitator_page,
    territory_heading,
    territory_menu,
    testid,
    translator,
)

DONE_MARK = "✓"
TODO_MARK = "○"
HIGHLIGHT = "border-left: 8px solid var(--q-primary); background: #eef4fb"


def register(service: Service) -> None:
    @ui.page("/animation/territoire/{territory_id}/methode")
    async def method_page(territory_id: int, lang: str | None = None) -> None:
        page = open_facilitator_page(service, lang, "guide.page_title")
        if not page:
            return
        language, tr = page.language, page.tr
        try:
            # The counts include lead detection: off the event loop the phones share.
            counts = await run.io_bound(service.method_counts, territory_id)
        except Refused as refusal:
            with ui.column().classes("console gap-3"):
                territory_menu(territory_id, tr)
                ui.label(tr(refusal.key, **refusal.params)).classes("phone-error")
            return
        MethodGuide(territory_id, language, method_steps(counts, territory_id, language)).build()


def percent(value: float) -> str:
    return f"{round(value * 100)} %"


def step_heading(number: int, step: MethodStep) -> str:
    return f"{number}. {step.title}"


class MethodGuide:
    def __init__(self, territory_id: int, lang: str, steps: list[MethodStep]) -> None:
        self.territory_id = territory_id
        self.lang = lang
        self.tr = translator(lang)
        self.steps = steps
        self.current = current_step(steps)

    def build(self) -> None:
        with ui.column().classes("console gap-4"):
            territory_heading(self.territory_id, self.tr, self.tr("guide.page_title"))
            self.summary()
            self.standing()
            ui.label(self.tr("guide.steps")).classes("text-xl font-bold mt-2")
            for number, step in enumerate(self.steps, start=1):
                self.step_card(number, step)

    def summary(self) -> None:
        done = sum(step.done for step in self.steps)
        tr = self.tr
        with testid(ui.card().classes("w-full gap-1").style(HIGHLIGHT), "current-step"):
            ui.label(counted(done, "guide.done_count", self.lang, total=len(self.steps))).classes(
                "text-sm text-gray-800")
            current = self.current
            if current is None:
                ui.label(tr("guide.all_done")).classes("text-xl font-bold")
                ui.label(tr("guide.all_done_next"))
                return
            number = self.steps.index(current) + 1
            ui.label(tr("guide.current", step=step_heading(number, current))).classes("text-xl font-bold")
            ui.label(current.purpose)
            remaining = [item for item in current.checklist if not item.done]
            if remaining:
                ui.label(tr("guide.remaining")).classes("font-bold mt-1")
                for item in remaining:
                    check_line(item, tr)
            ui.link(tr("guide.go"), current.link).classes("text-lg font-bold")

    def standing(self) -> None:
        tr = self.tr
        ui.label(tr("guide.standing")).classes("text-xl font-bold mt-2")
        with ui.grid(columns="minmax(14rem, 28rem) 1fr 9rem").classes("w-full items-center gap-x-4 gap-y-2"):
            for number, step in enumerate(self.steps, start=1):
                is_current = step is self.current
                heading = step_heading(number, step)
                ui.label(heading).classes("font-bold" if is_current else "")
                figure = f"{sum(i.done for i in step.checklist)}/{len(step.checklist)} · {percent(step.progress)}"
                bar = ui.linear_progress(step.progress, show_value=False, size="14px",
                                         color="positive" if step.done else "primary")
                bar.props["aria-label"] = heading
                bar.props["aria-valuetext"] = f"{figure}{tr('guide.current_spoken') if is_current else ''}"
                testid(bar, f"progress-{step.key}")
                ui.label(f"{figure}{' · ' + tr('guide.current_tag') if is_current else ''}").classes(
                    "tabular-nums " + ("font-bold" if is_current else ""))

    def step_card(self, number: int, step: MethodStep) -> None:
        is_current = step is self.current
        tr = self.tr
        state = tr("guide.state_done" if step.done else ("guide.state_current" if is_current else "guide.state_later"))
        icon = "check_circle" if step.done else ("play_circle" if is_current else "radio_button_unchecked")
        expansion = ui.expansion(f"{step_heading(number, step)} — {state}", icon=icon,
                                 value=is_current).classes("w-full border rounded").style(
            HIGHLIGHT if is_current else "")
        with testid(expansion, f"method-step-{step.key}"):
            ui.label(step.purpose).classes("italic")
            ui.label(tr("guide.checklist")).classes("font-bold mt-2")
            with ui.column().classes("gap-1"):
                for item in step.checklist:
                    check_line(item, tr)
            ui.label(tr("guide.tips")).classes("font-bold mt-2")
            with ui.element("ul").classes("list-disc pl-6"):
                for tip in step.tips:
                    with ui.element("li"):
                        ui.label(tip)
            ui.link(tr("guide.go"), step.link).classes("font-bold mt-2")


def check_line(item: CheckItem, tr: Callable[..., str]) -> None:
    with ui.row().classes("items-baseline gap-2 no-wrap"):
        mark = ui.label(DONE_MARK if item.done else TODO_MARK).classes(
            "font-bold " + ("text-green-800" if item.done else "text-gray-700"))
        mark.props('aria-hidden="true"')
        ui.label(item.text)
        # Screen readers get the state in words, not the glyph.
        ui.label(tr("guide.check_done" if item.done else "guide.check_todo")).classes("sr-only")
