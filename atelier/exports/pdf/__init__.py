"""The action plan as an A4 PDF, ready to print: `plan_pdf(plan) -> bytes`.

A pure function of `ActionPlan` (already filtered for consent): it builds the bytes in memory and writes nothing.
The package is split by capability: `text` (fonts, styles, text cleaning), `layout` (document, page furniture,
keeping blocks together), `sections` (what each part of the plan says) and `matrix` (the impact × ease drawing).
"""

from __future__ import annotations

import io

from reportlab.platypus import Flowable, PageBreak

from atelier.exports.model import ActionPlan
from atelier.exports.pdf.layout import _Document, _NumberedCanvas
from atelier.exports.pdf.matrix import _matrix_section
from atelier.exports.pdf.sections import (
    _actions_sections,
    _cover,
    _ideas_annex,
    _leads_section,
    _summary,
    _swot_section,
)
from atelier.exports.pdf.text import _fonts

__all__ = ["plan_pdf"]


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
