"""The dry run reads the configuration the real run reads, and stops where it stops (exit 2):
no silent fallback to release type ``simple``."""

from __future__ import annotations

import json
from typing import Any

import pytest
from release_pr import entry
from release_pr.config import load_config
from relkit.errors import ConfigError

Repo = Any  # the `repo` fixture of conftest.py

NODE_CONFIG = '{"packages": {".": {"release-type": "node"}}}'
PACKAGE_JSON = '{"name": "pkg", "version": "1.0.0"}\n'


def _node_repo(repo: Repo) -> Repo:
    repo.commit(
        "chore: init",
        {
            "release-please-config.json": NODE_CONFIG,
            ".release-please-manifest.json": '{".": "1.0.0"}',
            "package.json": PACKAGE_JSON,
            "sub/deeper/readme.txt": "x",
        },
    )
    repo.tag("v1.0.0")
    repo.commit("feat: more")
    return repo


def _files(repo: Repo, capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    assert entry.main(["--dry-run", "--json", "--repo-url", "o/r", *argv], {}) == 0
    out = capsys.readouterr().out
    data = json.loads(out[out.index("{") :])
    files: list[str] = data["pull_requests"][0]["files"]
    return files


def test_a_config_file_that_does_not_exist_stops_the_dry_run(repo: Repo) -> None:
    _node_repo(repo)
    with pytest.raises(ConfigError, match=r"no release-please-conf\.json in .*--config-file"):
        entry.main(
            ["--dry-run", f"--workspace={repo.path}", "--config-file=release-please-conf.json"],
            {},
        )


def test_no_configuration_at_all_stops_the_dry_run_as_the_real_run(repo: Repo) -> None:
    repo.commit("fix: a")
    with pytest.raises(ConfigError, match=r"no release-please-config\.json .*--release-type"):
        entry.main(["--dry-run", f"--workspace={repo.path}"], {})


def test_a_subfolder_reads_the_repository_root(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    _node_repo(repo)
    files = _files(repo, capsys, f"--workspace={repo.path / 'sub' / 'deeper'}")
    assert files == [".release-please-manifest.json", "CHANGELOG.md", "package.json"]


LEGACY_YML = """\
releaseType: node
packageName: pkg
bumpMinorPreMajor: true
handleGHRelease: true
primaryBranch: main
"""


def test_the_older_github_release_please_yml_is_read(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.commit(
        "chore: init", {".github/release-please.yml": LEGACY_YML, "package.json": PACKAGE_JSON}
    )
    repo.tag("v1.0.0")
    repo.commit("feat: more")
    assert _files(repo, capsys, f"--workspace={repo.path}") == ["CHANGELOG.md", "package.json"]
    config = load_config(repo.path)
    (package,) = config.packages
    assert (package.release_type, package.package_name, package.bump_minor_pre_major) == (
        "node",
        "pkg",
        True,
    )


def test_an_older_yml_with_an_unknown_key_warns_and_a_bad_type_stops(repo: Repo) -> None:
    repo.commit("chore: init", {".github/release-please.yml": "releaseType: node\ncolour: red\n"})
    assert any("colour" in w for w in load_config(repo.path).warnings)
    (repo.path / ".github" / "release-please.yml").write_text("releaseType: [node]\n")
    with pytest.raises(ConfigError, match=r"\.github/release-please\.yml: releaseType"):
        load_config(repo.path)
    (repo.path / ".github" / "release-please.yml").write_text("releaseType: nodejs\n")
    with pytest.raises(ConfigError, match="release-type 'nodejs'"):
        load_config(repo.path)


def test_an_older_yml_with_manifest_true_reads_the_manifest_config(repo: Repo) -> None:
    repo.commit(
        "chore: init",
        {
            ".github/release-please.yml": "manifest: true\nmanifestConfig: rp.json\n",
            "rp.json": NODE_CONFIG,
        },
    )
    assert load_config(repo.path).packages[0].release_type == "node"


def test_a_release_type_input_beside_a_config_file_wins_as_in_release_please_action_v4(
    repo: Repo,
) -> None:
    _node_repo(repo)
    config = load_config(repo.path, inputs={"release-type": "python", "package-name": "p"})
    assert [(p.release_type, p.package_name) for p in config.packages] == [("python", "p")]
    assert config.manifest_path is None
    assert any(
        "input 'release-type' is set, so release-please-config.json is not read" in w
        for w in config.warnings
    )


def test_package_inputs_beside_a_config_file_are_named_in_a_warning(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    _node_repo(repo)
    config = load_config(repo.path, inputs={"release-as": "2.0.0", "changelog-host": "https://x"})
    assert config.packages[0].release_type == "node"
    assert [w for w in config.warnings if "release-as" in w] == [
        "inputs 'release-as' apply only with 'release-type' and are ignored: "
        "release-please-config.json is read; set them there"
    ]
    assert entry.main(["--dry-run", f"--workspace={repo.path}", "--release-as=2.0.0"], {}) == 0
    assert "warning (release-pr): inputs 'release-as' apply only" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        pytest.param(
            ["--prerelease=yes"], {}, "input 'prerelease' must be true or false", id="flag"
        ),
        pytest.param(
            [], {"INPUT_PRERELEASE": "yes"}, "input 'prerelease' must be true", id="input"
        ),
        pytest.param(["--extra-files=[1"], {}, "input extra-files", id="json"),
    ],
)
def test_a_bad_value_of_an_ignored_input_is_still_refused(
    repo: Repo, argv: list[str], env: dict[str, str], message: str
) -> None:
    """Beside a config file the package inputs are ignored (with a warning), but a value no
    run could read (``--prerelease yes``) stops the run, as without the config file."""
    _node_repo(repo)
    with pytest.raises(ConfigError, match=message):
        entry.main(["--dry-run", f"--workspace={repo.path}", *argv], env)
