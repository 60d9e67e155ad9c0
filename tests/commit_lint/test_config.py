"""commitlint configs: presets, extends, parser presets, validation errors."""

from __future__ import annotations

from typing import Any

import pytest
from commit_lint.config import (
    ANGULAR_PARSER,
    CONVENTIONALCOMMITS_PARSER,
    LintConfig,
    default_config,
    parser_options,
    resolve_config,
)
from commit_lint.config_files import config_schema, validate_shape
from hypothesis import given, settings
from hypothesis import strategies as st
from relkit.core.commits import JsPattern
from relkit.errors import ConfigError
from relkit.schema_check import plainly_valid


def rules_of(config: LintConfig) -> dict[str, tuple[int, str, object]]:
    return {rule.name: (rule.level, rule.when, rule.value) for rule in config.rules}


def test_default_is_config_conventional():
    config = default_config()
    assert rules_of(config)["header-max-length"] == (2, "always", 100)
    assert config.parser_options == CONVENTIONALCOMMITS_PARSER
    assert config.default_ignores
    assert len(config.active) == 12


def test_extends_and_overrides():
    config = resolve_config(
        {
            "extends": "@commitlint/config-conventional",
            "rules": {"header-max-length": [1, "always", 72], "body-leading-blank": [0]},
            "helpUrl": "https://example.com",
            "defaultIgnores": False,
            "ignores": ["^WIP", "/^skip/i"],
        },
        "test",
    )
    rules = rules_of(config)
    assert rules["header-max-length"] == (1, "always", 72)
    assert rules["body-leading-blank"][0] == 0
    assert "body-leading-blank" not in {rule.name for rule in config.active}
    assert config.help_url == "https://example.com"
    assert not config.default_ignores
    assert config.ignores[1].search("SKIP this")


def test_angular_preset_and_parser():
    config = resolve_config({"extends": ["angular"]}, "test")
    assert rules_of(config)["header-max-length"] == (2, "always", 72)
    assert config.parser_options.header_pattern.source == r"^(\w*)(?:\((.*)\))?!?: (.*)$"
    assert config.parser_options.breaking_header_pattern is None


def test_relative_extends_through_loader():
    def load(name: str) -> dict[str, Any]:
        assert name == "./base.json"
        return {"extends": ["conventional"], "rules": {"type-enum": [2, "always", ["x"]]}}

    config = resolve_config({"extends": ["./base.json"]}, "test", load)
    assert rules_of(config)["type-enum"] == (2, "always", ["x"])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            {"extends": ["@scope/unknown"]}, "cannot extend '@scope/unknown'", id="extends"
        ),
        pytest.param({"rules": {"nope": [2, "always"]}}, "unknown rule(s) nope", id="rule-name"),
        pytest.param({"rules": {"type-enum": [3, "always"]}}, "rules/type-enum/0", id="level"),
        pytest.param({"rules": {"type-enum": [2, "sometimes"]}}, "rules/type-enum/1", id="when"),
        pytest.param({"rules": {"type-enum": [2]}}, "must be [level", id="short"),
        pytest.param({"rules": {}}, "no rules configured", id="no-rules"),
        pytest.param({"rulez": {}}, "'rulez' was unexpected", id="unknown-key"),
        pytest.param({"plugins": ["x"]}, "plugins", id="plugins"),
        pytest.param(
            {"rules": {"header-max-length": [2, "always", "100"]}}, "whole number", id="int"
        ),
        pytest.param(
            {"rules": {"header-max-length": [2, "always", True]}}, "whole number", id="bool"
        ),
        pytest.param({"rules": {"subject-full-stop": [2, "never", 1]}}, "a string", id="char"),
        pytest.param({"rules": {"type-enum": [2, "always", "feat"]}}, "list of strings", id="enum"),
        pytest.param(
            {"rules": {"scope-enum": [2, "always", {"x": 1}]}}, "list of scopes", id="scopes"
        ),
        pytest.param(
            {"rules": {"type-case": [2, "always", "title-case"]}}, "unknown case", id="case"
        ),
        pytest.param(
            {"rules": {"scope-case": [2, "always", {"cases": ["nope"]}]}},
            "unknown case",
            id="scope-case",
        ),
        pytest.param(
            {"extends": ["conventional"], "ignores": ["("]}, "ignores: invalid", id="ignores"
        ),
        pytest.param(
            {"extends": ["conventional"], "parserPreset": "conventional-changelog-atom"},
            "unknown parserPreset",
            id="preset",
        ),
        pytest.param(
            {"extends": ["conventional"], "parserPreset": {"parserOpts": {"headerPattern": "("}}},
            "headerPattern",
            id="pattern",
        ),
    ],
)
def test_bad_configs(data: dict[str, Any], message: str):
    with pytest.raises(ConfigError) as error:
        resolve_config(data, "cfg.json", validate=validate_shape)
    assert message in str(error.value)
    assert str(error.value).startswith("cfg.json")


def test_extends_cycle_is_reported():
    def load(name: str) -> dict[str, Any]:
        return {"extends": [name]}

    with pytest.raises(ConfigError, match="more than 10 levels"):
        resolve_config({"extends": ["./a.json"]}, "cfg", load)


def test_default_loader_refuses_files():
    with pytest.raises(ConfigError, match="cannot read extended config"):
        resolve_config({"extends": ["./a.json"]}, "cfg")


@pytest.mark.parametrize(
    ("preset", "expected"),
    [
        pytest.param(None, ANGULAR_PARSER, id="none-is-angular"),
        pytest.param("conventionalcommits", CONVENTIONALCOMMITS_PARSER, id="short-name"),
        pytest.param("conventional-changelog-angular", ANGULAR_PARSER, id="angular"),
    ],
)
def test_parser_presets(preset: object, expected: object):
    assert parser_options(preset, "cfg") == expected


def test_parser_opts_object():
    options = parser_options(
        {
            "name": "conventional-changelog-conventionalcommits",
            "parserOpts": {
                "headerPattern": "^(\\w+): (.*)$",
                "headerCorrespondence": ["type", "subject"],
                "breakingHeaderPattern": None,
                "issuePrefixes": ["GH-"],
                "issuePrefixesCaseSensitive": True,
                "commentChar": ";",
            },
        },
        "cfg",
    )
    assert options.header_pattern == JsPattern(r"^(\w+): (.*)$")
    assert options.header_correspondence == ("type", "subject")
    assert options.breaking_header_pattern is None
    assert options.issue_prefixes == ("GH-",)
    assert options.issue_prefixes_case_sensitive
    assert options.comment_char == ";"
    unnamed = parser_options({"parserOpts": {"headerPattern": None}}, "cfg")
    assert unnamed.header_pattern == ANGULAR_PARSER.header_pattern


@pytest.mark.parametrize("literal", ["/^(\\w+): (.*)$/", "/^(\\w+): (.*)$/i"])
def test_parser_pattern_written_as_literal_is_refused(literal: str):
    # commitlint runs header.match(text): new RegExp("/^…$/") needs the slashes in the header
    with pytest.raises(ConfigError, match=r"headerPattern .* /regex/ literal.*write '\^"):
        parser_options({"parserOpts": {"headerPattern": literal}}, "cfg")


def test_valid_rule_values_pass_validation():
    config = resolve_config(
        {
            "rules": {
                "scope-enum": [2, "always", ["api", "ui"]],
                "scope-case": [2, "always", {"cases": ["lower-case"], "delimiters": ["/"]}],
                "subject-case": [2, "never", [{"when": "always", "case": "upper-case"}]],
                "signed-off-by": [1, "always", "Signed-off-by:"],
                "header-min-length": [2, "always", 3],
                "body-empty": [0, "never"],
            }
        },
        "cfg",
    )
    assert len(config.active) == 5


_json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(-1, 3), st.floats(0, 2), st.text(max_size=3)
)
_json = st.recursive(
    _json_leaf,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=8,
)
_rule = st.lists(
    st.one_of(
        st.sampled_from([0, 1, 2, 3, True, 2.0]), st.sampled_from(["always", "never", "x"]), _json
    ),
    max_size=4,
)
_config = st.fixed_dictionaries(
    {},
    optional={
        "extends": st.one_of(st.text(max_size=3), st.lists(st.text(max_size=3), max_size=2), _json),
        "rules": st.one_of(
            st.dictionaries(st.sampled_from(["type-enum", "x"]), _rule, max_size=2), _json
        ),
        "ignores": st.one_of(st.lists(st.text(max_size=3), max_size=2), _json),
        "defaultIgnores": _json,
        "helpUrl": _json,
        "formatter": _json,
        "prompt": _json,
        "$schema": _json,
        "plugins": _json,
        "other": _json,
    },
)


@settings(max_examples=300, deadline=None)
@given(_config)
def test_fast_check_accepts_only_what_the_schema_accepts(data: dict[str, Any]):
    if plainly_valid(data, config_schema()):
        import jsonschema  # noqa: PLC0415

        assert jsonschema.Draft202012Validator(config_schema()).is_valid(data)


def test_unusual_but_valid_config_goes_through_jsonschema():
    assert not plainly_valid({"rules": {"type-enum": [2.0, "always"]}}, config_schema())
    validate_shape({"rules": {"type-enum": [2.0, "always"]}}, "cfg")


def test_presets_are_valid_by_the_schema():
    from commit_lint.config import PRESETS  # noqa: PLC0415

    for preset in PRESETS.values():
        validate_shape(preset, "preset")


def test_replace_keeps_the_derived_plans():
    config = default_config()
    changed = config.replace(help_url="https://example.com/help")
    assert changed.help_url == "https://example.com/help"
    assert (changed.rules, changed.active, changed.plans) == (
        config.rules,
        config.active,
        config.plans,
    )
    options = config.parser_options._replace(comment_char=";")
    assert config.replace(parser_options=options).parser_options.comment_char == ";"
    assert config.replace().source == config.source
