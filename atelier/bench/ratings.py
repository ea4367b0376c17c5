"""`atelier bench --ratings`: the rating load (workshop 2's vote), see atelier.bench.run's docstring."""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from atelier.bench.base import BOARD_TIMEOUT, JOIN_CONCURRENCY, LoadBench, Log, Phone, _short, _tap_and_wait, phone_name
from atelier.bench.figures import (
    BenchResult,
    RatingFigures,
    Stats,
    _ending_lines,
    _machine_lines,
    _or_na,
    _seconds,
    _signed_seconds,
)
from atelier.bench.phone_sim import Element, PageLoadError, SimulatedPage
from atelier.rules.selection import Engagement, Horizon

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


def prepare_rating_workshop(db_path: Path, actions: int, phones: int = 0) -> RatingSetup:
    """Set-up, not the measured path: K candidate actions, a workshop "selection" in its vote, results shown.

    As a facilitator would have left it: ideas of a first workshop promoted to candidate actions, the second
    workshop moved to its "Vote" phase, the results revealed on the projector. `atelier demo` then starts on this
    database: it loads its scenario again without duplicating anything and keeps these workshops.
    """
    from atelier.models import Collect
    from atelier.scenario import load_scenario
    from atelier.service import Service
    from atelier.store import Store

    store = Store(db_path)
    try:
        service = Service(store)
        territory_id = service.install_scenario(load_scenario())
        session = service.log_in(service.reset_facilitator_secret())  # as the facilitator would have
        facilitation = service.as_facilitator(session)
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
        workshop = service.selection(session).set_settings(workshop.id, results_visible=True)
        facilitation.set_participant_cap(workshop.id, max(300, phones + 10))
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


class RatingBench(LoadBench):
    """The rating load (see the module's docstring): every phone rates every candidate action."""

    ready_testid = "rating-save"
    board_message = "Ouverture du tableau projeté (résultats du vote)…"
    not_ready_message = "joined, but the workshop shows no rating screen (not in its vote phase? no action?)"

    def __init__(self, result: BenchResult, db_path: Path | None, pid: int | None, log: Log, seed: int, *,
                 think: float, workshop_id: int | None = None, actions: dict[str, int] | None = None,
                 server_alive: Callable[[], bool] | None = None) -> None:
        super().__init__(result, db_path, pid, log, seed, server_alive=server_alive)
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
        await self.ready(go)
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
        result = self.result
        self.log(f"Notes étalées : départs sur {result.spread:g} s, {result.actions} actions par téléphone, "
                 f"{self.think:g} s de réflexion en moyenne…")
        figures = result.rating_spread
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
        self.log("Notes simultanées (chaque téléphone change sa dernière note, tous en même temps)…")
        figures = self.result.rating_burst
        phones = [p for p in self.phones if p.page is not None and p.page.connected and p.done_at is not None]
        sends = [RatingSent(p.index) for p in phones]
        for phone, sent in zip(phones, sends, strict=True):
            title = (phone.page.text("rating-title") if phone.page else None) or ""
            sent.choice = self.changed(self.expected.get((phone.index, title)))
        go = asyncio.Event()
        self.typed = 0
        tasks = [asyncio.create_task(self.rate(p, s, go=go)) for p, s in zip(phones, sends, strict=True)]
        start = await self.start_together(go, len(tasks))
        wall_start = time.time() - (time.perf_counter() - start)
        stored_task = None
        if self.db_path is not None and self.workshop_id is not None:
            stored_task = asyncio.create_task(self.time_to_stored_since(wall_start, len(sends), start))
        self.note_failures(sends, await asyncio.gather(*tasks, return_exceptions=True))
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

    async def set_up(self) -> None:
        if self.workshop_id is None and self.db_path is not None:
            rows = self._query("SELECT id FROM workshops WHERE code = ?", (self.code,))
            self.workshop_id = int(rows[0][0]) if rows else None

    def after_joins(self) -> None:
        result = self.result
        result.actions = self.total_actions()

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
