"""Hostile spreadsheets, made on the fly (small files that declare huge things), and their bench against a server.

`python -m atelier.bench.hostile` starts a demo server, logs in as its facilitator, opens the actors page and
uploads each file through the page's own upload route, as a browser would; it prints, per file, the answer, the
message the page showed and the server's resident memory above its resting level (psutil, sampled every 10 ms).
tests/security/test_upload_hostile.py keeps the same corpus, smaller, as tests that assert refusal and message.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import struct
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

from atelier.bench.phone_sim import SimulatedPage

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_ODS_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?>'
             b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
             b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
             b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
             b"<office:body><office:spreadsheet>")
_ODS_TAIL = b"</office:spreadsheet></office:body></office:document-content>"


def _cell(text: str, attributes: str = "") -> bytes:
    return f'<table:table-cell office:value-type="string"{attributes}><text:p>{text}</text:p></table:table-cell>' \
        .encode()


_HEADER_ROW = b"<table:table-row>" + _cell("Nom") + _cell("Type") + b"</table:table-row>"


def _zip(members: dict[str, bytes], level: int = 9) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in members.items():
            archive.writestr(name, data, zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _ods(body: bytes) -> bytes:
    return _zip({"mimetype": ODS_MIMETYPE, "content.xml": _ODS_HEAD + body + _ODS_TAIL})


def ods_sheets_of_repeated_rows(sheets: int = 300, repeat: int = 1_000_000) -> bytes:
    """Issue 11's file: 3 KB declaring 300 sheets of a million rows each (a cap per sheet let 6 GB through)."""
    row = f'<table:table-row table:number-rows-repeated="{repeat}">'.encode() + _cell("Scierie") + _cell(
        "Entreprise") + b"</table:table-row>"
    table = b'<table:table table:name="F">' + _HEADER_ROW + row + b"</table:table>"
    return _ods(table * sheets)


def ods_expanded_spaces(count: int = 1_500_000_000) -> bytes:
    """One cell of `<text:s text:c="1500000000"/>`: 1.5 billion spaces once expanded (3 GB seen before)."""
    cell = f'<table:table-cell office:value-type="string"><text:p>a<text:s text:c="{count}"/>b</text:p>' \
           "</table:table-cell>"
    return _ods(b'<table:table table:name="F">' + _HEADER_ROW + b"<table:table-row>" + _cell("Scierie")
                + cell.encode() + b"</table:table-row></table:table>")


def ods_repeated_columns(columns: int = 1_000_000_000, rows: int = 1_000_000) -> bytes:
    """A filled cell repeated across a billion columns, in a row repeated a million times."""
    row = f'<table:table-row table:number-rows-repeated="{rows}">'.encode() + _cell(
        "x", f' table:number-columns-repeated="{columns}"') + b"</table:table-row>"
    return _ods(b'<table:table table:name="F">' + _HEADER_ROW + row + b"</table:table>")


def ods_entity_expansion() -> bytes:
    """A billion-laughs DTD in content.xml."""
    dtd = b'<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">' + b"".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(9)) + b"]>"
    return _zip({"mimetype": ODS_MIMETYPE, "content.xml": b'<?xml version="1.0"?>' + dtd + b"<d>&j;</d>"})


def _xlsx_shell(sheet: bytes | None = None) -> dict[str, bytes]:
    return {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
            **({"xl/worksheets/sheet1.xml": sheet} if sheet is not None else {})}


def _zip_streamed(members: dict[str, bytes], name: str, size: int, fill: bytes = b" ") -> bytes:
    """A zip whose member `name` inflates to `size` bytes of `fill`, written without holding them."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
        chunk = fill * (1024 * 1024 // len(fill))
        with archive.open(name, "w", force_zip64=size > 2**31) as target:
            for _ in range(size // len(chunk)):
                target.write(chunk)
    return out.getvalue()


def xlsx_zip_bomb(megabytes: int = 1024) -> bytes:
    """An XLSX whose sheet inflates to a gigabyte (a few megabytes on the wire)."""
    return _zip_streamed(_xlsx_shell(), "xl/worksheets/sheet1.xml", megabytes * 1024 * 1024)


def xlsx_shared_strings_bomb(megabytes: int = 40) -> bytes:
    """Shared strings are loaded whole by openpyxl: millions of tiny strings."""
    return _zip_streamed(_xlsx_shell(), "xl/sharedStrings.xml", megabytes * 1024 * 1024,
                         fill=b"<si><t>a</t></si>")


def zip_lying_about_size(megabytes: int = 200) -> bytes:
    """A sheet of `megabytes` whose directory says 1 KB: zipfile stops at the declared size (then the CRC fails)."""
    content = bytearray(xlsx_zip_bomb(megabytes))
    declared = 1024
    at = 0
    while (at := content.find(b"PK\x01\x02", at)) >= 0:  # central directory entries
        name_length, = struct.unpack("<H", content[at + 28:at + 30])
        if content[at + 46:at + 46 + name_length] == b"xl/worksheets/sheet1.xml":
            content[at + 24:at + 28] = struct.pack("<I", declared)
            offset, = struct.unpack("<I", content[at + 42:at + 46])
            content[offset + 22:offset + 26] = struct.pack("<I", declared)  # its local header too
        at += 4
    return bytes(content)


def zip_of_many_members(members: int = 5_000) -> bytes:
    return _zip({**_xlsx_shell(), **{f"xl/media/{n}.bin": b"" for n in range(members)}}, level=1)


def mimetype_bomb(megabytes: int = 100) -> bytes:
    """The small "mimetype" member read to tell ODS apart, made to inflate to 100 MB."""
    return _zip_streamed({}, "mimetype", megabytes * 1024 * 1024, fill=b"a")


def xlsx_far_rows(sheets: int = 64) -> bytes:
    """Sheets whose only row is the last one Excel has: a reader walks a million blank rows per sheet."""
    sheet = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             b'<row r="1"><c r="A1" t="inlineStr"><is><t>Note</t></is></c></row>'
             b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>')
    from openpyxl import Workbook

    book = Workbook()
    for n in range(sheets - 1):
        book.create_sheet(f"F{n}")
    out = io.BytesIO()
    book.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    members = {info.filename: source.read(info.filename) for info in source.infolist()}
    for name in members:
        if name.startswith("xl/worksheets/sheet"):
            members[name] = sheet
    return _zip(members)


def csv_of_many_rows(rows: int = 900_000) -> bytes:
    """19 MB of short rows, under the upload limit: twenty thousand actors at most are read."""
    return b"Nom;Type\r\n" + b"".join(b"Acteur %d;Autre\r\n" % n for n in range(rows))


def csv_one_huge_cell(megabytes: int = 19) -> bytes:
    return b'Nom;Type\r\n"' + b"x" * (megabytes * 1_000_000) + b'";Autre\r\n'


@dataclass(frozen=True)
class Hostile:
    name: str
    filename: str
    make: Callable[[], bytes]
    says: str  # in the French message the facilitator sees


def corpus(small: bool = False) -> list[Hostile]:
    """The hostile files; `small` keeps the tests quick (same shapes, less to inflate or walk)."""
    bomb_mb = 100 if small else 1024
    return [
        Hostile("ODS 300 feuilles × 1 000 000 lignes répétées", "bombe.ods", ods_sheets_of_repeated_rows,
                "lignes d'acteurs"),
        Hostile("ODS text:c=1 500 000 000", "espaces.ods", ods_expanded_spaces, "une cellule de plus de"),
        Hostile("ODS cellule × 10^9 colonnes × 10^6 lignes", "colonnes.ods", ods_repeated_columns,
                "lignes d'acteurs"),
        Hostile("ODS entités en cascade (DTD)", "entites.ods", ods_entity_expansion, "endommagé"),
        Hostile(f"XLSX bombe zip ({bomb_mb} Mo décompressés)", "bombe.xlsx", lambda: xlsx_zip_bomb(bomb_mb),
                "trop volumineux une fois décompressé"),
        Hostile("XLSX chaînes partagées 40 Mo", "chaines.xlsx", xlsx_shared_strings_bomb,
                "trop volumineux une fois décompressé"),
        Hostile("XLSX taille déclarée mensongère", "menteur.xlsx",
                lambda: zip_lying_about_size(20 if small else 200), "endommagé"),
        Hostile("Zip de 5 000 fichiers", "fichiers.xlsx", zip_of_many_members, "est une archive de"),
        Hostile("« mimetype » de 100 Mo", "type.ods", lambda: mimetype_bomb(20 if small else 100),
                "trop volumineux une fois décompressé"),
        Hostile("XLSX 64 feuilles jusqu’à la ligne 1 048 576", "loin.xlsx", lambda: xlsx_far_rows(3 if small else 64),
                "vides comprises"),
        Hostile("CSV de 900 000 lignes (19 Mo)", "lignes.csv", lambda: csv_of_many_rows(25_000 if small else 900_000),
                "lignes d'acteurs"),
        Hostile("CSV d’une cellule de 19 Mo", "cellule.csv", lambda: csv_one_huge_cell(2 if small else 19),
                "a une ligne de plus de"),
    ]


# --- The bench: each file through a real server's upload route ---------------------------------------------------


class RssPeak:
    """The server's resident memory, sampled every 10 ms in a thread while a request runs."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def rss(self) -> int:
        return sum(p.memory_info().rss for p in [self.process, *self.process.children(recursive=True)])

    def __enter__(self) -> RssPeak:
        self.peak = self.rss()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, self.rss())

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        assert self._thread is not None
        self._thread.join()


@dataclass
class Measure:
    name: str
    size: int
    status: int
    seconds: float
    before_mb: float  # above rest when this file was sent: what earlier files left (freed memory is not all returned)
    peak_above_rest_mb: float
    page_max: float  # slowest answer of a page asked every 100 ms meanwhile (does the room still get its pages?)
    shown: str


async def upload_page(base_url: str, secret: str) -> tuple[SimulatedPage, str]:
    """The facilitator's actors page (a simulated browser) and its upload route."""
    # The code typed on the login page, as a facilitator does (a printed login link may be one-time).
    login = await SimulatedPage.open(base_url, "/connexion")
    await login.set_value("secret", secret)
    await login.click("login")
    await login.wait_for(lambda: login.opened, timeout=20)  # logged in: the page goes to the console
    cookies = httpx.Cookies(login.cookies)
    await login.close()
    page = await SimulatedPage.open(base_url, "/animation/territoire/1/acteurs", cookies=cookies)
    element = page.find("import-file")
    if element is None:
        raise RuntimeError("the actors page shows no upload (not logged in?)")
    return page, f"{base_url}/_nicegui/client/{page.client_id}/upload/{element}"


_LATENCIES: list[float] = []


async def _page_latencies(base_url: str) -> None:
    """Asks the phones' join page every 100 ms until cancelled, keeping each answer's time in _LATENCIES."""
    _LATENCIES.clear()
    async with httpx.AsyncClient(timeout=60) as http:
        while True:
            started = time.perf_counter()
            await http.get(f"{base_url}/rejoindre")
            _LATENCIES.append(time.perf_counter() - started)
            await asyncio.sleep(0.1)


async def measure(base_url: str, secret: str, pid: int, files: list[tuple[str, str, bytes]],
                  settle: float = 2.0) -> tuple[float, list[Measure]]:
    """Resting RSS, then each (name, filename, content) POSTed as ui.upload does, with the peak above rest."""
    page, url = await upload_page(base_url, secret)
    results = []
    try:
        await asyncio.sleep(settle)
        rest = RssPeak(pid).rss()
        async with httpx.AsyncClient(cookies=page.cookies, timeout=120) as http:
            for name, filename, content in files:
                before = page.texts()
                started = time.perf_counter()
                probe = asyncio.create_task(_page_latencies(base_url))
                with RssPeak(pid) as peak:
                    before_mb = (peak.peak - rest) / 2**20
                    try:
                        response = await http.post(url, files={"file": (filename, content)})
                        status, answer = response.status_code, response.text
                    except httpx.HTTPError as e:
                        status, answer = 0, f"connexion coupée ({type(e).__name__})"
                    if status == 200:  # the preview is computed in a worker after the answer: wait for it
                        await page.wait_for(lambda b=before: [t for t in page.texts() if t not in b], timeout=180)
                seconds = time.perf_counter() - started
                probe.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await probe
                shown = [t for t in page.texts() if t not in before]
                text = answer if status != 200 else " | ".join(shown)[:160]
                results.append(Measure(name, len(content), status, seconds, before_mb, (peak.peak - rest) / 2**20,
                                       max(_LATENCIES, default=0.0), text))
        return rest / 2**20, results
    finally:
        await page.close()


def main() -> int:
    from atelier.launch import start_demo

    print("Fabrication du corpus hostile…", flush=True)
    files = [(h.name, h.filename, h.make()) for h in corpus()]
    files.append(("POST de 48 Mo", "gros.csv", b"Nom;Type\r\n" + b"x" * 48_000_000))
    with tempfile.TemporaryDirectory(prefix="atelier-hostile-") as directory:
        server = start_demo(Path(directory))
        try:
            rest, results = asyncio.run(measure(server.base_url, server.secret, server.pid, files))
        finally:
            server.stop()
    print(f"\nServeur au repos : {rest:.0f} Mo RSS. Chaque fichier envoyé à la route d’envoi de la page acteurs.\n")
    print("Mémoire : au-dessus du repos, avant l’envoi et au pic. Page : la plus lente des réponses de /rejoindre, "
          "demandée toutes les 100 ms pendant l’envoi.\n")
    print(f"{'fichier':48} {'taille':>9} {'HTTP':>4} {'durée':>7} {'avant':>9} {'pic':>9} {'page':>7}  message")
    for m in results:
        print(f"{m.name:48} {m.size / 1000:>7.0f} k {m.status:>4} {m.seconds:>6.2f}s {m.before_mb:>6.1f} Mo "
              f"{m.peak_above_rest_mb:>6.1f} Mo {m.page_max * 1000:>5.0f} ms  {m.shown}")
    worst = max(m.peak_above_rest_mb for m in results)
    print(f"\nPic le plus haut au-dessus du repos : {worst:.1f} Mo (objectif : moins de 200 Mo).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
