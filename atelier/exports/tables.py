"""The action plan as spreadsheets: XLSX and ODS (one sheet per subject) and CSV (the actions).

Pure functions, `ActionPlan` in and bytes out. Every sheet has a bold, frozen French header row, column widths chosen
for their content and wrapped text (XLSX rows get the height their wrapped lines need: LibreOffice does not
compute it for XLSX). Numbers are written as numbers and dates as dates, so a territory can sort and
add them up; every text is written as a string cell, so a text beginning with `=`, `+`, `-`, `@` or a tab (an
action called `=SOMME(A1)`) shows as typed and is never run as a formula. In CSV, which has no cell types, such a
text gets a leading `'` as OWASP advises ("CSV injection"), the same guard `atelier.imports.actors_table` uses (and
reads back).

Ratings are only ever the aggregates `ActionPlan` holds (count, medians, means, distributions, points): no
participant's own grades reach any sheet.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from odf.config import ConfigItem, ConfigItemMapEntry, ConfigItemMapIndexed, ConfigItemMapNamed, ConfigItemSet
from odf.number import DateStyle, Day, Month, Year
from odf.number import Text as NumberText
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import ParagraphProperties, Style, TableCellProperties, TableColumnProperties, TextProperties
from odf.table import DatabaseRange, DatabaseRanges, Table, TableCell, TableColumn, TableHeaderRows, TableRow
from odf.text import P, S, Tab
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from atelier.exports.model import ActionPlan, PlanAction, PlanIdea, PlanLead, PlanSwotItem
from atelier.imports.actors_table import FORMULA_START, clean_export, csv_cell

__all__ = ["ACTION_COLUMNS", "SHEET_NAMES", "plan_csv", "plan_ods", "plan_sheets", "plan_xlsx"]

Value = str | int | float | date | None
T = TypeVar("T")

# Excel refuses a cell longer than this (the file then opens "repaired", without the cell).
XLSX_MAX_CELL = 32_767
SHEET_NAMES = ("Actions", "Idées", "Notes", "Participants", "FFOM", "Pistes")


@dataclass(frozen=True)
class Column(Generic[T]):
    label: str  # the French header
    width: int  # in characters, as spreadsheets count them
    value: Callable[[T], Value]


@dataclass(frozen=True)
class Sheet:
    name: str
    labels: tuple[str, ...]
    widths: tuple[int, ...]
    rows: tuple[tuple[Value, ...], ...]


def _sheet(name: str, columns: Sequence[Column[T]], items: Sequence[T]) -> Sheet:
    return Sheet(name, tuple(c.label for c in columns), tuple(c.width for c in columns),
                 tuple(tuple(c.value(item) for c in columns) for item in items))


# --- What each sheet holds ---------------------------------------------------------------------------------


def _yes_no(flag: bool) -> str:
    return "oui" if flag else "non"


def _lines(names: Sequence[str]) -> str:
    """One name a line: organisation names may hold commas ("Dupont, Fils et Cie") but never a line break."""
    return "\n".join(names)


def _iso_date(text: str) -> date | str | None:
    """A real date for ISO text, so spreadsheets sort it; anything else stays the text it was."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return text


def _distribution(values: Sequence[int], grade: int) -> int:
    return values[grade - 1] if grade <= len(values) else 0


ACTION_COLUMNS: tuple[Column[PlanAction], ...] = (
    Column("Rang", 7, lambda a: a.rank),
    Column("N°", 6, lambda a: a.id),
    Column("Action", 40, lambda a: a.title),
    Column("Description", 60, lambda a: a.description),
    Column("Catégorie", 20, lambda a: a.category),
    Column("Horizon", 13, lambda a: a.horizon),
    Column("Retenue", 9, lambda a: _yes_no(a.selected)),
    Column("Fruit à portée de main", 12, lambda a: _yes_no(a.low_hanging_fruit)),
    Column("Règle appliquée", 36, lambda a: a.fruit_reason),
    Column("Groupe de travail", 11, lambda a: _yes_no(a.working_group)),
    Column("Raison de la non-sélection", 36, lambda a: a.unselection_reason),
    Column("Pilote", 24, lambda a: a.pilot),
    Column("Contributeurs", 28, lambda a: _lines(a.contributors)),
    Column("Intéressés", 28, lambda a: _lines(a.interested)),
    Column("Nombre de notes", 10, lambda a: a.ratings),
    Column("Impact (médiane)", 10, lambda a: a.impact_median),
    Column("Facilité (médiane)", 10, lambda a: a.ease_median),
    Column("Points", 8, lambda a: a.points),
    Column("Prochaine étape", 40, lambda a: a.next_step),
    Column("Responsable", 22, lambda a: a.next_step_owner),
    Column("Échéance", 12, lambda a: _iso_date(a.next_step_due)),
    Column("Statut", 12, lambda a: a.status),
    Column("Origine", 20, lambda a: a.origin),
)

RATING_COLUMNS: tuple[Column[PlanAction], ...] = (
    Column("Rang", 7, lambda a: a.rank),
    Column("N°", 6, lambda a: a.id),
    Column("Action", 40, lambda a: a.title),
    Column("Nombre de notes", 10, lambda a: a.ratings),
    Column("Impact (médiane)", 10, lambda a: a.impact_median),
    Column("Impact (moyenne)", 10, lambda a: a.impact_mean),
    *(Column(f"Impact {g}/5", 8, lambda a, g=g: _distribution(a.impact_distribution, g)) for g in range(1, 6)),
    Column("Facilité (médiane)", 10, lambda a: a.ease_median),
    Column("Facilité (moyenne)", 10, lambda a: a.ease_mean),
    *(Column(f"Facilité {g}/5", 8, lambda a, g=g: _distribution(a.ease_distribution, g)) for g in range(1, 6)),
    Column("Points", 8, lambda a: a.points),
)

IDEA_COLUMNS: tuple[Column[PlanIdea], ...] = (
    Column("Idée", 40, lambda i: i.title),
    Column("Détails", 60, lambda i: i.details),
    Column("Catégorie", 20, lambda i: i.category),
    Column("Organisation", 24, lambda i: i.organisation),
    Column("Regroupée dans", 30, lambda i: i.group),
    Column("Regroupement", 13, lambda i: _yes_no(i.is_group)),
    Column("Masquée", 9, lambda i: _yes_no(i.hidden)),
)

SWOT_COLUMNS: tuple[Column[PlanSwotItem], ...] = (
    Column("Quadrant", 14, lambda s: s.quadrant),
    Column("Élément", 70, lambda s: s.text),
)

LEAD_COLUMNS: tuple[Column[PlanLead], ...] = (
    Column("Type", 14, lambda lead: lead.kind),
    Column("Catégorie", 20, lambda lead: lead.category),
    Column("Acteurs", 30, lambda lead: _lines(lead.actors)),
    Column("Mots communs", 24, lambda lead: ", ".join(lead.words)),
    Column("Score", 8, lambda lead: lead.score),
    Column("Statut", 20, lambda lead: lead.status),
    Column("Raison", 40, lambda lead: lead.reason),
)


def _participants(plan: ActionPlan) -> Sheet:
    """The organisations in column A; beside them, the workshop's figures as indicator and value."""
    figures: tuple[tuple[str, Value], ...] = (
        ("Territoire", plan.territory),
        ("Atelier", plan.workshop),
        ("Code de l’atelier", plan.workshop_code),
        ("Date", _iso_date(plan.date)),
        ("Participants", plan.participants_count),
        ("Votants", plan.voters),
        ("Organisations", len(plan.organisations)),
        ("Mode de vote", plan.vote_mode),
        ("Règle des fruits à portée de main", plan.thresholds),
        *(("Remarque", note) for note in plan.notes),
    )
    height = max(len(plan.organisations), len(figures))
    rows = []
    for index in range(height):
        organisation = plan.organisations[index] if index < len(plan.organisations) else None
        label, value = figures[index] if index < len(figures) else (None, None)
        rows.append((organisation, None, label, value))
    return Sheet("Participants", ("Organisation", "", "Indicateur", "Valeur"), (36, 3, 30, 50), tuple(rows))


def plan_sheets(plan: ActionPlan) -> tuple[Sheet, ...]:
    """The six sheets, in SHEET_NAMES order, as plain rows: what XLSX and ODS both write."""
    return (
        _sheet("Actions", ACTION_COLUMNS, plan.actions),
        _sheet("Idées", IDEA_COLUMNS, plan.ideas),
        _sheet("Notes", RATING_COLUMNS, plan.actions),
        _participants(plan),
        _sheet("FFOM", SWOT_COLUMNS, plan.swot),
        _sheet("Pistes", LEAD_COLUMNS, plan.leads),
    )


# --- Cell values --------------------------------------------------------------------------------------------


def _number(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _french_number(value: int | float) -> str:
    return str(value).replace(".", ",")


# --- XLSX ---------------------------------------------------------------------------------------------------


_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_LINE_POINTS = 15  # one line of Excel's default font (Calibri 11)
_MAX_ROW_POINTS = 409  # Excel's tallest row
_MAX_WIDTH = 150  # characters: wider than a landscape page, but a reader scrolls sideways before losing text


def _cell_lines(value: Value, width: int) -> int:
    """How many lines a wrapped text takes in a column `width` characters wide."""
    if not isinstance(value, str) or not value:
        return 1
    per_line = max(width - 1, 1)
    return sum(max(1, math.ceil(len(line) / per_line)) for line in clean_export(value).split("\n"))


def _row_points(values: Sequence[Value], widths: Sequence[int]) -> float | None:
    """A height that shows every wrapped line, or None for one line. Excel sizes rows by itself, LibreOffice does
    not for XLSX: without a height a wrapped text hides under the next row there."""
    lines = max((_cell_lines(value, width) for value, width in zip(values, widths, strict=False)), default=1)
    return min(lines * _LINE_POINTS, _MAX_ROW_POINTS) if lines > 1 else None


def _fitting_widths(sheet: Sheet) -> tuple[int, ...]:
    """Column widths at which every row fits Excel's tallest row (409 points, 27 lines): a column whose text would
    be cut there (a 2,000-character description is 34 lines at 60 characters) is widened, up to 150 characters,
    rather than splitting the action over continuation rows, which sorting and filtering would tear apart."""
    widths = list(sheet.widths)
    most = _MAX_ROW_POINTS // _LINE_POINTS
    for row in sheet.rows:
        while True:
            lines = [_cell_lines(value, width) for value, width in zip(row, widths, strict=False)]
            tallest = max(range(len(lines)), key=lines.__getitem__, default=0)
            if not lines or lines[tallest] <= most or widths[tallest] >= _MAX_WIDTH:
                break
            widths[tallest] = min(widths[tallest] + 10, _MAX_WIDTH)
    return tuple(widths)


def _xlsx_cell(worksheet: Any, value: Value, header: bool = False) -> WriteOnlyCell:
    if isinstance(value, float):
        value = _number(value)
    if isinstance(value, str):
        value = clean_export(value) or None  # an empty text is no cell at all
    if isinstance(value, str) and len(value) > XLSX_MAX_CELL:
        value = value[: XLSX_MAX_CELL - 1] + "…"
    written = WriteOnlyCell(worksheet, value=value)
    if isinstance(value, str):
        # A string cell is never run, whatever it starts with; quotePrefix keeps it text if someone edits it.
        written.data_type = "s"
        if value.startswith(FORMULA_START):
            written.quotePrefix = True
        written.alignment = _WRAP
    elif value is not None:
        if isinstance(value, date):
            written.number_format = "DD/MM/YYYY"
        elif isinstance(value, float):
            written.number_format = "0.00"
        written.alignment = _TOP
    if header:
        written.font = _BOLD
        written.fill = _HEADER_FILL
    return written


def plan_xlsx(plan: ActionPlan) -> bytes:
    book = Workbook(write_only=True)
    for sheet in plan_sheets(plan):
        worksheet = book.create_sheet(sheet.name)
        worksheet.freeze_panes = "A2"
        worksheet.print_title_rows = "1:1"  # the header on every printed page
        widths = _fitting_widths(sheet)
        for index, width in enumerate(widths, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        if sheet.rows:
            worksheet.auto_filter.ref = f"A1:{get_column_letter(len(sheet.labels))}{len(sheet.rows) + 1}"
        for number, row in enumerate((sheet.labels, *sheet.rows), start=1):
            points = _row_points(row, widths)
            if points:
                worksheet.row_dimensions[number].height = points
            worksheet.append([_xlsx_cell(worksheet, value, header=number == 1) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- ODS ----------------------------------------------------------------------------------------------------

_ODS_WIDTH_CM = 0.2  # one character of the default font, about


def _ods_paragraph(line: str) -> P:
    """A line as ODF spells it: tabs as <text:tab/>, and every space that ODF would otherwise fold away (leading,
    trailing, or after another space) as <text:s/>, so the text reads back exactly as it was written."""
    paragraph = P()
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            paragraph.addText("".join(buffer))
            buffer.clear()

    index, length = 0, len(line)
    while index < length:
        char = line[index]
        if char == "\t":
            flush()
            paragraph.addElement(Tab())
            index += 1
        elif char == " ":
            end = index
            while end < length and line[end] == " ":
                end += 1
            run = end - index
            if index == 0 or end == length:
                flush()
                paragraph.addElement(S(c=run))
            else:
                buffer.append(" ")
                if run > 1:
                    flush()
                    paragraph.addElement(S(c=run - 1))
            index = end
        else:
            buffer.append(char)
            index += 1
    flush()
    return paragraph


def _ods_freeze(document: OpenDocumentSpreadsheet, names: Sequence[str]) -> None:
    """settings.xml as LibreOffice writes it for "Freeze first row": a split after row 1, the bottom pane active."""
    tables = ConfigItemMapNamed(name="Tables")
    for name in names:
        entry = ConfigItemMapEntry(name=name)
        for key, kind, value in (("HorizontalSplitMode", "short", "0"), ("VerticalSplitMode", "short", "2"),
                                 ("HorizontalSplitPosition", "int", "0"), ("VerticalSplitPosition", "int", "1"),
                                 ("ActiveSplitRange", "short", "2"), ("PositionLeft", "int", "0"),
                                 ("PositionRight", "int", "0"), ("PositionTop", "int", "0"),
                                 ("PositionBottom", "int", "1")):
            item = ConfigItem(name=key, type=kind)
            item.addText(value)
            entry.addElement(item)
        tables.addElement(entry)
    view = ConfigItemMapEntry()
    view_id = ConfigItem(name="ViewId", type="string")
    view_id.addText("view1")
    view.addElement(view_id)
    view.addElement(tables)
    active = ConfigItem(name="ActiveTable", type="string")
    active.addText(names[0])
    view.addElement(active)
    views = ConfigItemMapIndexed(name="Views")
    views.addElement(view)
    settings = ConfigItemSet(name="ooo:view-settings")
    settings.addElement(views)
    document.settings.addElement(settings)


def _ods_range(sheet: str, columns: int, rows: int) -> str:
    """"Idées" A1 to G301 as an ODF cell range address: the sheet name quoted (ODF 1.2 §9.2.1), `'` doubled."""
    name = "'" + sheet.replace("'", "''") + "'"
    return f"{name}.A1:{name}.{get_column_letter(columns)}{rows}"


def plan_ods(plan: ActionPlan) -> bytes:
    document = OpenDocumentSpreadsheet()
    styles = document.automaticstyles

    date_format = DateStyle(name="date-fr")
    for part in (Day(style="long"), NumberText(text="/"), Month(style="long"), NumberText(text="/"),
                 Year(style="long")):
        date_format.addElement(part)
    styles.addElement(date_format)

    def cell_style(name: str, *, bold: bool = False, wrap: bool = True, data: str | None = None) -> Style:
        style = Style(name=name, family="table-cell", **({"datastylename": data} if data else {}))
        properties = {"verticalalign": "top"}
        if wrap:
            properties["wrapoption"] = "wrap"
        if bold:
            properties["backgroundcolor"] = "#e8e8e8"
        style.addElement(TableCellProperties(**properties))
        if bold:
            style.addElement(TextProperties(fontweight="bold"))
            style.addElement(ParagraphProperties(textalign="start"))
        styles.addElement(style)
        return style

    header_style = cell_style("entete", bold=True)
    text_style = cell_style("texte")
    number_style = cell_style("nombre", wrap=False)
    date_style = cell_style("date", wrap=False, data="date-fr")
    column_styles: dict[int, Style] = {}

    def column_style(width: int) -> Style:
        if width not in column_styles:
            style = Style(name=f"colonne{width}", family="table-column")
            style.addElement(TableColumnProperties(columnwidth=f"{width * _ODS_WIDTH_CM:.2f}cm"))
            styles.addElement(style)
            column_styles[width] = style
        return column_styles[width]

    def cell(value: Value, style: Style | None = None) -> TableCell:
        if isinstance(value, float):
            value = _number(value)
        if value is None or value == "":
            return TableCell()
        if isinstance(value, str):
            # A string cell holds no table:formula: LibreOffice and Excel show it, never run it.
            written = TableCell(valuetype="string", stylename=style or text_style)
            # One paragraph per line, as LibreOffice writes a cell typed with Ctrl+Enter.
            for line in clean_export(value).split("\n"):
                written.addElement(_ods_paragraph(line))
            return written
        if isinstance(value, date):
            written = TableCell(valuetype="date", datevalue=value.isoformat(), stylename=date_style)
            written.addElement(P(text=value.strftime("%d/%m/%Y")))
            return written
        written = TableCell(valuetype="float", value=value, stylename=number_style)
        written.addElement(P(text=_french_number(value)))
        return written

    sheets = plan_sheets(plan)
    for sheet in sheets:
        table = Table(name=sheet.name)
        for width in sheet.widths:
            table.addElement(TableColumn(stylename=column_style(width)))
        header = TableRow()
        for label in sheet.labels:
            header.addElement(cell(label, header_style))
        # <table:table-header-rows> is what LibreOffice writes for "rows to repeat" when printing
        repeated = TableHeaderRows()
        repeated.addElement(header)
        table.addElement(repeated)
        for values in sheet.rows:
            row = TableRow()
            for value in values:
                row.addElement(cell(value))
            table.addElement(row)
        document.spreadsheet.addElement(table)
    ranges = DatabaseRanges()
    for number, sheet in enumerate(sheets):
        if sheet.rows:  # the filter buttons on the header, as Data > AutoFilter makes them
            ranges.addElement(DatabaseRange(name=f"__Anonymous_Sheet_DB__{number}", displayfilterbuttons="true",
                                            targetrangeaddress=_ods_range(sheet.name, len(sheet.labels),
                                                                          len(sheet.rows) + 1)))
    if ranges.childNodes:
        document.spreadsheet.addElement(ranges)
    _ods_freeze(document, [sheet.name for sheet in sheets])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- CSV ----------------------------------------------------------------------------------------------------


def plan_csv(plan: ActionPlan, delimiter: str = ";") -> bytes:
    """The Actions sheet as CSV: UTF-8 with a BOM (Excel then reads accents right), `;` by default as French Excel
    expects, a `'` before any text a spreadsheet would run as a formula; quotes and line breaks are quoted."""
    if len(delimiter) != 1 or delimiter in "\"'\r\n" or delimiter.isalnum():
        raise ValueError(f"Séparateur de colonnes impossible : {delimiter!r} (choisissez « ; », « , » ou tabulation).")

    def cell(value: Value) -> str:
        if value is None:
            return ""
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, float):
            finite = _number(value)
            if finite is None:
                return ""
            # A decimal comma for French spreadsheets, except where the comma separates the columns.
            return str(finite) if delimiter == "," else csv_cell(finite)
        if isinstance(value, str):
            return csv_cell(clean_export(value))
        return csv_cell(value)

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([c.label for c in ACTION_COLUMNS])
    for action in plan.actions:
        writer.writerow([cell(c.value(action)) for c in ACTION_COLUMNS])
    return out.getvalue().encode("utf-8-sig")
