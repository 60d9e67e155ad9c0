from fractions import Fraction

import pytest
from kyverno_validate.engine import wildcard
from kyverno_validate.engine.gotypes import format_float, parse_float, sprint, to_json_text
from kyverno_validate.engine.quantity import parse_duration, parse_quantity


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("1", Fraction(1), id="plain"),
        pytest.param("500m", Fraction(1, 2), id="milli"),
        pytest.param("1Ki", Fraction(1024), id="binary"),
        pytest.param("2G", Fraction(2 * 10**9), id="decimal"),
        pytest.param("1e3", Fraction(1000), id="exponent"),
        pytest.param("-1.5", Fraction(-3, 2), id="negative"),
        pytest.param("abc", None, id="invalid"),
        pytest.param("", None, id="empty"),
        pytest.param("1Gb", None, id="bad-suffix"),
    ],
)
def test_parse_quantity(text: str, expected: Fraction | None) -> None:
    assert parse_quantity(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("1h30m", Fraction(5400), id="compound"),
        pytest.param("-5s", Fraction(-5), id="negative"),
        pytest.param("0", Fraction(0), id="zero"),
        pytest.param("1.5h", Fraction(5400), id="fraction"),
        pytest.param("100ms", Fraction(1, 10), id="millis"),
        pytest.param("5", None, id="missing-unit"),
        pytest.param("", None, id="empty"),
        pytest.param("1d", None, id="days-unsupported"),
        pytest.param("-", None, id="sign-only"),
        pytest.param("+0", Fraction(0), id="signed-zero"),
    ],
)
def test_parse_duration(text: str, expected: Fraction | None) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        pytest.param("*", "anything", True, id="star"),
        pytest.param("a*c", "abbbc", True, id="middle"),
        pytest.param("a?c", "abc", True, id="question"),
        pytest.param("a?c", "abbc", False, id="question-one-char"),
        pytest.param("a.c", "abc", False, id="dot-is-literal"),
        pytest.param("abc", "abc", True, id="exact"),
        pytest.param("abc", "abd", False, id="exact-miss"),
    ],
)
def test_wildcard(pattern: str, text: str, expected: bool) -> None:
    assert wildcard.match(pattern, text) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(3.0, "3", id="integral-float"),
        pytest.param(1.5, "1.5", id="fraction"),
        pytest.param(True, "true", id="bool"),
        pytest.param(None, "<nil>", id="nil"),
        pytest.param([1, "a"], "[1 a]", id="list"),
        pytest.param({"b": 1, "a": 2}, "map[a:2 b:1]", id="map"),
    ],
)
def test_sprint(value: object, expected: str) -> None:
    assert sprint(value) == expected


def test_format_float_exponent() -> None:
    assert format_float(1e21) == "1e+21"
    assert format_float(1.5e-7) == "1.5e-07"
    assert format_float(float("inf")) == "+Inf"
    assert format_float(float("-inf")) == "-Inf"
    assert format_float(float("nan")) == "NaN"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("x", "x", id="string-as-is"),
        pytest.param(2.0, "2", id="integral-float"),
        pytest.param({"b": [1.0, 2.5], "a": None}, '{"a":null,"b":[1,2.5]}', id="nested-sorted"),
        pytest.param(True, "true", id="bool"),
    ],
)
def test_to_json_text(value: object, expected: str) -> None:
    assert to_json_text(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("1.5", 1.5, id="decimal"),
        pytest.param("-2e3", -2000.0, id="exponent"),
        pytest.param("+Inf", float("inf"), id="infinity"),
        pytest.param("-infinity", float("-inf"), id="infinity-word"),
        pytest.param(" 1", None, id="spaces"),
        pytest.param("1_0", None, id="underscore"),
        pytest.param("", None, id="empty"),
        pytest.param("x", None, id="not-a-number"),
    ],
)
def test_parse_float_like_go(text: str, expected: float | None) -> None:
    assert parse_float(text) == expected


def test_parse_float_nan() -> None:
    value = parse_float("NaN")
    assert value is not None
    assert value != value  # noqa: PLR0124 - NaN is the only value unequal to itself
