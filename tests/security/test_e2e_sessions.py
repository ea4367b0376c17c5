"""End to end (issue 11, point 1): an open page keeps no power its session lost.

A co-facilitator's tabs stay open while the lead revokes them from another browser: exporting the actors CSV,
archiving an actor, editing an interview and adding a SWOT item are each refused, in French, and the tab lands
on the login page. After `atelier secret --reset` (another process on the same database), an already open Roles
tab cannot create a co-facilitator code.
"""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import log_in
from playwright.sync_api import Browser, Page, expect

from atelier.launch import RunningServer, start_demo

ENDED = "Votre session d’animation a pris fin"
WIDE = {"width": 1400, "height": 900}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_demo(tmp_path_factory.mktemp("sessions"))
    yield running
    running.stop()


def _query(server: RunningServer, sql: str) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(server.db_path)) as conn:
        return conn.execute(sql).fetchall()


def _lands_on_login(page: Page) -> None:
    page.wait_for_url("**/connexion?motif=fin")
    expect(page.get_by_test_id("status")).to_contain_text(ENDED)


def _co_facilitator(lead: Page, base: str, name: str) -> str:
    lead.goto(f"{base}/animation/roles")
    lead.get_by_test_id("co-name").fill(name)
    lead.get_by_test_id("co-add").click()
    expect(lead.get_by_test_id("co-secret")).to_contain_text(f"Code de {name}")
    return lead.get_by_test_id("co-secret").text_content().rsplit(" ", 1)[-1]


def test_a_revoked_co_facilitators_open_tabs_stop_at_their_next_action(server: RunningServer, browser: Browser,
                                                                        artifacts: Path) -> None:
    base = server.base_url
    lead = browser.new_context(viewport=WIDE).new_page()
    log_in(lead, base, server.secret)
    code = _co_facilitator(lead, base, "Hélène Dumas")

    co = browser.new_context(viewport=WIDE, accept_downloads=True)
    first = co.new_page()
    log_in(first, base, code)
    territory_id, actor_id = _query(server, "SELECT territory_id, id FROM actors ORDER BY id LIMIT 1")[0]
    tabs = {}
    for name, path in [("export", f"/animation/territoire/{territory_id}/acteurs"),
                       ("archive", f"/animation/territoire/{territory_id}/acteurs"),
                       ("interview", f"/animation/acteur/{actor_id}"),
                       ("swot", f"/animation/territoire/{territory_id}/ffom")]:
        tab = co.new_page()
        tab.goto(base + path)
        tabs[name] = tab
    expect(tabs["interview"].get_by_test_id("notes")).to_be_visible()
    expect(tabs["swot"].get_by_test_id("swot-add")).to_be_visible()
    downloads: list[object] = []
    tabs["export"].on("download", lambda d: downloads.append(d))
    notes_before = _query(server, f"SELECT data, version FROM interviews WHERE actor_id = {actor_id}")

    lead.get_by_role("button", name="Retirer l’accès").click()  # from the lead's own browser
    expect(lead.get_by_text("Hélène Dumas — co-animation (retiré·e)")).to_be_visible()

    tabs["export"].get_by_role("button", name="CSV", exact=True).click()
    _lands_on_login(tabs["export"])
    tabs["archive"].get_by_role("button", name="Archiver").first.click()
    _lands_on_login(tabs["archive"])
    tabs["interview"].get_by_test_id("notes").fill("Écrit après le retrait de l’accès")
    _lands_on_login(tabs["interview"])
    tabs["swot"].get_by_test_id("swot-text").fill("Ajouté après le retrait de l’accès")
    tabs["swot"].get_by_test_id("swot-add").click()
    _lands_on_login(tabs["swot"])
    tabs["swot"].screenshot(path=artifacts / "session-ended-login.png")

    assert downloads == []  # no contacts left the server
    assert _query(server, "SELECT COUNT(*) FROM actors WHERE archived = 1") == [(0,)]
    assert _query(server, f"SELECT data, version FROM interviews WHERE actor_id = {actor_id}") == notes_before
    assert _query(server, "SELECT COUNT(*) FROM swot_items WHERE text LIKE '%retrait%'") == [(0,)]
    first.goto(f"{base}/animation")  # and no page of theirs opens again
    first.wait_for_url("**/connexion")
    co.close()


def test_after_a_secret_reset_an_open_roles_tab_cannot_create_a_code(server: RunningServer,
                                                                      browser: Browser) -> None:
    base = server.base_url
    lead = browser.new_context(viewport=WIDE).new_page()
    log_in(lead, base, server.secret)
    lead.goto(f"{base}/animation/roles")
    expect(lead.get_by_test_id("co-add")).to_be_visible()
    before = _query(server, "SELECT COUNT(*) FROM facilitators")

    reset = subprocess.run([sys.executable, "-m", "atelier.cli", "secret", "--reset", "--db", str(server.db_path)],
                           capture_output=True, text=True, timeout=60, check=True)
    assert "Nouveau code d’animation" in reset.stdout

    lead.get_by_test_id("co-name").fill("Après la remise à zéro")
    lead.get_by_test_id("co-add").click()
    _lands_on_login(lead)
    assert _query(server, "SELECT COUNT(*) FROM facilitators") == before
    new_code = reset.stdout.split(" : ")[1].split()[0]
    log_in(lead, base, new_code)  # the new code works at once, on the running server
    expect(lead.get_by_test_id("me")).to_contain_text("Animation principale")
