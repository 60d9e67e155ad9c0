"""The pull request lifecycle against the OpenAPI-validated fake GitHub: create, update in place,
close superseded, automerge on/off, 502/429 retried; licence-blocked updates stay out."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import responses
from dependency_group import entry, report
from dependency_group.managers import extract_requirements
from dependency_group.model import Update
from dependency_group.plan import Branch
from dependency_group.writer import Writer
from depgroup_standins import PYPI, SAMPLE, StandIns, copy_sample, serve_pypi
from fakeserver import FakeServer
from github_api_fake import API, FakeGitHub
from relkit.adapters.github import GitHubClient
from relkit.errors import CheckFailed, ExternalError


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add_passthru("http://127.0.0.1")
        yield FakeGitHub(rsps)


def _sample(tmp_path: Path, fake: FakeGitHub, config: str) -> Path:
    repo = copy_sample(tmp_path / "repo", config)
    files = {
        p.relative_to(repo).as_posix(): p.read_text(encoding="utf-8")
        for p in repo.rglob("*")
        if p.is_file() and ".git/" not in p.as_posix() + "/" and "/.git/" not in f"/{p}"
    }
    fake.push("main", {k: v for k, v in files.items() if not k.startswith(".git/")})
    return repo


def _run(
    tmp_path: Path, repo: Path, stand_ins: StandIns, *extra: str, code: int = 0
) -> dict[str, object]:
    env = {
        "GITHUB_WORKSPACE": str(repo),
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_REPOSITORY": "octo/demo",
        "GITHUB_API_URL": API,
    }
    argv = [
        "--token", "ghs_test",
        "--base-branch", "main",
        "--branch-prefix", "renovate/",
        "--pypi-url", stand_ins.pypi.url,
        "--docker-registry-url", stand_ins.registry_url,
        "--github-server-url", stand_ins.git_server,
        *extra,
    ]  # fmt: skip
    assert entry.main(argv, env) == code
    return json.loads((tmp_path / "dependency-group-plan.json").read_text(encoding="utf-8"))


def _open(fake: FakeGitHub) -> dict[str, dict[str, object]]:
    return {p["head"]: p for p in fake.pulls.values() if p["state"] == "open"}


def test_one_pr_per_group_with_files_edited_in_place(
    tmp_path: Path, fake: FakeGitHub, stand_ins: StandIns
) -> None:
    repo = _sample(tmp_path, fake, "renovate.fixed.json")
    fake.licenses.update({"actions/checkout": "MIT", "actions/setup-python": "MIT",
                          "docker/login-action": "Apache-2.0"})  # fmt: skip
    plan = _run(tmp_path, repo, stand_ins, "--allow-unknown-license")

    pulls = _open(fake)
    assert set(pulls) == {b["branch"] for b in plan["branches"]}  # type: ignore[attr-defined]
    python = fake.files_at("renovate/python-dependencies")
    assert python["requirements.txt"] == (
        "requests==2.34.2\nflask==2.3.3\nurllib3>=1.26,<2\npyyaml==6.0.4\ndjango==4.2.30\n"
    )
    assert '"click==8.5.1",' in python["pyproject.toml"]
    assert 'test = ["pytest==7.4.4"]' in python["pyproject.toml"]
    major = fake.files_at("renovate/major-python-dependencies")["requirements.txt"]
    assert "urllib3>=2.8,<3\n" in major
    assert "django==6.1.3\n" in major
    docker = fake.files_at("renovate/docker-images")
    assert docker["Dockerfile"] == (SAMPLE / "Dockerfile").read_text(encoding="utf-8").replace(
        "python:3.11.4-slim", "python:3.13.0-slim"
    ).replace(
        "alpine:3.18@sha256:50b270186d1a2c791dbf7543690f667dc6c20a4d65225c45fdfa22328002a9bf",
        "alpine:3.20@sha256:1cf6269d62e3e11d8514707b8624aab5740a4fd6d34bb094b6b5498af45f2fc7",
    )
    assert "docker://alpine:3.20\n" in docker[".github/workflows/ci.yml"]
    actions = fake.files_at("renovate/major-github-actions")[".github/workflows/ci.yml"]
    assert "runs-on: ubuntu-26.04\n" in actions
    assert "actions/checkout@v4\n" in actions
    sha = stand_ins.shas["docker/login-action"]["v3.3.0"]
    assert f"docker/login-action@{sha} # v3.3.0\n" in actions
    body = str(pulls["renovate/major-github-actions"]["body"])
    assert body.startswith(report.MARKER)
    assert "| package | manager | file | from | to | type | licence |" in body
    assert "| docker/login-action | github-actions | .github/workflows/ci.yml |" in body
    assert "| Apache-2.0 |" in body
    assert fake.automerge == {}  # no branch of this config automerges


def test_rerun_updates_in_place_and_closes_superseded(
    tmp_path: Path, fake: FakeGitHub, stand_ins: StandIns
) -> None:
    repo = _sample(tmp_path, fake, "renovate.roadmap.json")
    _run(tmp_path, repo, stand_ins, "--allow-unknown-license")
    first = _open(fake)
    assert "renovate/pytest-7.x" in first
    auto = next(n for n, p in fake.pulls.items() if p["head"] == "renovate/pytest-7.x")
    assert fake.automerge == {auto: "SQUASH"}  # the only branch whose updates all automerge

    writes = len(fake.writes())
    _run(tmp_path, repo, stand_ins, "--allow-unknown-license")
    assert _open(fake).keys() == first.keys()
    assert len(fake.pulls) == len(first)  # no duplicates
    assert len(fake.writes()) == writes  # nothing changed: nothing written
    outputs = (tmp_path / "output").read_text(encoding="utf-8")
    assert outputs.count('"action": "unchanged"') == len(first)

    # a new release: the Python PR's branch is rebuilt and its body updated in place
    with FakeServer() as pypi:
        packages = dict(PYPI)
        packages["requests"] = (PYPI["requests"][0], [*PYPI["requests"][1], ("2.35.1", False)])
        serve_pypi(pypi, packages)
        _run(tmp_path, repo, replace(stand_ins, pypi=pypi), "--allow-unknown-license")
    pull = _open(fake)["renovate/python-dependencies"]
    assert "`==2.35.1`" in str(pull["body"])
    assert "requests==2.35.1\n" in fake.files_at("renovate/python-dependencies")["requirements.txt"]
    assert len(fake.pulls) == len(first)

    # Docker images disabled: that group's PR has no pending update any more
    config = json.loads((repo / "renovate.json").read_text(encoding="utf-8"))
    config["packageRules"].append({"matchDatasources": ["docker"], "enabled": False})
    (repo / "renovate.json").write_text(json.dumps(config), encoding="utf-8")
    _run(tmp_path, repo, stand_ins, "--allow-unknown-license")
    closed = [p for p in fake.pulls.values() if p["state"] == "closed"]
    assert [p["head"] for p in closed] == ["renovate/docker-images"]
    assert fake.comments
    assert "no pending update" in fake.comments[0][1]
    assert "refs/heads/renovate/docker-images" not in fake.refs
    outputs = (tmp_path / "output").read_text(encoding="utf-8")
    assert '"action": "closed"' in outputs


def test_licence_blocked_updates_stay_out_of_the_pr(
    tmp_path: Path, fake: FakeGitHub, stand_ins: StandIns
) -> None:
    packages = dict(PYPI)
    packages["flask"] = ({"license_expression": "GPL-3.0-only"}, PYPI["flask"][1])
    repo = _sample(tmp_path, fake, "renovate.fixed.json")
    with FakeServer() as pypi:
        serve_pypi(pypi, packages)
        blocked = replace(stand_ins, pypi=pypi)
        with pytest.raises(CheckFailed, match="2 update"):
            _run(tmp_path, repo, blocked, "--managers", "pip_requirements",
                 "--fail-on-license", "--allow-unknown-license")  # fmt: skip
    # it failed after writing the allowed updates: flask is in neither Python PR
    assert "flask==2.0.0" in fake.files_at("renovate/python-dependencies")["requirements.txt"]
    assert "flask==2.0.0" in fake.files_at("renovate/major-python-dependencies")["requirements.txt"]
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "Blocked by the licence policy" in summary
    assert "GPL-3.0-only" in summary
    denied = (tmp_path / "output").read_text(encoding="utf-8")
    assert '"license": "GPL-3.0-only"' in denied


def test_502_and_429_are_retried_without_duplicates(
    tmp_path: Path, fake: FakeGitHub, stand_ins: StandIns, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("time.sleep", lambda _seconds: None)
    repo = _sample(tmp_path, fake, "renovate.fixed.json")
    fake.fault("pulls/create", status=502, times=2)
    fake.fault("git/create-tree", status=429, headers={"Retry-After": "1"})
    _run(tmp_path, repo, stand_ins, "--managers", "pip_requirements", "--allow-unknown-license")
    assert len(fake.pulls) == 2
    assert len(fake.writes("pulls/create")) == 2


def _writer(fake: FakeGitHub, root: Path, api: str = API) -> Writer:
    client = GitHubClient("ghs_test", "octo/demo", api_url=api, sleep=lambda _s: None)
    return Writer(client, "main", root)


def _branch(root: Path, automerge: bool = True) -> Branch:
    (root / "requirements.txt").write_text("flask==2.0.0\n", encoding="utf-8")
    dep = extract_requirements("flask==2.0.0\n", "requirements.txt")[0][0]
    update = Update(dep, "patch", "==2.0.3", license="BSD-3-Clause")
    return Branch("deps/flask-2.x", None, automerge, (update,))


def test_repository_licences(fake: FakeGitHub, tmp_path: Path) -> None:
    writer = _writer(fake, tmp_path)
    fake.licenses.update({"a/b": "MIT", "c/d": "NOASSERTION"})
    fake.fault("licenses/get-for-repo", status=403)
    assert writer.repo_license("a/b") is None  # forbidden: unknown, not a failure
    assert writer.repo_license("a/b") == "MIT"
    assert writer.repo_license("c/d") is None
    assert writer.repo_license("e/f") is None


def test_missing_base_branch_and_graphql_errors(fake: FakeGitHub, tmp_path: Path) -> None:
    writer = _writer(fake, tmp_path)
    with pytest.raises(ExternalError, match="the base branch 'main' does not exist"):
        writer.write([_branch(tmp_path)], "deps/")
    fake.push("main", {"requirements.txt": "flask==2.0.0\n"})
    fake.fault("graphql", status=200, body={"errors": [{"message": "auto-merge is off"}]})
    with pytest.raises(ExternalError, match="GitHub GraphQL: auto-merge is off"):
        writer.write([_branch(tmp_path)], "deps/")
    # the re-run converges on the pull request the failed run opened
    results = writer.write([_branch(tmp_path)], "deps/")
    assert [r["action"] for r in results] == ["unchanged"]
    assert len(fake.pulls) == 1
    assert list(fake.automerge.values()) == ["SQUASH"]  # asked again: the first ask failed
    graphql = len([c for c in fake.calls if c.op == "graphql"])
    writer.write([_branch(tmp_path)], "deps/")
    assert len([c for c in fake.calls if c.op == "graphql"]) == graphql  # already on


def test_ghes_graphql_url(fake: FakeGitHub, tmp_path: Path) -> None:
    writer = _writer(fake, tmp_path, api="https://ghes.test/api/v3")
    calls: list[str] = []
    writer.client.request = lambda _verb, path, **_kw: calls.append(path) or {}  # type: ignore[method-assign]
    writer._graphql("query { x }", {})
    assert calls == ["https://ghes.test/api/graphql"]


def test_a_pull_request_created_meanwhile_is_updated(fake: FakeGitHub, tmp_path: Path) -> None:
    fake.push("main", {"requirements.txt": "flask==2.0.0\n"})
    writer = _writer(fake, tmp_path)
    branch = _branch(tmp_path, automerge=False)
    fake.fault("pulls/create", status=502, times=1, apply=True)  # created, the answer lost
    results = writer.write([branch], "deps/")
    assert [r["action"] for r in results] == ["updated"]
    assert len(fake.pulls) == 1
    assert fake.automerge == {}


def test_a_dry_run_with_a_token_reads_licences_and_writes_nothing(
    tmp_path: Path, fake: FakeGitHub, stand_ins: StandIns
) -> None:
    repo = _sample(tmp_path, fake, "renovate.fixed.json")
    fake.licenses.update({"actions/checkout": "MIT", "actions/setup-python": "MIT",
                          "docker/login-action": "Apache-2.0"})  # fmt: skip
    plan = _run(tmp_path, repo, stand_ins, "--dry-run", "--managers", "github-actions")
    licences = {
        (u["package"], u["license"], u["license_ok"])
        for b in plan["branches"]  # type: ignore[attr-defined]
        for u in b["updates"]
    }
    assert ("actions/checkout", "MIT", True) in licences
    assert ("ubuntu", None, True) in licences  # a runner image has no licence to check
    assert ("alpine", None, False) in licences  # no OCI licence label: unknown, blocked
    assert fake.writes() == []
    assert fake.pulls == {}
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "| major | n/a (runner image) |" in summary
