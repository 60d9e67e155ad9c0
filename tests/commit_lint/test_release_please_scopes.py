"""``extends: ["@relkit/config-release-please-scopes"]``: the components of the repository's
release-please config and manifest are the allowed scopes (commitlint's lerna/pnpm/nx scope
presets, with release-pr's config as the one source of truth)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from commit_lint.config_files import load_config
from commit_lint.lint import lint_message
from relkit.errors import ConfigError

PRESET = "@relkit/config-release-please-scopes"


def _repo(tmp_path: Path, extends: list[str]) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".commitlintrc.json").write_text(json.dumps({"extends": extends}))
    config = {
        "packages": {
            "packages/api": {"component": "api"},
            "packages/web-ui": {"package-name": "@acme/web"},
            "tools/cli": {},
            ".": {"release-type": "simple"},
        }
    }
    (tmp_path / "release-please-config.json").write_text(json.dumps(config))
    manifest = {"packages/api": "1.0.0", "libs/core": "0.1.0"}
    (tmp_path / ".release-please-manifest.json").write_text(json.dumps(manifest))
    return tmp_path


@pytest.mark.parametrize(
    ("header", "valid"),
    [
        ("feat(api): a", True),
        ("feat(web): a", True),  # @acme/web: the name without its npm scope
        ("feat(cli): a", True),  # no component: the folder's name
        ("feat(core): a", True),  # only in the manifest
        ("feat: no scope", True),
        ("feat(db): a", False),
    ],
)
def test_components_are_the_allowed_scopes(tmp_path: Path, header: str, valid: bool) -> None:
    root = _repo(tmp_path, ["@commitlint/config-conventional", PRESET])
    result = lint_message(header + "\n", load_config(root / "packages"))
    assert result.valid is valid
    if not valid:
        [violation] = result.errors
        assert violation.rule == "scope-enum"
        assert "api, cli, core, web" in violation.message


def test_without_release_please_files_the_preset_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".commitlintrc.json").write_text(json.dumps({"extends": [PRESET]}))
    with pytest.raises(ConfigError, match=r"no release-please-config\.json or manifest"):
        load_config(tmp_path)
