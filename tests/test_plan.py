"""The action plan as gathered from a real workshop: groups of actions, reasons, consent, every format renders."""

from __future__ import annotations

import csv
import io
import re
import time
from datetime import UTC, datetime

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from pypdf import PdfReader

from atelier.exports.formats import FORMATS, render
from atelier.exports.plan import build_plan, engaged
from atelier.exports.tables import SHEET_NAMES
from atelier.imports.actors_table import ods_sheets
from atelier.rules import Refused
from atelier.rules.actors import name_key
from atelier.service import Facilitation, Service


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
    selection = service.selection("facilitator-browser")
    selection.select(w2.id, actions[1].id)
    selection.set_working_group(actions[1].id, True)
    selection.unselect(w2.id, actions[2].id, "Trop coûteux pour l’instant")
    selection.set_follow_up(actions[0].id, "Commander la chaudière", "Zoé Martin", "2027-02-01", "en-cours")
    group_id = service.groups("facilitator-browser").create(actions[1].id, "")
    service.groups("facilitator-browser").plan_meeting(group_id, "2027-01-12T18:30", 90, "Salle des fêtes")
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
    assert plan.low_hanging_fruit[0].contributors == ("un acteur",)  # the only contributor did not consent
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
    selection = service.selection("facilitator-browser")
    selection.set_follow_up(fruit.id, "Commander la chaudière", "Zoé Martin", "2027-02-01", "realisee")
    done = service.store.action(fruit.id)
    assert (done.status, done.progress) == ("realisee", 100)  # done means 100 %, as on the group's page
    assert done.next_step == "Commander la chaudière"
    with pytest.raises(Refused) as caught:  # a done action is reopened, not sent back to "à lancer"
        selection.set_follow_up(fruit.id, "Relancer", "Zoé Martin", "", "a-lancer")
    assert caught.value.key == "status.not_allowed"
    assert service.store.action(fruit.id).next_step == "Commander la chaudière"  # nothing half-saved


def _actions_table(fmt: str, content: bytes) -> list[dict[str, object]]:
    """The Actions table of a CSV, XLSX or ODS export, read back by its own reader, as header -> value."""
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    elif fmt == "xlsx":
        rows = [list(r) for r in load_workbook(io.BytesIO(content))["Actions"].iter_rows(values_only=True)]
    else:
        rows = [list(r) for _, r in next(iter(ods_sheets("plan.ods", content)))()]
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


def _folded(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def test_a_pilot_who_refused_publication_reads_un_acteur_in_every_format(service: Service, voted: dict) -> None:
    """The pilot exists but did not consent: every export says "un acteur", never "à trouver" nor nothing."""
    grouped = voted["actions"][1]
    service.selection("facilitator-browser").set_pilot(grouped.id, voted["hidden"])
    plan = build_plan(service, voted["workshop"].id)
    files = {fmt: render(plan, fmt)[0] for fmt in FORMATS}
    for fmt in ("csv", "xlsx", "ods"):
        row = next(r for r in _actions_table(fmt, files[fmt]) if r["Action"] == grouped.title)
        assert row["Pilote"] == "un acteur", fmt
    pdf = _folded(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(files["pdf"])).pages))
    assert "Pilote : un acteur" in pdf and "à trouver" not in pdf
    assert "- **Pilote :** un acteur" in files["md"].decode()
    assert "<strong>Pilote :</strong> un acteur</li>" in files["decidim"].decode("utf-8-sig")
    event = Calendar.from_ical(files["ics"]).walk("VEVENT")[0]
    assert "Pilote : un acteur" in str(event["description"])
    for fmt, content in files.items():
        if fmt not in ("xlsx", "ods"):  # zipped: their cells were read above
            assert voted["hidden"].encode() not in content, fmt


def test_each_organisation_once_per_action(service: Service, voted: dict) -> None:
    """Scierie Dumas pilots the fruit; typed again in capitals as its confirmed pilot, it is still one line, spelt as
    the territory registered it."""
    fruit = voted["actions"][0]
    service.selection("facilitator-browser").set_pilot(fruit.id, "SCIERIE DUMAS")
    plan = build_plan(service, voted["workshop"].id)
    for fmt in ("csv", "xlsx", "ods"):
        for row in _actions_table(fmt, render(plan, fmt)[0]):
            names = [line for column in ("Pilote", "Contributeurs", "Intéressés")
                     for line in str(row[column] or "").split("\n") if line and line != "un acteur"]
            assert len({name_key(n) for n in names}) == len(names), (fmt, row["Action"], names)
    action = next(a for a in plan.actions if a.id == fruit.id)
    assert action.pilot == "Scierie Dumas" and action.contributors == ("un acteur",)


@pytest.mark.parametrize(("pilots", "contributors", "interested", "expected"), [
    pytest.param(("Ferme du Pré",), ("ferme du pre", "Brasserie"), ("FERME-DU-PRÉ", "Brasserie", "Mairie"),
                 ("Ferme du Pré", ("Brasserie",), ("Mairie",)), id="pilot-also-contributor-and-interested"),
    pytest.param(("", "Brasserie"), (), (), ("Brasserie", (), ()), id="no-confirmed-pilot-first-would-be-pilot"),
    pytest.param(("Secret SA", "Brasserie"), (), (), ("un acteur", ("Brasserie",), ()), id="second-pilot-contributes"),
    pytest.param((), ("Secret SA", "Caché SARL", "Transports Fabre", "Épicerie du bourg"), ("Caché SARL",),
                 ("", ("Épicerie du bourg", "Transports Fabre", "2 acteurs"), ()), id="several-hidden-french-order"),
    pytest.param((), (), (), ("", (), ()), id="nobody"),
])
def test_engaged_people(pilots: tuple, contributors: tuple, interested: tuple, expected: tuple) -> None:
    hidden = {name_key("Secret SA"), name_key("Caché SARL")}
    people = engaged(pilots, contributors, interested, lambda o: "" if name_key(o) in hidden else o)
    assert (people.pilot, people.contributors, people.interested) == expected


def test_organisations_in_french_order(service: Service, voted: dict) -> None:
    for n, organisation in enumerate(("Transports Fabre", "Épicerie du bourg", "atelier Vélo", "Œuvre sociale")):
        service.join(voted["workshop"].code, f"org-{n}", f"Personne {n}", organisation)
    plan = build_plan(service, voted["workshop"].id)
    expected = ["atelier Vélo", "Épicerie du bourg", "Œuvre sociale", "Scierie Dumas", "Transports Fabre"]
    assert list(plan.organisations) == expected
    sheet = load_workbook(io.BytesIO(render(plan, "xlsx")[0]))["Participants"]
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]] == expected
    participants = ods_sheets("plan.ods", render(plan, "ods")[0])[SHEET_NAMES.index("Participants")]
    assert [r[0] for _, r in participants() if r and r[0]][1:] == expected
    markdown = render(plan, "md")[0].decode()
    assert [markdown.index(f"- {o}") for o in expected] == sorted(markdown.index(f"- {o}") for o in expected)


def test_calendar_stamp_is_the_real_utc_time_on_a_utc_machine(service: Service, voted: dict,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A server kept in UTC: the plan's time carries its offset, so DTSTAMP is the real moment in UTC."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        before = datetime.now(UTC).replace(microsecond=0)
        plan = build_plan(service, voted["workshop"].id)
        after = datetime.now(UTC)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert datetime.fromisoformat(plan.generated_at).utcoffset() is not None
    stamps = [e.decoded("dtstamp") for e in Calendar.from_ical(render(plan, "ics")[0]).walk("VEVENT")]
    assert stamps and all(s.utcoffset().total_seconds() == 0 and before <= s <= after for s in stamps)
