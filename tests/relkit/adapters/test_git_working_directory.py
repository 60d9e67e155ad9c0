"""A working directory that is a file or missing is named as such, not as a missing git."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from relkit.adapters import git
from relkit.errors import ConfigError


@pytest.mark.parametrize("start", [False, True], ids=["run", "start"])
def test_a_file_is_not_a_working_directory(tmp_path: Path, start: bool) -> None:
    afile = tmp_path / "notes.txt"
    afile.write_text("x")
    with pytest.raises(ConfigError, match=r"notes\.txt' is a file, not a folder") as raised:
        git.start_git(["status"], afile).result() if start else git.run_git(["status"], afile)
    assert "install git" not in str(raised.value)


@pytest.mark.parametrize("start", [False, True], ids=["run", "start"])
def test_a_missing_folder_is_named_without_git_advice(tmp_path: Path, start: bool) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(ConfigError, match=r"nope' does not exist") as raised:
        git.start_git(["status"], missing).result() if start else git.run_git(["status"], missing)
    assert "install git" not in str(raised.value)


@pytest.mark.parametrize("kind", ["file", "missing"])
def test_commit_lint_names_a_bad_working_directory_with_exit_2(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "notes.txt"
    if kind == "file":
        target.write_text("x")
    argv = ["commit-lint", "--working-directory", str(target)]
    for extra in (["-m", "feat: x"], ["--from", "HEAD~1"]):
        done = subprocess.run(
            [sys.executable, "-m", "relkit", *argv, *extra],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr
        assert "working-directory" in done.stderr
        assert "install git" not in done.stderr
