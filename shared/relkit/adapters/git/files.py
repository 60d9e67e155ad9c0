"""Files of a commit: what it changed, what a path holds at a revision."""

from __future__ import annotations

import os
from collections.abc import Mapping

from relkit.adapters.git.refs import rev_parse
from relkit.adapters.git.run import _check_rev, _run, run_git
from relkit.errors import ConfigError

# --- files ------------------------------------------------------------------------------------


def changed_files(
    cwd: str | os.PathLike[str], sha: str, *, env: Mapping[str, str] | None = None
) -> list[str]:
    """Paths changed by one commit (a merge: against its first parent; the root: all files)."""
    out = run_git(
        [
            "diff-tree",
            "-r",
            "-z",
            "--name-only",
            "--no-commit-id",
            "--root",
            "--diff-merges=first-parent",
            "--end-of-options",
            _check_rev(sha),
        ],
        cwd,
        env=env,
    )
    return [path for path in out.split("\0") if path]


def show_file_bytes(
    cwd: str | os.PathLike[str], rev: str, path: str, *, env: Mapping[str, str] | None = None
) -> bytes | None:
    """The content of ``path`` at ``rev``, or None when the file does not exist there."""
    sha = rev_parse(cwd, rev, env=env)
    done = _run(["cat-file", "blob", f"{sha}:{path.lstrip('/')}"], cwd, env)
    if done.returncode == 0:
        return done.stdout
    return None


def show_file(
    cwd: str | os.PathLike[str], rev: str, path: str, *, env: Mapping[str, str] | None = None
) -> str | None:
    """The text of ``path`` at ``rev`` (None when missing); ConfigError when not UTF-8 text."""
    data = show_file_bytes(cwd, rev, path, env=env)
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path} at {rev} is not UTF-8 text") from None
