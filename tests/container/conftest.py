"""Fixtures of the container tests; see tests/container_engine.py.

``make test`` runs scripts/container_env.py first: it starts a Docker engine when it can, makes
the local base image and builds the Dockerfile as ``relkit:test-<checkout>``. Where no engine
can run, every test here is skipped with the reason (``-ra`` lists skip reasons): never
silently.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from container_engine import DOCKER_RUN, Engine, RunInContainer, find_engine, give_to_runner
from harness import ActionRun, run_action


@pytest.fixture(scope="session")
def engine() -> Engine:
    found = find_engine()
    if isinstance(found, str):
        pytest.skip(found)
    return found


@pytest.fixture
def run_in_container(engine: Engine, tmp_path: Path) -> RunInContainer:
    """``run_in_container(action, inputs, workspace=…, **harness_kwargs)``: tests/harness.py's
    ``run_action`` with the image as entrypoint, the workspace and the runner's folders owned by
    the runner's uid, as on a hosted runner."""
    if os.geteuid() != 0:
        pytest.skip("container tests chown the workspace to the runner's uid: needs root")

    def run(action: str, inputs: Mapping[str, str] | None = None, **kwargs: Any) -> ActionRun:
        workspace: Path = kwargs.pop("workspace")
        runner_dir = tmp_path / "runner"
        for folder in ("_runner_file_commands", "_github_workflow", "_github_home", "runner_temp"):
            (runner_dir / folder).mkdir(parents=True, exist_ok=True)
        give_to_runner(workspace)
        give_to_runner(runner_dir)
        entry = [
            sys.executable,
            str(DOCKER_RUN),
            engine.docker,
            engine.image,
            str(runner_dir),
            str(workspace),
            "--",
        ]
        return run_action(
            action,
            inputs,
            workspace=workspace,
            tmp_path=tmp_path,
            image_entrypoint=entry,
            image_env={},
            **kwargs,
        )

    return run
