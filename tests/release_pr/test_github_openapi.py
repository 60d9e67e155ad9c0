"""scripts/extract_openapi.py and the committed subset the GitHub mocks are validated against."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
from github_api_fake import SUBSET, fill, validate_response

ROOT = Path(__file__).resolve().parents[2]


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "extract_openapi", ROOT / "scripts" / "extract_openapi.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("openapi", "json_schema"),
    [
        pytest.param({"type": "string"}, {"type": "string"}, id="plain"),
        pytest.param(
            {"type": "string", "nullable": True}, {"type": ["string", "null"]}, id="nullable"
        ),
        pytest.param(
            {"type": "string", "enum": ["a"], "nullable": True},
            {"type": ["string", "null"], "enum": ["a", None]},
            id="nullable-enum",
        ),
        pytest.param(
            {"allOf": [{"$ref": "#/x"}], "nullable": True},
            {"anyOf": [{"allOf": [{"$ref": "#/x"}]}, {"type": "null"}]},
            id="nullable-ref",
        ),
        pytest.param(
            {"type": "object", "example": {}, "properties": {"a": {"type": "integer"}}},
            {"type": "object", "properties": {"a": {"type": "integer"}}},
            id="examples-dropped",
        ),
    ],
)
def test_to_json_schema(openapi: dict[str, Any], json_schema: dict[str, Any]) -> None:
    assert load_script().to_json_schema(openapi) == json_schema


def test_extract_keeps_operations_and_reachable_components() -> None:
    doc = {
        "info": {"version": "1.0"},
        "paths": {
            "/repos/{owner}/{repo}/x": {
                "get": {
                    "operationId": "pulls/list",
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/a"}}
                            }
                        },
                        "404": {"$ref": "#/components/responses/not_found"},
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "a": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/b"}}},
                "b": {"type": "string", "nullable": True},
                "unused": {"type": "integer"},
            },
            "responses": {
                "not_found": {
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/b"}}}
                }
            },
        },
    }
    script = load_script()
    script.OPERATIONS = ("pulls/list",)

    subset = script.extract(doc)

    operation = subset["operations"]["pulls/list"]
    assert operation["method"] == "GET"
    assert operation["responses"]["404"] == {"$ref": "#/components/schemas/b"}
    assert sorted(subset["components"]["schemas"]) == ["a", "b"]
    assert subset["components"]["schemas"]["b"] == {"type": ["string", "null"]}


def test_committed_subset_covers_every_operation_the_script_names() -> None:
    subset = json.loads(SUBSET.read_text(encoding="utf-8"))
    assert set(subset["operations"]) == set(load_script().OPERATIONS)
    assert subset["source"].startswith("@octokit/openapi")


def test_mock_bodies_are_really_validated() -> None:
    good = fill({"number": 1, "title": "t"}, {"$ref": "#/components/schemas/pull-request"})
    validate_response("pulls/get", 200, good)

    with pytest.raises(jsonschema.ValidationError):
        validate_response("pulls/get", 200, {**good, "number": "one"})
    with pytest.raises(jsonschema.ValidationError, match="'merge_commit_sha' is a required"):
        validate_response(
            "pulls/get", 200, {k: v for k, v in good.items() if k != "merge_commit_sha"}
        )
