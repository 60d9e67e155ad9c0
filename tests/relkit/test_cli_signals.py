"""SIGTERM ends relkit like Ctrl-C: ``docker stop`` and a cancelled run, with relkit as PID 1.

A real ``relkit release-pr`` process talks to a loopback server that accepts the connection and
never answers; once it is waiting there, the test sends SIGTERM. The container version of this
test (``docker stop``) is in tests/container/.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakeserver import SilentServer
from gitrepo import GitRepo


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


def test_sigterm_ends_a_waiting_action_with_143(
    workspace: GitRepo, silent_server: SilentServer, tmp_path: Path
) -> None:
    output = tmp_path / "output"
    output.write_text("", encoding="utf-8")
    env = {
        "PATH": os.environ["PATH"],
        "GITHUB_ACTIONS": "true",
        "GITHUB_REPOSITORY": "octo-org/octo-repo",
        "GITHUB_API_URL": silent_server.url,
        "GITHUB_EVENT_NAME": "push",
        "GITHUB_REF": "refs/heads/main",
        "GITHUB_REF_NAME": "main",
        "GITHUB_OUTPUT": str(output),
        "INPUT_TOKEN": "ghs_signalTestFakeToken",
        "INPUT_RELEASE-TYPE": "simple",
        "PYTHONUNBUFFERED": "1",
    }
    relkit = Path(sys.executable).with_name("relkit")
    process = subprocess.Popen(
        [str(relkit), "release-pr"],
        cwd=workspace.path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert silent_server.connected.wait(60), "release-pr never called the API"
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 143, stdout + stderr
    assert "::error title=release-pr::terminated (SIGTERM)" in stdout
    assert "Traceback" not in stdout + stderr
    assert output.read_text(encoding="utf-8") == ""  # no output half-set
