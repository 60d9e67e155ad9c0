"""What commit-lint says matches how it exits: warnings that fail the run say so, the last line
marks the verdict, results are newest first (commitlint's order), and sources do not mix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from commit_lint import entry
from relkit.adapters import gha
from relkit.cli import run_boundary

GOOD = "feat(api): add the thing\n"
BAD = "Fix: Bad Subject.\n"
WARN = "fix: works\nno blank line before body\n"


def run(argv: list[str], env: dict[str, str]) -> int:
    gha.install_logging(env)
    return run_boundary("commit-lint", lambda: entry.main(argv, env), env)


def outputs(path: str) -> dict[str, str]:
    values: dict[str, str] = {}
    lines = Path(path).read_text().split("\n")
    for index, line in enumerate(lines):
        if "<<" in line:
            name, delimiter = line.split("<<", 1)
            values[name] = "\n".join(lines[index + 1 : lines.index(delimiter, index + 1)])
    return values


def test_warnings_that_fail_the_run_say_so_everywhere(
    repo, actions_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    first = repo.shas[-1]
    repo.commit(WARN)
    argv = ["--working-directory", str(repo.path), "--from", first, "--fail-on-warnings"]
    assert run(argv, actions_env) == 1
    out = capsys.readouterr().out
    last = out.rstrip("\n").splitlines()[-1]
    assert last.startswith("✖   1 of 1 message(s) pass, but 1 warning(s) fail the run")
    values = outputs(actions_env["GITHUB_OUTPUT"])
    assert (values["valid"], values["warning-count"]) == ("false", "1")
    summary = Path(actions_env["GITHUB_STEP_SUMMARY"]).read_text()
    assert summary.startswith("## commit-lint: ❌ warnings fail the run (fail-on-warnings)")
    report = json.loads(Path(values["report"]).read_text())
    assert report["valid"] is False


@pytest.mark.parametrize(
    ("messages", "code", "mark"),
    [([GOOD], 0, "✔"), ([BAD], 1, "✖"), ([WARN], 0, "⚠")],
    ids=["pass", "fail", "warn"],
)
def test_the_last_line_marks_the_verdict(
    repo, capsys: pytest.CaptureFixture[str], messages: list[str], code: int, mark: str
) -> None:
    first = repo.shas[-1]
    for message in messages:
        repo.commit(message)
    assert run(["--working-directory", str(repo.path), "--from", first], {}) == code
    assert capsys.readouterr().out.rstrip("\n").splitlines()[-1].startswith(f"{mark}   ")


def test_results_are_newest_first_as_commitlint_lists_them(
    repo, actions_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    first = repo.shas[-1]
    older = repo.commit("Older: one\n")
    newer = repo.commit("Newer: two\n")
    assert run(["--working-directory", str(repo.path), "--from", first], actions_env) == 1
    out = capsys.readouterr().out
    assert out.index("Newer: two") < out.index("Older: one")
    report = json.loads(Path(outputs(actions_env["GITHUB_OUTPUT"])["report"]).read_text())
    assert [item["sha"] for item in report["results"]] == [newer, older]


@pytest.mark.parametrize(
    "argv",
    [["-m", "feat: a", "--from", "HEAD~1"], ["--edit", "--from", "HEAD~1"], ["-m", "x", "-e"]],
    ids=["message-from", "edit-from", "message-edit"],
)
def test_two_sources_of_messages_are_refused(
    repo, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    repo.commit(GOOD)
    assert run(["--working-directory", str(repo.path), *argv], {}) == 2
    err = capsys.readouterr().err
    assert "lint one source: --message, --edit or --from/--to" in err
