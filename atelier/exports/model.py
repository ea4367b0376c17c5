"""The action plan as every export reads it: plain data, already filtered for consent, no database, no NiceGUI.

`atelier.exports.plan.build_plan` makes it from the service; each format (PDF, ODS, XLSX, CSV, Markdown,
iCalendar, Decidim) is a pure function of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PlanAction:
    id: int
    title: str
    description: str
    category: str  # label, e.g. "Énergie"
    category_colour: str  # "#rrggbb"
    horizon: str  # "court terme", "moyen terme", "long terme" or ""
    selected: bool
    low_hanging_fruit: bool
    fruit_reason: str  # the rule's sentence ("facile 4/5, impact 4/5, court terme, pilote : …")
    unselection_reason: str  # why the facilitator did not keep it ("" when none)
    working_group: bool
    pilot: str  # "" when nobody pilots; "un acteur" when the pilot did not consent to publication
    contributors: tuple[str, ...]  # each organisation once per action, across pilot, contributors and interested
    interested: tuple[str, ...]
    ratings: int  # how many participants rated it
    impact_median: int | None
    ease_median: int | None
    impact_mean: float | None
    ease_mean: float | None
    impact_distribution: tuple[int, ...]  # count of 1, 2, 3, 4, 5
    ease_distribution: tuple[int, ...]
    points: int  # dot votes, when the workshop voted with points
    rank: int
    next_step: str
    next_step_owner: str
    next_step_due: str  # ISO date or ""
    status: str  # "à lancer", "en cours", "bloquée", "réalisée", "abandonnée"
    origin: str  # "idée de l’atelier" or "piste des entretiens"
    progress: int = 0  # percent done, as the working group set it with the status


@dataclass(frozen=True)
class PlanIdea:
    title: str
    details: str
    category: str
    organisation: str  # "" when the author's organisation is not shown (consent)
    group: str  # title of the group it was merged into, "" otherwise
    is_group: bool
    hidden: bool


@dataclass(frozen=True)
class PlanSwotItem:
    quadrant: str  # "Forces", "Faiblesses", "Opportunités", "Menaces"
    text: str


@dataclass(frozen=True)
class PlanLead:
    kind: str  # "substitution" or "mutualisation"
    category: str
    actors: tuple[str, ...]  # names as the consent allows
    words: tuple[str, ...]
    score: float
    status: str  # "proposée", "écartée", "proposée à l’atelier"
    reason: str


@dataclass(frozen=True)
class PlanMeeting:
    group: str  # the action its working group follows
    number: int
    starts_at: str  # ISO datetime, local time of the territory
    minutes: int
    place: str
    uid: str  # stable identifier for calendars


@dataclass(frozen=True)
class ActionPlan:
    territory: str
    workshop: str
    workshop_code: str
    date: str  # ISO date of the workshop
    generated_at: str  # ISO datetime
    organisations: tuple[str, ...]  # who took part, each once, in French order (consent applied; never people)
    participants_count: int
    voters: int
    thresholds: str  # the rule in words, e.g. "facilité ≥ 4, impact ≥ 3, court terme, un pilote"
    vote_mode: str  # "notes" or "points"
    actions: tuple[PlanAction, ...]  # every candidate, ranked; `selected` tells which are in the plan
    ideas: tuple[PlanIdea, ...] = ()
    swot: tuple[PlanSwotItem, ...] = ()
    leads: tuple[PlanLead, ...] = ()
    meetings: tuple[PlanMeeting, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    ease_min: int = 4  # the rule's thresholds, where the matrix draws its lines
    impact_min: int = 3

    @property
    def low_hanging_fruit(self) -> tuple[PlanAction, ...]:
        return tuple(a for a in self.actions if a.selected and a.low_hanging_fruit)

    @property
    def working_group_actions(self) -> tuple[PlanAction, ...]:
        return tuple(a for a in self.actions if a.selected and not a.low_hanging_fruit and a.working_group)

    @property
    def other_selected(self) -> tuple[PlanAction, ...]:
        return tuple(a for a in self.actions if a.selected and not a.low_hanging_fruit and not a.working_group)

    @property
    def not_selected(self) -> tuple[PlanAction, ...]:
        return tuple(a for a in self.actions if not a.selected)
