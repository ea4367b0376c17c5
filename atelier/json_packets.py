"""Socket.io packets that do not search every message for binary data (the app's messages are JSON).

python-socketio 5.18 builds each outgoing packet with `Packet.data_is_binary(data)`, a recursive walk over the
whole message, to decide whether bytes must travel as separate binary attachments. NiceGUI sends element trees,
JavaScript and notifications, never bytes (its JSON encoder refuses them). The walk was 14 % of the server's time
while 2,000 phones received their answers to a burst (atelier bench, py-spy): every element of every update
visited once more, for nothing.

Here only the message's own arguments are looked at (an event sent with bytes as an argument still goes binary);
bytes nested deeper would now reach the JSON encoder, which raises instead of sending something wrong.

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
            return any(isinstance(item, bytes | bytearray) for item in data)
        return False


def install() -> None:
    """Idempotent: the server reads its packet class at each emit."""
    core.sio.packet_class = JsonPacket
