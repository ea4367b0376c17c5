"""Actors written to CSV, XLSX and ODS with French headers and labels, so that the files import back as they are.

Every cell is text that a spreadsheet shows and never runs: formulas are neutralised (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from odf import teletype
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableColumnProperties, TextProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import P
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from atelier.imports.actor_columns import COLUMNS, CONTROL, FORMULA_START, KIND_LABELS
from atelier.models import Actor


def _export_values(actor: Actor) -> list[str | int | float]:
    """One row in COLUMNS order, words a person reads (labels, oui/non) so the file imports back as it is."""
    hours = actor.availability_hours_month
    return [
        actor.name, KIND_LABELS[actor.kind], actor.sector, actor.naf, actor.commune, actor.status.value,
        actor.availability_groups, int(hours) if float(hours).is_integer() else hours, actor.motivation,
        "oui" if actor.public_consent else "non", actor.contact.name, actor.contact.role, actor.contact.email,
        actor.contact.phone,
    ]


def clean_export(text: str) -> str:
    """Text as every export writes it: line breaks as a bare LF whatever typed them, and no control character
    (XLSX and ODS XML refuse them; none can come from a form anyway)."""
    return CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def csv_cell(value: str | int | float) -> str:
    if isinstance(value, float):
        return str(value).replace(".", ",")  # French Excel reads "2.5" as a date, "2,5" as a number
    if isinstance(value, int):
        return str(value)
    value = clean_export(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def actors_to_csv(actors: Sequence[Actor], delimiter: str = ";") -> bytes:
    """UTF-8 with a BOM, so Excel shows accents right; `;` by default, the separator French Excel expects."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([c.label for c in COLUMNS])
    for actor in actors:
        writer.writerow([csv_cell(v) for v in _export_values(actor)])
    return out.getvalue().encode("utf-8-sig")


_WIDTHS = {"name": 32, "kind": 20, "sector": 28, "motivation": 48, "email": 30, "contact": 22, "commune": 22}


def actors_to_xlsx(actors: Sequence[Actor]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Acteurs")
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(column.key, 16)
    bold = Font(bold=True)

    def cell(value: str | int | float, font: Font | None = None) -> Cell:
        if isinstance(value, str):
            value = clean_export(value)
        written = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            # A string cell is never run, whatever it starts with; quotePrefix keeps it text if someone edits it.
            written.data_type = "s"
            if value.startswith(FORMULA_START):
                written.quotePrefix = True
        if font is not None:
            written.font = font
        return written

    sheet.append([cell(c.label, bold) for c in COLUMNS])
    for actor in actors:
        sheet.append([cell(v) for v in _export_values(actor)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def actors_to_ods(actors: Sequence[Actor]) -> bytes:
    document = OpenDocumentSpreadsheet()
    header_style = Style(name="entete", family="table-cell")
    header_style.addElement(TextProperties(fontweight="bold"))
    document.automaticstyles.addElement(header_style)
    column_styles = {}
    for width in sorted(set(_WIDTHS.values()) | {16}):
        style = Style(name=f"colonne{width}", family="table-column")
        style.addElement(TableColumnProperties(columnwidth=f"{width * 0.19:.2f}cm"))
        document.automaticstyles.addElement(style)
        column_styles[width] = style
    table = Table(name="Acteurs")
    for column in COLUMNS:
        table.addElement(TableColumn(stylename=column_styles[_WIDTHS.get(column.key, 16)]))

    def cell(value: str | int | float, style: Style | None = None) -> TableCell:
        if value == "":
            return TableCell()  # an empty cell: no paragraph, a third fewer elements for odfpy to build
        if isinstance(value, str):
            # A string cell holds no table:formula: LibreOffice and Excel show it, never run it.
            written = TableCell(valuetype="string", stylename=style) if style else TableCell(valuetype="string")
            # One paragraph per line, as LibreOffice writes a cell typed with Ctrl+Enter (it drops a line-break).
            for line in clean_export(value).split("\n"):
                paragraph = P()
                if "\t" in line or "  " in line:
                    teletype.addTextToElement(paragraph, line)  # tabs and runs of spaces as ODF spells them
                elif line:
                    paragraph.addText(line)
                written.addElement(paragraph)
            return written
        written = TableCell(valuetype="float", value=value)
        written.addElement(P(text=str(value).replace(".", ",")))
        return written

    header = TableRow()
    for column in COLUMNS:
        header.addElement(cell(column.label, header_style))
    table.addElement(header)
    for actor in actors:
        row = TableRow()
        for value in _export_values(actor):
            row.addElement(cell(value))
        table.addElement(row)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
