"""Workshop 2: the results computed from the votes, and the facilitator's selection of actions."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace

from pydantic import ValidationError

from atelier.models import ACTION_DESCRIPTION_MAX, ACTION_STATUSES, ACTION_TITLE_MAX, Action, Workshop, WorkshopSettings
from atelier.rules import Refused
from atelier.rules.groups import checked_due, checked_status_move
from atelier.rules.ideas import clean_text
from atelier.rules.selection import (
    ActionEngagements,
    DispersionReport,
    Engagement,
    GradeSummary,
    Horizon,
    LowHangingFruit,
    Thresholds,
    checked_horizon,
    checked_unselection_reason,
    dispersion,
    finished_voters,
    horizon_votes,
    in_working_group,
    low_hanging_fruit,
    summarise,
    voted_horizon,
)
from atelier.service.access import Capability

SELECTED = "retenue"
NOT_SELECTED = "non_retenue"


@dataclass(frozen=True)
class ActionResult:
    action: Action
    impact: GradeSummary
    ease: GradeSummary
    horizon: Horizon | None
    leads: tuple[str, ...]
    contributors: tuple[str, ...]
    interested: tuple[str, ...]
    fruit: LowHangingFruit
    points: int  # dot votes, in the points mode
    rank: int = 0
    horizon_votes: tuple[int, int, int] = (0, 0, 0)  # voters for short, medium, long term

    @property
    def needs_working_group(self) -> bool:
        """The method: working groups are mainly for medium- or long-term actions."""
        return self.horizon in (Horizon.MEDIUM, Horizon.LONG)

    @property
    def in_working_group(self) -> bool:
        """In the list of working groups: the plan's PDF and the groups' dashboard ask this same rule."""
        return in_working_group(self.action.selection == SELECTED, self.action.working_group, self.horizon,
                                self.fruit.flagged)

    @property
    def pilot(self) -> str:
        """The pilot the facilitator confirmed, else the first volunteer who said "je pilote"."""
        return self.action.pilot or (self.leads[0] if self.leads else "")


@dataclass(frozen=True)
class SelectionResults:
    workshop_id: int
    voters: int
    actions: list[ActionResult]  # ranked
    dispersion: DispersionReport
    finished: int = 0  # participants who rated every candidate action (the vote's progress on the board)
    excluded_votes: int = 0  # ratings and dot votes the facilitator excluded (identities made in bulk)
    excluded_voters: int = 0


def compute_results(workshop: Workshop, actions: list[Action], ratings: list[dict], dots: list[dict],
                    availability: dict[str, int], voters: int,
                    excluded: frozenset[int] | set[int] = frozenset()) -> SelectionResults:
    """Everything the projector and the selection console show, from what is stored. Pure.

    `excluded`: participants whose votes the facilitator excluded; they count nowhere (grades, engagements,
    points, low-hanging fruit, voters) and the results say how many votes that was."""
    excluded_rows = [r for r in (*ratings, *dots) if r["participant_id"] in excluded]
    ratings = [r for r in ratings if r["participant_id"] not in excluded]
    dots = [r for r in dots if r["participant_id"] not in excluded]
    excluded_voters = len({r["participant_id"] for r in excluded_rows})
    by_action: dict[int, list[dict]] = defaultdict(list)
    for rating in ratings:
        by_action[rating["action_id"]].append(rating)
    points: Counter[int] = Counter()
    for vote in dots:
        points[vote["action_id"]] += vote["points"]
    thresholds = Thresholds(workshop.settings.ease_min, workshop.settings.impact_min)
    results = []
    for action in actions:
        rows = by_action.get(action.id, [])
        engaged = {e: tuple(sorted({r["organisation"] for r in rows if r["engagement"] == e.value}))
                   for e in Engagement}
        impact = summarise([r["impact"] for r in rows if r["impact"] is not None])
        ease = summarise([r["ease"] for r in rows if r["ease"] is not None])
        planned = Horizon(action.horizon) if action.horizon else None
        votes = [Horizon(r["horizon"]) for r in rows if r["horizon"]]
        horizon = voted_horizon(votes, planned)
        fruit = low_hanging_fruit(impact, ease, horizon, engaged[Engagement.LEAD], thresholds)
        results.append(ActionResult(action, impact, ease, horizon, engaged[Engagement.LEAD],
                                    engaged[Engagement.CONTRIBUTOR], engaged[Engagement.INTERESTED], fruit,
                                    points[action.id], horizon_votes=horizon_votes(votes)))
    if workshop.settings.vote_mode == "points":
        results.sort(key=lambda r: (-r.points, r.action.position, r.action.id))
    else:  # majority judgment on impact, then on ease; the facilitator's order settles what is left
        results.sort(key=lambda r: (r.impact.gauge, r.ease.gauge), reverse=True)
    ranked = [replace(r, rank=n) for n, r in enumerate(results, start=1)]
    engagements = [ActionEngagements(r.action.id, r.action.title, r.action.selection == SELECTED,
                                     r.leads, r.contributors) for r in ranked]
    return SelectionResults(workshop.id, voters - excluded_voters, ranked, dispersion(engagements, availability),
                            finished_voters(ratings, [a.id for a in actions]), len(excluded_rows), excluded_voters)


class Selection(Capability):
    """The facilitator's side of workshop 2. Made by `Service.selection`; each use case checks the session."""

    def _action(self, action_id: int) -> Action:
        action = self.store.action(action_id)
        if action is None or action.deleted:
            raise Refused("action.unknown")
        return action

    def edit_action(self, action_id: int, title: str | None, description: str | None, category: str | None,
                    horizon: str | None, actor_keys: list[str]) -> Action:
        action = self._action(action_id)
        title, description = clean_text(title), clean_text(description)
        if not title:
            raise Refused("action.title_missing")
        if len(title) > ACTION_TITLE_MAX or len(description) > ACTION_DESCRIPTION_MAX:
            raise Refused("action.too_long", title_max=ACTION_TITLE_MAX, description_max=ACTION_DESCRIPTION_MAX)
        if category not in {c.key for c in self.service.categories(action.territory_id)}:
            raise Refused("idea.category_unknown")
        horizon = checked_horizon(horizon)
        known = self.store.actor_keys(action.territory_id)
        updated = self.store.update_action(action_id, title=title, description=description, category=category,
                                           horizon=horizon, actor_keys=[k for k in actor_keys if k in known])
        self.service.results_changed(action.territory_id)
        return updated

    def move_action(self, action_id: int, step: int) -> None:
        action = self._action(action_id)
        ids = [a.id for a in self.store.actions(action.territory_id)]
        index = ids.index(action_id)
        target = min(max(index + step, 0), len(ids) - 1)
        ids.insert(target, ids.pop(index))
        self.store.reorder_actions(ids)
        self.service.results_changed(action.territory_id)

    def delete_action(self, action_id: int) -> None:
        """Taken off the list (kept in the database, with its ratings)."""
        action = self._action(action_id)
        self.store.update_action(action_id, deleted=1)
        self.service.results_changed(action.territory_id)

    def set_settings(self, workshop_id: int, **changes: object) -> Workshop:
        workshop = self.service.workshop(workshop_id)
        try:
            settings = WorkshopSettings.model_validate({**workshop.settings.model_dump(), **changes})
        except ValidationError as e:
            raise Refused("settings.invalid") from e
        self.store.update_workshop(workshop_id, settings=settings)
        updated = self.service.workshop(workshop_id)
        self.service.hub.publish_workshop(updated)
        self.service.results_changed(workshop.territory_id)
        return updated

    def select(self, workshop_id: int, action_id: int) -> Action:
        action = self._action(action_id)
        updated = self.store.select_action(workshop_id, action_id, SELECTED, "", automatic=False)
        self.service.results_changed(action.territory_id)
        return updated

    def unselect(self, workshop_id: int, action_id: int, reason: str | None) -> Action:
        """A low-hanging fruit is un-selected only with a stated reason, which is kept and exported."""
        action = self._action(action_id)
        result = next((r for r in self.service.results(workshop_id).actions if r.action.id == action_id), None)
        if result is not None and result.fruit.flagged:
            reason = checked_unselection_reason(reason)
        else:
            reason = clean_text(reason)[:500]
        updated = self.store.select_action(workshop_id, action_id, NOT_SELECTED, reason, automatic=False)
        self.service.results_changed(action.territory_id)
        return updated

    def apply_low_hanging_fruit(self, workshop_id: int) -> list[Action]:
        """Selects every flagged action not decided yet; a facilitator's earlier un-selection stands."""
        selected = []
        for result in self.service.results(workshop_id).actions:
            if result.fruit.flagged and not result.action.selection:
                selected.append(self.store.select_action(workshop_id, result.action.id, SELECTED,
                                                         result.fruit.reason, automatic=True))
        if selected:
            self.service.results_changed(self.service.workshop(workshop_id).territory_id)
        return selected

    def set_pilot(self, action_id: int, pilot: str | None) -> Action:
        action = self._action(action_id)
        updated = self.store.update_action(action_id, pilot=clean_text(pilot)[:120])
        self.service.results_changed(action.territory_id)
        return updated

    def set_horizon(self, action_id: int, horizon: str | None) -> Action:
        action = self._action(action_id)
        updated = self.store.update_action(action_id, horizon=checked_horizon(horizon))
        self.service.results_changed(action.territory_id)
        return updated

    def set_follow_up(self, action_id: int, next_step: str | None, owner: str | None, due: str | None,
                      status: str | None, reason: str | None = None) -> Action:
        """The plan's columns: the next step, who takes it, by when, and where the action stands (with the reason
        of a block or an abandonment)."""
        action = self._action(action_id)
        due = checked_due(due)
        if status not in ACTION_STATUSES:
            raise Refused("plan.bad_status")
        next_step, owner = clean_text(next_step), clean_text(owner)
        if next_step and not owner:
            raise Refused("plan.owner_missing")
        moved = status != action.status
        reason = clean_text(reason)[:500]
        if moved:  # the same moves, progress, reasons and history as the working group's page
            status, progress = checked_status_move(action.status, status, action.progress, reason)
        updated = self.store.update_action(action_id, next_step=next_step[:500], next_step_owner=owner[:120],
                                           next_step_due=due)
        if moved:
            self.store.set_action_status(action_id, status, progress, reason, self._author)
            updated = self._action(action_id)
        self.service.results_changed(action.territory_id)
        return updated

    def set_working_group(self, action_id: int, wanted: bool) -> Action:
        action = self._action(action_id)
        updated = self.store.update_action(action_id, working_group=int(wanted))
        self.service.results_changed(action.territory_id)
        return updated

