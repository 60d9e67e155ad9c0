"""``release_pr.entry.main(argv, env)`` end to end against the fake GitHub (in-process)."""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import responses
from github_api_fake import API, FakeGitHub
from release_pr import entry
from release_pr.github_flow import PENDING, TAGGED, sync_release_pull
from release_pr.github_rest import RestGitHub
from release_pr_plans import FOOTER, HEADER, SECTION, FakePullPlan, single_plan
from relkit import cli

SLACK = "https://hooks.slack.test/services/T000/B000/s3cr3t"


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        gh = FakeGitHub(rsps)
        gh.push("main", {"version.txt": "1.2.3\n"}, "feat: add a thing")
        yield gh


def parse_outputs(path: Path) -> dict[str, str]:
    """The runner's heredoc parser for GITHUB_OUTPUT (name<<delimiter … delimiter)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    outputs: dict[str, str] = {}
    index = 0
    while index < len(lines):
        line = lines[index]
        if "<<" in line:
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, index + 1)
            outputs[name] = "\n".join(lines[index + 1 : end])
            index = end
        index += 1
    return outputs


@pytest.fixture
def runner_env(tmp_path: Path, fake: FakeGitHub) -> dict[str, str]:
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (tmp_path / "out").write_text("")
    (tmp_path / "summary").write_text("")
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_REPOSITORY": "octo/demo",
        "GITHUB_REF": "refs/heads/main",
        "GITHUB_SHA": fake.refs["refs/heads/main"],
        "GITHUB_API_URL": API,
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_OUTPUT": str(tmp_path / "out"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
        "INPUT_TOKEN": "ghs_fakeTokenValue",
        "INPUT_RELEASE-TYPE": "simple",
    }


@pytest.fixture
def no_plans(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    return install_plan(monkeypatch, [])


def install_plan(monkeypatch: pytest.MonkeyPatch, pulls: list[Any]) -> list[Any]:
    """Stand-ins for release-core's ``release_pr.config`` and ``release_pr.plan`` (same API)."""
    calls: list[Any] = []
    config_module = types.ModuleType("release_pr.config")
    plan_module = types.ModuleType("release_pr.plan")

    def load_config(workspace: Path, **kwargs: Any) -> str:
        calls.append(("load_config", workspace, kwargs))
        return "config"

    def plan_release(workspace: Path, config: str, **kwargs: Any) -> Any:
        calls.append(("plan_release", config, kwargs))
        return types.SimpleNamespace(pull_requests=tuple(pulls), warnings=("shallow checkout",))

    config_module.load_config = load_config  # type: ignore[attr-defined]
    plan_module.plan_release = plan_release  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "release_pr.config", config_module)
    monkeypatch.setitem(sys.modules, "release_pr.plan", plan_module)
    return calls


def merged_release(fake: FakeGitHub, plan: FakePullPlan | None = None) -> str:
    client = RestGitHub("t", "octo/demo", API, sleep=lambda _s: None)
    number = sync_release_pull(client, plan or single_plan(), target_branch="main").pull.number
    return fake.merge(number)


def run(env: dict[str, str], *argv: str) -> int:
    return cli.main(["release-pr", *argv], env)


def test_missing_token_is_one_clear_error(
    runner_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    runner_env["INPUT_TOKEN"] = ""

    assert run(runner_env) == 2

    out = capsys.readouterr().out
    assert "input 'token' is empty" in out
    assert "contents: write, pull-requests: write" in out
    assert "Traceback" not in out


def test_token_is_masked_first(
    runner_env: dict[str, str],
    fake: FakeGitHub,
    no_plans: list[Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(runner_env) == 0

    out = capsys.readouterr().out
    assert out.startswith("::add-mask::ghs_fakeTokenValue\n")
    assert out.count("ghs_fakeTokenValue") == 1


def test_merged_release_pr_sets_v4_outputs(
    runner_env: dict[str, str], fake: FakeGitHub, tmp_path: Path, no_plans: list[Any]
) -> None:
    sha = merged_release(fake)
    runner_env["GITHUB_SHA"] = sha

    assert run(runner_env) == 0

    out = parse_outputs(tmp_path / "out")
    assert out["releases_created"] == "true"
    assert out["release_created"] == "true"
    assert out["tag_name"] == "v1.3.0"
    assert out["version"] == "1.3.0"
    assert (out["major"], out["minor"], out["patch"]) == ("1", "3", "0")
    assert out["sha"] == sha
    assert out["body"] == SECTION
    assert out["html_url"] == "https://github.test/octo/demo/releases/tag/v1.3.0"
    assert out["upload_url"].startswith("https://uploads.github.test/repos/octo/demo/releases/")
    assert out["paths_released"] == '["."]'
    assert out["prs_created"] == "false"
    assert "| `.` | `v1.3.0` |" in (tmp_path / "summary").read_text()
    [pull] = fake.pulls.values()
    assert pull["labels"] == [TAGGED]


def test_nothing_to_do_sets_false_outputs(
    runner_env: dict[str, str], tmp_path: Path, no_plans: list[Any], fake: FakeGitHub
) -> None:
    assert run(runner_env) == 0

    out = parse_outputs(tmp_path / "out")
    assert out == {"releases_created": "false", "paths_released": "[]", "prs_created": "false"}
    assert fake.writes() == []
    assert "Nothing to release." in (tmp_path / "summary").read_text()


def test_manifest_mode_sets_path_prefixed_outputs(
    runner_env: dict[str, str], fake: FakeGitHub, tmp_path: Path, no_plans: list[Any]
) -> None:
    del runner_env["INPUT_RELEASE-TYPE"]
    config = {
        "packages": {
            "packages/api": {"component": "api"},
            "packages/web": {"package-name": "@octo/web", "prerelease": True},
        }
    }
    Path(runner_env["GITHUB_WORKSPACE"], "release-please-config.json").write_text(
        json.dumps(config)
    )
    blocks = "\n\n".join(
        f"<details><summary>{name}: {version}</summary>\n\n## {version} (2026-07-28)\n</details>"
        for name, version in (("api", "2.0.0"), ("web", "0.4.0"))
    )
    plan = FakePullPlan(
        "release-please--branches--main",
        "chore: release main",
        HEADER + blocks + FOOTER,
        (("packages/api/version.txt", "2.0.0\n"),),
    )
    runner_env["GITHUB_SHA"] = merged_release(fake, plan)

    assert run(runner_env) == 0

    out = parse_outputs(tmp_path / "out")
    assert out["packages/api--tag_name"] == "api-v2.0.0"
    assert out["packages/web--tag_name"] == "web-v0.4.0"
    assert out["packages/web--release_created"] == "true"
    assert "release_created" not in out
    assert json.loads(out["paths_released"]) == ["packages/api", "packages/web"]
    assert [rel["prerelease"] for rel in fake.releases] == [False, True]


def test_release_pr_is_opened_from_the_plan(
    runner_env: dict[str, str],
    fake: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    calls = install_plan(monkeypatch, [single_plan()])

    assert run(runner_env) == 0

    assert "::warning::shallow checkout" in capsys.readouterr().out

    out = parse_outputs(tmp_path / "out")
    assert out["prs_created"] == "true"
    pr = json.loads(out["pr"])
    assert pr["headBranchName"] == "release-please--branches--main"
    assert pr["baseBranchName"] == "main"
    assert pr["title"] == "chore(main): release 1.3.0"
    assert pr["labels"] == [PENDING]
    assert pr["files"] == ["CHANGELOG.md", "version.txt"]
    assert json.loads(out["prs"]) == [pr]
    assert calls[0] == (
        "load_config",
        Path(runner_env["GITHUB_WORKSPACE"]),
        {
            "config_file": "release-please-config.json",
            "manifest_file": ".release-please-manifest.json",
            "inputs": {"release-type": "simple", "changelog-host": "https://github.com"},
        },
    )
    kwargs = calls[1][2]
    assert kwargs["target_branch"] == "main"
    assert kwargs["repo_url"] == "https://github.com/octo/demo"
    assert kwargs["now"].tzinfo is not None

    before = len(fake.writes())
    assert run(runner_env) == 0
    assert len(fake.writes()) == before


def test_skip_labeling_and_skip_release(
    runner_env: dict[str, str], fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_plan(monkeypatch, [single_plan()])
    runner_env["INPUT_SKIP-LABELING"] = "true"
    runner_env["INPUT_SKIP-GITHUB-RELEASE"] = "true"

    assert run(runner_env) == 0

    [pull] = fake.pulls.values()
    assert pull["labels"] == []
    assert "releases_created" not in parse_outputs(tmp_path / "out")


def test_webhook_announces_the_release(
    runner_env: dict[str, str],
    fake: FakeGitHub,
    no_plans: list[Any],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runner_env["GITHUB_SHA"] = merged_release(fake)
    runner_env["INPUT_WEBHOOK-URL"] = SLACK
    seen: list[Any] = []

    def slack(request: Any) -> tuple[int, dict[str, str], str]:
        seen.append(json.loads(request.body))
        return 200, {}, "ok"

    fake.rsps.add(responses.POST, SLACK, status=503)
    fake.rsps.add_callback(responses.POST, SLACK, callback=slack)
    sleeps: list[float] = []
    monkeypatch.setattr("time.sleep", sleeps.append)

    assert run(runner_env) == 0

    assert sleeps == [1.0]
    [payload] = seen
    assert payload["text"] == "Released octo/demo v1.3.0"
    assert payload["blocks"][0]["type"] == "header"
    assert "*Features*" in payload["blocks"][1]["text"]["text"]
    out = capsys.readouterr().out
    assert f"::add-mask::{SLACK}" in out
    assert out.count(SLACK) == 1


def test_bad_repo_url_exits_2(
    runner_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    runner_env["INPUT_REPO-URL"] = "not a repo"

    assert run(runner_env) == 2
    assert "input 'repo-url' must be owner/name" in capsys.readouterr().out


def test_settings_from_a_url_and_target_branch(runner_env: dict[str, str]) -> None:
    runner_env["INPUT_REPO-URL"] = "https://github.com/octo/other.git"
    runner_env["INPUT_TARGET-BRANCH"] = "1.x"
    _ns, inputs = entry.parse_args(entry.SPEC, [], runner_env)

    settings = entry.read_settings(inputs, runner_env)

    assert (settings.repository, settings.target_branch) == ("octo/other", "1.x")


def test_failed_webhook_only_warns(
    runner_env: dict[str, str],
    fake: FakeGitHub,
    no_plans: list[Any],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runner_env["GITHUB_SHA"] = merged_release(fake)
    runner_env["INPUT_WEBHOOK-URL"] = SLACK
    fake.rsps.add(responses.POST, SLACK, status=404)
    monkeypatch.setattr("time.sleep", lambda _s: None)

    assert run(runner_env) == 0

    out = capsys.readouterr().out
    assert (
        "::warning::release announcement failed: the 'webhook-url' endpoint failed (HTTP 404)"
        in out
    )
    assert len(fake.releases) == 1


def test_entrypoint_as_a_process_against_a_loopback_github(
    runner_env: dict[str, str], tmp_path: Path, fake: FakeGitHub
) -> None:
    """The container path: ``relkit release-pr`` in a subprocess, GitHub on 127.0.0.1."""
    import os  # noqa: PLC0415
    import subprocess  # noqa: PLC0415

    from github_api_fake import serve  # noqa: PLC0415

    github = FakeGitHub(None)
    github.push("main", {"version.txt": "1.2.3\n"})
    with serve(github) as url:
        assert fake.rsps is not None
        fake.rsps.add_passthru(url)  # this test's own calls go to the loopback server
        client = RestGitHub("t", "octo/demo", url, sleep=lambda _s: None)
        number = sync_release_pull(client, single_plan(), target_branch="main").pull.number
        sha = github.merge(number)
        env = {
            **runner_env,
            "PATH": os.environ["PATH"],
            "GITHUB_API_URL": url,
            "GITHUB_SHA": sha,
            "INPUT_SKIP-GITHUB-PULL-REQUEST": "true",
        }
        relkit = Path(sys.executable).with_name("relkit")
        done = subprocess.run(
            [str(relkit), "release-pr"], env=env, capture_output=True, text=True, check=False
        )

    assert done.returncode == 0, done.stdout + done.stderr
    assert parse_outputs(tmp_path / "out")["tag_name"] == "v1.3.0"
    assert github.refs["refs/tags/v1.3.0"] == sha
    assert "ghs_fakeTokenValue" not in done.stdout.replace("::add-mask::ghs_fakeTokenValue", "")
