"""Store and service: migrations, idempotent submissions, moderation traceability, refusals, persistence."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from atelier.hub import Hub
from atelier.models import Draft
from atelier.rules import Refused
from atelier.scenario import Scenario, ScenarioError, load_scenario
from atelier.service import Facilitation, Service
from atelier.store import MIGRATIONS, Store
from tests.prepared import lead_session


def demo_workshop(service: Service):
    return service.workshops()[0]


def open_ideas(service: Service, facilitation: Facilitation):
    w = demo_workshop(service)
    return facilitation.move_phase(w.id, 1)  # accueil -> idées


def join(service: Service, browser: str, name: str = "Zoé", organisation: str = "Scierie Dumas"):
    return service.join(demo_workshop(service).code, browser, name, organisation)


def test_new_database_is_migrated_and_wal(store: Store) -> None:
    assert store.schema_version() == len(MIGRATIONS)
    assert store.db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(RuntimeError, match="plus récente"):
        Store(path)


def test_loading_the_scenario_twice_duplicates_nothing(service: Service) -> None:
    territory_id = service.territories()[0]["id"]
    before = (len(service.store.actors(territory_id)), len(service.templates()), len(service.categories(territory_id)))
    assert service.install_scenario(load_scenario()) == territory_id
    service.ensure_demo_workshop(territory_id)
    after = (len(service.store.actors(territory_id)), len(service.templates()), len(service.categories(territory_id)))
    assert before == after
    assert before[0] >= 12 and before[1] == 5 and before[2] >= 9
    assert len(service.workshops()) == 1
    assert len(service.territories()) == 1


def test_a_broken_scenario_file_says_where(tmp_path: Path) -> None:
    bad = tmp_path / "t.toml"
    bad.write_text('[territoire]\ncle = "x"\nnom = "X"\n[[acteurs]]\ncle = "a"\nnom = "A"\ntype = "fusée"\n',
                   encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"t\.toml.*acteurs\.0\.type"):
        load_scenario(bad)
    bad.write_text("pas du toml = = =", encoding="utf-8")
    with pytest.raises(ScenarioError, match="TOML"):
        load_scenario(bad)


def test_unknown_workshop_code_is_refused(service: Service) -> None:
    with pytest.raises(Refused) as caught:
        service.join("ZZZZZ", "b1", "Zoé", "Scierie")
    assert caught.value.key == "workshop.unknown"
    assert caught.value.params["code"] == "ZZZZZ"


def test_join_code_is_case_insensitive_and_rejoining_keeps_one_participant(service: Service) -> None:
    code = demo_workshop(service).code
    first = service.join(code.lower(), "b1", "Zoé", "scierie dumas")
    again = service.join(code, "b1", "Zoé B.", "Scierie Dumas")
    assert first.id == again.id and again.name == "Zoé B."
    assert first.actor_id is not None  # the typed organisation matched a known actor, whatever its case
    assert service.participant_count(demo_workshop(service).id) == 1
    typed_plainly = service.join(code, "b2", "Jean", "gaec du pre haut")  # no accent, no hyphen
    assert typed_plainly.actor_id == next(aid for aid, a in service.store.actors(demo_workshop(service).territory_id)
                                          if a.name == "GAEC du Pré-Haut")


def test_idea_refused_outside_the_ideas_phase(service: Service) -> None:
    p = join(service, "b1")
    with pytest.raises(Refused) as caught:
        service.submit_idea(p.workshop_id, p.id, "client-id-0001", "Une idée", "", "energie")
    assert caught.value.key == "ideas.phase_closed"
    assert service.ideas(p.workshop_id) == []


def test_same_client_id_twice_gives_one_idea(service: Service, facilitation: Facilitation) -> None:
    open_ideas(service, facilitation)
    p = join(service, "b1")
    published = []
    service.hub.idea_changed(p.workshop_id).subscribe(published.append)
    first = service.submit_idea(p.workshop_id, p.id, "client-id-0001", "Chariot élévateur partagé", "", "autre")
    retry = service.submit_idea(p.workshop_id, p.id, "client-id-0001", "Chariot élévateur partagé", "", "autre")
    assert first.id == retry.id
    assert [i.title for i in service.ideas(p.workshop_id)] == ["Chariot élévateur partagé"]
    assert len(published) == 1  # the board is told once


def test_a_phone_too_fast_is_throttled(service: Service, facilitation: Facilitation) -> None:
    open_ideas(service, facilitation)
    p = join(service, "b1")
    service.submit_idea(p.workshop_id, p.id, "client-id-0001", "Première", "", "autre")
    with pytest.raises(Refused) as caught:
        service.submit_idea(p.workshop_id, p.id, "client-id-0002", "Seconde", "", "autre")
    assert caught.value.key == "idea.too_fast"
    assert len(service.ideas(p.workshop_id)) == 1
    other = join(service, "b2", "Marc", "Garage")
    service.submit_idea(p.workshop_id, other.id, "client-id-0003", "D’un autre téléphone", "", "autre")
    assert len(service.ideas(p.workshop_id)) == 2


def test_a_phase_closed_between_two_submits_refuses_the_next_at_once(service: Service,
                                                                     facilitation: Facilitation) -> None:
    """The workshop read on every submit is cached: the facilitator's change must still refuse the very next one."""
    w = open_ideas(service, facilitation)
    p = join(service, "b1")
    other = join(service, "b2", "Marc", "Garage")
    service.submit_idea(w.id, p.id, "client-id-0001", "Avant le verrou", "", "autre")
    facilitation.set_locked(w.id, True)
    with pytest.raises(Refused) as caught:
        service.submit_idea(w.id, other.id, "client-id-0002", "Après le verrou", "", "autre")
    assert caught.value.key == "ideas.locked"
    facilitation.set_locked(w.id, False)
    facilitation.move_phase(w.id, 2)  # idées -> the next phase
    with pytest.raises(Refused) as caught:
        service.submit_idea(w.id, other.id, "client-id-0003", "Après la phase", "", "autre")
    assert caught.value.key == "ideas.phase_closed"
    assert [i.title for i in service.ideas(w.id)] == ["Avant le verrou"]


def test_a_workshop_changed_by_another_connection_is_read_afresh(service: Service, facilitation: Facilitation,
                                                                 ) -> None:
    """Another process on the same file (a command line, a restore) is seen at the next read, not a cached copy."""
    w = open_ideas(service, facilitation)
    p = join(service, "b1")
    assert service.workshop(w.id).locked is False
    with sqlite3.connect(service.store.path) as other:
        other.execute("UPDATE workshops SET locked = 1 WHERE id = ?", (w.id,))
    assert service.workshop(w.id).locked is True
    with pytest.raises(Refused) as caught:
        service.submit_idea(w.id, p.id, "client-id-0001", "Idée", "", "autre")
    assert caught.value.key == "ideas.locked"


def test_locked_submissions_are_refused(service: Service, facilitation: Facilitation) -> None:
    w = open_ideas(service, facilitation)
    facilitation.set_locked(w.id, True)
    p = join(service, "b1")
    with pytest.raises(Refused) as caught:
        service.submit_idea(w.id, p.id, "client-id-0001", "Idée", "", "autre")
    assert caught.value.key == "ideas.locked"


def test_participant_edits_and_withdraws_only_own_ideas(service: Service, facilitation: Facilitation) -> None:
    w = open_ideas(service, facilitation)
    zoe, marc = join(service, "b1"), join(service, "b2", "Marc", "Garage")
    idea = service.submit_idea(w.id, zoe.id, "client-id-0001", "Idée", "", "autre")
    with pytest.raises(Refused) as caught:
        service.edit_own_idea(marc.id, idea.id, "Piratée", "", "autre")
    assert caught.value.key == "idea.not_yours"
    edited = service.edit_own_idea(zoe.id, idea.id, "Idée précisée", "détails", "energie")
    assert (edited.title, edited.category) == ("Idée précisée", "energie")
    service.withdraw_own_idea(zoe.id, idea.id)
    assert service.own_ideas(zoe.id) == []
    assert service.wall(w.id) == []
    assert service.idea(idea.id).withdrawn  # kept, not deleted


def test_merge_keeps_the_originals_traceable(service: Service, facilitation: Facilitation) -> None:
    w = open_ideas(service, facilitation)
    ideas = []
    for n in range(3):
        p = join(service, f"b{n}", f"P{n}", f"Org {n}")
        ideas.append(service.submit_idea(w.id, p.id, f"client-id-000{n}", f"Idée {n}", "", "energie"))
    group = facilitation.merge(w.id, [ideas[0].id, ideas[1].id], "Chaufferie bois partagée")
    assert group.is_group and group.category == "energie"
    assert {m.id for m in service.group_members(group.id)} == {ideas[0].id, ideas[1].id}
    wall_titles = {i.title for i in service.wall(w.id)}
    assert wall_titles == {"Chaufferie bois partagée", "Idée 2"}
    with pytest.raises(Refused) as caught:  # a grouped idea can't be grouped again
        facilitation.merge(w.id, [ideas[0].id, ideas[2].id], "Encore")
    assert caught.value.key == "merge.not_on_wall"
    with pytest.raises(Refused):
        service.edit_own_idea(ideas[0].participant_id, ideas[0].id, "Changée", "", "autre")


def test_promote_group_to_candidate_action_once(service: Service, facilitation: Facilitation) -> None:
    w = open_ideas(service, facilitation)
    zoe = join(service, "b1")
    a = service.submit_idea(w.id, zoe.id, "client-id-0001", "Broyeur", "à partager", "equipements-locaux")
    b = service.submit_idea(w.id, join(service, "b2", "M", "G").id, "client-id-0002", "Broyeuse", "", "autre")
    group = facilitation.merge(w.id, [a.id, b.id], "Broyeur à végétaux partagé")
    action = facilitation.promote(group.id)
    assert facilitation.promote(group.id).id == action.id
    assert action.origin == "idee" and action.source_idea_id == group.id
    assert "Broyeur — à partager" in action.description and "Broyeuse" in action.description
    assert [x.title for x in service.candidate_actions(w.territory_id)] == ["Broyeur à végétaux partagé"]
    service.selection(lead_session(service)).delete_action(action.id)
    assert service.candidate_actions(w.territory_id) == []
    assert facilitation.promote(group.id).id == action.id  # promoted again: back on the list, not a copy
    assert [x.id for x in service.candidate_actions(w.territory_id)] == [action.id]


def test_hide_and_unhide(service: Service, facilitation: Facilitation) -> None:
    w = open_ideas(service, facilitation)
    idea = service.submit_idea(w.id, join(service, "b1").id, "client-id-0001", "Hors sujet", "", "autre")
    facilitation.set_hidden(idea.id, True)
    assert service.wall(w.id) == []
    facilitation.set_hidden(idea.id, False)
    assert [i.id for i in service.wall(w.id)] == [idea.id]


def test_facilitator_actions_need_the_secret(service: Service) -> None:
    secret = service.reset_facilitator_secret()
    with pytest.raises(Refused) as caught:
        service.as_facilitator("stranger")
    assert caught.value.key == "auth.required"
    with pytest.raises(Refused) as caught:
        service.log_in("wrong-secret")
    assert caught.value.key == "auth.wrong_secret"
    me = service.log_in(secret)
    assert service.as_facilitator(me) is not None
    assert all(secret not in f.secret for f in service.store.facilitators())  # only a hash is stored
    service.reset_facilitator_secret()
    assert not service.is_facilitator(me)  # a new secret logs everyone out


def test_phase_moves_and_timer(service: Service, facilitation: Facilitation) -> None:
    w = demo_workshop(service)
    with pytest.raises(Refused):
        facilitation.move_phase(w.id, -1)
    moved = facilitation.move_phase(w.id, 1)
    assert moved.phase.key == "idees"
    left = moved.timer_ends_at - time.time() if moved.timer_ends_at else None  # the countdown runs
    assert left is not None and 0 < left <= moved.phase.minutes * 60
    paused = facilitation.pause_timer(w.id)
    assert paused.timer_ends_at is None and paused.timer_remaining is not None
    assert facilitation.add_minute(w.id).timer_remaining == pytest.approx(paused.timer_remaining + 60)
    assert facilitation.set_timer(w.id, 5).timer_remaining == 300
    with pytest.raises(Refused) as caught:
        facilitation.set_timer(w.id, -1)
    assert caught.value.key == "timer.bad_minutes"
    running = facilitation.start_timer(w.id)
    assert running.timer_ends_at is not None and running.timer_remaining is None


def test_state_survives_a_reopen_of_the_database(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    scenario: Scenario = load_scenario()
    service = Service(Store(path), Hub())
    service.ensure_demo_workshop(service.install_scenario(scenario))
    secret = service.reset_facilitator_secret()
    fac = service.log_in(secret)
    w = service.as_facilitator(fac).move_phase(service.workshops()[0].id, 1)
    p = service.join(w.code, "phone-1", "Zoé", "Scierie Dumas")
    service.submit_idea(w.id, p.id, "client-id-0001", "Idée gardée", "", "autre")
    service.keep_draft(p.id, Draft(title="brouillon en cours", category="energie"))
    service.flush_drafts()
    service.store.close()

    reopened = Service(Store(path), Hub())
    assert reopened.workshop(w.id).phase.key == "idees"
    assert reopened.participant(w.id, "phone-1").name == "Zoé"
    assert [i.title for i in reopened.wall(w.id)] == ["Idée gardée"]
    assert reopened.draft(p.id).title == "brouillon en cours"
    assert reopened.is_facilitator(fac)  # sessions live in the database


def test_two_territories_keep_their_workshops_apart(service: Service, facilitation: Facilitation) -> None:
    demo = service.territories()[0]["id"]
    other = service.install_scenario(load_scenario(Path(__file__).parent / "data" / "territoire-etiquete.toml"))
    assert other != demo
    theirs = facilitation.create_workshop(other, "Atelier 1 — autre vallée", "co-construction")
    assert [w.id for w in service.workshops(other)] == [theirs.id]
    assert theirs.id not in [w.id for w in service.workshops(demo)]
    assert {w.id for w in service.workshops()} == {w.id for t in (demo, other) for w in service.workshops(t)}
