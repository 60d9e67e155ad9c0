"""Finding and reading commitlint configs in a repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from commit_lint.config_files import derive_json, find_config_file, load_config
from relkit.errors import ConfigError


def make_repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    return tmp_path


@pytest.mark.parametrize(
    ("name", "text"),
    [
        pytest.param(
            ".commitlintrc", '{"extends": ["@commitlint/config-conventional"]}', id="rc-json"
        ),
        pytest.param(".commitlintrc", "extends: ['@commitlint/config-conventional']", id="rc-yaml"),
        pytest.param(".commitlintrc.json", '{"extends": "conventional"}', id="json"),
        pytest.param(".commitlintrc.yaml", "extends:\n  - conventional\n", id="yaml"),
        pytest.param(".commitlintrc.yml", "extends: [conventional]\n", id="yml"),
        pytest.param(
            "package.json", '{"name": "x", "commitlint": {"extends": ["conventional"]}}', id="pkg"
        ),
        pytest.param("package.yaml", "commitlint:\n  extends: [conventional]\n", id="pkg-yaml"),
    ],
)
def test_discovered_formats(tmp_path: Path, name: str, text: str):
    root = make_repo(tmp_path)
    (root / name).write_text(text)
    assert find_config_file(root) == root / name
    config = load_config(root)
    assert len(config.active) == 12
    assert config.source.startswith(str(root / name))


def test_package_json_without_key_is_skipped(tmp_path: Path):
    root = make_repo(tmp_path)
    (root / "package.json").write_text('{"name": "x"}')
    (root / ".commitlintrc.yml").write_text("rules:\n  type-empty: [2, never]\n")
    assert find_config_file(root) == root / ".commitlintrc.yml"


def test_search_walks_up_to_the_git_root(tmp_path: Path):
    root = make_repo(tmp_path)
    (root / ".commitlintrc.json").write_text('{"extends": ["conventional"]}')
    sub = root / "a" / "b"
    sub.mkdir(parents=True)
    assert find_config_file(sub) == root / ".commitlintrc.json"


def test_no_config_means_config_conventional(tmp_path: Path):
    root = make_repo(tmp_path)
    assert find_config_file(root) is None
    assert load_config(root).source.startswith("@commitlint/config-conventional")


def test_explicit_config_file_and_relative_extends(tmp_path: Path):
    root = make_repo(tmp_path)
    (root / "base.yaml").write_text(
        "extends: [conventional]\nrules:\n  type-enum: [2, always, [x]]\n"
    )
    (root / "lint.json").write_text(json.dumps({"extends": ["./base.yaml"]}))
    config = load_config(root, "lint.json")
    assert {rule.name: rule.value for rule in config.rules}["type-enum"] == ["x"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param(".commitlintrc.json", b"{", "not valid JSON", id="json"),
        pytest.param(".commitlintrc.yaml", b"a: [", "not valid YAML", id="yaml"),
        pytest.param(".commitlintrc.json", b"\xff", "not valid UTF-8", id="utf8"),
        pytest.param(".commitlintrc.json", b"[1]", "must be a mapping", id="not-mapping"),
        pytest.param(".commitlintrc.yaml", b"", "no rules configured", id="empty"),
        pytest.param(".commitlintrc.json", b" " * (1024 * 1024 + 1), "larger than 1 MiB", id="big"),
    ],
)
def test_bad_files(tmp_path: Path, name: str, content: bytes, message: str):
    root = make_repo(tmp_path)
    (root / name).write_bytes(content)
    with pytest.raises(ConfigError, match=message):
        load_config(root)


def test_missing_explicit_file_and_extends(tmp_path: Path):
    root = make_repo(tmp_path)
    with pytest.raises(ConfigError, match="not found"):
        load_config(root, "nope.json")
    (root / "a.json").write_text('{"extends": ["./missing.json"]}')
    with pytest.raises(ConfigError, match="cannot read commitlint config"):
        load_config(root, "a.json")
    (root / "pkg" / "package.json").parent.mkdir()
    (root / "pkg" / "package.json").write_text("{}")
    (root / "b.json").write_text('{"extends": ["./pkg/package.json"]}')
    with pytest.raises(ConfigError, match="no 'commitlint' key"):
        load_config(root, "b.json")
    (root / "package.json").write_text("{}")
    with pytest.raises(ConfigError, match="no 'commitlint' key"):
        load_config(root, "package.json")


def test_javascript_config_shows_the_json(tmp_path: Path):
    root = make_repo(tmp_path)
    (root / "commitlint.config.js").write_text(
        "// shared\nmodule.exports = {\n  extends: ['@commitlint/config-conventional'],\n"
        "  rules: { 'header-max-length': [RuleConfigSeverity.Error, 'always', 72], },\n};\n"
    )
    with pytest.raises(ConfigError) as error:
        load_config(root)
    text = str(error.value)
    assert "does not run" in text
    assert (
        '{"extends":["@commitlint/config-conventional"],"rules":{"header-max-length":[2,"always",72]}}'
        in text
    )


def test_typescript_config_that_is_code(tmp_path: Path):
    root = make_repo(tmp_path)
    (root / "commitlint.config.ts").write_text(
        "import type { UserConfig } from '@commitlint/types';\n"
        "const c: UserConfig = { extends: [x] };\nexport default c;\n"
    )
    with pytest.raises(ConfigError, match="write the same settings as JSON"):
        load_config(root)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("export default {extends: ['a']};", {"extends": ["a"]}, id="esm"),
        pytest.param("const x = 1;", None, id="no-export"),
        pytest.param("module.exports = [1];", None, id="not-object"),
        pytest.param("module.exports = {a: require('x')};", None, id="code"),
    ],
)
def test_derive_json(source: str, expected: object):
    assert derive_json(source) == expected
