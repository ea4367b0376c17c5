"""The rows of a CSV file as French offices write them: `;`, `,` or tab; UTF-8, UTF-16 or Windows-1252."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence

from atelier.imports.actor_columns import HEADER_WORDS, fold
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
        raise not_a_spreadsheet(name)
    else:
        body = content.removeprefix(codecs.BOM_UTF8)
        try:
            return _repair_double_utf8(body.decode("utf-8"))
        except UnicodeDecodeError:
            pass
        try:
            # Line by line: a file put together from a UTF-8 and a Windows-1252 export keeps both right.
            return "".join(_decode_line(line) for line in io.BytesIO(body))
        except UnicodeDecodeError:
            if _looks_binary(content):
                raise not_a_spreadsheet(name) from None
    raise FileRefused(f"Le fichier « {name} » n'a pas pu être lu : son encodage n'est ni UTF-8 ni Windows-1252, "
                     "et les lettres accentuées seraient perdues. Dans votre tableur, enregistrez-le au format "
                     "« CSV UTF-8 » (ou en XLSX ou ODS) puis réessayez.")


def _header_score(rows: Iterable[Sequence[Value]]) -> int:
    """How many recognised titles the best of these rows holds."""
    return max((len({HEADER_WORDS.get(fold(str(v or ""))) for v in row} - {None}) for row in rows), default=0)


def _lines(text: str, budget: Budget | None = None) -> Iterator[str]:
    """The lines of a text with their ends, one at a time (a list of them, or a StringIO, would copy it all)."""
    start, size = 0, len(text)
    while start < size:
        end = _LINE_END.search(text, start)
        stop = end.end() if end else size
        if budget is not None and stop - start > budget.limits.line_chars:
            raise budget.refuse(f"a une ligne de plus de {thousands(budget.limits.line_chars)} caractères")
        yield text[start:stop]
        start = stop


_LINE_END = re.compile(r"\r\n|\r|\n")


def _delimiter(text: str, scan_rows: int) -> str:
    """`;` (French Excel), `,` or tab: the one whose split of the first lines gives recognised titles, else most."""
    head = text[:65_536]  # the first lines are enough, and a file of one huge line is not copied for this
    sample = "".join(line for _, line in zip(range(scan_rows), _lines(head), strict=False))
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


def csv_sheets(name: str, content: bytes, limits: Limits = LIMITS, budget: Budget | None = None) -> list[Sheet]:
    """One sheet of rows; the text is decoded once and its lines read one at a time."""
    budget = budget or Budget(name, limits)
    text = _decode(name, content)
    if not text.strip():
        raise FileRefused(f"Le fichier « {name} » est vide.")
    if _looks_binary(text):
        raise not_a_spreadsheet(name)
    if re.match(r"\s*<", text):
        raise not_a_spreadsheet(name, " C'est une page web ou un fichier XML : ouvrez-le dans votre tableur "
                                       "puis enregistrez-le au format XLSX, ODS ou CSV.")
    hint = re.match(r"sep=(.)\r?\n", text[:10], flags=re.IGNORECASE)
    # Excel's own "sep=;" line: it names the separator and Excel hides it, so the header is row 1.
    delimiter = hint.group(1) if hint else _delimiter(text, limits.header_scan_rows)
    skip = 1 if hint else 0

    def rows() -> Iterator[Row]:
        lines = _lines(text, budget)
        for _ in range(skip):
            next(lines, None)
        reader = csv.reader(lines, delimiter=delimiter)
        number = 0
        try:
            for number, record in enumerate(reader, start=1):
                budget.scan(1)
                if any(record):
                    budget.row(len(record))
                    budget.text(sum(map(len, record)), max(map(len, record)), number)
                yield number, record[:limits.columns]
        except csv.Error as e:
            raise FileRefused(f"Le fichier « {name} » est mal formé vers la ligne {number + 1} : guillemet non "
                             "refermé ou cellule trop longue. Corrigez-le dans votre tableur puis réessayez.") from e

    return [rows]

