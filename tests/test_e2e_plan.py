"""End to end: the facilitator downloads the plan's PDF from the console; a participant opens the plan on a phone."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import log_in
from playwright.sync_api import Browser, expect
from prepared import actions_open_for_the_vote
from pypdf import PdfReader

from atelier.launch import RunningServer, start_demo

TITLES = ["Chaufferie à copeaux partagée", "Achat groupé d’emballages « bio »"]


def prepare(db_path: Path) -> tuple[int, str]:
    prepared = actions_open_for_the_vote(db_path, TITLES)
    service, vote, actions = prepared.service, prepared.vote, prepared.actions
    voter = service.join(vote.code, "voter", "Zoé", "Scierie Dumas")
    service.rate(vote.id, voter.id, actions[0].id, 4, 5, "court", "pilote")
    service.rate(vote.id, voter.id, actions[1].id, 2, 3, "moyen", "aucun")
    prepared.facilitation.move_phase(vote.id, 1)  # the vote closes: the fruit is selected
    prepared.close()
    return vote.id, vote.code


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[RunningServer, int, str]]:
    workshop_id, code = prepare(tmp_path / "atelier.sqlite")
    running = start_demo(tmp_path)
    yield running, workshop_id, code
    running.stop()


def test_plan_pdf_download_and_phone_view(server: tuple[RunningServer, int, str], browser: Browser,
                                          artifacts: Path) -> None:
    running, workshop_id, code = server
    console = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True).new_page()
    log_in(console, running.base_url, running.secret)
    console.goto(f"{running.base_url}/animation/atelier/{workshop_id}/plan")
    card = console.get_by_test_id("follow-up")
    expect(card).to_contain_text(TITLES[0])
    card.get_by_label("Prochaine étape").fill("Commander la chaudière")
    card.get_by_role("button", name="Enregistrer").click()
    expect(console.get_by_text("Indiquez qui prend en charge la prochaine étape.")).to_be_visible()
    card.get_by_label("Responsable").fill("Hélène Dumas")
    card.get_by_role("button", name="Enregistrer").click()
    expect(console.get_by_text("Enregistré.")).to_be_visible()

    with console.expect_download() as download_info:
        console.get_by_test_id("download-pdf").click()
    download = download_info.value
    assert download.suggested_filename.endswith(f"-{code}.pdf")
    content = Path(download.path()).read_bytes()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert TITLES[0] in text and "Commander la chaudière" in text and "Hélène Dumas" in text
    (artifacts / "plan.pdf").write_bytes(content)

    phone = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True).new_page()
    phone.goto(f"{running.base_url}/plan/{code}")
    expect(phone.get_by_text("Fruits à portée de main")).to_be_visible()
    expect(phone.get_by_text(TITLES[0])).to_be_visible()
    expect(phone.get_by_text("Retenue d’office : facile 5/5, impact 4/5, court terme, pilote : Scierie Dumas")
           ).to_be_visible()
    expect(phone.get_by_text(TITLES[1])).to_be_visible()  # not selected, listed with the others
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=artifacts / "plan-phone-360x740.png", full_page=True)
