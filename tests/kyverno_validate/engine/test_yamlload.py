from typing import Any

import pytest
from kyverno_validate.engine.yamlload import load_all


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("a: yes", {"a": True}, id="yaml11-yes"),
        pytest.param("a: off", {"a": False}, id="yaml11-off"),
        pytest.param('a: "yes"', {"a": "yes"}, id="quoted-yes"),
        pytest.param("a: 2024-01-01T00:00:00Z", {"a": "2024-01-01T00:00:00Z"}, id="timestamp-text"),
        pytest.param("a: 2024-01-01", {"a": "2024-01-01"}, id="date-text"),
        pytest.param("a: 1:20", {"a": "1:20"}, id="no-base-60"),
        pytest.param("a: 0755", {"a": 493}, id="octal"),
        pytest.param("a: 1e3", {"a": 1000.0}, id="float"),
        pytest.param("a: 1:20.5", {"a": "1:20.5"}, id="no-base-60-float"),
        pytest.param("a: 1.5", {"a": 1.5}, id="decimal-float"),
        pytest.param("a: -.inf", {"a": float("-inf")}, id="infinity"),
        pytest.param("a: ~", {"a": None}, id="null"),
    ],
)
def test_scalars(text: str, expected: Any) -> None:
    assert load_all(text) == [expected]


def test_documents_and_errors() -> None:
    assert load_all("a: 1\n---\nb: 2\n---\n") == [{"a": 1}, {"b": 2}, None]
    with pytest.raises(ValueError, match="while parsing"):
        load_all("a: [1,\n")


def test_yaml_11_rules_hold_after_a_trailing_document_marker() -> None:
    assert load_all("kind: A\n---\n") == [{"kind": "A"}, None]
    assert load_all("a: yes") == [{"a": True}]
