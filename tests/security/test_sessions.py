"""Facilitator sessions are checked when each use case runs (issue 11, point 1), and logging in is throttled
(point 4). The first test enumerates every public method of every capability class: a method added later
without the check fails it."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from pathlib import Path

import pytest

from atelier.rules import Refused
from atelier.service import Diagnostic, Extension, Facilitation, Groups, Roles, Selection, Service
from atelier.service.access import (
    SESSION_IDLE_SECONDS,
    SESSION_MAX_SECONDS,
    SYSTEM,
    Capability,
    SessionEnded,
    hashed,
)
from atelier.service.login import matching_facilitator
from atelier.service.people import People

CAPABILITIES: dict[type[Capability], Callable[[Service, str], Capability]] = {
    Facilitation: Service.as_facilitator,
    Diagnostic: Service.diagnostic,
    Selection: Service.selection,
    Groups: Service.groups,
    Extension: Service.extension,
    Roles: Service.roles,
    People: Service.people,
}


def public_methods(cls: type) -> list[str]:
    """Every public attribute a page could call, inherited ones included (only `object`'s left out)."""
    return sorted(name for name in dir(cls) if not name.startswith("_") and not hasattr(object, name)
                  and callable(getattr(cls, name)))


def test_every_capability_class_is_a_capability_and_has_methods() -> None:
    for cls in CAPABILITIES:
        assert issubclass(cls, Capability)
        assert public_methods(cls), cls


def _revoked(service: Service, session: str) -> None:
    co_id = next(f.id for f in service.store.facilitators() if f.name == "Co")
    service.roles(_lead(service)).revoke(co_id)


def _lead(service: Service) -> str:
    lead = next(f for f in service.store.facilitators() if f.is_lead)
    return service.sessions.open(lead)


def _expired(service: Service, session: str) -> None:
    with service.store.transaction() as conn:
        conn.execute("UPDATE facilitator_sessions SET expires_at = 1 WHERE id_hash = ?", (hashed(session),))


def _idle(service: Service, session: str) -> None:
    with service.store.transaction() as conn:
        conn.execute("UPDATE facilitator_sessions SET last_used_at = last_used_at - ? WHERE id_hash = ?",
                     (SESSION_IDLE_SECONDS + 1, hashed(session)))


def _reset(service: Service, session: str) -> None:
    service.reset_facilitator_secret()


def _logged_out(service: Service, session: str) -> None:
    service.log_out(session)


ENDINGS = {"revoked": _revoked, "expired": _expired, "idle": _idle, "reset": _reset, "logged out": _logged_out}


# Roles is the lead's page: its session is the one that ends there, and the lead cannot be revoked
# (roles.cannot_revoke_lead, tested in test_groups_service).
CASES = [(cls, ending) for cls in CAPABILITIES for ending in ENDINGS if not (cls is Roles and ending == "revoked")]


@pytest.mark.parametrize(("cls", "ending"), CASES, ids=[f"{c.__name__}-{e}" for c, e in CASES])
def test_every_public_method_refuses_an_ended_session(service: Service, cls: type[Capability], ending: str) -> None:
    service.reset_facilitator_secret()
    lead = _lead(service)
    co_id, _ = service.roles(lead).add_co_facilitator("Co")
    co = next(f for f in service.store.facilitators() if f.id == co_id)
    session = lead if cls is Roles else service.sessions.open(co)  # as logging in with the co's code would
    capability = CAPABILITIES[cls](service, session)
    ENDINGS[ending](service, session)
    for name in public_methods(cls):
        method = getattr(capability, name)
        arguments = [None] * sum(1 for p in inspect.signature(method).parameters.values()
                                 if p.default is inspect.Parameter.empty
                                 and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))
        with pytest.raises(SessionEnded):  # before the use case runs: its (absent) arguments are never read
            result = method(*arguments)
            if inspect.iscoroutine(result):
                asyncio.run(result)
    with pytest.raises(Refused) as caught:  # and the page cannot open it again
        CAPABILITIES[cls](service, session)
    assert caught.value.key == "auth.required"


def test_an_ended_session_is_refused_at_once_and_a_live_one_still_works(service: Service) -> None:
    service.reset_facilitator_secret()
    lead = _lead(service)
    roles = service.roles(lead)
    _, code_a = roles.add_co_facilitator("Alice")
    b_id, code_b = roles.add_co_facilitator("Bruno")
    alice, bruno = service.log_in(code_a), service.log_in(code_b)
    alice_diagnostic, bruno_diagnostic = service.diagnostic(alice), service.diagnostic(bruno)
    territory_id = service.territories()[0]["id"]
    roles.revoke(b_id)
    with pytest.raises(SessionEnded):
        bruno_diagnostic.add_swot_item(territory_id, "forces", "Ajout après retrait")
    item = alice_diagnostic.add_swot_item(territory_id, "forces", "Ajout d’Alice")  # another's session lives
    assert item.text == "Ajout d’Alice"
    assert [i.text for i in service.swot(territory_id)] == ["Ajout d’Alice"]


def test_a_secret_reset_ends_every_session_and_login_link(service: Service) -> None:
    service.reset_facilitator_secret()
    lead = _lead(service)
    _, co_code = service.roles(lead).add_co_facilitator("Co")
    co = service.log_in(co_code)
    link = service.login_link()
    roles = service.roles(lead)
    service.reset_facilitator_secret()  # what `atelier secret --reset` does, from another process or not
    assert not service.is_facilitator(lead) and not service.is_facilitator(co)
    with pytest.raises(SessionEnded):
        roles.add_co_facilitator("Après la remise à zéro")
    assert [f.name for f in service.store.facilitators()] == ["Animation principale", "Co"]
    with pytest.raises(Refused) as caught:
        service.log_in_with_link(link, "10.0.0.2")
    assert caught.value.key == "auth.link_invalid"


def test_sessions_expire_after_idle_time_or_their_lifetime(service: Service) -> None:
    service.reset_facilitator_secret()
    lead = next(f for f in service.store.facilitators() if f.is_lead)
    session = service.sessions.open(lead, now=1000.0)
    assert service.sessions.facilitator(session, now=1000.0 + SESSION_IDLE_SECONDS - 1) is not None
    # Each use pushes the idle limit, never the lifetime.
    used = 1000.0
    while used + SESSION_IDLE_SECONDS - 60 < 1000.0 + SESSION_MAX_SECONDS:
        used += SESSION_IDLE_SECONDS - 60
        if used >= 1000.0 + SESSION_MAX_SECONDS:
            break
        assert service.sessions.facilitator(session, now=used) is not None
    assert service.sessions.facilitator(session, now=1000.0 + SESSION_MAX_SECONDS) is None
    other = service.sessions.open(lead, now=5000.0)
    assert service.sessions.facilitator(other, now=5000.0 + SESSION_IDLE_SECONDS) is None  # a day untouched


def test_sessions_and_links_are_stored_only_as_hashes(service: Service) -> None:
    service.reset_facilitator_secret()
    session, link = _lead(service), service.login_link()
    dump = "\n".join(service.store.db.conn.iterdump())
    assert session not in dump and link not in dump
    assert hashed(session) in dump


def test_a_login_link_works_once(service: Service) -> None:
    service.reset_facilitator_secret()
    link = service.login_link()
    session = service.log_in_with_link(link, "10.0.0.2")
    assert service.facilitator(session).name == "Animation principale"
    with pytest.raises(Refused) as caught:
        service.log_in_with_link(link, "10.0.0.2")
    assert caught.value.key == "auth.link_invalid"


def test_wrong_codes_are_throttled_per_address_then_overall(service: Service) -> None:
    code = service.reset_facilitator_secret()
    for _ in range(5):
        with pytest.raises(Refused) as caught:
            service.log_in("pas-le-bon-code", "10.0.0.66")
        assert caught.value.key == "auth.wrong_secret"
    with pytest.raises(Refused) as caught:  # the sixth in a minute: held back, even with the right code
        service.log_in(code, "10.0.0.66")
    assert caught.value.key == "auth.too_many"
    assert 1 <= caught.value.params["seconds"] <= 60
    assert service.is_facilitator(service.log_in(code, "10.0.0.7"))  # another address logs in
    for n in range(25):  # 30 failures a minute from anywhere: then everyone waits
        with pytest.raises(Refused):
            service.log_in("pas-le-bon-code", f"10.0.1.{n}")
    with pytest.raises(Refused) as caught:
        service.log_in(code, "10.0.0.8")
    assert caught.value.key == "auth.too_many"


def test_the_login_page_path_checks_the_code_off_the_event_loop(service: Service) -> None:
    code = service.reset_facilitator_secret()
    threads: list[str] = []
    real = matching_facilitator

    def spying(secret: str, facilitators: list) -> object:
        import threading

        threads.append(threading.current_thread().name)
        return real(secret, facilitators)

    async def log_in() -> str:
        import atelier.service.login as login

        login.matching_facilitator = spying
        try:
            return await service.log_in_off_loop(code, "10.0.0.9")
        finally:
            login.matching_facilitator = real

    session = asyncio.run(log_in())
    assert service.is_facilitator(session)
    assert threads and all(name.startswith("atelier-login") for name in threads)  # a worker thread, not the loop


def test_codes_too_long_to_be_codes_are_not_hashed(service: Service) -> None:
    service.reset_facilitator_secret()
    with pytest.raises(Refused) as caught:
        service.log_in("x" * 900_000, "10.0.0.3")
    assert caught.value.key == "auth.wrong_secret"


def test_system_access_is_not_reachable_from_pages() -> None:
    """Pages open capabilities only through the service's checks: none names SYSTEM or builds one itself."""
    pages = Path(__file__).resolve().parents[2] / "atelier" / "ui"
    assert sorted(p.name for p in pages.glob("*.py"))  # the pages are where this test looks
    for page in pages.glob("*.py"):
        text = page.read_text(encoding="utf-8")
        assert "SYSTEM" not in text, page.name
        for cls in CAPABILITIES:
            assert f"{cls.__name__}(" not in text, (page.name, cls.__name__)
    assert SYSTEM.check().name == "atelier"


def test_a_flood_from_many_addresses_at_once_checks_no_more_codes_than_the_overall_limit(service: Service) -> None:
    service.reset_facilitator_secret()

    async def flood() -> list[str]:
        async def one(n: int) -> str:
            try:
                await service.log_in_off_loop("pas-le-bon-code", f"10.0.2.{n}")
            except Refused as refusal:
                return refusal.key
            return "logged in"

        return await asyncio.gather(*(one(n) for n in range(40)))

    answers = asyncio.run(flood())
    assert answers.count("auth.wrong_secret") == 30  # LOGIN_OVERALL: 30 a minute, checks under way included
    assert answers.count("auth.too_many") == 10


def test_expired_sessions_and_links_are_forgotten(service: Service) -> None:
    service.reset_facilitator_secret()
    lead = next(f for f in service.store.facilitators() if f.is_lead)
    old, fresh = service.sessions.open(lead, now=1000.0), _lead(service)
    service.sessions.new_link(lead, now=1000.0)
    service.sessions.forget_expired()
    rows = service.store.db.conn.execute("SELECT id_hash FROM facilitator_sessions").fetchall()
    assert rows == [(hashed(fresh),)] and hashed(old) not in str(rows)
    assert service.store.db.conn.execute("SELECT COUNT(*) FROM login_links").fetchone() == (0,)
