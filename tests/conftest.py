"""Shared fixtures. NiceGUI `User` tests run in-process; Playwright tests run last (they cannot share the loop)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext

from atelier.hub import Hub
from atelier.scenario import load_scenario
from atelier.service import Facilitation, Service
from atelier.store import Store

pytest_plugins = ["nicegui.testing.user_plugin"]

CHROMIUM = os.environ.get("ATELIER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Playwright's sync API refuses to start inside a running event loop: run its tests after the async ones."""
    items.sort(key=lambda item: "playwright" in getattr(item, "fixturenames", ()))


# NiceGUI holds the events of a page until its socket handshake, then sends each on its own 10 ms poll: a click
# made before the handshake can overtake the text typed just before it. A person is slower than the handshake;
# Playwright is not. So pages stay invisible until connected, and Playwright's actions wait for visibility.
HOLD_UNTIL_CONNECTED = """
(() => {
  const hide = () => {
    const style = document.createElement("style");
    style.textContent = "body { visibility: hidden !important; }";
    document.head.appendChild(style);
    const check = () => (window.did_handshake ? style.remove() : setTimeout(check, 20));
    check();
  };
  if (document.head) hide(); else document.addEventListener("DOMContentLoaded", hide);
})();
"""


@pytest.fixture(scope="session")
def browser(browser: Browser) -> Browser:
    new_context = browser.new_context

    def connected_context(**kwargs: object) -> BrowserContext:
        context = new_context(**kwargs)
        context.add_init_script(HOLD_UNTIL_CONNECTED)
        return context

    browser.new_context = connected_context  # type: ignore[method-assign]
    return browser


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def atelier_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each `User` test's app (atelier/main.py, run afresh per test) gets its own database."""
    monkeypatch.setenv("ATELIER_DB", str(tmp_path / "user-test.sqlite"))
    monkeypatch.setenv("ATELIER_DEMO", "1")
    monkeypatch.setenv("NICEGUI_STORAGE_PATH", str(tmp_path / "nicegui"))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "t.sqlite")
    yield s
    s.close()


@pytest.fixture
def service(store: Store) -> Service:
    s = Service(store, Hub())
    territory_id = s.install_scenario(load_scenario())
    s.ensure_demo_workshop(territory_id)
    return s


@pytest.fixture
def facilitation(service: Service) -> Facilitation:
    return service.as_facilitator(service.log_in(service.reset_facilitator_secret()))


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
