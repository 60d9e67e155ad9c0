import pytest
from kyverno_validate.engine.operators import OPERATORS, lookup_operator


@pytest.mark.parametrize(
    ("operator", "key", "value", "expected"),
    [
        pytest.param("Equals", "abc", "abc", True, id="equals-string"),
        pytest.param("Equals", "abc", "a*", True, id="equals-wildcard-value"),
        pytest.param("Equals", "a*", "abc", False, id="equals-wildcard-key-literal"),
        pytest.param("Equals", 3, "3", True, id="equals-int-string"),
        pytest.param("Equals", 3.0, 3, True, id="equals-float-int"),
        pytest.param("Equals", True, True, True, id="equals-bool"),
        pytest.param("Equals", True, "true", False, id="equals-bool-string"),
        pytest.param("Equals", "1h", "60m", True, id="equals-duration"),
        pytest.param("Equals", "1Gi", "1024Mi", True, id="equals-quantity"),
        pytest.param("Equals", {"a": 1}, {"a": 1}, True, id="equals-map"),
        pytest.param("Equals", [1, 2], [1, 2], True, id="equals-list"),
        pytest.param("Equals", None, None, False, id="equals-nil"),
        pytest.param("NotEquals", "abc", "abd", True, id="not-equals"),
        pytest.param("NotEquals", "abc", "abc", False, id="not-equals-same"),
        pytest.param("AnyIn", "b", ["a", "b"], True, id="anyin-scalar"),
        pytest.param("AnyIn", ["x", "b"], ["a", "b"], True, id="anyin-list"),
        pytest.param("AnyIn", ["x", "y"], ["a", "b"], False, id="anyin-list-miss"),
        pytest.param("AnyIn", "b", '["a", "b"]', True, id="anyin-json-string"),
        pytest.param("AnyIn", ["ab"], ["a*"], True, id="anyin-wildcard"),
        pytest.param("AnyIn", 5, "1-10", True, id="anyin-range"),
        pytest.param("AnyIn", None, ["a"], False, id="anyin-nil-key"),
        pytest.param("AllIn", ["a", "b"], ["a", "b", "c"], True, id="allin"),
        pytest.param("AllIn", ["a", "z"], ["a", "b", "c"], False, id="allin-miss"),
        pytest.param("AnyNotIn", ["a", "z"], ["a", "b"], True, id="anynotin"),
        pytest.param("AnyNotIn", ["a"], ["a", "b"], False, id="anynotin-all-in"),
        pytest.param("AnyNotIn", "requests", "", True, id="anynotin-empty-string"),
        pytest.param("AllNotIn", ["x", "y"], ["a", "b"], True, id="allnotin"),
        pytest.param("AllNotIn", ["x", "a"], ["a", "b"], False, id="allnotin-one-in"),
        pytest.param("In", "a", ["a", "b"], True, id="legacy-in"),
        pytest.param("In", ["a", "b"], ["a", "b", "c"], True, id="legacy-in-subset"),
        pytest.param("NotIn", "z", ["a", "b"], True, id="legacy-notin"),
        pytest.param("NotIn", ["a", "z"], ["a", "b"], True, id="legacy-notin-subset"),
        pytest.param("GreaterThan", 5, 3, True, id="gt-int"),
        pytest.param("GreaterThan", "5", 3, True, id="gt-string-key"),
        pytest.param("GreaterThan", "2Gi", "1Gi", True, id="gt-quantity"),
        pytest.param("GreaterThanOrEquals", 3, "3", True, id="ge-string-value"),
        pytest.param("LessThan", "1h", "2h", True, id="lt-duration"),
        pytest.param("LessThan", "1.2.3", "1.10.0", True, id="lt-semver"),
        pytest.param("LessThanOrEquals", 3, 2, False, id="le"),
        pytest.param("GreaterThan", "abc", 1, False, id="gt-unparsable"),
        pytest.param("DurationGreaterThan", "2h", "1h", True, id="duration-gt"),
        pytest.param("DurationLessThan", 30, "1m", True, id="duration-seconds"),
        pytest.param("DurationGreaterThanOrEquals", "x", "1h", False, id="duration-bad"),
    ],
)
def test_operators(operator: str, key: object, value: object, expected: bool) -> None:
    assert OPERATORS[operator](key, value) is expected


def test_lookup_is_case_insensitive() -> None:
    assert lookup_operator("anyin") is OPERATORS["AnyIn"]
    assert lookup_operator("Nope") is None
