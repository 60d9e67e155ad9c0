"""GitHubClient over real HTTP (PyGithub's transport, no mocks) against the loopback server."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
from fakeserver import FakeServer
from gitrepo import GitRepo
from harness import run_action
from relkit.adapters.github import GitHubApiError, GitHubClient

TOKEN = "ghs_loopbackToken"


def make_client(server: FakeServer, sleeps: list[float]) -> GitHubClient:
    return GitHubClient(TOKEN, "o/r", api_url=server.url, sleep=sleeps.append, jitter=lambda: 1.0)


def test_real_transport_with_a_502_then_success(http_server: FakeServer) -> None:
    sleeps: list[float] = []
    http_server.add("GET", "/repos/o/r", status=502, body="<html>bad gateway</html>")
    http_server.add("GET", "/repos/o/r", json={"full_name": "o/r", "default_branch": "main"})
    assert make_client(http_server, sleeps).default_branch() == "main"
    assert sleeps == [1.0]
    second = http_server.calls("GET", "/repos/o/r")[1]
    assert second.headers["authorization"].endswith(TOKEN)


def test_real_transport_post_body_and_permission_error(http_server: FakeServer) -> None:
    http_server.add(
        "POST",
        "/repos/o/r/issues/3/comments",
        status=403,
        json={"message": "Resource not accessible by integration"},
    )
    client = make_client(http_server, [])
    with pytest.raises(GitHubApiError) as info:
        client.create_comment(3, "hello")
    assert "POST /repos/o/r/issues/3/comments returned 403" in str(info.value)
    assert "'issues: write'" in str(info.value)
    assert http_server.requests[0].json() == {"body": "hello"}


ENTRY = textwrap.dedent(
    """
    import os
    from relkit.adapters import gha
    from relkit.adapters.github import GitHubClient
    env = os.environ
    token = gha.get_input("token", env, required=True)
    gha.add_mask(token)
    client = GitHubClient.from_env(token, env)
    pull = client.create_pull(title="chore: release", head="rel", base="main")
    gha.set_output("pr", str(pull.number))
    """
)


def test_an_action_run_through_the_harness_reaches_the_fake_api(
    http_server: FakeServer, workspace: GitRepo, tmp_path: Path
) -> None:
    folder = tmp_path / "actions" / "fake"
    folder.mkdir(parents=True)
    (folder / "action.yml").write_text(
        "name: f\ndescription: f\ninputs:\n  token:\n    description: t\n"
        "    default: ${{ github.token }}\nruns:\n  using: docker\n  image: Dockerfile\n"
    )
    (folder / "entry.py").write_text(ENTRY)
    http_server.add(
        "POST",
        "/repos/octo-org/octo-repo/pulls",
        status=201,
        json={"number": 12, "head": {"ref": "rel"}, "base": {"ref": "main"}},
    )
    run = run_action(
        "fake",
        workspace=workspace.path,
        tmp_path=tmp_path,
        actions_dir=tmp_path / "actions",
        github={"GITHUB_API_URL": http_server.url},
        image_entrypoint=[sys.executable, str(folder / "entry.py")],
    )
    assert run.stderr == ""
    assert run.exit_code == 0
    assert run.outputs == {"pr": "12"}
    assert http_server.requests[0].json()["head"] == "rel"
    token = http_server.requests[0].headers["authorization"].split()[-1]
    assert run.masks == [token]
    assert run.leaks(token) == []
