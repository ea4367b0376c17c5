"""The facilitator's board settings: checked, stored (a reload or a restart finds them), sent to every board."""

from __future__ import annotations

from pathlib import Path

import pytest

from atelier.hub import Hub
from atelier.models import BoardState
from atelier.rules import Refused
from atelier.scenario import load_scenario
from atelier.service import Service
from atelier.service.access import SessionEnded
from atelier.store import Store


def test_board_settings_are_stored_published_and_checked(tmp_path: Path) -> None:
    service = Service(Store(tmp_path / "a.sqlite"), Hub())
    territory_id = service.install_scenario(load_scenario())
    workshop = service.ensure_demo_workshop(territory_id)
    session = service.log_in(service.reset_facilitator_secret())
    facilitation = service.as_facilitator(session)
    facilitation.move_phase(workshop.id, 1)
    phone = service.join(workshop.code, "phone", "Zoé", "Scierie Dumas")
    idea = service.submit_idea(workshop.id, phone.id, "client-0001-abcdef", "Broyeur partagé", "", "energie")
    heard: list[BoardState] = []
    service.hub.board_changed(workshop.id).subscribe(heard.append)

    assert service.board_state(workshop.id) == BoardState()
    state = facilitation.set_board(workshop.id, paused=True, category="energie", idea_id=idea.id, hide_qr=True)
    assert heard == [state]
    assert (state.paused, state.category, state.idea_id, state.hide_qr) == (True, "energie", idea.id, True)

    with pytest.raises(Refused) as unknown_idea:
        facilitation.set_board(workshop.id, idea_id=idea.id + 999)
    assert unknown_idea.value.key == "idea.unknown"
    with pytest.raises(Refused) as unknown_category:
        facilitation.set_board(workshop.id, category="pas-une-categorie")
    assert unknown_category.value.key == "board.unknown_category"
    assert service.board_state(workshop.id) == state  # a refused change leaves the stored settings alone

    service.log_out(session)
    with pytest.raises(SessionEnded):  # the open console's capability is refused at its next action
        facilitation.set_board(workshop.id, paused=False)
    with pytest.raises(Refused):
        service.as_facilitator(session)
    service.store.close()

    restarted = Service(Store(tmp_path / "a.sqlite"), Hub())  # a restart finds the board as it was
    assert restarted.board_state(workshop.id) == state
    restarted.store.close()


def test_hidden_organisations_are_those_who_refused(tmp_path: Path) -> None:
    service = Service(Store(tmp_path / "a.sqlite"), Hub())
    territory_id = service.install_scenario(load_scenario())
    hidden = service.hidden_organisations(territory_id)
    assert "garage besson" in hidden and "scierie dumas" not in hidden
    service.store.close()


def test_who_may_be_named_is_published_when_it_changes(tmp_path: Path) -> None:
    """Open boards and plan pages rename at once: the hub hears every change of who may be named in public, and
    nothing else (an edit that keeps the name and the consent wakes no board)."""
    service = Service(Store(tmp_path / "a.sqlite"), Hub())
    territory_id = service.install_scenario(load_scenario())
    diagnostic = service.diagnostic(service.log_in(service.reset_facilitator_secret()))
    heard: list[int] = []
    service.hub.names_changed(territory_id).subscribe(heard.append)
    actor_id = next(i for i, a in diagnostic.actors(territory_id) if a.name == "Scierie Dumas")

    diagnostic.edit_actor(actor_id, {"commune": "Saint-Julien"})  # neither the name nor the consent
    assert heard == []
    diagnostic.edit_actor(actor_id, {"consentement_public": False})
    assert heard == [territory_id] and "scierie dumas" in service.hidden_organisations(territory_id)
    diagnostic.edit_actor(actor_id, {"nom": "Scierie Dumas et fils"})  # a hidden name spelt anew
    diagnostic.set_archived(actor_id, True)  # the network's actors and their numbers
    named = {"nom": "Ferme des Combes", "type": "entreprise", "consentement_public": True}
    diagnostic.add_actor(territory_id, named)  # named: nothing changes for the room
    diagnostic.add_actor(territory_id, {"nom": "Garage du Pont", "type": "entreprise"})  # typed on phones: hidden now
    assert heard == [territory_id] * 4
    service.store.close()
