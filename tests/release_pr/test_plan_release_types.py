"""One release plan per release type over a real git repository: the version files it updates
hold the new version; through the CLI an unknown type exits 2, release-please's other types warn."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from release_pr.config import load_config
from release_pr.plan import plan_release
from relkit import cli

Repo = Any  # the `repo` fixture of conftest.py

NOW = datetime(2026, 7, 28, 12, 0, tzinfo=UTC)


def _plan(repo: Repo, config: dict[str, Any], manifest: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    repo.commit(
        "chore: configure release-please",
        {
            "release-please-config.json": json.dumps(config),
            ".release-please-manifest.json": json.dumps(manifest or {}),
        },
    )
    return plan_release(
        repo.path,
        load_config(repo.path),
        target_branch="main",
        now=NOW,
        repo_url="https://github.com/o/r",
    )


def _released(repo: Repo, files: dict[str, str]) -> None:
    repo.commit("chore: init", files)
    repo.tag("v1.2.3")
    repo.commit("feat: a new thing")


CARGO = '[package]\nname = "demo"\nversion = "1.2.3"\n\n[dependencies]\nserde = "1"\n'
CARGO_LOCK = (
    'version = 3\n\n[[package]]\nname = "demo"\nversion = "1.2.3"\n'
    'dependencies = [\n "serde",\n]\n\n[[package]]\nname = "serde"\nversion = "1.0.0"\n'
    'source = "registry+https://github.com/rust-lang/crates.io-index"\n'
)


@pytest.mark.parametrize(
    ("release_type", "package_name", "files", "expected"),
    [
        pytest.param("go", None, {"go.mod": "module example.com/demo\n"}, {}, id="go"),
        pytest.param(
            "rust",
            None,
            {"Cargo.toml": CARGO, "Cargo.lock": CARGO_LOCK},
            {
                "Cargo.toml": CARGO.replace("1.2.3", "1.3.0"),
                "Cargo.lock": CARGO_LOCK.replace("1.2.3", "1.3.0"),
            },
            id="rust",
        ),
        pytest.param(
            "ruby",
            "demo-gem",
            {
                "lib/demo/gem/version.rb": 'module Demo\n  VERSION = "1.2.3"\nend\n',
                "Gemfile.lock": "PATH\n  remote: .\n  specs:\n    demo-gem (1.2.3)\n",
            },
            {
                "lib/demo/gem/version.rb": 'module Demo\n  VERSION = "1.3.0"\nend\n',
                "Gemfile.lock": "PATH\n  remote: .\n  specs:\n    demo-gem (1.3.0)\n",
            },
            id="ruby",
        ),
        pytest.param(
            "dart",
            None,
            {"pubspec.yaml": "name: demo\nversion: 1.2.3+7\n"},
            {"pubspec.yaml": "name: demo\nversion: 1.3.0+8\n"},
            id="dart",
        ),
        pytest.param(
            "elixir",
            None,
            {"mix.exs": '  @version "1.2.3"\n'},
            {"mix.exs": '  @version "1.3.0"\n'},
            id="elixir",
        ),
        pytest.param(
            "php",
            None,
            {
                "composer.json": '{\n  "name": "o/demo",\n  "version": "1.2.3"\n}\n',
                "VERSION": "1.2.3\n",
            },
            {
                "composer.json": '{\n  "name": "o/demo",\n  "version": "1.3.0"\n}\n',
                "VERSION": "1.3.0\n",
            },
            id="php",
        ),
        pytest.param(
            "bazel",
            None,
            {"MODULE.bazel": 'module(name = "demo", version = "1.2.3")\n'},
            {"MODULE.bazel": 'module(name = "demo", version = "1.3.0")\n'},
            id="bazel",
        ),
        pytest.param(
            "expo",
            None,
            {
                "package.json": '{"version": "1.2.3", "dependencies": {"expo": "~50.0.0"}}\n',
                "app.json": '{"expo": {"version": "1.2.3", "android": {"versionCode": 500010203}}}',
            },
            {
                "package.json": '{"version": "1.3.0", "dependencies": {"expo": "~50.0.0"}}\n',
                "app.json": '{"expo": {"version": "1.3.0", "android": {"versionCode": 500010300}}}',
            },
            id="expo",
        ),
        pytest.param(
            "ocaml",
            None,
            {
                "demo.opam": 'opam-version: "2.0"\nversion: "1.2.3"\n',
                "dune-project": "(lang dune 3.0)\n(version 1.2.3)\n",
            },
            {
                "demo.opam": 'opam-version: "2.0"\nversion: "1.3.0"\n',
                "dune-project": "(lang dune 3.0)\n(version 1.3.0)\n",
            },
            id="ocaml",
        ),
        pytest.param(
            "sfdx",
            None,
            {
                "sfdx-project.json": '{"packageDirectories": [{"path": "app", "default": true, '
                '"versionNumber": "1.2.3.NEXT"}]}\n'
            },
            {
                "sfdx-project.json": '{"packageDirectories": [{"path": "app", "default": true, '
                '"versionNumber": "1.3.0.NEXT"}]}\n'
            },
            id="sfdx",
        ),
        pytest.param(
            "julia",
            None,
            {"Project.toml": 'name = "Demo"\nversion = "1.2.3"\n'},
            {"Project.toml": 'name = "Demo"\nversion = "1.3.0"\n'},
            id="julia",
        ),
        pytest.param(
            "r",
            None,
            {"DESCRIPTION": "Package: demo\nVersion: 1.2.3\n"},
            {"DESCRIPTION": "Package: demo\nVersion: 1.3.0\n"},
            id="r",
        ),
    ],
)
def test_release_type_updates_its_version_files(
    repo: Repo,
    release_type: str,
    package_name: str | None,
    files: dict[str, str],
    expected: dict[str, str],
) -> None:
    _released(repo, files)
    package: dict[str, Any] = {"release-type": release_type}
    if package_name:
        package["package-name"] = package_name
    result = _plan(repo, {"packages": {".": package}}, {".": "1.2.3"})
    (release,) = result.packages
    assert str(release.version) == "1.3.0"
    updates = dict(result.file_updates)
    assert set(updates) == {"CHANGELOG.md", ".release-please-manifest.json", *expected}
    for path, content in expected.items():
        assert updates[path] == content
    assert result.warnings == ()


def test_terraform_module_versions_the_module_and_its_submodules(repo: Repo) -> None:
    versions = 'provider_meta "google" {\n  module_name = "blueprints/terraform/x/v0.1.0"\n}\n'
    readme = 'module "x" {\n  version = "~> 0.1"\n}\n'
    repo.commit(
        "chore: init",
        {
            "infra/versions.tf": versions,
            "infra/README.md": readme,
            "infra/modules/sub/versions.tf": versions,
            "infra/modules/sub/notes.txt": "v0.1.0\n",
            "other/versions.tf": versions,
        },
    )
    repo.commit("feat: a variable", {"infra/variables.tf": 'variable "x" {}\n'})
    result = _plan(repo, {"packages": {"infra": {"release-type": "terraform-module"}}})
    (release,) = result.packages
    assert str(release.version) == "0.1.0"  # release-please's terraform-module starts at 0.1.0
    updates = dict(result.file_updates)
    assert set(updates) == {
        "infra/CHANGELOG.md",
        ".release-please-manifest.json",
    }  # 0.1.0 everywhere already: nothing else changes
    repo.tag("infra-v0.1.0")
    repo.commit("feat: another", {"infra/outputs.tf": 'output "y" {}\n'})
    updates = dict(
        _plan(repo, {"packages": {"infra": {"release-type": "terraform-module"}}}).file_updates
    )
    assert updates["infra/versions.tf"] == versions.replace("v0.1.0", "v0.2.0")
    assert updates["infra/modules/sub/versions.tf"] == versions.replace("v0.1.0", "v0.2.0")
    assert updates["infra/README.md"] == readme.replace("~> 0.1", "~> 0.2")
    assert "other/versions.tf" not in updates
    assert "infra/modules/sub/notes.txt" not in updates


POM = """\
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId>
  <artifactId>demo</artifactId>
  <version>1.2.3</version>
</project>
"""


def test_maven_versions_every_pom_and_says_there_are_no_snapshots(repo: Repo) -> None:
    module = POM.replace("<artifactId>demo</artifactId>", "<artifactId>core</artifactId>")
    _released(repo, {"pom.xml": POM, "core/pom.xml": module})
    result = _plan(repo, {"release-type": "maven"}, {".": "1.2.3"})
    updates = dict(result.file_updates)
    assert updates["pom.xml"] == POM.replace("1.2.3", "1.3.0")
    assert updates["core/pom.xml"] == module.replace("1.2.3", "1.3.0")
    (warning,) = result.warnings
    assert "relkit opens no SNAPSHOT pull requests" in warning


def test_ruby_components_are_tagged_with_a_slash(repo: Repo) -> None:
    repo.commit("chore: init", {"gems/foo/lib/foo/version.rb": 'VERSION = "0.1.0"\n'})
    repo.commit("fix: a bug", {"gems/foo/lib/foo.rb": "module Foo; end\n"})
    ruby = {"release-type": "ruby", "package-name": "foo", "tag-separator": "-"}
    config = {"packages": {"gems/foo": ruby}}
    result = _plan(repo, config)
    (release,) = result.packages
    assert release.tag == "foo/v1.0.0"
    assert dict(result.file_updates)["gems/foo/lib/foo/version.rb"] == 'VERSION = "1.0.0"\n'


def test_go_version_file_setting(repo: Repo) -> None:
    _released(repo, {"internal/version.go": 'package internal\n\nconst Version = "1.2.3"\n'})
    config = {"release-type": "go", "version-file": "internal/version.go"}
    updates = dict(_plan(repo, config, {".": "1.2.3"}).file_updates)
    assert updates["internal/version.go"] == 'package internal\n\nconst Version = "1.3.0"\n'


def test_rust_workspace_in_a_subdirectory_versions_its_members(repo: Repo) -> None:
    root = '[workspace]\nmembers = ["core"]\n'
    core = '[package]\nname = "core"\nversion = "0.1.0"\n'
    repo.commit("chore: init", {"rs/Cargo.toml": root, "rs/core/Cargo.toml": core})
    repo.commit("fix: a bug", {"rs/core/src/lib.rs": "pub fn f() {}\n"})
    result = _plan(repo, {"packages": {"rs": {"release-type": "rust"}}})
    (release,) = result.packages
    assert str(release.version) == "1.0.0"  # release-please's rust strategy starts at 1.0.0
    updates = dict(result.file_updates)
    assert updates["rs/core/Cargo.toml"] == core.replace("0.1.0", "1.0.0")
    assert "rs/Cargo.toml" not in updates  # nothing versioned in a bare workspace root
    (warning,) = result.warnings
    assert warning.startswith("packages['rs']: release-type rust: Cargo.toml is a [workspace]")


def test_first_release_versions_follow_the_type(repo: Repo) -> None:
    repo.commit("feat: first", {"Project.toml": 'name = "Demo"\nversion = "0.0.1"\n'})
    result = _plan(repo, {"release-type": "julia"})
    (release,) = result.packages
    assert str(release.version) == "0.1.0"
    assert dict(result.file_updates)["Project.toml"] == 'name = "Demo"\nversion = "0.1.0"\n'


def test_unbuilt_type_warns_and_writes_only_the_changelog_and_manifest(repo: Repo) -> None:
    repo.commit("feat: first", {"kptfile": "apiVersion: kpt.dev/v1\n"})
    result = _plan(repo, {"release-type": "krm-blueprint"})
    assert {path for path, _ in result.file_updates} == {
        "CHANGELOG.md",
        ".release-please-manifest.json",
    }
    (warning,) = result.warnings
    assert warning == (
        'release-please-config.json: release-type "krm-blueprint" updates no version files in '
        "relkit: only CHANGELOG.md and the manifest are updated; add its version files to "
        "extra-files"
    )


def test_unknown_release_type_input_exits_2_with_one_line(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.commit("feat: a")
    code = cli.main(
        ["release-pr", "--dry-run", "--release-type", "nodejs", "--workspace", str(repo.path)], {}
    )
    assert code == 2
    captured = capsys.readouterr()
    lines = [line for line in (captured.out + captured.err).splitlines() if line.strip()]
    (line,) = lines
    assert "input release-type 'nodejs' is not a release-please release type; use one of:" in line
    assert "Traceback" not in captured.err


def test_unbuilt_release_type_input_warns(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("feat: a")
    code = cli.main(
        ["release-pr", "--dry-run", "--release-type", "java-yoshi", "--workspace", str(repo.path)],
        {},
    )
    assert code == 0
    err = capsys.readouterr().err  # a terminal: a plain warning line, no workflow command
    assert 'warning (release-pr): input release-type "java-yoshi" updates no version files' in err
