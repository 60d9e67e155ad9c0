"""The git access commit-lint needs (an action-local adapter until ``relkit.adapters.git``).

Git runs without a shell, with ``safe.directory`` set for this process only through
``GIT_CONFIG_COUNT`` (the checkout belongs to another user inside the container). Commit messages
are read raw from the commit objects (``git cat-file --batch``), exactly as stored.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from relkit.errors import ConfigError, ExternalError

MAX_MESSAGE_BYTES = 1024 * 1024
ZERO_SHA = "0" * 40


@dataclass(frozen=True, slots=True)
class RawCommit:
    sha: str
    message: str


def git_env(cwd: Path, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for git: ``safe.directory`` for the repository (and the workspace, whose
    top level it is when the action lints a subfolder), for this process only."""
    base = dict(os.environ if env is None else env)
    trusted = [str(cwd.resolve())]
    workspace = base.get("GITHUB_WORKSPACE")
    if workspace and workspace not in trusted:
        trusted.append(workspace)
    base.update({"GIT_CONFIG_COUNT": str(len(trusted)), "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"})
    for index, folder in enumerate(trusted):
        base[f"GIT_CONFIG_KEY_{index}"] = "safe.directory"
        base[f"GIT_CONFIG_VALUE_{index}"] = folder
    return base


def run_git(args: Sequence[str], cwd: Path, *, stdin: bytes | None = None) -> bytes:
    """Run ``git args`` in ``cwd``; ExternalError with git's own message on failure."""
    try:
        proc = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            env=git_env(cwd),
            check=False,
        )
    except FileNotFoundError:
        raise ExternalError("git is not installed or not on PATH") from None
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExternalError(
            f"git {' '.join(args)} failed: {detail[-1] if detail else proc.returncode}"
        )
    return proc.stdout


def try_git(args: Sequence[str], cwd: Path) -> bytes | None:
    try:
        return run_git(args, cwd)
    except ExternalError:
        return None


def has_commit(cwd: Path, rev: str) -> bool:
    return try_git(["cat-file", "-e", f"{rev}^{{commit}}"], cwd) is not None


def is_shallow(cwd: Path) -> bool:
    out = try_git(["rev-parse", "--is-shallow-repository"], cwd)
    return out is not None and out.strip() == b"true"


def resolve(cwd: Path, rev: str) -> str:
    out = try_git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd)
    if out is None:
        hint = (
            " (this is a shallow clone: use actions/checkout with fetch-depth: 0)"
            if is_shallow(cwd)
            else ""
        )
        raise ConfigError(f"unknown revision {rev!r}: it is not a commit in this repository{hint}")
    return out.decode().strip()


def rev_list(cwd: Path, args: Sequence[str]) -> list[str]:
    out = run_git(["rev-list", "--reverse", *args], cwd)
    return out.decode().split()


def decode_message(sha: str, data: bytes, encoding: str = "utf-8") -> str:
    """A commit message as text; bad input (NUL, not UTF-8, over 1 MiB) is a ConfigError."""
    short = sha[:7]
    if len(data) > MAX_MESSAGE_BYTES:
        raise ConfigError(
            f"commit {short}: the message is {len(data)} bytes, over the 1 MiB limit; "
            "rewrite the commit with a shorter message"
        )
    if b"\0" in data:
        raise ConfigError(f"commit {short}: the message contains NUL bytes; rewrite the commit")
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise ConfigError(
            f"commit {short}: the message is not valid {encoding} text; rewrite it as UTF-8"
        ) from None


def _split_commit_object(sha: str, data: bytes) -> str:
    head, _, message = data.partition(b"\n\n")
    encoding = "utf-8"
    for line in head.split(b"\n"):
        if line.startswith(b"encoding "):
            encoding = line[len(b"encoding ") :].decode("ascii", "replace").strip()
    return decode_message(sha, message, encoding)


def read_messages(cwd: Path, shas: Sequence[str]) -> list[RawCommit]:
    """The raw messages of ``shas``, in order, from one ``git cat-file --batch``."""
    if not shas:
        return []
    out = run_git(["cat-file", "--batch"], cwd, stdin=("\n".join(shas) + "\n").encode())
    commits: list[RawCommit] = []
    pos = 0
    for sha in shas:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        if len(header) != 3 or header[1] != b"commit":
            raise ExternalError(f"git cat-file: {sha} is not a commit")
        size = int(header[2])
        body = out[end + 1 : end + 1 + size]
        pos = end + 1 + size + 1
        commits.append(RawCommit(sha, _split_commit_object(sha, body)))
    return commits


def commit_messages(cwd: Path, rev_args: Sequence[str]) -> list[RawCommit]:
    """Messages of ``git rev-list --reverse rev_args`` (oldest first)."""
    return read_messages(cwd, rev_list(cwd, rev_args))


def comment_char(cwd: Path) -> str:
    """``core.commentChar`` (``#`` when unset or ``auto``), for ``--edit``."""
    out = try_git(["config", "core.commentChar"], cwd)
    value = out.decode().strip() if out else ""
    return value if value and value != "auto" else "#"


def git_dir(cwd: Path) -> Path:
    out = run_git(["rev-parse", "--absolute-git-dir"], cwd)
    return Path(out.decode().strip())


def top_level(cwd: Path) -> Path | None:
    out = try_git(["rev-parse", "--show-toplevel"], cwd)
    return Path(out.decode().strip()) if out else None
