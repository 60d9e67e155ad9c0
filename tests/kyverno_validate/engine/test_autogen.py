from typing import Any

import pytest
from kyverno_validate.engine import load_policies

POD_RULE = {
    "name": "check-image",
    "match": {"any": [{"resources": {"kinds": ["Pod"]}}]},
    "validate": {
        "message": "no latest in {{ request.object.metadata.name }}",
        "pattern": {"spec": {"containers": [{"image": "!*:latest"}]}},
    },
}


def policy(rules: list[Any], annotations: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "apiVersion": "kyverno.io/v1",
        "kind": "ClusterPolicy",
        "metadata": {"name": "p", "annotations": annotations or {}},
        "spec": {"rules": rules},
    }


def rule_names(doc: dict[str, Any]) -> list[str]:
    return [r.name for r in load_policies([("p.yaml", doc)])[0].rules]


@pytest.mark.parametrize(
    ("rules", "annotations", "expected"),
    [
        pytest.param(
            [POD_RULE],
            None,
            ["check-image", "autogen-check-image", "autogen-cronjob-check-image"],
            id="default",
        ),
        pytest.param(
            [POD_RULE],
            {"pod-policies.kyverno.io/autogen-controllers": "none"},
            ["check-image"],
            id="disabled",
        ),
        pytest.param(
            [POD_RULE],
            {"pod-policies.kyverno.io/autogen-controllers": "Deployment"},
            ["check-image", "autogen-check-image"],
            id="subset",
        ),
        pytest.param(
            [POD_RULE],
            {"pod-policies.kyverno.io/autogen-controllers": "CronJob"},
            ["check-image", "autogen-cronjob-check-image"],
            id="cronjob-only",
        ),
        pytest.param(
            [{**POD_RULE, "match": {"any": [{"resources": {"kinds": ["Pod", "Deployment"]}}]}}],
            None,
            ["check-image"],
            id="mixed-kinds",
        ),
        pytest.param(
            [{**POD_RULE, "match": {"any": [{"resources": {"kinds": ["Pod"], "names": ["x"]}}]}}],
            None,
            ["check-image"],
            id="names-disable",
        ),
        pytest.param(
            [{**POD_RULE, "match": {"any": [{"resources": {"kinds": ["Service"]}}]}}],
            None,
            ["check-image"],
            id="not-pod",
        ),
    ],
)
def test_autogen_rule_names(
    rules: list[Any], annotations: dict[str, str] | None, expected: list[str]
) -> None:
    assert rule_names(policy(rules, annotations)) == expected


def test_autogen_rewrites_pattern_and_variables() -> None:
    rules = {r.name: r for r in load_policies([("p.yaml", policy([POD_RULE]))])[0].rules}
    deploy = rules["autogen-check-image"].raw
    assert deploy["validate"]["pattern"] == {"spec": {"template": POD_RULE["validate"]["pattern"]}}
    assert "request.object.spec.template.metadata.name" in deploy["validate"]["message"]
    assert "CronJob" not in deploy["match"]["any"][0]["resources"]["kinds"]
    cron = rules["autogen-cronjob-check-image"].raw
    assert cron["validate"]["pattern"]["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert cron["match"]["any"][0]["resources"]["kinds"] == ["CronJob"]
    assert (
        "request.object.spec.jobTemplate.spec.template.metadata.name" in cron["validate"]["message"]
    )


def test_long_names_are_truncated() -> None:
    long_rule = {**POD_RULE, "name": "x" * 70}
    names = rule_names(policy([long_rule]))
    assert all(len(n) <= 63 for n in names[1:])
