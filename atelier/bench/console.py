"""`python -m atelier.bench.console`: the facilitator's console with 300 ideas while 150 simulated phones send.

A temporary server starts on a database where a workshop already holds `--ideas` ideas (realistic wording, so the
suggested groupings have work to do) and is in its ideas phase. Then, with the socket protocol of a real page
(atelier.bench.phone_sim):

* console opening: the console page loaded and connected, `--opens` times (the page draws its first 50 rows and
  computes the suggestions before it answers);
* phones join, then send one idea each spread over `--spread` seconds, then all at once (the idea bench's loads);
* meanwhile a first console watches: click on "Envoyer" -> the idea's row on that console (newest first, page 1)
  for the spread ideas; for the burst, when the console's count ("Idées (N)") includes them all (page 1 holds the
  newest 50 only, so most of a burst of 150 never has a row there);
* and a second console (a co-facilitator) searches, clears the search and turns pages every second: the time from
  its request to the list's new heading ("Idées (N) · n affichées") or new rows.

Figures are printed with the load they ran under, never judged here.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from atelier.bench.base import Log, _bounded, _quiet_gc, _raise_open_files_limit, _runner, _short
from atelier.bench.figures import BenchResult, Stats
from atelier.bench.ideas import Bench
from atelier.bench.phone_sim import Element, SimulatedPage
from atelier.bench.ratings import ACTION_THEMES
from atelier.launch import start_demo

PLACES = ("de la zone des Aulnes", "du bourg", "de la vallée", "entre les fermes", "du marché", "de la scierie",
          "des artisans", "de l’EHPAD", "de la fromagerie", "des commerces", "du collège", "de la coopérative",
          "des trois villages", "du pôle santé", "de la carrière")
DETAILS = ("On en parle depuis longtemps, il manque quelqu’un pour lancer.", "Avec un lien : https://exemple.fr/"
           "une-tres-longue-adresse-sans-espace-qui-ne-doit-pas-elargir-la-ligne-de-la-console", "",
           "Deux entreprises sont prêtes à essayer dès le printemps.")
INTERACTIONS = ("search", "clear", "page")


@dataclass
class ConsoleFigures:
    ideas: int
    phones: int
    spread: float
    opens: Stats = field(default_factory=Stats)
    to_console: Stats = field(default_factory=Stats)  # spread: click "Envoyer" -> row on the watching console
    burst_all_counted: float | None = None  # burst: first click -> the console's count includes every idea
    interactions: dict[str, Stats] = field(default_factory=dict)
    interaction_timeouts: int = 0
    sent: int = 0
    on_console: int = 0
    errors: list[str] = field(default_factory=list)


def prepare(db_path: Path, ideas: int) -> tuple[int, str]:
    """Set-up, not measured: the demo territory and a co-construction workshop in its ideas phase with `ideas`."""
    from atelier.scenario import load_scenario
    from atelier.service import Service
    from atelier.store import Store

    store = Store(db_path)
    try:
        service = Service(store)
        territory_id = service.install_scenario(load_scenario())
        session = service.log_in(service.reset_facilitator_secret())  # as the facilitator would have
        facilitation = service.as_facilitator(session)
        workshop = facilitation.create_workshop(territory_id, "Atelier 1 — console (bench)", "co-construction")
        workshop = facilitation.move_phase(workshop.id, 1)
        categories = [c.key for c in service.categories(territory_id)]
        for n in range(ideas):
            theme = ACTION_THEMES[n % len(ACTION_THEMES)]
            title = f"{theme} {PLACES[(n // len(ACTION_THEMES)) % len(PLACES)]}"
            store.insert_idea(workshop.id, None, f"bench-console-{n:04d}", title, DETAILS[n % len(DETAILS)],
                              categories[(n * 7) % len(categories)])
        return workshop.id, workshop.code
    finally:
        store.close()


class ConsoleWatch:
    """When each of this run's titles first reached a console page, and when its count of ideas reached N."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.seen: dict[str, float] = {}
        self.counted: dict[int, float] = {}  # "Idées (N)" -> when first shown

    def __call__(self, page: SimulatedPage, changed: dict[str, Element | None], arrived: float) -> None:
        for element in changed.values():
            testid = (element.get("props") or {}).get("data-testid") if element else None
            if element and testid == "idea-title":
                title = str(element.get("text") or "")
                if title.startswith(self.prefix) and title not in self.seen:
                    self.seen[title] = arrived
            elif element and testid == "ideas-title":
                count = re.match(r"\D*\((\d+)\)", str(element.get("text") or ""))
                if count:
                    self.counted.setdefault(int(count.group(1)), arrived)

    def when_counted(self, total: int) -> float | None:
        return min((at for n, at in self.counted.items() if n >= total), default=None)


class ConsoleBench(Bench):
    def __init__(self, figures: ConsoleFigures, result: BenchResult, db_path: Path, secret: str, pid: int,
                 log: Log, workshop_id: int, opens: int) -> None:
        super().__init__(result, db_path, secret, pid, log, seed=1)
        self.figures = figures
        self.workshop_id = workshop_id
        self.opens = opens
        self.watch = ConsoleWatch(self.prefix)
        self.cookies: httpx.Cookies | None = None
        self.second: SimulatedPage | None = None
        self.interaction_times: dict[str, list[float]] = {k: [] for k in INTERACTIONS}

    async def log_in(self) -> None:
        """Through the login form, as a facilitator does (the code never goes in a URL)."""
        assert self.secret is not None
        login = await SimulatedPage.open(self.base_url, "/connexion")
        await login.set_value("secret", self.secret)
        await login.click("login")
        await login.wait_for(lambda: login.opened, timeout=20)
        self.cookies = httpx.Cookies(login.cookies)
        await login.close()

    async def open_console(self, hooks: list | None = None) -> SimulatedPage:
        page = await SimulatedPage.open(self.base_url, f"/animation/atelier/{self.workshop_id}", cookies=self.cookies,
                                        connect_timeout=20, update_hooks=hooks or [])
        if page.find("ideas-title") is None:
            raise RuntimeError("the console shows no list of ideas (not logged in?)")
        return page

    async def measure_opens(self) -> None:
        times = []
        for _ in range(self.opens):
            started = time.perf_counter()
            page = await self.open_console()
            times.append(time.perf_counter() - started)
            await page.close()
        self.figures.opens = Stats.of(times)

    async def interact(self, stop: asyncio.Event) -> None:
        """The co-facilitator's console: search, clear, next page, again, one a second."""
        page = self.second
        assert page is not None
        n = 0
        while not stop.is_set():
            kind = INTERACTIONS[n % len(INTERACTIONS)]
            n += 1
            heading = page.text("ideas-title")
            rows = tuple(page.find_all("idea-title"))
            started = time.perf_counter()
            if kind == "search":
                await page.set_value("idea-search", "chaleur fromagerie")
            elif kind == "clear":
                await page.set_value("idea-search", "")
            else:
                await page.set_value("idea-pages", 2 if n % 2 else 1)
            try:
                await page.wait_for(lambda h=heading, r=rows: page.text("ideas-title") != h
                                    or tuple(page.find_all("idea-title")) != r, timeout=10)
                self.interaction_times[kind].append(page.last_update_at - started)
            except TimeoutError:
                self.figures.interaction_timeouts += 1
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), 1.0)

    async def run(self) -> None:
        result, figures = self.result, self.figures
        sampler_task = asyncio.create_task(self.sampler.run())
        try:
            await self.log_in()
            self.log(f"Ouverture de la console ({figures.ideas} idées), {self.opens} fois…")
            await self.measure_opens()
            self.console = await self.open_console([self.watch])
            self.second = await self.open_console()
            await self.open_board()
            self.log(f"Connexion de {result.phones} téléphones…")
            await self.join_all()
            if not result.joined:
                raise RuntimeError("no phone could join")
            _quiet_gc()
            stop = asyncio.Event()
            interacting = asyncio.create_task(self.interact(stop))
            self.log(f"Envoi étalé sur {result.spread:g} s, une deuxième console cherche et tourne les pages…")
            spread = await self.load(result.spread_phase, "A", burst=False)
            await asyncio.sleep(3.5)
            self.log("Envoi simultané…")
            start = time.perf_counter()
            burst = await self.load(result.burst_phase, "B", burst=True)
            stop.set()
            await interacting
            sends = spread + burst
            with contextlib.suppress(TimeoutError, ConnectionError):
                await self.console.wait_for(lambda: all(s.title in self.watch.seen for s in spread
                                                        if s.received is not None), timeout=15)
            with contextlib.suppress(TimeoutError, ConnectionError):
                total = figures.ideas + sum(1 for s in sends if s.received is not None)
                await self.console.wait_for(lambda: self.watch.when_counted(total) is not None, timeout=15)
            seen = self.watch.seen
            figures.sent = len(spread)
            figures.on_console = sum(1 for s in spread if s.title in seen)
            figures.to_console = Stats.of(seen[s.title] - s.clicked for s in spread if s.title in seen)
            counted = self.watch.when_counted(total)
            if burst and counted is not None:
                figures.burst_all_counted = counted - start
            figures.interactions = {k: Stats.of(v) for k, v in self.interaction_times.items()}
            result.completed = True
        finally:
            await self.stop_sampling(sampler_task)
            self.collect()
            pages = [p for p in (self.second,) if p is not None]
            await _bounded((p.close() for p in pages), 10)
            await self.close_all()


def run_console_bench(ideas: int, phones: int, spread: float, opens: int, log: Log) -> tuple[ConsoleFigures,
                                                                                              BenchResult]:
    _raise_open_files_limit()
    tmpdir = Path(tempfile.mkdtemp(prefix="atelier-bench-console-"))
    server = None
    figures = ConsoleFigures(ideas, phones, spread)
    try:
        log(f"Préparation : un atelier en phase « Idées » avec {ideas} idées…")
        workshop_id, code = prepare(tmpdir / "atelier.sqlite", ideas)
        server = start_demo(tmpdir)
        result = BenchResult(phones, spread, server.base_url, code, local_server=True)
        bench = ConsoleBench(figures, result, server.db_path, server.secret, server.pid, log, workshop_id, opens)
        with _runner() as runner:
            try:
                runner.run(asyncio.wait_for(bench.run(), 240 + 2 * spread + phones))
            except Exception as e:  # reported with the figures so far
                figures.errors.append(f"run: {_short(e)}")
        figures.errors += result.errors
        return figures, result
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(tmpdir, ignore_errors=True)


def report(figures: ConsoleFigures, result: BenchResult) -> str:
    lines = [
        f"Console d’animation : {figures.ideas} idées déjà là, {figures.phones} téléphones simulés "
        f"({result.joined} connectés), envoi étalé sur {figures.spread:g} s puis simultané.",
        f"  ouverture de la console (page + connexion, {figures.ideas} idées) : {figures.opens.show()}",
        f"  envoi étalé : clic « Envoyer » -> ligne sur la console : {figures.to_console.show()}",
        f"  idées de l’envoi étalé vues sur la console : {figures.on_console}/{figures.sent}",
        "  envoi simultané : toutes comptées par la console (« Idées (N) ») après "
        + (f"{figures.burst_all_counted:.2f} s" if figures.burst_all_counted is not None else "—"),
    ]
    names = {"search": "recherche", "clear": "effacer la recherche", "page": "changer de page"}
    for kind, stats in figures.interactions.items():
        lines.append(f"  deuxième console, {names[kind]} -> liste redessinée : {stats.show()}")
    lines.append(f"  interactions sans réponse en 10 s : {figures.interaction_timeouts}")
    lines.append(f"  idées : clic -> tableau projeté {result.spread_phase.to_board.show()} (étalé), "
                 f"{result.burst_phase.to_board.show()} (simultané)")
    if result.server_peak_rss_mb is not None:
        lines.append(f"  serveur : mémoire max {result.server_peak_rss_mb:.0f} Mo, CPU moyen "
                     f"{result.server_cpu_mean:.0f} % (pic {result.server_cpu_peak:.0f} %)")
    lines.append(f"  connexions perdues : {result.dropped}")
    lines += [f"  erreur : {e}" for e in figures.errors]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=300)
    parser.add_argument("--phones", type=int, default=150)
    parser.add_argument("--spread", type=float, default=30.0)
    parser.add_argument("--opens", type=int, default=5)
    args = parser.parse_args()
    if not (1 <= args.ideas <= 5000 and 1 <= args.phones <= 1000 and 0 <= args.spread <= 600 and 1 <= args.opens
            <= 50):
        parser.error("--ideas 1..5000, --phones 1..1000, --spread 0..600, --opens 1..50")
    figures, result = run_console_bench(args.ideas, args.phones, args.spread, args.opens, print)
    print(report(figures, result))


if __name__ == "__main__":
    main()
