"""Whatever a manifest holds, the engine answers with results, never an exception."""

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from kyverno_validate.engine import evaluate, load_policies
from kyverno_validate.engine.operators import OPERATORS
from kyverno_validate.engine.patterns import match_pattern
from relkit.errors import ConfigError

KEYS = [
    "spec", "metadata", "containers", "initContainers", "image", "name", "labels", "annotations",
    "securityContext", "capabilities", "add", "drop", "volumes", "hostPath", "ports", "hostPort",
    "sysctls", "template", "jobTemplate", "seccompProfile", "type", "x",
]  # fmt: skip
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(KEYS),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)
RULES: list[dict[str, Any]] = [
    {
        "name": "pattern",
        "validate": {"pattern": {"spec": {"containers": [{"(name)": "?*", "image": "!*:latest"}]}}},
    },
    {
        "name": "any-pattern",
        "validate": {
            "anyPattern": [{"metadata": {"labels": {"app": "?*"}}}, {"spec": {"=(hostPID)": False}}]
        },
    },
    {
        "name": "deny",
        "validate": {
            "deny": {
                "conditions": {
                    "any": [
                        {
                            "key": "{{ request.object.spec.containers[].image }}",
                            "operator": "AnyIn",
                            "value": ["*:latest"],
                        }
                    ]
                }
            }
        },
    },
    {
        "name": "foreach",
        "validate": {
            "foreach": [
                {
                    "list": "request.object.spec.containers",
                    "deny": {
                        "conditions": {
                            "all": [
                                {"key": "{{ element.name }}", "operator": "Equals", "value": "x"}
                            ]
                        }
                    },
                }
            ]
        },
    },
    {"name": "pss", "validate": {"podSecurity": {"level": "restricted", "version": "latest"}}},
]
POLICIES = load_policies(
    [
        (
            "p.yaml",
            {
                "apiVersion": "kyverno.io/v1",
                "kind": "ClusterPolicy",
                "metadata": {"name": "p"},
                "spec": {
                    "rules": [
                        {
                            **r,
                            "match": {"any": [{"resources": {"kinds": ["Pod", "Deployment"][:1]}}]},
                        }
                        for r in RULES
                    ]
                },
            },
        )
    ]
)


@settings(max_examples=150, deadline=None)
@given(kind=st.sampled_from(["Pod", "Deployment", "CronJob"]), metadata=JSON, spec=JSON)
def test_evaluate_never_raises(kind: str, metadata: Any, spec: Any) -> None:
    resource = {"apiVersion": "v1", "kind": kind, "metadata": metadata, "spec": spec}
    for result in evaluate(POLICIES, resource):
        assert result.result in {"pass", "fail", "skip", "error"}


PATTERN_KEYS = st.sampled_from(["a", "b", "(a)", "=(b)", "X(a)", "<(b)", "^(a)", "+(b)", "c*"])
PATTERN = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.sampled_from(["*", "?*", "!x", "a|b", ">1", "<=2Gi", "1-5", "1!-5", "1h", "x*"]),
    lambda children: (
        st.lists(children, max_size=2) | st.dictionaries(PATTERN_KEYS, children, max_size=3)
    ),
    max_leaves=12,
)
RESOURCE = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.sampled_from(["x", "a", "2Gi", "30m", ""]),
    lambda children: (
        st.lists(children, max_size=2)
        | st.dictionaries(st.sampled_from(["a", "b", "c1"]), children, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(resource=RESOURCE, pattern=PATTERN)
def test_patterns_never_raise(resource: Any, pattern: Any) -> None:
    error = match_pattern(resource, pattern)
    assert error is None or isinstance(error.skip, bool)


OPERAND = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["", "a", "a*", "1h", "2Gi", "1-5", "1!-5", "1.2.3", '["a"]', "[1", "5"]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=2), children, max_size=2)
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(sorted(OPERATORS)), key=OPERAND, value=OPERAND)
def test_operators_never_raise(name: str, key: Any, value: Any) -> None:
    assert OPERATORS[name](key, value) in (True, False)


RULE_PART = st.recursive(
    st.none() | st.booleans() | st.integers(-2, 2) | st.sampled_from(["Pod", "x", "{{ a }}", "*"]),
    lambda children: (
        st.lists(children, max_size=2)
        | st.dictionaries(
            st.sampled_from(
                [
                    "any",
                    "all",
                    "resources",
                    "kinds",
                    "names",
                    "selector",
                    "pattern",
                    "deny",
                    "conditions",
                    "foreach",
                    "list",
                    "name",
                ]
            ),
            children,
            max_size=3,
        )
    ),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(match=RULE_PART, exclude=RULE_PART, validate=RULE_PART)
def test_malformed_policies_are_config_errors(match: Any, exclude: Any, validate: Any) -> None:
    rule = {"name": "r", "match": match, "exclude": exclude, "validate": validate}
    doc = {
        "apiVersion": "kyverno.io/v1",
        "kind": "ClusterPolicy",
        "metadata": {"name": "p"},
        "spec": {"rules": [rule]},
    }
    try:
        policies = load_policies([("p.yaml", doc)])
    except ConfigError:
        return
    evaluate(policies, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}, "spec": {}})
