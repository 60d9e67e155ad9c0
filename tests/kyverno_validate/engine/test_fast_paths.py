"""The fast paths give what the full evaluation gives: remembered kinds-only match results, and
pattern/anyPattern rules decided without a JSON context."""

import dataclasses
from typing import Any

import pytest
from kyverno_engine_cases import POD
from kyverno_validate.engine import EvaluationContext, evaluate, load_policies, matchcache, ruleplan
from kyverno_validate.engine.context import build_request
from kyverno_validate.engine.match import rule_matches
from kyverno_validate.engine.model import RuleResult, new_result

KINDS = {"any": [{"resources": {"kinds": ["Pod"]}}]}


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        pytest.param(None, True, id="no-block"),
        pytest.param(KINDS, True, id="any-kinds"),
        pytest.param({"all": [{"resources": {"kinds": ["v1/Pod"]}}]}, True, id="all-kinds"),
        pytest.param({"resources": {"kinds": ["Pod"]}}, True, id="bare-resources"),
        pytest.param(
            {"any": [{"resources": {"kinds": ["Pod"], "names": ["w*"]}}]}, False, id="names"
        ),
        pytest.param(
            {"any": [{"resources": {"kinds": ["Pod"]}, "subjects": []}]}, False, id="subjects"
        ),
        pytest.param({"resources": {"kinds": ["Pod"], "selector": {}}}, False, id="selector"),
        pytest.param({"roles": ["admin"]}, False, id="roles"),
        pytest.param({"any": ["Pod"]}, False, id="filter-not-mapping"),
        pytest.param({"any": [{"resources": ["Pod"]}]}, False, id="resources-not-mapping"),
        pytest.param({"any": {"resources": {"kinds": ["Pod"]}}}, False, id="any-not-list"),
        pytest.param(["Pod"], False, id="block-not-mapping"),
    ],
)
def test_kinds_only(block: Any, expected: bool) -> None:
    assert matchcache.kinds_only(block) is expected


REQUESTS = [
    ({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "labels": {"a": "b"}}}, None),
    ({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api"}}, None),
    ({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}}, None),
    ({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}}, {"userInfo": {}}),
]
BLOCKS = [
    (KINDS, None),
    (KINDS, {"any": [{"resources": {"kinds": ["v1/Pod"]}}]}),
    ({"any": [{"resources": {"kinds": ["Pod"], "names": ["w*"]}}]}, None),
    (
        {
            "any": [
                {
                    "resources": {
                        "kinds": ["Pod", "Deployment"],
                        "selector": {"matchLabels": {"a": "b"}},
                    }
                }
            ]
        },
        None,
    ),
    ({"any": [{"resources": {}}]}, None),  # matches nothing, unless userinfo is given
]


def _policy(name: str, match: Any, exclude: Any) -> dict[str, Any]:
    rule: dict[str, Any] = {"name": "r", "match": match, "validate": {"pattern": {"kind": "?*"}}}
    if exclude is not None:
        rule["exclude"] = exclude
    return {
        "apiVersion": "kyverno.io/v1",
        "kind": "ClusterPolicy",
        "metadata": {"name": name},
        "spec": {"rules": [rule]},
    }


@pytest.mark.parametrize(("match", "exclude"), BLOCKS)
def test_planned_match_is_rule_matches(match: Any, exclude: Any) -> None:
    # kinds-only blocks are matched once per kind key by the plan, the others per resource
    policies = load_policies([("p.yaml", _policy("p", match, exclude))])
    for _ in range(2):  # planned, then reused
        for resource, userinfo in REQUESTS:
            context = EvaluationContext(userinfo=userinfo)
            expected = rule_matches(match, exclude, build_request(resource, context))
            results = evaluate(policies, resource, context)
            assert any(r.rule == "r" for r in results) is expected  # (not its autogen rules)


def test_plans_are_kept_per_policy_list(monkeypatch: pytest.MonkeyPatch) -> None:
    pod = REQUESTS[0][0]
    one = load_policies([("p.yaml", _policy("p", KINDS, None))])
    other = load_policies([("q.yaml", _policy("q", KINDS, {"resources": {"kinds": ["Pod"]}}))])
    assert [r.policy for r in evaluate(one, pod)] == ["p"]
    assert evaluate(other, pod) == []
    monkeypatch.setattr(ruleplan, "_PLANS", {str(n): None for n in range(17)})  # full
    assert [r.policy for r in evaluate(one, pod)] == ["p"]
    assert len(ruleplan._PLANS) == 1


RULES = [
    {"validate": {"pattern": {"metadata": {"labels": {"app": "web"}}}}},
    {"validate": {"pattern": {"spec": {"containers": [{"image": "!*:latest"}]}}}},
    {
        "validate": {
            "message": "no latest",
            "pattern": {"spec": {"containers": [{"image": "!*:latest"}]}},
        }
    },
    {
        "validate": {
            "message": "{{ request.object.metadata.name }} uses latest",
            "pattern": {"spec": {"containers": [{"image": "!*:latest"}]}},
        }
    },
    {"validate": {"message": "", "pattern": {"metadata": {"labels": {"team": "?*"}}}}},
    {"validate": {"pattern": {"spec": {"(hostNetwork)": True, "containers": [{"image": "x"}]}}}},
    {
        "validate": {
            "allowExistingViolations": True,
            "pattern": {"metadata": {"labels": {"team": "?*"}}},
        }
    },
    {
        "validate": {
            "pattern": {"metadata": {"labels": {"team": "?*"}}},
            "anyPattern": [{"metadata": {"name": "{{ x }}"}}],
        }
    },
    {
        "validate": {
            "message": "m",
            "anyPattern": [{"metadata": {"labels": {"x": "?*"}}}, {"metadata": {"name": "web"}}],
        }
    },
    {
        "validate": {
            "message": "m",
            "anyPattern": [{"metadata": {"labels": {"x": "?*"}}}, {"metadata": {"name": "x"}}],
        }
    },
    {
        "validate": {
            "anyPattern": [{"metadata": {"labels": {"x": "?*"}}}, {"metadata": {"name": "x"}}]
        }
    },
    {
        "validate": {
            "message": "{{ request.operation }}",
            "anyPattern": [{"metadata": {"name": "x"}}],
        }
    },
    {"validate": {"allowExistingViolations": True, "anyPattern": [{"metadata": {"name": "x"}}]}},
    {"validate": {"anyPattern": [{"spec": {"(hostNetwork)": True, "x": 1}}]}},
    {"validate": {"message": "m", "deny": {}, "anyPattern": [{"metadata": {"name": "x"}}]}},
    # a pattern that is not a map or a list: matched by the interpreter
    {"validate": {"message": "m", "pattern": "*"}},
    {"validate": {"message": "m", "pattern": 1}},
    {"validate": {"pattern": {"spec": {"containers": [{"name": "x"}], "=(x)": {"y": 1}}}}},
]


def _results(
    rule: dict[str, Any], values: dict[str, Any], operation: str, match: Any = KINDS
) -> list[Any]:
    doc = {
        "apiVersion": "kyverno.io/v1",
        "kind": "ClusterPolicy",
        "metadata": {"name": "p"},
        "spec": {
            "validationFailureAction": "Enforce",
            "rules": [{"name": "r", "match": match, **rule}],
        },
    }
    policies = load_policies([("p.yaml", doc)])
    context = EvaluationContext(operation=operation, values=values)
    return evaluate(policies, POD, context)


# a block matched per resource (names) takes the fast path inside _Run.rule, not in evaluate
NAMED = {"any": [{"resources": {"kinds": ["Pod"], "names": ["w*"]}}]}


@pytest.mark.parametrize("match", [KINDS, NAMED], ids=["kinds-only", "named"])
@pytest.mark.parametrize("operation", ["CREATE", "UPDATE", "DELETE"])
@pytest.mark.parametrize("rule", RULES)
def test_fast_paths_answer_as_the_full_evaluation(
    rule: dict[str, Any], operation: str, match: Any
) -> None:
    # a value the rule never reads takes the full evaluation (rule values need the JSON context)
    slow = _results(rule, {"globalValues": {"unused": "1"}}, operation, match)
    assert _results(rule, {}, operation, match) == slow


def test_new_result_is_the_dataclass() -> None:
    made = new_result("p", "r", "Pod", "web", "ns", "fail", "m", "Audit", "spec.x")
    expected = RuleResult("p", "r", "Pod", "web", "ns", "fail", "m", "Audit", "spec.x")
    assert made == expected
    assert hash(made) == hash(expected)
    assert repr(made) == repr(expected)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.result = "pass"  # type: ignore[misc]
