"""The action plan as an A4 PDF, ready to print: `plan_pdf(plan) -> bytes`.

A pure function of `ActionPlan` (already filtered for consent): it builds the bytes in memory and writes nothing.

Fonts: Bitstream Vera (Vera.ttf, VeraBd.ttf, VeraIt.ttf, VeraBI.ttf), which reportlab ships in `reportlab/fonts`,
so it is there wherever reportlab is installed. It is embedded (subset) in the PDF and covers all of Latin-1 plus
œ Œ € ’ ‘ “ ” « » – — … ≤ ≥ ≠ · • −. A character it lacks is never drawn as a black box: it is replaced by its closest
drawable form (a narrow no-break space by a no-break space, a non-breaking hyphen by "-", "ė" by "e"…) or by "?".

Every user text goes through `_para()`: control characters dropped, `<`, `>` and `&` escaped so that they print
literally, line breaks kept.
"""

from __future__ import annotations

import io
import math
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import lru_cache
from xml.sax.saxutils import escape

import reportlab
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    FrameBreak,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from atelier.exports.model import ActionPlan, PlanAction, PlanIdea, PlanLead, PlanMeeting, PlanSwotItem
from atelier.exports.wording import french_date, french_datetime
from atelier.rules.selection import GRADES, GradeSummary, matrix_points, summarise

__all__ = ["plan_pdf"]

FONT = "AtelierVera"
FONT_BOLD = "AtelierVera-Bold"
FONT_ITALIC = "AtelierVera-Italic"
FONT_BOLD_ITALIC = "AtelierVera-BoldItalic"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
FOOTER_SPACE = 8 * mm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN

INK = colors.HexColor("#1f2328")
GREY = colors.HexColor("#57606a")
LIGHT = colors.HexColor("#d0d7de")
FRUIT = colors.HexColor("#2e7d32")  # the low-hanging fruit on the matrix, as on the board
ACCENT = colors.HexColor("#0b5d3b")

SWOT_ORDER = ("Forces", "Faiblesses", "Opportunités", "Menaces")

# Characters Vera lacks but which have an obvious drawable stand-in.
_SUBSTITUTES = {
    "\u202f": "\u00a0",  # narrow no-break space (French typography before : ; ! ?)
    "\u2009": " ",  # thin space
    "\u200a": " ",
    "\u2007": "\u00a0",
    "\u2002": " ",
    "\u2003": " ",
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2012": "–",
    "\u2043": "-",
    "\u2032": "’",
    "\u2033": "”",
    "\u00ad": "",  # soft hyphen: invisible
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\u2060": "",
    "\ufeff": "",
    "\u25cf": "•",
    "\u25aa": "•",
    "\u25a0": "•",
    "\u2192": "->",
    "\u2190": "<-",
    "\u2714": "v",
    "\u2713": "v",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


# --------------------------------------------------------------------------------------------------- fonts, text


@lru_cache(maxsize=1)
def _fonts() -> frozenset[int]:
    """Register the Vera family once; return the code points it can draw."""
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    files = {FONT: "Vera.ttf", FONT_BOLD: "VeraBd.ttf", FONT_ITALIC: "VeraIt.ttf", FONT_BOLD_ITALIC: "VeraBI.ttf"}
    covered: frozenset[int] | None = None
    for name, file in files.items():
        font = TTFont(name, os.path.join(folder, file))
        pdfmetrics.registerFont(font)
        chars = frozenset(c for c in font.face.charToGlyph if c != 0xFFFF)
        covered = chars if covered is None else covered & chars
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC)
    assert covered is not None
    return covered | {0x0A}


def _drawable(char: str, covered: frozenset[int]) -> str:
    if ord(char) in covered:
        return char
    if char in _SUBSTITUTES:
        return _SUBSTITUTES[char]
    if char == "\t":
        return " "
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if base and all(ord(c) in covered for c in base):
        return base
    return "?"


def _clean(text: object) -> str:
    """Plain text that Vera can draw: no control characters, no glyph missing, "\\n" for every line break."""
    covered = _fonts()
    value = "" if text is None else str(text)
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    value = _CONTROL.sub("", value)
    if all(ord(c) in covered for c in value):
        return value
    return "".join(_drawable(c, covered) for c in value)


def _markup(text: object) -> str:
    """User text as Paragraph markup: escaped, line breaks kept."""
    return escape(_clean(text)).replace("\n", "<br/>")


def _colour(value: str, default: colors.Color = GREY) -> colors.Color:
    return colors.HexColor(value) if _HEX_COLOUR.fullmatch(value or "") else default


def _number(value: float) -> str:
    """4.17 -> "4,17", 4.5 -> "4,5", 4.0 -> "4"."""
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count}\u00a0{singular if abs(count) < 2 else (plural or singular + 's')}"


def _french_date(iso: str) -> str:
    """The date part in French; anything else is shown as it is."""
    return french_date((iso or "")[:10]) or iso or ""


def _french_datetime(iso: str) -> str:
    """A date-time in French; a bare date without "à 0 h 00"; anything else as it is."""
    if len(iso or "") <= 10:
        return _french_date(iso)
    return french_datetime(iso) or iso


def _pdf_date(iso: str) -> str:
    """"2026-11-26T21:30:00" -> "D:20261126213000" (local time of the territory, as stored); "" if unreadable."""
    try:
        moment = datetime.fromisoformat(iso or "")
    except ValueError:
        return ""
    return moment.strftime("D:%Y%m%d%H%M%S")


# --------------------------------------------------------------------------------------------------- styles


@lru_cache(maxsize=1)
def _styles() -> dict[str, ParagraphStyle]:
    _fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, textColor=INK, spaceAfter=2,
                          bulletFontName=FONT)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=GREY, spaceAfter=1)
    return {
        "body": body,
        "small": small,
        "swot": ParagraphStyle("swot", parent=body, fontSize=9, leading=11.5, leftIndent=9, spaceAfter=2),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=9.8, spaceAfter=0),
        "cell_head": ParagraphStyle("cell_head", parent=body, fontName=FONT_BOLD, fontSize=8, leading=9.8,
                                    spaceAfter=0, textColor=colors.white),
        "indent": ParagraphStyle("indent", parent=body, leftIndent=10),
        "indent_small": ParagraphStyle("indent_small", parent=small, leftIndent=10),
        "meta": ParagraphStyle("meta", parent=small, leftIndent=10, spaceAfter=4),
        "h1": ParagraphStyle("h1", parent=body, fontName=FONT_BOLD, fontSize=16, leading=20, spaceBefore=6,
                             spaceAfter=8, textColor=ACCENT),
        "h2": ParagraphStyle("h2", parent=body, fontName=FONT_BOLD, fontSize=12.5, leading=16, spaceBefore=10,
                             spaceAfter=5, textColor=ACCENT),
        "action_title": ParagraphStyle("action_title", parent=body, fontName=FONT_BOLD, fontSize=10.5, leading=13.5,
                                       spaceBefore=4, spaceAfter=1),
        "cover_kicker": ParagraphStyle("cover_kicker", parent=body, fontSize=11, leading=14, textColor=GREY,
                                       alignment=TA_CENTER),
        "cover_title": ParagraphStyle("cover_title", parent=body, fontName=FONT_BOLD, fontSize=30, leading=36,
                                      textColor=ACCENT, alignment=TA_CENTER, spaceAfter=14),
        "cover_territory": ParagraphStyle("cover_territory", parent=body, fontName=FONT_BOLD, fontSize=17,
                                          leading=22, alignment=TA_CENTER, spaceAfter=6),
        "cover_line": ParagraphStyle("cover_line", parent=body, fontSize=12, leading=16, alignment=TA_CENTER,
                                     spaceAfter=3),
        "empty": ParagraphStyle("empty", parent=body, fontName=FONT_BOLD, fontSize=11, leading=15, spaceBefore=6,
                                spaceAfter=8),
    }


class _Heading(Paragraph):
    """A section title that also becomes an entry of the PDF's outline (bookmarks)."""

    def __init__(self, text: str, style: ParagraphStyle, level: int = 0) -> None:
        super().__init__(_markup(text), style)
        self.outline_text = _clean(text)
        self.outline_level = level


def _heading(text: str, level: int = 0) -> list[Flowable]:
    """A heading kept on the same page as what follows it."""
    return [CondPageBreak(60 * mm if level == 0 else 35 * mm), _Heading(text, _styles()["h1" if level == 0 else "h2"],
                                                                         level)]


def _label(label: str, value_markup: str) -> str:
    """"<b>Label</b> : value", with a no-break space before the colon as French typography wants."""
    return f"<b>{escape(label)}</b>\u00a0: {value_markup}"


# --------------------------------------------------------------------------------------------------- document


class _Document(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, plan: ActionPlan) -> None:
        super().__init__(
            buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
            bottomMargin=MARGIN + FOOTER_SPACE, title=_clean(f"Plan d’action — {plan.territory}"),
            author="atelier", subject=_clean(plan.workshop), creator="atelier", invariant=1, lang="fr-FR",
        )
        self.territory = _clean(plan.territory).replace("\n", " ")
        self.stamp = _pdf_date(plan.generated_at)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._footer)])
        self._outline_keys = 0

    def handle_documentBegin(self) -> None:
        super().handle_documentBegin()
        if self.stamp:  # creation date: when the plan was generated, so that the same plan gives the same bytes
            self.canv.setDateFormatter(lambda *_: self.stamp)

    def _footer(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setStrokeColor(LIGHT)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, MARGIN + 4 * mm, PAGE_WIDTH - MARGIN, MARGIN + 4 * mm)
        canvas.setFont(FONT, 8)
        canvas.setFillColor(GREY)
        text = self.territory
        room = TEXT_WIDTH - 30 * mm
        if pdfmetrics.stringWidth(text, FONT, 8) > room:
            while text and pdfmetrics.stringWidth(text + "…", FONT, 8) > room:
                text = text[:-1]
            text += "…"
        canvas.drawString(MARGIN, MARGIN, text)
        canvas.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, _Heading):
            self._outline_keys += 1
            key = f"section-{self._outline_keys}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.outline_text, key, level=flowable.outline_level, closed=True)


class _NumberedCanvas(Canvas):
    """Writes "page n / N" once the total is known (pages are kept until `save`)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.saveState()
            self.setFont(FONT, 8)
            self.setFillColor(GREY)
            self.drawRightString(PAGE_WIDTH - MARGIN, MARGIN, f"page {number} / {total}")
            self.restoreState()
            super().showPage()
        super().save()


def plan_pdf(plan: ActionPlan) -> bytes:
    """The action plan as a PDF (A4, fonts embedded). Pure: same plan, same bytes."""
    _fonts()
    story: list[Flowable] = []
    story += _cover(plan)
    story.append(PageBreak())
    story += _summary(plan)
    story += _matrix_section(plan)
    story += _actions_sections(plan)
    story += _swot_section(plan.swot)
    story += _leads_section(plan.leads)
    story += _ideas_annex(plan.ideas)
    buffer = io.BytesIO()
    _Document(buffer, plan).build(story, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()


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
        names = ", ".join(_clean(o).replace("\n", " ") for o in plan.organisations)
        box.append(Paragraph(_label("Organisations participantes", escape(names) + "."), s["body"]))
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


# --------------------------------------------------------------------------------------------------- matrix


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


FRAME_HEIGHT = PAGE_HEIGHT - 2 * MARGIN - FOOTER_SPACE


class _KeepStart(Flowable):
    """Starts its flowables here if at least `room` is left on the page, else on the next page; then lets them
    split normally. For blocks too long for `KeepTogether`, which would leave a page nearly empty."""

    def __init__(self, flowables: Sequence[Flowable], room: float) -> None:
        super().__init__()
        self._content = list(flowables)
        self._room = room

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return available_width, 0xFFFFFF  # never fits whole: the frame asks `split`

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        if available_height < self._room:
            return [FrameBreak(), *self._content]
        return list(self._content)


def _together(parts: Sequence[Flowable]) -> Flowable:
    """Short blocks are kept on one page; a long one starts where there is room for its first lines."""
    height = 0.0
    for part in parts:
        height += part.wrap(TEXT_WIDTH, FRAME_HEIGHT)[1] + part.getSpaceBefore() + part.getSpaceAfter()
        if height > FRAME_HEIGHT / 2:
            return _KeepStart(parts, 45 * mm)
    return KeepTogether(list(parts))


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


def _table(header: Sequence[str], rows: list[list[Flowable]], widths: Sequence[float]) -> Table:
    s = _styles()
    data: list[list[Flowable]] = [[Paragraph(escape(h), s["cell_head"]) for h in header], *rows]
    table = Table(data, colWidths=list(widths), repeatRows=1, splitInRow=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT), ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f6f8fa")]),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, LIGHT), ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4), ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    return table


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
    story: list[Flowable] = [PageBreak(), *_heading("Annexe — Idées de l’atelier")[1:]]
    intro = f"{_plural(len(shown), 'idée')}"
    if hidden:
        intro += f" ; {_plural(hidden, 'idée masquée', 'idées masquées')} par l’animation, non reprise"
        intro += "s" if hidden > 1 else ""
    intro += ". L’organisation n’apparaît que si son auteur l’a accepté."
    story.append(Paragraph(escape(intro), s["small"]))
    story.append(_table(("Idée", "Catégorie", "Organisation", "Regroupée dans"), rows,
                        [w * TEXT_WIDTH for w in widths]))
    return story
