"""The whole-territory JSON backup: round trip to the byte, refusals that say why, copies never merged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from atelier.hub import Hub
from atelier.models import Interview, InterviewItem
from atelier.rules import Refused
from atelier.scenario import load_scenario
from atelier.service import Service
from atelier.store import Store


def busy_territory(path: Path) -> Service:
    """A territory that went through the diagnostic and both workshops."""
    service = Service(Store(path), Hub())
    tid = service.install_scenario(load_scenario())
    service.ensure_demo_workshop(tid)
    service.log_in("fac", service.reset_facilitator_secret())
    facilitation, diagnostic, selection = (service.as_facilitator("fac"), service.diagnostic("fac"),
                                           service.selection("fac"))
    actor_id, _ = diagnostic.actors(tid)[0]
    _, version = diagnostic.interview(actor_id)
    diagnostic.save_interview(actor_id, Interview(besoins=[InterviewItem(categorie="energie",
                                                                         description="Chauffage « bois » 12 000 €")]),
                              version, "tab")
    lead = diagnostic.leads(tid)[0].lead
    diagnostic.dismiss_lead(tid, lead.key, "Déjà en place")
    w1 = facilitation.move_phase(service.workshops()[0].id, 1)
    ideas = []
    for n in range(3):
        p = service.join(w1.code, f"phone-{n}", f"P{n}", "Scierie Dumas" if n == 0 else f"Org {n}")
        ideas.append(service.submit_idea(w1.id, p.id, f"client-id-000{n}", f"Idée {n} : œ € ’ 🌱", "", "energie"))
    group = facilitation.merge(w1.id, [ideas[0].id, ideas[1].id], "Groupe")
    action = facilitation.promote(group.id)
    facilitation.promote(ideas[2].id)
    diagnostic.add_swot_item(tid, "forces", "=Une force")
    w2 = facilitation.create_workshop(tid, "Atelier 2", "selection")
    w2 = facilitation.move_phase(facilitation.move_phase(w2.id, 1).id, 1)
    voter = service.join(w2.code, "voter", "V", "Scierie Dumas")
    service.rate(w2.id, voter.id, action.id, 4, 5, "court", "pilote")
    selection.select(w2.id, action.id)
    selection.set_follow_up(action.id, "Réunir les acteurs", "Hélène", "2027-01-15", "en-cours")
    return service


def test_export_import_export_gives_the_same_file(tmp_path: Path) -> None:
    source = busy_territory(tmp_path / "a.sqlite")
    tid = source.territories()[0]["id"]
    first = source.export_territory(tid)
    target = Service(Store(tmp_path / "b.sqlite"), Hub())
    new_id = target.import_territory(first)
    assert target.export_territory(new_id) == first
    document = json.loads(first)
    assert document["format"] == "atelier-territoire" and document["version"] == 1
    assert all("browser_id" not in p for p in document["tables"]["participants"])
    # What came across works: the plan's action, its rating and follow-up, the interview, the dismissed lead.
    action = next(a for a in target.candidate_actions(new_id) if a.title == "Groupe")
    assert (action.selection, action.next_step_owner, action.status) == ("retenue", "Hélène", "en-cours")
    w2 = next(w for w in target.workshops() if w.title == "Atelier 2")
    assert target.results(w2.id).voters == 1
    assert "Chauffage « bois » 12 000 €" in first.decode("utf-8")


def test_import_refuses_an_existing_territory_or_makes_a_copy(tmp_path: Path) -> None:
    service = busy_territory(tmp_path / "a.sqlite")
    tid = service.territories()[0]["id"]
    content = service.export_territory(tid)
    before = len(service.workshops())
    with pytest.raises(Refused) as caught:
        service.import_territory(content)
    assert caught.value.key == "backup.exists"
    assert len(service.workshops()) == before  # nothing merged
    copy_id = service.import_territory(content, copy=True)
    copy = service.territory(copy_id)
    assert copy["key"] == "haut-vallon-copie" and copy["name"].endswith("(copie)")
    codes = [w.code for w in service.workshops()]
    assert len(codes) == len(set(codes)) == 2 * before  # the copy's workshops got new join codes
    assert len(service.candidate_actions(copy_id)) == len(service.candidate_actions(tid))


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b'{"format": "atelier-territoire", "version": 1, "tables": {"territories": [', "tronqué"),
        (b"\xff\xfe\x00garbage", "UTF-8"),
        (b'{"format": "autre chose"}', "n’est pas une sauvegarde"),
        (b'{"format": "atelier-territoire", "version": 99, "tables": {}}', "plus récente"),
        (b'{"format": "atelier-territoire", "version": 1, "tables": {}}', "pas de territoire"),
        (b'{"format": "atelier-territoire", "version": 1, "tables": {"territories": [{"id": 1}], "pirate": []}}',
         "Tables inconnues"),
    ],
    ids=["truncated", "not-text", "other-json", "newer-version", "empty", "unknown-table"],
)
def test_bad_backups_are_refused_with_the_reason(tmp_path: Path, content: bytes, says: str) -> None:
    service = Service(Store(tmp_path / "b.sqlite"), Hub())
    with pytest.raises(Refused) as caught:
        service.import_territory(content)
    assert caught.value.key == "backup.invalid" and says in caught.value.params["reason"]
    assert service.territories() == []


def test_inconsistent_backup_changes_nothing(tmp_path: Path) -> None:
    service = busy_territory(tmp_path / "a.sqlite")
    document = json.loads(service.export_territory(service.territories()[0]["id"]))
    document["tables"]["territories"][0]["key"] = "autre-territoire"
    document["tables"]["ideas"][0]["pas_une_colonne"] = 1
    target = Service(Store(tmp_path / "b.sqlite"), Hub())
    with pytest.raises(Refused) as caught:
        target.import_territory(json.dumps(document).encode())
    assert caught.value.key == "backup.invalid"
    assert target.territories() == [] and target.workshops() == []
