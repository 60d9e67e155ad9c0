import pytest
from kyverno_validate.engine.valuepattern import operator_of, validate_value


@pytest.mark.parametrize(
    ("value", "pattern", "expected"),
    [
        pytest.param("nginx:1.2", "nginx:*", True, id="wildcard-star"),
        pytest.param("nginx:latest", "!*:latest", False, id="negated-wildcard"),
        pytest.param("nginx:1.2", "!*:latest", True, id="negated-wildcard-pass"),
        pytest.param("abc", "a?c", True, id="wildcard-question"),
        pytest.param("", "?*", False, id="non-empty-required"),
        pytest.param(None, "?*", False, id="missing-vs-non-empty"),
        pytest.param("x", "a | x", True, id="or"),
        pytest.param("y", "a | x", False, id="or-miss"),
        pytest.param(5, ">1 & <10", True, id="and"),
        pytest.param(15, ">1 & <10", False, id="and-miss"),
        pytest.param("2Gi", "<=4Gi", True, id="quantity-le"),
        pytest.param("500m", "<1", True, id="quantity-milli"),
        pytest.param("1024Mi", "1Gi", True, id="quantity-equal"),
        pytest.param("2h", ">1h", True, id="duration-gt"),
        pytest.param("30m", ">1h", False, id="duration-gt-miss"),
        pytest.param(5, "1-10", True, id="range"),
        pytest.param(11, "1-10", False, id="range-out"),
        pytest.param(11, "1!-10", True, id="not-range"),
        pytest.param(5, "1!-10", False, id="not-range-in"),
        pytest.param(True, True, True, id="bool"),
        pytest.param("true", True, False, id="bool-vs-string"),
        pytest.param(3, 3, True, id="int"),
        pytest.param(3.0, 3, True, id="float-vs-int"),
        pytest.param("3", 3, True, id="string-vs-int"),
        pytest.param(3, 3.5, False, id="int-vs-fraction"),
        pytest.param(None, None, True, id="null-null"),
        pytest.param("", None, True, id="empty-vs-null"),
        pytest.param(0, None, True, id="zero-vs-null"),
        pytest.param({}, None, False, id="map-vs-null"),
        pytest.param({"a": 1}, {"b": 2}, True, id="map-vs-map-leaf"),
        pytest.param(1, [1], False, id="array-pattern"),
        pytest.param(True, "true", True, id="bool-as-string"),
        pytest.param(1.5, "1.5E+00", True, id="float-as-string"),
        pytest.param(8080, "!8080", False, id="int-not-equal"),
    ],
)
def test_validate_value(value: object, pattern: object, expected: bool) -> None:
    assert validate_value(value, pattern) is expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        pytest.param(">=5", ">=", id="ge"),
        pytest.param("<=5", "<=", id="le"),
        pytest.param(">5", ">", id="gt"),
        pytest.param("<5", "<", id="lt"),
        pytest.param("!x", "!", id="not"),
        pytest.param("1-5", "-", id="range"),
        pytest.param("1!-5", "!-", id="not-range"),
        pytest.param("x", "", id="short"),
        pytest.param("abc", "", id="equal"),
    ],
)
def test_operator_of(pattern: str, expected: str) -> None:
    assert operator_of(pattern) == expected
