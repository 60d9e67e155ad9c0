from typing import Any

import pytest
from kyverno_validate.engine.context import build_request
from kyverno_validate.engine.match import rule_matches
from kyverno_validate.engine.model import EvaluationContext

DEPLOY = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {
        "name": "web-1",
        "namespace": "prod",
        "labels": {"app": "web"},
        "annotations": {"team": "a"},
    },
}
CTX = EvaluationContext(
    namespace_labels={"prod": {"env": "production"}},
    userinfo={
        "userInfo": {"username": "alice", "groups": ["devs"]},
        "clusterRoles": ["cluster-admin"],
        "roles": ["prod:editor"],
    },
)


def res(**kw: Any) -> dict[str, Any]:
    return {"any": [{"resources": kw}]}


@pytest.mark.parametrize(
    ("match", "exclude", "expected"),
    [
        pytest.param(res(kinds=["Deployment"]), None, True, id="kind"),
        pytest.param(res(kinds=["Pod"]), None, False, id="other-kind"),
        pytest.param(res(kinds=["apps/v1/Deployment"]), None, True, id="group-version-kind"),
        pytest.param(res(kinds=["batch/v1/Deployment"]), None, False, id="wrong-group"),
        pytest.param(res(kinds=["v1/Deployment"]), None, True, id="version-kind"),
        pytest.param(res(kinds=["*"]), None, True, id="wildcard-kind"),
        pytest.param(res(kinds=["Deployment/scale"]), None, False, id="subresource"),
        pytest.param(res(kinds=["Deployment"], names=["web-*"]), None, True, id="names"),
        pytest.param(res(kinds=["Deployment"], name="api"), None, False, id="name"),
        pytest.param(res(namespaces=["pr?d"]), None, True, id="namespaces"),
        pytest.param(res(selector={"matchLabels": {"app": "web"}}), None, True, id="selector"),
        pytest.param(
            res(
                selector={
                    "matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["web"]}]
                }
            ),
            None,
            False,
            id="selector-expression",
        ),
        pytest.param(
            res(selector={"matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}),
            None,
            True,
            id="selector-does-not-exist",
        ),
        pytest.param(
            res(namespaceSelector={"matchLabels": {"env": "prod*"}}), None, True, id="ns-selector"
        ),
        pytest.param(res(annotations={"team": "?"}), None, True, id="annotations"),
        pytest.param(res(operations=["UPDATE"]), None, False, id="operations"),
        pytest.param(
            {"all": [{"resources": {"kinds": ["Deployment"]}}, {"resources": {"names": ["x"]}}]},
            None,
            False,
            id="all",
        ),
        pytest.param({"resources": {"kinds": ["Deployment"]}}, None, True, id="legacy-match"),
        pytest.param(res(kinds=["Deployment"]), res(namespaces=["prod"]), False, id="excluded"),
        pytest.param(res(kinds=["Deployment"]), res(namespaces=["dev"]), True, id="not-excluded"),
        pytest.param(
            res(kinds=["Deployment"]),
            {"any": [{"clusterRoles": ["cluster-admin"]}]},
            False,
            id="cluster-role",
        ),
        pytest.param(
            res(kinds=["Deployment"]),
            {"any": [{"subjects": [{"kind": "Group", "name": "devs"}]}]},
            False,
            id="subject-group",
        ),
        pytest.param(
            res(kinds=["Deployment"]),
            {"any": [{"subjects": [{"kind": "User", "name": "bob"}]}]},
            True,
            id="subject-user-miss",
        ),
        pytest.param(
            res(kinds=["Deployment"]), {"any": [{"roles": ["prod:editor"]}]}, False, id="role"
        ),
    ],
)
def test_rule_matches(match: Any, exclude: Any, expected: bool) -> None:
    assert rule_matches(match, exclude, build_request(DEPLOY, CTX)) is expected


def test_namespace_kind_uses_its_name() -> None:
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "prod"}}
    assert rule_matches(res(namespaces=["prod"]), None, build_request(namespace, CTX))


@pytest.mark.parametrize(
    ("subjects", "expected"),
    [
        pytest.param([{"kind": "ServiceAccount", "name": "sa", "namespace": "ns"}], True, id="sa"),
        pytest.param(
            [{"kind": "ServiceAccount", "name": "sa", "namespace": "other"}],
            False,
            id="sa-other-namespace",
        ),
        pytest.param(
            [
                {"kind": "ServiceAccount", "name": "x", "namespace": "ns"},
                {"kind": "ServiceAccount", "name": "sa", "namespace": "ns"},
            ],
            True,
            id="second-subject",
        ),
    ],
)
def test_service_account_subject(subjects: list[dict[str, str]], expected: bool) -> None:
    ctx = EvaluationContext(userinfo={"userInfo": {"username": "system:serviceaccount:ns:sa"}})
    match = {"any": [{"subjects": subjects}]}
    assert rule_matches(match, None, build_request(DEPLOY, ctx)) is expected


@pytest.mark.parametrize(
    ("match", "expected"),
    [
        pytest.param(res(kinds=["apps/v1/Deployment/status"]), False, id="four-part-kind"),
        pytest.param(res(kinds=["v1/Deployment/status"]), False, id="three-part-subresource"),
        pytest.param(res(selector={"matchLabels": {"ap*": "w*"}}), True, id="selector-wildcards"),
        pytest.param(
            res(selector={"matchLabels": {"ap*": "x*"}}), False, id="selector-wildcards-miss"
        ),
        pytest.param(
            res(selector={"matchLabels": {"tier": "web"}}), False, id="selector-missing-label"
        ),
        pytest.param(
            res(
                selector={"matchExpressions": [{"key": "app", "operator": "In", "values": ["api"]}]}
            ),
            False,
            id="selector-in-miss",
        ),
        pytest.param(
            res(selector={"matchExpressions": [{"key": "tier", "operator": "Exists"}]}),
            False,
            id="selector-exists-miss",
        ),
        pytest.param(
            res(selector={"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}),
            False,
            id="selector-does-not-exist-miss",
        ),
        pytest.param(res(annotations={"team": "b"}), False, id="annotations-miss"),
        pytest.param(
            res(namespaceSelector={"matchLabels": {"env": "dev"}}), False, id="ns-selector-miss"
        ),
        pytest.param({}, True, id="empty-match"),
        pytest.param({"any": [{"subjects": [{"kind": "User", "name": "alice"}]}]}, True, id="user"),
        pytest.param(
            {"any": [{"subjects": [{"kind": "Other", "name": "x"}]}]}, False, id="other-subject"
        ),
    ],
)
def test_more_matching(match: Any, expected: bool) -> None:
    assert rule_matches(match, None, build_request(DEPLOY, CTX)) is expected


def test_namespace_selector_on_namespaces_and_cluster_objects() -> None:
    namespace = {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": "n", "labels": {"env": "x"}},
    }
    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node"}}
    selector = res(namespaceSelector={"matchLabels": {"env": "x"}})
    assert rule_matches(selector, None, build_request(namespace, CTX))
    assert not rule_matches(selector, None, build_request(node, CTX))
