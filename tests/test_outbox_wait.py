"""A page's outbox sends what is queued, waits without a timer while idle, and stops when told."""

from __future__ import annotations

import asyncio
import hashlib
import inspect
from typing import Any

from nicegui.outbox import Outbox

from atelier import outbox_wait

# NiceGUI 3.18.0's own Outbox.loop, which atelier/outbox_wait.py copies with one change: if this fails after an
# upgrade, compare the two loops again and update the copy, then this fingerprint.
NICEGUI_LOOP_SHA256 = "efb7d8934c322314ea07ef57f5558569fca7194e93c755c7bc7c8d36dca16d1a"


class FakeClient:
    id = "page-1"
    has_socket_connection = True


class FakeOutbox:
    """What the loop reads and calls on an outbox, recording what it sends."""

    def __init__(self) -> None:
        self._enqueue_event: asyncio.Event | None = None
        self._should_stop = False
        self._loaded_components: set[str] = set()
        self.client = FakeClient()
        self.updates: dict[int, Any] = {}
        self.messages: list[tuple[str, str, Any]] = []
        self.sent: list[tuple[str, str, Any]] = []
        self.wakes = 0

    async def _emit(self, message: tuple[str, str, Any]) -> None:
        self.sent.append(message)

    def enqueue(self, message: tuple[str, str, Any]) -> None:
        self.messages.append(message)
        assert self._enqueue_event is not None
        self._enqueue_event.set()


def test_nicegui_loop_is_the_one_copied() -> None:
    source = inspect.getsource(outbox_wait._original_loop)
    assert hashlib.sha256(source.encode()).hexdigest() == NICEGUI_LOOP_SHA256


def test_installed_on_nicegui_outbox() -> None:
    outbox_wait.install()
    assert Outbox.loop is outbox_wait._loop


async def test_sends_queued_messages_then_waits_without_a_timer_then_stops() -> None:
    outbox = FakeOutbox()
    task = asyncio.create_task(outbox_wait._loop(outbox))  # type: ignore[arg-type]
    await asyncio.sleep(0)
    outbox.enqueue(("page-1", "notify", {"message": "Idée reçue"}))
    for _ in range(5):
        await asyncio.sleep(0)
    assert outbox.sent == [("page-1", "notify", {"message": "Idée reçue"})]
    assert outbox.messages == []
    # Idle now: waiting on the event alone, no timeout scheduled on the loop for it.
    timers = [h for h in asyncio.get_running_loop()._scheduled if not h.cancelled()]  # private: a test's look
    assert not any("wait_for" in repr(h) or "_release_waiter" in repr(h) for h in timers)
    assert not task.done()
    outbox.enqueue(("page-1", "run_javascript", {"code": "1"}))
    for _ in range(5):
        await asyncio.sleep(0)
    assert outbox.sent[-1] == ("page-1", "run_javascript", {"code": "1"})
    outbox._should_stop = True
    assert outbox._enqueue_event is not None
    outbox._enqueue_event.set()  # what Outbox.stop() does
    await asyncio.wait_for(task, timeout=5)
    assert task.done() and task.exception() is None
