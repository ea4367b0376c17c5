"""The impact × ease matrix: every rated action as a numbered circle, none overlapping another."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Rect, String
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


def _matrix(plan: ActionPlan) -> tuple[Drawing, bool] | None:
    """The drawing, and whether some circles had to be moved off their exact position."""
    rated = [a for a in plan.actions if a.impact_mean is not None and a.ease_mean is not None]
    if not rated:
        return None
    width, height = TEXT_WIDTH, 125 * mm
    categories: dict[str, colors.Color] = {}
    for a in rated:
        categories.setdefault(_clean(a.category) or "Sans catégorie", _colour(a.category_colour))
    legend_rows = 1 + math.ceil(len(categories) / 3)
    legend_height = legend_rows * 12 + 4
    left, right, top = 34.0, width - 6, height - 4
    bottom = legend_height + 28
    pw, ph = right - left, top - bottom
    drawing = Drawing(width, height)

    def sx(v: float) -> float:
        return left + (min(max(v, 1.0), 5.0) - 1) / 4 * pw

    def sy(v: float) -> float:
        return bottom + (min(max(v, 1.0), 5.0) - 1) / 4 * ph

    mx, my = sx(3), sy(3)
    quadrants = (
        (mx, my, right, top, "#e3f4e8", "Fruits à portée de main", "end", True),
        (left, my, mx, top, "#e6eef8", "Projets structurants", "start", True),
        (mx, bottom, right, my, "#fdf3dc", "Actions simples", "end", False),
        (left, bottom, mx, my, "#f0f0f0", "À reconsidérer", "start", False),
    )
    labels: list[Box] = []
    for x0, y0, x1, y1, fill, name, anchor, upper in quadrants:
        drawing.add(Rect(x0, y0, x1 - x0, y1 - y0, fillColor=colors.HexColor(fill), strokeColor=None))
        tx = x1 - 5 if anchor == "end" else x0 + 5
        ty = y1 - 13 if upper else y0 + 5
        drawing.add(String(tx, ty, name, fontName=FONT_BOLD, fontSize=9.5, fillColor=GREY, textAnchor=anchor))
        length = pdfmetrics.stringWidth(name, FONT_BOLD, 9.5)
        lx = tx - length if anchor == "end" else tx
        labels.append((lx - 2, ty - 3, lx + length + 2, ty + 10))
    for v in range(1, 6):
        colour = GREY if v == 3 else LIGHT
        drawing.add(Line(sx(v), bottom, sx(v), top, strokeColor=colour, strokeWidth=0.8 if v == 3 else 0.4))
        drawing.add(Line(left, sy(v), right, sy(v), strokeColor=colour, strokeWidth=0.8 if v == 3 else 0.4))
        drawing.add(String(sx(v), bottom - 10, str(v), fontName=FONT, fontSize=8, fillColor=INK, textAnchor="middle"))
        drawing.add(String(left - 5, sy(v) - 3, str(v), fontName=FONT, fontSize=8, fillColor=INK, textAnchor="end"))
    drawing.add(Rect(left, bottom, pw, ph, fillColor=None, strokeColor=GREY, strokeWidth=0.8))
    drawing.add(String((left + right) / 2, bottom - 21, "Facilité (moyenne des notes, de 1 à 5)", fontName=FONT,
                       fontSize=8.5, fillColor=INK, textAnchor="middle"))
    axis = String(0, 0, "Impact (moyenne des notes, de 1 à 5)", fontName=FONT, fontSize=8.5, fillColor=INK,
                  textAnchor="middle")
    label = Group(axis)
    label.rotate(90)
    label.translate((bottom + top) / 2, -10)
    drawing.add(label)

    radius = 7.0
    order = sorted(rated, key=lambda a: (not a.selected, a.rank))
    truths = [(sx(a.ease_mean or 1), sy(a.impact_mean or 1)) for a in order]
    regions = [(q[0], q[1], q[2], q[3]) for q in quadrants]
    spots = _place(truths, radius, (left, bottom, right, top), regions, labels)
    for (tx, ty), (cx, cy) in zip(truths, spots, strict=True):
        if (tx, ty) != (cx, cy):
            drawing.add(Line(tx, ty, cx, cy, strokeColor=GREY, strokeWidth=0.3))
    for (tx, ty), (cx, cy) in zip(truths, spots, strict=True):
        if (tx, ty) != (cx, cy):
            drawing.add(Circle(tx, ty, 1.2, fillColor=INK, strokeColor=None))
    for a, (cx, cy) in zip(order, spots, strict=True):
        colour = _colour(a.category_colour)
        text = str(a.rank)
        size = 7 if len(text) <= 2 else 5.5
        if a.selected:
            drawing.add(Circle(cx, cy, radius, fillColor=colour, strokeColor=INK, strokeWidth=0.5))
            ink = _text_colour(colour)
        else:
            drawing.add(Circle(cx, cy, radius, fillColor=colors.white, strokeColor=colour, strokeWidth=1.6))
            ink = INK
        drawing.add(String(cx, cy - size * 0.36, text, fontName=FONT_BOLD, fontSize=size, fillColor=ink,
                           textAnchor="middle"))

    # legend
    y = legend_height - 10
    drawing.add(Circle(8, y + 3, 5, fillColor=GREY, strokeColor=INK, strokeWidth=0.5))
    drawing.add(String(16, y, "action retenue", fontName=FONT, fontSize=8, fillColor=INK))
    drawing.add(Circle(90, y + 3, 5, fillColor=colors.white, strokeColor=GREY, strokeWidth=1.6))
    drawing.add(String(98, y, "action non retenue", fontName=FONT, fontSize=8, fillColor=INK))
    drawing.add(String(190, y, "le nombre est le rang de l’action (voir les fiches)", fontName=FONT, fontSize=8,
                       fillColor=GREY))
    column = width / 3
    for index, (name, colour) in enumerate(categories.items()):
        row, col = divmod(index, 3)
        x, yy = col * column, y - 12 * (row + 1)
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
    missing = sum(1 for a in plan.actions if a.impact_mean is None or a.ease_mean is None)
    story = [CondPageBreak(drawing.height + 20 * mm), *story[1:], drawing]
    if spread:
        story.append(Paragraph("Les actions aux notes identiques ou très proches sont serrées autour de leur position "
                               "exacte, reliées à elle par un trait fin.", s["small"]))
    if missing:
        story.append(Paragraph(escape(f"{_plural(missing, 'action')} sans note n’"
                                      f"{'apparaissent' if missing > 1 else 'apparaît'} pas sur la matrice."),
                               s["small"]))
    return story

