"""Helpers of the container tests (tests/container/): the engine, the runner's paths.

Container tests: relkit's real image, run the way the GitHub runner runs a Docker action.

``make test`` runs scripts/container_env.py first: it starts a Docker engine when it can, makes
the local base image and builds the Dockerfile as ``relkit:test-<checkout>``, then writes
``build/container-env.json``. Where no engine can run, that file holds the reason, and every
test here is skipped with it (``-ra`` lists skip reasons): never silently.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import ActionRun

ROOT = Path(__file__).resolve().parents[1]
STATUS = ROOT / "build" / "container-env.json"
DOCKER_RUN = Path(__file__).with_name("container") / "docker_run.py"
RUNNER_UID = 1001  # the hosted runner's user, who owns the checkout


@dataclass(frozen=True, slots=True)
class Engine:
    docker: str
    image: str

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.docker, *args], capture_output=True, text=True, timeout=timeout, check=False
        )


def find_engine() -> Engine | str:
    """The engine and image, or why there is none."""
    if not STATUS.is_file():
        return (
            "no container engine: build/container-env.json is missing; run "
            "`make container-env` (make test does) to start dockerd and build relkit:test"
        )
    status: Mapping[str, Any] = json.loads(STATUS.read_text(encoding="utf-8"))
    if "skip" in status:
        return str(status["skip"])
    docker, image = str(status["docker"]), str(status["image"])
    if not shutil.which(docker):
        return f"no container engine: {docker} is gone"
    done = subprocess.run(
        [docker, "image", "inspect", image], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        return f"no container engine or no image {image}: {done.stderr.strip()[:200]}"
    return Engine(docker, image)


def give_to_runner(path: Path) -> None:
    """chown -R to the runner's uid, as actions/checkout leaves the workspace."""
    for folder, dirs, files in os.walk(path):
        for name in [*dirs, *files]:
            os.chown(Path(folder) / name, RUNNER_UID, RUNNER_UID, follow_symlinks=False)
    os.chown(path, RUNNER_UID, RUNNER_UID)


def host_path(run: ActionRun, container_path: str) -> Path:
    """A ``/github/...`` path printed by the action → the host file behind the mount."""
    runner_dir = Path(run.env["RUNNER_TEMP"]).parent
    table = {
        "/github/workspace": run.workspace,
        "/github/runner_temp": runner_dir / "runner_temp",
        "/github/home": runner_dir / "_github_home",
        "/github/file_commands": runner_dir / "_runner_file_commands",
        "/github/workflow": runner_dir / "_github_workflow",
    }
    for prefix, host in table.items():
        if container_path == prefix or container_path.startswith(prefix + "/"):
            return host / container_path[len(prefix) + 1 :]
    raise AssertionError(f"{container_path!r} is not under a /github mount")


def readable_by_runner(engine: Engine, path: Path) -> bool:
    """Can the runner's uid read ``path``? Checked as a later step would: a container running
    as that uid with the file's folder mounted (a bind mount skips pytest's 0700 tmp parents)."""
    done = engine.run(
        "run",
        "--rm",
        "--user",
        f"{RUNNER_UID}:{RUNNER_UID}",
        "-v",
        f"{path.parent}:/step:ro",
        "--entrypoint",
        "/bin/cat",
        engine.image,
        f"/step/{path.name}",
    )
    return done.returncode == 0


RunInContainer = Callable[..., ActionRun]
