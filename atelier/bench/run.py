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
Figures are printed, never judged here. The idea load lives in atelier.bench.ideas, the rating load in
atelier.bench.ratings, the login-flood load (`--login-flood`) in atelier.bench.flood; what they share (joins,
samples, the run's skeleton) in atelier.bench.base, the figures in atelier.bench.figures; this module has the
entry points.
"""


from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from atelier.bench import DEFAULT_ACTIONS, DEFAULT_THINK
from atelier.bench.base import Log, _local_server_pid, _raise_open_files_limit, _runner, _short
from atelier.bench.figures import BenchResult
from atelier.bench.ideas import Bench, report_ideas
from atelier.launch import RunningServer, start_demo

# The rating load (French pages; see atelier.ui.selection.RatingArea and ResultsView).
MAX_FLOODERS = 200  # --login-flood: loopback addresses 127.0.0.10 onwards
MAX_ACTIONS = 60  # DEFAULT_ACTIONS and DEFAULT_THINK (each wait is 0.5-1.5 times it) are in atelier.bench

__all__ = ["BenchResult", "main", "report", "run_bench"]


def run_bench(phones: int, spread: float, url: str | None = None, code: str | None = None, *,
              seed: int = 1, log: Log | None = None, ratings: bool = False, actions: int = DEFAULT_ACTIONS,
              think: float = DEFAULT_THINK, login_flood: int = 0, peers: bool = False) -> BenchResult:
    """Runs the whole bench (starting its own server unless `url` is given) and returns its figures.

    `ratings`: the rating load instead of the idea load, `actions` candidate actions (ignored with `url`: the
    workshop's own are rated, it must be in its vote phase), `think` seconds per action on average.
    `login_flood`: the login-flood load (atelier.bench.flood) with that many clients sending wrong codes.
    """
    log = log or (lambda _: None)
    if phones < 1 or spread < 0:
        raise ValueError("phones must be >= 1 and spread >= 0")
    if url and not code:
        raise ValueError("--url needs --code (the workshop's join code)")
    if login_flood and (url or ratings or not 1 <= login_flood <= MAX_FLOODERS):
        raise ValueError(f"--login-flood takes 1 to {MAX_FLOODERS} clients, without --url or --ratings")
    if ratings and (not 1 <= actions <= MAX_ACTIONS or think < 0):
        raise ValueError(f"--actions must be from 1 to {MAX_ACTIONS} and --think >= 0")
    from atelier.bench.ratings import RatingBench, prepare_rating_workshop

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
                setup = prepare_rating_workshop(tmpdir / "atelier.sqlite", actions, phones)
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
            elif login_flood:
                from atelier.bench.flood import LoginFloodBench

                result = BenchResult(phones, spread, server.base_url, server.join_code, local_server=True)
                bench = LoginFloodBench(result, server.db_path, server.secret, server.pid, log, seed,
                                        server_alive=alive, clients=login_flood)
                result.flood = bench.flood
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
        timeout = 180 + (4 if login_flood else 2) * spread + 0.5 * phones
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


def report(result: BenchResult) -> str:
    """The plain-text report (French, like the rest of the command line)."""
    if result.flood is not None:
        from atelier.bench.flood import report_flood

        return report_flood(result, result.flood)
    if result.ratings:
        from atelier.bench.ratings import report_ratings

        return report_ratings(result)
    return report_ideas(result)


def main(args: Any) -> int:
    """`atelier bench`: 0 when the run went to its end (whatever the figures), 1 when it broke."""
    def log(message: str) -> None:
        print(message, flush=True)

    try:
        result = run_bench(args.phones, args.spread, args.url, args.code, log=log,
                           ratings=bool(getattr(args, "ratings", False)),
                           actions=getattr(args, "actions", DEFAULT_ACTIONS),
                           think=getattr(args, "think", DEFAULT_THINK),
                           login_flood=getattr(args, "login_flood", 0) or 0,
                           peers=bool(getattr(args, "peers", False)))
    except (ValueError, RuntimeError) as e:
        print(f"Erreur : {e}", file=sys.stderr)
        return 2
    print(report(result), flush=True)
    return 0 if result.completed and not result.server_crashed else 1
