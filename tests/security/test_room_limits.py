"""A room's worth of identities, not a script's (issue 11, point 5), through the service: the participant cap, the
join pace per address, identities in bulk flagged and their votes excluded, bounded drafts, the public form."""

from __future__ import annotations

import types
from collections.abc import Callable

import pytest

from atelier.models import Draft
from atelier.rules import Refused
from atelier.service import Facilitation, Service
from atelier.service.participation import DRAFT_DETAILS_MAX, DRAFT_TITLE_MAX
from tests.prepared import vote_on


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The service's clock, moved by the test (joins are paced per minute)."""
    now = [1_000_000.0]
    # The module the Service class was defined in (the `user` tests re-import the app's modules).
    monkeypatch.setitem(Service.join.__globals__, "time", types.SimpleNamespace(time=lambda: now[0]))
    return now


def test_a_workshop_refuses_new_identities_beyond_its_cap(service: Service, facilitation: Facilitation) -> None:
    workshop = service.workshops()[0]
    assert workshop.settings.max_participants == 300  # the default: a village hall's worth
    facilitation.set_participant_cap(workshop.id, 3)
    for n in range(3):
        service.join(workshop.code, f"phone-{n}", f"P{n}", "Org", f"10.0.0.{n}")
    with pytest.raises(Refused) as caught:
        service.join(workshop.code, "phone-3", "P3", "Org", "10.0.0.3")
    assert (caught.value.key, caught.value.params) == ("join.full", {"max": 3})
    renamed = service.join(workshop.code, "phone-1", "Paul", "Org", "10.0.0.1")  # who joined may still rename
    assert renamed.name == "Paul"
    assert service.participant_count(workshop.id) == 3
    for bad in (0, -5, "beaucoup", None, 10**6):
        with pytest.raises(Refused) as caught:
            facilitation.set_participant_cap(workshop.id, bad)
        assert caught.value.key == "participants.bad_cap"


def test_joins_are_paced_per_address_but_not_from_the_laptop_itself(service: Service, clock: list[float]) -> None:
    workshop = service.workshops()[0]
    for n in range(10):
        service.join(workshop.code, f"script-{n}", f"S{n}", "Org", "10.0.0.66")
    with pytest.raises(Refused) as caught:
        service.join(workshop.code, "script-10", "S10", "Org", "10.0.0.66")
    assert caught.value.key == "join.too_fast" and 1 <= caught.value.params["seconds"] <= 60
    service.join(workshop.code, "phone-a", "Zoé", "Scierie Dumas", "10.0.0.7")  # the room goes on joining
    for n in range(20):  # the facilitator's own laptop (the bench, a local proxy) is not paced
        service.join(workshop.code, f"local-{n}", f"L{n}", "Org", "127.0.0.1")
    clock[0] += 61
    service.join(workshop.code, "script-10", "S10", "Org", "10.0.0.66")  # a minute later, one more


def _rate_all(service: Service, workshop_id: int, phones: list, action_id: int, grade: int, engagement: str) -> None:
    for phone in phones:
        service.rate(workshop_id, phone.id, action_id, grade, grade, "court", engagement)


def test_votes_of_identities_made_in_bulk_can_be_excluded(service: Service, clock: list[float]) -> None:
    prepared = vote_on(service, ["Camion frigorifique en commun"])
    vote, action = prepared.vote, prepared.actions[0]
    facilitation = prepared.facilitation
    room = [service.join(vote.code, f"phone-{n}", f"P{n}", f"Org {n}", f"10.0.0.{n + 1}") for n in range(2)]
    _rate_all(service, vote.id, room, action.id, 2, "interesse")
    made_up = []
    for n in range(40):  # the attack of issue 11: 40 identities from one script
        if n and n % 10 == 0:
            clock[0] += 61
        made_up.append(service.join(vote.code, f"script-{n}", f"Robot {n}", f"Fausse {n}", "10.0.0.66"))
    _rate_all(service, vote.id, made_up, action.id, 5, "pilote")
    assert service.results(vote.id).actions[0].fruit.flagged  # the script made it low-hanging fruit

    [flag] = service.bulk_origins(vote.id)
    assert flag.identities == 40 and not flag.votes_excluded
    assert facilitation.exclude_votes(vote.id, flag.origin) == 40
    results = service.results(vote.id)
    [result] = results.actions
    assert not result.fruit.flagged
    assert (result.impact.median, result.ease.median) == (2, 2)
    assert result.leads == ()  # the made-up pilots engage no one either
    assert (results.voters, results.excluded_votes, results.excluded_voters) == (2, 40, 40)
    with pytest.raises(Refused) as caught:
        facilitation.exclude_votes(vote.id, "pas-une-adresse")
    assert caught.value.key == "participants.origin_unknown"
    facilitation.exclude_votes(vote.id, flag.origin, excluded=False)  # a mistake undone
    assert service.results(vote.id).excluded_votes == 0


def test_addresses_are_kept_only_as_a_keyed_hash(service: Service) -> None:
    workshop = service.workshops()[0]
    service.join(workshop.code, "phone-1", "Zoé", "Scierie Dumas", "192.168.1.23")
    dump = "\n".join(service.store.db.conn.iterdump())
    assert "192.168.1.23" not in dump
    assert service.origin_of("192.168.1.23") in dump


def test_a_draft_is_bounded(service: Service) -> None:
    workshop = service.workshops()[0]
    phone = service.join(workshop.code, "phone-1", "Zoé", "Scierie Dumas", "10.0.0.1")
    service.keep_draft(phone.id, Draft(title="t" * 900_000, details="d" * 900_000, category="c" * 900_000))
    service.flush_drafts()
    draft = service.store.draft(phone.id)
    assert (len(draft.title), len(draft.details), len(draft.category)) == (DRAFT_TITLE_MAX, DRAFT_DETAILS_MAX, 64)


def _public_form(service: Service, email: str, client: str = "10.0.0.9") -> Callable[[], int]:
    key = service.territories()[0]["key"]
    return lambda: service.request_to_join(key, {"organisation": "Ferme neuve", "contact": "Léa", "email": email},
                                           client=client)


def test_the_public_form_answers_alike_whether_the_email_is_known(service: Service) -> None:
    tid = service.territories()[0]["id"]
    known = next(a.contact.email for _, a in service.store.actors(tid) if a.contact.email)
    waiting = len(service.store.join_requests(tid))
    assert _public_form(service, known.upper(), "10.0.0.9")() == 0  # no refusal that would say "already in"
    assert len(service.store.join_requests(tid)) == waiting  # and nothing added
    assert _public_form(service, "lea@ferme-neuve.example", "10.0.0.10")() > 0
    with pytest.raises(Refused) as caught:  # a 900 kB e-mail is refused, not kept
        _public_form(service, "a" * 900_000 + "@x.example", "10.0.0.11")()
    assert caught.value.key == "actor.bad_email"


def test_the_public_form_is_paced_per_address(service: Service) -> None:
    for n in range(3):
        _public_form(service, f"lea{n}@ferme.example")()
    with pytest.raises(Refused) as caught:
        _public_form(service, "lea9@ferme.example")()
    assert caught.value.key == "joinreq.too_fast"
    _public_form(service, "paul@ferme.example", "10.0.0.99")()  # another address is not held back
