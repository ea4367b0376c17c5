"""The impact × ease matrix, drawn the same on the projector and the selection console (the PDF draws the same
points with reportlab): the medians the rule reads, nudged within their grade by the majority gauge and spread
apart when they coincide; the quadrant lines at the workshop's thresholds; fruits marked by the rule's verdict."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from atelier.models import Workshop
from atelier.rules.selection import matrix_points
from atelier.service import ActionResult

FRUIT_COLOUR = "#66bb6a"
OTHER_COLOUR = "#ffd54f"


def matrix_data(results: Sequence[ActionResult]) -> tuple[list[list[Any]], list[list[Any]]]:
    """(fruits, others): each point [x, y, ease median, impact median, rank, title, action id]."""
    rated = [r for r in results if r.ease.median is not None and r.impact.median is not None]
    points = matrix_points([(r.ease, r.impact) for r in rated])
    fruits, others = [], []
    for r, p in zip(rated, points, strict=True):
        row = [p.x, p.y, r.ease.median, r.impact.median, r.rank, r.action.title, r.action.id]
        (fruits if r.fruit.flagged else others).append(row)
    return fruits, others


def matrix_options(tr: Callable[..., str], workshop: Workshop, results: Sequence[ActionResult], dark: bool,
                   font: int = 18) -> dict[str, Any]:
    s = workshop.settings
    ink = "#ffffff" if dark else "#111111"
    grid_line = "#2c3a4a" if dark else "#d0d7de"
    fruits, others = matrix_data(results)
    # Grades 1–5 at the centres of bands half a grade wide each side: the quadrant lines fall between grades.
    axis = {"min": 0.5, "max": 5.5, "interval": 0.5,
            "axisLabel": {"color": ink, "fontSize": font, ":formatter": "v => Number.isInteger(v) ? v : ''"},
            "nameTextStyle": {"color": ink, "fontSize": font, "fontWeight": "bold"},
            "splitLine": {"show": False}, "axisLine": {"lineStyle": {"color": grid_line}},
            "axisTick": {"show": False}}
    corner = {"fontSize": font, "fontWeight": "bold"}
    line_label = {"show": True, "color": ink, "fontSize": max(12, font - 2), "fontWeight": "bold"}
    point_label = {"show": True, "formatter": "{@[4]}", "color": "#0b0f14", "fontWeight": "bold",
                   "fontSize": max(12, font - 3)}
    size = round(font * 1.55)
    return {
        "backgroundColor": "transparent", "animation": False,
        "grid": {"left": font * 3.2, "right": font * 1.2, "top": font * 2.6, "bottom": font * 3.2},
        "legend": {"top": 0, "left": "center", "textStyle": {"color": ink, "fontSize": max(12, font - 3)},
                   "itemWidth": size * 0.8, "itemHeight": size * 0.8,
                   "data": [tr("matrix.legend_fruit"), tr("matrix.legend_other")]},
        "xAxis": {**axis, "name": tr("matrix.ease_axis"), "nameLocation": "middle", "nameGap": font * 1.6},
        "yAxis": {**axis, "name": tr("matrix.impact_axis"), "nameLocation": "middle", "nameGap": font * 1.8},
        "graphic": [
            {"type": "text", "right": font * 1.6, "top": font * 2.9,
             "style": {**corner, "text": tr("matrix.easy_useful"), "fill": ink}},
            {"type": "text", "left": font * 3.8, "bottom": font * 3.7,
             "style": {**corner, "text": tr("matrix.reconsider"), "fill": "#9e9e9e" if dark else "#555555"}},
        ],
        "series": [
            {"name": tr("matrix.legend_fruit"), "type": "scatter", "symbol": "diamond", "symbolSize": size * 1.25,
             "data": fruits, "label": point_label, "itemStyle": {"color": FRUIT_COLOUR},
             "markLine": {"silent": True, "symbol": "none", "animation": False,
                          "lineStyle": {"color": ink, "type": "dashed", "width": 2},
                          "data": [{"xAxis": s.ease_min - 0.5, "name": "ease",
                                    "label": {**line_label, "formatter": tr("matrix.ease_line", value=s.ease_min),
                                              "position": "end"}},
                                   {"yAxis": s.impact_min - 0.5, "name": "impact",
                                    "label": {**line_label, "formatter": tr("matrix.impact_line",
                                                                            value=s.impact_min),
                                              "position": "insideStartTop"}}]}},
            {"name": tr("matrix.legend_other"), "type": "scatter", "symbol": "circle", "symbolSize": size,
             "data": others, "label": point_label, "itemStyle": {"color": OTHER_COLOUR}},
        ],
    }
