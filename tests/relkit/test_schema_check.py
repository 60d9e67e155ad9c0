from __future__ import annotations

import pytest
from relkit.errors import ConfigError
from relkit.schema_check import check_schema

SCHEMA = {
    "type": "object",
    "properties": {
        "packages": {"type": "array", "items": {"type": "string"}},
        "name": {"type": "string"},
    },
    "required": ["name"],
}


def test_valid_data_passes() -> None:
    check_schema({"name": "x", "packages": ["a"]}, SCHEMA, what="cfg.json", fix="fix it")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param([], "cfg.json: (top level): [] is not of type 'object'; fix it", id="top"),
        pytest.param(
            {"name": 1, "packages": ["a", 2]},
            "cfg.json: name: 1 is not of type 'string'; fix it",
            id="first-in-document-order",
        ),
        pytest.param(
            {"name": "x", "packages": ["a", "a", 1, *["a"] * 7, 2]},
            "cfg.json: packages/2: 1 is not of type 'string'; fix it",
            id="indices-compare-as-numbers",
        ),
    ],
)
def test_first_problem_is_one_line(data: object, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        check_schema(data, SCHEMA, what="cfg.json", fix="fix it")
    assert str(raised.value) == message


def test_a_fast_path_that_vouches_skips_jsonschema() -> None:
    seen: list[object] = []

    def plainly_valid(data: object) -> bool:
        seen.append(data)
        return True

    check_schema({"name": 1}, SCHEMA, what="cfg", fix="f", plainly_valid=plainly_valid)
    assert seen == [{"name": 1}]


def test_a_fast_path_in_doubt_falls_back_to_jsonschema() -> None:
    with pytest.raises(ConfigError, match="name: 1 is not of type"):
        check_schema({"name": 1}, SCHEMA, what="cfg", fix="f", plainly_valid=lambda _: False)
