"""ImageValidatingPolicy offline: images/attestors/attestations bindings, matchImageReferences,
and a signature check as an error result."""

from typing import Any

import pytest
from kyverno_validate.engine.ivpol import image_bindings, resource_images
from kyverno_validate.testrunner import run_test


def _pod(*images: str, init: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "namespace": "default"},
        "spec": {
            "containers": [{"name": f"c{i}", "image": x} for i, x in enumerate(images)],
            "initContainers": [{"name": f"i{i}", "image": x} for i, x in enumerate(init)],
        },
    }


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        pytest.param(_pod("a:1", init=("b:2",)), {"containers": ["a:1"], "initContainers": ["b:2"]},
                     id="pod"),
        pytest.param({"spec": {"template": {"spec": {"containers": [{"image": "d:1"}, {}]}}}},
                     {"containers": ["d:1"]}, id="deployment"),
        pytest.param({"kind": "ConfigMap", "data": {}}, {}, id="no-pod-spec"),
        pytest.param(None, {}, id="no-object"),
    ],
)  # fmt: skip
def test_resource_images(obj: Any, expected: dict[str, list[str]]) -> None:
    assert resource_images(obj) == expected


def test_bindings_name_attestors_and_policy_images() -> None:
    spec = {
        "attestors": [{"name": "notary", "notary": {}}, "junk"],
        "attestations": [{"name": "sbom", "referrer": {"type": "x"}}],
        "images": [
            {"name": "extra", "expression": "[object.metadata.name + ':1']"},
            {"name": "broken", "expression": "object.nope"},
            {"expression": "['nameless']"},
            "junk",
        ],
    }
    bindings = image_bindings(spec, {"object": _pod("a:1")})
    assert bindings is not None
    assert bindings["images"] == {
        "containers": ["a:1"],
        "initContainers": [],
        "extra": ["p:1"],
        "broken": [],
    }
    assert list(bindings["attestors"]) == ["notary"]
    assert list(bindings["attestations"]) == ["sbom"]


@pytest.mark.parametrize(
    ("rules", "selected"),
    [
        pytest.param([{"glob": "ghcr.io/*"}], True, id="glob"),
        pytest.param([{"glob": "docker.io/*"}], False, id="glob-miss"),
        pytest.param([{"expression": "ref.startsWith('ghcr.io/')"}], True, id="expression"),
        pytest.param(["junk", {"expression": "ref == 'x'"}], False, id="expression-miss"),
    ],
)
def test_match_image_references(rules: list[Any], selected: bool) -> None:
    bindings = image_bindings({"matchImageReferences": rules}, {"object": _pod("ghcr.io/a:1")})
    assert (bindings is not None) == selected


def _ivpol(validation: str, **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "policies.kyverno.io/v1beta1",
        "kind": "ImageValidatingPolicy",
        "metadata": {"name": "images"},
        "spec": {
            "matchConstraints": {
                "resourceRules": [
                    {"apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE"],
                     "resources": ["pods"]}
                ]
            },
            "validations": [{"expression": validation, "message": "bad image"}],
            **spec,
        },
    }  # fmt: skip


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        pytest.param(_ivpol("images.containers.all(i, i.startsWith('ghcr.io/'))"), "pass",
                     id="offline-pass"),
        pytest.param(_ivpol("images.containers.all(i, i.startsWith('docker.io/'))"), "fail",
                     id="offline-fail"),
        pytest.param(_ivpol("images.containers.all(i, verifyImageSignatures(i, []) > 0)"),
                     "error", id="needs-registry"),
        pytest.param(_ivpol("true", matchImageReferences=[{"glob": "docker.io/*"}]), "skip",
                     id="not-selected"),
    ],
)  # fmt: skip
def test_kyverno_test_evaluates_image_policies(policy: dict[str, Any], expected: str) -> None:
    files = {"policy.yaml": [policy], "resource.yaml": [_pod("ghcr.io/a:1")]}
    test = {
        "kind": "Test",
        "metadata": {"name": "t"},
        "policies": ["policy.yaml"],
        "resources": ["resource.yaml"],
        "results": [{"policy": "images", "kind": "Pod", "resources": ["p"], "result": expected}],
    }
    report = run_test(test, lambda path: [(path, doc) for doc in files[path]])
    assert report.ok, report.rows
