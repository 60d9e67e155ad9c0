from typing import Any

import pytest
from kyverno_validate.engine import load_policies
from relkit.errors import ConfigError

RULE = {
    "name": "r",
    "match": {"any": [{"resources": {"kinds": ["Service"]}}]},
    "validate": {"deny": {}},
}


def doc(spec: Any, metadata: Any = None, kind: str = "ClusterPolicy") -> dict[str, Any]:
    return {
        "apiVersion": "kyverno.io/v1",
        "kind": kind,
        "metadata": metadata or {"name": "p"},
        "spec": spec,
    }


@pytest.mark.parametrize(
    ("document", "message"),
    [
        pytest.param(doc({"rules": [RULE]}, metadata={"x": 1}), "metadata.name", id="no-name"),
        pytest.param(doc(None), "spec: a ClusterPolicy needs a spec", id="no-spec"),
        pytest.param(doc({"rules": []}), "spec.rules", id="no-rules"),
        pytest.param(
            doc({"rules": ["x"]}), r"spec.rules\[0\]: must be a mapping", id="rule-not-map"
        ),
        pytest.param(
            doc({"rules": [{**RULE, "name": ""}]}), r"spec.rules\[0\].name", id="rule-no-name"
        ),
        pytest.param(
            doc({"rules": [{**RULE, "match": None}]}), r"spec.rules\[0\].match", id="no-match"
        ),
        pytest.param(
            doc({"rules": [{**RULE, "mutate": {}}]}), "exactly one of", id="two-rule-types"
        ),
        pytest.param(
            doc({"rules": [{**RULE, "validate": {"message": "m"}}]}),
            "needs one of",
            id="empty-validate",
        ),
        pytest.param(
            doc({"rules": [{**RULE, "validate": {"anyPattern": {}}}]}),
            "anyPattern: must be a list",
            id="any-pattern",
        ),
        pytest.param(
            doc({"rules": [{**RULE, "validate": {"foreach": {}}}]}),
            "foreach: must be a list",
            id="foreach",
        ),
        pytest.param(
            doc({"rules": [{**RULE, "validate": "x"}]}),
            "validate: must be a mapping",
            id="validate-type",
        ),
        pytest.param(
            doc({"rules": [{**RULE, "match": {"any": {"resources": {}}}}]}),
            r"spec.rules\[0\].match.any: must be a list",
            id="match-any-not-list",
        ),
        pytest.param(
            doc({"rules": [{**RULE, "match": {"any": [{"resources": {"kinds": "Pod"}}]}}]}),
            r"match.any\[0\].resources.kinds: must be a list",
            id="kinds-not-list",
        ),
        pytest.param(
            doc({"rules": [{**RULE, "preconditions": {"all": [{"key": 1}]}}]}),
            r"preconditions.all\[0\]: a condition needs an operator",
            id="condition-without-operator",
        ),
        pytest.param(
            doc({"rules": [{**RULE, "validate": {"foreach": [{"list": 3, "deny": {}}]}}]}),
            r"validate.foreach\[0\].list: must be a string",
            id="foreach-list-type",
        ),
        pytest.param(
            doc(
                {
                    "rules": [
                        {
                            **RULE,
                            "validate": {
                                "podSecurity": {"level": "baseline", "exclude": [{"images": "x"}]}
                            },
                        }
                    ]
                }
            ),
            r"podSecurity.exclude\[0\].images: must be a list",
            id="pss-images-type",
        ),
        pytest.param(
            doc({"rules": [{**RULE, "validate": {"deny": {}, "allowExistingViolations": "yes"}}]}),
            "allowExistingViolations: must be true or false",
            id="bool-field",
        ),
        pytest.param(
            doc(
                {
                    "rules": [
                        {**RULE, "match": {"any": [{"subjects": [{"kind": "User", "name": 1}]}]}}
                    ]
                }
            ),
            r"match.any\[0\].subjects\[0\].name: must be a string",
            id="subject-name-type",
        ),
        pytest.param(
            doc({"rules": [RULE], "validationFailureAction": "Block"}),
            "validationFailureAction: must be Audit or Enforce",
            id="bad-action",
        ),
    ],
)
def test_malformed_policies_name_source_and_field(document: Any, message: str) -> None:
    with pytest.raises(ConfigError, match=f"^policies/p.yaml#0: .*{message}"):
        load_policies([("policies/p.yaml#0", document)])


def test_parses_actions_background_and_namespace() -> None:
    rule_enforce = {**RULE, "name": "e", "validate": {"deny": {}, "failureAction": "enforce"}}
    [policy] = load_policies(
        [
            ("a.yaml", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}),
            ("b.yaml", doc({"rules": [RULE, rule_enforce], "background": False}, kind="Policy")),
        ]
    )
    assert policy.namespace == "default"
    assert policy.background is False
    assert policy.validation_failure_action == "Audit"
    assert [r.action for r in policy.rules] == ["Audit", "Enforce"]
    assert policy.source == "b.yaml"


def test_selector_expressions_and_subjects_load() -> None:
    selector = {"matchExpressions": [{"key": "app", "operator": "In", "values": ["web", 1]}]}
    match = {
        "any": [
            {
                "resources": {"kinds": ["Pod"], "selector": selector},
                "subjects": [{"kind": "ServiceAccount", "name": "sa", "namespace": "ns"}],
            }
        ]
    }
    [policy] = load_policies([("p.yaml", doc({"rules": [{**RULE, "match": match}]}))])
    assert [rule.name for rule in policy.rules] == ["r"]
