"""``kyverno test`` semantics on parsed documents (no files): loading, matching, context."""

from typing import Any

import pytest
from kyverno_validate.testrunner import _cluster_objects, _context_from, rule_names_match, run_test

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
                "name": "team-label",
                "match": {
                    "any": [
                        {
                            "resources": {
                                "kinds": ["Pod"],
                                "namespaceSelector": {"matchLabels": {"env": "prod"}},
                            }
                        }
                    ]
                },
                "validate": {"pattern": {"metadata": {"labels": {"team": "?*"}}}},
            }
        ]
    },
}
POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "prod"}}


@pytest.mark.parametrize(
    ("expected", "actual", "matches"),
    [
        pytest.param("", "anything", True, id="empty-rule-checks-every-rule"),
        pytest.param("r", "r", True, id="same"),
        pytest.param("r", "autogen-r", True, id="autogen"),
        pytest.param("r", "autogen-cronjob-r", True, id="autogen-cronjob"),
        pytest.param("autogen-r", "autogen-r", True, id="explicit-autogen"),
        pytest.param("r", "other", False, id="other"),
    ],
)
def test_rule_names_match(expected: str, actual: str, matches: bool) -> None:
    assert rule_names_match(expected, actual) is matches


def test_cluster_objects_keep_kubernetes_objects_only() -> None:
    documents: list[Any] = [
        None,
        "text",
        {"kind": "Context", "spec": {"resources": [POD, "junk"]}},
        {"kind": "List", "items": [{"apiVersion": "v1", "kind": "Namespace"}, 3]},
        {"name": "no-kind"},
    ]
    assert [obj["kind"] for obj in _cluster_objects(documents)] == ["Pod", "Namespace"]


def test_namespace_labels_need_a_namespace_name() -> None:
    values = {
        "namespaces": [{"metadata": {"labels": {"a": "1"}}}, {"metadata": {"name": "n1"}}],
        "namespaceSelector": [{"labels": {"b": "2"}}, {"name": "n2", "labels": {"env": "prod"}}],
    }
    context = _context_from(values, None, [], [])
    assert context.namespace_labels == {"n1": {}, "n2": {"env": "prod"}}


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        pytest.param(
            [None, {"namespaceSelector": [{"name": "prod", "labels": {"env": "prod"}}]}],
            ["fail"],
            id="values-file-with-an-empty-document",
        ),
        pytest.param([None], [], id="without-namespace-labels-the-rule-does-not-match"),
    ],
)
def test_values_files_skip_empty_documents(variables: list[Any], expected: list[str]) -> None:
    files = {
        "policy.yaml": [POLICY],
        "resource.yaml": [None, POD],
        "values.yaml": variables,
    }

    def loader(path: str) -> list[tuple[str, Any]]:
        return [(f"{path}#{index}", doc) for index, doc in enumerate(files[path])]

    test = {
        "apiVersion": "cli.kyverno.io/v1alpha1",
        "kind": "Test",
        "metadata": {"name": "t"},
        "policies": ["policy.yaml"],
        "resources": ["resource.yaml"],
        "variables": "values.yaml",
        "results": [{"policy": "p", "rule": "team-label", "resources": ["web"], "result": "fail"}],
    }
    report = run_test(test, loader)
    assert report.errors == ()
    assert [result.result for result in report.results] == expected
