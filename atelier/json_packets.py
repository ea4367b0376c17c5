"""Socket.io packets that do not search every message for binary data (the app's messages are JSON).

python-socketio 5.18 builds each outgoing packet with `Packet.data_is_binary(data)`, a recursive walk over the
whole message, to decide whether bytes must travel as separate binary attachments. NiceGUI sends element trees,
JavaScript and notifications, never bytes (its JSON encoder refuses them). The walk was 14 % of the server's time
while 2,000 phones received their answers to a burst (atelier bench, py-spy): every element of every update
visited once more, for nothing.

Here only the message's own arguments and their own values are looked at: an event sent with bytes as an
argument, or NiceGUI's download message ({"src": bytes, …}), still goes binary; bytes nested deeper would reach the
JSON encoder, which raises instead of sending something wrong. (The first version looked at the arguments only,
and every `ui.download.content` stopped: the plan's PDF test caught it on a clean clone.)

Written against python-socketio 5.18.1 (`BaseServer.packet_class`, read at every emit): keep
tests/test_json_packets.py green when upgrading it.
"""

from __future__ import annotations

from typing import Any

from nicegui import core
from socketio import packet


class JsonPacket(packet.Packet):
    """A socket.io packet whose binary check is shallow (see the module's docstring)."""

    @classmethod
    def data_is_binary(cls, data: Any) -> bool:
        if isinstance(data, bytes | bytearray):
            return True
        if isinstance(data, list | tuple):
            return any(_binary(item) for item in data)
        return False


def _binary(argument: Any) -> bool:
    """An argument that is bytes, or a message whose own values are: NiceGUI's "download" message carries the file
    as {"src": bytes, …} (`ui.download.content`, the plan's PDF). An update's element trees are not walked."""
    if isinstance(argument, bytes | bytearray):
        return True
    return isinstance(argument, dict) and any(isinstance(value, bytes | bytearray) for value in argument.values())


def install() -> None:
    """Idempotent: the server reads its packet class at each emit."""
    core.sio.packet_class = JsonPacket
