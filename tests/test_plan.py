"""The action plan as gathered from a real workshop: groups of actions, reasons, consent, every format renders."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from atelier.exports.formats import FORMATS, render
from atelier.exports.plan import build_plan
from atelier.imports.actors_table import ods_sheets
from atelier.rules import Refused
from atelier.service import Facilitation, Service
from tests.prepared import lead_session


@pytest.fixture
def voted(service: Service, facilitation: Facilitation) -> dict:
    tid = service.territories()[0]["id"]
    hidden_actor = next(a for _, a in service.store.actors(tid) if not a.public_consent)
    w1 = facilitation.move_phase(service.workshops()[0].id, 1)
    actions = []
    for n, title in enumerate(["Chaufferie à copeaux partagée", "Légumerie intercommunale", "Broyeur en commun"]):
        author = service.join(w1.code, f"author-{n}", f"Auteur {n}", hidden_actor.name if n == 0 else "Scierie Dumas")
        idea = service.submit_idea(w1.id, author.id, f"client-id-000{n}", title, "", "energie")
        actions.append(facilitation.promote(idea.id))
    w2 = facilitation.create_workshop(tid, "Atelier 2 — sélection", "selection")
    w2 = facilitation.move_phase(facilitation.move_phase(w2.id, 1).id, 1)
    zoe = service.join(w2.code, "z", "Zoé Martin", "Scierie Dumas")
    secret_person = service.join(w2.code, "h", "Henri Secret", hidden_actor.name)
    for p in (zoe, secret_person):
        service.rate(w2.id, p.id, actions[0].id, 4, 5, "court", "pilote" if p is zoe else "contributeur")
        service.rate(w2.id, p.id, actions[1].id, 5, 2, "long", "contributeur")
        service.rate(w2.id, p.id, actions[2].id, 2, 2, "moyen", "aucun")
    facilitation.move_phase(w2.id, 1)  # the vote closes: the fruit is selected
    selection = service.selection(lead_session(service))
    selection.select(w2.id, actions[1].id)
    selection.set_working_group(actions[1].id, True)
    selection.unselect(w2.id, actions[2].id, "Trop coûteux pour l’instant")
    selection.set_follow_up(actions[0].id, "Commander la chaudière", "Zoé Martin", "2027-02-01", "en-cours")
    group_id = service.groups(lead_session(service)).create(actions[1].id, "")
    service.groups(lead_session(service)).plan_meeting(group_id, "2027-01-12T18:30", 90, "Salle des fêtes")
    return {"workshop": w2, "actions": actions, "hidden": hidden_actor.name}


def test_plan_groups_the_actions_with_their_reasons(service: Service, voted: dict) -> None:
    plan = build_plan(service, voted["workshop"].id)
    fruit, grouped, dropped = voted["actions"]
    assert [a.title for a in plan.low_hanging_fruit] == [fruit.title]
    assert plan.low_hanging_fruit[0].fruit_reason == "facile 5/5, impact 4/5, court terme, pilote : Scierie Dumas"
    assert plan.low_hanging_fruit[0].next_step_owner == "Zoé Martin"
    assert plan.low_hanging_fruit[0].status == "en cours"
    assert [a.title for a in plan.working_group_actions] == [grouped.title]
    assert [(a.title, a.unselection_reason) for a in plan.not_selected] == [(dropped.title,
                                                                             "Trop coûteux pour l’instant")]
    assert [(m.group, m.number, m.place) for m in plan.meetings] == [(grouped.title, 1, "Salle des fêtes")]
    assert plan.voters == 2 and plan.participants_count == 2


def test_plan_respects_consent(service: Service, voted: dict) -> None:
    hidden = voted["hidden"]
    typed_otherwise = hidden.upper().replace(" ", "-")  # as someone may type it on a phone
    service.join(voted["workshop"].code, "another-phone", "Marc", typed_otherwise)
    plan = build_plan(service, voted["workshop"].id)
    assert typed_otherwise not in plan.organisations
    assert plan.organisations == ("Scierie Dumas",)
    assert all(hidden not in a.contributors and a.pilot != hidden for a in plan.actions)
    assert plan.low_hanging_fruit[0].contributors == ()  # the only contributor did not consent
    assert all(i.organisation != hidden for i in plan.ideas)
    text = "".join(str(x) for x in (plan.organisations, plan.ideas))
    assert "Henri Secret" not in text and "Zoé Martin" not in str(plan.organisations)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_renders_the_real_plan(service: Service, voted: dict, fmt: str) -> None:
    content, filename = render(build_plan(service, voted["workshop"].id), fmt)
    assert content and filename.startswith("plan-atelier-2-selection-")
    if fmt == "pdf":
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
        assert "Chaufferie à copeaux partagée" in text and "Trop coûteux pour l’instant" in text
    elif fmt in ("md", "csv", "decidim"):
        assert "Chaufferie à copeaux partagée".encode() in content
    elif fmt == "ics":
        assert b"Salle des f" in content
    elif fmt in ("xlsx", "ods"):
        if fmt == "xlsx":
            cells = [c for sheet in load_workbook(io.BytesIO(content)) for row in sheet.values for c in row]
        else:
            cells = [c for sheet in ods_sheets("plan.ods", content) for _, row in sheet() for c in row]
        assert "Chaufferie à copeaux partagée" in cells and "Trop coûteux pour l’instant" in cells
    else:
        pytest.fail(f"format {fmt} has no check")


def test_empty_plan_is_honest(service: Service, facilitation: Facilitation) -> None:
    w2 = facilitation.create_workshop(service.territories()[0]["id"], "Atelier 2", "selection")
    plan = build_plan(service, w2.id)
    assert not any(a.selected for a in plan.actions)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(render(plan, "pdf")[0])).pages)
    assert "Aucune action n’a encore été retenue pour cet atelier." in text


def test_plan_status_follows_the_same_moves_as_the_working_group(service: Service, voted: dict) -> None:
    fruit = voted["actions"][0]  # set "en-cours" from the plan page by the fixture
    log = service.store.action_status_log(fruit.id)
    assert [(e["status"], e["progress"]) for e in log] == [("en-cours", 0)]
    selection = service.selection(lead_session(service))
    selection.set_follow_up(fruit.id, "Commander la chaudière", "Zoé Martin", "2027-02-01", "realisee")
    done = service.store.action(fruit.id)
    assert (done.status, done.progress) == ("realisee", 100)  # done means 100 %, as on the group's page
    assert done.next_step == "Commander la chaudière"
    with pytest.raises(Refused) as caught:  # a done action is reopened, not sent back to "à lancer"
        selection.set_follow_up(fruit.id, "Relancer", "Zoé Martin", "", "a-lancer")
    assert caught.value.key == "status.not_allowed"
    assert service.store.action(fruit.id).next_step == "Commander la chaudière"  # nothing half-saved
