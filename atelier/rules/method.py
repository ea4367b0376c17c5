"""The method as a guide: its steps, a checklist per step computed from the territory's figures, where it stands.

Pure functions: counts in, steps out (no NiceGUI, no SQLite), worded in the language asked for: the method's
words (titles, purposes, checks, tips) are in the message catalogue, `atelier.i18n.method`. The steps follow
`mission/methode-ecologie-economique-territoriale.txt`: the 7 steps of the initial approach (the recruitment of
partners and public authorities counted as the first), then the extension to more actors and the hand-over of
the know-how.

`counts` (built by `Service.method_counts`) maps these keys to integers; a missing key counts as 0, a negative
value as 0, an unknown key is ignored:

- ``actors``: actors of the territory that are not archived (public partners included);
- ``public_partners``: those of kind *collectivite* or *etablissement-public*;
- ``interviews``: actors whose interview holds at least one need or capacity;
- ``leads``: leads detected from the interviews; ``leads_decided``: those dismissed or promoted;
- ``swot_items``: SWOT items shown (not hidden, not merged); ``swot_quadrants_filled``: quadrants with one (0-4);
- ``workshops_coconstruction``: co-construction workshops, the extension workshops included (the method's
  extension workshop is a co-construction workshop); ``ideas``: ideas submitted; ``candidate_actions``;
- ``workshops_selection``: selection workshops; ``ratings``: grades given by phones; ``selected_actions``;
  ``low_hanging_fruit_selected``: selected actions flagged as low-hanging fruit;
- ``working_groups``; ``meetings_planned``: meetings on a working group's calendar, held or to come;
  ``meetings_held``; ``actions_in_progress``; ``actions_done``;
- ``join_requests_waiting``: candidates waiting for an extension; ``cohorts``: extension cohorts triggered;
- ``co_facilitators``: local co-facilitators named.

Choices, where the method leaves room:

- Recruitment is done with at least `MIN_ECONOMIC_ACTORS` actors besides the public partners and at least one
  public partner: a pooling needs several actors, and the method meets the public authorities first.
- Interviews: *every* actor ("visite individuelle auprès de chaque acteur participant"), not 80 %: an actor not
  visited brings no need and no capacity, so no lead can involve them. The figure shows how far it is; an actor
  who drops out is archived and no longer counts. When an extension cohort joins, the step opens again until
  the newcomers have had their interview, as the method asks.
- Leads: every detected lead examined (dismissed with a reason, or promoted into a candidate action).
- Selection: at least one low-hanging fruit selected. The method selects them "systématiquement"; when none
  comes out of the vote, the unchecked line is a prompt to look for a quick, easy action that builds momentum.
- Working groups: 3 meetings per group at least (the method's "3 à 5 réunions"), counted over all groups
  (the figures are per territory, not per group), and the implementation started (an action in progress or done).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from atelier.i18n import t

COUNT_KEYS = (
    "actors", "public_partners", "interviews", "leads", "leads_decided", "swot_items", "swot_quadrants_filled",
    "workshops_coconstruction", "ideas", "candidate_actions", "workshops_selection", "ratings",
    "selected_actions", "low_hanging_fruit_selected", "working_groups", "meetings_planned", "meetings_held",
    "actions_in_progress", "actions_done", "join_requests_waiting", "cohorts", "co_facilitators",
)

MIN_ECONOMIC_ACTORS = 3
INTERVIEWS_SHARE = 1.0  # of the actors: every one of them
MIN_MEETINGS_PER_GROUP = 3
MAX_MEETINGS_PER_GROUP = 5
SWOT_QUADRANTS = 4


@dataclass(frozen=True)
class CheckItem:
    text: str
    done: bool


@dataclass(frozen=True)
class MethodStep:
    key: str
    title: str
    purpose: str
    checklist: tuple[CheckItem, ...]
    tips: tuple[str, ...]
    link: str

    @property
    def done(self) -> bool:
        return all(item.done for item in self.checklist)

    @property
    def progress(self) -> float:
        """The share of the checklist done, from 0 to 1 (a step without checks is done)."""
        if not self.checklist:
            return 1.0
        return sum(item.done for item in self.checklist) / len(self.checklist)


def counted(count: int, key: str, lang: str, **params: object) -> str:
    """The sentence `key` agreeing with `count` in `lang`: French takes the singular for 0 and 1 ("0 entretien"),
    English for 1 only ("0 interviews"); the catalogue holds both forms as `key.one` and `key.many`."""
    singular = count <= 1 if lang == "fr" else count == 1
    return t(f"{key}.{'one' if singular else 'many'}", lang, count=count, **params)


def _counts(counts: Mapping[str, int]) -> dict[str, int]:
    return {key: max(0, int(counts.get(key, 0) or 0)) for key in COUNT_KEYS}


def method_steps(counts: Mapping[str, int], territory_id: int, lang: str = "fr") -> list[MethodStep]:
    """The nine steps of the method, each with its checklist checked against the territory's `counts`, worded
    in `lang`."""
    c = _counts(counts)
    base = f"/animation/territoire/{territory_id}"
    return [
        _recruitment(c, base, lang), _interviews(c, base, lang), _leads(c, base, lang), _swot(c, base, lang),
        _coconstruction(c, lang), _selection(c, base, lang), _working_groups(c, base, lang),
        _extension(c, base, lang), _transmission(c, lang),
    ]


def current_step(steps: Sequence[MethodStep]) -> MethodStep | None:
    """The first step not done, or None when every step is."""
    return next((step for step in steps if not step.done), None)


# --- the steps ---------------------------------------------------------------------------------------------


def _step(key: str, lang: str, checklist: tuple[CheckItem, ...], link: str, **params: object) -> MethodStep:
    """A step whose title, purpose and three tips are the catalogue's `method.<key>.…` in `lang`."""
    return MethodStep(
        key=key,
        title=t(f"method.{key}.title", lang),
        purpose=t(f"method.{key}.purpose", lang, **params),
        checklist=checklist,
        tips=tuple(t(f"method.{key}.tip{n}", lang) for n in (1, 2, 3)),
        link=link,
    )


def _interviews_enough(c: dict[str, int]) -> bool:
    return c["actors"] > 0 and c["interviews"] >= math.ceil(INTERVIEWS_SHARE * c["actors"])


def _interviews_text(c: dict[str, int], lang: str) -> str:
    return t("method.interviews_of", lang, interviews=counted(c["interviews"], "method.interviews", lang),
             actors=counted(c["actors"], "method.actors", lang))


def _recruitment(c: dict[str, int], base: str, lang: str) -> MethodStep:
    economic = max(0, c["actors"] - c["public_partners"])
    return _step("recrutement", lang, (
        CheckItem(counted(economic, "method.recrutement.economic", lang, min=MIN_ECONOMIC_ACTORS),
                  economic >= MIN_ECONOMIC_ACTORS),
        CheckItem(counted(c["public_partners"], "method.recrutement.public", lang), c["public_partners"] >= 1),
    ), f"{base}/acteurs")


def _interviews(c: dict[str, int], base: str, lang: str) -> MethodStep:
    return _step("entretiens", lang, (
        CheckItem(t("method.entretiens.check", lang, figures=_interviews_text(c, lang)), _interviews_enough(c)),
    ), f"{base}/acteurs")


def _leads(c: dict[str, int], base: str, lang: str) -> MethodStep:
    leads, decided = c["leads"], c["leads_decided"]
    return _step("pistes", lang, (
        CheckItem(counted(leads, "method.pistes.detected", lang), leads >= 1),
        CheckItem(t("method.pistes.examined", lang, decided=min(decided, leads), leads=leads),
                  leads >= 1 and decided >= leads),
    ), f"{base}/pistes")


def _swot(c: dict[str, int], base: str, lang: str) -> MethodStep:
    filled = min(c["swot_quadrants_filled"], SWOT_QUADRANTS)
    return _step("ffom", lang, (
        CheckItem(counted(c["swot_items"], "method.ffom.items", lang), c["swot_items"] >= 1),
        CheckItem(t("method.ffom.quadrants", lang, filled=filled, total=SWOT_QUADRANTS), filled >= SWOT_QUADRANTS),
    ), f"{base}/ffom")


def _coconstruction(c: dict[str, int], lang: str) -> MethodStep:
    key = "method.atelier-co-construction"
    return _step("atelier-co-construction", lang, (
        CheckItem(counted(c["workshops_coconstruction"], f"{key}.workshops", lang), c["workshops_coconstruction"] >= 1),
        CheckItem(counted(c["ideas"], f"{key}.ideas", lang), c["ideas"] >= 1),
        CheckItem(counted(c["candidate_actions"], f"{key}.actions", lang), c["candidate_actions"] >= 1),
    ), "/animation")


def _selection(c: dict[str, int], base: str, lang: str) -> MethodStep:
    key = "method.atelier-selection"
    candidates = counted(c["candidate_actions"], "method.candidates", lang)
    return _step("atelier-selection", lang, (
        CheckItem(counted(c["workshops_selection"], f"{key}.workshops", lang), c["workshops_selection"] >= 1),
        CheckItem(counted(c["ratings"], f"{key}.ratings", lang), c["ratings"] >= 1),
        CheckItem(counted(c["low_hanging_fruit_selected"], f"{key}.fruits", lang),
                  c["low_hanging_fruit_selected"] >= 1),
        CheckItem(counted(c["selected_actions"], f"{key}.selected", lang, candidates=candidates),
                  c["selected_actions"] >= 1),
    ), f"{base}/actions")


def _working_groups(c: dict[str, int], base: str, lang: str) -> MethodStep:
    groups = c["working_groups"]
    expected = MIN_MEETINGS_PER_GROUP * groups
    started = c["actions_in_progress"] + c["actions_done"]
    span = {"min": MIN_MEETINGS_PER_GROUP, "max": MAX_MEETINGS_PER_GROUP}
    return _step("groupes", lang, (
        CheckItem(counted(groups, "method.groupes.groups", lang), groups >= 1),
        CheckItem(t("method.groupes.planned", lang, planned=c["meetings_planned"], expected=expected, **span),
                  groups >= 1 and c["meetings_planned"] >= expected),
        CheckItem(t("method.groupes.held", lang, held=c["meetings_held"], expected=expected),
                  groups >= 1 and c["meetings_held"] >= expected),
        CheckItem(t("method.groupes.started", lang,
                    in_progress=counted(c["actions_in_progress"], "method.groupes.in_progress", lang),
                    done=counted(c["actions_done"], "method.groupes.done", lang)), started >= 1),
    ), f"{base}/groupes", **span)


def _extension(c: dict[str, int], base: str, lang: str) -> MethodStep:
    cohorts = c["cohorts"]
    return _step("extension", lang, (
        CheckItem(t("method.extension.cohorts", lang,
                    cohorts=counted(cohorts, "method.extension.cohorts_count", lang),
                    waiting=counted(c["join_requests_waiting"], "method.extension.waiting", lang)), cohorts >= 1),
        CheckItem(t("method.extension.met", lang, figures=_interviews_text(c, lang)),
                  cohorts >= 1 and _interviews_enough(c)),
        CheckItem(t("method.extension.workshop", lang,
                    workshops=counted(c["workshops_coconstruction"], "method.extension.workshops", lang)),
                  cohorts >= 1 and c["workshops_coconstruction"] >= 2),
    ), f"{base}/extension")


def _transmission(c: dict[str, int], lang: str) -> MethodStep:
    return _step("transmission", lang, (
        CheckItem(counted(c["co_facilitators"], "method.transmission.co", lang), c["co_facilitators"] >= 1),
    ), "/animation/roles")
