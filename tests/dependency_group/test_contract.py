"""The action as the runner runs it: inputs from ``INPUT_*``, outputs and summary through the
file commands, a bad config as one error annotation with exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import depgroup_standins as standins
from fakeserver import FakeServer
from harness import run_action


def _workspace(tmp_path: Path) -> Path:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    (workspace / "requirements.txt").write_text("flask==2.0.0\nrequests==2.31.0\n")
    return workspace


def test_dry_run_in_the_runner(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    (workspace / "renovate.json").write_text(
        json.dumps({"packageRules": [{"matchDatasources": ["pypi"], "groupName": "Python"}]})
    )
    with FakeServer() as pypi:
        standins.serve_pypi(pypi)
        run = run_action(
            "dependency-group",
            {"dry-run": "true", "pypi-url": pypi.url, "branch-prefix": "deps/"},
            workspace=workspace,
            tmp_path=tmp_path,
            github={"GITHUB_API_URL": "http://127.0.0.1:9"},  # the discard port: nothing leaves
        )
    assert run.exit_code == 0, run.stderr
    assert not run.file_command_errors
    plan = json.loads(Path(run.outputs["plan"]).read_text(encoding="utf-8"))
    assert [(b["branch"], len(b["updates"])) for b in plan["branches"]] == [
        ("deps/major-python", 1),
        ("deps/python", 2),
    ]
    assert json.loads(run.outputs["pull-requests"]) == []
    assert "### `deps/python` (group Python)" in run.summary
    assert "| flask | pip_requirements | requirements.txt | `==2.0.0` | `==2.3.3` | minor |" in (
        run.summary
    )


def test_bad_config_is_one_error_and_exit_2(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    (workspace / "renovate.json").write_text('{"packageRules": [{"matchPackageNames": ["/(/"]}]}')
    run = run_action(
        "dependency-group",
        {"dry-run": "true"},
        workspace=workspace,
        tmp_path=tmp_path,
        github={"GITHUB_API_URL": "http://127.0.0.1:9"},
    )
    assert run.exit_code == 2
    [error] = run.errors
    assert error.properties["title"] == "dependency-group"
    assert error.data.startswith("renovate.json: 'packageRules[0].matchPackageNames' has an")
    assert "Traceback" not in run.stdout + run.stderr
    assert "plan" not in run.outputs
