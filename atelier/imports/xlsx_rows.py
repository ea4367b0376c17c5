"""The sheets of an XLSX file, streamed by openpyxl in read-only mode once the archive's sizes are checked."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from typing import Any

from openpyxl import load_workbook

from atelier.imports.archive import open_zip
from atelier.imports.limits import LIMITS, Budget, Limits, Row, Sheet

XLSX_MAX_ROW = 1_048_576  # the last row Excel has


def xlsx_sheets(name: str, content: bytes, limits: Limits = LIMITS, budget: Budget | None = None) -> list[Sheet]:
    budget = budget or Budget(name, limits)
    open_zip(name, content, limits).close()  # declared sizes first: openpyxl inflates shared strings whole
    # data_only: the value a formula last showed, never the formula; read_only streams the rows.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "extension not supported" and the like: nothing a facilitator can act on
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    sheets = []
    for sheet in book.worksheets:
        if not hasattr(sheet, "reset_dimensions"):
            continue  # a chart sheet holds no cells
        budget.sheet()
        sheet.reset_dimensions()  # some writers declare A1:XFD1048576: rows then stop at their last real cell

        def rows(sheet: Any = sheet) -> Iterator[Row]:
            # A row is built at most 16,384 cells wide, one at a time; gaps come as one shared empty tuple.
            for number, whole in enumerate(sheet.iter_rows(values_only=True), start=1):
                budget.scan(1)
                if number > XLSX_MAX_ROW:
                    return
                values = whole[:limits.columns]
                filled = [v for v in values if v is not None]
                if filled:
                    budget.row(len(values))
                    budget.text(sum(len(v) for v in filled if isinstance(v, str)),
                                max((len(v) for v in filled if isinstance(v, str)), default=0), number)
                yield number, values

        sheets.append(rows)
    return sheets
