"""Whatever a manifest holds, the engine answers with results, never an exception."""

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from kyverno_validate.engine import evaluate, load_policies

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "spec",
                    "metadata",
                    "containers",
                    "image",
                    "name",
                    "labels",
                    "securityContext",
                    "x",
                ]
            ),
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
