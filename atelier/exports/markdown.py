"""The workshop's minutes ("compte rendu") in Markdown, for a pad, a wiki, a forum or an e-mail.

Every text that came from a person (titles, descriptions, names, reasons, ideas) is escaped, so that it reads as
typed in any Markdown viewer and never becomes markup: `<`, `>` and `&` as HTML entities (viewers render raw HTML,
so `<img src=x onerror=alert(1)>` would run), the inline markers `\\ ` * _ [ ] #` with a backslash, `|`, `~` and `$`
(tables, strike-through and maths in some viewers) as entities, and what would open a block at the start of a line
(`-`, `+`, `=`, `1.`) escaped too. Only the minutes' own headings, bold labels and lists are markup.

Paragraphs of a text stay paragraphs (a blank line between them); its other line breaks are kept as hard breaks
(two trailing spaces), the one form every Markdown knows.
Hidden ideas (the facilitator hid them from the board) stay out of the minutes; the spreadsheets keep them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from datetime import datetime

from atelier.exports.model import ActionPlan, PlanAction, PlanIdea, PlanLead, PlanMeeting
from atelier.exports.wording import french_date, french_datetime
from atelier.imports.actors_table import clean_export

__all__ = ["escape", "plan_markdown"]

_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_QUADRANTS = ("Forces", "Faiblesses", "Opportunités", "Menaces")

_BACKSLASHED = re.compile(r"([\\`*_\[\]#])")
_ENTITIES = str.maketrans({"|": "&#124;", "~": "&#126;", "$": "&#36;"})
_LIST_START = re.compile(r"^([-+])")
_ORDERED_START = re.compile(r"^(\d+)([.)])")
_HARD_BREAK = "  \n"
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _lines(text: str) -> list[str]:
    """The text's non-empty lines, trimmed and spaces squeezed: leading spaces would make an indented code block."""
    text = clean_export(text)
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def _escape_line(line: str) -> str:
    line = html.escape(line, quote=False)
    line = _BACKSLASHED.sub(r"\\\1", line).translate(_ENTITIES)
    line = _LIST_START.sub(r"\\\1", line)
    line = _ORDERED_START.sub(r"\1\\\2", line)
    if line.startswith("="):
        line = "&#61;" + line[1:]  # a line of = under a paragraph would make it a heading
    return line


def escape(text: str) -> str:
    """User text on one line (headings, list items): line breaks become spaces."""
    return " ".join(_escape_line(line) for line in _lines(text))


def _paragraphs(text: str) -> list[list[str]]:
    """The text's paragraphs (split at blank lines), each as its non-empty lines."""
    paragraphs = (_lines(block) for block in _BLANK_LINE.split(clean_export(text)))
    return [lines for lines in paragraphs if lines]


def _block(text: str, indent: str = "") -> str:
    """User text over several lines: a paragraph per paragraph (a blank line between them), its other line breaks
    kept as hard breaks; `indent` keeps it all inside a list item."""
    return ("\n\n" + indent).join((_HARD_BREAK + indent).join(_escape_line(line) for line in lines)
                                  for lines in _paragraphs(text))


def _date(text: str) -> str:
    return french_date(text) or escape(text)


def _datetime(text: str) -> str:
    return french_datetime(text) or escape(text)


def _duration(minutes: int) -> str:
    hours, rest = divmod(max(minutes, 0), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def _decimal(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def _names(names: Iterable[str]) -> str:
    return ", ".join(escape(name) for name in names if _lines(name))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


def _ratings(action: PlanAction, plan: ActionPlan) -> str:
    parts = []
    if action.impact_median is not None:
        mean = f" (moyenne {_decimal(action.impact_mean)})" if action.impact_mean is not None else ""
        parts.append(f"impact {action.impact_median}/5{mean}")
    if action.ease_median is not None:
        mean = f" (moyenne {_decimal(action.ease_mean)})" if action.ease_mean is not None else ""
        parts.append(f"facilité {action.ease_median}/5{mean}")
    if plan.vote_mode == "points" or action.points:
        parts.append(_plural(action.points, "point"))
    if action.ratings:
        parts.append(f"{_plural(action.ratings, 'participant')} {'ont' if action.ratings > 1 else 'a'} noté")
    return ", ".join(parts)


def _action(action: PlanAction, plan: ActionPlan) -> list[str]:
    out = [f"### {escape(action.title)}", ""]
    if _lines(action.description):
        out += [_block(action.description), ""]
    facts: list[tuple[str, str]] = [
        ("Rang", str(action.rank)),
        ("Catégorie", escape(action.category)),
        ("Horizon", escape(action.horizon)),
        ("Notes", _ratings(action, plan)),
    ]
    if action.low_hanging_fruit:
        facts.append(("Fruit à portée de main", escape(action.fruit_reason)))
    facts += [
        ("Pilote", escape(action.pilot)),
        ("Contributeurs", _names(action.contributors)),
        ("Intéressés", _names(action.interested)),
    ]
    if _lines(action.next_step):
        step = escape(action.next_step)
        if _lines(action.next_step_owner):
            step += f" — {escape(action.next_step_owner)}"
        if action.next_step_due:
            step += f", pour le {_date(action.next_step_due)}"
        facts.append(("Prochaine étape", step))
    facts += [("Statut", escape(action.status)), ("Origine", escape(action.origin))]
    out += [f"- **{label} :** {value}" for label, value in facts if value]
    return [*out, ""]


def _actions_section(title: str, actions: Sequence[PlanAction], plan: ActionPlan) -> list[str]:
    out = [f"## {title} ({len(actions)})", ""]
    if not actions:
        return [*out, "Aucune.", ""]
    for action in actions:
        out += _action(action, plan)
    return out


def _meeting(meeting: PlanMeeting) -> str:
    try:
        moment = datetime.fromisoformat(meeting.starts_at)
        when = f"{_DAYS[moment.weekday()]} {_datetime(meeting.starts_at)}"
    except ValueError:
        when = escape(meeting.starts_at)
    place = f", {escape(meeting.place)}" if _lines(meeting.place) else ""
    return f"- {escape(meeting.group)}, réunion {meeting.number} : {when} ({_duration(meeting.minutes)}){place}"


def _not_selected(action: PlanAction) -> str:
    line = f"- **{escape(action.title)}**"
    reason = escape(action.unselection_reason)
    return f"{line} — {reason}" if reason else f"{line} — raison non indiquée"


def _lead(lead: PlanLead) -> str:
    line = f"- **{escape(lead.kind)}** ({escape(lead.category)}) : {_names(lead.actors)}"
    if lead.words:
        line += f" — mots communs : {_names(lead.words)}"
    line += f" — score {_decimal(lead.score, 2)} — {escape(lead.status)}"
    if _lines(lead.reason):
        line += f" : {escape(lead.reason)}"
    return line


def _idea(idea: PlanIdea) -> str:
    line = f"- **{escape(idea.title)}**"
    if _lines(idea.organisation):
        line += f" ({escape(idea.organisation)})"
    if _lines(idea.category):
        line += f" — {escape(idea.category)}"
    if _lines(idea.group):
        line += f" — regroupée dans « {escape(idea.group)} »"
    if _lines(idea.details):
        line += _HARD_BREAK + "  " + _block(idea.details, indent="  ")
    return line


def plan_markdown(plan: ActionPlan) -> str:
    out = [f"# Compte rendu — {escape(plan.workshop)}", ""]
    heading = [f"**Territoire :** {escape(plan.territory)}", f"**Date :** {_date(plan.date)}"]
    if _lines(plan.workshop_code):
        heading.append(f"**Code de l’atelier :** {escape(plan.workshop_code)}")
    heading.append(f"*Document produit par atelier le {_datetime(plan.generated_at)}.*")
    out += [_HARD_BREAK.join(heading), ""]

    out += ["## Participants", ""]
    votes = "notes d’impact et de facilité, de 1 à 5" if plan.vote_mode == "notes" else escape(plan.vote_mode)
    out += [f"{_plural(plan.participants_count, 'participant')}, dont {_plural(plan.voters, 'votant')} "
            f"(vote : {votes}).", ""]
    if plan.organisations:
        out += [f"Organisations présentes ({len(plan.organisations)}) :", ""]
        out += [f"- {escape(name)}" for name in plan.organisations]
        out.append("")

    out += ["## La règle", ""]
    rule = escape(plan.thresholds)
    out += [f"Une action est un fruit à portée de main quand : {rule}." if rule else "Aucune règle indiquée.", ""]

    out += _actions_section("Fruits à portée de main", plan.low_hanging_fruit, plan)
    out += _actions_section("Actions confiées à un groupe de travail", plan.working_group_actions, plan)
    if plan.meetings:
        out += ["### Calendrier des groupes de travail", ""]
        out += [_meeting(m) for m in sorted(plan.meetings, key=lambda m: (m.starts_at, m.group, m.number))]
        out.append("")
    out += _actions_section("Autres actions retenues", plan.other_selected, plan)

    not_selected = plan.not_selected
    out += [f"## Actions non retenues ({len(not_selected)})", ""]
    out += [_not_selected(a) for a in not_selected] if not_selected else ["Aucune."]
    out.append("")

    out += ["## FFOM (forces, faiblesses, opportunités, menaces)", ""]
    if not plan.swot:
        out += ["Aucun élément.", ""]
    quadrants = [*_QUADRANTS, *dict.fromkeys(s.quadrant for s in plan.swot if s.quadrant not in _QUADRANTS)]
    for quadrant in quadrants:
        items = [s for s in plan.swot if s.quadrant == quadrant]
        if items:
            out += [f"### {escape(quadrant)}", ""]
            out += [f"- {escape(item.text)}" for item in items]
            out.append("")

    out += [f"## Pistes de synergie ({len(plan.leads)})", ""]
    out += [_lead(lead) for lead in plan.leads] if plan.leads else ["Aucune."]
    out.append("")

    if plan.notes:
        out += ["## Remarques", ""]
        out += [f"- {_block(note, indent='  ')}" for note in plan.notes]
        out.append("")

    ideas = [idea for idea in plan.ideas if not idea.hidden]
    out += [f"## Annexe : idées de l’atelier ({len(ideas)})", ""]
    out += [_idea(idea) for idea in ideas] if ideas else ["Aucune."]
    out.append("")
    return "\n".join(out)
