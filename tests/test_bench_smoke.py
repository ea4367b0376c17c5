"""Smoke test of `atelier bench` and of its simulated phone (which depends on NiceGUI internals).

Plain synchronous tests: the bench starts its own server in a subprocess and runs its own event loop.
No timing is asserted: only that the real phone path works end to end and nothing gets lost.
"""

from __future__ import annotations

import asyncio
from argparse import Namespace

import httpx
import pytest

from atelier.bench import main as bench_main
from atelier.bench.phone_sim import SimulatedPage
from atelier.bench.run import BenchResult, report, run_bench


def test_bench_five_phones_lose_nothing() -> None:
    result = run_bench(5, 3.0)
    assert isinstance(result, BenchResult)
    assert result.errors == []
    assert result.completed and not result.server_crashed
    assert result.joined == 5
    assert result.ideas_sent == 10
    assert result.ideas_received == 10
    assert result.ideas_stored == 10
    assert result.ideas_on_board == 10
    assert result.dropped == 0
    assert result.reload_ok is True  # a reloaded phone finds its ideas again
    assert result.server_peak_rss_mb is not None
    text = report(result)
    assert "Idées en base      : 10" in text
    # The figures the targets are about, with their load, on one line.
    assert "Résumé : 5 téléphones · étalé sur 3 s : clic → tableau p50 " in text
    assert "toutes au tableau " in text and " Mo au plus" in text
    assert result.server_rss_joined_mb is not None  # the room at rest, before the ideas
    assert "mémoire une fois les téléphones connectés" in text


def test_rating_bench_three_phones_rate_every_action() -> None:
    result = run_bench(3, 1.0, ratings=True, actions=3, think=0.1)
    assert result.errors == []
    assert result.completed and not result.server_crashed
    assert result.joined == 3
    assert result.rating_spread.phones_done == 3
    assert result.ratings_acknowledged == result.ratings_sent == 9 + 3  # then each phone changes its last rating
    assert result.ratings_stored == 9
    assert result.ratings_matching == 9  # the toggles' indexes landed as the grades the phones chose
    assert result.voters_stored == 3
    assert result.board_voters == 3
    assert result.board_ratings == 9
    assert result.dropped == 0
    assert result.reload_ok is True  # a reloaded phone finds its ratings again
    text = report(result)
    assert "Notes en base      : 9" in text


def test_bench_refuses_bad_rating_options() -> None:
    with pytest.raises(ValueError, match="--actions"):
        run_bench(1, 0.0, ratings=True, actions=0)


def test_bench_refuses_url_without_code(capsys: pytest.CaptureFixture[str]) -> None:
    args = Namespace(phones=1, spread=0.0, url="http://127.0.0.1:9", code=None)
    assert bench_main(args) == 2
    assert "--code" in capsys.readouterr().err


def test_replayed_messages_are_applied_once() -> None:
    """After a reconnect the server replays messages it was not told were received: the page ignores them."""

    async def scenario() -> None:
        async with httpx.AsyncClient() as http:
            page = SimulatedPage("http://127.0.0.1:9", "/", http, owns_http=False)
            page.elements = {"1": {"props": {"data-testid": "status"}, "text": ""}}
            page._index("1", None, page.elements["1"])
            page.connected = True
            seen: list[str] = []
            page.update_hooks.append(lambda p, changed, t: seen.extend(str(e["text"]) for e in changed.values() if e))

            await page._on_update({"1": {"props": {"data-testid": "status"}, "text": "first"}, "_id": 0})
            await page._on_update({"1": {"props": {"data-testid": "status"}, "text": "stale"}, "_id": 0})
            await page._on_update({"1": {"props": {"data-testid": "status"}, "text": "second"}, "_id": 1})

            assert seen == ["first", "second"]  # the hook, too, saw the replay only once
            assert page.text("status") == "second"
            assert page.next_message_id == 2
            await page._on_update({"2": {"props": {"data-testid": "idea-title"}, "text": "x"}, "_id": 2})
            assert page.find_all("idea-title") == [2]
            await page._on_update({"2": None, "_id": 3})
            assert page.find("idea-title") is None

    asyncio.run(scenario())


def test_login_flood_bench_answers_every_wrong_code_and_every_idea() -> None:
    result = run_bench(2, 1.0, login_flood=3)
    flood = result.flood
    assert result.completed and not result.server_crashed
    assert result.spread_phase.received == 2 and flood.phones.received == 2  # at rest, then under the flood
    assert flood.connected == 3
    assert flood.attempts > 0
    assert flood.errors == []  # every answer was "code incorrect" or "trop de tentatives"
    answered = flood.answered_wrong + flood.answered_throttled
    assert answered + flood.unanswered >= flood.attempts - flood.connected  # at most one cut short per client
    assert "Pendant l’attaque" in report(result)


def test_login_flood_refuses_url_and_ratings() -> None:
    with pytest.raises(ValueError, match="--login-flood"):
        run_bench(1, 0.0, url="http://127.0.0.1:9", code="ABCDE", login_flood=3)
