"""The package as a new user gets it: the wheel built from a clean copy of the checkout, installed into a fresh
virtual environment outside the checkout (as `pipx install` does), then `atelier init` and `atelier demo` run from
there, with a board and a phone in Chromium."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from atelier.launch import RunningServer, free_port

CHECKOUT = Path(__file__).resolve().parent.parent
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
# What a clean clone holds, and nothing a working copy gathers on the side.
NOT_IN_A_CLONE = shutil.ignore_patterns(".git", ".venv", "test-artifacts", "__pycache__", "build", "dist",
                                        "*.egg-info", "*.sqlite*", ".nicegui")


def _quiet_env() -> dict[str, str]:
    """No trace of the checkout: the installed command must find everything in its own environment."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTEST_CURRENT_TEST", "PYTHONPATH", "VIRTUAL_ENV")}


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """(the built wheel, the fresh environment's bin folder): built and installed once, with the dependencies
    taken from pip's cache. Session-scoped: the browser test runs at the end of the suite, long after the other."""
    tmp_path = tmp_path_factory.mktemp("wheel")
    source = tmp_path / "clone"
    shutil.copytree(CHECKOUT, source, ignore=NOT_IN_A_CLONE)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"),
                    str(source)], check=True, env=_quiet_env())
    wheel = next((tmp_path / "dist").glob("atelier-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q",
                    str(wheel)], check=True, env=_quiet_env())
    shutil.rmtree(source)  # nothing of the checkout is left beside the installed package
    yield wheel, venv / "bin"


def test_the_wheel_carries_every_file_of_the_package_and_every_scenario_file(installed: tuple[Path, Path]) -> None:
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())

    def files_under(folder: str, inside: str) -> set[str]:
        return {f"{inside}/{p.relative_to(CHECKOUT / folder).as_posix()}"
                for p in (CHECKOUT / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts}

    shipped = files_under("atelier", "atelier") | files_under("sessions", "atelier/sessions")
    assert {"atelier/sessions/demo/territoire.toml", "atelier/static/atelier.css", "atelier/ui/board.py"} <= shipped
    assert shipped <= names, f"missing from the wheel: {sorted(shipped - names)}"


def test_the_installed_wheel_runs_init_and_the_demo(installed: tuple[Path, Path], tmp_path: Path,
                                                    browser: Browser, artifacts: Path) -> None:
    _, bin_dir = installed
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    where = subprocess.run([str(bin_dir / "python"), "-c", "import atelier; print(atelier.__file__)"],
                           cwd=elsewhere, env=_quiet_env(), capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(bin_dir.parent)), where

    made = subprocess.run([str(bin_dir / "atelier"), "init", "val-d-allier", "--nom", "Val d’Allier"],
                          cwd=elsewhere, env=_quiet_env(), capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    assert "cle = \"val-d-allier\"" in (elsewhere / "val-d-allier" / "territoire.toml").read_text(encoding="utf-8")
    assert (elsewhere / "val-d-allier" / "ateliers" / "co-construction.toml").is_file()

    server = RunningServer(db_path=elsewhere / "demo.sqlite", port=free_port(), log_path=elsewhere / "demo.log",
                           program=[str(bin_dir / "atelier")], cwd=elsewhere)
    server.start()
    try:
        board = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
        board.goto(f"{server.base_url}/tableau/{server.join_code}")
        expect(board.get_by_test_id("join-code")).to_have_text(server.join_code)
        expect(board.get_by_test_id("welcome-qr")).to_be_visible()  # the welcome phase projects it large
        # The app's own stylesheet reached the page from the installed package: the projector's dark background.
        expect(board.locator(".board").first).to_have_css("background-color", "rgb(11, 15, 20)")
        phone = browser.new_context(**PHONE).new_page()
        phone.goto(f"{server.base_url}/j/{server.join_code}")
        phone.get_by_test_id("name").fill("Anaïs")
        phone.get_by_test_id("organisation").fill("Ferme du Pré Vert")
        phone.get_by_test_id("join").click()
        expect(phone.get_by_test_id("hello")).to_have_text("Bonjour Anaïs (Ferme du Pré Vert)")
        expect(board.get_by_test_id("participants")).to_have_text(re.compile(r"^1 participant"))
        board.screenshot(path=artifacts / "wheel-board-1280x720.png")
    finally:
        server.stop()
    # The plan's PDF from the installed package: its fonts (emoji included) are package data too.
    exported = subprocess.run([str(bin_dir / "atelier"), "export", "--format", "pdf", "--atelier", server.join_code,
                               "--db", str(server.db_path), "-o", "plan.pdf"],
                              cwd=elsewhere, env=_quiet_env(), capture_output=True, text=True)
    assert exported.returncode == 0, exported.stderr
    assert (elsewhere / "plan.pdf").read_bytes().startswith(b"%PDF")
