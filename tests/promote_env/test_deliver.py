"""In Actions: the promotion branch and its one pull request (the project's fake GitHub on a
loopback port, a bare repository as ``origin``), or a push to the base branch."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from github_api_fake import FakeGitHub, serve  # type: ignore[import-not-found]
from gitrepo import GitRepo  # type: ignore[import-not-found]
from harness import parse_env_file  # type: ignore[import-not-found]
from promote_env import entry
from promote_env.gitops import Repo
from promote_env.sample import APP_DIGEST
from promote_samples import (  # type: ignore[import-not-found]
    PROD_FILE,
    PRODUCTION,
    STAGING,
    BareRefs,
    git_in,
)
from relkit import cli
from relkit.errors import ConfigError, ExternalError

BRANCH = "relkit/promote/production"
TOKEN = "ghs_promoteFakeToken0123456789"


@pytest.fixture
def github(gitops: GitRepo) -> Iterator[tuple[FakeGitHub, str]]:
    fake = FakeGitHub(None, repository="octo/demo")
    fake.refs = BareRefs(Path(gitops.git("remote", "get-url", "origin").strip()))
    with serve(fake) as url:
        yield fake, url


def actions_env(repo: GitRepo, tmp_path: Path, url: str) -> dict[str, str]:
    (tmp_path / "out").write_text("")
    return {
        **os.environ,
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(repo.path),
        "GITHUB_REPOSITORY": "octo/demo",
        "GITHUB_API_URL": url,
        "GITHUB_OUTPUT": str(tmp_path / "out"),
        "INPUT_TOKEN": TOKEN,
    }


def origin(repo: GitRepo) -> Path:
    return Path(repo.git("remote", "get-url", "origin").strip())


ARGS = ["--source", STAGING, "--target", PRODUCTION, "--no-render"]


def test_pull_request_is_opened_once_and_updated(
    gitops: GitRepo, tmp_path: Path, github: tuple[FakeGitHub, str]
) -> None:
    fake, url = github
    env = actions_env(gitops, tmp_path, url)
    head = gitops.head()
    assert entry.main([*ARGS, "--images", "registry.example/app"], env) == 0
    got = parse_env_file((tmp_path / "out").read_text())
    assert list(fake.pulls) == [int(got["pull-request-number"])]
    pull = fake.pulls[int(got["pull-request-number"])]
    assert pull["head"] == BRANCH
    assert pull["base"] == "main"
    assert pull["title"] == "chore(production): promote registry.example/app"
    assert "Promoted-Images: registry.example/app=" in pull["body"]
    assert got["pull-request-url"].endswith(f"/pull/{pull['number']}")
    pushed = git_in(origin(gitops), "rev-parse", f"refs/heads/{BRANCH}").strip()
    assert got["commit-sha"] == pushed
    assert git_in(origin(gitops), "rev-parse", f"{pushed}^").strip() == head
    assert APP_DIGEST in git_in(origin(gitops), "show", f"{pushed}:{PROD_FILE}")
    assert gitops.head() == head  # the checkout is left alone
    assert gitops.git("status", "--porcelain") == ""
    # a re-run with more images updates the same pull request: never a duplicate
    (tmp_path / "out").write_text("")
    assert entry.main(ARGS, env) == 0
    got = parse_env_file((tmp_path / "out").read_text())
    assert list(fake.pulls) == [int(got["pull-request-number"])]
    assert fake.pulls[pull["number"]]["title"].startswith(
        "chore(production): promote registry.example/app, registry.example/worker"
    )
    assert len(fake.writes("pulls/create")) == 1
    assert len(fake.writes("pulls/update")) == 1


def test_a_lost_create_answer_is_found_again(
    gitops: GitRepo, tmp_path: Path, github: tuple[FakeGitHub, str]
) -> None:
    fake, url = github
    fake.fault("pulls/create", timeout=True, apply=True)
    env = actions_env(gitops, tmp_path, url)
    assert entry.main(ARGS, env) == 0
    assert len(fake.pulls) == 1


def test_push_to_the_base_branch(
    gitops: GitRepo, tmp_path: Path, github: tuple[FakeGitHub, str]
) -> None:
    fake, url = github
    env = actions_env(gitops, tmp_path, url)
    assert entry.main([*ARGS, "--no-pull-request"], env) == 0
    tip = git_in(origin(gitops), "rev-parse", "refs/heads/main").strip()
    assert parse_env_file((tmp_path / "out").read_text())["commit-sha"] == tip
    assert "Promoted-From: " in git_in(origin(gitops), "log", "-1", "--format=%B", tip)
    assert fake.pulls == {}


def test_push_rebuilds_on_a_base_that_moved(
    gitops: GitRepo, tmp_path: Path, github: tuple[FakeGitHub, str]
) -> None:
    _fake, url = github
    checkout = gitops.head()
    gitops.commit("docs: a note", {"NOTES.md": "x\n"})
    gitops.git("push", "--quiet", "origin", "main")
    gitops.git("reset", "--quiet", "--hard", checkout)  # the job's checkout is older
    env = actions_env(gitops, tmp_path, url)
    assert entry.main([*ARGS, "--no-pull-request", "--base-branch", "main"], env) == 0
    tip = git_in(origin(gitops), "rev-parse", "refs/heads/main").strip()
    assert git_in(origin(gitops), "show", f"{tip}:NOTES.md") == "x\n"
    assert APP_DIGEST in git_in(origin(gitops), "show", f"{tip}:{PROD_FILE}")


def test_a_refused_push_is_retried_then_reported(gitops: GitRepo, tmp_path: Path) -> None:
    repo = Repo(str(gitops.path), dict(os.environ), sleep=lambda _s: None)
    gitops.git("remote", "set-url", "origin", str(tmp_path / "gone.git"))
    with pytest.raises(ExternalError, match="failed after 3 attempts"):
        repo.push(gitops.head(), "main")


def test_a_missing_base_branch_is_a_config_error(
    gitops: GitRepo, tmp_path: Path, github: tuple[FakeGitHub, str]
) -> None:
    _fake, url = github
    env = actions_env(gitops, tmp_path, url)
    with pytest.raises(ConfigError, match="branch 'release' does not exist on origin"):
        entry.main([*ARGS, "--base-branch", "release"], env)


def test_the_token_is_masked_and_never_printed(
    gitops: GitRepo,
    tmp_path: Path,
    github: tuple[FakeGitHub, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    _fake, url = github
    env = actions_env(gitops, tmp_path, url)
    assert cli.main(["promote-env", *ARGS], env) == 0
    out = capsys.readouterr()
    assert f"::add-mask::{TOKEN}" in out.out
    assert out.out.count(TOKEN) == 1
    assert TOKEN not in out.err


def test_a_protected_branch_says_so(
    gitops: GitRepo, tmp_path: Path, github: tuple[FakeGitHub, str]
) -> None:
    _fake, url = github
    hook = origin(gitops) / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'protected branch' >&2\nexit 1\n")
    hook.chmod(0o755)
    env = actions_env(gitops, tmp_path, url)
    with pytest.raises(ExternalError, match=r"remote refuses pushes to 'main'.*pull-request: true"):
        entry.main([*ARGS, "--no-pull-request"], env)


def test_a_base_that_keeps_moving_gives_up(
    gitops: GitRepo, tmp_path: Path, github: tuple[FakeGitHub, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake, url = github
    monkeypatch.setattr(Repo, "push", lambda *_args, **_kw: False)
    env = actions_env(gitops, tmp_path, url)
    with pytest.raises(ExternalError, match="branch 'main' kept moving"):
        entry.main([*ARGS, "--no-pull-request"], env)


def test_the_target_must_exist_on_the_base_branch(
    gitops: GitRepo, tmp_path: Path, github: tuple[FakeGitHub, str]
) -> None:
    _fake, url = github
    gitops.git("rm", "--quiet", "-r", PRODUCTION)
    gitops.commit("chore: drop production")
    gitops.git("push", "--quiet", "origin", "main")
    gitops.git("reset", "--quiet", "--hard", "HEAD~1")  # the job's checkout still has it
    env = actions_env(gitops, tmp_path, url)
    with pytest.raises(ConfigError, match=f"{PROD_FILE} does not exist on the base branch"):
        entry.main(ARGS, env)


def test_the_default_branch_comes_from_the_remote(gitops: GitRepo) -> None:
    repo = Repo(str(gitops.path), dict(os.environ))
    assert repo.default_branch() == "main"
    gitops.git("remote", "set-url", "origin", str(gitops.path / ".git"))
    gitops.git("checkout", "--quiet", "--detach")
    with pytest.raises(ConfigError, match="set the 'base-branch' input"):
        repo.default_branch()
