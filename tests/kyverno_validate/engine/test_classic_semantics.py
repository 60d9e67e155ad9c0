"""Classic engine semantics beyond the public suites: operations, subresources, userinfo,
scoring, autogen versions (cases after kyverno/kyverno ``test/cli`` and ``*_test.go``)."""

from typing import Any

import pytest
from kyverno_engine_cases import POD, result_of, run
from kyverno_validate.engine import EvaluationContext, evaluate, load_policies


def policy(
    rules: list[dict[str, Any]], annotations: dict[str, str] | None = None
) -> dict[str, Any]:
    return {
        "apiVersion": "kyverno.io/v1",
        "kind": "ClusterPolicy",
        "metadata": {"name": "p", "annotations": annotations or {}},
        "spec": {"validationFailureAction": "Audit", "rules": rules},
    }


def results(doc: dict[str, Any], resource: dict[str, Any], **ctx: Any) -> list[tuple[str, str]]:
    policies = load_policies([("p.yaml", doc)])
    return [(r.rule, r.result) for r in evaluate(policies, resource, EvaluationContext(**ctx))]


REPLICAS = {
    "name": "replicas",
    "match": {"all": [{"resources": {"kinds": ["Deployment/scale"], "names": ["web"]}}]},
    "validate": {"message": "two replicas", "pattern": {"spec": {"replicas": 2}}},
}
SCALE = {
    "apiVersion": "autoscaling/v1",
    "kind": "Scale",
    "metadata": {"name": "web", "namespace": "default"},
    "spec": {"replicas": 4},
}
SUBRESOURCES = {
    "subresources": [
        {
            "subresource": {
                "name": "deployments/scale",
                "kind": "Scale",
                "group": "autoscaling",
                "version": "v1",
            },
            "parentResource": {
                "name": "deployments",
                "kind": "Deployment",
                "group": "apps",
                "version": "v1",
            },
        }
    ]
}


def test_scale_subresource_matches_kind_slash_subresource() -> None:
    assert results(policy([REPLICAS]), SCALE, values=SUBRESOURCES) == [("replicas", "fail")]
    # without the mapping a Scale object is not a deployments/scale request
    assert results(policy([REPLICAS]), SCALE) == []


@pytest.mark.parametrize(
    ("kinds", "matches"),
    [
        pytest.param(["Deployment/scale"], True, id="kind-subresource"),
        pytest.param(["apps/v1/Deployment/scale"], True, id="gvk-subresource"),
        pytest.param(["Deployment/*"], True, id="wildcard-subresource"),
        pytest.param(["Scale"], True, id="subresource-kind"),
        pytest.param(["Deployment"], False, id="parent-kind-only"),
        pytest.param(["Deployment/status"], False, id="other-subresource"),
    ],
)
def test_subresource_kind_selectors(kinds: list[str], matches: bool) -> None:
    rule = {**REPLICAS, "match": {"any": [{"resources": {"kinds": kinds}}]}}
    found = results(policy([rule]), SCALE, values=SUBRESOURCES)
    assert found == ([("replicas", "fail")] if matches else [])


def test_scored_false_reports_failures_as_warn() -> None:
    rule = {
        "name": "r",
        "match": {"any": [{"resources": {"kinds": ["Pod"]}}]},
        "validate": {"pattern": {"metadata": {"labels": {"team": "?*"}}}},
    }
    annotations = {
        "policies.kyverno.io/scored": "false",
        "pod-policies.kyverno.io/autogen-controllers": "none",
    }
    assert results(policy([rule], annotations), POD) == [("r", "warn")]
    annotations["policies.kyverno.io/scored"] = "true"
    assert results(policy([rule], annotations), POD) == [("r", "fail")]


def test_delete_rewrites_request_object_in_every_variable() -> None:
    rule = {
        "validate": {
            "message": "{{ request.object.metadata.name }} may not be deleted",
            "deny": {
                "conditions": {
                    "any": [
                        {
                            "key": "{{ request.object.metadata.labels.app }}",
                            "operator": "Equals",
                            "value": "web",
                        }
                    ]
                }
            },
        }
    }
    values = {"globalValues": {"request.operation": "DELETE"}}
    assert run(rule, values=values) == [("fail", "web may not be deleted")]


USER_RULE = {
    "match": {
        "any": [
            {
                "resources": {"kinds": ["Pod"]},
                "clusterRoles": ["cluster-admin"],
                "subjects": [{"kind": "User", "name": "alice"}],
            }
        ]
    },
    "validate": {"deny": {}},
}


@pytest.mark.parametrize(
    ("userinfo", "matches"),
    [
        pytest.param(None, True, id="no-request-info-ignores-userinfo"),
        pytest.param(
            {"clusterRoles": ["cluster-admin"], "userInfo": {"username": "alice"}},
            True,
            id="all-criteria-hold",
        ),
        pytest.param(
            {"clusterRoles": ["view"], "userInfo": {"username": "alice"}},
            False,
            id="cluster-role-missing",
        ),
        pytest.param(
            {"clusterRoles": ["cluster-admin"], "userInfo": {"username": "bob"}},
            False,
            id="subject-missing",
        ),
    ],
)
def test_match_userinfo_criteria_all_hold(userinfo: Any, matches: bool) -> None:
    rule = {"match": USER_RULE["match"], "validate": USER_RULE["validate"]}
    assert [r for r, _ in run(rule, userinfo=userinfo)] == (["fail"] if matches else [])


@pytest.mark.parametrize(
    ("subject", "username", "groups", "matches"),
    [
        pytest.param(
            {"kind": "ServiceAccount", "name": "ci", "namespace": "build"},
            "system:serviceaccount:build:ci",
            [],
            True,
            id="service-account",
        ),
        pytest.param(
            {"kind": "ServiceAccount", "name": "ci", "namespace": "other"},
            "system:serviceaccount:build:ci",
            [],
            False,
            id="service-account-other-namespace",
        ),
        pytest.param({"kind": "Group", "name": "dev*"}, "x", ["devs"], True, id="group-wildcard"),
        pytest.param({"kind": "User", "name": "alice"}, "x", ["alice"], True, id="user-in-groups"),
        pytest.param({"kind": "Group", "name": "ops"}, "x", ["devs"], False, id="no-group"),
    ],
)
def test_exclude_subjects(
    subject: dict[str, str], username: str, groups: list[str], matches: bool
) -> None:
    rule = {
        "exclude": {"any": [{"subjects": [subject]}]},
        "validate": {"deny": {}},
    }
    userinfo = {"userInfo": {"username": username, "groups": groups}}
    assert [r for r, _ in run(rule, userinfo=userinfo)] == ([] if matches else ["fail"])


def test_namespace_selector_does_not_apply_to_namespaces() -> None:
    rule = {
        "match": {
            "any": [
                {
                    "resources": {
                        "kinds": ["Namespace"],
                        "namespaceSelector": {"matchLabels": {"env": "prod"}},
                    }
                }
            ]
        },
        "validate": {"deny": {}},
    }
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}}
    assert result_of(rule, namespace) == "fail"


@pytest.mark.parametrize("api_version", ["batch/v1", "batch/v1beta1"])
def test_autogen_cronjob_rule_for_every_served_version(api_version: str) -> None:
    rule = {
        "name": "r",
        "match": {"any": [{"resources": {"kinds": ["Pod"]}}]},
        "validate": {"pattern": {"spec": {"containers": [{"image": "!*:latest"}]}}},
    }
    cronjob = {
        "apiVersion": api_version,
        "kind": "CronJob",
        "metadata": {"name": "nightly"},
        "spec": {
            "schedule": "@daily",
            "jobTemplate": {
                "spec": {"template": {"spec": {"containers": [{"image": "busybox:latest"}]}}}
            },
        },
    }
    assert results(policy([rule]), cronjob) == [("autogen-cronjob-r", "fail")]


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        pytest.param("Pod", ("*", "*", "Pod", ""), id="kind"),
        pytest.param("v1/Pod", ("*", "v1", "Pod", ""), id="version-kind"),
        pytest.param("Pod/exec", ("*", "*", "Pod", "exec"), id="kind-subresource"),
        pytest.param("*/*", ("*", "*", "*", "*"), id="everything"),
        pytest.param("*/scale", ("*", "*", "*", "scale"), id="any-kind-subresource"),
        pytest.param("*/Pod", ("*", "*", "Pod", ""), id="any-version"),
        pytest.param("apps/v1/Deployment", ("apps", "v1", "Deployment", ""), id="gvk"),
        pytest.param("v1/Pod/exec", ("*", "v1", "Pod", "exec"), id="version-kind-subresource"),
        pytest.param("*/*/*", ("*", "*", "*", "*"), id="everything-three"),
        pytest.param("apps/v1/Deployment/scale", ("apps", "v1", "Deployment", "scale"), id="full"),
    ],
)
def test_kind_selectors_parse_like_kyverno(selector: str, expected: tuple[str, ...]) -> None:
    from kyverno_validate.engine.match import _parse_kind  # noqa: PLC0415

    assert _parse_kind(selector) == expected


def test_malformed_subresource_entries_and_subjects_are_ignored() -> None:
    values = {"subresources": ["junk", *SUBRESOURCES["subresources"]]}
    assert results(policy([REPLICAS]), SCALE, values=values) == [("replicas", "fail")]
    from kyverno_validate.engine.context import build_request  # noqa: PLC0415
    from kyverno_validate.engine.match import subjects_match  # noqa: PLC0415

    request = build_request(POD, EvaluationContext(userinfo={"userInfo": {"username": "a"}}))
    assert subjects_match(["junk", {"kind": "User", "name": "a"}], request) is True


@pytest.mark.parametrize(("roles", "matches"), [(["prod:dev"], True), (["prod:ops"], False)])
def test_match_roles_of_the_request(roles: list[str], matches: bool) -> None:
    rule = {
        "match": {"any": [{"resources": {"kinds": ["Pod"]}, "roles": ["prod:dev"]}]},
        "validate": {"deny": {}},
    }
    found = run(rule, userinfo={"roles": roles, "userInfo": {"username": "a"}})
    assert [r for r, _ in found] == (["fail"] if matches else [])


def test_match_without_request_info_needs_resources() -> None:
    rule = {"match": {"any": [{"clusterRoles": ["admin"]}]}, "validate": {"deny": {}}}
    assert run(rule) == []


@pytest.mark.parametrize(("on_job_template", "failed"), [(True, True), (False, False)])
def test_pod_security_reads_a_cronjob_metadata_from_its_job_template(
    on_job_template: bool, failed: bool
) -> None:
    from kyverno_validate.engine.pss import evaluate_pod_security  # noqa: PLC0415

    annotations = {"container.apparmor.security.beta.kubernetes.io/c": "unconfined"}
    template: dict[str, Any] = {"spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    job: dict[str, Any] = {"spec": {"template": template}}
    if on_job_template:
        job["metadata"] = {"annotations": annotations}
    else:
        template["metadata"] = {"annotations": annotations}
    cron = {"kind": "CronJob", "spec": {"jobTemplate": job}}
    assert evaluate_pod_security({"level": "baseline", "version": "v1.29"}, cron)[0] is failed
