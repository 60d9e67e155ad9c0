from typing import Any

import pytest
from kyverno_validate.engine.context import (
    CLUSTER_KEY,
    ContextError,
    base_data,
    image_info,
    images_of,
    load_entries,
    pod_spec,
)
from kyverno_validate.engine.model import EvaluationContext


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        pytest.param(
            "nginx",
            {"registry": "docker.io", "path": "nginx", "name": "nginx", "tag": "latest"},
            id="short",
        ),
        pytest.param(
            "ghcr.io/org/app:1.2",
            {"registry": "ghcr.io", "path": "org/app", "name": "app", "tag": "1.2"},
            id="registry",
        ),
        pytest.param(
            "localhost:5000/app",
            {"registry": "localhost:5000", "path": "app", "name": "app", "tag": "latest"},
            id="port",
        ),
        pytest.param(
            "org/app@sha256:" + "a" * 64,
            {
                "registry": "docker.io",
                "path": "org/app",
                "name": "app",
                "digest": "sha256:" + "a" * 64,
            },
            id="digest",
        ),
    ],
)
def test_image_info(image: str, expected: dict[str, str]) -> None:
    info = image_info(image)
    assert {k: info[k] for k in expected} == expected
    assert info["reference"].startswith(expected["registry"] + "/")


def test_images_and_pod_specs_of_controllers() -> None:
    cron = {
        "kind": "CronJob",
        "spec": {"jobTemplate": {"spec": {"template": {"spec": {
            "initContainers": [{"name": "i", "image": "busybox"}],
            "containers": [{"name": "c", "image": "nginx:1"}, "junk"],
        }}}}},
    }  # fmt: skip
    images = images_of(cron)
    assert images["containers"]["c"]["tag"] == "1"
    assert images["initContainers"]["i"]["name"] == "busybox"
    assert images_of({"kind": "Service", "spec": {}}) == {}
    assert pod_spec({"kind": "Deployment", "spec": {"template": "x"}}) is None
    assert pod_spec({"kind": "Pod", "spec": ["x"]}) is None


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        pytest.param("system:serviceaccount:ns:sa", ("ns", "sa"), id="service-account"),
        pytest.param("system:serviceaccount:ns:sa:x", ("ns", "sa"), id="extra-segments-ignored"),
        pytest.param("system:serviceaccount:ns", None, id="no-name"),
        pytest.param("alice", None, id="user"),
        # AddServiceAccount cuts the prefix's length without checking it
        pytest.param("x" * 22 + "ops:bob", ("ops", "bob"), id="prefix-unchecked"),
    ],
)
def test_service_account_variables(username: str, expected: tuple[str, str] | None) -> None:
    ctx = EvaluationContext(userinfo={"userInfo": {"username": username}})
    data = base_data({"kind": "Pod", "metadata": {"name": "p"}}, ctx)
    found = (data.get("serviceAccountNamespace"), data.get("serviceAccountName"))
    assert found == (expected or ("", ""))


CLUSTER = [
    {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "prod"}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "prod"}},
    {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": "i", "namespace": "prod"},
    },
    {"apiVersion": "v1", "kind": "Policy", "metadata": {"name": "x"}},
]


def load(
    entries: list[dict[str, Any]], cluster: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {"request": {"object": {"metadata": {"name": "web"}}}}
    if cluster is not None:
        data[CLUSTER_KEY] = cluster
    load_entries(entries, data)
    return data


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param("/api/v1/namespaces", ["prod"], id="cluster-list"),
        pytest.param("/api/v1/namespaces/prod", "prod", id="cluster-get"),
        pytest.param("/api/v1/namespaces/prod/configmaps", ["c"], id="namespaced-list"),
        pytest.param("/api/v1/namespaces/prod/configmaps/c", "c", id="namespaced-get"),
        pytest.param("/apis/networking.k8s.io/v1/ingresses?limit=1", ["i"], id="group-list"),
        pytest.param("/api/v1/policies", ["x"], id="plural-ies"),
        pytest.param("/api/v1/namespaces/prod/secrets", [], id="empty-list"),
    ],
)
def test_api_call_from_cluster_objects(path: str, expected: Any) -> None:
    data = load([{"name": "r", "apiCall": {"urlPath": path}}], CLUSTER)
    result = data["r"]
    names = (
        result["metadata"]["name"]
        if "items" not in result
        else [i["metadata"]["name"] for i in result["items"]]
    )
    assert names == expected


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/healthz", id="not-an-api"),
        pytest.param("/api/v1/namespaces/prod/configmaps/c/x", id="too-deep"),
        pytest.param("/api/v1/namespaces/prod/configmaps/missing", id="not-found"),
    ],
)
def test_api_call_errors(path: str) -> None:
    with pytest.raises(ContextError):
        load([{"name": "r", "apiCall": {"urlPath": path}}], CLUSTER)


def test_api_call_variants() -> None:
    data = load(
        [
            {
                "name": "r",
                "apiCall": {"urlPath": "/api/v1/namespaces", "jmesPath": "items[0].metadata.name"},
            }
        ],
        CLUSTER,
    )
    assert data["r"] == "prod"
    data = load([{"name": "r", "apiCall": {"method": "POST", "urlPath": "/x"}}], CLUSTER)
    assert "r" not in data
    with pytest.raises(ContextError, match="failed to load"):
        load(
            [{"name": "r", "apiCall": {"urlPath": "/api/v1/namespaces", "jmesPath": "[["}}], CLUSTER
        )
    assert "r" not in load([{"name": "r", "apiCall": {"urlPath": "/api/v1/namespaces"}}])


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        pytest.param({"value": {"a": 1}, "jmesPath": "a"}, 1, id="value-jmespath"),
        pytest.param({"value": {"a": 1}, "jmesPath": "[[", "default": 2}, 2, id="bad-path-default"),
        pytest.param({"jmesPath": "[[", "default": 3}, 3, id="bad-context-path-default"),
        pytest.param({"value": "x"}, "x", id="plain-value"),
    ],
)
def test_variable_entries(entry: dict[str, Any], expected: Any) -> None:
    assert load([{"name": "v", "variable": entry}])["v"] == expected


@pytest.mark.parametrize(
    "entry",
    [
        pytest.param({"value": {"a": 1}, "jmesPath": "[["}, id="bad-path"),
        pytest.param({"jmesPath": "[["}, id="bad-context-path"),
        pytest.param({"value": "{{ request.object.nope }}"}, id="unknown-variable"),
        pytest.param({"jmesPath": "request.object.nope"}, id="nil"),
    ],
)
def test_variable_entry_errors(entry: dict[str, Any]) -> None:
    with pytest.raises(ContextError):
        load([{"name": "v", "variable": entry}])


def test_entries_without_name_are_ignored() -> None:
    assert load([{"variable": {"value": 1}}]) == load([])


def test_variable_with_only_a_default_takes_the_default() -> None:
    assert load([{"name": "v", "variable": {"default": "d"}}])["v"] == "d"
    with pytest.raises(ContextError, match="evaluated to nil"):
        load([{"name": "v", "variable": {}}])
