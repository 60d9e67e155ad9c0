"""`relkit release-pr --dry-run [--json]` and `--json-batch` through the action entry."""

from __future__ import annotations

import gc
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from release_pr import entry, history
from release_pr.batch import answer_case, run_json_batch
from relkit import cli
from relkit.errors import ConfigError, ExternalError

Repo = Any  # the `repo` fixture of conftest.py


def without_override_notice(warnings: list[str]) -> list[str]:
    """The warnings but the no-token notice (feat: shiny (#4) names a pull request)."""
    return [w for w in warnings if not w.startswith("BEGIN_COMMIT_OVERRIDE blocks")]


def released_repo(repo: Repo) -> Repo:
    repo.commit("chore: init", {"version.txt": "0.9.0\n"})
    repo.tag("v0.9.0")
    repo.commit("feat: shiny (#4)")
    repo.commit("chore: release notes\n\nSigned-off-by: Dev <dev@example.com>")
    return repo


@pytest.mark.parametrize(
    ("env", "marker"),
    [
        pytest.param({}, False, id="terminal"),
        pytest.param({"GITHUB_ACTIONS": "true"}, True, id="runner"),
    ],
)
def test_dry_run_text(
    repo: Repo, capsys: pytest.CaptureFixture[str], env: dict[str, str], *, marker: bool
) -> None:
    released_repo(repo)
    code = entry.main(
        [
            "--dry-run",
            "--release-type",
            "simple",
            "--workspace",
            str(repo.path),
            "--repo-url",
            "git@github.com:o/r.git",
        ],
        env,
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "package .: 0.9.0 (v0.9.0) -> 0.10.0 (tag v0.10.0)" in out
    assert "### Features\n\n* shiny ([#4](https://github.com/o/r/issues/4))" in out
    assert "release PR: 'chore(main): release 0.10.0' on release-please--branches--main" in out
    # commit text is untrusted: only a runner, which reads workflow commands, needs the markers
    assert ("\n::stop-commands::" in f"\n{out}") is marker


def test_dry_run_json_reads_inputs_from_env(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    released_repo(repo)
    env = {
        "INPUT_RELEASE-TYPE": "node",
        "GITHUB_REPOSITORY": "o/r",
        "GITHUB_WORKSPACE": str(repo.path),
    }
    assert entry.main(["--dry-run", "--json"], env) == 0
    data = json.loads(capsys.readouterr().out)
    (release,) = data["releases"]
    assert release["version"] == "0.10.0"
    assert release["previous_tag"] == "v0.9.0"
    assert data["pull_requests"][0]["files"] == ["CHANGELOG.md"]  # no package.json: nothing else
    assert data["target_branch"] == "main"


def test_dry_run_with_nothing_to_release(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("chore: init")
    repo.tag("v1.0.0")
    assert entry.main(["--dry-run", "--release-type=simple", f"--workspace={repo.path}"], {}) == 0
    assert "nothing to release on main" in capsys.readouterr().out


def test_dry_run_warns_about_unknown_config_keys(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.commit("feat: a", {"release-please-config.json": '{"colour": "red"}'})
    assert entry.main(["--dry-run", f"--workspace={repo.path}"], {}) == 0
    assert (
        "warning (release-pr): release-please-config.json: unknown key 'colour'"
        in capsys.readouterr().err
    )
    assert entry.main(["--dry-run", f"--workspace={repo.path}"], {"GITHUB_ACTIONS": "true"}) == 0
    assert (
        "::warning title=release-pr::release-please-config.json: unknown key 'colour'"
        in capsys.readouterr().out
    )


def test_an_unknown_flag_is_one_error_line_after_the_usage(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    """As every other action: argparse's usage, then one line naming the flag (exit 2)."""
    with pytest.raises(SystemExit) as exited:
        cli.main(["release-pr", "--dry-run", "--bogus", f"--workspace={repo.path}"], {})
    assert exited.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith("usage: relkit release-pr")
    assert [line for line in err if "error" in line] == [
        "relkit release-pr: error: unrecognized arguments: --bogus"
    ]


@pytest.mark.parametrize(
    ("argv", "error", "message"),
    [
        pytest.param(
            ["--dry-run", "--workspace", "/nonexistent/x"],
            ConfigError,
            "is not a directory",
            id="bad-path",
        ),
    ],
)
def test_dry_run_errors(repo: Repo, argv: list[str], error: type[Exception], message: str) -> None:
    repo.commit("feat: a")
    with pytest.raises(error, match=message):
        entry.main(
            [*argv, "--workspace", str(repo.path)] if "--workspace" not in argv else argv, {}
        )


def test_dry_run_with_only_a_release_type(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("fix: a")
    assert entry.main(["--dry-run", "--release-type=simple", f"--workspace={repo.path}"], {}) == 0
    assert "package .: none -> 1.0.0 (tag v1.0.0)" in capsys.readouterr().out


def test_dry_run_outside_a_repository(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a git repository"):
        entry.main(["--dry-run", "--release-type", "simple", "--workspace", str(tmp_path)], {})


def _help(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:  # argparse's --help: relkit.cli exits with it
        entry.main(argv, {})
    assert exited.value.code == 0


def test_help_exits_cleanly(capsys: pytest.CaptureFixture[str]) -> None:
    _help(["--dry-run", "--help"])
    assert "--json-batch" in capsys.readouterr().out


def test_help_wraps_to_the_terminal_width(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = {}
    for columns in (60, 200):
        monkeypatch.setenv("COLUMNS", str(columns))
        _help(["--dry-run", "--help"])
        lines[columns] = capsys.readouterr().out.splitlines()
    assert len(lines[60]) > len(lines[200])
    assert max(map(len, lines[200])) > 80


def test_other_modes_run_the_action_and_need_a_token() -> None:
    with pytest.raises(ConfigError, match="input 'token' is empty"):
        entry.main([], {})


CASE = {
    "id": "o/r@v1.1.0",
    "owner": "o",
    "repository": "r",
    "host": "https://github.com",
    "previous_tag": "pkg-v1.0.0",
    "previous_version": "1.0.0",
    "commits": [
        {"sha": "a" * 40, "parents": [], "message": "chore: release 1.1.0"},
        {"sha": "b" * 40, "parents": [], "message": "feat: x\n\nFixes #9"},
    ],
    "config": {"release_type": "node", "changelog_sections": None, "versioning": None},
}


def test_batch_answers_in_order(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = [CASE, {**CASE, "commits": []}, "not a case"]
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(cases)))
    assert entry.main(["--json-batch"], {}) == 0
    answers = json.loads(capsys.readouterr().out)
    assert [a["next_version"] for a in answers] == ["1.1.0", None, None]
    assert answers[0]["changelog"].startswith(
        "## [1.1.0](https://github.com/o/r/compare/pkg-v1.0.0...pkg-v1.1.0)"
    )
    assert ", closes [#9](https://github.com/o/r/issues/9)" in answers[0]["changelog"]


@pytest.mark.parametrize(
    ("previous_tag", "previous_version", "current"),
    [
        pytest.param("v1.0.0", "1.0.0", "v1.0.1", id="v"),
        pytest.param("1.0.0", "1.0.0", "1.0.1", id="bare"),
        pytest.param("pkg@1.0.0", "1.0.0", "pkg@1.0.1", id="at"),
        pytest.param("release-1.0.0", "1.0.0", "release-1.0.1", id="dash"),
        pytest.param("weird", "1.0.0", "v1.0.1", id="unrelated"),
        pytest.param("x1.0.0", "1.0.0", "x1.0.1", id="no-separator"),
    ],
)
def test_batch_keeps_the_tag_shape(previous_tag: str, previous_version: str, current: str) -> None:
    case = {**CASE, "previous_tag": previous_tag, "previous_version": previous_version}
    case["commits"] = [{"sha": "c" * 40, "message": "fix: y"}]
    answer = answer_case(case, "2026-01-01")
    assert f"...{current})" in (answer["changelog"] or "")


def test_batch_applies_the_sentence_case_plugin() -> None:
    config = {**CASE["config"], "plugins": ["sentence-case", 7]}  # type: ignore[dict-item]
    answer = answer_case({**CASE, "config": config}, "2026-01-01")
    assert "* X (" in (answer["changelog"] or "")


def test_batch_reads_unconfigured_repositories_like_their_release_tools() -> None:
    commits = [
        {"sha": "a" * 40, "message": "0.2.0"},
        {"sha": "b" * 40, "message": ":sparkles: Add noop mode\n\nsee #4"},
    ]
    unconfigured = {**CASE, "commits": commits, "config": {"source": None}}
    answer = answer_case(unconfigured, "2026-01-01")
    assert answer["next_version"] == "1.1.0"
    assert "* Add noop mode ([bbbbbbb]" in (answer["changelog"] or "")
    assert ", closes [#4](https://github.com/o/r/issues/4)" in (answer["changelog"] or "")
    configured = {**unconfigured, "config": {"source": "release-please-config.json"}}
    assert answer_case(configured, "2026-01-01")["next_version"] == "1.0.1"


def test_batch_tolerates_odd_previous_versions() -> None:
    answer = answer_case({**CASE, "previous_version": "next", "previous_tag": None}, "2026-01-01")
    assert answer["next_version"] == "1.0.0"  # no usable previous release: the first version


@pytest.mark.parametrize(
    "text", [pytest.param("{", id="not-json"), pytest.param('{"a": 1}', id="not-list")]
)
def test_batch_rejects_bad_input(text: str) -> None:
    with pytest.raises(ConfigError, match="JSON list"):
        run_json_batch(io.StringIO(text), io.StringIO(), today=date(2026, 1, 1))


def test_batch_scores_like_release_please_on_the_public_corpus(shared: Path) -> None:
    rows = [
        json.loads(line)
        for line in (shared / "conformance/commits/release-public.jsonl").read_text().splitlines()
        if line
    ]
    stable = [r for r in rows if not r["prerelease"]]
    agree = sum(answer_case(r, "2026-01-01")["next_version"] == r["next_version"] for r in stable)
    assert agree / len(stable) >= 0.95


def test_git_failure_is_an_external_error(repo: Repo) -> None:
    repo.commit("feat: a")
    with pytest.raises(ExternalError, match="git log --bogus-flag failed"):
        history.run_git(repo.path, ["log", "--bogus-flag"])


def test_history_helpers(repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sha = repo.commit("feat: a", {"bin.dat": "x"})
    assert history.head_sha(repo.path) == sha
    assert history.start_remote_url(repo.path)() is None
    assert history.read_file(repo.path, "missing.txt") is None
    (repo.path / "bin.dat").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ConfigError, match="not UTF-8"):
        history.read_file(repo.path, "bin.dat")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ConfigError, match="git was not found"):
        history.run_git(repo.path, ["status"])


def test_git_reads_started_early_answer_or_raise_when_asked(repo: Repo, tmp_path: Path) -> None:
    repo.commit("feat: a")
    repo.tag("v1.0.0")
    tags = history.start_reachable_tags(repo.path)
    assert tags() == tags() == history.reachable_tags(repo.path)
    assert [tag.name for tag in tags()] == ["v1.0.0"]
    state = history.start_head_state(repo.path)()
    assert state is not None
    assert (state.branch, state.shallow) == ("main", False)
    failed = history.start_reachable_tags(repo.path, "nope")
    with pytest.raises(ConfigError, match="'nope'"):
        failed()
    with pytest.raises(ConfigError, match="'nope'"):  # asked again: the same error
        failed()
    unneeded = history.start_reachable_tags(tmp_path)  # not a repository: never asked
    unneeded.close()
    unneeded.close()
    assert history.start_remote_url(repo.path)() is None
    repo.git("remote", "add", "origin", "https://github.com/o/r.git")
    assert history.start_remote_url(repo.path)() == "https://github.com/o/r.git"


def test_single_package_path_input(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("feat: in the package", {"pkg/x.txt": "1"})
    repo.commit("feat: elsewhere", {"other/y.txt": "1"})
    argv = ["--dry-run", "--json", "--release-type", "simple", "--path", "pkg"]
    assert entry.main([*argv, "--workspace", str(repo.path)], {}) == 0
    (release,) = json.loads(capsys.readouterr().out)["releases"]
    assert release["changelog_path"] == "pkg/CHANGELOG.md"
    assert "in the package" in release["changelog"]
    assert "elsewhere" not in release["changelog"]


def test_dry_run_in_a_repository_without_commits(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.git("symbolic-ref", "HEAD", "refs/heads/trunk")
    argv = ["--dry-run", "--release-type=simple", "--workspace", str(repo.path)]
    assert entry.main(argv, {}) == 0
    assert "nothing to release on trunk" in capsys.readouterr().out


def test_batch_case_without_previous_release() -> None:
    case = {**CASE, "previous_version": None, "previous_tag": None}
    answer = answer_case(case, "2026-01-01")
    assert answer["next_version"] == "1.0.0"
    assert (answer["changelog"] or "").startswith("## 1.0.0 (2026-01-01)")


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["release-pr", "--dry-run", "--release-type=simple"], id="dry-run"),
        pytest.param(["commit-lint", "--from", "HEAD~1"], id="commit-lint-range"),
        pytest.param(["commit-lint", "--json-batch"], id="commit-lint-batch"),
        pytest.param(["release-pr", "--json-batch"], id="release-pr-batch"),
    ],
)
def test_runs_leave_the_cyclic_gc_alone(
    repo: Repo, argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Switching the collector off gained nothing measurable (bench/startup.py): no run does."""
    switched: list[str] = []
    monkeypatch.setattr(gc, "disable", lambda: switched.append("disable"))
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"[]")))
    repo.commit("feat: a")
    repo.commit("fix: b")
    monkeypatch.chdir(repo.path)
    assert cli.main(argv, {}) == 0
    assert switched == []


def test_dry_run_of_a_shallow_clone_warns_and_names_its_branch(
    repo: Repo, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    released_repo(repo)
    repo.git("checkout", "-q", "-b", "feature/x")
    clone = tmp_path_factory.mktemp("clone")
    repo.git("clone", "-q", "--depth", "1", "-b", "feature/x", f"file://{repo.path}", str(clone))
    argv = ["--dry-run", "--json", "--release-type", "simple", "--workspace", str(clone)]
    assert entry.main([*argv, "--repo-url", "o/r"], {}) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("warning (release-pr): the checkout is shallow")
    data = json.loads(captured.out)
    assert data["target_branch"] == "feature/x"
    assert any("fetch-depth: 0" in warning for warning in data["warnings"])


def test_dry_run_on_a_detached_head_targets_main(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    released_repo(repo)
    repo.git("checkout", "-q", "--detach")
    argv = ["--dry-run", "--json", "--release-type", "simple", "--workspace", str(repo.path)]
    assert entry.main([*argv, "--repo-url=o/r"], {}) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["target_branch"] == "main"
    assert without_override_notice(data["warnings"]) == [
        "HEAD is detached, so the target branch is assumed to be 'main'; "
        "pass --target-branch to name it"
    ]
    assert "\nwarning (release-pr): HEAD is detached" in f"\n{captured.err}"
    assert [r["version"] for r in data["releases"]] == ["0.10.0"]


@pytest.mark.parametrize(
    ("env", "branch"),
    [
        pytest.param({"GITHUB_REF": "refs/heads/release/1.x"}, "release/1.x", id="push"),
        pytest.param(
            {"GITHUB_REF": "refs/pull/4/merge", "GITHUB_BASE_REF": "develop"},
            "develop",
            id="pull-request",
        ),
    ],
)
def test_dry_run_on_a_detached_head_reads_the_branch_from_the_event(
    repo: Repo, capsys: pytest.CaptureFixture[str], env: dict[str, str], branch: str
) -> None:
    released_repo(repo)
    repo.git("checkout", "-q", "--detach")
    argv = ["--dry-run", "--json", "--release-type=simple", "--repo-url=o/r"]
    assert entry.main([*argv, f"--workspace={repo.path}"], env) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["target_branch"], without_override_notice(data["warnings"])) == (branch, [])


# what the dry run must not load (each costs milliseconds of a start; see bench/release_pr.py)
NOT_LOADED = ("logging", "dataclasses", "pathlib", "urllib.parse", "release_pr.updaters.python")
PROBE = """
import json, sys
before = set(sys.modules)
from relkit.cli import main
code = main(sys.argv[1:])
print(json.dumps(sorted(set(sys.modules) - before)), file=sys.stderr)
sys.exit(code)
"""


def loaded_by(argv: list[str], cwd: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], cwd=cwd, capture_output=True, text=True, check=False
    )
    modules: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return [name for name in NOT_LOADED if name in modules]


def test_the_dry_run_loads_none_of_the_heavy_modules(repo: Repo) -> None:
    released_repo(repo)
    dry_run = ["release-pr", "--dry-run", "--json", "--release-type", "node"]
    assert loaded_by(dry_run, repo.path) == []
    # the action itself (here: stopped for the missing token) installs the log handler
    assert "logging" in loaded_by(["release-pr"], repo.path)
