"""Actors from the spreadsheets French offices produce: CSV (`;` or `,`, UTF-8 or Windows-1252), ODS and XLSX.

Pure functions, bytes in and models out. Nothing here stores anything: a preview with errors changes nothing, and
the caller imports `ImportPreview.actors` only once the facilitator confirms a preview that is `ok`. Each format's
reader is its own module (csv_rows, ods_rows, xlsx_rows), bounded by `limits`; the writers are in actors_writing.
"""

from __future__ import annotations

import codecs
import math
import re
import unicodedata
import zipfile
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import PurePath

from openpyxl.utils import get_column_letter
from pydantic import ValidationError

from atelier.imports.actor_columns import (
    BY_KEY,
    COLUMNS,
    CONTROL,
    ESCAPED_FORMULA,
    HEADER_WORDS,
    KIND_LABELS,
    KIND_WORDS,
    KINDS_LIST,
    NO_FOLDED,
    NUMBER,
    SPACES,
    STATUS_FOLDED,
    YES_FOLDED,
    Column,
    fold,
)
from atelier.imports.actors_writing import (
    FORMULA_START,
    actors_to_csv,
    actors_to_ods,
    actors_to_xlsx,
    clean_export,
    csv_cell,
)
from atelier.imports.archive import open_zip
from atelier.imports.csv_rows import csv_sheets
from atelier.imports.limits import (
    LIMITS,
    Budget,
    FileRefused,
    Limits,
    Row,
    Sheet,
    Value,
    not_a_spreadsheet,
    thousands,
)
from atelier.imports.ods_rows import ods_sheets
from atelier.imports.xlsx_rows import xlsx_sheets
from atelier.models import Actor, ActorStatus
from atelier.rules.actors import EMAIL, name_key, unique_slug

__all__ = ["COLUMNS", "FORMULA_START", "KIND_LABELS", "LIMITS", "ImportPreview", "Limits", "RowError",
           "actors_to_csv", "actors_to_ods", "actors_to_xlsx", "clean_export", "csv_cell", "ods_sheets",
           "read_actor_table"]


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


# --- Which format ----------------------------------------------------------------------------------

_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_BLANK = re.compile(rb"\s*")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003, or any password-protected Office file
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"BM", b"II*\x00", b"MM\x00*",
                 b"Rar!", b"7z\xbc\xaf", b"{\\rtf", b"\x7fELF", b"MZ", b"RIFF", b"OggS", b"ID3", b"fLaC")
_NOT_SPREADSHEET_EXTENSIONS = {"pdf", "png", "jpg", "jpeg", "gif", "webp", "doc", "docx", "odt", "odp", "ppt",
                               "pptx", "zip", "rtf", "html", "htm", "xml", "json", "mp3", "mp4", "exe"}


def _extension(filename: str) -> str:
    return PurePath(filename).suffix.lower().lstrip(".")


def _format(filename: str, content: bytes, limits: Limits) -> str:
    """'xlsx', 'ods' or 'csv', by content first and extension second; raises FileRefused otherwise."""
    name, ext = filename or "sans nom", _extension(filename)
    # Without content.strip(): it would copy a 20 MB upload twice just to see it is not empty.
    if _BLANK.fullmatch(content) or (len(content) < 16 and content.strip() in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE,
                                                                               codecs.BOM_UTF16_BE)):
        raise FileRefused(f"Le fichier « {name} » est vide.")
    if content.startswith(b"PK"):
        try:
            with open_zip(name, content, limits) as archive:
                names = set(archive.namelist())
                if "mimetype" in names and archive.read("mimetype").strip() == _ODS_MIMETYPE:
                    return "ods"
                if any(n.startswith("xl/") for n in names):
                    return "xlsx"
        except (zipfile.BadZipFile, KeyError, OSError, EOFError) as e:
            if ext in ("xlsx", "xlsm", "ods"):
                raise FileRefused(f"Le fichier « {name} » est endommagé : il n'a pas pu être ouvert. "
                                  "Enregistrez-le de nouveau depuis votre tableur puis réessayez.") from e
            raise not_a_spreadsheet(name) from e
        raise not_a_spreadsheet(name)
    if content.startswith(_OLE2):
        raise FileRefused(f"Le fichier « {name} » est au format Excel 97-2003 (.xls) ou protégé par un mot de passe, "
                          "qu'atelier ne lit pas. Dans votre tableur, enregistrez-le sans mot de passe au format "
                          "XLSX, ODS ou CSV puis réessayez.")
    if content.startswith(_BINARY_MAGIC) or ext in _NOT_SPREADSHEET_EXTENSIONS:
        raise not_a_spreadsheet(name)
    return "csv"


# --- From rows to actors -----------------------------------------------------------------------


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
    text = CONTROL.sub("", unicodedata.normalize("NFC", text)).strip()
    if ESCAPED_FORMULA.match(text):
        text = text[1:]  # the apostrophe our CSV export puts before =, +, - and @
    if not multiline:
        text = SPACES.sub(" ", text)
    return text


def _blank(value: Value) -> bool:
    """Whether a cell is empty for the person (cheaper than _text: it runs on every cell of every row)."""
    if value is None:
        return True
    return isinstance(value, str) and (not value.strip() or not CONTROL.sub("", value).strip())


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
    match = NUMBER.match(re.sub(r"[\s\u00a0\u202f]", "", _text(value)).casefold())
    return float(match.group(1).replace(",", ".")) if match else None


_WEAK_NAME = fold("nom")


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
        key = HEADER_WORDS.get(fold(title)) if title else None
        if key is None:
            continue
        if key not in columns:
            columns[key] = index
        elif key == "name" and fold(titles[columns["name"]]) == _WEAK_NAME:
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
        if seen >= LIMITS.header_scan_rows:
            break
    return best


def _missing_columns_message(missing: list[Column], header: _Header | None) -> str:
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
        return self.header.titles[index] if index is not None else BY_KEY[key].label

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
        kind = KIND_WORDS.get(fold(kind_text))
        if not kind_text:
            refuse("kind", f"Le type est vide : choisissez parmi {KINDS_LIST}.")
        elif kind is None:
            refuse("kind", f"Type « {kind_text} » inconnu : choisissez parmi {KINDS_LIST}.")

        status_text = _text(self._cell(values, "status"))
        status = STATUS_FOLDED.get(fold(status_text)) if status_text else ActorStatus.MEMBER
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
        consent_text = fold(_text(consent_value))
        consent = consent_text in YES_FOLDED
        if consent_text and not consent and consent_text not in NO_FOLDED:
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


def _preview(name: str, sheets: list[Sheet], existing_names: Collection[str], limits: Limits) -> ImportPreview:
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
        if total > limits.rows:
            limit = thousands(limits.rows)
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


def read_actor_table(filename: str, content: bytes, existing_names: Collection[str] = (),
                     limits: Limits = LIMITS) -> ImportPreview:
    """A preview of the actors in a CSV, ODS or XLSX file; `existing_names` are the territory's actors already.

    Every reader counts what the file declares (sheets, rows, repeats, cells, expanded text, inflated sizes)
    against `limits` before keeping it, and refuses the file past one of them with a French message.
    """
    name = PurePath(filename or "").name or "sans nom"
    readers = {"csv": csv_sheets, "xlsx": xlsx_sheets, "ods": ods_sheets}
    try:
        kind = _format(name, content, limits)
        try:
            budget = Budget(name, limits)
            return _preview(name, readers[kind](name, content, limits, budget), existing_names, limits)
        except FileRefused:
            raise
        except Exception as e:  # a damaged file may fail anywhere inside the zip and XML readers
            label = {"xlsx": "XLSX", "ods": "ODS", "csv": "CSV"}[kind]
            raise FileRefused(f"Le fichier « {name} » n'a pas pu être lu comme tableur {label} : il est peut-être "
                              "endommagé. Enregistrez-le de nouveau depuis votre tableur puis réessayez.") from e
    except FileRefused as e:
        return ImportPreview(file_error=str(e))
