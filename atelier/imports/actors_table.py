"""Actors from and to the spreadsheets French offices produce: CSV (`;` or `,`, UTF-8 or Windows-1252), ODS and XLSX.

Pure functions, bytes in and models out. Nothing here stores anything: a preview with errors changes nothing, and
the caller imports `ImportPreview.actors` only once the facilitator confirms a preview that is `ok`.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import PurePath
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as safe_xml
from odf import teletype
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableColumnProperties, TextProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import P
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from pydantic import ValidationError

from atelier.models import Actor, ActorKind, ActorStatus
from atelier.rules.actors import EMAIL, name_key, unique_slug

__all__ = ["COLUMNS", "KIND_LABELS", "MAX_ROWS", "ImportPreview", "RowError", "actors_to_csv", "actors_to_ods",
           "actors_to_xlsx", "read_actor_table"]

# Far above any territory network (a few hundred actors), low enough that a stray export of a whole
# company register cannot hold the server for minutes.
MAX_ROWS = 50_000
# A zip that inflates past this is a zip bomb or not an actor list.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
# Rows scanned for the header: offices often put a title and a blank line above it.
HEADER_SCAN_ROWS = 20
# Cells read per row at most (an actor list has ~15 columns): ODS may "repeat" a cell up to column 16384.
MAX_COLUMNS = 256

Value = str | int | float | bool | date | datetime | time | timedelta | None
Row = tuple[int, Sequence[Value]]  # (row number as the spreadsheet shows it, cells)


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number as the person sees it (header = 1 when the header is on the first row)
    column: str | None  # the column's title as written in the file, None for the whole row
    message: str  # French, says what to fix


@dataclass(frozen=True)
class ImportPreview:
    actors: list[Actor] = field(default_factory=list)  # valid rows, ready to store
    errors: list[RowError] = field(default_factory=list)  # one per faulty row/field
    file_error: str | None = None  # the whole file is unusable: French message
    columns_found: list[str] = field(default_factory=list)  # titles recognised, as written in the file
    columns_ignored: list[str] = field(default_factory=list)  # titles not recognised: their data is not imported
    total_rows: int = 0  # non-empty rows under the header

    @property
    def ok(self) -> bool:
        return self.file_error is None and not self.errors


class _FileError(Exception):
    """The whole file is unusable; the message is French and says what to do."""


# --- Columns ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    key: str
    label: str  # written as the header on export, named in messages
    synonyms: tuple[str, ...]  # compared after _fold: case, accents, spaces and punctuation do not matter
    required: bool = False


COLUMNS: tuple[_Column, ...] = (
    _Column("name", "Nom", ("nom", "nom de la structure", "raison sociale", "structure", "nom de l'acteur", "acteur",
                            "dénomination", "dénomination sociale", "organisme", "organisation"), required=True),
    _Column("kind", "Type", ("type", "catégorie d'acteur", "catégorie", "type d'acteur", "type de structure"),
            required=True),
    _Column("sector", "Secteur", ("secteur", "activité", "secteur d'activité", "activité principale")),
    _Column("naf", "Code NAF", ("naf", "code naf", "ape", "code ape", "naf/ape", "code naf/ape", "code naf ou ape")),
    _Column("commune", "Commune", ("commune", "ville", "localité", "commune d'implantation")),
    _Column("status", "Statut", ("statut", "statut dans le réseau")),
    _Column("groups", "Disponibilité (groupes)", ("disponibilité (groupes)", "disponibilité", "groupes",
                                                  "nombre de groupes", "disponibilite_groupes")),
    _Column("hours", "Heures par mois", ("heures par mois", "heures/mois", "disponibilité (heures par mois)",
                                         "disponibilité heures par mois", "heures", "disponibilite_heures_mois")),
    _Column("motivation", "Motivation", ("motivation", "motivations")),
    _Column("consent", "Consentement", ("consentement", "accord de diffusion", "consentement de diffusion",
                                        "consentement public", "consentement_public", "diffusion")),
    _Column("contact", "Contact", ("contact", "nom du contact", "interlocuteur", "personne à contacter")),
    _Column("role", "Rôle", ("rôle", "fonction", "rôle du contact", "fonction du contact", "poste")),
    _Column("email", "E-mail", ("e-mail", "email", "courriel", "mél", "mail", "adresse e-mail", "adresse mail",
                                "adresse électronique", "e-mail du contact", "courriel du contact")),
    _Column("phone", "Téléphone", ("téléphone", "tél", "téléphone du contact", "numéro de téléphone", "portable")),
)
_BY_KEY = {c.key: c for c in COLUMNS}

KIND_LABELS: dict[ActorKind, str] = {
    ActorKind.COMPANY: "Entreprise",
    ActorKind.FARM: "Exploitation agricole",
    ActorKind.CRAFTSMAN: "Artisan",
    ActorKind.SHOP: "Commerce",
    ActorKind.LOCAL_AUTHORITY: "Collectivité",
    ActorKind.ASSOCIATION: "Association",
    ActorKind.PUBLIC_BODY: "Établissement public",
    ActorKind.OTHER: "Autre",
}
# Words offices put in a "type" column besides our labels; the legal forms are unambiguous.
_KIND_SYNONYMS: dict[str, ActorKind] = {
    "société": ActorKind.COMPANY, "sarl": ActorKind.COMPANY, "sas": ActorKind.COMPANY, "sasu": ActorKind.COMPANY,
    "eurl": ActorKind.COMPANY, "pme": ActorKind.COMPANY, "tpe": ActorKind.COMPANY, "industrie": ActorKind.COMPANY,
    "exploitation": ActorKind.FARM, "agriculteur": ActorKind.FARM, "agricultrice": ActorKind.FARM,
    "ferme": ActorKind.FARM, "gaec": ActorKind.FARM, "earl": ActorKind.FARM, "scea": ActorKind.FARM,
    "artisane": ActorKind.CRAFTSMAN, "artisanat": ActorKind.CRAFTSMAN,
    "commerçant": ActorKind.SHOP, "commerçante": ActorKind.SHOP, "magasin": ActorKind.SHOP,
    "boutique": ActorKind.SHOP,
    "collectivité territoriale": ActorKind.LOCAL_AUTHORITY, "collectivité locale": ActorKind.LOCAL_AUTHORITY,
    "mairie": ActorKind.LOCAL_AUTHORITY, "commune": ActorKind.LOCAL_AUTHORITY,
    "communauté de communes": ActorKind.LOCAL_AUTHORITY,
    "asso": ActorKind.ASSOCIATION, "association loi 1901": ActorKind.ASSOCIATION,
}
_STATUS_WORDS: dict[str, ActorStatus] = {
    "pionnier": ActorStatus.PIONEER, "pionnière": ActorStatus.PIONEER,
    "membre": ActorStatus.MEMBER,
    "candidat": ActorStatus.CANDIDATE, "candidate": ActorStatus.CANDIDATE,
}
_YES = {"oui", "o", "vrai", "1", "x", "yes", "y", "true", "ok", "d'accord"}
_NO = {"non", "n", "faux", "0", "no", "false"}

_NUMBER = re.compile(r"^(\d+(?:[.,]\d+)?)(h|heures?|groupes?)?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
# A cell a spreadsheet would run as a formula (OWASP "CSV injection"); tab and CR too, as OWASP lists them.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED_FORMULA = re.compile(r"^'[=+\-@]")


def _fold(text: str) -> str:
    """Comparison key for headers and words: no case, accents, spaces or punctuation ("Tél." = "tel")."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


_HEADER_WORDS: dict[str, str] = {}
for _column in COLUMNS:
    for _word in (_column.label, *_column.synonyms):
        _HEADER_WORDS.setdefault(_fold(_word), _column.key)
_KIND_WORDS: dict[str, ActorKind] = {}
for _kind, _label in KIND_LABELS.items():
    _KIND_WORDS[_fold(_label)] = _kind
    _KIND_WORDS[_fold(_kind.value)] = _kind
for _word, _kind in _KIND_SYNONYMS.items():
    _KIND_WORDS.setdefault(_fold(_word), _kind)
_STATUS_FOLDED = {_fold(w): s for w, s in _STATUS_WORDS.items()}
_YES_FOLDED = {_fold(w) for w in _YES}
_NO_FOLDED = {_fold(w) for w in _NO}
_KINDS_LIST = ", ".join(KIND_LABELS.values())


# --- Reading: which format ------------------------------------------------------------------------

_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003, or any password-protected Office file
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"BM", b"II*\x00", b"MM\x00*",
                 b"Rar!", b"7z\xbc\xaf", b"{\\rtf", b"\x7fELF", b"MZ", b"RIFF", b"OggS", b"ID3", b"fLaC")
_NOT_SPREADSHEET_EXTENSIONS = {"pdf", "png", "jpg", "jpeg", "gif", "webp", "doc", "docx", "odt", "odp", "ppt",
                               "pptx", "zip", "rtf", "html", "htm", "xml", "json", "mp3", "mp4", "exe"}


def _not_a_spreadsheet(filename: str, hint: str = "") -> _FileError:
    return _FileError(f"Le fichier « {filename} » n'est pas un tableur (CSV, ODS ou XLSX).{hint}")


def _extension(filename: str) -> str:
    return PurePath(filename).suffix.lower().lstrip(".")


def _format(filename: str, content: bytes) -> str:
    """'xlsx', 'ods' or 'csv', by content first and extension second; raises _FileError otherwise."""
    name, ext = filename or "sans nom", _extension(filename)
    if not content.strip() or content.strip() in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        raise _FileError(f"Le fichier « {name} » est vide.")
    if content.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
                if "mimetype" in names and archive.read("mimetype").strip() == _ODS_MIMETYPE:
                    return "ods"
                if any(n.startswith("xl/") for n in names):
                    return "xlsx"
        except (zipfile.BadZipFile, KeyError, OSError, EOFError) as e:
            if ext in ("xlsx", "xlsm", "ods"):
                raise _FileError(f"Le fichier « {name} » est endommagé : il n'a pas pu être ouvert. "
                                 "Enregistrez-le de nouveau depuis votre tableur puis réessayez.") from e
            raise _not_a_spreadsheet(name) from e
        raise _not_a_spreadsheet(name)
    if content.startswith(_OLE2):
        raise _FileError(f"Le fichier « {name} » est au format Excel 97-2003 (.xls) ou protégé par un mot de passe, "
                         "qu'atelier ne lit pas. Dans votre tableur, enregistrez-le sans mot de passe au format "
                         "XLSX, ODS ou CSV puis réessayez.")
    if content.startswith(_BINARY_MAGIC) or ext in _NOT_SPREADSHEET_EXTENSIONS:
        raise _not_a_spreadsheet(name)
    return "csv"


# --- Reading: CSV ----------------------------------------------------------------------------------


def _looks_binary(data: bytes | str) -> bool:
    sample = data[:65536]
    if isinstance(sample, bytes):
        controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    else:
        controls = sum(1 for c in sample if c < "\t" or "\r" < c < " ")
    return controls > len(sample) / 100


def _repair_double_utf8(text: str) -> str:
    """UTF-8 opened as Windows-1252 and saved again ("HÃ©lÃ¨ne"): undone when it round-trips exactly."""
    if not re.search(r"Ã.|Â.|â€", text):
        return text
    try:
        return text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return text  # a real "Ã" (SÃO PAULO) does not round-trip: leave it


def _decode_line(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("cp1252")


def _decode(name: str, content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), else Windows-1252, said nowhere."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16")
        except UnicodeError:
            pass  # reported below like any other undecodable file
    elif b"\x00" in content[:65536]:
        raise _not_a_spreadsheet(name)
    else:
        body = content.removeprefix(codecs.BOM_UTF8)
        try:
            return _repair_double_utf8(body.decode("utf-8"))
        except UnicodeDecodeError:
            pass
        try:
            # Line by line: a file put together from a UTF-8 and a Windows-1252 export keeps both right.
            return "".join(_decode_line(line) for line in body.splitlines(keepends=True))
        except UnicodeDecodeError:
            if _looks_binary(content):
                raise _not_a_spreadsheet(name) from None
    raise _FileError(f"Le fichier « {name} » n'a pas pu être lu : son encodage n'est ni UTF-8 ni Windows-1252, "
                     "et les lettres accentuées seraient perdues. Dans votre tableur, enregistrez-le au format "
                     "« CSV UTF-8 » (ou en XLSX ou ODS) puis réessayez.")


def _header_score(rows: Iterable[Sequence[Value]]) -> int:
    """How many recognised titles the best of these rows holds."""
    return max((len({_HEADER_WORDS.get(_fold(str(v or ""))) for v in row} - {None}) for row in rows), default=0)


def _delimiter(text: str) -> str:
    """`;` (French Excel), `,` or tab: the one whose split of the first lines gives recognised titles, else most."""
    sample = "\n".join(text.splitlines()[:HEADER_SCAN_ROWS])
    best, best_score = ";", (-1, -1)
    for delimiter in (";", "\t", ","):  # ties go to the French default
        try:
            rows = list(csv.reader(io.StringIO(sample), delimiter=delimiter))
        except csv.Error:
            continue
        first = next((r for r in rows if any(c.strip() for c in r)), [])
        score = (_header_score(rows), len(first))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(name: str, content: bytes) -> list[Callable[[], Iterator[Row]]]:
    text = _decode(name, content)
    if not text.strip():
        raise _FileError(f"Le fichier « {name} » est vide.")
    if _looks_binary(text):
        raise _not_a_spreadsheet(name)
    if text.lstrip().startswith("<"):
        raise _not_a_spreadsheet(name, " C'est une page web ou un fichier XML : ouvrez-le dans votre tableur "
                                       "puis enregistrez-le au format XLSX, ODS ou CSV.")
    first_line, _, rest = text.partition("\n")
    hint = re.fullmatch(r"sep=(.)\r?", first_line, flags=re.IGNORECASE)
    if hint:
        # Excel's own "sep=;" line: it names the separator and Excel hides it, so the header is row 1.
        delimiter, text = hint.group(1), rest
    else:
        delimiter = _delimiter(text)

    def rows() -> Iterator[Row]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        number = 0
        try:
            for number, record in enumerate(reader, start=1):
                yield number, record
        except csv.Error as e:
            raise _FileError(f"Le fichier « {name} » est mal formé vers la ligne {number + 1} : guillemet non "
                             "refermé ou cellule trop longue. Corrigez-le dans votre tableur puis réessayez.") from e

    return [rows]


# --- Reading: XLSX and ODS -------------------------------------------------------------------------


def _check_zip_size(name: str, content: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
            raise _FileError(f"Le fichier « {name} » est trop volumineux une fois décompressé pour une liste "
                             "d'acteurs.")


def _xlsx_sheets(name: str, content: bytes) -> list[Callable[[], Iterator[Row]]]:
    _check_zip_size(name, content)
    # data_only: the value a formula last showed, never the formula; read_only streams the rows.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "extension not supported" and the like: nothing a facilitator can act on
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    sheets = []
    for sheet in book.worksheets:
        if not hasattr(sheet, "reset_dimensions"):
            continue  # a chart sheet holds no cells
        sheet.reset_dimensions()  # some writers declare A1:XFD1048576: rows then stop at their last real cell

        def rows(sheet: Any = sheet) -> Iterator[Row]:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, values[:MAX_COLUMNS]

        sheets.append(rows)
    return sheets


_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _ods_inline(element: Element) -> str:
    """Text of a paragraph: <text:s c="3"/> is three spaces, tabs and line breaks as typed, notes left out."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == f"{_TEXT}s":
            parts.append(" " * int(child.get(f"{_TEXT}c", "1")))
        elif child.tag == f"{_TEXT}tab":
            parts.append("\t")
        elif child.tag == f"{_TEXT}line-break":
            parts.append("\n")
        elif child.tag not in (f"{_OFFICE}annotation", f"{_TEXT}note"):
            parts.append(_ods_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _ods_value(cell: Element) -> Value:
    kind = cell.get(f"{_OFFICE}value-type")
    if kind in ("float", "percentage", "currency"):
        try:
            number = float(cell.get(f"{_OFFICE}value", ""))
            return int(number) if number.is_integer() else number
        except ValueError:
            pass
    elif kind == "boolean":
        return cell.get(f"{_OFFICE}boolean-value") == "true"
    paragraphs = list(_ods_paragraphs(cell))
    return "\n".join(paragraphs) if paragraphs else None


def _ods_paragraphs(element: Element) -> Iterator[str]:
    """Each paragraph of a cell (a line for the person), inside lists too; comments are not the cell's text."""
    for child in element:
        if child.tag in (f"{_TEXT}p", f"{_TEXT}h"):
            yield _ods_inline(child)
        elif child.tag not in (f"{_OFFICE}annotation", f"{_TEXT}note"):
            yield from _ods_paragraphs(child)


def ods_sheets(name: str, content: bytes) -> list[Callable[[], Iterator[Row]]]:
    """Streams content.xml with the standard parser, DTDs refused: odfpy's loader takes ~7 s for 10,000 rows."""
    _check_zip_size(name, content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("content.xml")
    tables: list[list[Row]] = []
    depth = 0  # tables inside cells (rare) are not sheets
    number = 0
    for event, element in safe_xml.iterparse(io.BytesIO(xml), events=("start", "end"), forbid_dtd=True):
        if element.tag == f"{_TABLE}table":
            depth += 1 if event == "start" else -1
            if event == "start" and depth == 1:
                tables.append([])
                number = 0
            continue
        if event != "end" or element.tag != f"{_TABLE}table-row" or depth != 1:
            continue
        cells: list[Value] = []
        pending_empty = 0  # empty cells are added only when a filled one follows: trailing repeats cost nothing
        for cell in element:
            if cell.tag not in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
                continue
            repeat = min(int(cell.get(f"{_TABLE}number-columns-repeated", "1")), MAX_COLUMNS)
            value = _ods_value(cell)
            if value is None or value == "":
                pending_empty += repeat
            else:
                cells.extend([None] * pending_empty + [value] * repeat)
                pending_empty = 0
            if len(cells) >= MAX_COLUMNS:
                break
        repeat = int(element.get(f"{_TABLE}number-rows-repeated", "1"))
        element.clear()
        if not cells:
            number += repeat  # LibreOffice repeats a blank row up to the sheet's end: count it, store nothing
            continue
        for _ in range(min(repeat, MAX_ROWS + 2 - len(tables[-1]))):
            number += 1
            tables[-1].append((number, cells[:MAX_COLUMNS]))
    return [lambda table=table: iter(table) for table in tables]


# --- Reading: from rows to actors -----------------------------------------------------------------


def _text(value: Value, multiline: bool = False) -> str:
    """A cell as stored text: NFC, no control characters, trimmed; single-line fields get their spaces squeezed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "oui" if value else "non"
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() and abs(value) < 1e15 else str(value).replace(".", ",")
    elif isinstance(value, datetime):
        text = value.date().isoformat() if value.time() == time() else value.isoformat(" ", "minutes")
    elif isinstance(value, date | time):
        text = value.isoformat()
    else:
        text = str(value)
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text)).strip()
    if _ESCAPED_FORMULA.match(text):
        text = text[1:]  # the apostrophe our CSV export puts before =, +, - and @
    if not multiline:
        text = _SPACES.sub(" ", text)
    return text


def _blank(value: Value) -> bool:
    """Whether a cell is empty for the person (cheaper than _text: it runs on every cell of every row)."""
    if value is None:
        return True
    return isinstance(value, str) and (not value.strip() or not _CONTROL.sub("", value).strip())


def _phone(value: Value) -> str:
    text = _text(value)
    # A spreadsheet that took 04 71 00 00 01 for a number dropped the zero: French numbers have ten digits.
    if re.fullmatch(r"[1-9]\d{8}", text):
        text = "0" + text
    return text


def _number(value: Value) -> float | None:
    """A count or a number of hours as offices type them ("2", "2,5", "1 000", "4 h"); None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if 0 <= value < math.inf else None
    match = _NUMBER.match(re.sub(r"[\s\u00a0\u202f]", "", _text(value)).casefold())
    return float(match.group(1).replace(",", ".")) if match else None


_WEAK_NAME = _fold("nom")


@dataclass
class _Header:
    row: int
    columns: dict[str, int]  # column key -> index
    titles: list[str]  # every cell of the header row, as written
    found: list[str]
    ignored: list[str]


def _header(number: int, values: Sequence[Value]) -> _Header:
    titles = [_text(v) for v in values]
    columns: dict[str, int] = {}
    for index, title in enumerate(titles):
        key = _HEADER_WORDS.get(_fold(title)) if title else None
        if key is None:
            continue
        if key not in columns:
            columns[key] = index
        elif key == "name" and _fold(titles[columns["name"]]) == _WEAK_NAME:
            columns[key] = index  # "Nom, Prénom, Structure": the bare "Nom" is the person's, the structure the actor
        # any other second column for a field is ignored and listed as such: shown, never guessed
    used = set(columns.values())
    found = [titles[i] for i in sorted(used)]
    ignored = [t for i, t in enumerate(titles) if t and i not in used]
    return _Header(number, columns, titles, found, ignored)


def _find_header(rows: Iterator[Row]) -> _Header | None:
    """The first of the first rows that names the actor; rows above it (a title, a date) are skipped."""
    best: _Header | None = None
    seen = 0
    for number, values in rows:
        if all(_blank(v) for v in values):
            continue
        header = _header(number, values)
        if "name" in header.columns:
            return header
        if best is None or len(header.columns) > len(best.columns):
            best = header
        seen += 1
        if seen >= HEADER_SCAN_ROWS:
            break
    return best


def _missing_columns_message(missing: list[_Column], header: _Header | None) -> str:
    names = " et ".join(f"« {c.label} » (ou « {c.synonyms[1].capitalize()} »)" for c in missing)
    verb = "Colonnes obligatoires absentes" if len(missing) > 1 else "Colonne obligatoire absente"
    titles = [t for t in header.titles if t] if header else []
    found = ", ".join(f"« {t} »" for t in titles[:30]) if titles else "aucune"
    return (f"{verb} : {names}. Colonnes trouvées : {found}. La ligne d'en-tête doit porter le titre de chaque "
            "colonne, par exemple : Nom ; Type ; Commune ; E-mail.")


class _RowChecker:
    """Turns the rows under the header into actors and errors, one error per faulty field."""

    def __init__(self, header: _Header, existing_names: Collection[str]) -> None:
        self.header = header
        self.existing = {name_key(n) for n in existing_names}
        self.seen: dict[str, int] = {}  # name key -> first row that bore it
        self.keys: set[str] = set()
        self.actors: list[Actor] = []
        self.errors: list[RowError] = []

    def _cell(self, values: Sequence[Value], key: str) -> Value:
        index = self.header.columns.get(key)
        return values[index] if index is not None and index < len(values) else None

    def _title(self, key: str) -> str:
        index = self.header.columns.get(key)
        return self.header.titles[index] if index is not None else _BY_KEY[key].label

    def check(self, number: int, values: Sequence[Value]) -> None:
        errors: list[RowError] = []

        def refuse(key: str | None, message: str) -> None:
            errors.append(RowError(number, self._title(key) if key else None, message))

        name = _text(self._cell(values, "name"))
        if not name:
            refuse("name", "Le nom de l'acteur est vide.")
        else:
            duplicate_key = name_key(name)
            if duplicate_key in self.seen:
                refuse("name", f"« {name} » figure déjà ligne {self.seen[duplicate_key]} de ce fichier.")
            elif duplicate_key in self.existing:
                refuse("name", f"« {name} » existe déjà dans ce territoire.")
            else:
                self.seen[duplicate_key] = number

        kind_text = _text(self._cell(values, "kind"))
        kind = _KIND_WORDS.get(_fold(kind_text))
        if not kind_text:
            refuse("kind", f"Le type est vide : choisissez parmi {_KINDS_LIST}.")
        elif kind is None:
            refuse("kind", f"Type « {kind_text} » inconnu : choisissez parmi {_KINDS_LIST}.")

        status_text = _text(self._cell(values, "status"))
        status = _STATUS_FOLDED.get(_fold(status_text)) if status_text else ActorStatus.MEMBER
        if status is None:
            refuse("status", f"Statut « {status_text} » inconnu : choisissez parmi pionnier, membre ou candidat "
                             "(vide = membre).")

        groups_value = self._cell(values, "groups")
        groups = 1.0 if _text(groups_value) == "" else _number(groups_value)
        if groups is None or not groups.is_integer():
            refuse("groups", f"Disponibilité « {_text(groups_value)} » : indiquez un nombre entier de groupes "
                             "(0, 1, 2…).")

        hours_value = self._cell(values, "hours")
        hours = 0.0 if _text(hours_value) == "" else _number(hours_value)
        if hours is None:
            refuse("hours", f"Heures par mois « {_text(hours_value)} » : indiquez un nombre (par exemple 4 ou 2,5).")

        consent_value = self._cell(values, "consent")
        consent_text = _fold(_text(consent_value))
        consent = consent_text in _YES_FOLDED
        if consent_text and not consent and consent_text not in _NO_FOLDED:
            refuse("consent", f"Consentement « {_text(consent_value)} » non compris : écrivez oui ou non.")

        email = _text(self._cell(values, "email")).removeprefix("mailto:")
        if email and not EMAIL.match(email):
            refuse("email", f"Adresse e-mail « {email} » invalide : attendu une seule adresse comme "
                            "nom@domaine.fr.")

        if errors:
            self.errors.extend(errors)
            return
        key = unique_slug(name, self.keys)
        try:
            actor = Actor.model_validate({
                "cle": key, "nom": name, "type": kind, "statut": status,
                "secteur": _text(self._cell(values, "sector")), "naf": _text(self._cell(values, "naf")).upper(),
                "commune": _text(self._cell(values, "commune")),
                "disponibilite_groupes": int(groups or 0), "disponibilite_heures_mois": hours,
                "motivation": _text(self._cell(values, "motivation"), multiline=True),
                "consentement_public": consent,
                "contact": {"nom": _text(self._cell(values, "contact")), "role": _text(self._cell(values, "role")),
                            "email": email, "telephone": _phone(self._cell(values, "phone"))},
            })
        except ValidationError as e:  # our checks above should leave nothing for the model to refuse
            self.errors.append(RowError(number, None, f"Ligne refusée : {e.errors()[0]['msg']}."))
            return
        self.keys.add(key)
        self.actors.append(actor)


def _preview(name: str, sheets: list[Callable[[], Iterator[Row]]], existing_names: Collection[str]) -> ImportPreview:
    # The first sheet whose header names the actor; offices keep notes or pivot tables in other sheets.
    chosen: tuple[_Header, Iterator[Row]] | None = None
    fallback: _Header | None = None
    for sheet in sheets:
        rows = sheet()
        header = _find_header(rows)
        if header is not None and "name" in header.columns:
            chosen = (header, rows)
            break
        if fallback is None:
            fallback = header
    if chosen is None:
        if fallback is None:
            return ImportPreview(file_error=f"Le fichier « {name} » est vide.")
        missing = [c for c in COLUMNS if c.required and c.key not in fallback.columns]
        return ImportPreview(file_error=_missing_columns_message(missing, fallback),
                             columns_found=fallback.found, columns_ignored=fallback.ignored)
    header, rows = chosen
    missing = [c for c in COLUMNS if c.required and c.key not in header.columns]
    if missing:
        return ImportPreview(file_error=_missing_columns_message(missing, header),
                             columns_found=header.found, columns_ignored=header.ignored)

    checker = _RowChecker(header, existing_names)
    untitled: set[int] = set()  # columns without a title that hold data: said, not silently dropped
    width = len(header.titles)
    untitled_slots = [i for i, title in enumerate(header.titles) if not title]
    total = 0
    for number, values in rows:
        if all(_blank(v) for v in values):
            continue  # blank rows between blocks are common and mean nothing
        total += 1
        if total > MAX_ROWS:
            limit = f"{MAX_ROWS:,}".replace(",", "\u202f")  # French thousands separator
            return ImportPreview(
                file_error=f"Le fichier « {name} » compte plus de {limit} lignes d'acteurs : découpez-le en plusieurs "
                "fichiers.", columns_found=header.found, columns_ignored=header.ignored)
        for index in (*untitled_slots, *range(width, len(values))):
            if index < len(values) and index not in untitled and not _blank(values[index]):
                untitled.add(index)
        checker.check(number, values)
    if total == 0:
        return ImportPreview(file_error=f"Le fichier « {name} » ne contient aucun acteur sous la ligne d'en-tête.",
                             columns_found=header.found, columns_ignored=header.ignored)
    ignored = header.ignored + [f"colonne {get_column_letter(i + 1)} (sans titre)" for i in sorted(untitled)]
    return ImportPreview(actors=checker.actors, errors=checker.errors, columns_found=header.found,
                         columns_ignored=ignored, total_rows=total)


def read_actor_table(filename: str, content: bytes, existing_names: Collection[str] = ()) -> ImportPreview:
    """A preview of the actors in a CSV, ODS or XLSX file; `existing_names` are the territory's actors already."""
    name = PurePath(filename or "").name or "sans nom"
    readers = {"csv": _csv_rows, "xlsx": _xlsx_sheets, "ods": ods_sheets}
    try:
        kind = _format(name, content)
        try:
            return _preview(name, readers[kind](name, content), existing_names)
        except _FileError:
            raise
        except Exception as e:  # a damaged file may fail anywhere inside the zip and XML readers
            label = {"xlsx": "XLSX", "ods": "ODS", "csv": "CSV"}[kind]
            raise _FileError(f"Le fichier « {name} » n'a pas pu être lu comme tableur {label} : il est peut-être "
                             "endommagé. Enregistrez-le de nouveau depuis votre tableur puis réessayez.") from e
    except _FileError as e:
        return ImportPreview(file_error=str(e))


# --- Writing ---------------------------------------------------------------------------------------


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
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


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
