"""The figures a bench run gathers (latencies, counts, the server's memory and CPU) and the report's shared lines."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


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
    # Burst: CPU seconds the server used from the start to the last card on the board. Wall-clock figures move
    # with whatever else the machine runs; this one much less, so it compares two versions on a busy machine.
    server_cpu_seconds: float | None = None
    # Burst: CPU seconds the load generator (this process: 2,000 simulated phones in one Python loop) used over the
    # same time. When the server's CPU is well below the burst's wall-clock time, the server was waiting for the
    # phones' clicks: the generator, or the machine's other load, set the pace.
    client_cpu_seconds: float | None = None


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
    server_rss_joined_mb: float | None = None  # once every phone has joined, before anything is sent
    flood: Any = None  # the login-flood load's figures (atelier.bench.flood.FloodFigures)


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s"


def _signed_seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:+.2f} s"


def _or_na(value: float | int | None, unit: str = "", digits: int = 0) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}{unit}"


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
