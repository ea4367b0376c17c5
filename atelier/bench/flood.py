"""`atelier bench --login-flood N`: N clients send wrong facilitator codes while the phones send ideas.

Issue 11 measured a phone waiting 1.6–6.7 s for "reçue" (8 ms at rest) while 40 clients sent wrong codes: each
wrong code ran scrypt on the event loop. This load measures the same thing through the real pages:

* at rest: each phone sends one idea at a random moment over `spread` seconds (click -> "reçue");
* flooded: the N clients open the login page and, each as fast as the server answers, type a wrong code and
  tap "Se connecter" again and again on the page they have (each "trop de tentatives" costs the server one event,
  no hashing); meanwhile each phone sends a second idea the same way.

Each flooding client comes from its own loopback address (127.0.0.x: Linux routes the whole 127/8 to this
machine), as N machines on the hall's Wi-Fi would, so the per-address throttle alone does not hold them: the
overall one must. Printed: the phones' click -> "reçue" at rest and flooded, the wrong codes sent and how the
server answered them (wrong code / too many tries), and how long the login page took to answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import queue
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from typing import Any

import httpx
import psutil

from atelier.bench.base import PACE_GAP, _quiet_gc, _short
from atelier.bench.figures import BenchResult, PhaseFigures, Stats
from atelier.bench.ideas import Bench
from atelier.bench.phone_sim import PageLoadError, SimulatedPage, _shared_ssl_context

FLOOD_ANSWER_TIMEOUT = 30.0  # one wrong code -> the page's answer
HELD_BACK_RETRY = 1.0  # a client held back (429) tries again every second
FIRST_FLOOD_ADDRESS = 10  # flooders use 127.0.0.10, 127.0.0.11, …
WRONG_WORD = "incorrect"  # "Code incorrect." (auth.wrong_secret)
THROTTLED_WORD = "Trop de tentatives"  # auth.too_many


@dataclass
class FloodFigures:
    clients: int
    connected: int = 0
    attempts: int = 0  # wrong codes sent
    answered_wrong: int = 0  # "Code incorrect"
    answered_throttled: int = 0  # "Trop de tentatives… réessayez dans N s"
    unanswered: int = 0
    held_back: int = 0  # reloads of the login page answered 429 (address held back)
    to_answer: Stats = field(default_factory=Stats)  # tap -> the login page's answer
    duration: float = 0.0
    errors: list[str] = field(default_factory=list)
    phones: PhaseFigures = field(default_factory=lambda: PhaseFigures("pendant l’attaque"))
    # The server's CPU time (all its threads) per second of each phase: what the flood costs it, whatever else
    # the machine runs (on a shared machine, wall-clock latencies grow with everyone's load, not only ours).
    rest_cpu_per_second: float | None = None
    flood_cpu_per_second: float | None = None
    load_average: tuple[float, float] | None = None  # the machine's 1-minute load at the start and at the end


class Flooder:
    """One client on its own address sending wrong codes through the login page as fast as it is answered.

    A client whose page cannot be opened (the server answers 429 while its address is held back) tries again every
    second."""

    def __init__(self, base_url: str, index: int) -> None:
        self.base_url = base_url
        self.address = f"127.0.0.{FIRST_FLOOD_ADDRESS + index}"
        self.http = httpx.AsyncClient(base_url=base_url, timeout=30.0, transport=httpx.AsyncHTTPTransport(
            local_address=self.address, verify=_shared_ssl_context()))
        self.page: SimulatedPage | None = None
        self.answers: list[tuple[str, float]] = []  # (kind, seconds)
        self.unanswered = 0
        self.sent = 0
        self.held_back = 0  # reloads answered 429

    async def open(self) -> bool:
        """The login page, or False when the server holds this address back (429)."""
        try:
            self.page = await SimulatedPage.open(self.base_url, "/connexion", http=self.http, connect_timeout=20)
        except PageLoadError as e:
            if "status 429" in str(e):
                self.held_back += 1
                return False
            raise
        if self.page.find("secret") is None:
            raise RuntimeError("/connexion shows no code field")
        return True

    async def flood(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            page = self.page
            if page is None or not page.connected:
                if not await self.open():
                    await asyncio.sleep(HELD_BACK_RETRY)
                continue
            wrong = f"{secrets.token_hex(3)}-{secrets.token_hex(3)}-{secrets.token_hex(3)}"
            await page.set_value("secret", wrong)
            started = time.perf_counter()
            self.sent += 1
            await page.click("login")

            def answered(page: SimulatedPage = page) -> str | None:
                # The page empties the field when it answers; its status says why.
                return (page.text("status") or "?") if page.value("secret") == "" else None

            try:
                text = await page.wait_for(answered, timeout=FLOOD_ANSWER_TIMEOUT)
            except (TimeoutError, ConnectionError):
                self.unanswered += 1
                continue
            throttled = THROTTLED_WORD.lower() in text.lower()
            kind = "throttled" if throttled else ("wrong" if WRONG_WORD in text.lower() else f"other: {text[:60]}")
            self.answers.append((kind, time.perf_counter() - started))

    async def close(self) -> None:
        if self.page is not None:
            await self.page.close()
        await self.http.aclose()


@dataclass
class FloodSummary:
    """What the flooding process sends back (plain data: it crosses a process boundary)."""

    connected: int = 0
    attempts: int = 0
    unanswered: int = 0
    held_back: int = 0
    answers: list[tuple[str, float]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def _flood(base_url: str, clients: int, stop: Any, ready: Any) -> FloodSummary:
    summary = FloodSummary()
    flooders = [Flooder(base_url, i) for i in range(clients)]
    opened = await asyncio.gather(*(f.open() for f in flooders), return_exceptions=True)
    summary.errors += [f"flooder: {_short(o)}" for o in opened if isinstance(o, BaseException)]
    live = [f for f in flooders if f.page is not None and f.page.connected]
    summary.connected = len(live)
    halt = asyncio.Event()
    tasks = [asyncio.create_task(f.flood(halt)) for f in live]
    ready.set()
    while not stop.is_set():
        await asyncio.sleep(0.1)
    halt.set()
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    await asyncio.gather(*(asyncio.wait_for(f.close(), 5) for f in flooders), return_exceptions=True)
    summary.attempts = sum(f.sent for f in flooders)
    summary.unanswered = sum(f.unanswered for f in flooders)
    summary.held_back = sum(f.held_back for f in flooders)
    summary.answers = [a for f in flooders for a in f.answers]
    return summary


def flood_process(base_url: str, clients: int, stop: Any, ready: Any, results: Any) -> None:
    """The flooding clients run in a process of their own: their work must not delay the measuring loop of the
    phones (in one process, the generator's loop fell up to 7 s behind and the phones' figures measured that)."""
    try:
        summary = asyncio.run(_flood(base_url, clients, stop, ready))
    except Exception as e:  # reported with the figures
        summary = FloodSummary(errors=[f"flood process: {_short(e)}"])
        ready.set()
    results.put(summary)


class LoginFloodBench(Bench):
    """The idea load at rest, then again while `clients` flooders (in another process) send wrong codes."""

    def __init__(self, *args: object, clients: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.flood = FloodFigures(clients)
        self.summary: FloodSummary | None = None

    async def run(self) -> None:
        result = self.result
        sampler_task = asyncio.create_task(self.sampler.run())
        context = multiprocessing.get_context("spawn")
        stop, ready, results = context.Event(), context.Event(), context.Queue()
        process: BaseProcess | None = None
        loop = asyncio.get_running_loop()
        try:
            self.log("Passage de l’atelier en phase « Idées » (console d’animation)…")
            await self.open_ideas_phase()
            self.result.console = True
            await self.open_board()
            self.log(f"Connexion de {result.phones} téléphones…")
            await self.join_all()
            if not result.joined:
                raise RuntimeError("no phone could join")
            _quiet_gc()
            self.log(f"Au repos : une idée par téléphone, étalées sur {result.spread:g} s…")
            load_before = os.getloadavg()[0]
            mark = self.server_cpu()
            rest = await self.load(result.spread_phase, "A", burst=False)
            self.flood.rest_cpu_per_second = self.cpu_per_second(mark)
            last = max((s.received or s.clicked for s in rest), default=time.perf_counter())
            await asyncio.sleep(max(0.0, last + PACE_GAP - time.perf_counter()))

            self.log(f"Ouverture de la page de connexion par {self.flood.clients} clients (127.0.0.x, un autre "
                     "processus)…")
            process = context.Process(target=flood_process, args=(self.base_url, self.flood.clients, stop, ready,
                                                                   results), daemon=True)
            process.start()
            if not await loop.run_in_executor(None, ready.wait, 120):
                raise RuntimeError("the flooding clients did not start within 120 s")
            _quiet_gc()
            self.log("Attaque : codes faux en continu pendant que les téléphones envoient une seconde idée…")
            flood_started = time.perf_counter()
            mark = self.server_cpu()
            await asyncio.sleep(1.0)  # the flood is running before the first phone taps
            await self.load(self.flood.phones, "B", burst=False)
            self.flood.flood_cpu_per_second = self.cpu_per_second(mark)
            self.flood.duration = time.perf_counter() - flood_started
            self.flood.load_average = (load_before, os.getloadavg()[0])
            result.completed = True
        finally:
            stop.set()
            if process is not None:
                with contextlib.suppress(queue.Empty):
                    self.summary = await loop.run_in_executor(None, results.get, True, 60)
                await loop.run_in_executor(None, process.join, 10)
                if process.is_alive():
                    process.kill()
            sampler_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sampler_task
            self.collect()
            self.collect_flood()
            await self.close_all()

    def server_cpu(self) -> tuple[float, float] | None:
        """(CPU seconds of the server process so far, when), if it can be seen from here."""
        if self.sampler.pid is None:
            return None
        with contextlib.suppress(psutil.Error):
            times = psutil.Process(self.sampler.pid).cpu_times()
            return times.user + times.system, time.perf_counter()
        return None

    def cpu_per_second(self, mark: tuple[float, float] | None) -> float | None:
        now = self.server_cpu()
        if mark is None or now is None or now[1] <= mark[1]:
            return None
        return (now[0] - mark[0]) / (now[1] - mark[1])

    def collect_flood(self) -> None:
        flood, summary = self.flood, self.summary or FloodSummary(errors=["no figures from the flood process"])
        kinds = Counter(kind for kind, _ in summary.answers)
        flood.connected = summary.connected
        flood.attempts = summary.attempts
        flood.answered_wrong = kinds.pop("wrong", 0)
        flood.answered_throttled = kinds.pop("throttled", 0)
        flood.unanswered = summary.unanswered
        flood.held_back = summary.held_back
        flood.to_answer = Stats.of(seconds for _, seconds in summary.answers)
        flood.errors.extend(summary.errors)
        flood.errors.extend(f"{n} × {kind}" for kind, n in kinds.items())
        self.result.ideas_sent += flood.phones.sent
        self.result.ideas_received += flood.phones.received


def _per(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def report_flood(result: BenchResult, flood: FloodFigures) -> str:
    rest, attacked = result.spread_phase, flood.phones
    lines = [
        "",
        "=== atelier bench --login-flood ===",
        f"Serveur            : {result.base_url}, atelier {result.code}",
        f"Charge             : {result.phones} téléphones + 1 tableau + 1 console d’animation ; "
        f"puis {flood.clients} clients",
        "                     (chacun sa propre adresse 127.0.0.x) envoyant des codes faux sans relâche",
        f"Téléphones connectés : {result.joined}/{result.phones}",
        "",
        f"Au repos (idées étalées sur {result.spread:g} s) : {rest.sent} envoyées, {rest.received} reçues",
        f"  clic → « reçue »  : {rest.to_received.show()}",
        f"Pendant l’attaque ({flood.duration:.1f} s) : {attacked.sent} envoyées, {attacked.received} reçues, "
        f"{attacked.refused} refusées, {attacked.timeouts} sans réponse",
        f"  clic → « reçue »  : {attacked.to_received.show()}",
        "",
        f"Attaque : {flood.connected}/{flood.clients} clients sur la page de connexion, {flood.attempts} codes faux "
        "envoyés",
        f"  réponses « code incorrect »     : {flood.answered_wrong} (un calcul scrypt chacune)",
        f"  réponses « trop de tentatives » : {flood.answered_throttled} (refus sans calcul)",
        f"  sans réponse                    : {flood.unanswered}",
        f"  rechargements refusés (429)     : {flood.held_back} (adresse retenue : réessai chaque seconde)",
        f"  clic → réponse de la page       : {flood.to_answer.show()}",
        "",
        f"Travail du serveur (secondes de CPU par seconde) : au repos {_per(flood.rest_cpu_per_second)}, "
        f"pendant l’attaque {_per(flood.flood_cpu_per_second)}",
        "Charge de la machine (moyenne sur 1 min, 2 cœurs partagés) : "
        + ("n/a" if flood.load_average is None else f"{flood.load_average[0]:.1f} au début, "
           f"{flood.load_average[1]:.1f} à la fin"),
        f"Serveur : mémoire max {result.server_peak_rss_mb or 0:.0f} Mo, CPU moyen "
        f"{result.server_cpu_mean or 0:.0f} %, max {result.server_cpu_peak or 0:.0f} % (% d’un cœur)",
        f"Générateur de charge : CPU moyen {result.client_cpu_mean or 0:.0f} %, retard max de sa boucle "
        f"{result.client_loop_lag_max_ms or 0:.0f} ms",
        f"Durée totale : {result.wall:.1f} s",
        "Cible (pour comparaison, non vérifiée ici) : clic → « reçue » p95 < 500 ms pendant l’attaque.",
    ]
    if not result.completed:
        lines.append("La mesure n’est pas allée à son terme.")
    errors = result.errors + flood.errors
    if errors:
        lines.append("Erreurs :")
        lines.extend(f"  - {e}" for e in errors[:20])
    return "\n".join(lines)
