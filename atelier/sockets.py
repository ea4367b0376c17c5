"""Binds every socket message to the page that socket was opened for (NiceGUI 3.18 does not).

NiceGUI's socket.io handlers for `event`, `javascript_response`, `ack` and `log` (nicegui/nicegui.py) ignore
the socket id and act on whatever page the message names in its `client_id`: a phone whose socket belongs to
its own page could click a button of another phone's page by naming that page's client id and element id
(issue 11: one phone withdrew another's idea). A socket is tied to its page at the handshake
(`Client.handle_handshake` records it in the page's sockets); here the same handlers are registered again,
each first checking that the sending socket is one of the named page's own, and dropping the message if not.

Written against NiceGUI 3.18.0: keep tests/test_socket_binding.py green when upgrading it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from nicegui import core
from nicegui.client import Client
from nicegui.nicegui import _on_ack, _on_event, _on_javascript_response, _on_log

log = logging.getLogger("atelier.sockets")

# Larger socket messages than this are refused by the socket layer (python-engineio closes the socket): the
# longest text a page sends is an interview field or an action's description, far below it. NiceGUI keeps
# engine.io's default of 1 MB, which let a phone store a 900 kB draft.
MAX_SOCKET_MESSAGE_BYTES = 256 * 1024

_BOUND: dict[str, Callable[[str, dict], Any]] = {
    "event": _on_event,
    "javascript_response": _on_javascript_response,
    "ack": _on_ack,
    "log": _on_log,
}


def socket_owns(sid: str, msg: Any) -> bool:
    """Whether the socket `sid` was handshaken for the page (client) the message names."""
    if not isinstance(msg, dict):
        return False
    client = Client.instances.get(str(msg.get("client_id")))
    # A page's sockets are the keys of this map, filled at the handshake and emptied at disconnect.
    return client is not None and sid in client._socket_to_document_id  # a private map (NiceGUI pinned)


def _guarded(name: str, handler: Callable[[str, dict], Any]) -> Callable[[str, Any], Any]:
    def guarded(sid: str, msg: Any) -> Any:
        if not socket_owns(sid, msg):
            log.warning("socket %s sent a %r for a page that is not its own: dropped", sid, name)
            return None
        return handler(sid, msg)

    guarded.__name__ = f"bound_{name}"
    return guarded


def bind_events_to_their_socket() -> None:
    """Replaces NiceGUI's handlers by guarded ones (idempotent: it always wraps NiceGUI's originals)."""
    for name, handler in _BOUND.items():
        core.sio.on(name, _guarded(name, handler))
    core.sio.eio.max_http_buffer_size = MAX_SOCKET_MESSAGE_BYTES
