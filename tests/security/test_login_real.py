"""Logging in against a real server (issue 11, point 4), with the simulated browser of the bench (no Chromium):
wrong codes are held back per address, a held-back address gets a short 429 instead of a page, the one-time link
printed at start works once, and the code appears in no URL the server printed."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from atelier.bench.phone_sim import SimulatedPage
from atelier.launch import start_demo


async def _try(page: SimulatedPage, code: str) -> str:
    await page.set_value("secret", code)
    await page.click("login")
    await page.wait_for(lambda: page.value("secret") == "", timeout=20)  # the page empties the field to answer
    return page.text("status") or ""


async def _scenario(base_url: str, link: str) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        page = await SimulatedPage.open(base_url, "/connexion", http=http)
        for _ in range(5):
            assert await _try(page, "pas-le-bon-code") == "Code d’animation incorrect."
        answer = await _try(page, "pas-le-bon-code")
        assert answer.startswith("Trop de tentatives de connexion : réessayez dans ")
        # Held back, even the right code would be refused now: no code is checked before the wait ends.
        assert (await _try(page, "pas-le-bon-code")).startswith("Trop de tentatives de connexion")
        await page.close()

        held = await http.get("/connexion")
        assert held.status_code == 429
        assert 1 <= int(held.headers["Retry-After"]) <= 60
        assert "Trop de tentatives de connexion" in held.text

        # Another machine of the hall is not held back (the address as a local proxy would forward it).
        other = await http.get("/connexion", headers={"X-Forwarded-For": "192.168.1.50"})
        assert other.status_code == 200

    async with httpx.AsyncClient(base_url=base_url, timeout=30, headers={"X-Forwarded-For": "192.168.1.51"}) as http:
        first = await http.get(link)
        assert first.status_code == 303 and first.headers["location"] == "/animation"
        console = await http.get("/animation")
        assert "Console d’animation" in console.text
    async with httpx.AsyncClient(base_url=base_url, timeout=30, headers={"X-Forwarded-For": "192.168.1.52"}) as http:
        again = await http.get(link)  # the link works once
        assert again.status_code == 200 and "Ce lien de connexion n’est plus valable" in again.text


def test_login_is_held_back_and_the_printed_link_works_once(tmp_path: Path) -> None:
    server = start_demo(tmp_path)
    try:
        printed = (tmp_path / "server.log").read_text(encoding="utf-8")
        assert server.secret and f"jeton={server.secret}" not in printed  # the code never goes in a URL
        asyncio.run(_scenario(server.base_url, server.login_link))
    finally:
        server.stop()
