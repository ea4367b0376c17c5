"""Working groups, cohorts and roles through the service: nothing half-saved, refusals that say why."""

from __future__ import annotations

import pytest

from atelier.models import Interview, InterviewItem
from atelier.rules import Refused
from atelier.service import Facilitation, Service
from tests.prepared import lead_session


def territory(service: Service) -> int:
    return service.territories()[0]["id"]


@pytest.fixture
def selected_action(service: Service, facilitation: Facilitation):
    """An action selected in workshop 2, with a pilot and a contributor."""
    w1 = facilitation.move_phase(service.workshops()[0].id, 1)
    author = service.join(w1.code, "author", "A", "Org")
    action = facilitation.promote(service.submit_idea(w1.id, author.id, "client-id-0001", "Légumerie partagée", "",
                                                      "equipements-locaux").id)
    w2 = facilitation.create_workshop(territory(service), "Atelier 2", "selection")
    w2 = facilitation.move_phase(facilitation.move_phase(w2.id, 1).id, 1)
    for n, (org, engagement) in enumerate([("Les Jardins des Sources", "pilote"), ("Collège", "contributeur"),
                                           ("Mairie", "interesse")]):
        p = service.join(w2.code, f"phone-{n}", f"P{n}", org)
        service.rate(w2.id, p.id, action.id, 5, 2, "long", engagement)
    selection = service.selection(lead_session(service))
    selection.select(w2.id, action.id)
    selection.set_working_group(action.id, True)
    return service.store.action(action.id)


def test_group_made_from_the_engagements(service: Service, selected_action) -> None:
    groups = service.groups(lead_session(service))
    group_id = groups.create(selected_action.id, "Ouvrir la légumerie en 2027")
    members = service.store.working_group_members(group_id)
    assert members == [{"member": "Les Jardins des Sources", "role": "pilote"}, {"member": "Collège", "role": "membre"}]
    with pytest.raises(Refused) as caught:
        groups.create(selected_action.id, "")
    assert caught.value.key == "group.exists"
    [group] = service.working_groups(territory(service))
    assert group["warning"] and "3 à 5" in group["warning"]  # no meeting yet


def test_meetings_in_order_with_minutes_and_steps(service: Service, selected_action) -> None:
    groups = service.groups(lead_session(service))
    group_id = groups.create(selected_action.id, "")
    first = groups.plan_meeting(group_id, "2027-01-12T18:30", 90, "Salle des fêtes")
    with pytest.raises(Refused) as caught:
        groups.plan_meeting(group_id, "2027-01-05T18:30", 90, "Mairie")
    assert caught.value.key == "meeting.before_previous"
    with pytest.raises(Refused) as caught:
        groups.plan_meeting(group_id, "2019-01-05T18:30", 90, "Mairie")
    assert caught.value.key == "meeting.far_past"
    for month in (2, 3):
        groups.plan_meeting(group_id, f"2027-0{month}-12T18:30", 90, "Salle des fêtes")
    assert service.working_groups(territory(service))[0]["warning"] is None  # 3 meetings: inside the method
    groups.record_meeting(first, ["Collège", "Les Jardins des Sources"], "Visite de la cuisine", "On chiffre")
    with pytest.raises(Refused) as caught:
        groups.add_step(first, "Demander un devis", "", "2027-02-01")
    assert caught.value.key == "plan.owner_missing"
    assert service.store.meeting_steps(first) == []  # nothing half-saved
    groups.add_step(first, "Demander un devis", "Collège", "2027-02-01")
    meeting = service.store.meeting(first)
    assert meeting["held"] == 1 and meeting["attendance"] == ["Collège", "Les Jardins des Sources"]
    assert [s["owner"] for s in service.store.meeting_steps(first)] == ["Collège"]
    live = groups.open_live_session(first)
    assert live.template_key == "reunion" and groups.open_live_session(first).id == live.id
    view = groups.view(group_id)  # what the group's page shows
    assert (view.action.id, view.warning) == (selected_action.id, None)
    assert [m["starts_at"] for m in view.meetings] == ["2027-01-12T18:30", "2027-02-12T18:30", "2027-03-12T18:30"]
    assert [[s["text"] for s in m["steps"]] for m in view.meetings] == [["Demander un devis"], [], []]
    assert view.members and view.members[0]["role"] == "pilote"


def test_status_history_and_progress(service: Service, selected_action) -> None:
    groups = service.groups(lead_session(service))
    with pytest.raises(Refused) as caught:
        groups.set_status(selected_action.id, "realisee", 100, "")
    assert caught.value.key == "status.not_allowed"
    groups.set_status(selected_action.id, "en-cours", 30, "Devis reçu")
    groups.set_status(selected_action.id, "realisee", 80, "Inaugurée")
    action = service.store.action(selected_action.id)
    assert (action.status, action.progress) == ("realisee", 100)
    log = service.store.action_status_log(action.id)
    assert [(e["status"], e["progress"], e["note"]) for e in log] == [("realisee", 100, "Inaugurée"),
                                                                      ("en-cours", 30, "Devis reçu")]


def test_cohort_when_the_threshold_is_reached(service: Service, facilitation: Facilitation) -> None:
    tid = territory(service)
    extension = service.extension(lead_session(service))
    with pytest.raises(Refused) as caught:
        extension.set_threshold(tid, 0)
    assert caught.value.key == "cohort.bad_threshold"
    extension.set_threshold(tid, 3)
    key = service.territory(tid)["key"]
    for n in range(2):
        service.request_to_join(key, {"organisation": f"Nouvelle ferme {n}", "contact": "Léa",
                                      "email": f"lea{n}@ferme.example", "kind": "exploitation-agricole"})
    with pytest.raises(Refused) as caught:
        service.request_to_join(key, {"organisation": "Doublon", "contact": "Léa", "email": "LEA0@ferme.example"})
    assert caught.value.key == "joinreq.email_known"
    known = next(a for _, a in service.store.actors(tid) if a.contact.email)
    with pytest.raises(Refused) as caught:
        service.request_to_join(key, {"organisation": "X", "contact": "Y", "email": known.contact.email})
    assert caught.value.key == "joinreq.email_known"
    assert not extension.proposal_ready(tid)
    with pytest.raises(Refused) as caught:
        extension.start_cohort(tid)
    assert caught.value.key == "cohort.not_ready"
    extension.add_candidate(tid, {"organisation": "Menuiserie du Lac", "contact": "Paul", "email": "paul@lac.example",
                                  "kind": "artisan"})
    assert extension.proposal_ready(tid)
    _, workshop = extension.start_cohort(tid)
    assert workshop.template_key == "extension"
    [cohort] = extension.cohorts(tid)
    assert len(cohort["newcomers"]) == 3 and cohort["workshop_id"] == workshop.id
    newcomers = [service.store.actor(n["actor_id"])[1] for n in cohort["newcomers"]]
    assert {a.status.value for a in newcomers} == {"candidat"}
    assert extension.waiting(tid) == []
    assert extension.cohort_leads(tid) == {cohort["id"]: []}  # no interview yet
    menuiserie_id = next(n["actor_id"] for n in cohort["newcomers"] if n["organisation"] == "Menuiserie du Lac")
    service.diagnostic(lead_session(service)).save_interview(menuiserie_id, Interview(capacites=[InterviewItem(
        categorie="matieres-dechets", description="Sciure et copeaux de bois")]), 0, "tab")
    leads = extension.cohort_leads(tid)[cohort["id"]]
    menuiserie = service.store.actor(menuiserie_id)[1].key
    assert leads and all(menuiserie in v.lead.actor_keys for v in leads)
    assert len(leads) < len(service.diagnostic(lead_session(service)).leads(tid))  # only the newcomers' ones


def test_newcomer_asks_to_join_a_group_and_the_pilot_decides(service: Service, facilitation: Facilitation,
                                                             selected_action) -> None:
    groups = service.groups(lead_session(service))
    group_id = groups.create(selected_action.id, "")
    tid = territory(service)
    workshop = facilitation.create_workshop(tid, "Extension", "extension")
    newcomer = service.join(workshop.code, "newcomer", "Paul", "Menuiserie du Lac")
    with pytest.raises(Refused) as caught:
        service.ask_to_join_group(workshop.id, newcomer.id, group_id)
    assert caught.value.key == "groups.phase_closed"
    while service.workshop(workshop.id).phase.key != "groupes":
        facilitation.move_phase(workshop.id, 1)
    assert service.ask_to_join_group(workshop.id, newcomer.id, group_id)
    assert not service.ask_to_join_group(workshop.id, newcomer.id, group_id)  # asked once
    token = service.working_group(group_id)["pilot_token"]
    [request] = service.pilot_view(token)["requests"]
    with pytest.raises(Refused):
        service.pilot_decides("not-the-token", request["id"], True)
    service.pilot_decides(token, request["id"], True)
    assert {"member": "Menuiserie du Lac", "role": "membre"} in service.store.working_group_members(group_id)


def test_roles_lead_and_co_facilitator(service: Service) -> None:
    lead_secret = service.reset_facilitator_secret()
    lead = service.log_in(lead_secret)
    roles = service.roles(lead)
    co_id, co_secret = roles.add_co_facilitator("Hélène Dumas")
    with pytest.raises(Refused) as caught:
        roles.add_co_facilitator(" ")
    assert caught.value.key == "roles.name_missing"
    co = service.log_in(co_secret)
    me = service.facilitator(co)
    assert me is not None and me.name == "Hélène Dumas" and not me.is_lead
    assert service.as_facilitator(co) is not None  # runs workshops
    with pytest.raises(Refused) as caught:
        service.roles(co)
    assert caught.value.key == "auth.lead_only"
    with pytest.raises(Refused) as caught:
        roles.revoke(service.facilitator(lead).id)
    assert caught.value.key == "roles.cannot_revoke_lead"
    roles.revoke(co_id)
    assert not service.is_facilitator(co)
    with pytest.raises(Refused):
        service.log_in(co_secret)


def test_method_counts_follow_the_territory(service: Service, selected_action) -> None:
    tid = territory(service)
    counts = service.method_counts(tid)
    assert counts["actors"] >= 12 and counts["interviews"] == counts["actors"]  # the demo visited everyone
    assert counts["public_partners"] >= 1 and counts["leads"] >= 5 and counts["leads_decided"] == 0
    assert counts["selected_actions"] == 1 and counts["ratings"] == 3 and counts["working_groups"] == 0
    service.groups(lead_session(service)).create(selected_action.id, "")
    assert service.method_counts(tid)["working_groups"] == 1
