"""The action's contract, run as the GitHub runner runs it (tests/harness.py), with the real
engine, on a small repository holding a syntax error, a schema error, policy failures and clean
files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

harness = pytest.importorskip("harness", reason="tests/harness.py lands with the adapters work")
pytest.importorskip("kyverno_validate.engine", reason="the engine lands with the engine work")

CLEAN = """\
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
          image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
  labels: {app.kubernetes.io/name: api}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: 8080}]
"""

POLICY_FAILURES = """\
apiVersion: v1
kind: Pod
metadata:
  name: debug
  labels: {app.kubernetes.io/name: debug}
spec:
  containers:
    - name: shell
      image: busybox:latest
"""

SCHEMA_ERROR = """\
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
      containers:
        - name: worker
          image: busybox:latest
"""

SYNTAX_ERROR = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a: b\n"

REQUIRE_LABEL = """\
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-name-label
spec:
  validationFailureAction: Audit
  rules:
    - name: check-name-label
      match:
        any:
          - resources:
              kinds: [Pod, Service]
      validate:
        message: "The label app.kubernetes.io/name is required."
        pattern:
          metadata:
            labels:
              app.kubernetes.io/name: "?*"
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "workspace"
    (root / "k8s" / "apps").mkdir(parents=True)
    (root / "policies").mkdir()
    (root / "k8s" / "apps" / "clean.yaml").write_text(CLEAN, encoding="utf-8")
    (root / "k8s" / "debug-pod.yaml").write_text(POLICY_FAILURES, encoding="utf-8")
    (root / "k8s" / "worker.yml").write_text(SCHEMA_ERROR, encoding="utf-8")
    (root / "k8s" / "broken.yaml").write_text(SYNTAX_ERROR, encoding="utf-8")
    (root / "policies" / "require-name-label.yaml").write_text(REQUIRE_LABEL, encoding="utf-8")
    return root


INPUTS = {
    "policies": "policies/\nblock-latest-tag\nblock-default-namespace\nrequire-ecr-images",
    "ecr-registry": "123456789012.dkr.ecr.*.amazonaws.com",
    "sarif-file": "out/kyverno.sarif",
}


def test_one_run_reports_every_problem(repo: Path, tmp_path: Path) -> None:
    run = harness.run_action("kyverno-validate", INPUTS, workspace=repo, tmp_path=tmp_path)
    assert run.exit_code == 1, run.stderr
    assert not run.file_command_errors
    errors = {
        (c.properties.get("file"), c.properties.get("line"), c.properties.get("title"))
        for c in run.errors
    }
    # stage 1: file, line and column of the syntax error
    assert ("k8s/broken.yaml", "4", "kyverno-validate: YAML syntax") in errors
    (syntax,) = [c for c in run.errors if c.properties.get("file") == "k8s/broken.yaml"]
    assert syntax.properties.get("col") == "10"
    # stage 2: the failing field's line; the file is left out of stage 3
    assert ("k8s/worker.yml", "7", "kyverno-validate: Kubernetes schema") in errors
    assert not any(file == "k8s/worker.yml" and "/" in title for file, _, title in errors)
    # stage 3: built-in policies fail the bare Pod at its fields' lines
    assert ("k8s/debug-pod.yaml", "9", "kyverno-validate: block-latest-tag/validate-image-tag") in (
        errors
    )
    assert any(
        file == "k8s/debug-pod.yaml"
        and title.endswith("block-default-namespace/validate-namespace")
        for file, _, title in errors
    )
    assert any(
        file == "k8s/debug-pod.yaml" and title.endswith("require-ecr-images/require-ecr-registry")
        for file, _, title in errors
    )
    # the clean file fails nothing
    assert not any(file == "k8s/apps/clean.yaml" for file, _, _ in errors)
    assert run.outputs["failed"] == str(len(run.errors))
    assert int(run.outputs["passed"]) > 0
    report = json.loads(run.outputs["report"])
    assert report["summary"]["fail"] == int(run.outputs["failed"])
    assert {row["file"] for row in report["results"] if row["result"] == "fail"} == {
        "k8s/broken.yaml",
        "k8s/worker.yml",
        "k8s/debug-pod.yaml",
    }
    assert "| YAML syntax |" in run.summary
    assert "| Kubernetes schema |" in run.summary
    assert "block-latest-tag" in run.summary
    sarif = json.loads((repo / "out" / "kyverno.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert len(sarif["runs"][0]["results"]) == len(run.errors)


def test_audit_policy_warns_with_fail_on_enforce_and_fails_with_audit(
    repo: Path, tmp_path: Path
) -> None:
    for name in ("debug-pod.yaml", "worker.yml", "broken.yaml"):
        (repo / "k8s" / name).unlink()
    (repo / "k8s" / "apps" / "clean.yaml").write_text(
        CLEAN.replace("  labels: {app.kubernetes.io/name: api}\n", "", 2), encoding="utf-8"
    )
    inputs = {"policies": "policies/"}
    run = harness.run_action("kyverno-validate", inputs, workspace=repo, tmp_path=tmp_path / "a")
    assert run.exit_code == 0, run.stdout
    assert run.outputs["warned"] == "1"
    assert [w.properties.get("line") for w in run.warnings] == ["17"]
    strict = harness.run_action(
        "kyverno-validate",
        {**inputs, "fail-on": "audit"},
        workspace=repo,
        tmp_path=tmp_path / "b",
    )
    assert strict.exit_code == 1
    assert strict.outputs["failed"] == "1"


def test_clean_repository_passes(repo: Path, tmp_path: Path) -> None:
    for name in ("debug-pod.yaml", "worker.yml", "broken.yaml"):
        (repo / "k8s" / name).unlink()
    run = harness.run_action("kyverno-validate", INPUTS, workspace=repo, tmp_path=tmp_path)
    assert run.exit_code == 0, run.stdout
    assert run.errors == []
    assert run.outputs["failed"] == "0"
    assert "✅ passed" in run.summary


def test_unusable_input_exits_2_without_outputs(repo: Path, tmp_path: Path) -> None:
    run = harness.run_action(
        "kyverno-validate", {"paths": "manifests/**/*.yaml"}, workspace=repo, tmp_path=tmp_path
    )
    assert run.exit_code == 2
    assert "input 'paths' matched no files" in run.errors[-1].data
    assert run.outputs == {}


def test_manifest_text_cannot_issue_workflow_commands(repo: Path, tmp_path: Path) -> None:
    (repo / "k8s" / "evil.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: '::add-mask::owned'\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: '::error::owned'\n",
        encoding="utf-8",
    )
    run = harness.run_action("kyverno-validate", INPUTS, workspace=repo, tmp_path=tmp_path)
    assert "ConfigMap/::error::owned" in run.stdout  # printed in the table …
    assert run.masks == []  # … but never executed
    assert "owned" not in {c.data for c in run.errors}


def test_the_example_workflow_step_runs_and_writes_its_sarif_file(
    repo: Path, tmp_path: Path
) -> None:
    workflow = Path(__file__).resolve().parents[2] / "workflows-examples" / "kyverno-validate.yml"
    run = harness.run_workflow_step(workflow, "validate", 1, workspace=repo, tmp_path=tmp_path)
    assert run.exit_code == 1  # the repository's syntax, schema and policy failures
    assert run.outputs["failed"] != "0"
    assert (repo / "kyverno-validate.sarif").is_file()  # what the upload step picks up
    assert not run.file_command_errors


TIME_POLICY = """\
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: clock
spec:
  validationFailureAction: Enforce
  rules:
    - name: frozen-before-2000
      match:
        any:
          - resources:
              kinds: [Service]
      validate:
        message: "no changes after 2000; it is {{ time_now_utc() }}"
        deny:
          conditions:
            any:
              - key: "{{ time_after('{{ time_now_utc() }}', '2000-01-01T00:00:00Z') }}"
                operator: Equals
                value: true
"""


def test_policies_see_the_clock(repo: Path, tmp_path: Path) -> None:
    for name in ("debug-pod.yaml", "worker.yml", "broken.yaml"):
        (repo / "k8s" / name).unlink()
    (repo / "policies" / "require-name-label.yaml").unlink()
    (repo / "policies" / "clock.yaml").write_text(TIME_POLICY, encoding="utf-8")
    run = harness.run_action(
        "kyverno-validate", {"policies": "policies/"}, workspace=repo, tmp_path=tmp_path
    )
    assert run.exit_code == 1, run.stdout + run.stderr
    assert run.outputs["errors"] == "0"
    assert run.outputs["failed"] == "1"
    [denied] = run.errors
    assert "no changes after 2000; it is 20" in denied.data  # the rendered current time
