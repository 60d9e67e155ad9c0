"""dora-push run the way the GitHub runner runs it (tests/harness.py): inputs as INPUT_*,
outputs and summary through the file commands, one error annotation on bad input, secrets
masked before anything prints them, and a push to a loopback Pushgateway stand-in."""

from __future__ import annotations

import shutil
from pathlib import Path

from dora_push.pushgateway import grouping_path
from fakeserver import FakeServer
from gitrepo import GitRepo
from harness import run_action

HISTORY = Path(__file__).parent / "data" / "history.json"


def test_dry_run_in_the_runner(workspace: GitRepo, tmp_path: Path) -> None:
    shutil.copy(HISTORY, workspace.path / "events.json")
    run = run_action(
        "dora-push",
        {
            "events-file": "events.json",
            "as-of": "2026-11-30",
            "window-days": "7,30",
            "dry-run": "true",
            "pushgateway-password": "pw-very-secret",
        },
        workspace=workspace.path,
        tmp_path=tmp_path,
    )
    assert run.exit_code == 0, run.stderr
    assert not run.file_command_errors
    assert run.outputs["deployments"] == "2"
    assert run.outputs["metrics"].startswith("# HELP dora_deployments")
    assert Path(run.outputs["metrics-file"]).read_text("utf-8") == run.outputs["metrics"]
    assert "## DORA metrics" in run.summary
    assert "pw-very-secret" in run.masks
    assert run.leaks("pw-very-secret") == []
    assert not run.errors


def test_bad_events_file_is_one_error_annotation(workspace: GitRepo, tmp_path: Path) -> None:
    (workspace.path / "events.json").write_text('{"deployments": [{"id": 1}]}', "utf-8")
    run = run_action(
        "dora-push",
        {"events-file": "events.json", "pushgateway-url": "http://127.0.0.1:9"},
        workspace=workspace.path,
        tmp_path=tmp_path,
    )
    assert run.exit_code == 2
    [error] = run.errors
    assert error.properties["title"] == "dora-push"
    assert error.data.startswith("events-file 'events.json': $.deployments[0]")
    assert "Traceback" not in run.stdout + run.stderr
    assert not run.outputs


def test_push_in_the_runner(workspace: GitRepo, tmp_path: Path, http_server: FakeServer) -> None:
    shutil.copy(HISTORY, workspace.path / "events.json")
    http_server.add("PUT", grouping_path("dora", "octo-org/octo-repo", "production"))
    run = run_action(
        "dora-push",
        {
            "events-file": "events.json",
            "pushgateway-url": http_server.url,
            "pushgateway-token": "bearer-secret-1",
        },
        workspace=workspace.path,
        tmp_path=tmp_path,
    )
    assert run.exit_code == 0, run.stderr
    [put] = http_server.requests
    assert put.headers["authorization"] == "Bearer bearer-secret-1"
    assert put.body.decode() == run.outputs["metrics"]
    assert run.leaks("bearer-secret-1") == []
