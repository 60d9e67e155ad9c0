"""The built-in starter policies, through the pipeline with the real engine."""

from __future__ import annotations

import marshal
from typing import Any

import pytest
from kyverno_validate import builtin_policies, entry, parallel, pipeline, yamlio
from kyverno_validate.schema import SchemaValidator

engine = pytest.importorskip("kyverno_validate.engine", reason="the engine lands with its work")


def unmarshal(blob: Any) -> Any:
    """A worker's rows as the pipeline process reads them (our own bytes, not untrusted)."""
    return marshal.loads(blob)  # noqa: S302 - made by marshal.dumps in this test's worker


def pod(image: str, namespace: str | None = "apps", *, init: str | None = None) -> str:
    ns = f"  namespace: {namespace}\n" if namespace else ""
    init_block = f"  initContainers:\n    - name: init\n      image: {init}\n" if init else ""
    return (
        f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n{ns}spec:\n{init_block}"
        f"  containers:\n    - name: c\n      image: {image}\n"
    )


def deployment(image: str, namespace: str | None = "apps") -> str:
    ns = f"  namespace: {namespace}\n" if namespace else ""
    return (
        f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n{ns}spec:\n"
        "  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n"
        f"    spec:\n      containers:\n        - name: c\n          image: {image}\n"
    )


def results(policy: str, manifest: str, registry: str = "") -> dict[str, str]:
    loaded = pipeline.load_policy_texts(
        [pipeline.PolicyText(policy, builtin_policies.read_builtin(policy), policy)],
        engine,
        ecr_registry=registry,
    )
    report = pipeline.run_pipeline(
        [yamlio.parse_text(manifest, "m.yaml")], loaded, engine, SchemaValidator()
    )
    return {finding.rule: finding.result for finding in report.findings}


ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"


@pytest.mark.parametrize(
    ("policy", "manifest", "expected"),
    [
        pytest.param(
            "block-latest-tag",
            pod("nginx:1.27"),
            {"require-image-tag": "pass", "validate-image-tag": "pass"},
            id="tag-ok",
        ),
        pytest.param(
            "block-latest-tag",
            pod("nginx:latest"),
            {"require-image-tag": "pass", "validate-image-tag": "fail"},
            id="latest",
        ),
        pytest.param(
            "block-latest-tag",
            pod("nginx:1", init="busybox"),
            {"require-image-tag": "fail", "validate-image-tag": "pass"},
            id="untagged-init",
        ),
        pytest.param(
            "block-latest-tag",
            deployment("nginx:latest"),
            {"autogen-require-image-tag": "pass", "autogen-validate-image-tag": "fail"},
            id="autogen",
        ),
        pytest.param(
            "block-default-namespace",
            pod("x:1", "default"),
            {"validate-namespace": "fail"},
            id="default",
        ),
        pytest.param(
            "block-default-namespace", pod("x:1", None), {"validate-namespace": "fail"}, id="none"
        ),
        pytest.param(
            "block-default-namespace",
            deployment("x:1", "apps"),
            {"validate-namespace": "pass"},
            id="deployment-ok",
        ),
        pytest.param(
            "block-default-namespace",
            deployment("x:1", None),
            {"validate-namespace": "fail"},
            id="deployment-none",
        ),
        pytest.param(
            "require-ecr-images",
            pod(f"{ECR}/api:1"),
            {"require-ecr-registry": "pass"},
            id="ecr",
        ),
        pytest.param(
            "require-ecr-images",
            pod("docker.io/nginx:1"),
            {"require-ecr-registry": "fail"},
            id="not-ecr",
        ),
    ],
)
def test_builtin_policy(policy: str, manifest: str, expected: dict[str, str]) -> None:
    assert results(policy, manifest) == expected


def test_ecr_registry_setting_narrows_the_pattern() -> None:
    other = "999999999999.dkr.ecr.us-east-1.amazonaws.com"
    assert results("require-ecr-images", pod(f"{other}/api:1"), ECR) == {
        "require-ecr-registry": "fail"
    }
    assert results("require-ecr-images", pod(f"{ECR}/api:1"), ECR) == {
        "require-ecr-registry": "pass"
    }


def test_entry_loads_the_engine_lazily() -> None:
    assert entry._engine() is engine


def test_a_worker_sends_the_rows_of_the_in_process_findings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    policy = "block-latest-tag"
    policies = pipeline.load_policy_texts(
        [pipeline.PolicyText(policy, builtin_policies.read_builtin(policy), policy)], engine
    )
    loaded = yamlio.parse_text(pod("nginx:1.27") + "---\n" + deployment("nginx:latest"), "m.yaml")
    docs = list(yamlio.iter_objects(loaded))
    monkeypatch.setattr(parallel, "_WORK", (engine, policies, None, docs, "enforce"))
    rows = unmarshal(parallel._evaluate_chunk((0, 2)))
    in_process = list(pipeline.policy_findings(engine, policies, None, docs, "enforce"))
    assert [[pipeline.Finding._make(row) for row in doc_rows] for doc_rows in rows] == in_process
    failed = [f for doc_findings in in_process for f in doc_findings if f.result == "fail"]
    assert [(f.resource, f.line) for f in failed] == [("Deployment/apps/d", 23)]  # its image line
