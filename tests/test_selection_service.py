"""Workshop 2 through the service: ratings replace, refusals keep the stored ratings right, the rule selects."""

from __future__ import annotations

import pytest

from atelier.rules import Refused
from atelier.service import NOT_SELECTED, SELECTED, Facilitation, Selection, Service
from tests.prepared import lead_session


def territory(service: Service) -> int:
    return service.territories()[0]["id"]


@pytest.fixture
def selection(service: Service, facilitation: Facilitation) -> Selection:
    return service.selection(lead_session(service))


@pytest.fixture
def vote(service: Service, facilitation: Facilitation) -> dict:
    """Three candidate actions from workshop 1, a selection workshop in its vote phase, three phones joined."""
    tid = territory(service)
    ideas_workshop = facilitation.move_phase(service.workshops()[0].id, 1)
    actions = []
    for n, title in enumerate(["Chaufferie bois partagée", "Camion frigorifique en commun", "Achat groupé de gazole"]):
        p = service.join(ideas_workshop.code, f"idea-phone-{n}", f"P{n}", f"Org {n}")
        idea = service.submit_idea(ideas_workshop.id, p.id, f"client-id-000{n}", title, "", "energie")
        actions.append(facilitation.promote(idea.id))
    workshop = facilitation.create_workshop(tid, "Atelier 2", "selection")
    workshop = facilitation.move_phase(facilitation.move_phase(workshop.id, 1).id, 1)
    assert workshop.phase.key == "vote"
    phones = [service.join(workshop.code, f"phone-{n}", name, org) for n, (name, org) in
              enumerate([("Zoé", "Scierie Dumas"), ("Marc", "Brasserie La Fourche"), ("Inès", "GAEC du Pré-Haut")])]
    return {"workshop": workshop, "actions": actions, "phones": phones}


def test_a_new_rating_replaces_the_previous_one(service: Service, vote: dict) -> None:
    w, a, p = vote["workshop"], vote["actions"][0], vote["phones"][0]
    service.rate(w.id, p.id, a.id, 2, 2, "long", "aucun")
    service.rate(w.id, p.id, a.id, 5, 4, "court", "pilote")  # two ratings from one phone in the same second
    result = next(r for r in service.results(w.id).actions if r.action.id == a.id)
    assert (result.impact.count, result.impact.median, result.ease.median) == (1, 5, 4)
    assert result.leads == ("Scierie Dumas",)
    assert service.own_ratings(w.id, p.id)[a.id]["engagement"] == "pilote"


@pytest.mark.parametrize(("impact", "ease"), [(0, 3), (6, 3), (3, None), ("5", 3), (2.5, 3)])
def test_rating_outside_one_to_five_is_refused(service: Service, vote: dict, impact, ease) -> None:
    w, a, p = vote["workshop"], vote["actions"][0], vote["phones"][0]
    service.rate(w.id, p.id, a.id, 3, 3, "", "aucun")
    with pytest.raises(Refused) as caught:
        service.rate(w.id, p.id, a.id, impact, ease, "", "aucun")
    assert caught.value.key == "rating.out_of_range"
    assert service.own_ratings(w.id, p.id)[a.id]["impact"] == 3  # the stored rating is untouched


def test_rating_after_the_vote_closed_or_of_a_deleted_action(service: Service, facilitation: Facilitation,
                                                             selection: Selection, vote: dict) -> None:
    w, (a, b, _), p = vote["workshop"], vote["actions"], vote["phones"][0]
    selection.delete_action(b.id)
    with pytest.raises(Refused) as caught:
        service.rate(w.id, p.id, b.id, 3, 3, "", "aucun")
    assert caught.value.key == "rating.action_gone"
    facilitation.move_phase(w.id, 1)
    with pytest.raises(Refused) as caught:
        service.rate(w.id, p.id, a.id, 3, 3, "", "aucun")
    assert caught.value.key == "ratings.phase_closed"
    assert service.own_ratings(w.id, p.id) == {}
    assert [x.id for x in service.candidate_actions(w.territory_id)] == [a.id, vote["actions"][2].id]


def test_low_hanging_fruit_selected_when_the_vote_closes(service: Service, facilitation: Facilitation,
                                                         selection: Selection, vote: dict) -> None:
    w, (fruit, structuring, _), phones = vote["workshop"], vote["actions"], vote["phones"]
    for n, p in enumerate(phones):
        service.rate(w.id, p.id, fruit.id, 4, 5, "court", "pilote" if n == 0 else "contributeur")
        service.rate(w.id, p.id, structuring.id, 5, 2, "long", "contributeur")
    results = {r.action.id: r for r in service.results(w.id).actions}
    assert results[fruit.id].fruit.flagged
    assert results[fruit.id].fruit.reason == "facile 5/5, impact 4/5, court terme, pilote : Scierie Dumas"
    assert not results[structuring.id].fruit.flagged and results[structuring.id].needs_working_group
    assert [r.action.id for r in service.results(w.id).actions][:2] == [structuring.id, fruit.id]  # impact first

    facilitation.move_phase(w.id, 1)  # the vote closes
    assert service.store.action(fruit.id).selection == SELECTED
    assert service.store.action(structuring.id).selection == ""
    log = service.store.selection_log(w.id)
    assert [(e["action_id"], e["automatic"], e["reason"]) for e in log] == [
        (fruit.id, 1, "facile 5/5, impact 4/5, court terme, pilote : Scierie Dumas")]

    with pytest.raises(Refused) as caught:
        selection.unselect(w.id, fruit.id, "")
    assert caught.value.key == "selection.reason_missing"
    assert service.store.action(fruit.id).selection == SELECTED
    selection.unselect(w.id, fruit.id, "Déjà porté par la communauté de communes")
    unselected = service.store.action(fruit.id)
    assert (unselected.selection, unselected.selection_reason) == (NOT_SELECTED,
                                                                   "Déjà porté par la communauté de communes")
    selection.apply_low_hanging_fruit(w.id)  # the rule does not override the facilitator's decision
    assert service.store.action(fruit.id).selection == NOT_SELECTED


def test_dispersion_guard_over_selected_actions(service: Service, selection: Selection, vote: dict) -> None:
    w, actions, phones = vote["workshop"], vote["actions"], vote["phones"]
    for a in actions:
        service.rate(w.id, phones[0].id, a.id, 4, 4, "court", "pilote")  # Scierie Dumas pilots all three
        selection.select(w.id, a.id)
    service.rate(w.id, phones[1].id, actions[0].id, 4, 4, "court", "contributeur")
    report = service.results(w.id).dispersion
    # the demo territory's sawmill declared room for 2 working groups
    assert report.actor_load["Scierie Dumas"] == (3, 2)
    assert report.actor_warnings["Scierie Dumas"] == "3 actions retenues pour 2 déclarée(s)"
    assert actions[0].id not in report.action_warnings  # a pilot and two engaged actors
    assert report.action_warnings[actions[1].id] == ["1 acteur engagé"]


def test_dot_votes_with_a_budget(service: Service, selection: Selection, vote: dict) -> None:
    w, (a, b, c), p = vote["workshop"], vote["actions"], vote["phones"][0]
    with pytest.raises(Refused) as caught:
        service.cast_dots(w.id, p.id, {a.id: 3})
    assert caught.value.key == "rating.wrong_mode"
    selection.set_settings(w.id, vote_mode="points", points_budget=5)
    service.cast_dots(w.id, p.id, {a.id: 3, b.id: 2})
    with pytest.raises(Refused) as caught:
        service.cast_dots(w.id, p.id, {a.id: 4, c.id: 2})
    assert caught.value.key == "dots.over_budget"
    assert service.own_dot_votes(w.id, p.id) == {a.id: 3, b.id: 2}  # unchanged by the refused vote
    service.cast_dots(w.id, p.id, {c.id: 5})  # a new vote replaces the previous one
    results = service.results(w.id).actions
    assert [(r.action.id, r.points) for r in results] == [(c.id, 5), (a.id, 0), (b.id, 0)]
    with pytest.raises(Refused) as caught:
        selection.set_settings(w.id, ease_min=9)
    assert caught.value.key == "settings.invalid"


def test_results_are_published_once_per_tick(service: Service, vote: dict) -> None:
    w, a, phones = vote["workshop"], vote["actions"][0], vote["phones"]
    seen = []
    service.hub.results_changed(w.id).subscribe(seen.append)
    for p in phones:
        service.rate(w.id, p.id, a.id, 4, 4, "", "aucun")
    assert seen == []  # nothing per vote
    assert service.publish_results() >= 1
    assert len(seen) == 1 and seen[0].voters == 3
    assert service.publish_results() == 0


def test_candidate_actions_edited_and_ordered(service: Service, selection: Selection, vote: dict) -> None:
    a, b, c = vote["actions"]
    selection.edit_action(b.id, "Camion frigo partagé", "Tournées communes", "transport-logistique", "moyen",
                          ["scierie-dumas", "pas-un-acteur"])
    edited = service.store.action(b.id)
    assert (edited.title, edited.horizon, edited.actor_keys) == ("Camion frigo partagé", "moyen", ["scierie-dumas"])
    with pytest.raises(Refused) as caught:
        selection.edit_action(b.id, " ", "", "energie", "", [])
    assert caught.value.key == "action.title_missing"
    selection.move_action(c.id, -2)
    assert [x.id for x in service.candidate_actions(a.territory_id)] == [c.id, a.id, b.id]


def test_a_non_fruit_says_which_criterion_failed_and_the_votes_prefill(service: Service, vote: dict) -> None:
    w, (a, b, _), phones = vote["workshop"], vote["actions"], vote["phones"]
    for n, p in enumerate(phones):
        service.rate(w.id, p.id, a.id, 4, 3, "court", "pilote" if n < 2 else "contributeur")
        service.rate(w.id, p.id, b.id, 4, 5, "moyen" if n else "court", "contributeur")
    results = {r.action.id: r for r in service.results(w.id).actions}
    assert results[a.id].fruit.reason == "facile 3/5, il faut 4"
    assert results[b.id].fruit.reason == "horizon moyen terme, il faut court terme ; aucun pilote"
    assert results[b.id].horizon_votes == (1, 2, 0)  # the majority prefills the horizon field
    assert results[a.id].leads == ("Brasserie La Fourche", "Scierie Dumas")  # the volunteers to choose from
    assert results[a.id].pilot == "Brasserie La Fourche"  # prefilled until the facilitator confirms one


def test_the_working_group_list_is_the_plans(service: Service, facilitation: Facilitation, selection: Selection,
                                             vote: dict) -> None:
    from atelier.exports.plan import build_plan

    w, (fruit, medium, short), phones = vote["workshop"], vote["actions"], vote["phones"]
    for n, p in enumerate(phones):
        service.rate(w.id, p.id, fruit.id, 4, 5, "court", "pilote" if n == 0 else "aucun")
        service.rate(w.id, p.id, medium.id, 4, 3, "moyen", "contributeur")
        service.rate(w.id, p.id, short.id, 4, 3, "court", "contributeur")
    facilitation.move_phase(w.id, 1)  # the fruit is selected by the rule
    for action in (medium, short):
        selection.select(w.id, action.id)
    assert service.working_group_actions(w.territory_id) == {medium.id}  # medium term; the fruit has none
    selection.set_working_group(short.id, True)  # chosen by the facilitator for a short-term action
    selection.set_working_group(fruit.id, True)  # a fruit stays with its pilot
    wanted = service.working_group_actions(w.territory_id)
    assert wanted == {medium.id, short.id}
    assert {a.id for a in build_plan(service, w.id).working_group_actions} == wanted


def test_blocking_or_abandoning_an_action_keeps_its_reason(service: Service, facilitation: Facilitation,
                                                           selection: Selection, vote: dict) -> None:
    w, action = vote["workshop"], vote["actions"][0]
    selection.select(w.id, action.id)
    selection.set_follow_up(action.id, "", "", "", "en-cours")
    with pytest.raises(Refused) as caught:
        selection.set_follow_up(action.id, "", "", "", "abandonnee", "  ")
    assert caught.value.key == "status.reason_missing_abandonnee"
    assert service.store.action(action.id).status == "en-cours"
    groups = service.groups(lead_session(service))
    with pytest.raises(Refused) as caught:
        groups.set_status(action.id, "bloquee", 40, "")
    assert caught.value.key == "status.reason_missing_bloquee"
    groups.set_status(action.id, "bloquee", 40, "Le terrain n’est pas encore acheté")
    selection.set_follow_up(action.id, "", "", "", "abandonnee", "La mairie porte le projet")
    log = service.store.action_status_log(action.id)
    assert [(e["status"], e["note"]) for e in log][:2] == [("abandonnee", "La mairie porte le projet"),
                                                         ("bloquee", "Le terrain n’est pas encore acheté")]
