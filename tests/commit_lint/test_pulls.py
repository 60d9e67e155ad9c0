"""A pull request whose commits are not in the clone: commit-lint reads them through
``relkit.adapters.github`` (real HTTP against the loopback fake server)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from commit_lint import entry
from fakeserver import FakeServer
from relkit.adapters import gha
from relkit.cli import run_boundary

PATH = "/repos/o/r/pulls/9/commits"


def commit(number: int, message: str) -> dict[str, object]:
    return {"sha": f"{number:040x}", "commit": {"message": message, "author": {"name": "A"}}}


def run_pr(tmp_path: Path, repo, env: dict[str, str], server: FakeServer, token: str) -> int:
    payload = {
        "pull_request": {
            "number": 9,
            "title": "feat: t",
            "base": {"sha": "1" * 40},
            "head": {"sha": "2" * 40},
        },
        "repository": {"full_name": "o/r"},
    }
    (tmp_path / "event.json").write_text(json.dumps(payload))
    env.update(
        {
            "GITHUB_EVENT_NAME": "pull_request",
            "GITHUB_EVENT_PATH": str(tmp_path / "event.json"),
            "GITHUB_API_URL": server.url,
            "INPUT_TOKEN": token,
        }
    )
    gha.install_logging(env)
    argv = ["--working-directory", str(repo.path)]
    return run_boundary("commit-lint", lambda: entry.main(argv, env), env)


def test_falls_back_to_the_api_page_by_page(
    tmp_path: Path, repo, actions_env: dict[str, str], http_server: FakeServer
):
    http_server.add("GET", PATH, json=[commit(i, "feat: fine") for i in range(100)])
    http_server.add("GET", PATH, json=[commit(100, "Bad")])
    assert run_pr(tmp_path, repo, actions_env, http_server, "secret-token") == 1
    calls = http_server.calls("GET", PATH)
    assert [call.query["page"] for call in calls] == [["1"], ["2"]]
    assert calls[0].headers["authorization"].endswith("secret-token")
    report = json.loads((Path(actions_env["RUNNER_TEMP"]) / "commit-lint-report.json").read_text())
    assert len(report["results"]) == 101
    assert report["errorCount"] >= 1
    assert report["results"][0]["sha"] == f"{100:040x}"  # the newest first


def test_api_denial_names_the_permission(
    tmp_path: Path,
    repo,
    actions_env: dict[str, str],
    http_server: FakeServer,
    capsys: pytest.CaptureFixture[str],
):
    http_server.add("GET", PATH, status=403, json={"message": "Resource not accessible"})
    assert run_pr(tmp_path, repo, actions_env, http_server, "secret-token") == 1
    out = "".join(capsys.readouterr())
    [error] = [line for line in out.splitlines() if line.startswith("::error")]
    assert f"GET {PATH} returned 403" in error
    assert "permissions:" in error
    assert "secret-token" not in error
    assert "::add-mask::secret-token" in out


def test_api_message_with_nul_is_bad_input(
    tmp_path: Path,
    repo,
    actions_env: dict[str, str],
    http_server: FakeServer,
    capsys: pytest.CaptureFixture[str],
):
    http_server.add("GET", PATH, json=[commit(1, "feat: a\x00b")])
    assert run_pr(tmp_path, repo, actions_env, http_server, "t") == 2
    assert "NUL" in "".join(capsys.readouterr())


def test_without_a_token_the_advice_is_a_full_checkout(
    tmp_path: Path,
    repo,
    actions_env: dict[str, str],
    http_server: FakeServer,
    capsys: pytest.CaptureFixture[str],
):
    actions_env.pop("GITHUB_TOKEN", None)
    assert run_pr(tmp_path, repo, actions_env, http_server, "") == 2
    assert "fetch-depth: 0" in "".join(capsys.readouterr())
    assert http_server.requests == []
