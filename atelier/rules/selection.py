"""Workshop 2: aggregating the phones' grades, the low-hanging-fruit rule and the energy-dispersion guard.

Pure functions: numbers and names in, verdicts and sentences out.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from atelier.i18n import t
from atelier.rules import Refused

GRADES = (1, 2, 3, 4, 5)


class Horizon(StrEnum):
    SHORT = "court"
    MEDIUM = "moyen"
    LONG = "long"


class Engagement(StrEnum):
    LEAD = "pilote"
    CONTRIBUTOR = "contributeur"
    INTERESTED = "interesse"
    NONE = "aucun"


HORIZON_WORDS = {Horizon.SHORT: "court terme", Horizon.MEDIUM: "moyen terme", Horizon.LONG: "long terme"}


@dataclass(frozen=True)
class Thresholds:
    """Settings of a selection workshop (DESIGN.md's defaults)."""

    ease_min: int = 4
    impact_min: int = 3


@dataclass(frozen=True)
class GradeSummary:
    """A 1–5 grade aggregated by its median, with what a person needs beside it to trust it."""

    count: int
    median: int | None  # the lower median (majority judgment): half the voters gave at least this
    mean: float | None
    distribution: tuple[int, ...]  # how many gave 1, 2, 3, 4, 5
    above: float  # share of voters above the median
    below: float  # share of voters below the median

    @property
    def gauge(self) -> tuple[int, int, float]:
        """Majority-judgment order (Fabre's gauge): median first, then which side of it weighs more.

        Two actions with the same median are told apart by the larger of the shares above or below it:
        more voters above pushes up, more below pushes down. Ties left after this fall to the caller.
        """
        if self.median is None:
            return (0, 0, 0.0)
        if self.above > self.below:
            return (self.median, 1, self.above)
        return (self.median, -1, -self.below)


def checked_grade(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value not in GRADES:
        raise Refused("rating.out_of_range")
    return int(value)


def summarise(grades: Sequence[int]) -> GradeSummary:
    counts = Counter(grades)
    distribution = tuple(counts.get(g, 0) for g in GRADES)
    n = len(grades)
    if n == 0:
        return GradeSummary(0, None, None, distribution, 0.0, 0.0)
    ordered = sorted(grades)
    median = ordered[(n - 1) // 2]
    above = sum(1 for g in grades if g > median) / n
    below = sum(1 for g in grades if g < median) / n
    return GradeSummary(n, median, round(sum(grades) / n, 2), distribution, above, below)


def checked_horizon(horizon: str | None) -> str:
    """A horizon as stored: one of Horizon's values, or "" when none is given."""
    if horizon and horizon not in {h.value for h in Horizon}:
        raise Refused("action.horizon_unknown")
    return horizon or ""


def voted_horizon(votes: Sequence[Horizon], planned: Horizon | None) -> Horizon | None:
    """The horizon most voters chose; a tie goes to the longer one (a rule that selects must not be optimistic).

    Without votes, the horizon the facilitator planned.
    """
    if not votes:
        return planned
    counts = Counter(votes)
    order = list(Horizon)
    return max(counts, key=lambda h: (counts[h], order.index(h)))


@dataclass(frozen=True)
class Criterion:
    """One condition of the low-hanging-fruit rule, as checked: what the votes say and, when it fails, what it
    needed. `key` names the sentence in the catalogue (atelier.i18n, "fruit.<key>")."""

    key: str  # ease_ok/ease_low/ease_none, impact_ok/..., horizon_ok/horizon_far/horizon_none, pilot_ok/pilot_none
    met: bool
    value: int | str | None = None  # the median, the horizon ("moyen") or the pilots' names
    needed: int | None = None  # the threshold, for a grade below it


@dataclass(frozen=True)
class LowHangingFruit:
    flagged: bool
    criteria: tuple[Criterion, ...]

    @property
    def failed(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if not c.met)

    @property
    def reason(self) -> str:
        """In French words, shown on screen and exported: a fruit's four facts, or the criteria that failed."""
        return fruit_reason(self, "fr")


def _grade(name: str, summary: GradeSummary, minimum: int) -> Criterion:
    if summary.median is None:
        return Criterion(f"{name}_none", False, None, minimum)
    if summary.median < minimum:
        return Criterion(f"{name}_low", False, summary.median, minimum)
    return Criterion(f"{name}_ok", True, summary.median)


def low_hanging_fruit(impact: GradeSummary, ease: GradeSummary, horizon: Horizon | None,
                      lead_actors: Sequence[str], thresholds: Thresholds) -> LowHangingFruit:
    """DESIGN.md: median ease and impact on the good side, short term, and at least one pilot."""
    if horizon == Horizon.SHORT:
        term = Criterion("horizon_ok", True, horizon.value)
    else:
        term = Criterion("horizon_far" if horizon else "horizon_none", False, horizon.value if horizon else None)
    criteria = (
        _grade("ease", ease, thresholds.ease_min),
        _grade("impact", impact, thresholds.impact_min),
        term,
        Criterion("pilot_ok", True, ", ".join(lead_actors)) if lead_actors else Criterion("pilot_none", False),
    )
    return LowHangingFruit(all(c.met for c in criteria), criteria)


def fruit_reason(fruit: LowHangingFruit, lang: str) -> str:
    """The rule's verdict in words: "facile 4/5, impact 4/5, court terme, pilote : Ferme du Pré" for a fruit;
    only what failed otherwise ("facile 3/5, il faut 4 ; aucun pilote")."""
    shown = fruit.criteria if fruit.flagged else fruit.failed
    parts = []
    for c in shown:
        horizon = t(f"fruit.term_{c.value}", lang) if c.key.startswith("horizon") and c.value else ""
        parts.append(t(f"fruit.{c.key}", lang, value=c.value, needed=c.needed, horizon=horizon))
    return (", " if fruit.flagged else " ; ").join(parts)


def in_working_group(selected: bool, chosen: bool, horizon: Horizon | None, fruit: bool) -> bool:
    """Whether a selected action goes to a working group, for the plan's PDF and the groups' dashboard alike.

    The method: working groups are for medium- or long-term actions; the facilitator may also choose one for
    another action. A low-hanging fruit is done quickly by its pilot: it has none.
    """
    return selected and not fruit and (chosen or horizon in (Horizon.MEDIUM, Horizon.LONG))


def horizon_votes(votes: Sequence[Horizon]) -> tuple[int, int, int]:
    """How many voters chose short, medium and long term (shown beside the majority that prefills the field)."""
    counts = Counter(votes)
    return counts[Horizon.SHORT], counts[Horizon.MEDIUM], counts[Horizon.LONG]


def checked_unselection_reason(reason: str | None) -> str:
    """Un-selecting a low-hanging fruit goes against the method: it takes a reason, which is kept."""
    text = " ".join((reason or "").split())
    if not text:
        raise Refused("selection.reason_missing")
    if len(text) > 500:
        raise Refused("selection.reason_too_long", max=500)
    return text


def checked_dot_votes(points: Mapping[int, int], budget: int) -> dict[int, int]:
    """A participant's points per action; refused when they spend more than the budget."""
    if any(p < 0 for p in points.values()):
        raise Refused("dots.negative")
    spent = sum(points.values())
    if spent > budget:
        raise Refused("dots.over_budget", spent=spent, budget=budget, over=spent - budget)
    return {a: p for a, p in points.items() if p > 0}


@dataclass(frozen=True)
class ActionEngagements:
    action_id: int
    title: str
    selected: bool
    leads: tuple[str, ...]  # actors engaged as pilot
    contributors: tuple[str, ...]


@dataclass(frozen=True)
class DispersionReport:
    """What the energy-dispersion guard says: per action, per actor, and the warnings to show."""

    action_warnings: dict[int, list[str]] = field(default_factory=dict)  # in French, as exported
    actor_load: dict[str, tuple[int, int]] = field(default_factory=dict)  # actor -> (selected actions, availability)
    actor_warnings: dict[str, str] = field(default_factory=dict)
    # The same warnings as catalogue keys and values, for a page in another language.
    action_advice: dict[int, list[tuple[str, dict[str, int]]]] = field(default_factory=dict)
    actor_advice: dict[str, tuple[str, dict[str, int]]] = field(default_factory=dict)


def dispersion(actions: Sequence[ActionEngagements], availability: Mapping[str, int]) -> DispersionReport:
    """DESIGN.md's guard ("ne pas disperser l'énergie des acteurs") over the selected actions.

    An action without a pilot, or with fewer than two engaged actors, is warned; so is an actor carrying more
    selected actions than the number of working groups it said it could follow.
    """
    report = DispersionReport()
    load: Counter[str] = Counter()
    for action in actions:
        if not action.selected:
            continue
        engaged = set(action.leads) | set(action.contributors)
        advice: list[tuple[str, dict[str, int]]] = []
        if not action.leads:
            advice.append(("guard.no_pilot", {}))
        if len(engaged) < 2:
            advice.append(("guard.one_engaged", {"count": len(engaged)}) if engaged else ("guard.none_engaged", {}))
        if advice:
            report.action_advice[action.action_id] = advice
            report.action_warnings[action.action_id] = [t(key, "fr", **values) for key, values in advice]
        load.update(engaged)
    for actor in sorted(set(load) | set(availability)):
        carried, available = load.get(actor, 0), availability.get(actor, 0)
        report.actor_load[actor] = (carried, available)
        if actor in availability and carried > available:
            report.actor_advice[actor] = ("guard.overloaded", {"carried": carried, "available": available})
            report.actor_warnings[actor] = t("guard.overloaded", "fr", carried=carried, available=available)
    return report


@dataclass(frozen=True)
class MatrixPoint:
    """Where an action sits on the impact × ease matrix: its medians, nudged inside their grade by the majority
    gauge, then spread apart from points that would cover it."""

    x: float  # ease
    y: float  # impact


GAUGE_REACH = 0.3  # how far inside its grade the gauge moves a point (a grade spans ±0.5: it never leaves it)
SPREAD = 0.16  # points closer than this (in grades) are set around a small circle
BAND = 0.44  # a spread point stays within its median's grade band


def _gauged(summary: GradeSummary) -> float:
    _, side, share = summary.gauge
    return float(summary.median or 0) + GAUGE_REACH * side * abs(share)


def matrix_points(summaries: Sequence[tuple[GradeSummary, GradeSummary]]) -> list[MatrixPoint]:
    """One point per (ease, impact) pair, in the same order; pairs without grades get (0, 0) and are not drawn.

    The quadrant lines sit between grades (threshold − 0.5): a point never crosses them by being nudged or
    spread, so its side of a line is its median's side, the side the rule reads."""
    base = [(_gauged(e), _gauged(i)) if e.median is not None and i.median is not None else None
            for e, i in summaries]
    clusters: list[list[int]] = []
    for n, point in enumerate(base):
        if point is None:
            continue
        for cluster in clusters:
            x, y = base[cluster[0]]  # type: ignore[misc]
            if abs(x - point[0]) < SPREAD and abs(y - point[1]) < SPREAD:
                cluster.append(n)
                break
        else:
            clusters.append([n])
    placed: dict[int, MatrixPoint] = {}
    for cluster in clusters:
        cx, cy = base[cluster[0]]  # type: ignore[misc]
        ex, iy = summaries[cluster[0]][0].median or 0, summaries[cluster[0]][1].median or 0
        count = len(cluster)
        radius = 0.0 if count == 1 else min(BAND, SPREAD * (0.6 + 0.12 * count))
        for k, n in enumerate(cluster):
            angle = 2 * math.pi * k / count + math.pi / 4
            x = min(ex + BAND, max(ex - BAND, cx + radius * math.cos(angle)))
            y = min(iy + BAND, max(iy - BAND, cy + radius * math.sin(angle)))
            placed[n] = MatrixPoint(round(x, 3), round(y, 3))
    return [placed.get(n, MatrixPoint(0.0, 0.0)) for n in range(len(summaries))]


def finished_voters(ratings: Sequence[Mapping[str, object]], action_ids: Sequence[int]) -> int:
    """How many participants rated every candidate action (what the facilitator waits for before closing)."""
    wanted = set(action_ids)
    if not wanted:
        return 0
    rated: dict[object, set[object]] = {}
    for row in ratings:
        rated.setdefault(row["participant_id"], set()).add(row["action_id"])
    return sum(1 for actions in rated.values() if wanted <= actions)
