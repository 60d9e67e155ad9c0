"""``docker stop`` ends relkit, PID 1 of its container, at once: SIGTERM is handled like Ctrl-C.

Without a handler the kernel ignores SIGTERM for PID 1 and the engine waits out the stop timeout
before its SIGKILL (exit 137). The action here waits on a loopback API that never answers.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from container_engine import Engine, give_to_runner
from fakeserver import SilentServer
from gitrepo import make_git_repo

STOP_TIMEOUT = 30  # seconds docker stop waits before SIGKILL


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


def test_docker_stop_ends_a_waiting_action_with_143(
    engine: Engine, silent_server: SilentServer, tmp_path: Path
) -> None:
    workspace = tmp_path / "workspace"
    make_git_repo(workspace, ["chore: initial commit", "feat: one"])
    (tmp_path / "files").mkdir()
    output = tmp_path / "files" / "output"
    output.write_text("", encoding="utf-8")
    give_to_runner(workspace)
    name = f"relkit-stop-{uuid.uuid4().hex[:12]}"
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_REPOSITORY": "octo-org/octo-repo",
        "GITHUB_API_URL": silent_server.url,
        "GITHUB_EVENT_NAME": "push",
        "GITHUB_REF": "refs/heads/main",
        "GITHUB_REF_NAME": "main",
        "GITHUB_WORKSPACE": "/github/workspace",
        "GITHUB_OUTPUT": "/github/file_commands/output",
        "INPUT_TOKEN": "ghs_stopTestFakeToken",
        "INPUT_RELEASE-TYPE": "simple",
    }
    flags = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
    started = engine.run(
        "run",
        "-d",
        "--name",
        name,
        "--network=host",
        "--workdir",
        "/github/workspace",
        "-v",
        f"{workspace}:/github/workspace",
        "-v",
        f"{output.parent}:/github/file_commands",
        *flags,
        engine.image,
        "release-pr",
    )
    assert started.returncode == 0, started.stderr
    try:
        assert silent_server.connected.wait(60), engine.run("logs", name).stdout
        begin = time.monotonic()
        stopped = engine.run("stop", "--time", str(STOP_TIMEOUT), name, timeout=STOP_TIMEOUT + 30)
        elapsed = time.monotonic() - begin
        assert stopped.returncode == 0, stopped.stderr
        state = engine.run("inspect", "--format", "{{.State.ExitCode}}", name).stdout.strip()
        logs = engine.run("logs", name)
    finally:
        engine.run("rm", "--force", name)
    assert state == "143", logs.stdout + logs.stderr
    assert elapsed < STOP_TIMEOUT / 2, f"docker stop took {elapsed:.1f} s: SIGTERM was ignored"
    assert "::error title=release-pr::terminated (SIGTERM)" in logs.stdout
    assert "Traceback" not in logs.stdout + logs.stderr
    assert output.read_text(encoding="utf-8") == "", "no output half-set"
