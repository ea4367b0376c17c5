"""The idea load of `atelier bench` (workshop 1): see atelier.bench.run's docstring."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import secrets
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import httpx

from atelier.bench.base import (
    BOARD_TIMEOUT,
    JOIN_CONCURRENCY,
    PACE_GAP,
    RECEIVED_TIMEOUT,
    RECEIVED_WORD,
    LoadBench,
    Log,
    Phone,
    _short,
    _tap_and_wait,
)
from atelier.bench.figures import (
    BenchResult,
    PhaseFigures,
    Stats,
    _ending_lines,
    _machine_lines,
    _or_na,
    _seconds,
)
from atelier.bench.phone_sim import PageLoadError, SimulatedPage


@dataclass
class Sent:
    title: str
    clicked: float = 0.0
    received: float | None = None
    error: str | None = None


class BoardWatch:
    """Arrival time of each of this run's idea titles on the projector board: the wall receives its ideas as data
    (atelierWall.put) that board.js draws, so the titles are read from those calls."""

    PUT = re.compile(r"atelierWall\.put\((.*), (?:true|false)\)$", re.S)

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.seen: dict[str, float] = {}

    def __call__(self, page: SimulatedPage, code: str, arrived: float) -> None:
        found = self.PUT.match(code)
        if not found:
            return
        for idea in json.loads(found.group(1)):
            title = str(idea.get("t") or "")
            if title.startswith(self.prefix) and title not in self.seen:
                self.seen[title] = arrived

    def has_all(self, titles: Iterable[str]) -> bool:
        return all(t in self.seen for t in titles)


class Bench(LoadBench):
    """The idea load (see the module's docstring): each phone sends one idea spread, then one in a burst."""

    ready_testid = "idea-title"  # what a joined phone shows when the workshop takes what this load sends
    not_ready_message = "joined, but the workshop does not take ideas now (not in its ideas phase?)"
    board_message = "Ouverture du tableau projeté…"

    def __init__(self, result: BenchResult, db_path: Path | None, secret: str | None, pid: int | None,
                 log: Log, seed: int, server_alive: Callable[[], bool] | None = None) -> None:
        super().__init__(result, db_path, pid, log, seed, server_alive=server_alive)
        self.secret = secret
        self.prefix = f"Idée bench {secrets.token_hex(3)}"
        self.board_watch = BoardWatch(self.prefix)
        self.console: SimulatedPage | None = None  # the facilitator's, when we have the secret

    # --- database (set-up and verification only) ---

    def _stored(self, like: str) -> int:
        rows = self._query("SELECT COUNT(*) FROM ideas WHERE workshop_id = ? AND title LIKE ?",
                           (self.workshop_id, like))
        return int(rows[0][0])

    # --- set-up ---

    async def set_up(self) -> None:
        if self.secret is not None:
            self.log("Passage de l’atelier en phase « Idées » (console d’animation)…")
            await self.open_ideas_phase()
        elif self.db_path is not None:
            rows = self._query("SELECT id FROM workshops WHERE code = ?", (self.code,))
            self.workshop_id = int(rows[0][0]) if rows else None
        self.result.console = self.console is not None

    async def open_ideas_phase(self) -> None:
        """As the facilitator: log in with the secret, open the workshop's console, go to the ideas phase."""
        assert self.secret is not None and self.db_path is not None
        rows = self._query("SELECT id, phase_index, phases FROM workshops WHERE code = ?", (self.code,))
        if not rows:
            raise RuntimeError(f"no workshop with code {self.code} in {self.db_path}")
        self.workshop_id, index, phases_json = int(rows[0][0]), int(rows[0][1]), rows[0][2]
        keys = [p.get("collecte") for p in json.loads(phases_json)]
        if "idees" not in keys:
            raise RuntimeError("the workshop has no ideas phase")
        target = keys.index("idees")
        login = await SimulatedPage.open(self.base_url, "/connexion")
        await login.set_value("secret", self.secret)
        await login.click("login")
        await login.wait_for(lambda: login.opened, timeout=20)  # logged in: the page goes to the console
        cookies = httpx.Cookies(login.cookies)
        await login.close()
        # The console stays open for the whole run, as a facilitator's would.
        self.console = console = await SimulatedPage.open(
            self.base_url, f"/animation/atelier/{self.workshop_id}", cookies=cookies)
        await self.raise_participant_cap(console)
        button = "next-phase" if target > index else "previous-phase"
        if console.find(button) is None:
            raise RuntimeError(f"console has no {button!r} button (not logged in?)")
        for _ in range(abs(target - index)):
            before = console.text("phase")
            await console.click(button)
            await console.wait_for(lambda b=before: console.text("phase") != b, timeout=10)
        index = int(self._query("SELECT phase_index FROM workshops WHERE id = ?", (self.workshop_id,))[0][0])
        if index != target:
            raise RuntimeError(f"workshop still in phase {index}, wanted {target}")

    async def raise_participant_cap(self, console: SimulatedPage) -> None:
        """A workshop takes 300 identities by default: more phones need the cap raised, from the console."""
        wanted = self.result.phones + 10
        rows = self._query("SELECT settings FROM workshops WHERE id = ?", (self.workshop_id,))
        if json.loads(rows[0][0] or "{}").get("max_participants", 300) >= wanted:
            return
        await console.set_value("cap", wanted)
        await console.click("cap-save")
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline:
            rows = self._query("SELECT settings FROM workshops WHERE id = ?", (self.workshop_id,))
            if json.loads(rows[0][0] or "{}").get("max_participants") == wanted:
                return
            await asyncio.sleep(0.1)
        raise RuntimeError(f"the console did not raise the participant cap to {wanted}")

    async def open_board(self) -> None:
        self.board = await SimulatedPage.open(self.base_url, f"/tableau/{self.code}", connect_timeout=20,
                                              javascript_hooks=[self.board_watch])
        if self.board.find("wall") is None:
            raise RuntimeError(f"/tableau/{self.code} shows no idea wall (unknown code?)")

    async def send(self, phone: Phone, title: str, sent: Sent, go: asyncio.Event | None = None,
                   delay: float = 0.0) -> None:
        """Types the title, waits for its moment (a delay or the burst's start), taps send, waits for "reçue"."""
        page = phone.page
        assert page is not None
        if delay:
            await asyncio.sleep(delay)
        if not page.connected:
            sent.error = f"disconnected before sending ({page.disconnect_reason})"
            return
        await page.set_value("idea-title", title)
        await self.ready(go)
        previous = {i: page.text(i) for i in page.find_all("status")}

        def answer() -> tuple[str, str, float] | None:
            # Checked after each update: the last update's arrival is when the answer came.
            for element_id in page.find_all("status"):
                text = page.text(element_id) or ""
                if title in text and RECEIVED_WORD in text:
                    return ("ok", text, page.last_update_at)
                if text and text != previous.get(element_id):
                    return ("refused", text, page.last_update_at)
            return None

        answered = await _tap_and_wait(page, "send", answer, RECEIVED_TIMEOUT, sent)
        if answered:
            sent.received = answered[1]

    async def load(self, figures: PhaseFigures, suffix: str, burst: bool) -> list[Sent]:
        phones = [p for p in self.phones if p.page is not None and p.page.connected]
        sends = [Sent(f"{self.prefix} {p.index:04d} {suffix}") for p in phones]
        for phone, sent in zip(phones, sends, strict=True):
            phone.titles.append(sent.title)
        go = asyncio.Event() if burst else None
        self.typed = 0
        spread = self.result.spread
        tasks = [asyncio.create_task(self.send(p, s.title, s, go=go,
                                               delay=0.0 if burst else self.random.uniform(0, spread)))
                 for p, s in zip(phones, sends, strict=True)]
        stored_task: asyncio.Task[float | None] | None = None
        start = time.perf_counter()
        cpu_start: float | None = None
        client_cpu_start = 0.0
        if go is not None:
            start = await self.start_together(go, len(tasks))
            cpu_start = self.sampler.server_cpu_seconds()
            client_cpu_start = time.process_time()
            if self.db_path is not None:
                stored_task = asyncio.create_task(self.time_to_stored(f"{self.prefix} % {suffix}", len(sends),
                                                                      start))
        self.note_failures(sends, await asyncio.gather(*tasks, return_exceptions=True))
        received = [s for s in sends if s.received is not None]
        if self.board is not None and received:
            with contextlib.suppress(TimeoutError, ConnectionError):
                await self.board.wait_for(lambda: self.board_watch.has_all(s.title for s in received),
                                          timeout=BOARD_TIMEOUT)
        cpu_end = self.sampler.server_cpu_seconds() if cpu_start is not None else None
        if cpu_start is not None and cpu_end is not None:
            figures.server_cpu_seconds = cpu_end - cpu_start
            figures.client_cpu_seconds = time.process_time() - client_cpu_start
        if stored_task is not None:
            figures.all_stored_after = await stored_task
        seen = self.board_watch.seen
        figures.sent = len(sends)
        figures.received = len(received)
        figures.on_board = sum(1 for s in sends if s.title in seen)
        figures.refused = sum(1 for s in sends if s.error and s.error.startswith("refused"))
        figures.timeouts = sum(1 for s in sends if s.error == "timeout")
        figures.to_received = Stats.of(s.received - s.clicked for s in received if s.received is not None)
        figures.to_board = Stats.of(seen[s.title] - s.clicked for s in sends if s.title in seen)
        if burst:
            if len(received) == len(sends) and received:
                figures.all_received_after = max(s.received for s in received if s.received) - start
            if figures.on_board == len(sends) and sends:
                figures.all_on_board_after = max(seen[s.title] for s in sends) - start
        for error, count in Counter(s.error for s in sends if s.error).items():
            self.result.errors.append(f"{figures.name}: {count} × {error}")
        return sends

    async def typing_reached_server(self, deadline: float) -> None:
        """The burst starts once the server holds every phone's typed title (its drafts, written every 2 s): at
        2,000 phones the server takes in the typing for a second or more, which is not the burst's to count
        (a room types over minutes, then taps together)."""
        if self.db_path is None or self.workshop_id is None:
            await super().typing_reached_server(deadline)
            return
        typed, since = self.typed, time.perf_counter()
        while time.perf_counter() < deadline + 5:
            rows = self._query("SELECT COUNT(*) FROM drafts d JOIN participants p ON p.id = d.participant_id "
                               "WHERE p.workshop_id = ? AND d.title LIKE ?",
                               (self.workshop_id, f"{self.prefix} % B"))
            if int(rows[0][0]) >= typed:
                self.log(f"  {typed} saisies sur le serveur {time.perf_counter() - since:.1f} s après la dernière "
                         "(brouillons écrits toutes les 2 s) : tous tapent « Envoyer »")
                return
            await asyncio.sleep(0.05)
        self.log("  saisies pas toutes sur le serveur : départ quand même")

    async def time_to_stored(self, like: str, expected: int, start: float) -> float | None:
        """Polls SQLite until all the burst's ideas are rows (seconds after the start), or gives up."""
        deadline = start + RECEIVED_TIMEOUT
        while time.perf_counter() < deadline:
            if self._stored(like) >= expected:
                return time.perf_counter() - start
            await asyncio.sleep(0.01)
        return None

    async def check_reload(self) -> None:
        """A phone reloaded (same cookies) shows its ideas again: its page is rebuilt from the database."""
        phone = next((p for p in self.phones if p.page is not None and p.page.connected and p.titles), None)
        if phone is None or phone.page is None:
            return
        page = phone.page
        try:
            phone.page = await page.reload()
            await phone.page.wait_for(lambda: all(phone.page is not None and phone.page.has_text(t)
                                                  for t in phone.titles), timeout=10)
            self.result.reload_ok = True
        except (TimeoutError, ConnectionError, PageLoadError, OSError) as e:
            self.result.reload_ok = False
            self.result.errors.append(f"reload: {_short(e)}")

    # --- whole run ---
    # --- the two loads ---

    async def spread_load(self) -> None:
        result = self.result
        self.log(f"Envoi étalé sur {result.spread:g} s…")
        spread_sends = await self.load(result.spread_phase, "A", burst=False)
        self.check_server()
        last = max((s.received or s.clicked for s in spread_sends), default=time.perf_counter())
        await asyncio.sleep(max(0.0, last + PACE_GAP - time.perf_counter()))

    async def burst_load(self) -> None:
        self.log("Envoi simultané (tous les téléphones en même temps)…")
        await self.load(self.result.burst_phase, "B", burst=True)

    def collect(self) -> None:
        result = self.result
        self.collect_connections_and_server()
        result.ideas_sent = result.spread_phase.sent + result.burst_phase.sent
        result.ideas_received = result.spread_phase.received + result.burst_phase.received
        result.ideas_on_board = len(self.board_watch.seen)
        if self.db_path is not None and self.workshop_id is not None:
            with contextlib.suppress(sqlite3.Error):
                result.ideas_stored = self._stored(f"{self.prefix} %")


def report_ideas(result: BenchResult) -> str:
    """The idea load's plain-text report (French, like the rest of the command line)."""
    spread, burst = result.spread_phase, result.burst_phase
    stored = "n/a (pas de base locale : --url)" if result.ideas_stored is None else str(result.ideas_stored)
    reasons = ", ".join(f"{r} ×{n}" for r, n in result.disconnect_reasons.items())
    lines = [
        "",
        "=== atelier bench ===",
        f"Serveur            : {result.base_url} ({'temporaire' if result.local_server else '--url'}), "
        f"atelier {result.code}",
        f"Charge             : {result.phones} téléphones + 1 tableau"
        + (" + 1 console d’animation" if result.console else "")
        + f"\n                     1 idée par téléphone étalée sur "
        f"{result.spread:g} s, puis une seconde, tous en même temps"
        + ("\n                     chaque téléphone a ouvert les idées des autres" if result.peers else ""),
        "",
        f"Téléphones connectés : {result.joined}/{result.phones} (échecs : {result.join_failures})",
        f"  connexion (page → formulaire d’idée) : {result.join.show()}",
        f"  durée totale des connexions : {result.join_total:.1f} s ({JOIN_CONCURRENCY} à la fois)",
        "",
        f"Idées envoyées     : {result.ideas_sent}",
        f"Idées « reçue »    : {result.ideas_received}",
        f"Idées en base      : {stored}",
        f"Idées au tableau   : {result.ideas_on_board}",
        f"Connexions perdues : {result.dropped}" + (f" ({reasons})" if reasons else ""),
        f"Rechargements demandés par le serveur : {result.reload_requested}",
        "Téléphone rechargé retrouve ses idées : "
        + {True: "oui", False: "NON", None: "non vérifié"}[result.reload_ok],
        "",
        f"Envoi étalé sur {result.spread:g} s : {spread.sent} envoyées, {spread.received} reçues, "
        f"{spread.on_board} au tableau, {spread.refused} refusées, {spread.timeouts} sans réponse",
        f"  clic → « reçue »  : {spread.to_received.show()}",
        f"  clic → tableau    : {spread.to_board.show()}",
        "",
        f"Envoi simultané    : {burst.sent} envoyées, {burst.received} reçues, {burst.on_board} au tableau, "
        f"{burst.refused} refusées, {burst.timeouts} sans réponse",
        f"  toutes « reçue » après      : {_seconds(burst.all_received_after)}",
        "  toutes en base après        : "
        + ("n/a" if result.ideas_stored is None else _seconds(burst.all_stored_after)),
        f"  toutes au tableau après     : {_seconds(burst.all_on_board_after)}",
        f"  CPU du serveur jusque-là    : {_seconds(burst.server_cpu_seconds)} (d’un cœur ; comparable sur une "
        "machine chargée)",
        f"  CPU du générateur de charge : {_seconds(burst.client_cpu_seconds)} (les téléphones simulés, pendant ce "
        "temps)",
        f"  clic → « reçue »  : {burst.to_received.show()}",
        f"  clic → tableau    : {burst.to_board.show()}",
        "",
        *_machine_lines(result),
        f"Serveur : mémoire une fois les téléphones connectés {_or_na(result.server_rss_joined_mb, ' Mo')}",
        summary_line(result),
        "Cibles (pour comparaison, non vérifiées ici) : 2 000 téléphones, rien de perdu, aucune connexion "
        "perdue, clic → tableau p95 ≤ 100 ms étalé sur 30 s, 2 000 idées simultanées toutes au tableau en 3 s "
        "au plus, serveur ≤ 800 Mo.",
    ]
    return "\n".join(lines + _ending_lines(result))


def summary_line(result: BenchResult) -> str:
    """The figures the issue's targets are about, on one line with the load they ran under (to compare runs)."""
    spread, burst = result.spread_phase, result.burst_phase
    board = spread.to_board
    latency = "—" if not board.count else f"p50 {board.p50:.0f} ms, p95 {board.p95:.0f} ms"
    return (f"Résumé : {result.joined} téléphones · étalé sur {result.spread:g} s : clic → tableau {latency} · "
            f"simultané : toutes en base {_seconds(burst.all_stored_after)}, toutes au tableau "
            f"{_seconds(burst.all_on_board_after)} · serveur {_or_na(result.server_peak_rss_mb, ' Mo')} au plus")
