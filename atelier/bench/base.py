"""What every load of `atelier bench` shares: phones that join, the server sampled, and the run's skeleton.

`LoadBench.run` is the one skeleton (a template method): set up, open the projector, join every phone, a spread
load, a burst load, a reload check, then collect the figures and close every page. The idea load
(atelier.bench.ideas) and the rating load (atelier.bench.ratings) fill in its steps.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import random
import resource
import sqlite3
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

import psutil

from atelier.bench.figures import BenchResult, Stats
from atelier.bench.phone_sim import SimulatedPage

if TYPE_CHECKING:
    from atelier.bench.ideas import Sent
    from atelier.bench.ratings import RatingSent

JOIN_CONCURRENCY = 50  # phones opening their page at the same time
JOIN_TIMEOUT = 60.0  # one phone: page, socket, join, idea form
RECEIVED_TIMEOUT = 30.0  # click -> "reçue"
BOARD_TIMEOUT = 15.0  # last "reçue" -> every idea on the board
PACE_GAP = 3.5  # the server refuses a second idea from a phone within 3 s
SAMPLE_INTERVAL = 0.5
RECEIVED_WORD = "reçue"  # the phone says "Idée reçue : « … »" once the idea is stored (French pages)

T = TypeVar("T")
Log = Callable[[str], None]


@dataclass
class Phone:
    index: int
    page: SimulatedPage | None = None
    joined_in: float | None = None
    titles: list[str] = field(default_factory=list)
    first_ack: float | None = None  # rating load: when this phone became a voter (its first "Note enregistrée")
    done_at: float | None = None  # rating load: "Toutes les actions sont notées"


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

    def server_cpu_seconds(self) -> float | None:
        """CPU time (user + system) the server's processes have used so far, or None without a server to read."""
        if self.pid is None or self.server_gone:
            return None
        try:
            procs = self._server_processes()
        except psutil.NoSuchProcess:
            return None
        total = 0.0
        for proc in procs:
            with contextlib.suppress(psutil.NoSuchProcess):
                times = proc.cpu_times()
                total += times.user + times.system
        return total

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


class LoadBench:
    """What every load shares: the phones, the projector, the samples, and `run`, the one skeleton of a run.

    A load says how its phones are ready (`ready_testid`), opens its projector (`open_board`), and fills in the
    steps `set_up`, `after_joins`, `spread_load`, `burst_load`, `check_reload` and `collect`."""

    ready_testid = ""
    not_ready_message = ""
    board_message = ""

    def __init__(self, result: BenchResult, db_path: Path | None, pid: int | None, log: Log, seed: int,
                 server_alive: Callable[[], bool] | None = None) -> None:
        self.result = result
        self.server_alive = server_alive
        self.base_url = result.base_url
        self.code = result.code
        self.db_path = db_path
        self.sampler = Sampler(pid)
        self.log = log
        self.random = random.Random(seed)
        self.board: SimulatedPage | None = None
        self.console: SimulatedPage | None = None
        self.phones: list[Phone] = []
        self.workshop_id: int | None = None
        self.typed = 0  # burst: phones whose input is typed, waiting for the start

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        assert self.db_path is not None
        with contextlib.closing(sqlite3.connect(self.db_path, timeout=5)) as conn:
            return conn.execute(sql, params).fetchall()


    # --- the steps a load fills in ---

    async def set_up(self) -> None:
        """Before the projector opens."""

    async def open_board(self) -> None:
        raise NotImplementedError

    def after_joins(self) -> None:
        """Every phone has joined, nothing sent yet."""

    async def spread_load(self) -> None:
        raise NotImplementedError

    async def burst_load(self) -> None:
        raise NotImplementedError

    async def check_reload(self) -> None:
        """A reloaded phone finds what it sent (its page rebuilt from the database)."""

    @staticmethod
    async def stop_sampling(sampler_task: asyncio.Task[None]) -> None:
        """Stops sampling the server's memory and CPU, and waits until the sampler has ended."""
        sampler_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sampler_task

    def collect(self) -> None:
        self.collect_connections_and_server()

    # --- the skeleton ---

    async def run(self) -> None:
        result = self.result
        sampler_task = asyncio.create_task(self.sampler.run())
        try:
            await self.set_up()
            self.log(self.board_message)
            await self.open_board()
            self.log(f"Connexion de {result.phones} téléphones ({JOIN_CONCURRENCY} à la fois)…")
            await self.join_all()
            self.check_server()
            if not result.joined:
                raise RuntimeError("no phone could join")
            self.sampler.sample()  # the memory of the room at rest, before anything is sent
            result.server_rss_joined_mb = self.sampler.rss[-1] if self.sampler.rss else None
            self.after_joins()
            _quiet_gc()
            await self.spread_load()
            self.check_server()
            _quiet_gc()
            await self.burst_load()
            self.check_server()
            await self.check_reload()
            result.completed = True
        finally:
            await self.stop_sampling(sampler_task)
            self.collect()
            await self.close_all()
            gc.unfreeze()

    async def ready(self, go: asyncio.Event | None) -> None:
        """Burst: this phone's input is typed; wait for everyone's start."""
        if go is not None:
            self.typed += 1
            await go.wait()

    async def start_together(self, go: asyncio.Event, phones: int) -> float:
        """Burst: once every phone has typed (or after 20 s), all tap at the same moment; the start's time."""
        deadline = time.perf_counter() + 20
        while self.typed < phones and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
        await self.typing_reached_server(deadline)  # every input typed and on the server: everyone taps at once
        go.set()
        return time.perf_counter()

    async def typing_reached_server(self, deadline: float) -> None:
        """Burst: waits until the server has taken in what the phones typed (a load that can tell overrides this;
        otherwise a short pause after the last input was sent)."""
        await asyncio.sleep(0.3)

    @staticmethod
    def note_failures(sends: Iterable[Any], outcomes: Iterable[object]) -> None:
        """A send that raised keeps the exception as its error (unless it already said why)."""
        for sent, outcome in zip(sends, outcomes, strict=True):
            if isinstance(outcome, BaseException) and sent.error is None:
                sent.error = _short(outcome)

    def check_server(self) -> None:
        if self.server_alive is not None and not self.server_alive():
            raise RuntimeError("the server stopped")


    # --- joins ---

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
    # --- closing ---

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
