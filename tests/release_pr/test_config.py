"""release-please-config.json + manifest parsing, validation and single-package mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from release_pr.config import (
    ExtraFile,
    PackageConfig,
    load_config,
    parse_config,
    single_package_config,
)
from relkit.core.changelog import ChangelogSection
from relkit.errors import ConfigError


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
        '{"plugins": ["sentence-case", {"type": "node-workspace"}, {"type": "sentence-case"}, 3]}',
        None,
    )
    assert config.plugins == ("sentence-case", "sentence-case")
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


def test_load_config_prefers_the_files(tmp_path: Path) -> None:
    (tmp_path / "release-please-config.json").write_text('{"packages": {".": {}}}')
    (tmp_path / ".release-please-manifest.json").write_text('{".": "2.0.0"}')
    config = load_config(tmp_path, inputs={"release-type": "node"})
    assert config.manifest == {".": "2.0.0"}
    assert config.packages[0].release_type == "simple"


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
        pytest.param({"extra-files": '[{"type": "json"}]'}, "needs a 'path'", id="no-path"),
        pytest.param({"extra-files": "[oops"}, "not valid JSON", id="bad-json"),
    ],
)
def test_single_package_inputs_are_checked(inputs: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        single_package_config({"release-type": "simple", **inputs})
