"""Each page's outbox waits for something to send without a one-second timeout.

NiceGUI 3.18 gives every connected page an outbox task that waits for updates with
`asyncio.wait_for(event.wait(), timeout=1.0)`: when nothing happens it wakes every second only to wait again, and
each wait builds a task and a timer. With 2,000 phones that is 2,000 wake-ups a second while the room is quiet,
and during a burst `wait_for`'s tasks and timers were about a fifth of the server's time spent answering the
phones (atelier bench --phones 2000, py-spy: `_ensure_future` and `wait_for` themselves).

Nothing needs the timeout: every reason to run the loop sets the event (an update, a deletion, a message, a
rewind, and `stop()`, which sets it precisely to wake the loop). This is NiceGUI's loop with a plain wait instead;
everything else is as in nicegui/outbox.py.

Written against NiceGUI 3.18.0: tests/test_outbox_wait.py fails when NiceGUI's own loop changes, so that this
copy is compared with it again when upgrading.
"""

from __future__ import annotations

import asyncio

from nicegui import core
from nicegui.dependencies import JsComponent
from nicegui.outbox import Deleted, Outbox, deleted

_original_loop = Outbox.loop


async def _loop(self: Outbox) -> None:
    """Sends updates and messages of one page (nicegui.outbox.Outbox.loop, without the wait's timeout)."""
    self._enqueue_event = asyncio.Event()
    self._enqueue_event.set()

    while not self._should_stop:
        try:
            if not self._enqueue_event.is_set():
                await self._enqueue_event.wait()  # the one change: no timeout, no task or timer per wait

            client = self.client
            if not client or not client.has_socket_connection:
                await asyncio.sleep(0.1)
                continue

            self._enqueue_event.clear()

            coros = []
            if self.updates:
                data = {
                    element_id: None if element is deleted else element._to_dict()  # type: ignore[union-attr]
                    for element_id, element in self.updates.items()
                }
                js_components = [
                    component
                    for element in self.updates.values()
                    if not isinstance(element, Deleted)
                    and isinstance((component := element.component), JsComponent)
                    and component.name not in self._loaded_components
                ]
                if js_components:
                    coros.append(self._emit((client.id, "load_js_components", {
                        "components": [{"key": c.key, "tag": c.tag} for c in js_components],
                    })))
                    self._loaded_components.update(c.name for c in js_components)
                coros.append(self._emit((client.id, "update", data)))
                self.updates.clear()

            if self.messages:
                for message in self.messages:
                    coros.append(self._emit(message))
                self.messages.clear()

            for coro in coros:
                try:
                    await coro
                except Exception as e:
                    core.app.handle_exception(e)
        except asyncio.CancelledError:
            break
        except Exception as e:
            core.app.handle_exception(e)
            await asyncio.sleep(0.1)


def install() -> None:
    """Idempotent. Pages opened afterwards use the plain wait (each outbox starts its loop when it is made)."""
    Outbox.loop = _loop  # type: ignore[method-assign]
