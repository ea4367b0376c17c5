"""The plan's tabular and text exports, each read back with a real reader and compared with the plan.

XLSX with openpyxl, ODS with the project's own streaming reader (atelier.imports.actors_table) and odfpy, CSV with
the csv module, iCalendar with icalendar, Markdown rendered with markdown2 (what NiceGUI's ui.markdown uses).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile
from datetime import UTC, date, datetime, timedelta
from html import escape as html_escape
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import markdown2
import pytest
from icalendar import Calendar
from odf.opendocument import load as load_ods
from odf.table import Table
from openpyxl import load_workbook

from atelier.exports.calendar import meetings_ics
from atelier.exports.decidim import DECIDIM_COLUMNS, decidim_results_csv
from atelier.exports.markdown import plan_markdown
from atelier.exports.model import ActionPlan, PlanIdea, PlanLead, PlanMeeting, PlanSwotItem
from atelier.exports.sample import TRICKY_TEXTS, sample_plan
from atelier.exports.tables import (
    ACTION_COLUMNS,
    SHEET_NAMES,
    XLSX_MAX_CELL,
    plan_csv,
    plan_ods,
    plan_sheets,
    plan_xlsx,
)
from atelier.imports.actors_table import ods_sheets

ACCENTS = "Éé èÈ àÀ çÇ œŒ € « guillemets » l’apostrophe ù ê î ô û ë ï ÿ æ"
FORMULA_STARTS = ("=", "+", "-", "@", "\t")
LONG_TEXT = "\n".join(f"Ligne {n} : « {ACCENTS} » ; \"citée\", fin." for n in range(120))  # ~9,000 characters


def _tricky(n: int) -> str:
    return TRICKY_TEXTS[n % len(TRICKY_TEXTS)]


def tricky_plan() -> ActionPlan:
    """Every text field of every kind holds one of TRICKY_TEXTS as its whole value, so each starts with it."""
    base = sample_plan()
    actions = tuple(
        dataclasses.replace(
            a, title=_tricky(n), description=_tricky(n + 1), category=_tricky(n + 2), pilot=_tricky(n + 3),
            contributors=(_tricky(n + 4),), interested=(_tricky(n + 5),), fruit_reason=_tricky(n + 1),
            unselection_reason="" if a.selected else _tricky(n + 2), next_step=_tricky(n + 4),
            next_step_owner=_tricky(n + 5), status=_tricky(n), origin=_tricky(n + 1),
        )
        for n, a in enumerate(base.actions)
    )
    ideas = tuple(PlanIdea(title=_tricky(n), details=_tricky(n + 1), category=_tricky(n + 2),
                           organisation=_tricky(n + 3), group=_tricky(n + 4), is_group=n % 2 == 0, hidden=False)
                  for n in range(len(TRICKY_TEXTS)))
    swot = tuple(PlanSwotItem(q, _tricky(n)) for n, q in enumerate(("Forces", "Faiblesses", "Opportunités",
                                                                       "Menaces", "Forces", "Menaces")))
    leads = tuple(PlanLead(_tricky(n), _tricky(n + 1), (_tricky(n + 2), _tricky(n + 3)), (_tricky(n + 4),),
                           0.5 + n / 10, _tricky(n + 5), _tricky(n)) for n in range(len(TRICKY_TEXTS)))
    meetings = tuple(PlanMeeting(group=_tricky(n), number=n + 1, starts_at=f"2027-0{n + 1}-12T18:30:00",
                                 minutes=90, place=_tricky(n + 1), uid=f"tricky-{n}@atelier")
                     for n in range(len(TRICKY_TEXTS)))
    return dataclasses.replace(base, organisations=TRICKY_TEXTS, thresholds=TRICKY_TEXTS[0], actions=actions,
                               ideas=ideas, swot=swot, leads=leads, meetings=meetings)


def accented_plan() -> ActionPlan:
    plan = sample_plan()
    first = dataclasses.replace(plan.actions[0], title=f"Chaufferie — {ACCENTS}", description=LONG_TEXT,
                                pilot="Société coopérative « Bois & Forêt »")
    return dataclasses.replace(plan, actions=(first, *plan.actions[1:]),
                               organisations=(*plan.organisations, f"Œuvre {ACCENTS}"))


def empty_plan() -> ActionPlan:
    return dataclasses.replace(sample_plan(), actions=(), ideas=(), meetings=())


def bare_plan() -> ActionPlan:
    return dataclasses.replace(empty_plan(), organisations=(), swot=(), leads=(), thresholds="")


PLANS = {"sample": sample_plan, "accents": accented_plan, "tricky": tricky_plan, "empty": empty_plan,
         "bare": bare_plan}


# --- XLSX ------------------------------------------------------------------------------------------------------


def _xlsx_expected(value: object) -> object:
    if value == "":
        return None
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return value


@pytest.mark.parametrize("name", PLANS)
def test_xlsx_reads_back_as_stored(name: str) -> None:
    plan = PLANS[name]()
    book = load_workbook(io.BytesIO(plan_xlsx(plan)))
    assert tuple(book.sheetnames) == SHEET_NAMES
    for sheet in plan_sheets(plan):
        ws = book[sheet.name]
        rows = list(ws.iter_rows(values_only=True))
        assert rows[0] == tuple(label or None for label in sheet.labels)
        assert len(rows) == len(sheet.rows) + 1
        for got, expected in zip(rows[1:], sheet.rows, strict=True):
            assert got == tuple(_xlsx_expected(v) for v in expected), sheet.name
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.name, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s"


def test_xlsx_actions_sheet_matches_the_plan_fields() -> None:
    plan = accented_plan()
    ws = load_workbook(io.BytesIO(plan_xlsx(plan)))["Actions"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, values, strict=True)) for values in ws.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == len(plan.actions)
    for row, action in zip(rows, plan.actions, strict=True):
        assert row["Action"] == action.title
        assert row["Description"] == action.description
        assert row["Catégorie"] == action.category
        assert row["Pilote"] == (action.pilot or None)
        assert row["Contributeurs"] == "\n".join(action.contributors)
        assert row["Nombre de notes"] == action.ratings
        assert row["Impact (médiane)"] == action.impact_median
        assert row["Retenue"] == ("oui" if action.selected else "non")
        due = row["Échéance"]
        assert (due.date().isoformat() if due else "") == action.next_step_due
    assert rows[0]["Action"].endswith(ACCENTS)
    assert rows[0]["Description"] == LONG_TEXT  # long, multi-line, quotes and separators


def test_xlsx_numbers_are_numbers_and_the_header_is_bold_frozen_and_wrapped() -> None:
    plan = sample_plan()
    book = load_workbook(io.BytesIO(plan_xlsx(plan)))
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2"
        assert all(cell.font.b for cell in ws[1] if cell.value)
    actions = book["Actions"]
    assert actions.column_dimensions["C"].width == 40  # Action
    assert actions.column_dimensions["D"].width == 60  # Description
    assert actions["C2"].alignment.wrap_text
    assert actions["A2"].data_type == "n" and actions["A2"].value == plan.actions[0].rank
    notes = book["Notes"]
    header = [c.value for c in notes[1]]
    row = [c.value for c in notes[2]]
    assert row[header.index("Impact (moyenne)")] == pytest.approx(plan.actions[0].impact_mean)
    distribution = [row[header.index(f"Impact {g}/5")] for g in range(1, 6)]
    assert tuple(distribution) == plan.actions[0].impact_distribution
    participants = book["Participants"]
    figures = {r[2]: r[3] for r in participants.iter_rows(min_row=2, values_only=True) if r[2]}
    assert figures["Participants"] == plan.participants_count and figures["Votants"] == plan.voters
    assert [r[0] for r in participants.iter_rows(min_row=2, values_only=True) if r[0]] == list(plan.organisations)


def test_xlsx_formula_looking_texts_stay_text() -> None:
    plan = tricky_plan()
    book = load_workbook(io.BytesIO(plan_xlsx(plan)))
    found: dict[str, list] = {text: [] for text in TRICKY_TEXTS}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in found:
                    found[cell.value].append(cell)
    for text, cells in found.items():
        assert cells, f"{text!r} missing"
        for cell in cells:
            assert cell.data_type == "s"
            assert cell.quotePrefix == text.startswith(FORMULA_STARTS)


def test_xlsx_caps_a_text_excel_could_not_open() -> None:
    plan = sample_plan()
    huge = "é" * (XLSX_MAX_CELL + 500)
    plan = dataclasses.replace(plan, actions=(dataclasses.replace(plan.actions[0], description=huge),))
    ws = load_workbook(io.BytesIO(plan_xlsx(plan)))["Actions"]
    assert ws["D2"].value == "é" * (XLSX_MAX_CELL - 1) + "…"
    assert _ods_rows(plan_ods(plan))[0][1][3] == huge  # ODS has no such limit: it keeps the whole text


def test_xlsx_a_2000_character_description_is_not_cut_by_the_tallest_row() -> None:
    """Excel's tallest row is 409 points (27 lines): the column widens so the whole text shows in one row."""
    plan = sample_plan()
    paragraph = "La chaufferie collective alimentée par les plaquettes des scieries voisines. " * 7
    description = "\n\n".join([paragraph.strip()] * 4)[:2000]
    assert len(description) == 2000
    plan = dataclasses.replace(plan, actions=(dataclasses.replace(plan.actions[0], description=description),
                                              *plan.actions[1:]))
    ws = load_workbook(io.BytesIO(plan_xlsx(plan)))["Actions"]
    assert ws["D2"].value == description  # one row per action: sorting and filtering keep it whole
    width = ws.column_dimensions["D"].width
    lines = sum(max(1, -(-len(line) // int(width - 1))) for line in description.split("\n"))
    assert lines * 15 <= ws.row_dimensions[2].height <= 409
    assert ws.max_row == len(plan.actions) + 1


def test_xlsx_prints_its_header_and_filters() -> None:
    book = load_workbook(io.BytesIO(plan_xlsx(sample_plan())))
    for ws in book.worksheets:
        assert ws.print_title_rows == "$1:$1", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title


# --- ODS -------------------------------------------------------------------------------------------------------


def _ods_rows(content: bytes) -> list[list[list[object]]]:
    return [[list(values) for _, values in sheet()] for sheet in ods_sheets("plan.ods", content)]


def _ods_expected(value: object) -> object:
    if value == "":
        return None
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")  # the shown text; the date itself is checked in content.xml
    return value


@pytest.mark.parametrize("name", PLANS)
def test_ods_reads_back_as_stored(name: str) -> None:
    plan = PLANS[name]()
    content = plan_ods(plan)
    document = load_ods(io.BytesIO(content))
    assert tuple(t.getAttribute("name") for t in document.spreadsheet.getElementsByType(Table)) == SHEET_NAMES
    tables = _ods_rows(content)
    for sheet, rows in zip(plan_sheets(plan), tables, strict=True):
        width = len(sheet.labels)
        padded = [values + [None] * (width - len(values)) for values in rows]
        assert padded[0] == [label or None for label in sheet.labels]
        assert padded[1:] == [[_ods_expected(v) for v in row] for row in sheet.rows], sheet.name
    xml = zipfile.ZipFile(io.BytesIO(content)).read("content.xml").decode()
    assert "table:formula" not in xml  # no cell of any sheet is a formula


def test_ods_types_dates_freeze_and_header() -> None:
    plan = sample_plan()
    content = plan_ods(plan)
    archive = zipfile.ZipFile(io.BytesIO(content))
    xml = archive.read("content.xml").decode()
    assert 'office:value-type="date" office:date-value="2027-01-15"' in xml
    assert 'office:value-type="float" office:value="4.17"' in xml
    assert '<style:text-properties fo:font-weight="bold"/>' in xml
    assert 'fo:wrap-option="wrap"' in xml
    settings = archive.read("settings.xml").decode()
    for name in SHEET_NAMES:
        assert f'<config:config-item-map-entry config:name="{name}">' in settings
    assert settings.count('config:name="VerticalSplitPosition" config:type="int">1<') == len(SHEET_NAMES)


def test_ods_formula_looking_texts_stay_text_and_whitespace_survives() -> None:
    plan = tricky_plan()
    content = plan_ods(plan)
    seen = {v for rows in _ods_rows(content) for values in rows for v in values if isinstance(v, str)}
    for text in TRICKY_TEXTS:
        assert text in seen  # tab, line break, quotes and separators exactly as stored
    # odfpy's own reader agrees: the cell is a string whose text is the formula-looking text
    from odf import teletype
    from odf.table import TableCell
    from odf.text import P

    cells = load_ods(io.BytesIO(content)).spreadsheet.getElementsByType(TableCell)
    texts = {"\n".join(teletype.extractText(p) for p in c.getElementsByType(P)): c.getAttribute("valuetype")
             for c in cells if c.getElementsByType(P)}
    for text in TRICKY_TEXTS:
        assert texts[text] == "string"


def test_ods_keeps_spaces_odf_would_fold() -> None:
    spaced = ("  deux espaces devant", "après ", "a  b   c", " ", "\t\ttabulations", "fin\t")
    plan = sample_plan()
    actions = tuple(dataclasses.replace(a, title=t) for a, t in zip(plan.actions, spaced, strict=False))
    rows = _ods_rows(plan_ods(dataclasses.replace(plan, actions=actions)))[0]
    assert [values[2] for values in rows[1:]] == list(spaced)


def test_ods_has_an_autofilter_and_repeats_its_header_when_printed() -> None:
    from odf.table import DatabaseRange, TableHeaderRows, TableRow

    plan = sample_plan()
    document = load_ods(io.BytesIO(plan_ods(plan)))
    ranges = {r.getAttribute("targetrangeaddress"): r.getAttribute("displayfilterbuttons")
              for r in document.spreadsheet.getElementsByType(DatabaseRange)}
    for sheet in plan_sheets(plan):
        if sheet.rows:
            address = f"'{sheet.name}'.A1:'{sheet.name}'.{chr(64 + len(sheet.labels))}{len(sheet.rows) + 1}"
            assert ranges[address] == "true", sheet.name
    for table in document.spreadsheet.getElementsByType(Table):
        header_rows = table.getElementsByType(TableHeaderRows)
        assert len(header_rows) == 1 and len(header_rows[0].getElementsByType(TableRow)) == 1


# --- CSV -------------------------------------------------------------------------------------------------------


def _csv_expected(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(value).replace(".", ",")
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return str(value)


@pytest.mark.parametrize("name", PLANS)
def test_csv_reads_back_as_stored(name: str) -> None:
    plan = PLANS[name]()
    content = plan_csv(plan)
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for accents
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == [c.label for c in ACTION_COLUMNS]
    assert rows[1:] == [[_csv_expected(c.value(a)) for c in ACTION_COLUMNS] for a in plan.actions]


def test_csv_formula_injection_and_separators() -> None:
    plan = tricky_plan()
    rows = list(csv.reader(io.StringIO(plan_csv(plan).decode("utf-8-sig"), newline=""), delimiter=";"))
    header = rows[0]
    titles = [row[header.index("Action")] for row in rows[1:]]
    for action, title in zip(plan.actions, titles, strict=True):
        if action.title.startswith(FORMULA_STARTS):
            assert title == "'" + action.title
        else:
            assert title == action.title  # the multi-line one: quotes, ; and , inside, no prefix
    assert "'=SOMME(A1:A9)" in titles and "'\tindentée" in titles and "'@mairie" in titles
    assert TRICKY_TEXTS[5] in titles


def test_csv_with_commas_and_accents() -> None:
    plan = accented_plan()
    content = plan_csv(plan, delimiter=",")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=","))
    header = rows[0]
    assert rows[1][header.index("Action")] == plan.actions[0].title
    assert rows[1][header.index("Description")] == LONG_TEXT
    assert rows[1][header.index("Pilote")] == "Société coopérative « Bois & Forêt »"
    with pytest.raises(ValueError):
        plan_csv(plan, delimiter='"')


# --- iCalendar -------------------------------------------------------------------------------------------------


def _events(content: bytes) -> list:
    return Calendar.from_ical(content).walk("VEVENT")


@pytest.mark.parametrize("name", PLANS)
def test_ics_reads_back_as_stored(name: str) -> None:
    plan = PLANS[name]()
    content = meetings_ics(plan)
    events = {str(e["uid"]): e for e in _events(content)}
    assert len(events) == len(plan.meetings)
    paris = ZoneInfo("Europe/Paris")
    for meeting in plan.meetings:
        event = events[meeting.uid]
        assert str(event["summary"]) == f"Groupe de travail : {meeting.group} — réunion {meeting.number}"
        assert str(event["location"]) == meeting.place
        start = event.decoded("dtstart")
        assert start.tzinfo is not None and event["dtstart"].params["TZID"] == "Europe/Paris"
        assert start == datetime.fromisoformat(meeting.starts_at).replace(tzinfo=paris)
        assert event.decoded("duration") == timedelta(minutes=meeting.minutes)
        assert event.decoded("dtstamp") == datetime(2026, 11, 26, 20, 30, tzinfo=UTC)  # 21:30 in Paris
    calendar = Calendar.from_ical(content)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_ics_stamp_is_utc_from_an_aware_generation_time() -> None:
    plan = dataclasses.replace(sample_plan(), generated_at="2026-11-30T09:30:00+01:00")  # 08:30 UTC
    content = meetings_ics(plan)
    stamps = {e.decoded("dtstamp") for e in _events(content)}
    assert stamps == {datetime(2026, 11, 30, 8, 30, tzinfo=UTC)}
    assert b"DTSTAMP:20261130T083000Z" in content


def test_ics_lines_are_crlf_and_folded_at_75_octets() -> None:
    content = meetings_ics(accented_plan())
    assert content.endswith(b"\r\n")
    lines = content.split(b"\r\n")
    assert b"\n" not in content.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the long summaries were folded
    for line in lines:
        line.decode("utf-8")  # folding never cuts a character in two


def test_ics_timezone_rules_match_paris() -> None:
    """The VTIMEZONE alone (renamed so no reader can fall back on its own database) gives Paris's offsets."""
    content = meetings_ics(sample_plan()).replace(b"Europe/Paris", b"Zone-Atelier")
    zone = Calendar.from_ical(content).walk("VTIMEZONE")[0].to_tz()
    paris = ZoneInfo("Europe/Paris")
    for moment in (datetime(2027, 1, 12, 18, 30), datetime(2027, 7, 1, 18, 30), datetime(2027, 3, 28, 1, 59),
                   datetime(2027, 3, 28, 3, 1), datetime(2027, 10, 31, 1, 30), datetime(2027, 10, 31, 3, 30),
                   datetime(2034, 6, 1, 12)):
        assert moment.replace(tzinfo=zone).utcoffset() == moment.replace(tzinfo=paris).utcoffset(), moment


def test_ics_summer_meeting_and_escaped_texts() -> None:
    plan = tricky_plan()
    summer = PlanMeeting(group="Chaufferie ; bois, « œuvre »\nligne 2", number=4, starts_at="2027-07-06T09:00:00",
                         minutes=120, place="Mairie, salle ; « A »", uid="ete@atelier")
    plan = dataclasses.replace(plan, meetings=(*plan.meetings, summer))
    events = {str(e["uid"]): e for e in _events(meetings_ics(plan))}
    event = events["ete@atelier"]
    assert event.decoded("dtstart").utcoffset() == timedelta(hours=2)
    assert str(event["location"]) == summer.place
    assert str(event["summary"]) == f"Groupe de travail : {summer.group} — réunion 4"


# --- Decidim ---------------------------------------------------------------------------------------------------


# Decidim's importer, as its code reads a row (decidim/decidim, decidim-accountability):
# app/services/decidim/accountability/results_csv_importer.rb reads these headers itself...
DECIDIM_IMPORTER_READS = {"id", "title/fr", "description/fr", "category/id", "status/id", "proposal_urls",
                          "start_date", "end_date", "parent/id"}
# ...and hands the row to app/forms/decidim/accountability/admin/result_form.rb, whose attributes these are (the
# rest is dropped by decidim-core/lib/decidim/attribute_object/model.rb); create_imported_result.rb stores them.
DECIDIM_FORM_ATTRIBUTES = {"progress", "weight", "external_id"}
# lib/decidim/accountability/result_serializer.rb: the component's own export, which the importer takes back.
DECIDIM_EXPORT_COLUMNS = {"id", "category/id", "category/name/fr", "scope/id", "scope/name/fr", "parent/id",
                          "title/fr", "description/fr", "start_date", "end_date", "status/id", "status/key",
                          "status/name/fr", "progress", "created_at", "url", "component/id", "proposal_urls"}


def _decidim_import(content: bytes) -> list[dict[str, str]]:
    """The rows as Decidim's importer sees them: the controller forces UTF-8 (a BOM stays in the first header),
    Ruby's CSV with headers and `;`; an empty row is skipped."""
    text = content.decode("utf-8")
    return [row for row in csv.DictReader(io.StringIO(text, newline=""), delimiter=";") if any(row.values())]


def _decidim_rows(plan: ActionPlan) -> list[dict[str, str]]:
    content = decidim_results_csv(plan)
    assert content.startswith(b"\xef\xbb\xbf")  # Excel, opened first by an admin, reads the accents right
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_decidim_columns_are_what_the_importer_reads() -> None:
    plan = accented_plan()
    rows = _decidim_import(decidim_results_csv(plan))
    header = list(rows[0])
    assert header[0] == "\ufeffid"  # the BOM lands on `id`, empty anyway: each row creates a result
    for column in header[1:]:
        assert column in DECIDIM_IMPORTER_READS | DECIDIM_FORM_ATTRIBUTES | DECIDIM_EXPORT_COLUMNS, column
    assert {"title/fr", "description/fr", "start_date", "end_date", "progress", "weight", "external_id"} <= set(header)
    selected = [a for a in plan.actions if a.selected]
    assert len(rows) == len(selected)
    for row, action in zip(rows, selected, strict=True):
        assert row["title/fr"] == action.title  # what Decidim publishes, as typed
        assert (row.get("id") or "") == "" and row["\ufeffid"] == ""
        for field in ("start_date", "end_date"):
            if row[field]:
                date.fromisoformat(row[field])  # what Ruby's Date.parse reads
        assert 0 <= float(row["progress"]) <= 100


def test_decidim_results_columns_and_values() -> None:
    plan = accented_plan()
    content = decidim_results_csv(plan).decode("utf-8-sig")
    assert content.split("\r\n")[0] == ";".join(DECIDIM_COLUMNS)
    assert DECIDIM_COLUMNS[:6] == ("id", "category/id", "scope/id", "parent/id", "title/fr", "description/fr")
    rows = _decidim_rows(plan)
    selected = [a for a in plan.actions if a.selected]
    assert len(rows) == len(selected)
    for row, action in zip(rows, selected, strict=True):
        assert row["title/fr"] == action.title
        assert row["external_id"] == f"atelier-{plan.workshop_code}-{action.id}"
        assert row["progress"] == "0"
        assert row["status/name/fr"] == "à lancer" and row["status/key"] == "a-lancer"
        assert row["end_date"] == action.next_step_due
        assert row["start_date"] == plan.date
        assert row["weight"] == str(action.rank)
        for decidim_id in ("id", "category/id", "scope/id", "parent/id", "status/id", "proposal_urls"):
            assert row[decidim_id] == ""
        assert row["description/fr"].startswith("<p>")
        assert f"<strong>Pilote :</strong> {html_escape(action.pilot)}</li>" in row["description/fr"]
    first = rows[0]["description/fr"]
    assert "Société coopérative « Bois &amp; Forêt »" in first
    assert "Ligne 119 : « Éé èÈ" in first and "&quot;citée&quot;" in first


def test_decidim_carries_the_status_and_progress() -> None:
    plan = sample_plan()
    ongoing = dataclasses.replace(plan.actions[0], status="en cours", progress=40, selected=True)
    done = dataclasses.replace(plan.actions[1], status="réalisée", progress=0, selected=True)
    rows = _decidim_rows(dataclasses.replace(plan, actions=(ongoing, done)))
    assert (rows[0]["status/key"], rows[0]["status/name/fr"], rows[0]["progress"]) == ("en-cours", "en cours", "40")
    assert "<strong>Statut :</strong> en cours</li>" in rows[0]["description/fr"]
    assert (rows[1]["status/key"], rows[1]["status/name/fr"], rows[1]["progress"]) == ("realisee", "réalisée", "100")


def test_decidim_results_are_safe() -> None:
    plan = tricky_plan()
    attack = dataclasses.replace(plan.actions[0], description="<img src=x onerror=alert(1)>\n\nSuite", selected=True)
    plan = dataclasses.replace(plan, actions=(attack, *plan.actions[1:]))
    rows = _decidim_rows(plan)
    selected = [a for a in plan.actions if a.selected]
    for row, action in zip(rows, selected, strict=True):
        # Decidim is not a spreadsheet: no formula guard, the title is published as typed (edge spaces trimmed)
        assert row["title/fr"] == action.title.strip()
        assert not row["description/fr"].startswith(FORMULA_STARTS)
    titles = [row["title/fr"] for row in rows]
    assert "=SOMME(A1:A9)" in titles and "@mairie" in titles
    assert rows[0]["description/fr"].startswith("<p>&lt;img src=x onerror=alert(1)&gt;</p><p>Suite</p>")
    assert "<img" not in rows[0]["description/fr"]


def test_decidim_empty_plan_is_a_header() -> None:
    rows = list(csv.reader(io.StringIO(decidim_results_csv(empty_plan()).decode("utf-8-sig")), delimiter=";"))
    assert rows == [list(DECIDIM_COLUMNS)]


# --- Markdown --------------------------------------------------------------------------------------------------


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _render(markdown: str) -> _Html:
    parser = _Html()
    parser.feed(markdown2.markdown(markdown, extras=["fenced-code-blocks", "tables", "strike"]))
    return parser


ATTACKS = ("<img src=x onerror=alert(1)>", "*gras* et _penché_ et **fort**", "[lien](javascript:alert(1))",
           "# titre", "1. liste", "- puce", "| a | b |", "`code`", "~~barré~~", "> citation", "a &amp; b &lt; c",
           "<script>alert(1)</script>", "![image](http://exemple.fr/x.png)", "$x^2$", "\\*échappé\\*",
           "<https://exemple.fr>", "+ plus", "=SOMME(A1)")


def test_markdown_escapes_markup() -> None:
    plan = sample_plan()
    actions = tuple(dataclasses.replace(plan.actions[0], id=n, title=text, description=text, pilot=text)
                    for n, text in enumerate(ATTACKS))
    ideas = tuple(PlanIdea(title=text, details=text, category="Énergie", organisation="", group="", is_group=False,
                           hidden=False) for text in ATTACKS)
    plan = dataclasses.replace(plan, actions=actions, ideas=ideas, workshop="<b>Atelier</b> *1*")
    markdown = plan_markdown(plan)
    html = _render(markdown)
    assert not {"img", "script", "a", "code", "table", "del", "s", "blockquote", "ol", "b"} & set(html.tags)
    assert set(html.tags) <= {"h1", "h2", "h3", "p", "strong", "em", "ul", "li", "br"}
    assert html.tags.count("em") == 1  # "Document produit par atelier…", never a user's *text*
    text = "".join(html.text)
    for attack in ATTACKS:
        assert text.count(attack) >= 3  # title, description, pilot, idea…: each shown as typed
    assert "Compte rendu — <b>Atelier</b> *1*" in text
    assert "<img" not in markdown and "<script" not in markdown


def test_markdown_minutes_hold_every_part() -> None:
    plan = accented_plan()
    markdown = plan_markdown(plan)
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Participants", "## La règle", "## Fruits à portée de main (2)",
        "## Actions confiées à un groupe de travail (4)", "## Autres actions retenues (0)",
        "## Actions non retenues (2)", "## FFOM (forces, faiblesses, opportunités, menaces)",
        "## Pistes de synergie (2)", "## Annexe : idées de l’atelier (18)",
    ]
    text = "".join(_render(markdown).text)
    assert "Compte rendu — Atelier 2 — Sélection des actions" in text
    assert "26 novembre 2026" in text
    assert "23 participants, dont 21 votants" in text
    for organisation in plan.organisations:
        assert organisation in text
    assert plan.thresholds in text
    for action in plan.not_selected:
        assert action.unselection_reason in text
    assert ACCENTS in text
    assert "Ligne 119 : « Éé" in text  # the long description, every line kept
    assert "mardi 12 janvier 2027 à 18 h 30 (1 h 30)" in text
    assert "=Fermeture de la laiterie" in text
    hidden = [i for i in plan.ideas if i.hidden]
    assert hidden and all(f"Idée {plan.ideas.index(i) + 1} :" not in text for i in hidden)


def test_markdown_keeps_line_breaks_and_tricky_texts() -> None:
    plan = tricky_plan()
    markdown = plan_markdown(plan)
    html = markdown2.markdown(markdown)
    assert "Ligne 1<br />\nLigne 2 ; avec « guillemets », des \"doubles\"" in html
    text = "".join(_render(markdown).text)
    for tricky in TRICKY_TEXTS[:4]:
        assert tricky in text
    assert "indentée" in text


def test_markdown_keeps_blank_lines_between_paragraphs() -> None:
    plan = sample_plan()
    text = "Premier paragraphe.\nSa deuxième ligne.\n\nSecond paragraphe.\n \nTroisième."
    idea = PlanIdea(title="Idée longue", details=text, category="Énergie", organisation="", group="",
                    is_group=False, hidden=False)
    plan = dataclasses.replace(plan, actions=(dataclasses.replace(plan.actions[0], description=text),),
                               ideas=(idea,))
    markdown = plan_markdown(plan)
    assert "Premier paragraphe.  \nSa deuxième ligne.\n\nSecond paragraphe.\n\nTroisième." in markdown
    html = markdown2.markdown(markdown)
    assert "<p>Premier paragraphe.<br />\nSa deuxième ligne.</p>\n\n<p>Second paragraphe.</p>" in html
    item = html[html.index("Idée longue"):]
    assert "<p>Second paragraphe.</p>" in item[:item.index("</li>")]  # the idea's paragraphs stay in its item


@pytest.mark.parametrize("name", ["empty", "bare"])
def test_markdown_empty_plan(name: str) -> None:
    markdown = plan_markdown(PLANS[name]())
    assert markdown.startswith("# Compte rendu — ")
    assert markdown.count("Aucune.") >= 4
    _render(markdown)
