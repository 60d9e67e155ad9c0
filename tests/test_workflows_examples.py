"""Every relkit step of the example workflows, run in order through the runner harness.

For each example of ``EXAMPLES`` (workflows-examples/), jobs run in ``needs`` order and steps in
file order; a ``uses: ./actions/<name>`` step runs through tests/harness.py (``INPUT_*`` from
``with:``, file commands, workflow commands), and its outputs become ``steps.<id>.outputs.*``
for the next steps and, through the job's ``outputs:``, ``needs.<job>.outputs.*`` for the next
jobs, whose ``if:`` conditions are evaluated. Other steps (checkout, docker build) are not run.
The event payloads are GitHub webhook payloads built from, and checked against, GitHub's own
schemas (npm ``@octokit/openapi-webhooks``, fetched at test time; without npm the check is
skipped with the reason). GitHub is the loopback fake of tests/github_api_fake.py.

A step of an action that says it is not built yet (its ``--help``) is skipped with that reason,
and so are the jobs that need its outputs. promote-env, dora-push and dependency-group talk to
outside systems this fixture does not provide (a git remote, a Pushgateway, registries): their
steps may fail as an outside system would (exit 1) but never on their inputs (exit 2) or with a
bug (exit 3). Other streams' examples (promote.yml, dora.yml, dependencies.yml) have their own
tests.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import webhook_schemas
from github_activity_fake import ActivityFakeGitHub
from github_api_fake import FakeGitHub, serve
from gitrepo import GitRepo, make_git_repo
from harness import (
    FAKE_TOKEN,
    REPO_ROOT,
    ActionRun,
    HarnessError,
    evaluate,
    load_yaml,
    run_action,
    run_workflow_step,
)

EXAMPLES_DIR = REPO_ROOT / "workflows-examples"
EXAMPLES = (
    "commit-lint.yml",
    "release.yml",
    "kyverno-validate.yml",
    "all-actions-smoke.yml",
    "delivery-chain.yml",
)
OUTSIDE_SYSTEMS = frozenset({"promote-env", "dora-push", "dependency-group"})
REPOSITORY = "octo/demo"

# --- the checkout every example runs on ------------------------------------------------------

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: demo
  namespace: shop
  labels: {app.kubernetes.io/name: demo}
spec:
  selector: {matchLabels: {app: demo}}
  template:
    metadata: {labels: {app: demo, app.kubernetes.io/name: demo}}
    spec:
      containers:
        - name: demo
          image: ghcr.io/octo/demo:1.2.3
"""

REQUIRE_NAME_LABEL = """\
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-name-label
spec:
  validationFailureAction: Enforce
  rules:
    - name: check-name-label
      match:
        any:
          - resources:
              kinds: [Deployment]
      validate:
        message: "The label app.kubernetes.io/name is required."
        pattern:
          metadata:
            labels:
              app.kubernetes.io/name: "?*"
"""


def overlay(version: str, marker: str = "") -> str:
    return (
        "apiVersion: kustomize.config.k8s.io/v1beta1\n"
        "kind: Kustomization\n"
        "resources:\n"
        "  - ../../base\n"
        "images:\n"
        "  - name: ghcr.io/octo/demo\n"
        f'    newTag: "{version}"{marker}\n'
    )


def checkout(path: Path) -> GitRepo:
    """Released 1.2.3, then a feature: k8s manifests, overlays, a policy, a release config."""
    repo = make_git_repo(path)
    repo.commit(
        "chore: start",
        {
            "release-please-config.json": json.dumps(
                {
                    "release-type": "simple",
                    "packages": {
                        ".": {"extra-files": ["k8s/environments/build/kustomization.yaml"]}
                    },
                }
            ),
            ".release-please-manifest.json": json.dumps({".": "1.2.3"}),
            "version.txt": "1.2.3\n",
            "k8s/base/deployment.yaml": DEPLOYMENT,
            "k8s/base/kustomization.yaml": (
                "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                "resources:\n  - deployment.yaml\n"
            ),
            # the release PR bumps the tag the build job pushes (see delivery-chain.yml)
            "k8s/environments/build/kustomization.yaml": overlay(
                "1.2.3", " # x-release-please-version"
            ),
            "k8s/environments/staging/kustomization.yaml": overlay("1.2.3"),
            "k8s/environments/production/kustomization.yaml": overlay("1.2.3"),
            "policies/require-name-label.yaml": REQUIRE_NAME_LABEL,
        },
    )
    repo.tag("v1.2.3")
    repo.commit("feat(api): add the orders endpoint", {"src/orders.txt": "orders\n"})
    # the remote that the promotions push to (``pull-request: false`` pushes to base-branch)
    origin = make_git_repo(path.parent / "origin.git", bare=True)
    repo.git("remote", "add", "origin", str(origin.path))
    repo.git("push", "--quiet", "origin", "main", "--tags")
    return repo


# --- expressions of `if:` --------------------------------------------------------------------

_CONDITION = re.compile(r"^\s*(\S+)\s*(==|!=)\s*'([^']*)'\s*$")


def condition_holds(text: str, context: Mapping[str, str]) -> bool:
    """``${{ a == 'x' && b != 'y' }}`` over known values; anything else is refused."""
    expr = text.strip()
    if expr.startswith("${{") and expr.endswith("}}"):
        expr = expr[3:-2]
    lowered = {key.lower(): value for key, value in context.items()}
    results = []
    for part in expr.split("&&"):
        match = _CONDITION.match(part)
        if match is None:
            raise HarnessError(f"if: {text!r} is beyond this test's evaluator")
        value = lowered.get(match.group(1).lower(), "")
        results.append((value == match.group(3)) == (match.group(2) == "=="))
    return all(results)


def lenient(text: str, context: Mapping[str, str]) -> str:
    """A job output: a step output that was never set is ``""``, as on GitHub."""
    try:
        return evaluate(text, context)
    except HarnessError:
        return ""


# --- running an example ----------------------------------------------------------------------


@functools.cache
def not_built(action: str) -> str:
    """The action's own word (``relkit <action> --help``) when it is not built yet, else ``""``."""
    relkit = Path(sys.executable).with_name("relkit")
    done = subprocess.run(
        [str(relkit), action, "--help"], capture_output=True, text=True, check=False
    )
    text = " ".join((done.stdout + done.stderr).split())
    match = re.search(r"[^.()]*not built yet[^.()]*", text)
    return match.group(0).strip() if match else ""


@dataclass
class StepOutcome:
    action: str
    continue_on_error: bool = False
    skipped: str = ""
    run: ActionRun | None = None


@dataclass
class ExampleRun:
    steps: dict[tuple[str, int], StepOutcome] = field(default_factory=dict)
    job_outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)


def relkit_steps(example: str) -> Iterator[tuple[str, int, dict[str, Any]]]:
    data = load_yaml((EXAMPLES_DIR / example).read_text(encoding="utf-8"))
    for job in job_order(data["jobs"]):
        for index, step in enumerate(data["jobs"][job].get("steps", [])):
            if str(step.get("uses", "")).startswith("./actions/"):
                yield job, index, step


def job_order(jobs: Mapping[str, Any]) -> list[str]:
    order: list[str] = []

    def visit(name: str) -> None:
        if name in order:
            return
        needs = jobs[name].get("needs", [])
        for need in [needs] if isinstance(needs, str) else needs:
            visit(need)
        order.append(name)

    for name in jobs:
        visit(name)
    return order


def run_example(
    example: str,
    workspace: Path,
    tmp_path: Path,
    *,
    event: Mapping[str, object],
    github: Mapping[str, str],
    context: Mapping[str, str],
) -> ExampleRun:
    path = EXAMPLES_DIR / example
    data = load_yaml(path.read_text(encoding="utf-8"))
    result = ExampleRun()
    blocked: dict[str, str] = {}  # job → why its outputs are missing
    for job in job_order(data["jobs"]):
        spec = data["jobs"][job]
        needs = spec.get("needs", [])
        needs = [needs] if isinstance(needs, str) else list(needs)
        known = dict(context)
        for need in needs:
            for key, value in result.job_outputs.get(need, {}).items():
                known[f"needs.{need}.outputs.{key}"] = value
        reason = next((f"needs {n}: {blocked[n]}" for n in needs if n in blocked), "")
        if not reason and "if" in spec and not condition_holds(str(spec["if"]), known):
            raise AssertionError(f"{example}: job {job} would not run: if: {spec['if']}")
        step_values: dict[str, str] = {}
        for index, step in enumerate(spec.get("steps", [])):
            uses = str(step.get("uses", ""))
            check_out(workspace, step, known, blocked=bool(reason))
            if not uses.startswith("./actions/"):
                continue
            action = uses.removeprefix("./actions/")
            outcome = StepOutcome(action, bool(step.get("continue-on-error")))
            result.steps[(job, index)] = outcome
            why = not_built(action)
            if reason or why:
                outcome.skipped = reason or f"{action}: {why}"
                if not outcome.continue_on_error:
                    blocked[job] = outcome.skipped
                continue
            outcome.run = run_workflow_step(
                path,
                job,
                index,
                workspace=workspace,
                tmp_path=tmp_path / f"{job}-{index}",
                context={**known, **step_values},
                event=event,
                github=github,
            )
            result.order.append(f"{job}/{step.get('id', index)}")
            if outcome.run.failed and not outcome.continue_on_error:
                blocked[job] = f"{action} failed with exit {outcome.run.exit_code}"
            if "id" in step:
                for key, value in outcome.run.outputs.items():
                    step_values[f"steps.{step['id']}.outputs.{key}"] = value
        if job in blocked:
            continue
        result.job_outputs[job] = {
            key: lenient(str(value), step_values)
            for key, value in (spec.get("outputs") or {}).items()
        }
    return result


def check_out(
    workspace: Path, step: Mapping[str, Any], known: Mapping[str, str], *, blocked: bool
) -> None:
    """``actions/checkout`` with ``ref:``: a commit a step made (staging's promotion) is checked
    out detached, as the next job's fresh checkout would have it. Refs only GitHub knows (the
    release tag, made through the API) leave the workspace as it is: it already holds them."""
    ref = lenient(str((step.get("with") or {}).get("ref", "")), known)
    if blocked or not ref or not str(step.get("uses", "")).startswith("actions/checkout@"):
        return
    known = subprocess.run(
        ["git", "-C", str(workspace), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
        capture_output=True,
        check=False,
    )
    if known.returncode == 0:
        subprocess.run(
            ["git", "-C", str(workspace), "checkout", "--quiet", "--detach", ref], check=True
        )


# --- per-example setups ----------------------------------------------------------------------


@functools.cache
def webhook_document() -> dict[str, Any] | str:
    try:
        return webhook_schemas.load_document()
    except webhook_schemas.Unavailable as exc:
        return str(exc)


def payload(webhook: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """GitHub's payload for ``webhook`` with ``changes``: schema-built and schema-checked when
    the schemas could be fetched, else just ``changes`` (test_event_payloads says why)."""
    document = webhook_document()
    if isinstance(document, str):
        return dict(changes)
    return webhook_schemas.event_payload(document, webhook, changes)


REPOSITORY_FIELDS = {"full_name": REPOSITORY, "name": "demo", "default_branch": "main"}


def push_event(before: str, after: str) -> dict[str, Any]:
    return payload(
        "push",
        {
            "ref": "refs/heads/main",
            "before": before,
            "after": after,
            "repository": REPOSITORY_FIELDS,
        },
    )


def pull_request_event(repo: GitRepo, base: str, title: str) -> dict[str, Any]:
    return payload(
        "pull-request-opened",
        {
            "number": 7,
            "pull_request": {
                "number": 7,
                "title": title,
                "base": {"sha": base, "ref": "main"},
                "head": {"sha": repo.head(), "ref": "feature"},
            },
            "repository": REPOSITORY_FIELDS,
        },
    )


CONTEXT = {
    "secrets.PUSHGATEWAY_URL": "http://127.0.0.1:9",  # the discard port: nothing leaves
    "secrets.PUSHGATEWAY_USERNAME": "dora",
    "secrets.PUSHGATEWAY_PASSWORD": "pushgateway-fake-password",
    "secrets.RELEASE_WEBHOOK_URL": "",
}


def setup_and_run(example: str, tmp_path: Path) -> ExampleRun:
    repo = checkout(tmp_path / "workspace")
    github = ActivityFakeGitHub(repository=REPOSITORY)  # dora-push reads deployments
    github.push("main", {"version.txt": "1.2.3\n"})
    with serve(github) as url:
        env = {"GITHUB_API_URL": url, "GITHUB_REPOSITORY": REPOSITORY}
        if example in ("commit-lint.yml", "kyverno-validate.yml"):
            base = repo.git("rev-parse", "HEAD~1").strip()
            event = pull_request_event(repo, base, "feat(api): add the orders endpoint")
        elif example == "all-actions-smoke.yml":
            event = payload(
                "workflow-dispatch",
                {"ref": "refs/heads/main", "workflow": "x", "repository": REPOSITORY_FIELDS},
            )
        elif example == "delivery-chain.yml":
            event, sha = merged_release(repo, github, url, tmp_path)
            env["GITHUB_SHA"] = sha
        else:
            event = push_event(repo.git("rev-parse", "HEAD~1").strip(), repo.head())
        return run_example(
            example, repo.path, tmp_path / "runs", event=event, github=env, context=CONTEXT
        )


def merged_release(
    repo: GitRepo, github: FakeGitHub, url: str, tmp_path: Path
) -> tuple[dict[str, Any], str]:
    """The push before: release-pr opened the release PR; it is merged now."""
    opened = run_action(
        "release-pr",
        workspace=repo.path,
        tmp_path=tmp_path / "before",
        github={"GITHUB_API_URL": url, "GITHUB_REPOSITORY": REPOSITORY},
    )
    assert opened.outputs.get("prs_created") == "true", opened.stdout + opened.stderr
    pr = json.loads(opened.outputs["pr"])
    branch = github.files_at(pr["headBranchName"])
    before = repo.head()
    local = repo.commit(pr["title"], {name: branch[name] for name in pr["files"]})
    sha = github.merge(pr["number"], sha=local)
    return push_event(before, sha), sha


_RUNS: dict[str, ExampleRun] = {}


@pytest.fixture
def example_run(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """``example_run(name)``: the example run once per session (lazily, under the hermetic env
    of the first test that asks)."""

    def get(example: str) -> ExampleRun:
        if example not in _RUNS:
            _RUNS[example] = setup_and_run(example, tmp_path_factory.mktemp(example[:-4]))
        return _RUNS[example]

    return get


STEPS = [
    pytest.param(example, job, index, id=f"{example[:-4]}/{job}/{step.get('id', index)}")
    for example in EXAMPLES
    for job, index, step in relkit_steps(example)
]


@pytest.mark.parametrize(("example", "job", "index"), STEPS)
def test_example_step(example: str, job: str, index: int, example_run: Any) -> None:
    outcome: StepOutcome = example_run(example).steps[(job, index)]
    if outcome.skipped:
        pytest.skip(outcome.skipped)
    run = outcome.run
    assert run is not None
    seen = run.stdout + run.stderr
    assert "Traceback" not in seen
    assert run.exit_code != 3, seen
    assert not run.file_command_errors, run.file_command_errors
    assert run.leaks(FAKE_TOKEN) == []
    if outcome.action in OUTSIDE_SYSTEMS:
        assert run.exit_code in (0, 1), f"the example's inputs are refused: {seen}"
    elif not outcome.continue_on_error:
        assert run.exit_code == 0, seen


def test_delivery_chain_outputs_feed_the_next_steps(example_run: Any) -> None:
    result = example_run("delivery-chain.yml")
    assert result.job_outputs["commit-lint"] == {"valid": "true"}
    assert result.job_outputs["release"] == {
        "release_created": "true",
        "tag_name": "v1.3.0",
        "version": "1.3.0",
    }
    assert result.job_outputs["validate"] == {"failed": "0"}
    # the release PR bumped the build overlay; staging got 1.3.0 and production what staging got
    staging = result.job_outputs["staging"]["commit-sha"]
    assert re.fullmatch(r"[0-9a-f]{40}", staging)
    assert result.job_outputs["production"] == {"changed": "true"}
    promoted = result.steps[("production", 1)].run
    assert promoted is not None
    assert json.loads(promoted.outputs["images"])[0]["to"] == "ghcr.io/octo/demo:1.3.0"
    assert result.order == [
        "commit-lint/lint",
        "release/release",
        "validate/kyverno",
        "staging/promote",
        "production/promote",
        "dora/dora",
    ]


def test_condition_evaluator() -> None:
    context = {"needs.a.outputs.x": "true", "needs.b.outputs.n": "0"}
    assert condition_holds("${{ needs.a.outputs.x == 'true' }}", context)
    assert condition_holds(
        "${{ needs.a.outputs.x == 'true' && needs.b.outputs.n != '1' }}", context
    )
    assert not condition_holds("${{ needs.c.outputs.y == 'true' }}", context)
    with pytest.raises(HarnessError):
        condition_holds("${{ always() }}", context)


@pytest.mark.parametrize("webhook", ["push", "pull-request-opened", "workflow-dispatch"])
def test_event_payloads_match_webhook_schemas(webhook: str) -> None:
    document = webhook_document()
    if isinstance(document, str):
        pytest.skip(f"GitHub's webhook schemas are unavailable: {document}")
    changes = {"repository": REPOSITORY_FIELDS}
    built = webhook_schemas.event_payload(document, webhook, changes)
    assert built["repository"]["full_name"] == REPOSITORY
    broken = webhook_schemas.overlay(built, {"repository": {"full_name": 7}})
    assert webhook_schemas.validate(document, webhook, broken), "the schema check can fail"
