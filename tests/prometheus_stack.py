"""A real Pushgateway and Prometheus (Debian's packages) on free loopback ports.

Both run as plain background processes with all state in one temporary folder; the fixture waits
for ``/-/ready`` on each, then for Prometheus' first scrape of the Pushgateway (about 5.5 s after
start: Prometheus applies discovered targets at most every 5 s), by polling, never by a fixed
sleep. ``make test`` installs ``prometheus`` and ``prometheus-pushgateway`` (DEB_PACKAGES).
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

BINARIES = ("prometheus-pushgateway", "prometheus", "promtool")
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(check: Callable[[], Any], what: str, timeout: float = START_TIMEOUT) -> Any:
    """Poll ``check`` until it returns something truthy (10 ms, growing to 200 ms, between)."""
    deadline = time.monotonic() + timeout
    pause = 0.01
    while True:
        try:
            result = check()
        except requests.RequestException:
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what} after {timeout:.0f}s")
        time.sleep(pause)
        pause = min(pause * 2, 0.2)


@dataclass
class Stack:
    pushgateway: str
    prometheus: str
    folder: Path

    def query(self, expr: str) -> list[dict[str, Any]]:
        answer = requests.get(f"{self.prometheus}/api/v1/query", params={"query": expr}, timeout=5)
        answer.raise_for_status()
        data = answer.json()["data"]
        assert data["resultType"] == "vector", data
        result: list[dict[str, Any]] = data["result"]
        return result

    def value(self, expr: str) -> float | None:
        result = self.query(expr)
        assert len(result) <= 1, f"{expr} matched {len(result)} series"
        return float(result[0]["value"][1]) if result else None

    def wait_value(self, expr: str, expected: float, timeout: float = 20.0) -> float:
        """The value of ``expr`` once it equals ``expected`` (a push shows after a scrape)."""

        def check() -> bool:
            found = self.value(expr)
            return found is not None and abs(found - expected) <= 1e-9 * max(1.0, abs(expected))

        wait_until(check, f"{expr} == {expected}", timeout)
        got = self.value(expr)
        assert got is not None
        return got

    def wait_absent(self, expr: str, timeout: float = 20.0) -> None:
        wait_until(lambda: self.query(expr) == [], f"{expr} to be absent", timeout)


def _ready(url: str) -> bool:
    return requests.get(f"{url}/-/ready", timeout=2).status_code == 200


def _start(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def running_stack(folder: Path) -> Iterator[Stack]:
    """Start both in ``folder``; stop them (TERM, then KILL after 10 s) on exit."""
    missing = [name for name in BINARIES if shutil.which(name) is None]
    if missing:
        raise FileNotFoundError(
            f"missing {', '.join(missing)}: run `make test` (as root it installs the Debian "
            "packages prometheus and prometheus-pushgateway) or install them yourself"
        )
    pg_port, prom_port = free_port(), free_port()
    processes: list[subprocess.Popen[bytes]] = []
    try:
        processes.append(
            _start(
                [
                    "prometheus-pushgateway",
                    f"--web.listen-address=127.0.0.1:{pg_port}",
                    f"--persistence.file={folder / 'pushgateway.data'}",
                    "--persistence.interval=5s",
                    "--web.enable-admin-api",
                    "--web.enable-lifecycle",
                ],
                folder / "pushgateway.log",
            )
        )
        config = folder / "prometheus.yml"
        config.write_text(
            "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
            "scrape_configs:\n"
            "  - job_name: pushgateway\n"
            "    honor_labels: true\n"
            f'    static_configs: [{{targets: ["127.0.0.1:{pg_port}"]}}]\n',
            encoding="utf-8",
        )
        processes.append(
            _start(
                [
                    "prometheus",
                    f"--config.file={config}",
                    f"--storage.tsdb.path={folder / 'tsdb'}",
                    f"--web.listen-address=127.0.0.1:{prom_port}",
                    "--web.enable-lifecycle",
                    "--web.enable-admin-api",
                ],
                folder / "prometheus.log",
            )
        )
        stack = Stack(f"http://127.0.0.1:{pg_port}", f"http://127.0.0.1:{prom_port}", folder)
        wait_until(lambda: _ready(stack.pushgateway), "the Pushgateway's /-/ready")
        wait_until(lambda: _ready(stack.prometheus), "Prometheus' /-/ready")
        wait_until(lambda: stack.query('up{job="pushgateway"} == 1'), "the first scrape")
        yield stack
    except TimeoutError as exc:
        raise TimeoutError(f"{exc}\n{_logs(folder)}") from None
    finally:
        for process in reversed(processes):
            _stop(process)


def _logs(folder: Path) -> str:
    return "\n".join(
        f"--- {log.name}\n{log.read_text(errors='replace')[-2000:]}"
        for log in sorted(folder.glob("*.log"))
    )
