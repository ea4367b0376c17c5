"""Workshop 2 on the phone: one action per screen, rated with the thumb; or the dot vote.

Thumb-first: the save button and the "3/12" progress sit in a bar fixed at the bottom of the screen, and after
each save the page scrolls back so the next action's title is at the top (a person must see what they rate).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from nicegui import ui

from atelier.models import Workshop
from atelier.rules import Refused
from atelier.rules.selection import Engagement
from atelier.service import Service
from atelier.ui.common import scroll_to_top_of, testid
from atelier.ui.selection import ENGAGEMENT_KEYS, HORIZON_KEYS


class RatingArea:
    """One action per screen, thumb-sized choices; or the dot-vote list when the facilitator chose points."""

    def __init__(self, service: Service, workshop: Workshop, participant_id: int, tr: Callable[..., str]) -> None:
        self.service = service
        self.workshop = workshop
        self.participant_id = participant_id
        self.tr = tr
        self.actions = service.candidate_actions(workshop.territory_id)
        self.ratings = service.own_ratings(workshop.id, participant_id)
        unrated = [i for i, a in enumerate(self.actions) if a.id not in self.ratings]
        self.index = unrated[0] if unrated else 0
        self.container = ui.column().classes("w-full gap-2")
        self.render()

    def render(self) -> None:
        self.container.clear()
        with self.container:
            if not self.actions:
                ui.label(self.tr("rating.no_actions"))
            elif self.workshop.settings.vote_mode == "points":
                self.render_points()
            else:
                self.build_rating_screen()
                self.show_action()

    def build_rating_screen(self) -> None:
        """Made once; each save fills it again in place (rebuilding it per save cost 45 % of the server's time
        with 500 phones voting, atelier bench --ratings)."""
        tr = self.tr
        grades = {g: str(g) for g in range(1, 6)}
        # The answer to the last save sits just above the next action, so both are seen after the scroll.
        self.status = testid(ui.label().classes("phone-ok rating-top"), "status")
        with ui.card().classes("w-full gap-1"):
            self.position = ui.label().classes("text-sm")
            self.title = testid(ui.label().classes("text-xl font-bold"), "rating-title")
            self.description = ui.label().classes("text-base whitespace-pre-wrap")
        ui.label(tr("rating.impact")).classes("font-bold mt-1")
        self.impact = testid(ui.toggle(grades).props("spread no-caps").classes("w-full grade-toggle"), "rating-impact")
        ui.label(tr("rating.ease")).classes("font-bold mt-1")
        self.ease = testid(ui.toggle(grades).props("spread no-caps").classes("w-full grade-toggle"), "rating-ease")
        ui.label(tr("rating.horizon")).classes("font-bold mt-1")
        self.horizon = testid(ui.toggle({h.value: tr(k) for h, k in HORIZON_KEYS.items()}).props("spread no-caps")
                              .classes("w-full"), "rating-horizon")
        ui.label(tr("rating.engagement")).classes("font-bold mt-1")
        self.engagement = testid(ui.toggle({e.value: tr(k) for e, k in ENGAGEMENT_KEYS.items()}).props("no-caps")
                                 .classes("w-full swot-toggle"), "rating-engagement")
        with ui.row().classes("w-full justify-between"):
            ui.button(tr("rating.previous"), on_click=lambda: self.go(-1)).props("flat no-caps")
            testid(ui.button(tr("rating.next"), on_click=lambda: self.go(1)).props("flat no-caps"), "rating-skip")
        with testid(ui.element("div").classes("phone-bar"), "rating-bar"):
            self.progress = testid(ui.label().classes("phone-bar-progress"), "rating-progress")
            testid(ui.button(tr("rating.save_next"), on_click=self.save).classes("phone-bar-button")
                   .props("color=primary no-caps"), "rating-save")

    def show_action(self) -> None:
        tr = self.tr
        action = self.actions[self.index]
        rated = sum(1 for a in self.actions if a.id in self.ratings)
        self.progress.set_text(tr("rating.progress", rated=rated, total=len(self.actions)))
        self.position.set_text(tr("rating.position", n=self.index + 1, total=len(self.actions)))
        self.title.set_text(action.title)
        self.description.set_text(action.description)
        self.description.set_visibility(bool(action.description))
        previous = self.ratings.get(action.id, {})
        self.impact.set_value(previous.get("impact"))
        self.ease.set_value(previous.get("ease"))
        self.horizon.set_value(previous.get("horizon") or None)
        self.engagement.set_value(previous.get("engagement") or Engagement.NONE.value)

    def go(self, step: int) -> None:
        self.index = (self.index + step) % len(self.actions)
        self.status.set_text("")
        self.show_action()
        scroll_to_top_of(self.status)

    def save(self) -> None:
        action = self.actions[self.index]
        choice = {"impact": self.impact.value, "ease": self.ease.value, "horizon": self.horizon.value or "",
                  "engagement": self.engagement.value}
        try:
            self.service.rate(self.workshop.id, self.participant_id, action.id, choice["impact"], choice["ease"],
                              choice["horizon"], choice["engagement"])
        except Refused as refusal:
            # Said above the action, brought into view with the choices to fix just below it.
            self.status.classes(replace="phone-error rating-top").set_text(self.tr(refusal.key, **refusal.params))
            scroll_to_top_of(self.status)
            return
        self.ratings[action.id] = choice  # what was just stored: no need to read it back
        unrated = [i for i, a in enumerate(self.actions) if a.id not in self.ratings]
        # The time and the grades tell the person (and the bench) that this very save was stored.
        said = {"time": datetime.datetime.now().strftime("%H:%M:%S"), "impact": choice["impact"],
                "ease": choice["ease"]}
        if unrated:
            later = [i for i in unrated if i > self.index]
            self.index = (later or unrated)[0]
            message = self.tr("rating.saved", title=action.title, **said)
        else:
            message = self.tr("rating.all_done", **said)
        self.show_action()
        self.status.classes(replace="phone-ok rating-top").set_text(message)
        scroll_to_top_of(self.status)

    def render_points(self) -> None:
        tr = self.tr
        points = self.service.own_dot_votes(self.workshop.id, self.participant_id)
        self.points = {a.id: points.get(a.id, 0) for a in self.actions}
        self.counts: dict[int, ui.label] = {}
        for action in self.actions:
            with ui.card().classes("w-full gap-1"):
                ui.label(action.title).classes("font-bold")
                with ui.row().classes("items-center gap-3"):
                    testid(ui.button("−", on_click=lambda a=action.id: self.change(a, -1)).props(
                        f'outline aria-label="{tr("dots.less")}"'), f"points-less-{action.id}")
                    count = testid(ui.label(str(self.points[action.id])).classes("text-xl w-8 text-center"),
                                   f"points-{action.id}")
                    testid(ui.button("+", on_click=lambda a=action.id: self.change(a, 1)).props(
                        f'outline aria-label="{tr("dots.more")}"'), f"points-more-{action.id}")
                    self.counts[action.id] = count
        with ui.element("div").classes("phone-bar"):
            with ui.column().classes("gap-0 phone-bar-text"):
                self.left = testid(ui.label().classes("font-bold"), "points-left")
                self.status = testid(ui.label().classes("phone-ok"), "status")
            testid(ui.button(tr("dots.save"), on_click=self.save_points).classes("phone-bar-button")
                   .props("color=primary no-caps"), "points-save")
        self.show_points_left()

    def show_points_left(self) -> None:
        budget = self.workshop.settings.points_budget
        left = budget - sum(self.points.values())
        self.left.set_text(self.tr("dots.left", left=left, budget=budget) if left >= 0
                           else self.tr("dots.too_many", over=-left))

    def change(self, action_id: int, step: int) -> None:
        self.points[action_id] = max(0, self.points[action_id] + step)
        self.counts[action_id].set_text(str(self.points[action_id]))
        self.status.set_text("")
        self.show_points_left()

    def save_points(self) -> None:
        try:
            self.service.cast_dots(self.workshop.id, self.participant_id, self.points)
        except Refused as refusal:
            self.status.classes(replace="phone-error").set_text(self.tr(refusal.key, **refusal.params))
            return
        self.status.classes(replace="phone-ok").set_text(self.tr("dots.saved"))
