"""The shallow binary check encodes the app's messages exactly as python-socketio's own packets do."""

from __future__ import annotations

import pytest
from nicegui import core
from socketio import packet

from atelier import json_packets

UPDATE = ["update", {"12": {"tag": "div", "text": "Prêt de la nacelle", "props": {"data-testid": "status"},
                             "classes": ["phone-ok"], "children": [13, 14], "events": []},
                     "13": None, "_id": 4}]
JAVASCRIPT = ["run_javascript", {"code": "atelierWall.put([{\"t\": \"Idée\"}], true)", "_id": 5}]


@pytest.mark.parametrize("data", [UPDATE, JAVASCRIPT, ["notify", {"message": "Reçue", "_id": 6}], None, "x"])
def test_json_messages_encode_as_before(data: object) -> None:
    mine = json_packets.JsonPacket(packet.EVENT, data=data)
    theirs = packet.Packet(packet.EVENT, data=data)
    assert mine.packet_type == theirs.packet_type == packet.EVENT
    assert mine.encode() == theirs.encode()


def test_bytes_as_an_argument_still_travel_as_binary() -> None:
    mine = json_packets.JsonPacket(packet.EVENT, data=["file", b"\x00\x01"])
    assert mine.packet_type == packet.BINARY_EVENT
    assert mine.encode() == packet.Packet(packet.EVENT, data=["file", b"\x00\x01"]).encode()


def test_a_download_of_raw_bytes_travels_as_binary() -> None:
    # NiceGUI's client.download: the file's bytes as a value of the message (ui.download.content, the plan's PDF).
    data = ["download", {"src": b"%PDF-1.4\x00", "filename": "plan.pdf", "media_type": "", "_id": 7}]
    mine = json_packets.JsonPacket(packet.EVENT, data=data)
    assert mine.packet_type == packet.BINARY_EVENT
    assert mine.encode() == packet.Packet(packet.EVENT, data=data).encode()


def test_bytes_nested_deeper_are_refused_not_sent_wrong() -> None:
    with pytest.raises(TypeError):
        json_packets.JsonPacket(packet.EVENT, data=["update", {"1": {"props": {"src": b"\x00"}}}]).encode()


def test_installed_on_the_server() -> None:
    json_packets.install()
    assert core.sio.packet_class is json_packets.JsonPacket
