"""Workshop 2 on screen: live results on the projector and the facilitator's selection console (the phone's rating
screen is in phone_rating.py)."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from atelier.models import Action, Workshop
from atelier.rules import Refused
from atelier.rules.selection import Engagement, Horizon, fruit_reason
from atelier.service import NOT_SELECTED, SELECTED, ActionResult, Selection, SelectionResults, Service
from atelier.ui.common import (
    LOGIN_PATH,
    Heading,
    guard_facilitator_page,
    page_language,
    setup_page,
    show_refusal,
    territory_menu,
    testid,
    translator,
)
from atelier.ui.matrix import matrix_options

HORIZON_KEYS = {Horizon.SHORT: "horizon.short", Horizon.MEDIUM: "horizon.medium", Horizon.LONG: "horizon.long"}
ENGAGEMENT_KEYS = {Engagement.LEAD: "engagement.lead", Engagement.CONTRIBUTOR: "engagement.contributor",
                   Engagement.INTERESTED: "engagement.interested", Engagement.NONE: "engagement.none"}
RESULT_PHASES = ("vote", "resultats", "selection", "cloture")


def shows_results(workshop: Workshop) -> bool:
    return workshop.template_key == "selection" and workshop.phase.key in RESULT_PHASES


# --- projector -----------------------------------------------------------------------------------------------


def voters_text(tr: Callable[..., str], results: SelectionResults) -> str:
    """Who voted, and how many votes the facilitator excluded (identities created in bulk), when any."""
    text = tr("results.voters", count=results.voters)
    if results.excluded_votes:
        text += " · " + tr("results.excluded", votes=results.excluded_votes, voters=results.excluded_voters)
    return text


class ResultsView:
    """The impact × ease matrix (ui/matrix.py: the rule's own) and the ranking; one update per tick of the results
    loop, never per vote."""

    def __init__(self, tr: Callable[..., str], workshop: Workshop, dark: bool = True, font: int = 19) -> None:
        self.tr = tr
        self.workshop = workshop
        self.dark = dark
        self.font = font  # the board sets it from its screen's height
        with testid(ui.element("section").classes("results"), "results") as self.root:
            self.voters = testid(ui.label().classes("results-voters"), "voters")
            self.hidden_note = ui.label(tr("results.hidden")).classes("results-hidden")
            with ui.element("div").classes("results-body") as self.body:
                self.chart = testid(ui.echart(matrix_options(tr, workshop, [], dark)).classes("results-matrix"),
                                    "matrix")
                self.ranking = testid(ui.element("ol").classes("results-ranking"), "ranking")

    def show(self, workshop: Workshop, results: SelectionResults) -> None:
        self.workshop = workshop
        tr = self.tr
        self.voters.set_text(voters_text(tr, results))
        visible = workshop.settings.results_visible
        self.hidden_note.set_visibility(not visible)
        self.body.set_visibility(visible)
        if not visible:
            return
        self.chart.options.clear()
        self.chart.options.update(matrix_options(tr, workshop, results.actions, self.dark, self.font))
        self.chart.update()
        self.ranking.clear()
        with self.ranking:
            for r in results.actions[:12]:
                with ui.element("li").classes("results-line"):
                    ui.label(f"{r.rank}. {r.action.title}").classes("results-title")
                    with ui.element("div").classes("results-meta"):  # the badge beside the figures: ten fit
                        ui.label(result_figures(tr, r, workshop)).classes("results-figures")
                        if r.fruit.flagged:
                            ui.label(tr("results.fruit")).classes("idea-badge idea-badge-fruit")


def result_figures(tr: Callable[..., str], r: ActionResult, workshop: Workshop) -> str:
    if workshop.settings.vote_mode == "points":
        return tr("results.points", points=r.points)
    dash = "–"
    return tr("results.figures", impact=r.impact.median or dash, ease=r.ease.median or dash, votes=r.impact.count)


# --- facilitator ------------------------------------------------------------------------------------------------


def register(service: Service) -> None:
    def opened(lang: str | None, title_key: str) -> tuple[Selection, Callable[..., str], str] | None:
        language = page_language(lang)
        tr = translator(language)
        setup_page(tr(title_key), language)
        try:
            return service.selection(guard_facilitator_page(language)), tr, language
        except Refused:
            ui.navigate.to(LOGIN_PATH)
            return None

    @ui.page("/animation/territoire/{territory_id}/actions")
    def actions_page(territory_id: int, lang: str | None = None) -> None:
        found = opened(lang, "actions.title")
        if found:
            ActionsEditor(service, *found, territory_id).build()

    @ui.page("/animation/atelier/{workshop_id}/selection")
    def selection_page(workshop_id: int, lang: str | None = None) -> None:
        found = opened(lang, "selection.title")
        if found:
            try:
                workshop = service.workshop(workshop_id)
            except Refused as refusal:
                ui.label(found[1](refusal.key, **refusal.params))
                return
            SelectionConsole(service, *found, workshop).build()


class ActionsEditor:
    """Candidate actions before the vote: wording, category, planned horizon, actors involved, order."""

    def __init__(self, service: Service, selection: Selection, tr: Callable[..., str], language: str,
                 territory_id: int) -> None:
        self.service = service
        self.selection = selection
        self.tr = tr
        self.language = language
        self.territory_id = territory_id

    def build(self) -> None:
        with ui.column().classes("console gap-3"):
            territory_menu(self.territory_id, self.tr)
            Heading(self.tr("actions.title")).classes("text-2xl font-bold")
            ui.label(self.tr("actions.help")).classes("text-gray-800")
            self.list = testid(ui.column().classes("w-full gap-2"), "actions")
        self.render()

    def render(self) -> None:
        tr = self.tr
        categories = {c.key: c.in_language(self.language).label for c in self.service.categories(self.territory_id)}
        self.list.clear()
        with self.list:
            actions = self.service.candidate_actions(self.territory_id)
            if not actions:
                ui.label(tr("actions.none"))
            for n, action in enumerate(actions, start=1):
                with ui.card().classes("w-full gap-1"), ui.row().classes("console-row no-wrap w-full"):
                    ui.label(f"{n}.").classes("text-lg font-bold w-8")
                    with ui.column().classes("grow gap-0"):
                        testid(ui.label(action.title).classes("font-bold"), f"action-{action.id}")
                        details = [categories.get(action.category, action.category)]
                        if action.horizon:
                            details.append(tr(HORIZON_KEYS[Horizon(action.horizon)]))
                        if action.actor_keys:
                            details.append(", ".join(action.actor_keys))
                        ui.label(" · ".join(details)).classes("text-sm")
                    ui.button(icon="arrow_upward", on_click=lambda a=action: self.move(a, -1)).props(
                        f'flat dense aria-label="{tr("actions.up")}"')
                    ui.button(icon="arrow_downward", on_click=lambda a=action: self.move(a, 1)).props(
                        f'flat dense aria-label="{tr("actions.down")}"')
                    testid(ui.button(tr("console.edit"), on_click=lambda a=action: self.edit(a, categories))
                           .props("flat dense no-caps"), f"edit-action-{action.id}")
                    ui.button(tr("actions.delete"), on_click=lambda a=action: self.delete(a)).props(
                        "flat dense no-caps color=negative")

    def move(self, action: Action, step: int) -> None:
        self.selection.move_action(action.id, step)
        self.render()

    def delete(self, action: Action) -> None:
        self.selection.delete_action(action.id)
        self.render()

    def edit(self, action: Action, categories: dict[str, str]) -> None:
        tr = self.tr
        actors = self.service.actor_names(self.territory_id)
        with ui.dialog() as dialog, ui.card().classes("w-[40rem]"):
            title = testid(ui.input(tr("actions.name"), value=action.title).classes("w-full"), "action-title")
            description = ui.textarea(tr("phone.idea_details"), value=action.description).classes("w-full")
            category = ui.select(categories, value=action.category, label=tr("phone.idea_category")).classes("w-full")
            horizons = {"": tr("horizon.unknown"), **{h.value: tr(k) for h, k in HORIZON_KEYS.items()}}
            horizon = testid(ui.select(horizons, value=action.horizon, label=tr("rating.horizon")).classes("w-full"),
                             "action-horizon")
            involved = ui.select(actors, value=[k for k in action.actor_keys if k in actors], multiple=True,
                                 label=tr("actions.actors")).classes("w-full").props("use-chips")

            def save() -> None:
                try:
                    self.selection.edit_action(action.id, title.value, description.value, category.value,
                                               horizon.value, list(involved.value or []))
                except Refused as refusal:
                    show_refusal(refusal, self.language)
                    return
                dialog.close()
                self.render()

            with ui.row():
                testid(ui.button(tr("phone.save"), on_click=save), "action-save")
                ui.button(tr("phone.cancel"), on_click=dialog.close).props("flat")
        dialog.open()


class SelectionConsole:
    """Select the rest with the energy-dispersion guard in view; low-hanging fruit come already selected."""

    def __init__(self, service: Service, selection: Selection, tr: Callable[..., str], language: str,
                 workshop: Workshop) -> None:
        self.service = service
        self.selection = selection
        self.tr = tr
        self.language = language
        self.workshop = workshop

    def build(self) -> None:
        tr = self.tr
        s = self.workshop.settings
        with ui.column().classes("console gap-3"):
            with ui.row().classes("gap-4 text-lg"):
                ui.link(tr("console.workshops"), "/animation")
                ui.link(self.workshop.title, f"/animation/atelier/{self.workshop.id}")
                ui.link(tr("actions.title"), f"/animation/territoire/{self.workshop.territory_id}/actions")
            Heading(tr("selection.title")).classes("text-2xl font-bold")
            with ui.row().classes("console-row"):
                ease = ui.number(tr("settings.ease_min"), value=s.ease_min, min=1, max=5).classes("w-40")
                impact = ui.number(tr("settings.impact_min"), value=s.impact_min, min=1, max=5).classes("w-40")
                mode = ui.select({"notes": tr("settings.mode_notes"), "points": tr("settings.mode_points")},
                                 value=s.vote_mode, label=tr("settings.mode")).classes("w-48")
                budget = ui.number(tr("settings.budget"), value=s.points_budget, min=1, max=50).classes("w-32")
                ui.button(tr("phone.save"), on_click=lambda: self.save_settings(
                    ease_min=int(ease.value or 0), impact_min=int(impact.value or 0), vote_mode=mode.value,
                    points_budget=int(budget.value or 0)))
                self.reveal = testid(ui.button(on_click=self.toggle_results).props("outline"), "reveal")
                testid(ui.button(tr("selection.apply_rule"), on_click=self.apply_rule).props("outline"), "apply-rule")
            ui.label(tr("selection.rule", ease=s.ease_min, impact=s.impact_min)).classes("text-gray-800")
            # The same matrix as the projector and the PDF: the rule's medians, thresholds and verdicts.
            self.matrix = testid(ui.echart(matrix_options(tr, self.workshop, [], dark=False, font=14))
                                 .style("height: 420px; width: 100%; max-width: 760px"), "console-matrix")
            ui.label(tr("matrix.note")).classes("text-sm text-gray-800")
            with ui.row().classes("w-full no-wrap items-start gap-4"):
                self.actions_area = testid(ui.column().classes("grow gap-2"), "selection-actions")
                with ui.column().classes("w-80 gap-1"):
                    ui.label(tr("selection.actors")).classes("text-xl font-bold")
                    self.actors_area = testid(ui.column().classes("gap-0"), "actor-load")
        self.show(self.service.results(self.workshop.id))
        self.service.hub.results_changed(self.workshop.id).subscribe(self.show)

    def act(self, action: Callable[[], object]) -> None:
        try:
            action()
        except Refused as refusal:
            show_refusal(refusal, self.language)

    def save_settings(self, **changes: object) -> None:
        self.act(lambda: self.selection.set_settings(self.workshop.id, **changes))
        self.workshop = self.service.workshop(self.workshop.id)

    def toggle_results(self) -> None:
        self.act(lambda: self.selection.set_settings(self.workshop.id,
                                                     results_visible=not self.workshop.settings.results_visible))
        self.workshop = self.service.workshop(self.workshop.id)
        self.show(self.service.results(self.workshop.id))

    def apply_rule(self) -> None:
        selected = self.selection.apply_low_hanging_fruit(self.workshop.id)
        ui.notify(self.tr("selection.rule_applied", count=len(selected)), type="positive")

    def show(self, results: SelectionResults) -> None:
        tr = self.tr
        self.reveal.set_text(tr("selection.hide_results" if self.workshop.settings.results_visible
                                else "selection.show_results"))
        self.matrix.options.clear()
        self.matrix.options.update(matrix_options(tr, self.workshop, results.actions, dark=False, font=14))
        self.matrix.update()
        self.actions_area.clear()
        with self.actions_area:
            testid(ui.label(voters_text(tr, results)).classes("font-bold"), "voters")
            for r in results.actions:
                self.action_card(r, results)
        self.actors_area.clear()
        with self.actors_area:
            for actor, (carried, available) in sorted(results.dispersion.actor_load.items()):
                if carried == 0:
                    continue
                advice = results.dispersion.actor_advice.get(actor)
                warning = tr(advice[0], **advice[1]) if advice else None
                label = tr("selection.load", actor=actor, carried=carried, available=available)
                ui.label(label + (f" ⚠ {warning}" if warning else "")).classes(
                    "text-sm" + (" phone-error" if warning else ""))

    def action_card(self, r: ActionResult, results: SelectionResults) -> None:
        tr = self.tr
        a = r.action
        selected = a.selection == SELECTED
        with testid(ui.card().classes("w-full gap-1"), f"selection-{a.id}"):
            with ui.row().classes("console-row"):
                ui.label(f"{r.rank}. {a.title}").classes("text-lg font-bold")
                if selected:
                    ui.label(tr("selection.selected")).classes("idea-badge")
                elif a.selection == NOT_SELECTED:
                    ui.label(tr("selection.not_selected")).classes("text-sm italic")
            ui.label(result_figures(tr, r, self.workshop) + " · " + tr(
                "selection.distribution", impact="/".join(map(str, r.impact.distribution)),
                ease="/".join(map(str, r.ease.distribution)), mean_impact=r.impact.mean or "–",
                mean_ease=r.ease.mean or "–")).classes("text-sm")
            reason = fruit_reason(r.fruit, self.language)
            fruit = tr("selection.fruit_yes" if r.fruit.flagged else "selection.fruit_no", reason=reason)
            testid(ui.label(fruit).classes("text-sm break-anywhere" + (" font-bold" if r.fruit.flagged else "")),
                   f"fruit-{a.id}")
            engaged = [tr("selection.leads", names=", ".join(r.leads) or "–"),
                       tr("selection.contributors", names=", ".join(r.contributors) or "–")]
            ui.label(" · ".join(engaged)).classes("text-sm break-anywhere")
            for key, values in results.dispersion.action_advice.get(a.id, []):
                ui.label(f"⚠ {tr(key, **values)}").classes("text-sm phone-error")
            if a.selection_reason and a.selection == NOT_SELECTED:
                ui.label(tr("selection.reason", reason=a.selection_reason)).classes("text-sm italic")
            with ui.row().classes("console-row"):
                if selected:
                    testid(ui.button(tr("selection.unselect"), on_click=lambda: self.ask_unselect(r))
                           .props("outline no-caps"), f"unselect-{a.id}")
                else:
                    testid(ui.button(tr("selection.select"), on_click=lambda: self.act(
                        lambda: self.selection.select(self.workshop.id, a.id))).props("no-caps"), f"select-{a.id}")
                # Prefilled from the votes: the majority's horizon, the first volunteer pilot (what the plan uses).
                voted = r.horizon.value if r.horizon else ""
                testid(ui.select({"": tr("horizon.unknown"), **{h.value: tr(k) for h, k in HORIZON_KEYS.items()}},
                                 value=a.horizon or voted, label=tr("rating.horizon"),
                                 on_change=lambda e: self.act(lambda: self.selection.set_horizon(a.id, e.value)))
                       .classes("w-40"), f"horizon-{a.id}")
                volunteers = {p: tr("selection.volunteer", name=p) for p in r.leads}
                others = {p: p for p in sorted({a.pilot, *r.contributors} - {""} - set(r.leads))}
                testid(ui.select({"": "–", **volunteers, **others}, value=r.pilot, label=tr("selection.pilot"),
                                 on_change=lambda e: self.act(lambda: self.selection.set_pilot(a.id, e.value)))
                       .classes("w-64"), f"pilot-{a.id}")
                ui.checkbox(tr("selection.working_group"), value=a.working_group,
                            on_change=lambda e: self.act(lambda: self.selection.set_working_group(a.id, e.value)))
            short, medium, long = r.horizon_votes
            if short + medium + long:
                testid(ui.label(tr("selection.horizon_votes", short=short, medium=medium, long=long))
                       .classes("text-sm text-gray-700"), f"horizon-votes-{a.id}")
            if r.in_working_group:
                testid(ui.label(tr("selection.in_working_group")).classes("text-sm font-bold"), f"wg-{a.id}")
            elif r.needs_working_group and not r.fruit.flagged:
                ui.label(tr("selection.working_group_hint")).classes("text-sm italic")

    def ask_unselect(self, r: ActionResult) -> None:
        tr = self.tr
        with ui.dialog() as dialog, ui.card().classes("w-[32rem]"):
            if r.fruit.flagged:
                ui.label(tr("selection.unselect_fruit", reason=fruit_reason(r.fruit, self.language))).classes(
                    "font-bold")
            reason = testid(ui.input(tr("selection.why")).classes("w-full"), "unselect-reason")
            error = ui.label().classes("phone-error")

            def confirm() -> None:
                try:
                    self.selection.unselect(self.workshop.id, r.action.id, reason.value)
                except Refused as refusal:
                    error.set_text(tr(refusal.key, **refusal.params))
                    return
                dialog.close()

            with ui.row():
                testid(ui.button(tr("selection.unselect"), on_click=confirm), "unselect-confirm")
                ui.button(tr("phone.cancel"), on_click=dialog.close).props("flat")
        dialog.open()
