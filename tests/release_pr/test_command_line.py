"""One command line for release-pr: one parser for the action and its local modes, one list of
print-only flags shared with ``relkit.cli``."""

from __future__ import annotations

import json
from typing import Any

import pytest
from release_pr import entry, local
from relkit import cli
from relkit.errors import ConfigError

Repo = Any  # the `repo` fixture of conftest.py


def _help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    try:
        code = entry.main(argv, {})
    except SystemExit as exc:  # argparse's --help
        code = exc.code
    assert code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("argv", [["--help"], ["--dry-run", "--help"]], ids=["plain", "dry-run"])
def test_help_lists_the_action_inputs_and_the_local_modes(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    text = _help(argv, capsys)
    for flag in ("--dry-run", "--json", "--json-batch", "--workspace", "--token", "--prerelease"):
        assert flag in text, flag


def test_a_dry_run_accepts_the_action_inputs(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.commit("feat: a")
    argv = ["--dry-run", "--json", "--token", "x", "--release-type=simple", "--repo-url=o/r"]
    assert entry.main([*argv, "--skip-labeling", f"--workspace={repo.path}"], {}) == 0
    assert json.loads(capsys.readouterr().out)["releases"][0]["version"] == "1.0.0"


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["--prerelease", "yes"], id="flag"),
        pytest.param(["--bump-minor-pre-major=on"], id="equals"),
    ],
)
def test_a_boolean_that_is_not_true_or_false_is_refused(repo: Repo, argv: list[str]) -> None:
    repo.commit("feat: a")
    base = ["--dry-run", "--release-type=simple", f"--workspace={repo.path}"]
    name = argv[0].lstrip("-").partition("=")[0]
    with pytest.raises(ConfigError, match=rf"input '{name}' must be true or false.*got '(yes|on)'"):
        entry.main([*base, *argv], {})


@pytest.mark.parametrize(
    "argv",
    [[], ["--dry-run"], ["--dry-run", "--json"], ["--json-batch"], ["--token", "x"]],
    ids=str,
)
def test_the_cli_s_print_only_flags_are_the_parser_s_local_modes(argv: list[str]) -> None:
    args = local.parse(entry.SPEC, argv)
    assert cli.print_only(["release-pr", *argv]) == (args.dry_run or args.json_batch)
