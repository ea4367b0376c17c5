"""What the plan says, section by section: cover, summary, the actions, SWOT, leads and the ideas annex."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from atelier.exports.model import ActionPlan, PlanAction, PlanIdea, PlanLead, PlanMeeting, PlanSwotItem
from atelier.exports.pdf.layout import (
    _heading,
    _table,
    _together,
)
from atelier.exports.pdf.text import (
    FONT,
    LIGHT,
    SWOT_ORDER,
    TEXT_WIDTH,
    _clean,
    _colour,
    _french_date,
    _french_datetime,
    _label,
    _markup,
    _number,
    _plural,
    _styles,
)

# --------------------------------------------------------------------------------------------------- cover, summary


def _cover(plan: ActionPlan) -> list[Flowable]:
    s = _styles()
    story: list[Flowable] = [Spacer(1, 45 * mm), Paragraph("Atelier d’écologie économique territoriale",
                                                             s["cover_kicker"]), Spacer(1, 6 * mm)]
    story.append(Paragraph("Plan d’action", s["cover_title"]))
    story.append(Paragraph(_markup(plan.territory), s["cover_territory"]))
    story.append(Paragraph(_markup(plan.workshop), s["cover_line"]))
    if plan.date:
        story.append(Paragraph(escape(_clean(_french_date(plan.date))), s["cover_line"]))
    story.append(Spacer(1, 10 * mm))
    people = f"{_plural(plan.participants_count, 'participant')}, {_plural(plan.voters, 'votant')}"
    story.append(Paragraph(escape(people), s["cover_line"]))
    story.append(Spacer(1, 8 * mm))
    box: list[Flowable] = []
    if plan.organisations:
        names = ", ".join(_markup(o).replace("<br/>", " ") for o in plan.organisations)
        box.append(Paragraph(_label("Organisations participantes", names + "."), s["body"]))
    else:
        box.append(Paragraph(_label("Organisations participantes",
                                    "aucune à afficher (selon le consentement de chacun)."), s["body"]))
    rule = _markup(plan.thresholds) if plan.thresholds else "règle non précisée"
    box.append(Paragraph(_label("Fruits à portée de main", rule), s["body"]))
    mode = "points à répartir" if plan.vote_mode == "points" else "notes d’impact et de facilité de 1 à 5"
    box.append(Paragraph(_label("Mode de vote", escape(mode)), s["body"]))
    if plan.workshop_code:
        box.append(Paragraph(_label("Code de l’atelier", _markup(plan.workshop_code)), s["small"]))
    if plan.generated_at:
        box.append(Paragraph(escape(f"Document établi le {_clean(_french_datetime(plan.generated_at))}."),
                             s["small"]))
    table = Table([[box]], colWidths=[TEXT_WIDTH - 20 * mm])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT), ("BOX", (0, 0), (-1, -1), 0.6, LIGHT),
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f6f8fa")),
        ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    story.append(table)
    return story


def _summary(plan: ActionPlan) -> list[Flowable]:
    s = _styles()
    selected = [a for a in plan.actions if a.selected]
    story: list[Flowable] = _heading("Synthèse")
    if not selected:
        story.append(Paragraph("Aucune action n’a encore été retenue pour cet atelier.", s["empty"]))
    rows = [
        ("Actions retenues", len(selected)),
        ("dont fruits à portée de main", len(plan.low_hanging_fruit)),
        ("dont actions en groupe de travail", len(plan.working_group_actions)),
        ("dont autres actions retenues", len(plan.other_selected)),
        ("Actions non retenues", len(plan.not_selected)),
        ("Idées de l’atelier (hors idées masquées)", sum(1 for i in plan.ideas if not i.hidden)),
        ("Pistes issues des entretiens", len(plan.leads)),
    ]
    data = [[Paragraph(escape(label), s["cell"] if label.startswith("dont") else s["body"]),
             Paragraph(f"<b>{count}</b>", s["body"])] for label, count in rows]
    table = Table(data, colWidths=[90 * mm, 25 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT), ("LINEBELOW", (0, 0), (-1, -1), 0.4, LIGHT),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 1), (0, 3), 14),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    story.append(table)
    for note in plan.notes:
        story.append(Paragraph(_markup(note), s["small"]))
    return story



# --------------------------------------------------------------------------------------------------- actions


def _grades(action: PlanAction, vote_mode: str) -> str:
    def one(name: str, feminine: bool, median: int | None, mean: float | None, dist: tuple[int, ...]) -> str:
        if median is None and mean is None:
            return f"{name} : pas de note"
        parts = [f"{name} {'médiane' if feminine else 'médian'} {median}/5" if median is not None else name]
        details = []
        if mean is not None:
            details.append(f"moyenne {_number(mean)}")
        if dist:
            details.append("répartition " + "-".join(str(n) for n in dist))
        if details:
            parts.append(f"({' ; '.join(details)})")
        return " ".join(parts)

    impact = one("impact", False, action.impact_median, action.impact_mean, action.impact_distribution)
    ease = one("facilité", True, action.ease_median, action.ease_mean, action.ease_distribution)
    count = _plural(action.points, "point") if vote_mode == "points" else _plural(action.ratings, "note")
    return f"{impact} · {ease}, {count}"


def _meta(action: PlanAction) -> str:
    colour = _colour(action.category_colour)
    parts = [_markup(action.category) or "sans catégorie", _markup(action.horizon) or "horizon non précisé",
             "statut\u00a0: " + (_markup(action.status) or "non renseigné")]
    if action.origin:
        parts.append(_markup(action.origin))
    return f'<font color="{colour.hexval().replace("0x", "#")}" size="11">•</font> ' + " · ".join(parts)


def _people(action: PlanAction) -> str:
    parts = [_label("Pilote", _markup(action.pilot) if action.pilot else "à trouver")]
    if action.contributors:
        parts.append(_label("Contributeurs", ", ".join(_markup(c) for c in action.contributors)))
    if action.interested:
        parts.append(_label("Intéressés", ", ".join(_markup(c) for c in action.interested)))
    return " · ".join(parts)


def _next_step(action: PlanAction) -> str:
    text = _markup(action.next_step) if action.next_step else "à définir"
    if action.next_step_owner:
        text += f" — responsable {_markup(action.next_step_owner)}"
    if action.next_step_due:
        text += f" — échéance {_markup(_french_date(action.next_step_due))}"
    return _label("Prochaine étape", text)


def _meeting_line(meetings: Sequence[PlanMeeting]) -> str:
    items = []
    for m in sorted(meetings, key=lambda m: (m.number, m.starts_at)):
        text = f"n° {m.number} le {_markup(_french_datetime(m.starts_at))}"
        if m.minutes:
            text += f" ({m.minutes} min)"
        if m.place:
            text += f", {_markup(m.place)}"
        items.append(text)
    return _label("Réunions du groupe de travail", " ; ".join(items))


def _action_block(action: PlanAction, plan: ActionPlan, meetings: Sequence[PlanMeeting]) -> list[Flowable]:
    s = _styles()
    parts: list[Flowable] = [
        Paragraph(f"n° {action.rank} — {_markup(action.title)}", s["action_title"]),
        Paragraph(_meta(action), s["meta"]),
    ]
    if action.description:
        parts.append(Paragraph(_markup(action.description), s["indent"]))
    if action.selected:
        parts.append(Paragraph(_people(action), s["indent"]))
    parts.append(Paragraph(escape(_clean(_grades(action, plan.vote_mode))), s["indent_small"]))
    if action.selected:
        if action.low_hanging_fruit:
            parts.append(Paragraph(_label("Fruit à portée de main", _markup(action.fruit_reason or "selon la règle")),
                                   s["indent"]))
        elif action.fruit_reason:
            parts.append(Paragraph(_label("Au regard de la règle", _markup(action.fruit_reason)), s["indent_small"]))
        if action.unselection_reason:
            parts.append(Paragraph(_label("Remarque", _markup(action.unselection_reason)), s["indent"]))
        parts.append(Paragraph(_next_step(action), s["indent"]))
        if meetings:
            parts.append(Paragraph(_meeting_line(meetings), s["indent"]))
    else:
        reason = _markup(action.unselection_reason) if action.unselection_reason else "non précisée"
        parts.append(Paragraph(_label("Raison", reason), s["indent"]))
    parts.append(Spacer(1, 5))
    return parts


def _actions_sections(plan: ActionPlan) -> list[Flowable]:
    s = _styles()
    meetings: dict[str, list[PlanMeeting]] = {}
    for m in plan.meetings:
        meetings.setdefault(m.group, []).append(m)
    story: list[Flowable] = []
    any_selected = any(a.selected for a in plan.actions)

    def section(title: str, actions: Iterable[PlanAction], empty: str | None, intro: str | None = None) -> None:
        actions = list(actions)
        if not actions and empty is None:
            return
        head = _heading(f"{title} ({len(actions)})" if actions else title)
        if intro and actions:
            head.append(Paragraph(intro, s["small"]))
        if not actions:
            story.extend([*head, Paragraph(escape(empty or ""), s["body"])])
            return
        blocks = [_action_block(a, plan, meetings.get(a.title, ())) for a in actions]
        # the title never ends a page alone: it stays with the first action
        story.extend([head[0], _together([*head[1:], *blocks[0]]), *(_together(b) for b in blocks[1:])])

    if any_selected:
        section("Fruits à portée de main", plan.low_hanging_fruit,
                "Aucune action retenue ne remplit la règle des fruits à portée de main.",
                _label("Règle", _markup(plan.thresholds)) if plan.thresholds else None)
        section("Actions en groupe de travail", plan.working_group_actions,
                "Aucune action retenue n’est confiée à un groupe de travail.")
        section("Autres actions retenues", plan.other_selected, None)
    section("Actions non retenues", plan.not_selected, None)
    return story


# --------------------------------------------------------------------------------------------------- SWOT, leads, ideas


def _swot_section(items: Sequence[PlanSwotItem]) -> list[Flowable]:
    if not items:
        return []
    s = _styles()
    by_quadrant: dict[str, list[str]] = {q: [] for q in SWOT_ORDER}
    for item in items:
        by_quadrant.setdefault(_clean(item.quadrant) or "Autres", []).append(item.text)
    fills = {"Forces": "#e3f4e8", "Faiblesses": "#fde8e4", "Opportunités": "#e6eef8", "Menaces": "#fdf3dc"}

    def cell(quadrant: str) -> list[Flowable]:
        content: list[Flowable] = [Paragraph(f"<b>{escape(quadrant)}</b>", s["body"])]
        entries = by_quadrant.get(quadrant, [])
        content += [Paragraph(_markup(t), s["swot"], bulletText="•") for t in entries]
        if not entries:
            content.append(Paragraph("—", s["cell"]))
        return content

    quadrants = list(by_quadrant)
    rows = [[cell(q) for q in quadrants[i:i + 2]] for i in range(0, len(quadrants), 2)]
    if len(rows[-1]) == 1:
        rows[-1].append([])
    table = Table(rows, colWidths=[TEXT_WIDTH / 2] * 2, splitInRow=1)
    style = [("FONTNAME", (0, 0), (-1, -1), FONT), ("GRID", (0, 0), (-1, -1), 0.6, colors.white),
             ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
             ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]
    for index, quadrant in enumerate(quadrants):
        row, col = divmod(index, 2)
        style.append(("BACKGROUND", (col, row), (col, row), colors.HexColor(fills.get(quadrant, "#f0f0f0"))))
    table.setStyle(TableStyle(style))
    return [*_heading("Matrice FFOM"), Paragraph("Forces, faiblesses, opportunités, menaces.", s["small"]), table]



def _leads_section(leads: Sequence[PlanLead]) -> list[Flowable]:
    if not leads:
        return []
    s = _styles()
    rows = []
    for lead in leads:
        status = _markup(lead.status)
        if lead.reason:
            status += f" — {_markup(lead.reason)}"
        rows.append([Paragraph(_markup(lead.kind), s["cell"]), Paragraph(_markup(lead.category), s["cell"]),
                     Paragraph(", ".join(_markup(a) for a in lead.actors), s["cell"]),
                     Paragraph(", ".join(_markup(w) for w in lead.words), s["cell"]),
                     Paragraph(status, s["cell"])])
    widths = [0.15, 0.17, 0.25, 0.18, 0.25]
    return [*_heading("Pistes issues des entretiens"),
            _table(("Type", "Catégorie", "Acteurs", "Mots", "Statut"), rows, [w * TEXT_WIDTH for w in widths])]


def _ideas_annex(ideas: Sequence[PlanIdea]) -> list[Flowable]:
    shown = [i for i in ideas if not i.hidden]
    if not shown:
        return []
    s = _styles()
    rows = []
    for idea in shown:
        title = f"<b>{_markup(idea.title)}</b>" if idea.is_group else _markup(idea.title)
        group = "regroupement" if idea.is_group else _markup(idea.group)
        rows.append([Paragraph(title, s["cell"]), Paragraph(_markup(idea.category), s["cell"]),
                     Paragraph(_markup(idea.organisation) or "—", s["cell"]), Paragraph(group, s["cell"])])
    widths = [0.46, 0.16, 0.2, 0.18]
    hidden = len(ideas) - len(shown)
    story: list[Flowable] = _heading("Annexe — Idées de l’atelier")
    intro = f"{_plural(len(shown), 'idée')}"
    if hidden:
        intro += f" ; {_plural(hidden, 'idée masquée', 'idées masquées')} par l’animation, non reprise"
        intro += "s" if hidden > 1 else ""
    intro += ". L’organisation n’apparaît que si son auteur l’a accepté."
    story.append(Paragraph(escape(intro), s["small"]))
    story.append(_table(("Idée", "Catégorie", "Organisation", "Regroupée dans"), rows,
                        [w * TEXT_WIDTH for w in widths]))
    return story

