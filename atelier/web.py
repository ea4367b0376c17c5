"""Puts the app together: database, service, hub, pages, assets, the one shared timer; then runs it."""

from __future__ import annotations

import asyncio
import gc
import os
import threading
import time
from dataclasses import dataclass

from fastapi.responses import RedirectResponse
from nicegui import app, background_tasks, ui
from nicegui import run as worker

from atelier.body_limit import BodyLimit
from atelier.config import Config
from atelier.deleted_elements import install as free_deleted_elements_at_once
from atelier.handler_cache import install as remember_handler_shapes
from atelier.hub import Hub
from atelier.imports.limits import MAX_UPLOAD_BYTES
from atelier.json_packets import install as skip_binary_search
from atelier.memory import TRIM_EVERY_SECONDS, can_release, release_free_memory
from atelier.net import base_url, cookie_path
from atelier.outbox_wait import install as wait_without_timeout
from atelier.rules.french import warm_up as warm_up_french
from atelier.scenario import load_scenario
from atelier.service import Service
from atelier.sockets import bind_events_to_their_socket
from atelier.store import Store
from atelier.ui import board, console, diagnostic, groups, guide, login, people_data, phone, plan, selection
from atelier.ui.common import facilitator_session, install_page_head

DRAFT_FLUSH_SECONDS = 2.0
RESULTS_TICK_SECONDS = 0.5  # how often the projector's vote results follow the ratings
# Phones on a village-hall Wi-Fi drop for a few seconds now and then: keep their page alive that long.
RECONNECT_TIMEOUT = 20.0
IDENTITY_COOKIE_MAX_AGE = 365 * 24 * 3600  # a participant keeps their identity across the working groups' year


# Python's full garbage collection walks every object: with 500 phones connected (about a million objects)
# it stopped the server for 0.4–1 s every 8–10 s, long enough to delay ideas and pings (atelier bench).
# Objects made at start are frozen out of it, automatic full collections are pushed far away, and a full
# collection runs instead when no phone has sent anything for a while (between phases, while people talk).
GC_FULL_THRESHOLD = 1_000_000
QUIET_SECONDS = 10.0
FULL_COLLECTION_EVERY = 300.0
_last_full_collection = time.monotonic()


def tame_garbage_collector() -> None:
    gc.collect()
    gc.freeze()
    first, second, _ = gc.get_threshold()
    gc.set_threshold(first, second, GC_FULL_THRESHOLD)


def collect_garbage_when_quiet(seconds_since_last_activity: float) -> None:
    global _last_full_collection
    now = time.monotonic()
    if now - _last_full_collection > FULL_COLLECTION_EVERY and seconds_since_last_activity > QUIET_SECONDS:
        gc.collect()
        _last_full_collection = now


@dataclass(frozen=True)
class Started:
    service: Service
    base_url: str
    new_facilitator_secret: str | None


def build(config: Config) -> Started:
    store = Store(config.db_path)
    service = Service(store, Hub())
    territory_id = service.install_scenario(load_scenario(config.scenario))
    # The French lemmatiser loads its dictionary on first use (seconds on a busy laptop): load it now, aside, so
    # the first leads page does not wait for it.
    threading.Thread(target=warm_up_french, name="lemmatiser", daemon=True).start()
    if config.demo:
        service.ensure_demo_workshop(territory_id)
    secret = service.ensure_facilitator_secret()
    service.sessions.forget_expired()
    public = base_url(config.host, config.port, config.public_url)
    os.environ.setdefault("NICEGUI_STORAGE_PATH", str(config.db_path.parent / "nicegui-storage"))

    bind_events_to_their_socket()
    remember_handler_shapes()
    skip_binary_search()
    wait_without_timeout()
    free_deleted_elements_at_once()
    install_page_head()
    app.state.atelier_service = service  # lets the in-process `User` tests reach the running service
    if not any(m.cls is BodyLimit for m in app.user_middleware):  # `User` tests build the app once per test
        app.add_middleware(BodyLimit, upload_bytes=MAX_UPLOAD_BYTES)
    login.register(service)
    phone.register(service)
    board.register(service, public)
    console.register(service, public)
    diagnostic.register(service)
    selection.register(service)
    plan.register(service, public)
    groups.register(service, public)
    guide.register(service)
    people_data.register(service)

    @ui.page("/")
    def home() -> RedirectResponse:
        return RedirectResponse("/animation" if service.is_facilitator(facilitator_session()) else "/rejoindre")

    async def housekeeping_forever() -> None:
        last_trim = time.monotonic()
        while True:
            await asyncio.sleep(DRAFT_FLUSH_SECONDS)
            service.flush_drafts()
            collect_garbage_when_quiet(service.seconds_since_last_activity())
            if can_release() and time.monotonic() - last_trim >= TRIM_EVERY_SECONDS:
                last_trim = time.monotonic()
                await worker.io_bound(release_free_memory)

    # One app-level loop writes every phone's draft in a single transaction (never one timer per client),
    # collects garbage when the room is quiet and hands freed memory back to the system (atelier.memory).
    app.on_startup(lambda: background_tasks.create(housekeeping_forever(), name="housekeeping"))
    app.on_startup(tame_garbage_collector)

    async def publish_results_forever() -> None:
        while True:
            await asyncio.sleep(RESULTS_TICK_SECONDS)
            service.publish_results()
            service.hub.flush_peer_batches()

    app.on_startup(lambda: background_tasks.create(publish_results_forever(), name="results"))
    app.on_startup(lambda: background_tasks.create(worker.io_bound(service.read_leads_ahead), name="leads ahead"))
    app.on_shutdown(service.flush_drafts)
    app.on_shutdown(store.close)
    return Started(service, public, secret)


def run(config: Config, started: Started) -> None:
    ui.run(
        host=config.host,
        port=config.port,
        title="atelier",
        reload=False,
        show=False,
        storage_secret=started.service.storage_secret(),
        session_middleware_kwargs={"max_age": IDENTITY_COOKIE_MAX_AGE, "path": cookie_path(config.public_url)},
        reconnect_timeout=RECONNECT_TIMEOUT,
        show_welcome_message=False,
        uvicorn_logging_level="warning",
        language="fr",
    )
