"""How much a spreadsheet may hold, counted while it is read and before anything is allocated for it.

A 3 KB ODS can declare 300 sheets of a million repeated rows, or a cell of 1.5 billion spaces; a 20 MB XLSX can
inflate to gigabytes. Every reader charges a file's one Budget as it goes, and stops at the first limit with a
French message saying which, so a hostile file costs the server a few megabytes, never gigabytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

Value = str | int | float | bool | date | datetime | time | timedelta | None
Row = tuple[int, Sequence[Value]]  # (row number as the spreadsheet shows it, cells)
Sheet = Callable[[], Iterator[Row]]


# What a facilitator may upload (an actor list): the browser refuses more, and so does the server (body_limit).
MAX_UPLOAD_BYTES = 20_000_000


class FileRefused(Exception):
    """The whole file is unusable; the message is French and says what to do."""


def not_a_spreadsheet(filename: str, hint: str = "") -> FileRefused:
    return FileRefused(f"Le fichier « {filename} » n'est pas un tableur (CSV, ODS ou XLSX).{hint}")


@dataclass(frozen=True)
class Limits:
    # Far above any territory network (a few hundred actors), low enough that a stray export of a whole
    # company register cannot hold the server for minutes.
    rows: int = 20_000  # rows with something in them, all sheets together (each becomes a checked actor)
    sheets: int = 64
    columns: int = 256  # cells read per row (an actor list has ~15): ODS may "repeat" a cell to column 16384
    cell_chars: int = 65_536  # one cell's text, expanded (<text:s text:c="…"/> included); Excel stops at 32,767
    text_chars: int = 30_000_000  # all cells' text together
    cells: int = 3_000_000  # cells kept in memory, all rows together
    scanned_rows: int = 2_000_000  # rows walked through, blank ones included (an XLSX may skip to row 1,048,576)
    zip_members: int = 1_000  # an ODS or XLSX holds a few dozen files
    zip_directory_bytes: int = 1_000_000
    unzipped_member_bytes: int = 64 * 1024 * 1024  # one sheet's XML, once inflated
    unzipped_bytes: int = 200 * 1024 * 1024  # every file of the archive, once inflated
    shared_strings_bytes: int = 32 * 1024 * 1024  # XLSX strings are all loaded at once: kept smaller
    header_scan_rows: int = 20  # rows scanned for the header: offices often put a title and a blank line above it
    line_chars: int = 1_000_000  # one CSV line: a row of actors is a few hundred characters


LIMITS = Limits()


def thousands(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")  # French thousands separator


class Budget:
    """What one file has cost so far; each charge refuses the file once a limit is passed."""

    def __init__(self, name: str, limits: Limits) -> None:
        self.name, self.limits = name, limits
        self.sheets = self.rows = self.cells = self.chars = self.scanned = 0

    def refuse(self, what: str) -> FileRefused:
        return FileRefused(f"Le fichier « {self.name} » {what} : ce n'est pas une liste d'acteurs qu'atelier peut "
                           "lire. Découpez-le ou enregistrez seulement la feuille des acteurs, puis réessayez.")

    def sheet(self) -> None:
        self.sheets += 1
        if self.sheets > self.limits.sheets:
            raise self.refuse(f"compte plus de {self.limits.sheets} feuilles")

    def scan(self, rows: int) -> None:
        self.scanned += rows
        if self.scanned > self.limits.scanned_rows:
            raise self.refuse(f"compte plus de {thousands(self.limits.scanned_rows)} lignes, vides comprises")

    def row(self, cells: int, repeat: int = 1) -> None:
        """A row of `cells` cells kept `repeat` times: charged before the copies are made."""
        self.rows += repeat
        self.cells += cells * repeat
        if self.rows > self.limits.rows + self.limits.header_scan_rows:
            raise self.refuse(f"compte plus de {thousands(self.limits.rows)} lignes d'acteurs")
        if self.cells > self.limits.cells:
            raise self.refuse(f"compte plus de {thousands(self.limits.cells)} cellules remplies")

    def text(self, chars: int, cell_chars: int, row: int) -> None:
        """`chars` more characters in a cell that now holds `cell_chars`."""
        if cell_chars > self.limits.cell_chars:
            raise self.refuse(f"a, ligne {row}, une cellule de plus de {thousands(self.limits.cell_chars)} "
                              "caractères")
        self.chars += chars
        if self.chars > self.limits.text_chars:
            raise self.refuse(f"contient plus de {thousands(self.limits.text_chars)} caractères de texte")
