"""Issue 10 through the service: supports (+1), anonymous workshops, pre-moderation, participation settings, and
people's data (duplicate facilitator names, erasure with a trace, exports that follow)."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile

import pytest

from atelier.imports.actors_table import actors_to_csv, actors_to_xlsx
from atelier.models import UNSORTED
from atelier.rules import Refused
from atelier.service import Facilitation, Service


def open_workshop(service: Service, facilitation: Facilitation, **settings: bool):
    workshop = service.workshops()[0]
    if settings:
        facilitation.set_participation(workshop.id, **settings)
    return facilitation.move_phase(workshop.id, 1)


def test_template_defaults_and_the_console_changes_them(service: Service, facilitation: Facilitation) -> None:
    workshop = service.workshops()[0]
    assert workshop.template_key == "co-construction" and workshop.settings.peer_ideas  # [reglages] of the file
    assert not workshop.settings.anonymous and not workshop.settings.premoderation
    selection = facilitation.create_workshop(workshop.territory_id, "Sélection", "selection")
    assert not selection.settings.peer_ideas
    seen = []
    service.hub.workshop_changed(workshop.id).subscribe(seen.append)
    changed = facilitation.set_participation(workshop.id, anonymous=True, premoderation=True)
    assert changed.settings.anonymous and changed.settings.premoderation and changed.settings.peer_ideas
    assert service.workshop(workshop.id).settings == changed.settings  # stored
    assert seen and seen[-1].settings.anonymous  # the phones hear it at once
    with pytest.raises(Refused) as caught:
        facilitation.set_participation(workshop.id, vote_mode="points")  # only the participants' settings here
    assert caught.value.key == "settings.invalid"


def test_one_support_per_phone_per_idea_toggled_and_counted(service: Service, facilitation: Facilitation) -> None:
    workshop = open_workshop(service, facilitation, peer_ideas=True)
    author, a, b = (service.join(workshop.code, f"phone-{n}", f"P{n}", f"Org {n}") for n in range(3))
    idea = service.submit_idea(workshop.id, author.id, "client-id-0001", "Chaufferie", "", "energie")
    heard = []
    service.hub.support_changed(workshop.id).subscribe(lambda i, c: heard.append((i, c)))
    assert service.toggle_support(a.id, idea.id) == (True, 1)
    assert service.toggle_support(b.id, idea.id) == (True, 2)
    assert service.toggle_support(a.id, idea.id) == (False, 1)  # a second tap takes it back
    assert heard == [(idea.id, 1), (idea.id, 2), (idea.id, 1)]
    assert service.ideas(workshop.id)[0].support == 1 and service.own_supports(b.id) == {idea.id}
    with pytest.raises(Refused) as caught:
        service.toggle_support(author.id, idea.id)
    assert caught.value.key == "support.own_idea"
    conn = sqlite3.connect(service.store.path)
    try:  # the database itself holds one support per phone per idea
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO supports (idea_id, participant_id, created_at) VALUES (?, ?, 0)",
                         (idea.id, b.id))
    finally:
        conn.close()
    assert [i.title for i in service.peer_ideas(workshop.id, a.id)] == ["Chaufferie"]
    assert service.peer_ideas(workshop.id, author.id) == []  # not one's own
    facilitation.set_participation(workshop.id, peer_ideas=False)
    assert service.peer_ideas(workshop.id, a.id) == []
    with pytest.raises(Refused) as caught:
        service.toggle_support(a.id, idea.id)
    assert caught.value.key == "support.closed"


def test_a_group_counts_the_supports_of_its_ideas_once_per_phone(service: Service,
                                                                 facilitation: Facilitation) -> None:
    workshop = open_workshop(service, facilitation, peer_ideas=True)
    author, a, b = (service.join(workshop.code, f"phone-{n}", f"P{n}", f"Org {n}") for n in range(3))
    first = service.submit_idea(workshop.id, author.id, "client-id-0001", "Camion", "", "energie")
    service._sends.clear()
    second = service.submit_idea(workshop.id, author.id, "client-id-0002", "Tournée", "", "energie")
    service.toggle_support(a.id, first.id)
    service.toggle_support(a.id, second.id)
    service.toggle_support(b.id, second.id)
    group = facilitation.merge(workshop.id, [first.id, second.id], "Logistique commune")
    assert service.idea(group.id).support == 2  # a and b; a counted once


def test_premoderated_ideas_wait_until_approved(service: Service, facilitation: Facilitation) -> None:
    workshop = open_workshop(service, facilitation, premoderation=True, peer_ideas=True)
    author, reader = (service.join(workshop.code, f"phone-{n}", f"P{n}", f"Org {n}") for n in range(2))
    idea = service.submit_idea(workshop.id, author.id, "client-id-0001", "À valider", "", "energie")
    assert idea.pending and service.wall(workshop.id) == [] and service.peer_ideas(workshop.id, reader.id) == []
    assert [i.id for i in service.pending_ideas(workshop.id)] == [idea.id]
    with pytest.raises(Refused) as caught:
        service.toggle_support(reader.id, idea.id)
    assert caught.value.key == "support.not_on_wall"
    approved = facilitation.approve_idea(idea.id)
    assert not approved.pending and [i.id for i in service.wall(workshop.id)] == [idea.id]
    assert service.pending_ideas(workshop.id) == []


def test_anonymous_participants_have_no_name_and_no_projected_organisation(service: Service,
                                                                          facilitation: Facilitation) -> None:
    workshop = open_workshop(service, facilitation, anonymous=True)
    someone = service.join(workshop.code, "phone-1", "Zoé Martin", "Scierie Dumas")
    nobody = service.join(workshop.code, "phone-2", None, None)
    assert (someone.name, nobody.name, nobody.organisation) == ("", "", "")
    service.submit_idea(workshop.id, someone.id, "client-id-0001", "Sans nom", "", "energie")
    [idea] = service.wall(workshop.id)
    assert (idea.author, idea.organisation) == ("", "")
    # Switching anonymity off later does not reveal who joined while it was on.
    facilitation.set_participation(workshop.id, anonymous=False)
    assert service.wall(workshop.id)[0].organisation == ""


def test_unsorted_is_offered_last_in_every_territory(service: Service) -> None:
    categories = service.categories(service.territories()[0]["id"])
    assert categories[-1] == UNSORTED and [c.key for c in categories].count(UNSORTED.key) == 1


def test_restore_own_idea_undoes_a_withdrawal(service: Service, facilitation: Facilitation) -> None:
    workshop = open_workshop(service, facilitation)
    author, other = (service.join(workshop.code, f"phone-{n}", f"P{n}", f"Org {n}") for n in range(2))
    idea = service.submit_idea(workshop.id, author.id, "client-id-0001", "Broyeur", "", "")
    assert idea.category == UNSORTED.key
    service.withdraw_own_idea(author.id, idea.id)
    assert service.wall(workshop.id) == []
    with pytest.raises(Refused) as caught:
        service.restore_own_idea(other.id, idea.id)
    assert caught.value.key == "idea.not_yours"
    assert not service.restore_own_idea(author.id, idea.id).withdrawn
    assert [i.id for i in service.wall(workshop.id)] == [idea.id]
    with pytest.raises(Refused) as caught:
        service.restore_own_idea(author.id, idea.id)
    assert caught.value.key == "idea.not_withdrawn"


# --- people's data -------------------------------------------------------------------------------------------


def test_duplicate_facilitator_names_are_refused(service: Service) -> None:
    service.log_in("lead", service.reset_facilitator_secret())
    roles = service.roles("lead")
    roles.add_co_facilitator("Hélène Dumas")
    for same in ("Hélène Dumas", "  helene   DUMAS ", "Animation principale"):
        with pytest.raises(Refused) as caught:
            roles.add_co_facilitator(same)
        assert caught.value.key == "roles.name_taken"
    assert [f.name for f in service.store.facilitators()].count("Hélène Dumas") == 1


def test_erasing_people_leaves_a_trace_and_no_content(service: Service, facilitation: Facilitation) -> None:
    tid = service.territories()[0]["id"]
    key = service.territory(tid)["key"]
    request_id = service.request_to_join(key, {"organisation": "Nouvelle ferme", "contact": "Léa Fontaine",
                                               "email": "lea.fontaine@ferme.example", "message": "Appelez-moi le soir",
                                               "kind": "exploitation-agricole"})
    actor_id, actor = next((i, a) for i, a in service.store.actors(tid) if a.contact.email)
    workshop = open_workshop(service, facilitation)
    participant = service.join(workshop.code, "phone-1", "Zoé Martin", "Scierie Dumas")
    service.submit_idea(workshop.id, participant.id, "client-id-0001", "Idée de Zoé", "", "energie")
    people = service.people("facilitator-browser")
    overview = people.overview(tid)
    assert any(c["email"] == "lea.fontaine@ferme.example" for c in overview.candidates)
    assert any(c["actor_id"] == actor_id for c in overview.contacts)
    assert any(p["name"] == "Zoé Martin" for p in overview.participants)

    people.erase_candidate(request_id)
    people.erase_actor_contact(actor_id)
    people.erase_participant(participant.id)
    trace = people.overview(tid).erasures
    assert [(e["kind"], e["erased_by"]) for e in trace] == [("candidat", "Animation principale"),
                                                           ("contact", "Animation principale"),
                                                           ("participant", "Animation principale")]
    assert all(e["erased_at"] > 0 for e in trace)
    stored = json.dumps(service.store.backup_rows(tid), ensure_ascii=False)
    for gone in ("Léa Fontaine", "lea.fontaine@ferme.example", "Appelez-moi le soir", actor.contact.email,
                 actor.contact.name, "Zoé Martin"):
        assert gone not in stored  # the erasure trace holds no content either
    backup = service.export_territory(tid).decode("utf-8")
    assert "Zoé Martin" not in backup and actor.contact.email not in backup and "Léa Fontaine" not in backup
    assert json.loads(backup)["tables"]["erasures"][0]["kind"] == "candidat"
    actors = [a for _, a in service.diagnostic("facilitator-browser").actors(tid)]
    csv_text = actors_to_csv(actors).decode("utf-8-sig")
    with zipfile.ZipFile(io.BytesIO(actors_to_xlsx(actors))) as xlsx:
        sheets = " ".join(xlsx.read(n).decode("utf-8") for n in xlsx.namelist() if n.endswith(".xml"))
    for export in (csv_text, sheets):
        assert actor.contact.email not in export and actor.name in export
    assert service.idea(service.ideas(workshop.id)[0].id).title == "Idée de Zoé"  # the idea stays, without a name
    assert service.participant(workshop.id, "phone-1") is None  # the phone is no longer tied to the person
    with pytest.raises(Refused) as caught:
        people.erase_participant(999_999)
    assert caught.value.key == "erasure.unknown"


def test_only_a_facilitator_erases(service: Service) -> None:
    with pytest.raises(Refused):
        service.people("a-phone")


def test_open_peer_lists_hear_a_burst_as_one_batch(service: Service, facilitation: Facilitation) -> None:
    workshop = open_workshop(service, facilitation, peer_ideas=True)
    hub = service.hub
    author, reader = (service.join(workshop.code, f"phone-{n}", f"P{n}", f"Org {n}") for n in range(2))
    first = service.submit_idea(workshop.id, author.id, "client-id-0001", "Avant l’écoute", "", "energie")
    hub.flush_peer_batches()
    heard: list[tuple[list, dict]] = []
    hub.peer_batch(workshop.id).subscribe(lambda ideas, supports: heard.append((ideas, supports)))
    hub.flush_peer_batches()
    assert heard == []  # nothing kept from before anyone listened, nothing sent when nothing changed
    ideas = []
    for n in range(5):
        service._sends.clear()
        ideas.append(service.submit_idea(workshop.id, author.id, f"client-id-001{n}", f"Idée {n}", "", "energie"))
    service.toggle_support(reader.id, first.id)
    service.toggle_support(reader.id, ideas[0].id)
    service.toggle_support(reader.id, first.id)  # taken back within the same tick
    facilitation.set_hidden(ideas[4].id, True)
    hub.flush_peer_batches()
    assert len(heard) == 1
    batched, supports = heard[0]
    assert [i.id for i in batched] == [i.id for i in ideas]  # each idea once, in its latest state
    assert batched[-1].hidden
    assert supports == {first.id: 0, ideas[0].id: 1}


def test_supports_and_erasures_go_through_the_backup(service: Service, facilitation: Facilitation,
                                                     tmp_path) -> None:
    from atelier.hub import Hub
    from atelier.store import Store

    workshop = open_workshop(service, facilitation, peer_ideas=True)
    author, reader = (service.join(workshop.code, f"phone-{n}", f"P{n}", f"Org {n}") for n in range(2))
    idea = service.submit_idea(workshop.id, author.id, "client-id-0001", "Chaufferie", "", "energie")
    service.toggle_support(reader.id, idea.id)
    service.people("facilitator-browser").erase_participant(author.id)
    tid = workshop.territory_id
    first = service.export_territory(tid)
    target = Service(Store(tmp_path / "copy.sqlite"), Hub())
    new_id = target.import_territory(first)
    assert target.export_territory(new_id) == first  # the same file, to the byte
    copied = next(w for w in target.workshops() if w.code == workshop.code)
    assert target.ideas(copied.id)[0].support == 1
    assert [e["kind"] for e in json.loads(first)["tables"]["erasures"]] == ["participant"]


@pytest.mark.parametrize(("table", "change", "says"), [
    ("supports", {"idea_id": 999_999}, "renvoie à la ligne 999999 de « ideas »"),
    ("erasures", {"kind": "tout"}, "« kind »"),
    ("erasures", {"erased_by": ""}, "« erased_by »"),
], ids=["support-of-a-missing-idea", "unknown-erasure-kind", "erasure-by-nobody"])
def test_a_backup_with_a_bad_support_or_erasure_is_refused(service: Service, facilitation: Facilitation,
                                                           tmp_path, table: str, change: dict, says: str) -> None:
    from atelier.hub import Hub
    from atelier.store import Store

    workshop = open_workshop(service, facilitation, peer_ideas=True)
    author, reader = (service.join(workshop.code, f"phone-{n}", f"P{n}", f"Org {n}") for n in range(2))
    idea = service.submit_idea(workshop.id, author.id, "client-id-0001", "Chaufferie", "", "energie")
    service.toggle_support(reader.id, idea.id)
    service.people("facilitator-browser").erase_participant(author.id)
    document = json.loads(service.export_territory(workshop.territory_id))
    document["tables"][table][0].update(change)
    target = Service(Store(tmp_path / "copy.sqlite"), Hub())
    with pytest.raises(Refused) as caught:
        target.import_territory(json.dumps(document).encode())
    assert caught.value.key == "backup.invalid" and says in caught.value.params["reason"]
    assert target.territories() == []
