"""GeneratingPolicy templates: placeholders, splicing, interpolation, errors."""

from typing import Any

import pytest
from kyverno_validate.engine.gtemplate import TemplateError, render_template, segments
from kyverno_validate.engine.outcome import Outcome

VALUES: dict[str, Any] = {
    "name": "web",
    "labels": {"team": "core"},
    "replicas": 3,
    "ratio": 1.5,
    "on": True,
    "off": False,
    "items": ["a"],
    "f(g(x))": "nested",
    "'))'": "quoted",
}


def evaluate(expression: str) -> Any:
    if expression == "broken":
        return Outcome("error", "no such key: broken")
    return VALUES[expression]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("plain", [(False, "plain")], id="literal"),
        pytest.param("(( name ))", [(True, "name")], id="whole"),
        pytest.param(
            "a-(( name ))-b", [(False, "a-"), (True, "name"), (False, "-b")], id="embedded"
        ),
        pytest.param("(( f(g(x)) ))", [(True, "f(g(x))")], id="nested-parentheses"),
        pytest.param("(( '))' ))", [(True, "'))'")], id="quoted-closing"),
        pytest.param("(( 'a\\'b' ))", [(True, "'a\\'b'")], id="escaped-quote"),
        pytest.param("\\(( x \\))", [(False, "(( x ))")], id="escapes"),
    ],
)
def test_segments(text: str, expected: list[tuple[bool, str]]) -> None:
    assert segments(text) == expected


def test_an_unclosed_placeholder_is_an_error() -> None:
    with pytest.raises(TemplateError, match="unclosed placeholder"):
        segments("(( name ")


def template(value: str, interpolate: str = "cel") -> dict[str, Any]:
    return {"value": value, "interpolate": interpolate}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(
            "kind: ConfigMap\nmetadata:\n  name: (( name ))-config\n  labels: (( labels ))\n",
            [{"kind": "ConfigMap", "metadata": {"name": "web-config", "labels": {"team": "core"}}}],
            id="splice-and-interpolate",
        ),
        pytest.param(
            "kind: A\nspec:\n  n: (( replicas ))\n  s: r(( replicas ))/(( ratio ))\n"
            "  b: (( on ))-(( off ))\n  list: [(( items )), 2]\n",
            [{"kind": "A", "spec": {"n": 3, "s": "r3/1.5", "b": "true-false", "list": [["a"], 2]}}],
            id="scalars",
        ),
        pytest.param("kind: A\n---\nkind: B\n", [{"kind": "A"}, {"kind": "B"}], id="documents"),
        pytest.param("kind: A\n---\n", [{"kind": "A"}], id="empty-document"),
    ],
)
def test_render_template(value: str, expected: list[dict[str, Any]]) -> None:
    assert render_template(template(value), evaluate) == expected


def test_templates_are_yaml_12() -> None:
    rendered = render_template(template("n: on\ny: 2024-01-01\n"), evaluate)
    assert rendered == [{"n": "on", "y": "2024-01-01"}]


def test_without_interpolation_placeholders_stay_literal() -> None:
    rendered = render_template(template("data:\n  x: (( name ))\n", ""), evaluate)
    assert rendered == [{"data": {"x": "(( name ))"}}]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param("a: [", "failed to parse YAML", id="syntax"),
        pytest.param("", "at least one YAML document", id="empty"),
        pytest.param("- a\n", "expected a mapping", id="not-a-mapping"),
        pytest.param("a: (( broken ))\n", "no such key", id="cel-error"),
        pytest.param("a: x-(( labels ))\n", "must evaluate to a scalar", id="structured-in-string"),
    ],
)
def test_template_errors(value: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        render_template(template(value), evaluate)
