"""`atelier bench`: simulated phones join a live workshop and send ideas, or rate actions, while a projector watches.

Each phone is a `SimulatedPage` speaking the page's own HTTP + socket.io protocol, so the server does exactly
what it does for a real phone.

The idea load (workshop 1, the default) has two loads following each other:

* spread: each phone sends one idea at a random moment over `spread` seconds;
* burst: all phones send a second idea at the same moment (after the server's 3 s pace per phone).

Measured: joins, click -> "Idée reçue" on the phone, click -> the idea's card on the board, ideas stored in
SQLite, dropped connections, the server's memory and CPU.

The rating load (`--ratings`, workshop 2's vote) runs instead of it, on a workshop "selection" prepared in the
temporary database before the server starts (K candidate actions, phase "Vote", results shown on the projector):

* spread: each phone starts at a random moment over `spread` seconds, then rates every action one after the
  other (impact, ease, horizon, engagement, "Enregistrer et continuer"), `think` seconds apart on average;
* burst: all phones change their rating of the action on their screen at the same moment.

Measured: click -> "Note enregistrée" on the phone, ratings stored in SQLite and equal to what the phones chose,
the projector's "N votant·es" and its ranking's "n notes" catching up, dropped connections, memory and CPU.
Figures are printed, never judged here.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import math
import random
import re
import resource
import secrets
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
import psutil

from atelier.bench import DEFAULT_ACTIONS, DEFAULT_THINK
from atelier.bench.phone_sim import Element, PageLoadError, SimulatedPage
from atelier.launch import RunningServer, start_demo
from atelier.rules.selection import Engagement, Horizon

JOIN_CONCURRENCY = 50  # phones opening their page at the same time
JOIN_TIMEOUT = 60.0  # one phone: page, socket, join, idea form
RECEIVED_TIMEOUT = 30.0  # click -> "reçue"
BOARD_TIMEOUT = 15.0  # last "reçue" -> every idea on the board
PACE_GAP = 3.5  # the server refuses a second idea from a phone within 3 s
SAMPLE_INTERVAL = 0.5
RECEIVED_WORD = "reçue"  # the phone says "Idée reçue : « … »" once the idea is stored (French pages)

# The rating load (French pages; see atelier.ui.selection.RatingArea and ResultsView).
MAX_ACTIONS = 60  # DEFAULT_ACTIONS and DEFAULT_THINK (each wait is 0.5-1.5 times it) are in atelier.bench
RATING_TIMEOUT = 30.0  # click "Enregistrer et continuer" -> "Note enregistrée"
SAVED_WORD = "Note enregistrée"
ALL_DONE_WORD = "Toutes les actions sont notées"
QUIET_BOARD = 1.5  # burst: the board is settled once it has not redrawn its ranking for this long
HORIZONS = [h.value for h in Horizon]  # the order of the horizon toggle's options (HORIZON_KEYS)
ENGAGEMENTS = [e.value for e in Engagement]  # the order of the engagement toggle's options (ENGAGEMENT_KEYS)
ENGAGEMENT_WEIGHTS = (1, 3, 6, 10)  # pilote, contributeur, intéressé, aucun: few leads, as in a real room
_PROGRESS_RE = re.compile(r"(\d+)/(\d+) notées")
_NUMBER_RE = re.compile(r"\d+")
_NOTES_RE = re.compile(r"(\d+) notes$")

T = TypeVar("T")
Log = Callable[[str], None]


# --- figures -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    """A latency distribution, in milliseconds (nearest-rank percentiles)."""

    count: int = 0
    p50: float | None = None
    p95: float | None = None
    max: float | None = None

    @classmethod
    def of(cls, seconds: Iterable[float]) -> Stats:
        values = sorted(s * 1000 for s in seconds)
        if not values:
            return cls()

        def rank(p: float) -> float:
            return values[max(0, min(len(values) - 1, math.ceil(len(values) * p / 100) - 1))]

        return cls(len(values), rank(50), rank(95), values[-1])

    def show(self) -> str:
        if not self.count:
            return "aucune mesure"
        return f"p50 {self.p50:.0f} ms · p95 {self.p95:.0f} ms · max {self.max:.0f} ms  (n={self.count})"


@dataclass
class PhaseFigures:
    """One load (spread or burst): what was sent, acknowledged, seen, and how fast."""

    name: str
    sent: int = 0  # clicks on "Envoyer"
    received: int = 0  # phones that then said "reçue"
    on_board: int = 0  # of those, ideas seen on the board
    refused: int = 0
    timeouts: int = 0
    to_received: Stats = field(default_factory=Stats)  # click -> "reçue"
    to_board: Stats = field(default_factory=Stats)  # click -> card on the board
    all_received_after: float | None = None  # burst: start -> last "reçue"
    all_stored_after: float | None = None  # burst: start -> last row in SQLite (polled)
    all_on_board_after: float | None = None  # burst: start -> last card on the board


@dataclass
class RatingFigures:
    """One rating load (spread or burst): what was sent, acknowledged, stored and shown, and how fast."""

    name: str
    sent: int = 0  # taps on "Enregistrer et continuer"
    acknowledged: int = 0  # then "Note enregistrée" / "Toutes les actions sont notées" on the phone
    refused: int = 0
    timeouts: int = 0
    failed: int = 0  # disconnected or broken before an answer
    phones_done: int = 0  # spread: phones that reached "Toutes les actions sont notées"
    to_ack: Stats = field(default_factory=Stats)  # click -> acknowledged
    to_board: Stats = field(default_factory=Stats)  # click -> counted on the board (matched by rank, see below)
    all_acknowledged_after: float | None = None  # start -> last acknowledgement
    all_stored_after: float | None = None  # burst: start -> every changed rating in SQLite (polled)
    board_after: float | None = None  # start -> the board shows every voter and rating (burst: last redraw)
    board_lag: float | None = None  # last acknowledgement -> that moment


@dataclass
class BenchResult:
    phones: int
    spread: float
    base_url: str
    code: str
    local_server: bool
    console: bool = False  # a facilitator's console was open during the run
    joined: int = 0
    join_failures: int = 0
    join: Stats = field(default_factory=Stats)
    join_total: float = 0.0
    spread_phase: PhaseFigures = field(default_factory=lambda: PhaseFigures("étalé"))
    burst_phase: PhaseFigures = field(default_factory=lambda: PhaseFigures("simultané"))
    ideas_sent: int = 0
    ideas_received: int = 0
    ideas_stored: int | None = None  # rows in SQLite with this run's titles (None: no database at hand)
    ideas_on_board: int = 0
    dropped: int = 0  # connections closed without our asking (phones and board)
    disconnect_reasons: dict[str, int] = field(default_factory=dict)
    reload_requested: int = 0  # try_reconnect from the server
    reload_ok: bool | None = None  # a phone reloaded finds its ideas again (page rebuilt from the database)
    server_peak_rss_mb: float | None = None
    server_cpu_mean: float | None = None  # % of one core
    server_cpu_peak: float | None = None
    client_cpu_mean: float | None = None  # this load generator's own process
    client_loop_lag_max_ms: float | None = None  # how late this process's event loop ran (skews latencies)
    wall: float = 0.0
    server_crashed: bool = False
    completed: bool = False
    errors: list[str] = field(default_factory=list)
    # The rating load (`ratings`): the idea figures above stay at zero then.
    ratings: bool = False
    peers: bool = False  # every phone opened the others' ideas (issue 10) before the loads
    actions: int = 0  # candidate actions each phone rates
    think: float = 0.0
    rating_spread: RatingFigures = field(default_factory=lambda: RatingFigures("étalé"))
    rating_burst: RatingFigures = field(default_factory=lambda: RatingFigures("simultané"))
    ratings_sent: int = 0
    ratings_acknowledged: int = 0
    ratings_stored: int | None = None  # rows of the workshop in SQLite (None: no database at hand)
    ratings_matching: int | None = None  # of those, equal to the last choice its phone saw acknowledged
    voters_stored: int | None = None
    board_voters: int | None = None  # the projector's "N votant·es" at the end
    board_ratings: int | None = None  # sum of the vote progress's "n notes" at the end
    board_redraws: int = 0  # results updates the projector received during the loads
    server_rss_joined_mb: float | None = None  # once every phone has joined, before the first rating


# --- the run ---------------------------------------------------------------------------------------------


@dataclass
class Phone:
    index: int
    page: SimulatedPage | None = None
    joined_in: float | None = None
    titles: list[str] = field(default_factory=list)
    first_ack: float | None = None  # rating load: when this phone became a voter (its first "Note enregistrée")
    done_at: float | None = None  # rating load: "Toutes les actions sont notées"


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


class Sampler:
    """Server RSS and CPU (the process and its children), this process's CPU and event-loop lag."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        self._procs: dict[int, psutil.Process] = {}
        self.rss: list[float] = []
        self.cpu: list[float] = []
        self.client_cpu: list[float] = []
        self.lag_max = 0.0
        self.server_gone = False
        self._me = psutil.Process()

    def _server_processes(self) -> list[psutil.Process]:
        assert self.pid is not None
        root = psutil.Process(self.pid)
        found = [root, *root.children(recursive=True)]
        # Keep the same Process objects: cpu_percent() measures since the previous call on that object.
        self._procs = {p.pid: self._procs.get(p.pid, p) for p in found}
        return list(self._procs.values())

    def sample(self, first: bool = False) -> None:
        cpu = self._me.cpu_percent()
        if not first:
            self.client_cpu.append(cpu)
        if self.pid is None or self.server_gone:
            return
        try:
            procs = self._server_processes()
            rss = cpu_total = 0.0
            for proc in procs:
                with contextlib.suppress(psutil.NoSuchProcess):
                    rss += proc.memory_info().rss
                    cpu_total += proc.cpu_percent()
        except psutil.NoSuchProcess:
            self.server_gone = True
            return
        if not first:
            self.rss.append(rss / 2**20)
            self.cpu.append(cpu_total)

    async def run(self) -> None:
        self.sample(first=True)
        while True:
            before = time.perf_counter()
            await asyncio.sleep(SAMPLE_INTERVAL)
            self.lag_max = max(self.lag_max, time.perf_counter() - before - SAMPLE_INTERVAL)
            self.sample()


def _local_server_pid(base_url: str) -> int | None:
    """The pid listening on a local --url's port, if it can be seen from here."""
    parts = urlsplit(base_url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        return None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    with contextlib.suppress(psutil.Error, OSError):
        for conn in psutil.net_connections(kind="tcp"):
            if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port and conn.pid:
                return int(conn.pid)
    return None


async def _bounded(coros: Iterable[Awaitable[T]], limit: int) -> list[T | BaseException]:
    semaphore = asyncio.Semaphore(limit)

    async def one(coro: Awaitable[T]) -> T:
        async with semaphore:
            return await coro

    return await asyncio.gather(*(one(c) for c in coros), return_exceptions=True)


def _quiet_gc() -> None:
    """Keeps this process's own full collections (100-200 ms with 500 pages) out of the measured latencies."""
    gc.collect()
    gc.freeze()


def _short(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {text}"[:160]


async def _tap_and_wait(page: SimulatedPage, marker: str, answer: Callable[[], tuple[str, str, float] | None],
                        timeout: float, sent: Sent | RatingSent) -> tuple[str, float] | None:
    """Taps `marker` and waits for the page's answer: (its text, when it arrived) if it says yes; else None, with
    the reason (timeout, lost socket, refusal) in `sent.error`."""
    sent.clicked = time.perf_counter()
    await page.click(marker)
    try:
        outcome, text, arrived = await page.wait_for(answer, timeout=timeout)
    except TimeoutError:
        sent.error = "timeout"
        return None
    except ConnectionError as e:
        sent.error = _short(e)
        return None
    if outcome != "ok":
        sent.error = f"refused: {text}"
        return None
    return text, arrived


def phone_name(index: int) -> str:
    return f"Bench {index:04d}"


class Bench:
    """The idea load (see the module's docstring); `RatingBench` reuses its joins, board and closing."""

    ready_testid = "idea-title"  # what a joined phone shows when the workshop takes what this load sends
    not_ready_message = "joined, but the workshop does not take ideas now (not in its ideas phase?)"

    def __init__(self, result: BenchResult, db_path: Path | None, secret: str | None, pid: int | None,
                 log: Log, seed: int, server_alive: Callable[[], bool] | None = None) -> None:
        self.result = result
        self.server_alive = server_alive
        self.base_url = result.base_url
        self.code = result.code
        self.db_path = db_path
        self.secret = secret
        self.sampler = Sampler(pid)
        self.log = log
        self.random = random.Random(seed)
        self.prefix = f"Idée bench {secrets.token_hex(3)}"
        self.board_watch = BoardWatch(self.prefix)
        self.board: SimulatedPage | None = None
        self.console: SimulatedPage | None = None  # the facilitator's, when we have the secret
        self.phones: list[Phone] = []
        self.workshop_id: int | None = None
        self.typed = 0  # burst: phones whose title is typed, waiting for the start

    # --- database (set-up and verification only) ---

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        assert self.db_path is not None
        with contextlib.closing(sqlite3.connect(self.db_path, timeout=5)) as conn:
            return conn.execute(sql, params).fetchall()

    def _stored(self, like: str) -> int:
        rows = self._query("SELECT COUNT(*) FROM ideas WHERE workshop_id = ? AND title LIKE ?",
                           (self.workshop_id, like))
        return int(rows[0][0])

    # --- set-up ---

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
        login = await SimulatedPage.open(self.base_url, f"/connexion?jeton={self.secret}")
        cookies = httpx.Cookies(login.cookies)  # loading the page with the secret logged this browser in
        await login.close()
        # The console stays open for the whole run, as a facilitator's would.
        self.console = console = await SimulatedPage.open(
            self.base_url, f"/animation/atelier/{self.workshop_id}", cookies=cookies)
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

    async def open_board(self) -> None:
        self.board = await SimulatedPage.open(self.base_url, f"/tableau/{self.code}", connect_timeout=20,
                                              javascript_hooks=[self.board_watch])
        if self.board.find("wall") is None:
            raise RuntimeError(f"/tableau/{self.code} shows no idea wall (unknown code?)")

    async def join(self, phone: Phone) -> None:
        started = time.perf_counter()
        page = await SimulatedPage.open(self.base_url, f"/j/{self.code}", connect_timeout=20)
        phone.page = page
        if page.find("join") is None:
            raise RuntimeError(f"/j/{self.code} shows no join form")
        await page.set_value("name", phone_name(phone.index))
        await page.set_value("organisation", f"Structure bench {phone.index % 25:02d}")
        await page.click("join")
        ready = self.ready_testid
        await page.wait_for(lambda: page.find(ready) is not None or page.find("closed") is not None,
                            timeout=JOIN_TIMEOUT)
        if page.find(ready) is None:
            raise RuntimeError(self.not_ready_message)
        if self.result.peers:  # the worst case of the others' ideas: every phone reads them during the loads
            await page.click("peers-open")
            await page.wait_for(lambda: page.find("peers-order") is not None, timeout=JOIN_TIMEOUT)
        phone.joined_in = time.perf_counter() - started

    async def join_all(self) -> None:
        result = self.result
        self.phones = [Phone(i) for i in range(result.phones)]
        started = time.perf_counter()
        done = 0

        async def join_one(phone: Phone) -> None:
            nonlocal done
            await asyncio.wait_for(self.join(phone), JOIN_TIMEOUT)
            done += 1
            if done % 100 == 0:
                self.log(f"  {done} téléphones connectés…")

        outcomes = await _bounded((join_one(p) for p in self.phones), JOIN_CONCURRENCY)
        result.join_total = time.perf_counter() - started
        failures = Counter(_short(o) for o in outcomes if isinstance(o, BaseException))
        for error, count in failures.items():
            result.errors.append(f"join: {count} × {error}")
        joined = [p for p in self.phones if p.joined_in is not None]
        result.joined = len(joined)
        result.join_failures = result.phones - len(joined)
        result.join = Stats.of(p.joined_in for p in joined if p.joined_in is not None)

    # --- sending ---

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
        if go is not None:
            self.typed += 1
            await go.wait()
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
        if go is not None:
            deadline = time.perf_counter() + 20
            while self.typed < len(tasks) and time.perf_counter() < deadline:
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.3)  # every title typed and sent: now everyone taps at once
            start = time.perf_counter()
            go.set()
            if self.db_path is not None:
                stored_task = asyncio.create_task(self.time_to_stored(f"{self.prefix} % {suffix}", len(sends),
                                                                      start))
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        for sent, outcome in zip(sends, outcomes, strict=True):
            if isinstance(outcome, BaseException) and sent.error is None:
                sent.error = _short(outcome)
        received = [s for s in sends if s.received is not None]
        if self.board is not None and received:
            with contextlib.suppress(TimeoutError, ConnectionError):
                await self.board.wait_for(lambda: self.board_watch.has_all(s.title for s in received),
                                          timeout=BOARD_TIMEOUT)
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

    def check_server(self) -> None:
        if self.server_alive is not None and not self.server_alive():
            raise RuntimeError("the server stopped")

    async def run(self) -> None:
        result = self.result
        sampler_task = asyncio.create_task(self.sampler.run())
        try:
            if self.secret is not None:
                self.log("Passage de l’atelier en phase « Idées » (console d’animation)…")
                await self.open_ideas_phase()
            elif self.db_path is not None:
                rows = self._query("SELECT id FROM workshops WHERE code = ?", (self.code,))
                self.workshop_id = int(rows[0][0]) if rows else None
            self.log("Ouverture du tableau projeté…")
            self.result.console = self.console is not None
            await self.open_board()
            self.log(f"Connexion de {result.phones} téléphones ({JOIN_CONCURRENCY} à la fois)…")
            await self.join_all()
            self.check_server()
            if not result.joined:
                raise RuntimeError("no phone could join")
            _quiet_gc()
            self.log(f"Envoi étalé sur {result.spread:g} s…")
            spread_sends = await self.load(result.spread_phase, "A", burst=False)
            self.check_server()
            last = max((s.received or s.clicked for s in spread_sends), default=time.perf_counter())
            await asyncio.sleep(max(0.0, last + PACE_GAP - time.perf_counter()))
            _quiet_gc()
            self.log("Envoi simultané (tous les téléphones en même temps)…")
            await self.load(result.burst_phase, "B", burst=True)
            self.check_server()
            await self.check_reload()
            result.completed = True
        finally:
            sampler_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sampler_task
            self.collect()
            await self.close_all()
            gc.unfreeze()

    def collect(self) -> None:
        result = self.result
        self.collect_connections_and_server()
        result.ideas_sent = result.spread_phase.sent + result.burst_phase.sent
        result.ideas_received = result.spread_phase.received + result.burst_phase.received
        result.ideas_on_board = len(self.board_watch.seen)
        if self.db_path is not None and self.workshop_id is not None:
            with contextlib.suppress(sqlite3.Error):
                result.ideas_stored = self._stored(f"{self.prefix} %")

    def collect_connections_and_server(self) -> None:
        result, sampler = self.result, self.sampler
        pages = self.pages()
        dropped = [p for p in pages if p.dropped]
        result.dropped = len(dropped)
        result.disconnect_reasons = dict(Counter(str(p.disconnect_reason) for p in dropped))
        result.reload_requested = sum(1 for p in pages if p.reload_requested)
        if sampler.rss:
            result.server_peak_rss_mb = max(sampler.rss)
            result.server_cpu_mean = sum(sampler.cpu) / len(sampler.cpu)
            result.server_cpu_peak = max(sampler.cpu)
        if sampler.client_cpu:
            result.client_cpu_mean = sum(sampler.client_cpu) / len(sampler.client_cpu)
        result.client_loop_lag_max_ms = sampler.lag_max * 1000

    def pages(self) -> list[SimulatedPage]:
        extra = [p for p in (self.board, self.console) if p is not None]
        return [p.page for p in self.phones if p.page is not None] + extra

    async def close_all(self) -> None:
        pages = self.pages()

        async def close(page: SimulatedPage) -> None:
            await asyncio.wait_for(page.close(), 5)

        await _bounded((close(p) for p in pages), 100)


# --- the rating load -------------------------------------------------------------------------------------


Choice = tuple[int, int, str, str]  # impact, ease, horizon, engagement: what the phone taps on its rating screen

ACTION_THEMES = (
    "Mutualiser la collecte des cartons", "Réseau de chaleur fatale de la fromagerie",
    "Bourse aux équipements entre entreprises", "Achats groupés d’électricité verte",
    "Plateforme de réemploi des palettes", "Covoiturage domicile-travail de la zone",
    "Groupement d’employeurs pour la maintenance", "Récupération des eaux de pluie des toitures",
    "Valorisation des biodéchets de la restauration", "Formation commune à la sécurité",
    "Tournée logistique mutualisée", "Partage d’une cuisine professionnelle",
)


@dataclass(frozen=True)
class RatingSetup:
    """The workshop the rating load uses, prepared in the database before the server starts."""

    workshop_id: int
    code: str
    actions: dict[str, int]  # title -> action id


def prepare_rating_workshop(db_path: Path, actions: int) -> RatingSetup:
    """Set-up, not the measured path: K candidate actions, a workshop "selection" in its vote, results shown.

    As a facilitator would have left it: ideas of a first workshop promoted to candidate actions, the second
    workshop moved to its "Vote" phase, the results revealed on the projector. `atelier demo` then starts on this
    database: it loads its scenario again without duplicating anything and keeps these workshops.
    """
    from atelier.models import Collect
    from atelier.scenario import load_scenario
    from atelier.service import Facilitation, Selection, Service
    from atelier.store import Store

    store = Store(db_path)
    try:
        service = Service(store)
        territory_id = service.install_scenario(load_scenario())
        facilitation = Facilitation(service)
        first = facilitation.create_workshop(territory_id, "Atelier 1 — co-construction (bench)", "co-construction")
        categories = [c.key for c in service.categories(territory_id)]
        titles: dict[str, int] = {}
        for n in range(actions):
            title = f"Action {n + 1:02d} — {ACTION_THEMES[n % len(ACTION_THEMES)]}"
            idea, _ = store.insert_idea(first.id, None, f"bench-action-{n:03d}", title,
                                        "Action candidate préparée par atelier bench.", categories[n % len(categories)])
            action = facilitation.promote(idea.id)
            titles[action.title] = action.id
        workshop = facilitation.create_workshop(territory_id, "Atelier 2 — sélection (bench)", "selection")
        vote = next(i for i, phase in enumerate(workshop.phases) if phase.collect == Collect.RATINGS)
        for _ in range(vote - workshop.phase_index):
            workshop = facilitation.move_phase(workshop.id, 1)
        workshop = Selection(service).set_settings(workshop.id, results_visible=True)
        return RatingSetup(workshop.id, workshop.code, titles)
    finally:
        store.close()


@dataclass
class RatingSent:
    phone: int
    title: str = ""  # the action on the phone's screen when it tapped
    choice: Choice = (0, 0, "", "")
    clicked: float = 0.0
    acknowledged: float | None = None
    all_done: bool = False
    error: str | None = None


def _first_reaching(series: list[tuple[float, int]], value: int) -> float | None:
    """When a count shown on the board first reached `value` (series of (arrival, count), counts growing)."""
    return next((arrived for arrived, count in series if count >= value), None)


class ResultsWatch:
    """What the projector shows of the vote as updates arrive: "N votant·es", the total of its actions' "n notes".

    During the vote the board shows its progress (never the grades): the view is redrawn once per tick of the
    results loop, so each redraw brings a new "vote-progress" element."""

    def __init__(self) -> None:
        self.voters: list[tuple[float, int]] = []  # (arrival, count) each time the count changed
        self.totals: list[tuple[float, int]] = []
        self.redraws: list[float] = []  # arrivals of the progress's redraws (one per tick of the results loop)

    def __call__(self, page: SimulatedPage, changed: dict[str, Element | None], arrived: float) -> None:
        progress = page.find("vote-progress")
        if progress is None or str(progress) not in changed:
            return
        found = _NUMBER_RE.search(page.text(progress) or "")
        count = int(found.group()) if found else 0
        if not self.voters or self.voters[-1][1] != count:
            self.voters.append((arrived, count))
        self.redraws.append(arrived)
        total = self.ranking_total(page)
        if not self.totals or self.totals[-1][1] != total:
            self.totals.append((arrived, total))

    @staticmethod
    def ranking_total(page: SimulatedPage) -> int:
        """The sum of the "n notes" of every action the vote's progress lists."""
        total = 0
        for action in page.find_all("vote-action"):
            for child in page.elements.get(str(action), {}).get("children") or []:
                found = _NOTES_RE.search(str((page.elements.get(str(child)) or {}).get("text") or ""))
                total += int(found.group(1)) if found else 0
        return total

    @property
    def voters_now(self) -> int:
        return self.voters[-1][1] if self.voters else 0

    @property
    def total_now(self) -> int:
        return self.totals[-1][1] if self.totals else 0


def _option_index(page: SimulatedPage, testid: str, label: str, fallback: int) -> int:
    """ui.toggle sends the index of the option tapped, not its value: the index of the option with this label."""
    options = (page.element(testid).get("props") or {}).get("options") or []
    return next((int(o["value"]) for o in options if str(o.get("label")) == label), fallback)


class RatingBench(Bench):
    """The rating load (see the module's docstring): every phone rates every candidate action."""

    ready_testid = "rating-save"
    not_ready_message = "joined, but the workshop shows no rating screen (not in its vote phase? no action?)"

    def __init__(self, result: BenchResult, db_path: Path | None, pid: int | None, log: Log, seed: int, *,
                 think: float, workshop_id: int | None = None, actions: dict[str, int] | None = None,
                 server_alive: Callable[[], bool] | None = None) -> None:
        super().__init__(result, db_path, None, pid, log, seed, server_alive=server_alive)
        self.think = think
        self.workshop_id = workshop_id
        self.action_ids = actions or {}
        self.results_watch = ResultsWatch()
        self.expected: dict[tuple[int, str], Choice] = {}  # (phone, action title) -> last choice acknowledged
        self.base_voters = 0  # what the board showed before the load (--url: a workshop may have votes already)
        self.base_total = 0

    # --- set-up ---

    async def open_board(self) -> None:
        self.board = await SimulatedPage.open(self.base_url, f"/tableau/{self.code}", connect_timeout=20,
                                              update_hooks=[self.results_watch])
        progress = self.board.find("vote-progress")
        if progress is None:
            raise RuntimeError(f"/tableau/{self.code} shows no vote in progress (unknown code? not voting?)")
        found = _NUMBER_RE.search(self.board.text(progress) or "")
        self.base_voters = int(found.group()) if found else 0
        self.base_total = ResultsWatch.ranking_total(self.board)

    def total_actions(self) -> int:
        """How many actions a phone rates: from the setup, or from "0/K notées" on a phone."""
        if self.action_ids:
            return len(self.action_ids)
        for phone in self.phones:
            if phone.page is not None and phone.page.find("rating-progress") is not None:
                found = _PROGRESS_RE.search(phone.page.text("rating-progress") or "")
                if found:
                    return int(found.group(2))
        return 0

    # --- rating ---

    def choose(self) -> Choice:
        return (self.random.randint(1, 5), self.random.randint(1, 5), self.random.choice(HORIZONS),
                self.random.choices(ENGAGEMENTS, weights=ENGAGEMENT_WEIGHTS)[0])

    @staticmethod
    def changed(choice: Choice | None) -> Choice:
        """Another choice on every toggle (the burst: everyone changes their mind on the action shown)."""
        impact, ease, horizon, engagement = choice or (1, 1, HORIZONS[0], ENGAGEMENTS[-1])
        return (impact % 5 + 1, ease % 5 + 1, HORIZONS[(HORIZONS.index(horizon) + 1) % len(HORIZONS)],
                ENGAGEMENTS[(ENGAGEMENTS.index(engagement) + 1) % len(ENGAGEMENTS)])

    async def rate(self, phone: Phone, sent: RatingSent, go: asyncio.Event | None = None) -> None:
        """Taps the four choices of the action on screen, then (at the burst's start) "Enregistrer et continuer"."""
        page = phone.page
        assert page is not None
        if not page.connected:
            sent.error = f"disconnected before rating ({page.disconnect_reason})"
            return
        sent.title = page.text("rating-title") or ""
        impact, ease, horizon, engagement = sent.choice
        await page.set_value("rating-impact", _option_index(page, "rating-impact", str(impact), impact - 1))
        await page.set_value("rating-ease", _option_index(page, "rating-ease", str(ease), ease - 1))
        await page.set_value("rating-horizon", HORIZONS.index(horizon))
        await page.set_value("rating-engagement", ENGAGEMENTS.index(engagement))
        if go is not None:
            self.typed += 1
            await go.wait()
        # The status label answers each save with a new text (it carries the time of the save): a saved
        # rating names the action, a refusal says why.
        previous = {i: page.text(i) for i in page.find_all("status")}

        def answer() -> tuple[str, str, float] | None:
            for element_id in page.find_all("status"):
                text = page.text(element_id) or ""
                if text and (element_id not in previous or text != previous[element_id]):
                    ok = SAVED_WORD in text or ALL_DONE_WORD in text
                    return ("ok" if ok else "refused", text, page.last_update_at)
            return None

        answered = await _tap_and_wait(page, "rating-save", answer, RATING_TIMEOUT, sent)
        if not answered:
            return
        text, arrived = answered
        sent.acknowledged = arrived
        sent.all_done = ALL_DONE_WORD in text
        self.expected[(phone.index, sent.title)] = sent.choice
        if phone.first_ack is None:
            phone.first_ack = arrived

    async def rate_every_action(self, phone: Phone, sends: list[RatingSent], delay: float, limit: int) -> None:
        """One participant: starts after `delay`, rates the action on screen, the next one, … until all are."""
        await asyncio.sleep(delay)
        for n in range(limit):
            if n and self.think:
                await asyncio.sleep(self.think * self.random.uniform(0.5, 1.5))
            sent = RatingSent(phone.index, choice=self.choose())
            sends.append(sent)
            try:
                await self.rate(phone, sent)
            except (KeyError, ConnectionError, OSError) as e:  # a screen without its toggles, a dead socket
                sent.error = sent.error or _short(e)
            if sent.error:
                return
            if sent.all_done:
                phone.done_at = sent.acknowledged
                return

    def summarise(self, figures: RatingFigures, sends: list[RatingSent], start: float) -> list[RatingSent]:
        acknowledged = [s for s in sends if s.acknowledged is not None]
        figures.sent = sum(1 for s in sends if s.clicked)
        figures.acknowledged = len(acknowledged)
        figures.refused = sum(1 for s in sends if s.error and s.error.startswith("refused"))
        figures.timeouts = sum(1 for s in sends if s.error == "timeout")
        figures.failed = sum(1 for s in sends if s.error) - figures.refused - figures.timeouts
        figures.to_ack = Stats.of(s.acknowledged - s.clicked for s in acknowledged if s.acknowledged is not None)
        if acknowledged:
            figures.all_acknowledged_after = max(s.acknowledged for s in acknowledged if s.acknowledged) - start
        for error, count in Counter(s.error for s in sends if s.error).items():
            self.result.errors.append(f"notes {figures.name}: {count} × {error}")
        return acknowledged

    async def spread_load(self) -> None:
        figures = self.result.rating_spread
        phones = [p for p in self.phones if p.page is not None and p.page.connected]
        limit = self.total_actions() + 1  # one more than needed: a phone never loops for ever
        sends: list[RatingSent] = []
        start = time.perf_counter()
        await asyncio.gather(*(self.rate_every_action(p, sends, self.random.uniform(0, self.result.spread), limit)
                               for p in phones), return_exceptions=True)
        acknowledged = self.summarise(figures, sends, start)
        figures.phones_done = sum(1 for p in phones if p.done_at is not None)
        voters = [p for p in phones if p.first_ack is not None]
        if not acknowledged:
            return
        # The board has caught up when it counts every new voter and every new rating (its progress lists all).
        watch, board = self.results_watch, self.board
        want_voters = self.base_voters + len(voters)
        want_total = self.base_total + len(acknowledged)
        if board is not None:
            with contextlib.suppress(TimeoutError, ConnectionError):
                await board.wait_for(lambda: watch.voters_now >= want_voters
                                     and watch.total_now >= want_total, timeout=BOARD_TIMEOUT)
        voters_at = _first_reaching(watch.voters, want_voters)
        total_at = _first_reaching(watch.totals, want_total)
        if voters_at is not None and total_at is not None:
            shown = max(voters_at, total_at)
            figures.board_after = shown - start
            figures.board_lag = shown - max(s.acknowledged for s in acknowledged if s.acknowledged)
        # Which rating a board total includes is not visible: the j-th click (in time) is taken as counted
        # when the total first reaches j. Same mean as the true click -> board delays, close percentiles.
        clicks = sorted(s.clicked for s in acknowledged)
        delays = []
        for j, clicked in enumerate(clicks, start=1):
            shown_at = _first_reaching(watch.totals, self.base_total + j)
            if shown_at is not None:
                delays.append(shown_at - clicked)
        figures.to_board = Stats.of(delays)

    async def burst_load(self) -> None:
        """Every phone changes its rating of the action on its screen, all tapping at the same moment."""
        figures = self.result.rating_burst
        phones = [p for p in self.phones if p.page is not None and p.page.connected and p.done_at is not None]
        sends = [RatingSent(p.index) for p in phones]
        for phone, sent in zip(phones, sends, strict=True):
            title = (phone.page.text("rating-title") if phone.page else None) or ""
            sent.choice = self.changed(self.expected.get((phone.index, title)))
        go = asyncio.Event()
        self.typed = 0
        tasks = [asyncio.create_task(self.rate(p, s, go=go)) for p, s in zip(phones, sends, strict=True)]
        deadline = time.perf_counter() + 20
        while self.typed < len(tasks) and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # every choice tapped and sent: now everyone saves at once
        start, wall_start = time.perf_counter(), time.time()
        go.set()
        stored_task = None
        if self.db_path is not None and self.workshop_id is not None:
            stored_task = asyncio.create_task(self.time_to_stored_since(wall_start, len(sends), start))
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        for sent, outcome in zip(sends, outcomes, strict=True):
            if isinstance(outcome, BaseException) and sent.error is None:
                sent.error = _short(outcome)
        acknowledged = self.summarise(figures, sends, start)
        if stored_task is not None:
            figures.all_stored_after = await stored_task
        if not acknowledged or self.board is None:
            return
        # The counts do not move (ratings replaced): the board has settled once its ranking stops being redrawn.
        watch = self.results_watch
        last_ack = max(s.acknowledged for s in acknowledged if s.acknowledged)
        deadline = time.perf_counter() + BOARD_TIMEOUT
        while time.perf_counter() < deadline:
            last_redraw = watch.redraws[-1] if watch.redraws else 0.0
            if time.perf_counter() - max(last_redraw, last_ack) > QUIET_BOARD:
                break
            await asyncio.sleep(0.1)
        redraws = [t for t in watch.redraws if t >= start]
        if redraws:
            figures.board_after = redraws[-1] - start
            figures.board_lag = redraws[-1] - last_ack

    async def time_to_stored_since(self, wall_start: float, expected: int, start: float) -> float | None:
        """Polls SQLite until `expected` ratings were written after `wall_start` (seconds after `start`)."""
        deadline = start + RATING_TIMEOUT
        while time.perf_counter() < deadline:
            rows = self._query("SELECT COUNT(*) FROM ratings WHERE workshop_id = ? AND updated_at >= ?",
                               (self.workshop_id, wall_start))
            if int(rows[0][0]) >= expected:
                return time.perf_counter() - start
            await asyncio.sleep(0.01)
        return None

    async def check_reload(self) -> None:
        """A phone reloaded (same cookies) shows "K/K notées" and its grade for the first action."""
        phone = next((p for p in self.phones if p.page is not None and p.page.connected and p.done_at), None)
        total = self.total_actions()
        if phone is None or phone.page is None or not total:
            return
        try:
            phone.page = page = await phone.page.reload()
            await page.wait_for(lambda: page.find("rating-progress") is not None
                                and f"{total}/{total} notées" in (page.text("rating-progress") or ""),
                                timeout=10)
            choice = self.expected.get((phone.index, page.text("rating-title") or ""))
            shown = page.value("rating-impact") if choice else None
            self.result.reload_ok = choice is not None and shown == choice[0] - 1
            if not self.result.reload_ok:
                self.result.errors.append(f"reload: impact shown {shown!r}, stored choice {choice!r}")
        except (TimeoutError, ConnectionError, PageLoadError, OSError, KeyError) as e:
            self.result.reload_ok = False
            self.result.errors.append(f"reload: {_short(e)}")

    # --- whole run ---

    async def run(self) -> None:
        result = self.result
        sampler_task = asyncio.create_task(self.sampler.run())
        try:
            if self.workshop_id is None and self.db_path is not None:
                rows = self._query("SELECT id FROM workshops WHERE code = ?", (self.code,))
                self.workshop_id = int(rows[0][0]) if rows else None
            self.log("Ouverture du tableau projeté (résultats du vote)…")
            await self.open_board()
            self.log(f"Connexion de {result.phones} téléphones ({JOIN_CONCURRENCY} à la fois)…")
            await self.join_all()
            self.check_server()
            if not result.joined:
                raise RuntimeError("no phone could join")
            result.actions = self.total_actions()
            self.sampler.sample()
            result.server_rss_joined_mb = self.sampler.rss[-1] if self.sampler.rss else None
            _quiet_gc()
            self.log(f"Notes étalées : départs sur {result.spread:g} s, {result.actions} actions par téléphone, "
                     f"{self.think:g} s de réflexion en moyenne…")
            await self.spread_load()
            self.check_server()
            _quiet_gc()
            self.log("Notes simultanées (chaque téléphone change sa dernière note, tous en même temps)…")
            await self.burst_load()
            self.check_server()
            await self.check_reload()
            result.completed = True
        finally:
            sampler_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sampler_task
            self.collect()
            await self.close_all()
            gc.unfreeze()

    def collect(self) -> None:
        result, watch = self.result, self.results_watch
        self.collect_connections_and_server()
        result.ratings_sent = result.rating_spread.sent + result.rating_burst.sent
        result.ratings_acknowledged = result.rating_spread.acknowledged + result.rating_burst.acknowledged
        result.board_voters = watch.voters_now if watch.voters else self.base_voters
        result.board_ratings = watch.total_now if watch.totals else self.base_total
        result.board_redraws = len(watch.redraws)
        if self.db_path is None or self.workshop_id is None:
            return
        with contextlib.suppress(sqlite3.Error):
            rows = self._query(
                "SELECT r.participant_id, p.name, a.title, r.impact, r.ease, r.horizon, r.engagement FROM ratings r "
                "JOIN participants p ON p.id = r.participant_id JOIN actions a ON a.id = r.action_id "
                "WHERE r.workshop_id = ?", (self.workshop_id,))
            names = {phone_name(p.index): p.index for p in self.phones}
            result.ratings_stored = len(rows)
            result.ratings_matching = sum(
                1 for _, name, title, *choice in rows
                if name in names and self.expected.get((names[name], title)) == tuple(choice))
            result.voters_stored = len({participant for participant, *_ in rows})


# --- entry points ----------------------------------------------------------------------------------------


def _raise_open_files_limit() -> None:
    """Each phone holds sockets on both sides; the server started from here inherits the limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else 65536
    if soft != resource.RLIM_INFINITY and soft < wanted:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def _runner() -> asyncio.Runner:
    try:
        import uvloop  # comes with uvicorn[standard]: a faster client loop means fairer latencies
    except ImportError:
        return asyncio.Runner()
    return asyncio.Runner(loop_factory=uvloop.new_event_loop)


def run_bench(phones: int, spread: float, url: str | None = None, code: str | None = None, *,
              seed: int = 1, log: Log | None = None, ratings: bool = False, actions: int = DEFAULT_ACTIONS,
              think: float = DEFAULT_THINK, peers: bool = False) -> BenchResult:
    """Runs the whole bench (starting its own server unless `url` is given) and returns its figures.

    `ratings`: the rating load instead of the idea load, `actions` candidate actions (ignored with `url`: the
    workshop's own are rated, it must be in its vote phase), `think` seconds per action on average.
    """
    log = log or (lambda _: None)
    if phones < 1 or spread < 0:
        raise ValueError("phones must be >= 1 and spread >= 0")
    if url and not code:
        raise ValueError("--url needs --code (the workshop's join code)")
    if ratings and (not 1 <= actions <= MAX_ACTIONS or think < 0):
        raise ValueError(f"--actions must be from 1 to {MAX_ACTIONS} and --think >= 0")
    _raise_open_files_limit()
    started = time.perf_counter()
    tmpdir: Path | None = None
    server: RunningServer | None = None
    try:
        bench: Bench
        if url is None:
            tmpdir = Path(tempfile.mkdtemp(prefix="atelier-bench-"))
            setup = None
            if ratings:
                log(f"Préparation de l’atelier de sélection ({actions} actions candidates, phase « Vote »)…")
                setup = prepare_rating_workshop(tmpdir / "atelier.sqlite", actions)
            log(f"Démarrage d’un serveur temporaire ({tmpdir})…")
            server = start_demo(tmpdir)
            process = server.process
            assert process is not None

            def alive() -> bool:
                return process.poll() is None

            if setup is not None:
                result = BenchResult(phones, spread, server.base_url, setup.code, local_server=True, ratings=True,
                                     actions=actions, think=think)
                bench = RatingBench(result, server.db_path, server.pid, log, seed, think=think,
                                    workshop_id=setup.workshop_id, actions=setup.actions, server_alive=alive)
            else:
                result = BenchResult(phones, spread, server.base_url, server.join_code, local_server=True,
                                     peers=peers)
                bench = Bench(result, server.db_path, server.secret, server.pid, log, seed, server_alive=alive)
        else:
            base_url = url.rstrip("/")
            result = BenchResult(phones, spread, base_url, str(code).strip().upper(), local_server=False,
                                 ratings=ratings, think=think if ratings else 0.0)
            if ratings:
                bench = RatingBench(result, None, _local_server_pid(base_url), log, seed, think=think)
            else:
                bench = Bench(result, None, None, _local_server_pid(base_url), log, seed)
        timeout = 180 + 2 * spread + 0.5 * phones
        if ratings:
            timeout += (actions if url is None else MAX_ACTIONS) * (1.5 * think + 5)
        with _runner() as runner:
            try:
                runner.run(asyncio.wait_for(bench.run(), timeout))
            except Exception as e:  # reported along with the figures so far
                result.errors.append(f"run: {_short(e)}")
        if server is not None and server.process is not None and server.process.poll() is not None:
            result.server_crashed = True
            printed = server.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
            tail = [line for line in printed if line.strip() and not set(line) & set("█▀▄")][-15:]
            result.errors.append(f"server stopped during the run (exit code {server.process.returncode}); "
                                 "last lines of its log:\n    " + "\n    ".join(tail))
    finally:
        if server is not None:
            server.stop()
        if tmpdir is not None:
            shutil.rmtree(tmpdir, ignore_errors=True)
    result.wall = time.perf_counter() - started
    return result


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s"


def _signed_seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:+.2f} s"


def _or_na(value: float | int | None, unit: str = "", digits: int = 0) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}{unit}"


def report(result: BenchResult) -> str:
    """The plain-text report (French, like the rest of the command line)."""
    if result.ratings:
        return report_ratings(result)
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
        f"  clic → « reçue »  : {burst.to_received.show()}",
        f"  clic → tableau    : {burst.to_board.show()}",
        "",
        *_machine_lines(result),
        "Cibles (pour comparaison, non vérifiées ici) : 500 téléphones, rien de perdu, aucune connexion "
        "perdue, clic → tableau p95 < 250 ms étalé sur 30 s, 500 idées en base en moins de 2 s en simultané.",
    ]
    return "\n".join(lines + _ending_lines(result))


def _machine_lines(result: BenchResult) -> list[str]:
    return [
        f"Serveur : mémoire max {_or_na(result.server_peak_rss_mb, ' Mo')}, "
        f"CPU moyen {_or_na(result.server_cpu_mean, ' %')}, max {_or_na(result.server_cpu_peak, ' %')} "
        "(% d’un cœur)",
        f"Générateur de charge : CPU moyen {_or_na(result.client_cpu_mean, ' %')}, "
        f"retard max de sa boucle {_or_na(result.client_loop_lag_max_ms, ' ms')}",
        f"Durée totale : {result.wall:.1f} s",
    ]


def _ending_lines(result: BenchResult) -> list[str]:
    lines = []
    if result.server_crashed:
        lines.append("LE SERVEUR S’EST ARRÊTÉ PENDANT LA MESURE.")
    if not result.completed:
        lines.append("La mesure n’est pas allée à son terme.")
    if result.errors:
        lines.append("Erreurs :")
        lines.extend(f"  - {e}" for e in result.errors[:20])
        if len(result.errors) > 20:
            lines.append(f"  … et {len(result.errors) - 20} autres")
    return lines


def report_ratings(result: BenchResult) -> str:
    """The rating load's report."""
    spread, burst = result.rating_spread, result.rating_burst
    local = "n/a (pas de base locale : --url)"
    stored = local if result.ratings_stored is None else str(result.ratings_stored)
    matching = local if result.ratings_matching is None else str(result.ratings_matching)
    voters_stored = local if result.voters_stored is None else str(result.voters_stored)
    board_ratings = "n/a" if result.board_ratings is None else str(result.board_ratings)
    reasons = ", ".join(f"{r} ×{n}" for r, n in result.disconnect_reasons.items())
    lines = [
        "",
        "=== atelier bench --ratings ===",
        f"Serveur            : {result.base_url} ({'temporaire' if result.local_server else '--url'}), "
        f"atelier {result.code}",
        f"Charge             : {result.phones} téléphones + 1 tableau (résultats du vote affichés)",
        f"                     chacun note les {result.actions} actions : départs étalés sur {result.spread:g} s, "
        f"{result.think:g} s par action en moyenne,",
        "                     puis tous changent leur dernière note en même temps",
        "",
        f"Téléphones connectés : {result.joined}/{result.phones} (échecs : {result.join_failures})",
        f"  connexion (page → écran de vote) : {result.join.show()}",
        f"  durée totale des connexions : {result.join_total:.1f} s ({JOIN_CONCURRENCY} à la fois)",
        "",
        f"Notes envoyées     : {result.ratings_sent} ({spread.sent} + {burst.sent} changées)",
        f"Notes confirmées   : {result.ratings_acknowledged} (« Note enregistrée » sur le téléphone)",
        f"Notes en base      : {stored} (attendu : téléphones × actions = {result.joined * result.actions})",
        f"  conformes au dernier choix du téléphone : {matching}",
        f"Votant·es en base  : {voters_stored} · au tableau : {_or_na(result.board_voters)}",
        f"Notes au tableau   : {board_ratings} (somme des « n notes » de la progression du vote)",
        f"Connexions perdues : {result.dropped}" + (f" ({reasons})" if reasons else ""),
        f"Rechargements demandés par le serveur : {result.reload_requested}",
        "Téléphone rechargé retrouve ses notes : "
        + {True: "oui", False: "NON", None: "non vérifié"}[result.reload_ok],
        "",
        f"Notes étalées      : {spread.sent} envoyées, {spread.acknowledged} confirmées, {spread.refused} refusées, "
        f"{spread.timeouts} sans réponse, {spread.failed} en échec",
        f"  téléphones ayant tout noté       : {spread.phones_done}/{result.joined}",
        f"  dernière note confirmée après    : {_seconds(spread.all_acknowledged_after)}",
        f"  tableau complet après            : {_seconds(spread.board_after)} "
        f"(votant·es et notes ; écart avec la dernière confirmation : {_signed_seconds(spread.board_lag)})",
        f"  clic → « Note enregistrée »      : {spread.to_ack.show()}",
        f"  clic → compté au tableau (rang)  : {spread.to_board.show()}",
        "",
        f"Notes simultanées  : {burst.sent} envoyées, {burst.acknowledged} confirmées, {burst.refused} refusées, "
        f"{burst.timeouts} sans réponse, {burst.failed} en échec",
        f"  toutes confirmées après          : {_seconds(burst.all_acknowledged_after)}",
        "  toutes en base après             : "
        + ("n/a" if result.ratings_stored is None else _seconds(burst.all_stored_after)),
        f"  dernier rafraîchissement du tableau : {_seconds(burst.board_after)} "
        f"(écart avec la dernière confirmation : {_signed_seconds(burst.board_lag)})",
        f"  clic → « Note enregistrée »      : {burst.to_ack.show()}",
        f"Rafraîchissements des résultats reçus par le tableau : {result.board_redraws} "
        "(au plus 2 par seconde : une boucle de 0,5 s)",
        "",
        f"Serveur : mémoire une fois les téléphones connectés {_or_na(result.server_rss_joined_mb, ' Mo')}",
        *_machine_lines(result),
        "« clic → compté au tableau (rang) » : le tableau n’affiche que des totaux ; le j-ième clic est tenu pour "
        "compté quand le total atteint j (même moyenne que les vrais délais).",
    ]
    return "\n".join(lines + _ending_lines(result))


def main(args: Any) -> int:
    """`atelier bench`: 0 when the run went to its end (whatever the figures), 1 when it broke."""
    def log(message: str) -> None:
        print(message, flush=True)

    try:
        result = run_bench(args.phones, args.spread, args.url, args.code, log=log,
                           ratings=bool(getattr(args, "ratings", False)),
                           actions=getattr(args, "actions", DEFAULT_ACTIONS),
                           think=getattr(args, "think", DEFAULT_THINK),
                           peers=bool(getattr(args, "peers", False)))
    except (ValueError, RuntimeError) as e:
        print(f"Erreur : {e}", file=sys.stderr)
        return 2
    print(report(result), flush=True)
    return 0 if result.completed and not result.server_crashed else 1
