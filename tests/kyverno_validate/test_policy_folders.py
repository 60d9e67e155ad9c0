"""Policy folders copied from kyverno/policies (with ``.kyverno-test/`` and ``.chainsaw-test/``
beside the policy) load like ``kyverno apply DIR``; rules the engine does not evaluate say
``unsupported: <why>`` instead of ``Not found``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from kyverno_validate.engine.unsupported import (
    UNSUPPORTED_KINDS,
    UNSUPPORTED_RULES,
    unsupported_reason,
)
from kyverno_validate.kyverno_cli import main as kyverno_main
from relkit import cli
from relkit.errors import CheckFailed

POLICY = """\
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: disallow-latest-tag
spec:
  validationFailureAction: Enforce
  rules:
  - name: validate-image-tag
    match:
      any:
      - resources:
          kinds: [Pod]
    validate:
      message: "Using a mutable image tag e.g. 'latest' is not allowed."
      pattern:
        spec:
          containers:
          - image: "!*:latest"
  - name: verify-signature
    match:
      any:
      - resources:
          kinds: [Pod]
    verifyImages:
    - imageReferences: ["ghcr.io/example/*"]
      attestors: []
"""
# chainsaw assertion files: a ClusterPolicy with only a status, a chainsaw Test
CHAINSAW_READY = """\
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: disallow-latest-tag
status:
  (conditions[?type == 'Ready']):
  - status: "True"
"""
CHAINSAW_TEST = """\
apiVersion: chainsaw.kyverno.io/v1alpha1
kind: Test
metadata:
  name: disallow-latest-tag
spec:
  steps:
  - try:
    - apply:
        file: ../disallow-latest-tag.yaml
"""
ARTIFACTHUB = """\
name: disallow-latest-tag
version: 1.0.0
displayName: Disallow Latest Tag
"""
POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: default
spec:
  containers:
  - name: web
    image: nginx:latest
"""
KYVERNO_TEST = """\
apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata:
  name: disallow-latest-tag
policies:
- ../disallow-latest-tag.yaml
resources:
- ../pod.yaml
results:
- policy: disallow-latest-tag
  rule: validate-image-tag
  kind: Pod
  resources: [web]
  result: fail
- policy: disallow-latest-tag
  rule: verify-signature
  kind: Pod
  resources: [web]
  result: pass
"""


@pytest.fixture
def policy_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "repo" / "best-practices" / "disallow-latest-tag"
    files = {
        "disallow-latest-tag.yaml": POLICY,
        "artifacthub-pkg.yml": ARTIFACTHUB,
        ".chainsaw-test/policy-ready.yaml": CHAINSAW_READY,
        ".chainsaw-test/chainsaw-test.yaml": CHAINSAW_TEST,
        ".chainsaw-test/broken.yaml": "key: [unclosed\n",
        ".kyverno-test/kyverno-test.yaml": KYVERNO_TEST,
        "pod.yaml": POD,
    }
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def _env(tmp_path: Path, root: Path) -> dict[str, str]:
    for name in ("output", "summary"):
        (tmp_path / name).touch()
    return {
        "GITHUB_WORKSPACE": str(root),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
        "PATH": os.environ.get("PATH", ""),
    }


def test_policies_folder_skips_hidden_test_folders(
    policy_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "repo"
    manifests = root / "k8s"
    manifests.mkdir()
    (manifests / "pod.yaml").write_text(POD)
    argv = ["kyverno-validate", "--policies", "best-practices", "--output", "json", "k8s"]
    assert cli.main(argv, _env(tmp_path, root)) == 1
    report = json.loads(capsys.readouterr().out)
    policy_rows = [f for f in report["results"] if f["stage"] == "policy"]
    assert [(f["rule"], f["result"]) for f in policy_rows] == [("validate-image-tag", "fail")]
    assert report["notices"] == [
        "unsupported: disallow-latest-tag/verify-signature: " + UNSUPPORTED_RULES["verifyImages"]
    ]


def test_policies_folder_with_only_hidden_files_is_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "repo"
    (root / "policies" / ".kyverno-test").mkdir(parents=True)
    (root / "policies" / ".kyverno-test" / "p.yaml").write_text(POLICY)
    (root / "k8s").mkdir()
    (root / "k8s" / "pod.yaml").write_text(POD)
    assert (
        cli.main(["kyverno-validate", "--policies", "policies", "k8s"], _env(tmp_path, root)) == 2
    )
    assert "outside hidden folders" in capsys.readouterr().err


def test_kyverno_test_says_unsupported_instead_of_not_found(
    policy_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results.json"
    with pytest.raises(CheckFailed):
        kyverno_main(["test", str(policy_folder), "--json-out", str(out)], {})
    table = capsys.readouterr().out
    assert "unsupported: verifyImages rules verify signatures against a live registry" in table
    assert "Not found" not in table
    assert [(r["rule"], r["result"]) for r in json.loads(out.read_text())] == [
        ("validate-image-tag", "fail")
    ]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        pytest.param("verify-signature", UNSUPPORTED_RULES["verifyImages"], id="verify-images"),
        pytest.param("autogen-verify-signature", UNSUPPORTED_RULES["verifyImages"], id="autogen"),
        pytest.param("", UNSUPPORTED_RULES["verifyImages"], id="any-rule"),
        pytest.param("validate-image-tag", None, id="supported-rule"),
        pytest.param("missing", None, id="unknown-rule"),
    ],
)
def test_unsupported_reason_for_rules(rule: str, expected: str | None) -> None:
    import yaml  # noqa: PLC0415 - test-only parse of the fixture text

    documents = [None, yaml.safe_load(POLICY)]
    found = unsupported_reason(documents, "disallow-latest-tag", rule)
    assert found == (f"unsupported: {expected}" if expected else None)
    assert unsupported_reason(documents, "other-policy", rule) is None


def test_unsupported_reason_for_policy_kinds() -> None:
    documents = [
        {"kind": "ClusterCleanupPolicy", "metadata": {"name": "cleanup"}},
        {"kind": "ValidatingPolicy", "metadata": {"name": "vpol"}},
        {"kind": "ClusterPolicy", "metadata": {"name": "signed"}, "spec": {"rules": [
            {"name": "r", "verifyImages": [{"imageReferences": ["*"]}]}, "junk"
        ]}},
        {"kind": "ClusterPolicy", "metadata": {"name": "tree"}, "spec": {"rules": [
            {"name": "r", "validate": {"assert": {"object": {}}}}
        ]}},
        {"kind": "ClusterPolicy", "metadata": {"name": "cel"}, "spec": {"rules": [
            {"name": "r", "validate": {"cel": {"expressions": []}}}
        ]}},
        {"kind": "ClusterPolicy", "metadata": "junk"},
    ]  # fmt: skip
    assert unsupported_reason(documents, "cleanup", "") == (
        f"unsupported: {UNSUPPORTED_KINDS['ClusterCleanupPolicy']}"
    )
    assert unsupported_reason(documents, "signed", "r") == (
        f"unsupported: {UNSUPPORTED_RULES['verifyImages']}"
    )
    # validate.assert trees are evaluated (kyverno_validate.engine.assertion)
    assert unsupported_reason(documents, "tree", "r") is None
    # CEL policies and validate.cel rules are evaluated (kyverno_validate.cel)
    assert unsupported_reason(documents, "vpol", "") is None
    assert unsupported_reason(documents, "cel", "r") is None


def test_notices_are_annotated_with_their_own_title() -> None:
    from kyverno_validate import pipeline, report  # noqa: PLC0415

    result = pipeline.Report(
        (), 0, 0, 1, "1.33", "enforce", ("unsupported: p/r: mutate rules", "schema skipped: x")
    )
    titles = [note.title for note in report.annotations_for(result)]
    assert titles == ["kyverno-validate: rule not evaluated", "kyverno-validate: schema skipped"]


def test_values_accept_foreach_values_per_block() -> None:
    from kyverno_validate.engine.schema import PolicyShapeError, check_values  # noqa: PLC0415

    rule = {"name": "r", "foreachValues": [{"a": [1]}, {"b": [2]}]}
    check_values({"policies": [{"name": "p", "rules": [rule]}]})
    with pytest.raises(PolicyShapeError, match="foreachValues"):
        check_values({"policies": [{"name": "p", "rules": [{**rule, "foreachValues": ["x"]}]}]})


def test_default_namespace_leaves_malformed_metadata_alone() -> None:
    from kyverno_validate.testrunner import in_default_namespace  # noqa: PLC0415

    assert in_default_namespace({"kind": "Pod", "metadata": "junk"}) == {
        "kind": "Pod",
        "metadata": "junk",
    }
    assert in_default_namespace({"metadata": {"name": "a"}})["metadata"]["namespace"] == "default"


def test_kyverno_test_policy_folder_skips_hidden_assertions(
    policy_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    test_file = policy_folder / ".kyverno-test" / "kyverno-test.yaml"
    test_file.write_text(KYVERNO_TEST.replace("- ../disallow-latest-tag.yaml", "- .."))
    out = tmp_path / "results.json"
    with pytest.raises(CheckFailed):  # only the verifyImages row differs, as above
        kyverno_main(["test", str(policy_folder), "--json-out", str(out)], {})
    assert "Error:" not in capsys.readouterr().out
    assert [(r["rule"], r["result"]) for r in json.loads(out.read_text())] == [
        ("validate-image-tag", "fail")
    ]
