"""kyverno-validate with mutate rules: admission order and --show-mutations (real engine)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from kyverno_validate.mutations import mutates, render_mutations_summary, to_yaml
from relkit import cli

POLICY = """\
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: defaults
  annotations:
    pod-policies.kyverno.io/autogen-controllers: none
spec:
  validationFailureAction: Enforce
  rules:
  - name: add-team
    match:
      any:
      - resources:
          kinds: [Pod]
    mutate:
      patchStrategicMerge:
        metadata:
          labels:
            +(team): platform
  - name: require-team
    match:
      any:
      - resources:
          kinds: [Pod]
    validate:
      message: a team label is required
      pattern:
        metadata:
          labels:
            team: "?*"
"""
POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: apps
spec:
  containers:
  - name: nginx
    image: nginx:1.27
"""
LABELLED = POD.replace("  namespace: apps\n", "  namespace: apps\n  labels:\n    team: core\n")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    root = tmp_path / "repo"
    (root / "k8s").mkdir(parents=True)
    (root / "policies").mkdir()
    (root / "policies" / "p.yaml").write_text(POLICY)
    (root / "k8s" / "pod.yaml").write_text(POD)
    (root / "k8s" / "labelled.yaml").write_text(LABELLED)
    (tmp_path / "output").touch()
    (tmp_path / "summary").touch()
    return {
        "GITHUB_WORKSPACE": str(root),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
        "PATH": os.environ.get("PATH", ""),
    }


def run(argv: list[str], env: dict[str, str]) -> int:
    return cli.main(["kyverno-validate", "--policies", "policies", *argv, "k8s"], env)


def test_mutate_rules_run_before_validate(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--output", "json"], env) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["fail"] == 0
    assert report["summary"]["pass"] == 3  # add-team on pod.yaml, require-team on both
    assert report["summary"]["skip"] == 1  # add-team changes nothing on labelled.yaml


def test_show_mutations_prints_a_unified_diff_after_the_table(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--show-mutations"], env) == 0
    out = capsys.readouterr().out
    assert "Mutations (1 resources changed):" in out
    assert "--- k8s/pod.yaml (Pod/apps/web)\n+++ k8s/pod.yaml (Pod/apps/web) mutated" in out
    assert "+  labels:\n+    team: platform\n" in out
    assert "labelled.yaml (Pod" not in out
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    assert "### Mutations" in summary
    assert "```diff\n--- k8s/pod.yaml" in summary


def test_show_mutations_goes_to_stderr_with_json_and_in_actions_to_the_log(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--show-mutations", "--output", "json"], env) == 0
    captured = capsys.readouterr()
    json.loads(captured.out)
    assert "Mutations (1 resources changed)" in captured.err
    actions = {**env, "GITHUB_ACTIONS": "true"}
    assert run(["--show-mutations"], actions) == 0
    out = capsys.readouterr().out
    assert "+    team: platform" in out
    assert "::stop-commands::" in out


def test_show_mutations_without_changes(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    Path(env["GITHUB_WORKSPACE"], "k8s", "pod.yaml").write_text(LABELLED.replace("web", "api"))
    assert run(["--show-mutations"], env) == 0
    assert "Mutations: no resource changed." in capsys.readouterr().out
    assert "No resource changed." in Path(env["GITHUB_STEP_SUMMARY"]).read_text()


def test_files_with_yaml_problems_are_not_mutated(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    Path(env["GITHUB_WORKSPACE"], "k8s", "pod.yaml").write_text("a: [\n")
    assert run(["--show-mutations"], env) == 1
    assert "Mutations: no resource changed." in capsys.readouterr().out


def test_helpers() -> None:
    assert mutates(object(), []) is False
    assert to_yaml({"b": 1, "a": [1, {"c": None}]}) == "b: 1\na:\n- 1\n- c: null\n"
    assert "````diff" in render_mutations_summary(["```x\n"])
