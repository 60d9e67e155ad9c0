from datetime import UTC, datetime
from typing import Any

import pytest
from kyverno_validate.engine.conditions import ConditionError, evaluate_conditions
from kyverno_validate.engine.jmespath_functions import search
from kyverno_validate.engine.timefuncs import go_duration
from kyverno_validate.engine.variables import (
    NOW_KEY,
    VariableError,
    compile_template,
    has_variables,
    lenient_resolver,
    resolve,
    strict_resolver,
    substitute,
    substitute_string,
)

DATA: dict[str, Any] = {
    "request": {
        "operation": "CREATE",
        "namespace": "prod",
        "object": {"metadata": {"name": "web", "labels": {"app": "x"}}, "spec": {"replicas": 3}},
    },
    "ns": "prod",
}


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        pytest.param("{{ request.object.spec.replicas }}", 3, id="whole-string-keeps-type"),
        pytest.param("n={{request.object.spec.replicas}}", "n=3", id="inline-as-text"),
        pytest.param("{{ request.object.metadata.labels }}x", '{"app":"x"}x', id="inline-json"),
        pytest.param("\\{{ escaped }}", "\\{{ escaped }}", id="escaped"),
        pytest.param("{{ request.object.metadata.\"{{ns}}\" || 'd' }}", "d", id="nested"),
        pytest.param({"a": ["{{ ns }}"]}, {"a": ["prod"]}, id="deep"),
        pytest.param("plain", "plain", id="no-variable"),
        pytest.param(7, 7, id="non-string"),
    ],
)
def test_substitute(document: Any, expected: Any) -> None:
    assert substitute(document, strict_resolver(DATA)) == expected


def test_unknown_key_is_an_error_but_lenient_gives_empty() -> None:
    with pytest.raises(VariableError, match="Unknown key"):
        resolve("request.object.metadata.annotations", DATA)
    assert substitute("{{ request.object.metadata.annotations }}", lenient_resolver(DATA)) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("UPDATE", "UPDATE", id="set"),
        pytest.param("", "d", id="empty-string"),
        pytest.param(None, "d", id="null"),
        pytest.param(False, "d", id="false"),
        pytest.param([], "d", id="empty-list"),
        pytest.param(0, 0, id="zero-is-true"),
        pytest.param({"a": 1}, {"a": 1}, id="object"),
    ],
)
def test_or_literal_shortcut_matches_jmespath(value: Any, expected: Any) -> None:
    data = {"request": {"operation": value}}
    assert resolve("request.operation || 'd'", data) == expected
    assert resolve("request.operation || 'd' | @", data) == expected  # through JMESPath
    assert resolve("request.nothing || 'd'", data) == "d"


def test_time_functions_read_the_evaluation_time() -> None:
    data = {**DATA, NOW_KEY: datetime(2024, 1, 1, tzinfo=UTC)}
    assert resolve("time_since('', '2023-12-31T00:00:00Z', '')", data) == "24h0m0s"
    assert resolve("time_now_utc()", data) == "2024-01-01T00:00:00Z"
    assert resolve("time_now()", data) == "2024-01-01T00:00:00Z"
    assert (
        resolve("time_since('', '2024-01-01T00:00:00Z', '2024-01-01T00:00:01.5Z')", data) == "1.5s"
    )
    assert resolve("time_since('2006-01-02', '2023-12-31', '2024-01-01')", data) == "24h0m0s"
    with pytest.raises(VariableError, match="evaluation time"):
        resolve("time_now_utc()", DATA)


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        pytest.param(0, "0s", id="zero"),
        pytest.param(1e-7, "100ns", id="nanos"),
        pytest.param(1.5e-5, "15\u00b5s", id="micros"),
        pytest.param(0.0015, "1.5ms", id="millis"),
        pytest.param(90061.5, "25h1m1.5s", id="hours"),
        pytest.param(-61, "-1m1s", id="negative-minutes"),
    ],
)
def test_go_duration(seconds: float, expected: str) -> None:
    assert go_duration(seconds) == expected


def test_quoted_keys_are_field_paths() -> None:
    data = {"m": {"labels": {"app.kubernetes.io/name": "x"}}}
    assert resolve('m.labels."app.kubernetes.io/name"', data) == "x"
    with pytest.raises(VariableError, match="Unknown key"):
        resolve('m.labels."team"', data)


def test_null_from_expression_is_null() -> None:
    assert resolve("request.object.metadata.annotations.foo || `null`", DATA) is None


@pytest.mark.parametrize(
    "expression",
    [
        pytest.param("add('1h', '30m')", id="mixed-units"),
        pytest.param("add('x', `1`)", id="not-a-quantity"),
        pytest.param("divide(`1`, `0`)", id="division-by-zero"),
        pytest.param("to_boolean('maybe')", id="to_boolean"),
        pytest.param("sum(`[]`)", id="empty-sum"),
        pytest.param("time_add('2023-01-01T00:00:00Z', 'x')", id="bad-duration"),
        pytest.param("time_truncate('2023-01-01T00:00:00Z', '0')", id="zero-truncate"),
        pytest.param("semver_compare('1.0.0', '>>1')", id="bad-constraint"),
    ],
)
def test_function_errors(expression: str) -> None:
    with pytest.raises(VariableError):
        resolve(expression, DATA)


def test_bad_expression() -> None:
    with pytest.raises(VariableError):
        resolve("request.[", DATA)
    with pytest.raises(VariableError):
        resolve("  ", DATA)


def test_has_variables() -> None:
    assert has_variables({"a": ["{{ x }}"]})
    assert not has_variables({"a": ["x"]})


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        pytest.param("to_upper('ab')", "AB", id="to_upper"),
        pytest.param("to_lower('AB')", "ab", id="to_lower"),
        pytest.param("split('a,b', ',')", ["a", "b"], id="split"),
        pytest.param("regex_match('^v[0-9]+$', 'v12')", True, id="regex_match"),
        pytest.param(
            "regex_replace_all('([a-z]+)-', 'ab-cd', '${1}_')", "ab_cd", id="regex_replace"
        ),
        pytest.param("pattern_match('a*', 'abc')", True, id="pattern_match"),
        pytest.param('label_match(`{"a":"1"}`, `{"a":"1","b":"2"}`)', True, id="label_match"),
        pytest.param("sum(`[1, 2, 3]`)", 6, id="sum"),
        pytest.param("add(`1`, `2`)", 3, id="add"),
        pytest.param("divide(`6`, `3`)", 2, id="divide"),
        pytest.param("truncate('abcdef', `3`)", "abc", id="truncate"),
        pytest.param("base64_decode('aGk=')", "hi", id="base64_decode"),
        pytest.param("parse_json('{\"a\": 1}').a", 1, id="parse_json"),
        pytest.param("to_boolean('True')", True, id="to_boolean"),
        pytest.param("compare('a', 'b')", -1, id="compare"),
        pytest.param("equal_fold('A', 'a')", True, id="equal_fold"),
        pytest.param("replace_all('aXa', 'X', 'Y')", "aYa", id="replace_all"),
        pytest.param("trim('--a--', '-')", "a", id="trim"),
        pytest.param("semver_compare('1.2.3', '>=1.0.0')", True, id="semver_compare"),
        pytest.param("lookup(`{\"a\": 1}`, 'a')", 1, id="lookup"),
        pytest.param("items(`{\"a\": 1}`, 'k', 'v')", [{"k": "a", "v": 1}], id="items"),
        pytest.param("length('abc')", 3, id="standard-length"),
        pytest.param(
            "time_add('2023-01-01T00:00:00Z', '1h30m')", "2023-01-01T01:30:00Z", id="time_add"
        ),
        pytest.param(
            "time_diff('2023-01-01T00:00:00Z', '2023-01-01T01:30:00Z')", "1h30m0s", id="time_diff"
        ),
        pytest.param(
            "time_after('2023-01-02T00:00:00Z', '2023-01-01T00:00:00Z')", True, id="time_after"
        ),
        pytest.param(
            "time_before('2023-01-02T00:00:00Z', '2023-01-01T00:00:00Z')", False, id="time_before"
        ),
        pytest.param(
            "time_between('2023-01-02T00:00:00Z', '2023-01-01T00:00:00Z', '2023-01-03T00:00:00Z')",
            True,
            id="time_between",
        ),
        pytest.param(
            "time_parse('2006-01-02', '2023-02-02')", "2023-02-02T00:00:00Z", id="time_parse"
        ),
        pytest.param(
            "time_utc('2023-01-01T02:00:00+02:00')", "2023-01-01T00:00:00Z", id="time_utc"
        ),
        pytest.param(
            "time_truncate('2023-01-01T05:30:00Z', '1h')",
            "2023-01-01T05:00:00Z",
            id="time_truncate",
        ),
        pytest.param("time_to_cron('2023-02-02T15:04:05Z')", "4 15 2 2 4", id="time_to_cron"),
        pytest.param("image_normalize('nginx')", "docker.io/nginx:latest", id="image_normalize"),
        pytest.param(
            "sha256('a')",
            "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb",
            id="sha256",
        ),
        pytest.param("path_canonicalize('/a/../b//c')", "/b/c", id="path_canonicalize"),
        pytest.param('object_from_lists(`["a"]`, `[1]`)', {"a": 1}, id="object_from_lists"),
        pytest.param("round(`1.25`, `1`)", 1.3, id="round"),
        pytest.param("modulo(`7`, `3`)", 1, id="modulo"),
        pytest.param("multiply(`2`, `3`)", 6, id="multiply"),
        pytest.param("subtract(`5`, `3`)", 2, id="subtract"),
        pytest.param("add('1Gi', '1Gi')", "2Gi", id="add-quantity"),
        pytest.param("subtract('1', '500m')", "500m", id="subtract-quantity"),
        pytest.param("add('1h', '1h')", "2h0m0s", id="add-duration"),
        pytest.param("base64_encode('hi')", "aGk=", id="base64_encode"),
        pytest.param("parse_yaml('a: 1').a", 1, id="parse_yaml"),
        pytest.param("trim_prefix('abc', 'a')", "bc", id="trim_prefix"),
        pytest.param("replace('aaa', 'a', 'b', `1`)", "baa", id="replace"),
        pytest.param(
            "regex_replace_all_literal('a', 'aba', 'x')", "xbx", id="regex_replace_literal"
        ),
        pytest.param("x.keys(@)", None, id="null-subexpression"),
    ],
)
def test_functions(expression: str, expected: Any) -> None:
    assert search(expression, {"x": None}) == expected


CONDITIONS = [
    pytest.param(
        {"all": [{"key": "{{ ns }}", "operator": "Equals", "value": "prod"}]}, True, id="all"
    ),
    pytest.param(
        {
            "any": [
                {"key": "a", "operator": "Equals", "value": "b"},
                {"key": "a", "operator": "Equals", "value": "a"},
            ]
        },
        True,
        id="any",
    ),
    pytest.param({"any": [{"key": "a", "operator": "Equals", "value": "b"}]}, False, id="any-none"),
    # Go's non-nil empty slice: an ``any`` block without conditions never holds
    pytest.param({"any": [], "all": []}, False, id="empty-any"),
    pytest.param({"any": None, "all": []}, True, id="null-any"),
    pytest.param([{"key": "a", "operator": "Equals", "value": "a"}], True, id="legacy-list"),
    pytest.param(None, True, id="none"),
    pytest.param(
        {"all": [{"key": "{{ missing.key }}", "operator": "Equals", "value": ""}]},
        True,
        id="unresolved-is-empty",
    ),
]


@pytest.mark.parametrize(("conditions", "expected"), CONDITIONS)
def test_conditions(conditions: Any, expected: bool) -> None:
    assert evaluate_conditions(conditions, lenient_resolver(DATA)) is expected


def test_unknown_operator() -> None:
    with pytest.raises(ConditionError):
        evaluate_conditions([{"key": 1, "operator": "Bogus", "value": 1}], lenient_resolver(DATA))
    with pytest.raises(ConditionError):
        evaluate_conditions("x", lenient_resolver(DATA))


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        pytest.param("divide('1h', '2h')", 0.5, id="duration-ratio-is-a-number"),
        pytest.param("divide('1Mi', '2Mi')", 0.5, id="quantity-ratio-is-a-number"),
        pytest.param("divide('1h', `2`)", "30m0s", id="duration-by-number"),
        pytest.param("divide('3m', `2`)", "1500u", id="quantity-micros"),
        pytest.param("divide('1m', `3`)", "333334n", id="quantity-nanos-round-up"),
        pytest.param("subtract('1Gi', '1Gi')", "0", id="quantity-zero"),
        pytest.param("multiply('1001', `1`)", "1001", id="quantity-without-suffix"),
        pytest.param("modulo('7Mi', '2Mi')", "1Mi", id="quantity-modulo"),
        pytest.param("semver_compare('1.2.3', '>1.0.0, <2.0.0')", True, id="semver-range"),
        pytest.param("semver_compare('1.2.3', '>2.0.0')", False, id="semver-unsatisfied"),
        pytest.param("lookup(`[1, 2, 3]`, `1`)", 2, id="lookup-index"),
        pytest.param("lookup(`[1, 2, 3]`, `5`)", None, id="lookup-index-out-of-range"),
        pytest.param("lookup(`{\"a\": 1}`, 'b')", None, id="lookup-missing-key"),
        pytest.param(
            "items(`[\"a\", \"b\"]`, 'i', 'v')",
            [{"i": 0, "v": "a"}, {"i": 1, "v": "b"}],
            id="items-of-array",
        ),
        pytest.param("regex_match('^1$', `1.0`)", True, id="regex-integral-float-as-int"),
        pytest.param(
            "time_parse('2006-01-02T15:04:05Z07:00', '2024-01-01T01:00:00+01:00')",
            "2024-01-01T01:00:00+01:00",
            id="time_parse-rfc3339",
        ),
        pytest.param(
            "time_parse('1136239445', '1704067200')", "2024-01-01T00:00:00Z", id="time_parse-unix"
        ),
        pytest.param(
            "image_normalize('ghcr.io/org/app:1.2')", "ghcr.io/org/app:1.2", id="image-with-host"
        ),
        pytest.param(
            "image_normalize('nginx@sha256:abc')",
            "docker.io/nginx@sha256:abc",
            id="image-with-digest",
        ),
    ],
)
def test_kyverno_function_results(expression: str, expected: Any) -> None:
    assert search(expression, {}) == expected


@pytest.mark.parametrize(
    "expression",
    [
        pytest.param('lookup(`{"a": 1}`, `1`)', id="lookup-object-number-key"),
        pytest.param("lookup(`[1, 2]`, '0')", id="lookup-array-string-index"),
        pytest.param("lookup(`[1, 2]`, `0.5`)", id="lookup-array-fraction-index"),
    ],
)
def test_lookup_argument_errors(expression: str) -> None:
    with pytest.raises(VariableError, match="lookup"):
        resolve(expression, DATA)


def test_field_of_a_non_object_is_null() -> None:
    # JMESPath: a field of a string is null, so the alternative applies
    assert resolve("m.name.x || 'd'", {"m": {"name": "s"}}) == "d"
    assert resolve("m.name.x", {"m": {"name": "s"}}) is None


def test_self_referencing_values_stop_substituting() -> None:
    """A value that keeps producing variables is substituted a bounded number of times."""
    looping = substitute_string("x {{ a }}", lambda _expression: "{{ a }}")
    assert looping == "x {{ a }}"


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        pytest.param("{{ unclosed", "{{ unclosed", id="unclosed-braces"),
        pytest.param("\\{{ ns }}", "\\{{ ns }}", id="escaped"),
        pytest.param("{{ ns }}-x", "prod-x", id="embedded"),
        pytest.param("{{ n }}", 3, id="whole-keeps-type"),
        pytest.param({"k": ["{{ ns }}"]}, {"k": ["prod"]}, id="nested"),
        pytest.param({"k": ["x"]}, {"k": ["x"]}, id="nested-without-variables"),
    ],
)
def test_compile_template(template: Any, expected: Any) -> None:
    data = {"ns": "prod", "n": 3}
    assert compile_template(template)(strict_resolver(data)) == expected


def test_condition_must_be_a_mapping() -> None:
    with pytest.raises(ConditionError, match="must be a mapping"):
        evaluate_conditions({"all": ["x"]}, strict_resolver({}))


def test_full_caches_start_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    from kyverno_validate.engine import conditions, variables  # noqa: PLC0415

    monkeypatch.setattr(variables, "_RESOLUTIONS", {})
    monkeypatch.setattr(variables, "_LIMIT", 0)
    monkeypatch.setattr(conditions, "_COMPILED", {})
    monkeypatch.setattr(conditions, "_LIMIT", 0)
    for _ in range(2):  # each call finds its cache full, empties it and computes afresh
        assert resolve("request.object.spec.replicas", DATA) == 3
        block = {"all": [{"key": "{{ ns }}", "operator": "Equals", "value": "prod"}]}
        assert evaluate_conditions(block, lenient_resolver(DATA)) is True
    assert len(variables._RESOLUTIONS) == 1
    assert len(conditions._COMPILED) == 1
