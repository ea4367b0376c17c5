"""Hostile uploads: spreadsheets that declare huge things are refused in French before anything is allocated for
them, and the server refuses an upload body past its limit however the browser was bypassed.

The files are made by the test (atelier.bench.hostile, small variants); memory and time are measured by
`python -m atelier.bench.hostile` against a running server, never asserted here.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from atelier.bench.hostile import Hostile, corpus, measure, upload_page
from atelier.imports.actors_table import read_actor_table
from atelier.imports.limits import MAX_UPLOAD_BYTES
from atelier.launch import RunningServer, start_demo

CORPUS = {h.filename: h for h in corpus(small=True)}


@pytest.mark.parametrize("filename", list(CORPUS))
def test_a_hostile_spreadsheet_is_refused_with_a_french_message(filename: str) -> None:
    hostile: Hostile = CORPUS[filename]
    preview = read_actor_table(filename, hostile.make())
    assert preview.file_error is not None and hostile.says in preview.file_error and filename in preview.file_error


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_demo(tmp_path_factory.mktemp("upload"))
    yield running
    running.stop()


async def _post(server: RunningServer, content: bytes | None = None, chunks: AsyncIterator[bytes] | None = None
                ) -> httpx.Response:
    page, url = await upload_page(server.base_url, server.secret)
    try:
        async with httpx.AsyncClient(cookies=page.cookies, timeout=60) as http:
            if chunks is not None:  # no Content-Length: the server has to count
                return await http.post(url, content=chunks,
                                       headers={"content-type": "multipart/form-data; boundary=b"})
            return await http.post(url, files={"file": ("gros.csv", content or b"")})
    finally:
        await page.close()


def test_a_48_MB_post_to_the_upload_route_is_refused(server: RunningServer) -> None:
    response = asyncio.run(_post(server, b"Nom;Type\r\n" + b"x" * 48_000_000))
    assert (response.status_code, response.text) == (413, "Fichier trop volumineux : 20 Mo au plus.")


def test_a_chunked_upload_is_cut_at_the_limit(server: RunningServer) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"gros.csv\"\r\n\r\n"
        for _ in range(MAX_UPLOAD_BYTES // 1_000_000 + 5):
            yield b"x" * 1_000_000

    assert asyncio.run(_post(server, chunks=chunks())).status_code == 413


def test_an_upload_under_the_limit_reaches_the_preview(server: RunningServer) -> None:
    """The limit leaves the real path alone: a small hostile file gets its French message on the page."""
    content = CORPUS["bombe.ods"].make()
    _, results = asyncio.run(measure(server.base_url, server.secret, server.pid, [("bombe", "bombe.ods", content)],
                                     settle=0.1))
    assert results[0].status == 200 and "plus de 20\u202f000 lignes d'acteurs" in results[0].shown


def test_other_requests_carry_no_large_body(server: RunningServer) -> None:
    response = httpx.post(f"{server.base_url}/rejoindre", content=b"x" * 2_000_000)
    assert response.status_code == 413

