"""The action plan: a read-only page for the participants (by the workshop's code), and the facilitator's page
where each selected action gets its next step, owner, due date and status, with the downloads."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import run, ui

from atelier.exports.formats import FORMATS, render
from atelier.exports.model import ActionPlan, PlanAction
from atelier.exports.plan import build_plan
from atelier.models import ACTION_STATUSES
from atelier.rules import Refused
from atelier.service import SELECTED, Selection, Service
from atelier.ui.common import (
    LOGIN_PATH,
    Heading,
    forget_first_served_texts,
    guard_facilitator_page,
    language_link,
    page_language,
    setup_page,
    show_refusal,
    testid,
    translator,
)


def action_block(tr: Callable[..., str], a: PlanAction, vote_mode: str) -> None:
    with testid(ui.card().classes("w-full gap-1 plan-action"), f"plan-action-{a.id}").style(
            f"border-left: 6px solid {a.category_colour}"):
        ui.label(a.title).classes("text-lg font-bold break-words")
        ui.label(" · ".join(x for x in (a.category, a.horizon, a.status) if x)).classes("text-sm")
        if a.description:
            ui.label(a.description).classes("text-base whitespace-pre-wrap break-words")
        if a.pilot:
            ui.label(tr("plan.pilot", name=a.pilot)).classes("text-sm")
        if a.contributors:
            ui.label(tr("plan.contributors", names=", ".join(a.contributors))).classes("text-sm")
        if vote_mode == "points":
            ui.label(tr("results.points", points=a.points)).classes("text-sm")
        elif a.ratings:
            ui.label(tr("plan.grades", impact=a.impact_median, ease=a.ease_median, count=a.ratings)).classes("text-sm")
        if a.selected and a.low_hanging_fruit:
            ui.label(tr("plan.reason_fruit", reason=a.fruit_reason)).classes("text-sm italic")
        if not a.selected and a.unselection_reason:
            ui.label(tr("plan.reason_not", reason=a.unselection_reason)).classes("text-sm italic")
        if a.next_step:
            due = f" — {tr('plan.due')} {a.next_step_due}" if a.next_step_due else ""
            ui.label(f"{tr('plan.next_step')} : {a.next_step} — {a.next_step_owner}{due}").classes("text-sm")


def plan_sections(tr: Callable[..., str], plan: ActionPlan) -> None:
    ui.label(f"{plan.territory} — {plan.workshop}").classes("text-lg")
    if not any(a.selected for a in plan.actions):
        testid(ui.label(tr("plan.empty")).classes("phone-closed"), "plan-empty")
    for key, actions in (("plan.fruits", plan.low_hanging_fruit), ("plan.groups", plan.working_group_actions),
                         ("plan.others", plan.other_selected), ("plan.not_selected", plan.not_selected)):
        if actions:
            ui.label(tr(key)).classes("text-xl font-bold mt-3")
            for a in actions:
                action_block(tr, a, plan.vote_mode)


def register(service: Service, public_base_url: str) -> None:
    @ui.page("/plan/{code}")
    async def public_plan(code: str, lang: str | None = None) -> None:
        language = page_language(lang)
        tr = translator(language)
        setup_page(tr("plan.title"), language)
        try:
            workshop = service.workshop_by_code(code)
        except Refused as refusal:
            ui.label(tr(refusal.key, **refusal.params)).classes("phone-error p-4")
            return
        plan = await run.io_bound(build_plan, service, workshop.id, language)
        with ui.column().classes("phone gap-2"):
            Heading(tr("plan.title")).classes("phone-title")
            with ui.column().classes("w-full gap-2") as sections:
                plan_sections(tr, plan)
            language_link(language)

        async def renamed() -> None:
            # An actor's publication consent changed: the open plan names it (or stops naming it) at once.
            fresh = await run.io_bound(build_plan, service, workshop.id, language)
            sections.clear()
            with sections:
                plan_sections(tr, fresh)
            forget_first_served_texts()

        service.hub.names_changed(workshop.territory_id).subscribe(renamed)

    @ui.page("/animation/atelier/{workshop_id}/plan")
    async def plan_console(workshop_id: int, lang: str | None = None) -> None:
        language = page_language(lang)
        tr = translator(language)
        setup_page(tr("plan.title"), language)
        try:
            selection = service.selection(guard_facilitator_page(language))
            workshop = service.workshop(workshop_id)
        except Refused:
            ui.navigate.to(LOGIN_PATH)
            return
        PlanConsole(service, selection, tr, language, workshop.id, public_base_url).build()


class PlanConsole:
    def __init__(self, service: Service, selection: Selection, tr: Callable[..., str], language: str,
                 workshop_id: int, base_url: str) -> None:
        self.service = service
        self.selection = selection
        self.tr = tr
        self.language = language
        self.workshop = service.workshop(workshop_id)
        self.base_url = base_url

    def build(self) -> None:
        tr = self.tr
        w = self.workshop
        with ui.column().classes("console gap-3"):
            with ui.row().classes("gap-4 text-lg"):
                ui.link(tr("console.workshops"), "/animation")
                ui.link(w.title, f"/animation/atelier/{w.id}")
                ui.link(tr("selection.title"), f"/animation/atelier/{w.id}/selection")
            Heading(tr("plan.title")).classes("text-2xl font-bold")
            testid(ui.label(tr("plan.share", url=f"{self.base_url}/plan/{w.code}")), "plan-link")
            with ui.row().classes("console-row"):
                ui.label(tr("plan.downloads")).classes("font-bold")
                for fmt in FORMATS:
                    testid(ui.button(tr(f"format.{fmt}"), on_click=lambda f=fmt: self.download(f))
                           .props("outline no-caps"), f"download-{fmt}")
            self.follow_up = testid(ui.column().classes("w-full gap-2"), "follow-up")
        self.show_follow_up()

    def show_follow_up(self) -> None:
        tr = self.tr
        self.follow_up.clear()
        with self.follow_up:
            actions = self.service.candidate_actions(self.workshop.territory_id)
            selected = [a for a in actions if a.selection == SELECTED]
            if not selected:
                ui.label(tr("plan.empty")).classes("phone-closed")
            for a in selected:
                with ui.card().classes("w-full gap-1"):
                    ui.label(a.title).classes("font-bold")
                    with ui.row().classes("console-row w-full"):
                        step = ui.input(tr("plan.next_step"), value=a.next_step).classes("grow")
                        owner = ui.input(tr("plan.owner"), value=a.next_step_owner).classes("w-56")
                        due = ui.input(tr("plan.due"), value=a.next_step_due).props("type=date stack-label")
                        statuses = {s: tr(f"status.{s}") for s in ACTION_STATUSES}
                        status = ui.select(statuses, value=a.status, label=tr("plan.status")).classes("w-40")
                        reason = testid(ui.input(tr("plan.status_reason")).classes("w-64"), f"status-reason-{a.id}")
                        testid(ui.button(tr("phone.save"), on_click=lambda a=a, s=step, o=owner, d=due, st=status,
                                         r=reason: self.save(a.id, s.value, o.value, d.value, st.value, r.value)),
                               f"follow-up-{a.id}")

    def save(self, action_id: int, step: str, owner: str, due: str, status: str, reason: str) -> None:
        try:
            self.selection.set_follow_up(action_id, step, owner, due, status, reason)
        except Refused as refusal:
            show_refusal(refusal, self.language)
            return
        ui.notify(self.tr("console.saved"), type="positive")

    async def download(self, fmt: str) -> None:
        # A PDF of 60 actions takes a while: built off the event loop the phones share.
        ui.notify(self.tr("plan.generating"))
        plan = await run.io_bound(build_plan, self.service, self.workshop.id)
        content, filename = await run.io_bound(render, plan, fmt)
        ui.download.content(content, filename)
