"""The throttle windows for logins, joins and forms (atelier.rules.limits), table-driven."""

from __future__ import annotations

import pytest

from atelier.rules.limits import (
    LOGIN_OVERALL,
    LOGIN_PER_CLIENT,
    Throttle,
    Window,
    flagged_origins,
    seconds_to_say,
    wait_needed,
)

MINUTE_5 = (Window(60, 5),)
TWO = (Window(60, 5), Window(900, 20))


@pytest.mark.parametrize(
    ("name", "times", "now", "windows", "expected"),
    [
        ("nothing yet", [], 0.0, MINUTE_5, 0.0),
        ("four in the minute: a fifth is allowed", [0, 1, 2, 3], 10.0, MINUTE_5, 0.0),
        ("five in the minute: wait for the first to leave", [0, 1, 2, 3, 4], 10.0, MINUTE_5, 50.0),
        ("the first left exactly at 60 s", [0, 1, 2, 3, 4], 60.0, MINUTE_5, 0.0),
        ("old events do not count", [-500, -400, 1, 2, 3, 4], 10.0, MINUTE_5, 0.0),
        ("six: the second oldest counted decides", [0, 1, 2, 3, 4, 5], 10.0, MINUTE_5, 51.0),
        ("unsorted times read the same", [4, 0, 3, 1, 2], 10.0, MINUTE_5, 50.0),
        ("the long window holds after the short one frees",
         [i * 40.0 for i in range(20)], 800.0, TWO, 100.0),
        ("the first of twenty left the long window", [i * 40.0 for i in range(20)], 900.0, TWO, 0.0),
        ("the longer wait of two windows wins", [0, 1, 2, 3, 4], 5.0, (Window(60, 5), Window(10, 2)), 55.0),
    ],
)
def test_wait_needed(name: str, times: list[float], now: float, windows: tuple[Window, ...],
                     expected: float) -> None:
    assert wait_needed(times, now, windows) == pytest.approx(expected), name


@pytest.mark.parametrize(("wait", "said"), [(0.01, 1), (1.0, 1), (1.2, 2), (49.9, 50)])
def test_waits_are_said_in_whole_seconds_at_least_one(wait: float, said: int) -> None:
    assert seconds_to_say(wait) == said


def test_login_windows_hold_a_script_and_let_a_person_retry() -> None:
    throttle = Throttle(LOGIN_PER_CLIENT)
    for second in range(5):  # a person mistyping five times in a minute
        assert throttle.wait("10.0.0.7", second) == 0
        throttle.record("10.0.0.7", second)
    assert throttle.wait("10.0.0.7", 5) == pytest.approx(55)  # the sixth waits for the first to leave
    assert throttle.wait("10.0.0.8", 5) == 0  # another address is not held back
    overall = Throttle(LOGIN_OVERALL)
    for i in range(30):
        overall.record("*", i / 10)
    assert overall.wait("*", 3.0) > 0


def test_throttle_forgets_addresses_whose_events_left_every_window() -> None:
    throttle = Throttle(MINUTE_5, max_keys=3)
    for i, address in enumerate(["a", "b", "c"]):
        throttle.record(address, float(i))
    throttle.record("d", 100.0)  # full: the three old ones have left their window and go
    assert len(throttle) == 1
    for i in range(10):
        throttle.record(f"x{i}", 100.0)  # full of live keys: the oldest-seen goes, the size stays bounded
    assert len(throttle) == 3


def test_a_key_keeps_no_more_times_than_its_windows_count() -> None:
    throttle = Throttle(MINUTE_5)
    for i in range(1000):
        throttle.record("a", i / 1000)
    assert len(throttle._times["a"]) == 5
    assert throttle.wait("a", 1.0) == pytest.approx(0.995 + 60 - 1.0)  # the fifth-last of 1000 counts


@pytest.mark.parametrize(
    ("origins", "expected"),
    [
        ([], {}),
        (["a", "a", "a"], {}),  # three identities from one address: a second browser, a private tab
        (["a", "a", "a", "a", "b"], {"a": 4}),
        ([None, None, None, None, None], {}),  # identities made before addresses were kept are not flagged
        (["a"] * 40 + ["b"] * 5 + ["c"], {"a": 40, "b": 5}),
    ],
)
def test_identities_in_bulk_from_one_address_are_flagged(origins: list[str | None], expected: dict[str, int]) -> None:
    assert flagged_origins(origins) == expected
