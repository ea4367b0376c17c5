"""The document around the sections: page template and footer, "page n / N", outline headings, and the ways a
block is kept on one page or started where there is room."""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    FrameBreak,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from atelier.exports.model import ActionPlan
from atelier.exports.pdf.text import (
    ACCENT,
    FONT,
    FOOTER_SPACE,
    GREY,
    LIGHT,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    TEXT_WIDTH,
    _clean,
    _markup,
    _pdf_date,
    _styles,
)


class _Heading(Paragraph):
    """A section title that also becomes an entry of the PDF's outline (bookmarks)."""

    def __init__(self, text: str, style: ParagraphStyle, level: int = 0) -> None:
        super().__init__(_markup(text), style)
        self.outline_text = _clean(text)
        self.outline_level = level


def _heading(text: str, level: int = 0) -> list[Flowable]:
    """A heading kept on the same page as what follows it."""
    return [CondPageBreak(40 * mm if level == 0 else 30 * mm), _Heading(text, _styles()["h1" if level == 0 else "h2"],
                                                                         level)]


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


KEEP_WHOLE = FRAME_HEIGHT / 4  # a block this tall moves whole to the next page: at most a quarter of a page blank
START_ROOM = 35 * mm  # a taller block starts where this much is left (title, meta and a few lines), then splits


def _together(parts: Sequence[Flowable]) -> Flowable:
    """Short blocks are kept on one page; a longer one starts where there is room for its first lines and goes on
    over the page, so no page ends with more blank than a short block (keeping half-page blocks whole left 30–40 %
    of some pages empty)."""
    height = 0.0
    for part in parts:
        height += part.wrap(TEXT_WIDTH, FRAME_HEIGHT)[1] + part.getSpaceBefore() + part.getSpaceAfter()
        if height > KEEP_WHOLE:
            # its last two paragraphs (and closing space) go over together: never one line alone on a page
            tail = 3 if len(parts) > 4 else 0
            return _KeepStart([*parts[:len(parts) - tail], *([KeepTogether(list(parts[-tail:]))] if tail else [])],
                              START_ROOM)
    return KeepTogether(list(parts))


class _RowsTable(Table):
    """A table that never leaves a single row alone on a page: where it splits, at least two rows stay above
    (else it starts on the next page, its header with it) and at least two go below (one more row moves over)."""

    MIN_ROWS = 2

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts = super().split(available_width, available_height)
        if len(parts) != 2 or available_height > FRAME_HEIGHT - 1:
            return parts  # at the top of a page: a row taller than the page has to be cut somewhere
        above = len(parts[0]._cellvalues) - self.repeatRows
        below = len(parts[1]._cellvalues) - self.repeatRows
        if above < self.MIN_ROWS:
            return []  # the frame moves the whole table on
        if below < self.MIN_ROWS and above > self.MIN_ROWS:
            moved = sum(parts[0]._rowHeights[-(self.MIN_ROWS - below):])
            shorter = super().split(available_width, available_height - moved)
            if len(shorter) == 2 and len(shorter[0]._cellvalues) - self.repeatRows >= self.MIN_ROWS:
                return shorter
        return parts


def _table(header: Sequence[str], rows: list[list[Flowable]], widths: Sequence[float]) -> Table:
    s = _styles()
    data: list[list[Flowable]] = [[Paragraph(escape(h), s["cell_head"]) for h in header], *rows]
    table = _RowsTable(data, colWidths=list(widths), repeatRows=1, splitInRow=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT), ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f6f8fa")]),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, LIGHT), ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4), ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    return table
