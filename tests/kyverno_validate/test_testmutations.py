"""kyverno test rows with patchedResources / generatedResource, through run_test."""

from typing import Any

import pytest
from kyverno_validate.engine import RuleResult
from kyverno_validate.testmutations import Produced, resource_check
from kyverno_validate.testrunner import run_test
from relkit.errors import ConfigError

POLICY = {
    "apiVersion": "kyverno.io/v1",
    "kind": "ClusterPolicy",
    "metadata": {
        "name": "p",
        "annotations": {"pod-policies.kyverno.io/autogen-controllers": "none"},
    },
    "spec": {
        "rules": [
            {
                "name": "label",
                "match": {"any": [{"resources": {"kinds": ["Pod"]}}]},
                "mutate": {"patchStrategicMerge": {"metadata": {"labels": {"+(team)": "core"}}}},
            },
            {
                "name": "team-is-core",
                "match": {"any": [{"resources": {"kinds": ["Pod"]}}]},
                "validate": {"pattern": {"metadata": {"labels": {"team": "core"}}}},
            },
            {
                "name": "secret",
                "match": {"any": [{"resources": {"kinds": ["Pod"]}}]},
                "generate": {
                    "apiVersion": "v1",
                    "kind": "Secret",
                    "name": "{{request.object.metadata.name}}-copy",
                    "namespace": "default",
                    "clone": {"namespace": "default", "name": "src"},
                },
            },
        ]
    },
}
POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}}
LABELLED = {**POD, "metadata": {"name": "web", "labels": {"team": "core"}}}
SOURCE = {
    "apiVersion": "v1",
    "kind": "Secret",
    "metadata": {"name": "src", "namespace": "default"},
    "data": {"k": "v"},
}
GENERATED = {**SOURCE, "metadata": {"name": "web-copy", "namespace": "default"}}
FILES: dict[str, list[Any]] = {
    "policy.yaml": [POLICY],
    "resource.yaml": [POD],
    "patched.yaml": [LABELLED],
    "wrong.yaml": [{**POD, "metadata": {"name": "web", "labels": {"team": "other"}}}],
    "source.yaml": [SOURCE],
    "generated.yaml": [GENERATED],
    "bad-generated.yaml": [{**GENERATED, "data": {"k": "x"}}],
}


def loader(path: str) -> list[tuple[str, Any]]:
    if path not in FILES:
        raise ConfigError(f"file not found: {path}")
    return [(path, doc) for doc in FILES[path]]


def run(*results: dict[str, Any]) -> Any:
    test = {"policies": ["policy.yaml"], "resources": ["resource.yaml"], "results": list(results)}
    return run_test(test, loader)


def row(rule: str, result: str, **extra: Any) -> dict[str, Any]:
    return {
        "policy": "p",
        "rule": rule,
        "resources": ["web"],
        "kind": "Pod",
        "result": result,
        **extra,
    }


def test_mutate_before_validate_and_the_patched_resource_matches() -> None:
    report = run(row("label", "pass", patchedResources="patched.yaml"), row("team-is-core", "pass"))
    assert [(r.rule, r.actual, r.reason) for r in report.rows] == [
        ("label", "pass", "Ok"),
        ("team-is-core", "pass", "Ok"),
    ]
    assert report.ok


def test_patched_resources_may_be_a_list_of_files() -> None:
    report = run(row("label", "pass", patchedResources=["wrong.yaml", "patched.yaml"]))
    assert report.ok


def test_a_different_patched_resource_fails_the_row_and_reports_fail() -> None:
    report = run(row("label", "pass", patchedResources="wrong.yaml"))
    assert [(r.actual, r.ok, r.reason) for r in report.rows] == [("fail", False, "Resource diff")]
    assert [r.result for r in report.results if r.rule == "label"] == ["fail"]
    assert "Patched resource didn't match" in report.rows[0].message


def test_expected_fail_with_a_different_patched_resource_passes_like_kyverno() -> None:
    report = run(row("label", "fail", patchedResources="wrong.yaml"))
    assert report.ok


@pytest.mark.parametrize(
    ("file", "ok"),
    [
        pytest.param("generated.yaml", True, id="same"),
        pytest.param("bad-generated.yaml", False, id="differs"),
        pytest.param("missing.yaml", False, id="missing-file"),
    ],
)
def test_generated_resource_with_clone_source(file: str, ok: bool) -> None:
    report = run(row("secret", "pass", generatedResource=file, cloneSourceResource="source.yaml"))
    assert report.ok is ok


def test_a_generate_rule_without_output_is_not_compared() -> None:
    report = run(row("secret", "error", generatedResource="generated.yaml"))
    assert report.ok


EXISTING = {
    "apiVersion": "kyverno.io/v1",
    "kind": "ClusterPolicy",
    "metadata": {"name": "existing"},
    "spec": {
        "rules": [
            {
                "name": "label-secret",
                "match": {"any": [{"resources": {"kinds": ["ConfigMap"]}}]},
                "mutate": {
                    "targets": [{"apiVersion": "v1", "kind": "Secret", "name": "s1"}],
                    "patchStrategicMerge": {"metadata": {"labels": {"foo": "bar"}}},
                },
            }
        ]
    },
}
CONFIGMAP = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "trigger"}}
SECRET = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s1"}}
PATCHED_SECRET = {**SECRET, "metadata": {"name": "s1", "labels": {"foo": "bar"}}}
FILES.update(
    {
        "existing.yaml": [EXISTING],
        "trigger.yaml": [CONFIGMAP],
        "target.yaml": [SECRET],
        "patched-target.yaml": [CONFIGMAP, PATCHED_SECRET],
    }
)


@pytest.mark.parametrize(
    ("row", "ok"),
    [
        pytest.param({"resources": [], "result": "pass"}, True, id="no-resources-checks-all"),
        pytest.param({"resources": ["s1"], "result": "pass"}, True, id="target-by-name"),
        pytest.param({"resources": ["trigger"], "result": "pass"}, False, id="not-the-trigger"),
    ],
)
def test_mutate_existing_reports_on_the_patched_target(row: dict[str, Any], ok: bool) -> None:
    test = {
        "policies": ["existing.yaml"],
        "resources": ["trigger.yaml"],
        "targetResources": ["target.yaml"],
        "results": [
            {"policy": "existing", "rule": "label-secret", "patchedResource": "patched-target.yaml"}
            | row
        ],
    }
    report = run_test(test, loader)
    assert report.ok is ok
    assert [(r.kind, r.name, r.result) for r in report.results] == [("Secret", "s1", "pass")]


MPOL = {
    "apiVersion": "policies.kyverno.io/v1alpha1",
    "kind": "MutatingPolicy",
    "metadata": {"name": "mp"},
    "spec": {
        "matchConstraints": {
            "resourceRules": [
                {
                    "apiGroups": [""],
                    "apiVersions": ["v1"],
                    "operations": ["CREATE"],
                    "resources": ["pods"],
                }
            ]
        },
        "mutations": [
            {
                "patchType": "ApplyConfiguration",
                "applyConfiguration": {
                    "expression": "Object{metadata: Object.metadata{labels: {'team': 'core'}}}"
                },
            }
        ],
    },
}
GPOL = {
    "apiVersion": "policies.kyverno.io/v1alpha1",
    "kind": "GeneratingPolicy",
    "metadata": {"name": "gp"},
    "spec": {
        "matchConstraints": MPOL["spec"]["matchConstraints"],
        "generate": [
            {
                "expression": "generator.Apply('default', "
                "[resource.Get('v1', 'secrets', 'default', 'src')])"
            }
        ],
    },
}
OTHER_POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "other"}}
FILES.update(
    {
        "cel.yaml": [MPOL, GPOL],
        "cluster.yaml": [SOURCE],
        "other-pod.yaml": [OTHER_POD],
        "cloned.yaml": [{**SOURCE, "metadata": {"name": "src", "namespace": "default"}}],
    }
)


def cel_row(policy: str, **extra: Any) -> dict[str, Any]:
    return {"policy": policy, "resources": ["web"], "kind": "Pod", "result": "pass", **extra}


@pytest.mark.parametrize(
    ("row", "ok"),
    [
        pytest.param(
            cel_row("mp", isMutatingPolicy=True, patchedResources="patched.yaml"), True, id="mpol"
        ),
        pytest.param(
            cel_row("mp", isMutatingPolicy=True, patchedResources="wrong.yaml"),
            False,
            id="mpol-diff",
        ),
        pytest.param(
            cel_row("mp", isMutatingPolicy=True, patchedResources="other-pod.yaml"),
            True,
            id="mpol-not-in-file",
        ),
        pytest.param(
            cel_row("mp", patchedResources="other-pod.yaml"),
            False,
            id="classic-row-compares-anyway",
        ),
        pytest.param(
            cel_row("gp", isGeneratingPolicy=True, generatedResource="cloned.yaml"), True, id="gpol"
        ),
        pytest.param(
            cel_row("gp", isGeneratingPolicy=True, generatedResource="patched.yaml"),
            False,
            id="gpol-diff",
        ),
    ],
)
def test_cel_mutating_and_generating_policies(row: dict[str, Any], ok: bool) -> None:
    test = {
        "policies": ["cel.yaml"],
        "resources": ["resource.yaml"],
        "clusterResources": ["cluster.yaml"],
        "results": [row],
    }
    assert run_test(test, loader).ok is ok


def test_a_compared_rule_without_a_patched_resource_fails() -> None:
    check = resource_check(Produced(), lambda _path: [LABELLED])
    result = RuleResult("p", "r", "Pod", "web", "", "pass", "", "Audit")
    problem = check({"patchedResources": "x.yaml"}, [result])
    assert problem is not None
    assert problem.endswith(": no resource was produced")


JSON_MPOL = {
    "apiVersion": "policies.kyverno.io/v1alpha1",
    "kind": "MutatingPolicy",
    "metadata": {"name": "jp"},
    "spec": {
        "matchConstraints": {
            "resourceRules": [
                {
                    "apiGroups": ["*"],
                    "apiVersions": ["*"],
                    "operations": ["CREATE"],
                    "resources": ["*"],
                }
            ]
        },
        "mutations": [
            {
                "patchType": "JSONPatch",
                "jsonPatch": {
                    "expression": "[JSONPatch{op: 'add', path: '/processedBy', value: 'kyverno'}]"
                },
            }
        ],
    },
}
PAYLOAD = {"user": {"name": "john"}}
FILES.update(
    {
        "json-policy.yaml": [JSON_MPOL],
        "payload.json": [PAYLOAD],
        "payload-patched.yaml": [{**PAYLOAD, "processedBy": "kyverno"}],
        "payload-wrong.yaml": [{**PAYLOAD, "processedBy": "someone"}],
    }
)


@pytest.mark.parametrize(
    ("patched", "result", "ok"),
    [
        pytest.param("payload-patched.yaml", "pass", True, id="patched"),
        pytest.param("payload-wrong.yaml", "pass", False, id="diff"),
        pytest.param("payload-patched.yaml", "fail", False, id="want-fail"),
    ],
)
def test_a_json_payload_is_mutated_and_compared(patched: str, result: str, ok: bool) -> None:
    test = {
        "policies": ["json-policy.yaml"],
        "jsonPayload": "payload.json",
        "results": [
            {
                "policy": "jp",
                "isMutatingPolicy": True,
                "kind": "",
                "patchedResources": patched,
                "result": result,
            }
        ],
    }
    report = run_test(test, loader)
    assert [(r.policy, r.actual) for r in report.rows] == [
        ("jp", "pass" if patched == "payload-patched.yaml" else "fail")
    ]
    assert report.ok is ok
    assert [(r.policy, r.name, r.result) for r in report.results] == [
        ("jp", "", "pass" if patched == "payload-patched.yaml" else "fail")
    ]


def test_a_json_payload_without_mutating_policies_gives_no_result() -> None:
    test = {"policies": ["policy.yaml"], "jsonPayload": "payload.json", "results": []}
    assert run_test(test, loader).results == ()


def test_a_json_payload_that_is_not_an_object_is_not_mutated() -> None:
    FILES["list-payload.json"] = [[1, 2]]
    test = {"policies": ["json-policy.yaml"], "jsonPayload": "list-payload.json", "results": []}
    assert run_test(test, loader).results == ()


SECRET_B = {**SOURCE, "metadata": {"name": "b", "namespace": "default"}}
FILES.update(
    {
        "two-generated.yaml": [GENERATED, SECRET_B],
        "one-wrong-generated.yaml": [GENERATED, {**SECRET_B, "data": {"k": "x"}}],
        "one-missing-generated.yaml": [GENERATED, SOURCE],
    }
)


@pytest.mark.parametrize(
    ("file", "ok"),
    [
        pytest.param("two-generated.yaml", True, id="each-matches"),
        pytest.param("one-wrong-generated.yaml", False, id="one-differs"),
        # a resource the file has no document for is not that file's to check (two rows, one
        # file per generated kind: kyverno/policies best-practices-gpol/add-ns-quota)
        pytest.param("one-missing-generated.yaml", True, id="one-not-described"),
        pytest.param("generated.yaml", True, id="single-document"),
        pytest.param("source.yaml", False, id="none-described"),
    ],
)
def test_every_generated_resource_must_match_its_document(file: str, ok: bool) -> None:
    produced = Produced()
    produced.generated[("p/r", "Pod", "web", "")] = (GENERATED, SECRET_B)
    check = resource_check(produced, lambda path: [doc for _, doc in loader(path)])
    result = RuleResult("p", "r", "Pod", "web", "", "pass", "", "Audit")
    assert (check({"generatedResource": file}, [result]) is None) is ok
