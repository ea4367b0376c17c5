"""The sheets of an ODS file, read by streaming content.xml through expat with every repeat counted first.

odfpy's loader takes ~7 s for 10,000 rows and builds the whole tree; ElementTree would hold a cell's text (or its
`<text:s text:c="1500000000"/>` spaces) before anything could count it. Here the XML is inflated and parsed in
chunks, each handler charges the file's Budget before it keeps anything, and DTDs (entity bombs) are refused.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from xml.parsers import expat

from atelier.imports.archive import open_zip
from atelier.imports.limits import LIMITS, Budget, FileRefused, Limits, Row, Sheet, Value

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0 "
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0 "
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0 "
_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
_PARAGRAPHS = (f"{_TEXT}p", f"{_TEXT}h")
_NOT_TEXT = (f"{_OFFICE}annotation", f"{_TEXT}note")  # comments and notes are not the cell's text
_CHUNK = 64 * 1024


class _Damaged(Exception):
    """The XML is not a spreadsheet's: a DTD, or a number that is not one."""


def _count(text: str | None, default: int = 1) -> int:
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        raise _Damaged(f"not a count: {text[:20]}") from None
    if value < 0:
        raise _Damaged("negative count")
    return value


class _Reader:
    """Expat handlers: sheets of rows of values, nothing kept before the budget allows it."""

    def __init__(self, budget: Budget, limits: Limits) -> None:
        self.budget, self.limits = budget, limits
        self.sheets: list[list[Row]] = []
        self.table_depth = 0  # tables inside cells (rare) are not sheets
        self.number = 0  # row number of the current sheet, as the person sees it
        self.row: list[Value] | None = None
        self.row_repeat = 1
        self.pending_empty = 0  # empty cells are added only when a filled one follows: trailing repeats cost nothing
        self.cell: dict[str, str] | None = None
        self.cell_repeat = 1
        self.paragraphs: list[str] = []
        self.parts: list[str] | None = None  # the paragraph being read
        self.cell_chars = 0
        self.paragraph_depth = 0
        self.skip_depth = 0  # inside a comment or a note

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        if self.skip_depth:
            self.skip_depth += 1
            return
        if tag == f"{_TABLE}table":
            self.table_depth += 1
            if self.table_depth == 1:
                self.budget.sheet()
                self.sheets.append([])
                self.number = 0
        elif self.table_depth != 1:
            return
        elif tag == f"{_TABLE}table-row":
            self.row, self.pending_empty = [], 0
            self.row_repeat = _count(attributes.get(f"{_TABLE}number-rows-repeated"))
        elif tag in _CELLS and self.row is not None:
            self.cell, self.paragraphs, self.cell_chars = attributes, [], 0
            self.cell_repeat = _count(attributes.get(f"{_TABLE}number-columns-repeated"))
        elif self.cell is None:
            return
        elif tag in _NOT_TEXT:
            self.skip_depth = 1
        elif tag in _PARAGRAPHS:
            self.paragraph_depth += 1
            if self.paragraph_depth == 1:
                self.parts = []
        elif self.parts is not None:
            if tag == f"{_TEXT}s":
                self.add(" ", _count(attributes.get(f"{_TEXT}c")))
            elif tag == f"{_TEXT}tab":
                self.add("\t")
            elif tag == f"{_TEXT}line-break":
                self.add("\n")

    def add(self, text: str, times: int = 1) -> None:
        """Text of the current paragraph, charged (with its repeats) before it is built."""
        size = len(text) * times
        self.cell_chars += size
        self.budget.text(size, self.cell_chars, self.number + 1)
        assert self.parts is not None
        self.parts.append(text * times)

    def data(self, text: str) -> None:
        if self.parts is not None and not self.skip_depth:
            self.add(text)

    def end(self, tag: str) -> None:
        if self.skip_depth:
            self.skip_depth -= 1
            return
        if tag == f"{_TABLE}table":
            self.table_depth -= 1
        elif self.table_depth != 1:
            return
        elif tag in _PARAGRAPHS and self.cell is not None:
            self.paragraph_depth -= 1
            if self.paragraph_depth == 0 and self.parts is not None:
                self.paragraphs.append("".join(self.parts))
                self.parts = None
        elif tag in _CELLS and self.cell is not None and self.row is not None:
            self.end_cell()
        elif tag == f"{_TABLE}table-row" and self.row is not None:
            self.end_row()

    def value(self) -> Value:
        assert self.cell is not None
        kind = self.cell.get(f"{_OFFICE}value-type")
        if kind in ("float", "percentage", "currency"):
            try:
                number = float(self.cell.get(f"{_OFFICE}value", ""))
                return int(number) if number.is_integer() else number
            except (ValueError, OverflowError):
                pass
        elif kind == "boolean":
            return self.cell.get(f"{_OFFICE}boolean-value") == "true"
        return "\n".join(self.paragraphs) if self.paragraphs else None

    def end_cell(self) -> None:
        assert self.row is not None
        room = self.limits.columns - len(self.row) - self.pending_empty
        repeat = min(self.cell_repeat, max(room, 0))
        value = self.value()
        if repeat and (value is None or value == ""):
            self.pending_empty += repeat
        elif repeat:
            if isinstance(value, str):
                self.budget.text(len(value) * (repeat - 1), self.cell_chars, self.number + 1)
            self.row.extend([None] * self.pending_empty + [value] * repeat)
            self.pending_empty = 0
        self.cell, self.paragraphs, self.parts = None, [], None

    def end_row(self) -> None:
        cells, repeat = self.row, self.row_repeat
        self.row = None
        if not cells:
            self.number += repeat  # LibreOffice repeats a blank row up to the sheet's end: count it, keep nothing
            return
        self.budget.row(len(cells), repeat)  # before the copies: 1,000,000 repeats are refused here
        for _ in range(repeat):
            self.number += 1
            self.sheets[-1].append((self.number, cells))  # the same list each time: rows are only read


def _refuse_dtd(*_: object) -> None:
    raise _Damaged("DTD")


def _parse(budget: Budget, limits: Limits, source: zipfile.ZipExtFile) -> list[list[Row]]:
    reader = _Reader(budget, limits)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _refuse_dtd  # no DTD, so no entity can expand (billion laughs)
    parser.EntityDeclHandler = _refuse_dtd
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.data
    parser.buffer_text = True
    while chunk := source.read(_CHUNK):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)
    return reader.sheets


def ods_sheets(name: str, content: bytes, limits: Limits = LIMITS, budget: Budget | None = None) -> list[Sheet]:
    """Each sheet's rows; FileRefused past a limit. A damaged file raises whatever its zip or XML breaks with."""
    budget = budget or Budget(name, limits)
    with open_zip(name, content, limits) as archive, archive.open("content.xml") as source:
        try:
            tables = _parse(budget, limits, source)
        except FileRefused:
            raise
        except _Damaged as e:
            raise ValueError(f"damaged ODS: {e}") from e

    def rows(table: list[Row]) -> Iterator[Row]:
        return iter(table)

    return [lambda table=table: rows(table) for table in tables]
