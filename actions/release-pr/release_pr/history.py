"""The few git reads release-pr needs (an action-local adapter until ``relkit.adapters.git``).

``git`` runs without a shell, with ``safe.directory=*`` so a checkout owned by another user (the
runner's workspace inside the container) is readable. Failures become ``ExternalError`` with the
git message turned into advice.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from relkit.errors import ConfigError, ExternalError

from release_pr.commit_parser import RawCommit

_RECORD = "\x1e"
_FIELD = "\x1f"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "GIT_CONFIG_COUNT": "1",
            "GIT_CONFIG_KEY_0": "safe.directory",
            "GIT_CONFIG_VALUE_0": "*",
            "LC_ALL": "C",
            "GIT_TERMINAL_PROMPT": "0",
        }
    )
    return env


def run_git(workspace: Path, args: Sequence[str]) -> str:
    try:
        proc = subprocess.run(
            ["git", "-C", str(workspace), *args],
            check=False,
            capture_output=True,
            env=_env(),
        )
    except FileNotFoundError:
        raise ExternalError("git is not installed or not on PATH; install git") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        first = message[0] if message else f"exit {proc.returncode}"
        if "not a git repository" in first:
            raise ConfigError(f"{workspace} is not a git repository; run release-pr in a checkout")
        raise ExternalError(f"git {' '.join(args[:2])} failed: {first}")
    return proc.stdout.decode("utf-8", "replace")


@dataclass(frozen=True, slots=True)
class Tag:
    name: str
    sha: str


def is_shallow(workspace: Path) -> bool:
    """A shallow clone (``actions/checkout`` defaults to ``fetch-depth: 1``) hides history."""
    return run_git(workspace, ["rev-parse", "--is-shallow-repository"]).strip() == "true"


def head_sha(workspace: Path, ref: str = "HEAD") -> str:
    return run_git(workspace, ["rev-parse", "--verify", f"{ref}^{{commit}}"]).strip()


def reachable_tags(workspace: Path, ref: str = "HEAD") -> list[Tag]:
    """Tags on commits reachable from ``ref``, nearest first.

    A full history walk (``log --simplify-by-decoration``) rather than ``tag --merged``, whose
    commit-date cut-off misses tags when committer dates go backwards (rebases, clock skew).
    """
    out = run_git(
        workspace,
        [
            "log",
            "--simplify-by-decoration",
            "--decorate-refs=refs/tags/",
            "--decorate=short",
            "--format=%H%x1f%D",
            ref,
        ],
    )
    tags = []
    for line in out.splitlines():
        sha, _, refs = line.partition(_FIELD)
        for item in refs.split(", "):
            if item.startswith("tag: "):
                tags.append(Tag(item[len("tag: ") :].strip(), sha.strip()))
    return tags


def commits_since(
    workspace: Path, since: str | None, ref: str = "HEAD", *, with_files: bool = True
) -> list[RawCommit]:
    """Commits in ``since..ref`` (all history when ``since`` is None), newest first."""
    fmt = f"--format={_RECORD}%H{_FIELD}%P{_FIELD}%B{_FIELD}"
    args = ["log", fmt, "--no-color"]
    if with_files:
        args.append("--name-only")
    args.append(f"{since}..{ref}" if since else ref)
    out = run_git(workspace, args)
    commits = []
    for record in out.split(_RECORD)[1:]:
        sha, parents, message, files = [*record.split(_FIELD), "", "", ""][:4]
        commits.append(
            RawCommit(
                sha=sha.strip(),
                message=message.rstrip("\n"),
                files=tuple(f for f in files.strip().splitlines() if f),
                parents=tuple(parents.split()),
            )
        )
    return commits


def read_file(workspace: Path, path: str) -> str | None:
    """A file of the working tree, or None when it does not exist."""
    target = workspace / path
    try:
        return target.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text; release-pr only updates text files") from None


def remote_url(workspace: Path) -> str | None:
    try:
        return run_git(workspace, ["remote", "get-url", "origin"]).strip() or None
    except ExternalError:
        return None
