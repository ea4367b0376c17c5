"""End to end: a full extension cohort (three requests, the cohort, an interview, an extension workshop on a
phone, a working group joined with the pilot's consent), and a co-facilitator who runs a workshop but may not
manage roles."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import log_in
from playwright.sync_api import Browser, expect
from prepared import actions_open_for_the_vote, lead_session

from atelier.launch import RunningServer, start_demo

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


def prepare(db_path: Path) -> int:
    """A territory whose workshop 2 selected a medium-term action, followed by a working group."""
    prepared = actions_open_for_the_vote(db_path, ["Légumerie intercommunale"])
    service, vote, action = prepared.service, prepared.vote, prepared.actions[0]
    for n, (org, engagement) in enumerate([("Les Jardins des Sources", "pilote"), ("Collège", "contributeur")]):
        service.rate(vote.id, service.join(vote.code, f"v{n}", f"V{n}", org).id, action.id, 5, 2, "long", engagement)
    service.selection(lead_session(service)).select(vote.id, action.id)
    service.groups(lead_session(service)).create(action.id, "Ouvrir une légumerie en 2027")
    prepared.close()
    return prepared.territory_id


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[RunningServer, int]]:
    territory_id = prepare(tmp_path / "atelier.sqlite")
    running = start_demo(tmp_path)
    yield running, territory_id
    running.stop()


def test_a_full_extension_cohort(server: tuple[RunningServer, int], browser: Browser, artifacts: Path) -> None:
    running, territory_id = server
    base = running.base_url
    console = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    log_in(console, base, running.secret)
    console.goto(f"{base}/animation/territoire/{territory_id}/extension")
    form_url = re.search(r"https?://\S+", console.get_by_test_id("public-form-link").text_content()).group(0)

    # Three organisations ask to join through the public form.
    visitor = browser.new_context(**PHONE).new_page()
    for n, organisation in enumerate(["Menuiserie du Lac", "Ferme des Quatre Vents", "Café de la Place"]):
        visitor.goto(form_url.replace(form_url.split("/reseau/")[0], base))
        visitor.get_by_test_id("jr-organisation").fill(organisation)
        visitor.get_by_test_id("jr-contact").fill(f"Contact {n}")
        visitor.get_by_test_id("jr-email").fill(f"contact{n}@nouveau.example")
        visitor.get_by_test_id("join-request-send").click()
        expect(visitor.get_by_test_id("status")).to_have_text("Demande reçue, merci ! L’animation vous recontactera.")
    # The same e-mail twice gets the same answer (the form must not tell who is in the network): nothing is added.
    visitor.goto(form_url.replace(form_url.split("/reseau/")[0], base))
    visitor.get_by_test_id("jr-organisation").fill("Menuiserie du Lac")
    visitor.get_by_test_id("jr-contact").fill("Contact 0")
    visitor.get_by_test_id("jr-email").fill("contact0@nouveau.example")
    visitor.get_by_test_id("join-request-send").click()
    expect(visitor.get_by_test_id("status")).to_have_text("Demande reçue, merci ! L’animation vous recontactera.")

    # The threshold (3) is reached: the console proposes the cohort.
    console.reload()
    expect(console.get_by_test_id("waiting-count")).to_have_text("3 candidat(s) en attente (seuil : 3)")
    console.get_by_test_id("start-cohort").click()
    expect(console.get_by_test_id("waiting-count")).to_have_text("0 candidat(s) en attente (seuil : 3)")
    cohort = console.locator("[data-testid^=cohort-]").first
    expect(cohort).to_contain_text("3 nouveaux acteurs")

    # One newcomer is interviewed.
    cohort.get_by_role("link", name="Entretien : Menuiserie du Lac").click()
    console.get_by_test_id("interviewer").fill("Claire Martin")
    console.get_by_test_id("add-capacity").click()
    console.get_by_test_id("capacity-description-0").fill("Chutes de bois et sciure de la menuiserie")
    expect(console.get_by_test_id("save-status")).to_contain_text("Enregistré à")

    # The extension workshop: the newcomer proposes an idea, then asks to join the working group.
    console.goto(f"{base}/animation/territoire/{territory_id}/extension")
    expect(console.locator("[data-testid^=cohort-leads-]").first).to_have_text(re.compile(r"^[1-9]\d* piste"))
    console.locator("[data-testid^=cohort-workshop-]").first.click()
    code = re.search(r"— ([A-Z0-9]{5})$", console.locator("text=/Atelier d’extension .* — [A-Z0-9]{5}$/")
                     .first.text_content()).group(1)
    phone = browser.new_context(**PHONE).new_page()
    phone.goto(f"{base}/j/{code}")
    phone.get_by_test_id("name").fill("Paul")
    phone.get_by_test_id("organisation").fill("Menuiserie du Lac")
    phone.get_by_test_id("join").click()
    expect(phone.get_by_test_id("hello")).to_have_text("Bonjour Paul (Menuiserie du Lac)")
    for _ in range(2):
        console.get_by_test_id("next-phase").click()
    expect(console.get_by_test_id("phase")).to_contain_text("Idées")
    phone.get_by_test_id("idea-title").fill("Un atelier bois partagé pour les artisans")
    phone.get_by_test_id("send").click()
    expect(phone.get_by_test_id("status")).to_contain_text("Idée reçue")
    console.get_by_test_id("next-phase").click()
    expect(console.get_by_test_id("phase")).to_contain_text("Groupes de travail")
    group = phone.locator("[data-testid^=phone-group-]", has_text="Légumerie intercommunale")
    group.get_by_role("button", name="Demander à rejoindre").click()
    expect(group).to_contain_text("Demande envoyée au pilote.")
    phone.screenshot(path=artifacts / "phone-extension-groups.png", full_page=True)

    # The pilot accepts through their own link.
    console.goto(f"{base}/animation/territoire/{territory_id}/groupes")
    console.locator("[data-testid^=group-link-]").first.click()
    pilot_url = re.search(r"https?://\S+", console.get_by_test_id("pilot-link").text_content()).group(0)
    pilot = browser.new_context(**PHONE).new_page()
    pilot.goto(pilot_url.replace(pilot_url.split("/groupe/")[0], base))
    request = pilot.locator("[data-testid^=request-]", has_text="Menuiserie du Lac")
    request.get_by_role("button", name="Accepter").click()
    expect(pilot.locator("[data-testid^=request-]", has_text="Menuiserie du Lac")).to_contain_text("acceptée")
    console.reload()
    expect(console.get_by_text(re.compile(r"Membres : .*Menuiserie du Lac \(membre\)"))).to_be_visible()


def test_co_facilitator_runs_a_workshop_but_not_the_roles(server: tuple[RunningServer, int],
                                                          browser: Browser) -> None:
    running, _ = server
    base = running.base_url
    lead = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    log_in(lead, base, running.secret)
    lead.get_by_test_id("roles-link").click()
    lead.get_by_test_id("co-name").fill("Hélène Dumas")
    lead.get_by_test_id("co-add").click()
    expect(lead.get_by_test_id("co-secret")).to_contain_text("Code de Hélène Dumas")
    code = lead.get_by_test_id("co-secret").text_content().rsplit(" ", 1)[-1]

    co = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    log_in(co, base, code)
    expect(co.get_by_test_id("me")).to_have_text("Connecté·e : Hélène Dumas (co-animation)")
    expect(co.get_by_test_id("roles-link")).to_have_count(0)
    co.get_by_role("link", name=re.compile("Atelier 1")).first.click()
    co.get_by_test_id("next-phase").click()  # runs the workshop alone
    expect(co.get_by_test_id("phase")).to_contain_text("Phase 3/4 : Regroupement")
    co.goto(f"{base}/animation/roles")
    expect(co.get_by_test_id("refused")).to_have_text(
        "Réservé à l’animation principale : la gestion des rôles ne vous est pas ouverte.")
    expect(co.get_by_test_id("co-add")).to_have_count(0)
