"""The impact × ease matrix, the rule's own as on the board: every rated action at its medians (nudged by the majority
gauge), the lines at the thresholds, fruits marked by the verdict, no mark overlapping another."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Paragraph,
)

from atelier.exports.model import ActionPlan
from atelier.exports.pdf.layout import (
    _heading,
)
from atelier.exports.pdf.text import (
    FONT,
    FONT_BOLD,
    GREY,
    INK,
    LIGHT,
    TEXT_WIDTH,
    _clean,
    _colour,
    _plural,
    _styles,
)
from atelier.rules.selection import GRADES, GradeSummary, matrix_points, summarise

FRUIT = colors.HexColor("#2e7d32")  # the low-hanging fruit on the matrix, as on the board


def _text_colour(fill: colors.Color) -> colors.Color:
    luminance = 0.299 * fill.red + 0.587 * fill.green + 0.114 * fill.blue
    return INK if luminance > 0.55 else colors.white


Box = tuple[float, float, float, float]  # x0, y0, x1, y1


@lru_cache(maxsize=4)
def _hex_offsets(step: float, rings: int = 24) -> tuple[tuple[float, float], ...]:
    """Points of a hexagonal lattice (spacing `step`) around (0, 0), nearest first."""
    offsets = [(step * (i + j / 2), step * j * math.sqrt(3) / 2)
               for i in range(-rings, rings + 1) for j in range(-rings, rings + 1)]
    return tuple(sorted(offsets, key=lambda o: (round(o[0] ** 2 + o[1] ** 2, 6), math.atan2(o[1], o[0]))))


def _place(points: Sequence[tuple[float, float]], radius: float, bounds: Box, regions: Sequence[Box],
           obstacles: Sequence[Box]) -> list[tuple[float, float]]:
    """Where to draw each circle so that none overlaps: its true position, else the nearest free spot of a
    hexagonal lattice around it, staying in the same quadrant and off the quadrant names when there is room."""
    step = 2 * radius + 1.5
    placed: dict[tuple[int, int], list[tuple[float, float]]] = {}

    def free(cx: float, cy: float, box: Box, avoid: bool) -> bool:
        x0, y0, x1, y1 = box
        if not (x0 + radius <= cx <= x1 - radius and y0 + radius <= cy <= y1 - radius):
            return False
        if avoid:
            for ox0, oy0, ox1, oy1 in obstacles:
                nx, ny = min(max(cx, ox0), ox1), min(max(cy, oy0), oy1)
                if (cx - nx) ** 2 + (cy - ny) ** 2 < radius ** 2:
                    return False
        gx, gy = int(cx // step), int(cy // step)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for px, py in placed.get((gx + dx, gy + dy), ()):
                    if (cx - px) ** 2 + (cy - py) ** 2 < (step - 0.5) ** 2:
                        return False
        return True

    spots = []
    for x, y in points:
        region = next((r for r in regions if r[0] <= x <= r[2] and r[1] <= y <= r[3]), bounds)
        spot = None
        for box, avoid in ((region, True), (bounds, True), (bounds, False)):
            spot = next(((x + ox, y + oy) for ox, oy in _hex_offsets(step) if free(x + ox, y + oy, box, avoid)), None)
            if spot:
                break
        spot = spot or (x, y)
        placed.setdefault((int(spot[0] // step), int(spot[1] // step)), []).append(spot)
        spots.append(spot)
    return spots


def _grades_of(distribution: tuple[int, ...]) -> GradeSummary:
    return summarise([grade for grade, count in zip(GRADES, distribution, strict=False) for _ in range(count)])


def _matrix(plan: ActionPlan) -> tuple[Drawing, bool] | None:
    """The rule's own matrix, as the board and the console draw it (rules.selection.matrix_points): the medians,
    nudged within their grade by the majority gauge and spread apart when they coincide; the quadrant lines at the
    workshop's thresholds; fruits marked by the rule's verdict. Returns the drawing, and whether some marks still
    had to be moved off their position (then joined to it by a fine line)."""
    rated = [a for a in plan.actions if a.impact_median is not None and a.ease_median is not None]
    if not rated:
        return None
    width, height = TEXT_WIDTH, 125 * mm
    categories: dict[str, colors.Color] = {}
    for a in rated:
        categories.setdefault(_clean(a.category) or "Sans catégorie", _colour(a.category_colour))
    legend_rows = 3 + math.ceil(len(categories) / 3)
    legend_height = legend_rows * 12 + 4
    left, right, top = 34.0, width - 6, height - 4
    bottom = legend_height + 28
    pw, ph = right - left, top - bottom
    drawing = Drawing(width, height)

    def sx(v: float) -> float:  # grades 1–5 at the centres of bands from 0.5 to 5.5
        return left + (min(max(v, 0.5), 5.5) - 0.5) / 5 * pw

    def sy(v: float) -> float:
        return bottom + (min(max(v, 0.5), 5.5) - 0.5) / 5 * ph

    mx, my = sx(plan.ease_min - 0.5), sy(plan.impact_min - 0.5)
    quadrants = (
        (mx, my, right, top, "#e3f4e8", "Facile et utile", "end", True),
        (left, my, mx, top, "#e6eef8", "Projets structurants", "start", True),
        (mx, bottom, right, my, "#fdf3dc", "Actions simples", "end", False),
        (left, bottom, mx, my, "#f0f0f0", "À reconsidérer", "start", False),
    )
    labels: list[Box] = []
    for x0, y0, x1, y1, fill, name, anchor, upper in quadrants:
        if x1 - x0 < 1 or y1 - y0 < 1:
            continue  # a threshold at 1: that side of the line is empty
        drawing.add(Rect(x0, y0, x1 - x0, y1 - y0, fillColor=colors.HexColor(fill), strokeColor=None))
        tx = x1 - 5 if anchor == "end" else x0 + 5
        ty = y1 - 13 if upper else y0 + 5
        drawing.add(String(tx, ty, name, fontName=FONT_BOLD, fontSize=9.5, fillColor=GREY, textAnchor=anchor))
        length = pdfmetrics.stringWidth(name, FONT_BOLD, 9.5)
        lx = tx - length if anchor == "end" else tx
        labels.append((lx - 2, ty - 3, lx + length + 2, ty + 10))
    for v in range(1, 6):
        drawing.add(String(sx(v), bottom - 10, str(v), fontName=FONT, fontSize=8, fillColor=INK, textAnchor="middle"))
        drawing.add(String(left - 5, sy(v) - 3, str(v), fontName=FONT, fontSize=8, fillColor=INK, textAnchor="end"))
    for v in range(1, 5):  # faint lines between grades
        drawing.add(Line(sx(v + 0.5), bottom, sx(v + 0.5), top, strokeColor=LIGHT, strokeWidth=0.4))
        drawing.add(Line(left, sy(v + 0.5), right, sy(v + 0.5), strokeColor=LIGHT, strokeWidth=0.4))
    drawing.add(Line(mx, bottom, mx, top, strokeColor=INK, strokeWidth=1, strokeDashArray=[4, 2]))
    drawing.add(Line(left, my, right, my, strokeColor=INK, strokeWidth=1, strokeDashArray=[4, 2]))
    drawing.add(String(mx + 3, bottom + 3, f"facilité ≥ {plan.ease_min}", fontName=FONT_BOLD, fontSize=7.5,
                       fillColor=INK))
    drawing.add(String(left + 3, my + 3, f"impact ≥ {plan.impact_min}", fontName=FONT_BOLD, fontSize=7.5,
                       fillColor=INK))
    drawing.add(Rect(left, bottom, pw, ph, fillColor=None, strokeColor=GREY, strokeWidth=0.8))
    drawing.add(String((left + right) / 2, bottom - 21, "Facilité (médiane des notes, de 1 à 5)", fontName=FONT,
                       fontSize=8.5, fillColor=INK, textAnchor="middle"))
    axis = String(0, 0, "Impact (médiane des notes, de 1 à 5)", fontName=FONT, fontSize=8.5, fillColor=INK,
                  textAnchor="middle")
    label = Group(axis)
    label.rotate(90)
    label.translate((bottom + top) / 2, -10)
    drawing.add(label)

    radius = 7.0
    points = matrix_points([(_grades_of(a.ease_distribution), _grades_of(a.impact_distribution)) for a in rated])
    at = {a.id: (sx(p.x), sy(p.y)) for a, p in zip(rated, points, strict=True)}
    order = sorted(rated, key=lambda a: (not a.selected, a.rank))
    truths = [at[a.id] for a in order]
    regions = [(q[0], q[1], q[2], q[3]) for q in quadrants]
    spots = _place(truths, radius, (left, bottom, right, top), regions, labels)
    for (tx, ty), (cx, cy) in zip(truths, spots, strict=True):
        if (tx, ty) != (cx, cy):
            drawing.add(Line(tx, ty, cx, cy, strokeColor=GREY, strokeWidth=0.3))
            drawing.add(Circle(tx, ty, 1.2, fillColor=INK, strokeColor=None))
    for a, (cx, cy) in zip(order, spots, strict=True):
        colour = _colour(a.category_colour)
        text = str(a.rank)
        size = 7 if len(text) <= 2 else 5.5
        fill, ink = (colour, _text_colour(colour)) if a.selected else (colors.white, INK)
        if a.low_hanging_fruit:  # the rule's verdict, never the position alone: a diamond
            r = radius * 1.35
            drawing.add(Polygon([cx, cy + r, cx + r, cy, cx, cy - r, cx - r, cy], fillColor=fill,
                                strokeColor=FRUIT, strokeWidth=1.8))
        elif a.selected:
            drawing.add(Circle(cx, cy, radius, fillColor=fill, strokeColor=INK, strokeWidth=0.5))
        else:
            drawing.add(Circle(cx, cy, radius, fillColor=fill, strokeColor=colour, strokeWidth=1.6))
        drawing.add(String(cx, cy - size * 0.36, text, fontName=FONT_BOLD, fontSize=size, fillColor=ink,
                           textAnchor="middle"))

    # legend
    y = legend_height - 10
    drawing.add(Circle(8, y + 3, 5, fillColor=GREY, strokeColor=INK, strokeWidth=0.5))
    drawing.add(String(16, y, "action retenue", fontName=FONT, fontSize=8, fillColor=INK))
    drawing.add(Circle(90, y + 3, 5, fillColor=colors.white, strokeColor=GREY, strokeWidth=1.6))
    drawing.add(String(98, y, "action non retenue", fontName=FONT, fontSize=8, fillColor=INK))
    drawing.add(Polygon([186, y + 9, 192, y + 3, 186, y - 3, 180, y + 3], fillColor=colors.white, strokeColor=FRUIT,
                        strokeWidth=1.8))
    drawing.add(String(196, y, "fruit à portée de main selon la règle", fontName=FONT, fontSize=8, fillColor=INK))
    rule = "Règle : " + plan.thresholds
    while pdfmetrics.stringWidth(rule, FONT, 8) > width:
        rule = rule[:-2] + "…"
    drawing.add(String(0, y - 12, rule, fontName=FONT, fontSize=8, fillColor=INK))
    drawing.add(String(0, y - 24, "Le nombre est le rang de l’action ; sa position, ses médianes, décalées dans leur "
                       "note selon le jugement majoritaire.", fontName=FONT, fontSize=8, fillColor=GREY))
    column = width / 3
    for index, (name, colour) in enumerate(categories.items()):
        row, col = divmod(index, 3)
        x, yy = col * column, y - 12 * (row + 3)
        drawing.add(Rect(x + 3, yy, 9, 8, fillColor=colour, strokeColor=None))
        shown = name.replace("\n", " ")
        while shown and pdfmetrics.stringWidth(shown, FONT, 8) > column - 20:
            shown = shown[:-2] + "…"
        drawing.add(String(x + 16, yy + 1, shown, fontName=FONT, fontSize=8, fillColor=INK))
    return drawing, truths != spots


def _matrix_section(plan: ActionPlan) -> list[Flowable]:
    s = _styles()
    story: list[Flowable] = _heading("Matrice impact × facilité", level=1)
    matrix = _matrix(plan)
    if matrix is None:
        if not plan.actions:
            return []
        story.append(Paragraph("Aucune action n’a reçu de note d’impact et de facilité : pas de matrice.", s["body"]))
        return story
    drawing, spread = matrix
    missing = sum(1 for a in plan.actions if a.impact_median is None or a.ease_median is None)
    story = [CondPageBreak(drawing.height + 20 * mm), *story[1:], drawing]
    if spread:
        story.append(Paragraph("Les actions aux notes identiques ou très proches sont serrées autour de leur position "
                               "exacte, reliées à elle par un trait fin.", s["small"]))
    if missing:
        story.append(Paragraph(escape(f"{_plural(missing, 'action')} sans note n’"
                                      f"{'apparaissent' if missing > 1 else 'apparaît'} pas sur la matrice."),
                               s["small"]))
    return story

