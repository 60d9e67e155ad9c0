"""release-please-config.json + manifest parsing, validation and single-package mode."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from release_pr import config as config_module
from release_pr import config_schema
from release_pr.config import (
    ExtraFile,
    PackageConfig,
    load_config,
    parse_config,
    single_package_config,
)
from relkit.core.changelog import ChangelogSection
from relkit.errors import ConfigError
from relkit.schema_check import plainly_valid


def test_manifest_mode_with_defaults_and_overrides() -> None:
    config = parse_config(
        json.dumps(
            {
                "release-type": "node",
                "bump-minor-pre-major": True,
                "separate-pull-requests": True,
                "bootstrap-sha": "abc",
                "packages": {
                    ".": {},
                    "packages/a/": {
                        "component": "a",
                        "release-type": "python",
                        "extra-files": [
                            "VERSION",
                            {"type": "json", "path": "x.json", "jsonpath": "$.v"},
                        ],
                        "changelog-sections": [{"type": "feat", "section": "New"}],
                        "exclude-paths": ["docs"],
                    },
                },
            }
        ),
        '{".": "1.2.3", "packages/a": "0.1.0"}',
    )
    root, pkg = config.packages
    assert root == PackageConfig(
        path=".", release_type="node", bump_minor_pre_major=True, include_component_in_tag=False
    )
    assert pkg.path == "packages/a"
    assert pkg.release_type == "python"
    assert pkg.component == "a"
    assert pkg.include_component_in_tag
    assert pkg.extra_files == (ExtraFile("VERSION"), ExtraFile("x.json", "json", "$.v"))
    assert pkg.changelog_sections == (ChangelogSection("feat", "New"),)
    assert pkg.exclude_paths == ("docs",)
    assert config.manifest == {".": "1.2.3", "packages/a": "0.1.0"}
    assert config.separate_pull_requests
    assert config.bootstrap_sha == "abc"
    assert config.warnings == ()


def test_plugins_supported_and_not() -> None:
    config = parse_config(
        '{"plugins": ["sentence-case", {"type": "node-workspace"}, {"type": "sentence-case"}, 3,'
        ' "gitmoji", {"type": "conventional-changelog"}]}',
        None,
    )
    assert config.plugins == ("sentence-case", "sentence-case", "gitmoji", "conventional-changelog")
    assert config.warnings == (
        "release-please-config.json: plugin 'node-workspace' is not supported; ignored",
        "release-please-config.json: plugin 3 is not supported; ignored",
    )


def test_unknown_keys_are_warnings_naming_them() -> None:
    config = parse_config('{"relese-type": "node", "packages": {".": {"colour": "red"}}}', None)
    assert config.warnings == (
        "release-please-config.json: unknown key 'relese-type' ignored",
        "release-please-config.json: packages['.']: unknown key 'colour' ignored",
    )
    assert config.manifest == {}


@pytest.mark.parametrize(
    ("config", "manifest", "message"),
    [
        pytest.param("{not json", None, "is not valid JSON", id="bad-json"),
        pytest.param(
            '{"draft": "yes"}', None, "draft: 'yes' is not of type 'boolean'", id="bad-type"
        ),
        pytest.param(
            '{"packages": {".": {"draft": 1}}}', None, "packages/./draft", id="bad-package"
        ),
        pytest.param("{}", '{".": 1}', ".release-please-manifest.json", id="bad-manifest"),
        pytest.param('{"versioning": "calver"}', None, "versioning 'calver'", id="bad-versioning"),
        pytest.param("[]", None, "(top level)", id="not-object"),
        pytest.param('{"initial-version": "one"}', None, "initial-version 'one'", id="initial"),
        pytest.param(
            '{"packages": {"a": {"release-as": "soon"}}}', None, "release-as", id="release-as"
        ),
    ],
)
def test_invalid_config_is_a_config_error(config: str, manifest: str | None, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_config(config, manifest)


def test_single_package_mode_from_inputs() -> None:
    config = single_package_config(
        {
            "release-type": "python",
            "package-name": "demo",
            "bump-minor-pre-major": "true",
            "draft": "false",
            "extra-files": '["a.txt"]',
            "token": "ignored",
            "changelog-path": "",
        }
    )
    (package,) = config.packages
    assert package.release_type == "python"
    assert package.package_name == "demo"
    assert package.bump_minor_pre_major
    assert not package.draft
    assert package.extra_files == (ExtraFile("a.txt"),)
    assert not package.include_component_in_tag
    assert config.manifest_path is None


def test_load_config_reads_the_files_without_a_release_type_input(tmp_path: Path) -> None:
    (tmp_path / "release-please-config.json").write_text('{"packages": {".": {}}}')
    (tmp_path / ".release-please-manifest.json").write_text('{".": "2.0.0"}')
    config = load_config(tmp_path, inputs={})
    assert config.manifest == {".": "2.0.0"}
    assert config.packages[0].release_type == "simple"
    assert load_config(tmp_path, inputs={"release-type": "node"}).packages[0].release_type == "node"


def test_load_config_single_mode_and_missing_everything(tmp_path: Path) -> None:
    assert load_config(tmp_path, inputs={"release-type": "helm"}).packages[0].release_type == "helm"
    with pytest.raises(ConfigError, match=r"no release-please-config\.json"):
        load_config(tmp_path)


def test_custom_file_names(tmp_path: Path) -> None:
    (tmp_path / "rp.json").write_text("{}")
    config = load_config(tmp_path, config_file="rp.json", manifest_file="m.json")
    assert config.manifest_path == "m.json"
    assert config.packages == (PackageConfig(include_component_in_tag=False),)


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        pytest.param(
            {"changelog-sections": '[{"section": "x"}]'}, "changelog-sections", id="sections"
        ),
        pytest.param({"exclude-paths": "[1]"}, "exclude-paths", id="exclude"),
        pytest.param({"extra-files": '{"path": "a"}'}, "extra-files", id="not-a-list"),
        pytest.param({"extra-files": '[{"type": "json"}]'}, "extra-files/0", id="no-path"),
        pytest.param({"extra-files": "[oops"}, "not valid JSON", id="bad-json"),
    ],
)
def test_single_package_inputs_are_checked(inputs: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        single_package_config({"release-type": "simple", **inputs})


# --- the fast schema check: never accepts what jsonschema rejects ------------------------------

_NAMES = sorted({*config_module.TOP_PROPERTIES, *config_module.PACKAGE_PROPERTIES})
_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["node", "json", "github", "x", "1.2.3"])
)
_JSON = st.recursive(
    _LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from([*_NAMES, "type", "path", "section", "."]), inner, max_size=4
        )
    ),
    max_leaves=12,
)


def _shaped(schema: dict[str, Any], good: bool) -> st.SearchStrategy[object]:  # noqa: PLR0911
    """Values shaped by ``schema``: all valid when ``good``, else any leaf may be off."""

    def leaf(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
        return strategy if good else strategy | _LEAVES

    if "oneOf" in schema:
        return st.one_of([_shaped(sub, good) for sub in schema["oneOf"]])
    if "enum" in schema:
        return leaf(st.sampled_from(schema["enum"]))
    kind = schema.get("type")
    if kind == "string":
        return leaf(st.sampled_from(["x", "1.2.3", "node"]))
    if kind == "boolean":
        return leaf(st.booleans())
    if kind == "integer":
        return leaf(st.integers(-2, 2) | st.just(1.0))
    if kind == "array":
        return leaf(st.lists(_shaped(schema.get("items", {}), good), max_size=2))
    if kind == "object":
        props = schema.get("properties", {})
        required = {name: _shaped(props.get(name, {}), good) for name in schema.get("required", [])}
        optional = {name: _shaped(sub, good) for name, sub in props.items() if name not in required}
        known = st.fixed_dictionaries(required, optional=optional)
        extra = schema.get("additionalProperties")
        if extra is not None:
            others = st.dictionaries(
                st.sampled_from([".", "a/b"]), _shaped(extra, good), max_size=2
            )
            known = st.builds(lambda a, b: {**b, **a}, known, others)
        return leaf(known)
    return _JSON


def _has_float(value: object) -> bool:
    if isinstance(value, dict):
        return any(map(_has_float, value.values()))
    if isinstance(value, list):
        return any(map(_has_float, value))
    return isinstance(value, float)


def _jsonschema_errors(data: object, schema: dict[str, Any]) -> list[object]:
    import jsonschema  # noqa: PLC0415

    return list(jsonschema.Draft202012Validator(schema).iter_errors(data))


_SCHEMAS = {"config": config_schema.CONFIG_SCHEMA, "manifest": config_schema.MANIFEST_SCHEMA}


@pytest.mark.parametrize("name", list(_SCHEMAS))
@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_fast_check_agrees_with_jsonschema(name: str, data: st.DataObject) -> None:
    schema = _SCHEMAS[name]
    value = data.draw(_shaped(schema, True) | _shaped(schema, False) | _JSON)
    fast, errors = plainly_valid(value, schema), _jsonschema_errors(value, schema)
    if fast:  # never accepts what jsonschema rejects
        assert errors == []
    elif not _has_float(value):  # stricter only about floats such as 1.0 for an integer
        assert errors != []


@pytest.mark.parametrize(
    ("value", "schema", "valid"),
    [
        pytest.param({"a": 1}, {"type": "object", "required": ["a"]}, True, id="required"),
        pytest.param({}, {"type": "object", "required": ["a"]}, False, id="required-missing"),
        pytest.param(3, {"type": "integer"}, True, id="integer"),
        pytest.param(True, {"type": "integer"}, False, id="bool-is-no-integer"),
        pytest.param(3.0, {"type": "integer"}, False, id="float-to-jsonschema"),
        pytest.param("x", {"type": ["string"]}, True, id="type-list"),
        pytest.param(1.5, {"type": ["string", "integer"]}, False, id="type-list-mismatch"),
        pytest.param("x", {"pattern": "x"}, False, id="unknown-keyword-to-jsonschema"),
        pytest.param(["a", 1], {"items": {"type": "string"}}, False, id="items"),
        pytest.param(7, {"items": {"type": "string"}}, True, id="items-ignore-non-arrays"),
        pytest.param("a", {"oneOf": [{"type": "string"}, {"type": "object"}]}, True, id="one-of"),
        pytest.param(
            "a", {"oneOf": [{"type": "string"}, {"enum": ["a"]}]}, False, id="one-of-untyped"
        ),
        pytest.param(
            "a", {"oneOf": [{"type": "string"}, {"type": "string"}]}, False, id="one-of-same-type"
        ),
        pytest.param(1, {"oneOf": [{"type": "string"}, {"type": "object"}]}, False, id="none-of"),
    ],
)
def test_fast_check_keywords(value: object, schema: dict[str, Any], valid: bool) -> None:
    assert plainly_valid(value, schema) is valid
    if valid:
        assert _jsonschema_errors(value, schema) == []


def test_a_valid_config_does_not_load_jsonschema(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "jsonschema", None)  # importing it would fail
    config = parse_config(
        json.dumps(
            {
                "release-type": "python",
                "release-search-depth": 10,
                "packages": {
                    "a": {
                        "extra-files": ["V", {"type": "toml", "path": "p.toml", "jsonpath": "$"}],
                        "changelog-sections": [{"type": "feat", "section": "F", "hidden": False}],
                    }
                },
            }
        ),
        '{"a": "1.0.0"}',
    )
    assert config.packages[0].extra_files[1] == ExtraFile("p.toml", "toml", "$")


def test_jsonschema_still_decides_what_the_fast_check_leaves_to_it() -> None:
    # 10.0 is an integer to JSON Schema; the fast check is stricter and asks jsonschema
    config = parse_config('{"release-search-depth": 10.0, "packages": {".": {}}}', None)
    assert config.packages[0].path == "."


def test_changelog_type_is_read_per_package() -> None:
    text = '{"changelog-type": "github", "packages": {".": {}, "b": {"changelog-type": "default"}}}'
    root, b = parse_config(text, None).packages
    assert (root.changelog_type, b.changelog_type) == ("github", "default")
    assert parse_config("{}", None).packages[0].changelog_type == "default"


def test_release_pr_options() -> None:
    text = (
        '{"signoff": "Bot <bot@example.com>", "draft-pull-request": true,'
        ' "packages": {".": {"extra-label": "team: a, ,needs-qa"},'
        ' "b": {"draft-pull-request": false}}}'
    )
    config = parse_config(text, None)
    root, b = config.packages
    assert config.signoff == "Bot <bot@example.com>"
    assert (root.draft_pull_request, root.extra_labels) == (True, ("team: a", "needs-qa"))
    assert (b.draft_pull_request, b.extra_labels) == (False, ())
    assert parse_config("{}", None).signoff is None


# --- release types: unknown ones are errors, release-please's unbuilt ones warnings ------------


@pytest.mark.parametrize(
    ("config", "message"),
    [
        pytest.param(
            {"release-type": "nodejs"},
            "release-please-config.json: release-type 'nodejs' is not a release-please release",
            id="top-level",
        ),
        pytest.param(
            {"packages": {"a": {"release-type": "Rust"}}},
            "release-please-config.json: packages['a']: release-type 'Rust' is not",
            id="package",
        ),
    ],
)
def test_unknown_release_type_in_the_config_is_an_error(
    config: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config(json.dumps(config), None)
    text = str(raised.value)
    assert text.startswith(message)
    assert "use one of: bazel, dart, elixir, expo, go, helm, java, julia, maven, node, " in text
    assert (
        "ocaml, php, python, r, ruby, rust, salesforce, sfdx, simple, terraform-module (or, "
        in text
    )
    assert "\n" not in text


def test_inherited_unbuilt_type_warns_once_per_package_where_it_is_set() -> None:
    config = parse_config(
        json.dumps(
            {
                "release-type": "krm-blueprint",
                "packages": {"a": {}, "b": {"release-type": "php-yoshi"}},
            }
        ),
        None,
    )
    assert config.warnings == (
        'release-please-config.json: release-type "krm-blueprint" updates no version files in '
        "relkit: only CHANGELOG.md and the manifest are updated; add its version files to "
        "extra-files",
        "release-please-config.json: packages['b']: release-type \"php-yoshi\" updates no version "
        "files in relkit: only CHANGELOG.md and the manifest are updated; add its version files "
        "to extra-files",
    )


def test_single_package_release_type_input_is_checked() -> None:
    with pytest.raises(ConfigError, match=r"^input release-type 'nodejs' is not a release-please"):
        single_package_config({"release-type": "nodejs"})
    config = single_package_config({"release-type": "go-yoshi"})
    assert config.warnings == (
        'input release-type "go-yoshi" updates no version files in relkit: only CHANGELOG.md '
        "and the manifest are updated; add its version files to extra-files",
    )
    assert single_package_config({"release-type": "rust"}).warnings == ()


def test_version_file_is_read() -> None:
    config = parse_config('{"release-type": "go", "version-file": "version.go"}', None)
    assert config.packages[0].version_file == "version.go"
    assert config.warnings == ()


@pytest.mark.parametrize(
    ("key", "value", "where"),
    [
        pytest.param("extra-files", '[{"type": "json"}]', "inputs: extra-files/0", id="no-path"),
        pytest.param("exclude-paths", "[1]", "inputs: exclude-paths/0", id="not-a-string"),
        pytest.param(
            "changelog-sections", '[{"type": "feat"}]', "inputs: changelog-sections/0", id="sec"
        ),
    ],
)
def test_json_inputs_are_checked_with_the_config_schema(key: str, value: str, where: str) -> None:
    with pytest.raises(ConfigError, match=f"^{where}"):
        single_package_config({"release-type": "simple", key: value})
