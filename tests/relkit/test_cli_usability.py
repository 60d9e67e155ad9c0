"""What a user of ``relkit`` meets first: help that marks the actions not built yet, a typo that
suggests the closest action, and a closed pipe that ends the run quietly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from relkit import cli


def test_help_marks_the_actions_that_are_not_built(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # two actions of our own: one refuses to run (not built), one runs
    package = tmp_path / "fakeactions"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "planned.py").write_text(
        "from relkit.actionspec import refuse_not_built\n"
        "def main(argv, env):\n    refuse_not_built(SPEC, argv)\n"
    )
    (package / "ready.py").write_text("def main(argv, env):\n    return 0\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(
        cli,
        "ACTIONS",
        {
            "planned": cli.Command("fakeactions.planned", "Planned"),
            "ready": cli.Command("fakeactions.ready", "Ready"),
        },
    )
    assert cli.main(["--help"], {}) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.split() == ["planned", "Planned", "(not", "built", "yet)"] for line in lines)
    assert any(line.split() == ["ready", "Ready"] for line in lines)


def test_the_real_help_agrees_with_each_action(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"], {}) == 0
    out = capsys.readouterr().out
    for name, command in cli.ACTIONS.items():
        line = next(line for line in out.splitlines() if line.startswith(f"  {name} "))
        assert line.endswith("(not built yet)") is not cli.is_built(command), name


@pytest.mark.parametrize(
    ("typo", "suggestion"),
    [
        ("commit-lnt", "commit-lint"),
        ("release_pr", "release-pr"),
        ("kyverno-validat", "kyverno-validate"),
    ],
)
def test_a_typo_suggests_the_closest_action_once(
    capsys: pytest.CaptureFixture[str], typo: str, suggestion: str
) -> None:
    assert cli.main([typo], {}) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"relkit: error: unknown action {typo!r}; did you mean {suggestion!r}?")
    assert err.count(suggestion) == 1


def test_an_unknown_action_without_a_close_one_lists_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["zzzz"], {}) == 2
    err = capsys.readouterr().err
    assert err.startswith("relkit: error: unknown action 'zzzz'; choose one of: commit-lint")


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        pytest.param(["--help"], 141, id="usage"),
        pytest.param(["commit-lint", "-m", "feat: x"], 141, id="action"),
        pytest.param(["release-pr", "--help"], 0, id="argparse-help"),  # argparse drops it
    ],
)
def test_a_closed_pipe_ends_the_run_quietly(argv: list[str], code: int) -> None:
    read, write = os.pipe()
    os.close(read)  # nobody reads: every write fails with EPIPE
    try:
        done = subprocess.run(
            [sys.executable, "-m", "relkit", *argv],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(write)
    assert done.stderr == ""
    assert done.returncode == code  # 141 = 128 + SIGPIPE, as a shell reports `tool | head -1`


@pytest.mark.parametrize(
    "module",
    ["no_such_package.entry", "fakeactions2.missing"],
    ids=["no-package", "no-module"],
)
def test_an_action_whose_entry_cannot_be_found_is_not_built(
    module: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "fakeactions2").mkdir()
    (tmp_path / "fakeactions2" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert cli.is_built(cli.Command(module, "x")) is False
