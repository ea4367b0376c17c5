"""Starts `atelier demo` as a separate process on a free port: for the end-to-end tests and the bench."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RunningServer:
    """A server process and what it printed at start: its address, the facilitator's secret, a join code."""

    db_path: Path
    port: int
    log_path: Path
    process: subprocess.Popen | None = None
    secret: str = ""
    join_code: str = ""
    extra_args: list[str] = field(default_factory=list)
    # The `atelier` command to run: this interpreter's by default, or an installed one (the wheel test).
    program: list[str] = field(default_factory=lambda: [sys.executable, "-m", "atelier.cli"])
    cwd: Path | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, timeout: float = 30.0) -> RunningServer:
        # Under pytest the child would believe it is itself a test and die (STACK-NOTES).
        env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
        env["PYTHONUNBUFFERED"] = "1"
        command = [*self.program, "demo", "--db", str(self.db_path), "--host", "127.0.0.1",
                   "--port", str(self.port), *self.extra_args]
        log = self.log_path.open("a", encoding="utf-8")
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.cwd,
                                        start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"atelier stopped at start:\n{self.log_path.read_text(encoding='utf-8')}")
            try:
                if httpx.get(f"{self.base_url}/rejoindre", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            self.kill()
            raise RuntimeError(f"atelier did not answer within {timeout} s")
        printed = self.log_path.read_text(encoding="utf-8")
        self.secret = re.findall(r"jeton=(\S+)", printed)[-1]
        self.join_code = re.findall(r"code ([A-Z0-9]{5})\n", printed)[-1]
        return self

    def kill(self) -> None:
        """SIGKILL, as a crash or a pulled plug would: nothing gets to flush or close."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


def start_demo(directory: Path, port: int | None = None, extra_args: list[str] | None = None) -> RunningServer:
    return RunningServer(db_path=directory / "atelier.sqlite", port=port or free_port(),
                         log_path=directory / "server.log", extra_args=extra_args or []).start()
