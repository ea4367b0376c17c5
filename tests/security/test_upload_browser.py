"""End to end: a spreadsheet bomb chosen in the browser gets its French refusal on the actors page, and the page
stays usable (a good file chosen next is previewed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import log_in, open_section
from playwright.sync_api import Browser, expect

from atelier.bench.hostile import ods_sheets_of_repeated_rows
from atelier.launch import RunningServer, start_demo


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    running = start_demo(tmp_path)
    yield running
    running.stop()


def test_a_spreadsheet_bomb_is_refused_on_the_page(server: RunningServer, browser: Browser, tmp_path: Path,
                                                   artifacts: Path) -> None:
    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    log_in(page, server.base_url, server.secret)
    page.get_by_role("link", name="Acteurs").first.click()
    open_section(page, "Importer des acteurs")
    bomb = tmp_path / "bombe.ods"
    bomb.write_bytes(ods_sheets_of_repeated_rows())  # 1 KB declaring 300 sheets of a million rows
    page.locator("input[type=file]").set_input_files(bomb)
    preview = page.get_by_test_id("import-preview")
    expect(preview).to_contain_text("Le fichier « bombe.ods » compte plus de 20\u202f000 lignes d'acteurs")
    page.screenshot(path=artifacts / "security-upload-bomb-1280x720.png")
    good = tmp_path / "acteurs.csv"
    good.write_bytes(b"Nom;Type\nCave de Sigogne;Entreprise\n")
    page.locator("input[type=file]").set_input_files(good)
    expect(preview).to_contain_text("1 lignes lues : 1 acteurs prêts, 0 erreur(s).")
