"""A socket acts only on its own page (issue 11): the attack that withdrew another phone's idea, replayed with a raw
socket.io client against a real server, is dropped; the same message over the victim's own socket works. A 900 kB
draft closes the sender's socket and is not kept."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
from pathlib import Path

from atelier.bench.phone_sim import SimulatedPage
from atelier.launch import start_demo
from tests.prepared import demo_in_ideas_phase


def _withdrawn(db_path: Path, title: str) -> bool:
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        return bool(conn.execute("SELECT withdrawn FROM ideas WHERE title = ?", (title,)).fetchone()[0])


def _withdraw_button(page: SimulatedPage) -> int:
    """The victim's own idea card holding its 'Retirer' button (no test id: found by its text, as the attacker's
    guess would be). The card's click listener carries which button was tapped."""
    return next(int(i) for i, e in page.elements.items()
                if 'data-action="withdraw"' in str((e.get("props") or {}).get("innerHTML") or "")
                and ">Retirer<" in str((e.get("props") or {}).get("innerHTML")))


async def _joined(base_url: str, code: str, name: str) -> SimulatedPage:
    page = await SimulatedPage.open(base_url, f"/j/{code}")
    await page.set_value("name", name)
    await page.set_value("organisation", f"Structure de {name}")
    await page.click("join")
    await page.wait_for_testid("idea-title", timeout=10)
    return page


def test_a_phone_cannot_click_on_another_phones_page(tmp_path: Path) -> None:
    code = demo_in_ideas_phase(tmp_path / "atelier.sqlite")
    server = start_demo(tmp_path)
    try:
        asyncio.run(_attack(server.base_url, code, server.db_path))
    finally:
        server.stop()
    log = (tmp_path / "server.log").read_text(encoding="utf-8")
    assert "for a page that is not its own: dropped" in log


async def _attack(base_url: str, code: str, db_path: Path) -> None:
    victim = await _joined(base_url, code, "Victime")
    attacker = await _joined(base_url, code, "Attaquant")
    try:
        await victim.set_value("idea-title", "Idée de la victime")
        await victim.click("send")
        await victim.wait_for(lambda: _has_withdraw(victim), timeout=10)
        button = _withdraw_button(victim)
        listener = SimulatedPage._listener(victim.elements[str(button)], "click")
        forged = {"id": button, "client_id": victim.client_id, "listener_id": listener["listener_id"],
                  "args": [json.dumps("withdraw")]}

        await attacker.sio.emit("event", forged)  # the attacker's socket names the victim's page and button
        await asyncio.sleep(1.0)  # the server answers a click in milliseconds; leave it ample time
        assert not _withdrawn(db_path, "Idée de la victime")

        await victim.sio.emit("event", forged)  # the very same message over the victim's own socket
        await victim.wait_for_text("retirée", timeout=10)
        assert _withdrawn(db_path, "Idée de la victime")

        # A 900 kB draft (issue 11): over the socket's message limit, the socket is closed and nothing is kept.
        await attacker.set_value("idea-title", "x" * 900_000)
        await attacker.wait_for(lambda: not attacker.connected, timeout=10)
        await asyncio.sleep(2.5)  # drafts are written every 2 s
        with contextlib.closing(sqlite3.connect(db_path)) as conn:
            longest = conn.execute("SELECT MAX(LENGTH(title) + LENGTH(details)) FROM drafts").fetchone()[0] or 0
        assert longest < 10_000
    finally:
        await victim.close()
        await attacker.close()


def _has_withdraw(page: SimulatedPage) -> bool:
    try:
        _withdraw_button(page)
    except StopIteration:
        return False
    return True
