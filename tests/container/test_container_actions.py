"""Each action in relkit's real image, run as the GitHub runner runs a Docker action.

One table of scenarios per action. The workspace is a real checkout owned by the runner's uid
(git's safe.directory check bites), the step's folders are mounted at ``/github/...``, inputs
are hyphenated ``INPUT_*`` variables with action.yml's defaults, and the runner's view is
parsed back: exit code, outputs, summary, annotations, masks, and files left for a later step
readable by the runner's uid.

dependency-group, promote-env and dora-push are built on other branches: their scenarios are
``--help`` and input parsing only, true before and after those branches land.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from container_engine import Engine, RunInContainer, host_path, readable_by_runner
from github_api_fake import FakeGitHub, serve
from gitrepo import make_git_repo
from harness import FAKE_TOKEN

# --- the scenario table ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scenario:
    action: str
    inputs: dict[str, str] = field(default_factory=dict)
    setup: Callable[[Path], dict[str, object]] | None = None  # workspace → event payload
    event_name: str = "push"
    exit_code: int = 0
    outputs: dict[str, str] = field(default_factory=dict)
    error_titles: frozenset[str] | None = None  # None: not checked
    error_contains: str = ""  # text of the last error annotation
    summary_contains: tuple[str, ...] = ()
    files_for_later_steps: tuple[str, ...] = ()  # workspace paths, or "output:<name>"
    secrets: tuple[str, ...] = (FAKE_TOKEN,)  # must never be printed unmasked


def commits(*messages: str) -> Callable[[Path], dict[str, object]]:
    """A checkout whose push event covers ``messages`` (after a first commit)."""

    def setup(workspace: Path) -> dict[str, object]:
        repo = make_git_repo(workspace, ["chore: initial commit"])
        before = repo.head()
        after = repo.commits(*messages)[-1]
        return {"before": before, "after": after, "ref": "refs/heads/main"}

    return setup


def pull_request(*messages: str, title: str) -> Callable[[Path], dict[str, object]]:
    def setup(workspace: Path) -> dict[str, object]:
        repo = make_git_repo(workspace, ["chore: initial commit"])
        base = repo.head()
        head = repo.commits(*messages)[-1]
        return {
            "pull_request": {
                "number": 12,
                "title": title,
                "base": {"sha": base},
                "head": {"sha": head},
            },
            "repository": {"full_name": "octo-org/octo-repo", "default_branch": "main"},
        }

    return setup


MANIFESTS = {
    "k8s/app.yaml": """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
  labels: {app.kubernetes.io/name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: registry.example.com/api:1.4.2
""",
    "k8s/debug.yaml": """\
apiVersion: v1
kind: Pod
metadata:
  name: debug
spec:
  containers:
    - name: shell
      image: busybox:latest
""",
    "k8s/worker.yaml": """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  namespace: shop
spec:
  replicas: two
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec:
      containers: [{name: worker, image: "registry.example.com/worker:2.0.0"}]
""",
}


def manifests(*names: str) -> Callable[[Path], dict[str, object]]:
    def setup(workspace: Path) -> dict[str, object]:
        make_git_repo(workspace, ["chore: initial commit"])
        for name in names:
            (workspace / name).parent.mkdir(parents=True, exist_ok=True)
            (workspace / name).write_text(MANIFESTS[name], encoding="utf-8")
        return {}

    return setup


COMMIT_LINT = [
    pytest.param(
        Scenario(
            "commit-lint",
            setup=commits("fix: one", "docs: two"),
            outputs={"valid": "true", "error-count": "0"},
            error_titles=frozenset(),
        ),
        id="commit-lint-push-clean",
    ),
    pytest.param(
        Scenario(
            "commit-lint",
            {"lint-pr-title": "true"},
            setup=pull_request(
                "feat(api): add the endpoint",
                "Fix: Broken Thing.\n\n::add-mask::oops\n",
                title="Update things",
            ),
            event_name="pull_request",
            exit_code=1,
            outputs={"valid": "false", "error-count": "6"},
            summary_contains=("| commit | header | errors | warnings |", "Fix: Broken Thing."),
            files_for_later_steps=("output:report",),
        ),
        id="commit-lint-pull-request-violations",
    ),
    pytest.param(
        Scenario(
            "commit-lint",
            {"fail-on-warnings": "yes"},
            setup=commits("fix: one"),
            exit_code=2,
            error_contains="fail-on-warnings",
        ),
        id="commit-lint-bad-boolean",
    ),
]

RELEASE_PR = [
    pytest.param(
        Scenario(
            "release-pr",
            {"release-type": "cobol"},
            setup=commits("feat: one"),
            exit_code=2,
            error_contains="cobol",
        ),
        id="release-pr-unknown-release-type",
    ),
    pytest.param(
        Scenario(
            "release-pr",
            setup=commits("feat: one"),
            exit_code=2,
            error_contains="release-please-config.json",
        ),
        id="release-pr-no-config",
    ),
]

KYVERNO_VALIDATE = [
    pytest.param(
        Scenario(
            "kyverno-validate",
            {"policies": "block-latest-tag", "sarif-file": "out/kyverno.sarif"},
            setup=manifests("k8s/app.yaml"),
            outputs={"failed": "0"},
            error_titles=frozenset(),
            summary_contains=("passed",),
            files_for_later_steps=("out/kyverno.sarif",),
        ),
        id="kyverno-validate-clean",
    ),
    pytest.param(
        Scenario(
            "kyverno-validate",
            {"policies": "block-latest-tag", "sarif-file": "out/kyverno.sarif"},
            setup=manifests("k8s/app.yaml", "k8s/debug.yaml", "k8s/worker.yaml"),
            exit_code=1,
            outputs={"failed": "2"},
            error_titles=frozenset(
                {
                    "kyverno-validate: Kubernetes schema",
                    "kyverno-validate: block-latest-tag/validate-image-tag",
                }
            ),
            summary_contains=("| Kubernetes schema |", "block-latest-tag"),
            files_for_later_steps=("out/kyverno.sarif",),
        ),
        id="kyverno-validate-failures-and-sarif",
    ),
    pytest.param(
        Scenario(
            "kyverno-validate",
            {"paths": "manifests/**/*.yaml"},
            setup=manifests("k8s/app.yaml"),
            exit_code=2,
            error_contains="input 'paths' matched no files",
        ),
        id="kyverno-validate-no-files",
    ),
]

# The actions built on other branches: input parsing only (exit 2, one error titled with the
# action, nothing written, no secret printed), true before and after they land.
BUILT_ELSEWHERE = [
    pytest.param(
        Scenario(
            "dora-push",
            {"window-days": "a month", "pushgateway-password": "s3cret-pushgateway-pw"},
            setup=commits("feat: one"),
            exit_code=2,
            secrets=(FAKE_TOKEN, "s3cret-pushgateway-pw"),
        ),
        id="dora-push-bad-integer",
    ),
    pytest.param(
        Scenario(
            "promote-env",
            {"mode": "teleport"},
            setup=commits("feat: one"),
            exit_code=2,
        ),
        id="promote-env-bad-mode",
    ),
    pytest.param(
        Scenario(
            "dependency-group",
            {"dry-run": "maybe"},
            setup=commits("feat: one"),
            exit_code=2,
        ),
        id="dependency-group-bad-boolean",
    ),
]

SCENARIOS = [*COMMIT_LINT, *RELEASE_PR, *KYVERNO_VALIDATE, *BUILT_ELSEWHERE]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_action_in_its_container(
    scenario: Scenario, run_in_container: RunInContainer, engine: Engine, tmp_path: Path
) -> None:
    workspace = tmp_path / "workspace"
    event = scenario.setup(workspace) if scenario.setup else {}
    run = run_in_container(
        scenario.action,
        scenario.inputs,
        workspace=workspace,
        event=event,
        event_name=scenario.event_name,
    )
    seen = run.stdout + run.stderr
    assert run.exit_code == scenario.exit_code, seen
    assert not run.file_command_errors, run.file_command_errors
    assert "Traceback" not in seen
    assert "dubious ownership" not in seen, "git refused the runner-owned checkout"
    for name, value in scenario.outputs.items():
        assert run.outputs.get(name) == value, (name, run.outputs)
    if scenario.exit_code == 2:
        assert not run.outputs, "bad input: nothing half-written"
        assert run.errors, seen
        assert run.errors[-1].properties.get("title") == scenario.action
    if scenario.error_contains:
        assert scenario.error_contains in run.errors[-1].data, run.errors
    if scenario.error_titles is not None:
        titles = {error.properties.get("title", "") for error in run.errors}
        assert titles == scenario.error_titles, seen
    for text in scenario.summary_contains:
        assert text in run.summary, run.summary
    for secret in scenario.secrets:
        assert run.leaks(secret) == [], f"{secret!r} printed unmasked"
        assert secret not in run.summary
    for wanted in scenario.files_for_later_steps:
        if wanted.startswith("output:"):
            path = host_path(run, run.outputs[wanted.removeprefix("output:")])
        else:
            path = workspace / wanted
        assert path.is_file(), wanted
        assert readable_by_runner(engine, path), f"{wanted} is not readable by the runner's uid"
    for error in run.errors:  # annotation paths are relative to the workspace, as GitHub needs
        assert not error.properties.get("file", "").startswith("/"), error


@pytest.mark.parametrize("action", ["dependency-group", "promote-env", "dora-push"])
def test_help_of_every_action_in_the_image(action: str, engine: Engine) -> None:
    done = engine.run("run", "--rm", engine.image, action, "--help")
    assert done.returncode == 0, done.stderr
    assert f"usage: relkit {action}" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_secret_input_is_masked_before_anything_else(
    run_in_container: RunInContainer, tmp_path: Path
) -> None:
    """The token is masked on the first line the container prints."""
    workspace = tmp_path / "workspace"
    event = commits("fix: one")(workspace)
    run = run_in_container("commit-lint", workspace=workspace, event=event)
    assert run.exit_code == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[0] == f"::add-mask::{FAKE_TOKEN}"
    assert run.masks == [FAKE_TOKEN]


def test_the_report_names_commits_of_the_runner_owned_checkout(
    run_in_container: RunInContainer, tmp_path: Path
) -> None:
    workspace = tmp_path / "workspace"
    event = commits("feat: a", "fix: b")(workspace)
    run = run_in_container("commit-lint", workspace=workspace, event=event)
    assert run.exit_code == 0, run.stdout + run.stderr
    report = json.loads(host_path(run, run.outputs["report"]).read_text(encoding="utf-8"))
    headers = [item["header"] for item in report["results"]]
    assert headers == ["fix: b", "feat: a"]  # newest first, as commitlint lists them


def test_image_runs_as_root_with_relkit_first_on_path(engine: Engine) -> None:
    done = engine.run(
        "run", "--rm", "--entrypoint", "/bin/sh", engine.image, "-c", "id -u; command -v relkit"
    )
    assert done.stdout.split() == ["0", "/opt/relkit/bin/relkit"], done.stderr


def test_release_pr_talks_to_github_from_the_image(
    run_in_container: RunInContainer, tmp_path: Path
) -> None:
    """PyGithub without cryptography (dropped from the image) still authenticates with the
    token and opens the release PR on a loopback GitHub."""
    workspace = tmp_path / "workspace"
    repo = make_git_repo(workspace)
    repo.commit(
        "chore: start",
        {
            "release-please-config.json": json.dumps({"packages": {".": {}}}),
            ".release-please-manifest.json": json.dumps({".": "1.2.3"}),
            "version.txt": "1.2.3\n",
        },
    )
    repo.tag("v1.2.3")
    before = repo.head()
    after = repo.commit("feat: a feature", {"src.txt": "x\n"})
    github = FakeGitHub()
    github.push("main", {"version.txt": "1.2.3\n"})
    with serve(github) as url:
        run = run_in_container(
            "release-pr",
            {"release-type": "simple"},
            workspace=workspace,
            event={"before": before, "after": after, "ref": "refs/heads/main"},
            github={"GITHUB_API_URL": url, "GITHUB_REPOSITORY": "octo/demo"},
        )
    assert run.exit_code == 0, run.stdout + run.stderr
    assert run.outputs["prs_created"] == "true"
    assert json.loads(run.outputs["pr"])["title"] == "chore(main): release 1.3.0"
    [pull] = github.pulls.values()
    assert pull["labels"] == ["autorelease: pending"]
    assert run.leaks(FAKE_TOKEN) == []
