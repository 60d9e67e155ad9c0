"""Newer Kyverno policies call the context libraries in lower case (``resource.get``)."""

from __future__ import annotations

from typing import Any

import pytest
from kyverno_validate.cel import evaluate_expression, library_bindings

CONFIGMAP = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "settings", "namespace": "prod"},
    "data": {"registry": "ghcr.io"},
}


def run(expression: str) -> Any:
    data = library_bindings(
        cluster_objects=[CONFIGMAP],
        http_responses={"https://svc.local/allowed": {"allowed": ["nginx"]}},
        global_context={"deployments": {"count": 3}},
    )
    return evaluate_expression(expression, data, now=None)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        pytest.param("resource.get('v1', 'configmaps', 'prod', 'settings').data.registry",
                     "ghcr.io", id="resource.get"),
        pytest.param("resource.list('v1', 'configmaps', 'prod').items.size()", 1,
                     id="resource.list"),
        pytest.param("resource.list('v1', 'configmaps').items.size()", 1, id="list-all"),
        pytest.param("http.get('https://svc.local/allowed').allowed", ["nginx"], id="http.get"),
        pytest.param("http.post('https://svc.local/allowed', {}).allowed[0]", "nginx",
                     id="http.post"),
        pytest.param("globalContext.get('deployments', 'count')", 3, id="globalContext.get"),
    ],
)  # fmt: skip
def test_lower_case_context_functions(expression: str, expected: Any) -> None:
    assert run(expression) == expected
