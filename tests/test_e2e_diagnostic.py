"""End to end: an interview typed in the browser survives a killed server; the leads and network pages show."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import log_in, open_section
from playwright.sync_api import Browser, expect

from atelier.launch import RunningServer, start_demo


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    running = start_demo(tmp_path)
    yield running
    running.stop()


def test_interview_typed_in_the_browser_survives_a_kill(server: RunningServer, browser: Browser,
                                                        artifacts: Path) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    log_in(page, server.base_url, server.secret)
    page.get_by_role("link", name="Acteurs").first.click()
    page.get_by_test_id("add-actor").click()
    page.get_by_test_id("actor-name").fill("Fromagerie des Combes")
    page.get_by_test_id("save-actor").click()
    page.get_by_test_id("actor-fromagerie-des-combes").click()

    page.get_by_test_id("interviewer").fill("Claire Martin")
    page.get_by_test_id("problems").fill("Coût de l’énergie en hausse\nPetit-lait à évacuer")
    page.get_by_test_id("add-need").click()
    page.get_by_test_id("need-description-0").fill("Chauffer l’eau de la fromagerie : 12 000 € par an")
    page.get_by_test_id("add-capacity").click()
    page.get_by_test_id("capacity-description-0").fill("Petit-lait pour l’alimentation des porcs")
    page.get_by_test_id("notes").fill("Très motivée ; « prête à piloter »")
    expect(page.get_by_test_id("save-status")).to_contain_text("Enregistré à")
    url = page.url
    page.screenshot(path=artifacts / "interview-sheet.png", full_page=True)

    server.kill()  # nothing was "submitted": what was typed must already be stored
    page.close()  # (a tab left open would reload itself when the server is back, racing the navigation below)
    server.start()
    page = context.new_page()
    log_in(page, server.base_url, server.secret)  # the demo prints a new code at each start
    page.goto(url)
    expect(page.get_by_test_id("interviewer")).to_have_value("Claire Martin")
    expect(page.get_by_test_id("problems")).to_have_value("Coût de l’énergie en hausse\nPetit-lait à évacuer")
    expect(page.get_by_test_id("need-description-0")).to_have_value("Chauffer l’eau de la fromagerie : 12 000 € par an")
    expect(page.get_by_test_id("capacity-description-0")).to_have_value("Petit-lait pour l’alimentation des porcs")
    expect(page.get_by_test_id("notes")).to_have_value("Très motivée ; « prête à piloter »")


def test_actors_imported_from_a_spreadsheet_after_a_preview(server: RunningServer, browser: Browser,
                                                            tmp_path: Path) -> None:
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    log_in(page, server.base_url, server.secret)
    page.get_by_role("link", name="Acteurs").first.click()
    open_section(page, "Importer des acteurs")
    bad = tmp_path / "acteurs.csv"
    bad.write_bytes("Nom;Type;E-mail\nCave de Sigogne;Entreprise;cave@sigogne.example\n;Commerce;\n"
                    "Gîte Œnologique;Fusée;\n".encode("cp1252"))
    page.locator("input[type=file]").set_input_files(bad)
    preview = page.get_by_test_id("import-preview")
    expect(preview).to_contain_text("3 lignes lues : 1 acteurs prêts, 2 erreur(s).")
    expect(preview).to_contain_text("Ligne 3")
    expect(preview).to_contain_text("Ligne 4")
    expect(page.get_by_test_id("confirm-import")).to_have_count(0)  # nothing imports while errors remain

    good = tmp_path / "acteurs-corrige.csv"
    good.write_bytes("Nom;Type;E-mail\nCave de Sigogne;Entreprise;cave@sigogne.example\n"
                     "Gîte Œnologique;Commerce;\n".encode("cp1252"))
    page.locator("input[type=file]").set_input_files(good)
    expect(preview).to_contain_text("2 lignes lues : 2 acteurs prêts, 0 erreur(s).")
    page.get_by_test_id("confirm-import").click()
    expect(page.get_by_test_id("actor-gite-oenologique")).to_have_text("Gîte Œnologique")
    expect(page.get_by_test_id("actor-cave-de-sigogne")).to_be_visible()


def test_leads_page_and_projected_network(server: RunningServer, browser: Browser, artifacts: Path) -> None:
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    log_in(page, server.base_url, server.secret)
    page.get_by_role("link", name="Pistes de synergie").first.click()
    leads = page.get_by_test_id("lead")
    expect(leads.first).to_be_visible(timeout=30_000)  # detection runs in a worker; a busy test machine is slow
    assert leads.count() >= 5
    expect(page.get_by_test_id("leads")).to_contain_text("Substitution")
    expect(page.get_by_test_id("leads")).to_contain_text("Mutualisation")
    # each lead says what on both sides, how strong and why (every piece of evidence, knowledge with its source)
    expect(page.get_by_test_id("lead-title").filter(has_text=" → ").first).to_be_visible()
    expect(leads.first.get_by_test_id("lead-strength")).to_contain_text("Force forte : ")
    expect(leads.first.get_by_test_id("lead-why")).to_contain_text("Pourquoi :")
    expect(page.get_by_test_id("leads")).to_contain_text("connaissance : ")
    expect(page.get_by_test_id("leads")).to_contain_text("[LER ")
    page.screenshot(path=artifacts / "leads.png")

    first_text = leads.first.inner_text()
    leads.first.get_by_role("button", name="Écarter").click()
    page.get_by_test_id("dismiss-confirm").click()
    expect(page.get_by_text("Indiquez pourquoi vous écartez cette piste.")).to_be_visible()
    page.get_by_test_id("dismiss-reason").fill("Ils travaillent déjà ensemble")
    page.get_by_test_id("dismiss-confirm").click()
    expect(page.get_by_text("écartée : Ils travaillent déjà ensemble", exact=True)).to_be_visible(timeout=30_000)
    page.reload()  # the decision is stored, on the lead that was dismissed
    dismissed = leads.filter(has_text="écartée : Ils travaillent déjà ensemble")
    expect(dismissed).to_have_count(1)
    first_entry = next(line for line in first_text.splitlines() if " — " in line)  # "Actor — Besoin : …"
    expect(dismissed).to_contain_text(first_entry)
    # the decision became a rule of this territory, shown with its undo; undoing restores the lead
    rule = page.get_by_test_id("learned-rule")
    expect(rule).to_have_count(1)
    expect(rule).to_contain_text("ne plus proposer : ")
    expect(rule).to_contain_text("(motif : Ils travaillent déjà ensemble)")
    page.screenshot(path=artifacts / "leads-learned.png", full_page=False)
    rule.get_by_role("button", name="Annuler").click()
    expect(page.get_by_test_id("learned-rule")).to_have_count(0)
    expect(leads.filter(has_text="écartée : Ils travaillent déjà ensemble")).to_have_count(0)

    # the same leads in English: strength, reasons and knowledge entries in the page's language
    page.goto(page.url.split("?")[0] + "?lang=en")
    expect(leads.first).to_be_visible(timeout=30_000)
    expect(leads.first.get_by_test_id("lead-strength")).to_contain_text(
        "Strength strong: the knowledge base links what is offered to what is sought")
    expect(page.get_by_test_id("leads")).to_contain_text("knowledge: ")
    expect(page.get_by_test_id("leads")).to_contain_text("Pooling")
    expect(page.get_by_test_id("leads")).not_to_contain_text("connaissance : ")
    page.screenshot(path=artifacts / "leads-en.png")

    board = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    board.goto(f"{server.base_url}/tableau/{server.join_code}/reseau")
    expect(board.locator("canvas").first).to_be_visible()
    node_names = board.evaluate("""() => getElement(document.querySelector('canvas').closest('[id^="c"]'))
        .chart.getOption().series[0].data.map(node => node.name)""")
    assert "Scierie Dumas" in node_names  # consented: named on the projector
    assert "Garage Besson" not in node_names and "EHPAD Les Tilleuls" not in node_names  # did not consent
    assert any(name.startswith("Acteur ") for name in node_names)  # shown, without a name
    board.wait_for_timeout(1500)  # the force layout settles before the screenshot
    board.screenshot(path=artifacts / "network-1920x1080.png")
