"""The facilitator's board settings: checked, stored (a reload or a restart finds them), sent to every board."""

from __future__ import annotations

from pathlib import Path

import pytest

from atelier.hub import Hub
from atelier.models import BoardState
from atelier.rules import Refused
from atelier.scenario import load_scenario
from atelier.service import Service
from atelier.store import Store


def test_board_settings_are_stored_published_and_checked(tmp_path: Path) -> None:
    service = Service(Store(tmp_path / "a.sqlite"), Hub())
    territory_id = service.install_scenario(load_scenario())
    workshop = service.ensure_demo_workshop(territory_id)
    service.log_in("fac", service.reset_facilitator_secret())
    facilitation = service.as_facilitator("fac")
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

    service.log_out("fac")
    with pytest.raises(Refused):
        service.as_facilitator("fac").set_board(workshop.id, paused=False)
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
