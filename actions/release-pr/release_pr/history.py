"""The git reads release-pr needs, on top of ``relkit.adapters.git``.

Every call goes through the shared adapter's ``run_git`` (no shell, the workspace trusted through
``GIT_CONFIG_*``, git's errors turned into advice). Two reads are release-pr's own: reachable
tags by a full history walk (``tag --merged`` cuts its walk by committer date and misses tags
when dates go backwards), and commits with the files they touch in one ``git log`` (the shared
``log_commits`` + ``changed_files`` would cost a process per commit for monorepo splitting).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from typing import NamedTuple, TypeVar

from relkit.adapters import git
from relkit.adapters.git import HeadState
from relkit.errors import ConfigError, RelkitError

from release_pr.commit_parser import RawCommit

StrPath = str | os.PathLike[str]  # a workspace: pathlib stays out of the dry run's imports

_RECORD = "\x1e"
_FIELD = "\x1f"

T = TypeVar("T")


def in_background(read: Callable[[], T]) -> Callable[[], T]:
    """Start ``read`` on a thread now, so its git process runs while this one does other work;
    the returned function waits for it and returns its result or raises its error. Never called,
    the error is dropped (the read was not needed after all)."""
    outcome: list[tuple[bool, object]] = []

    def run() -> None:
        try:
            outcome.append((True, read()))
        except BaseException as exc:  # re-raised in the caller's thread by result()
            outcome.append((False, exc))

    thread = threading.Thread(target=run, name="git-read")
    thread.start()

    def result() -> T:
        thread.join()
        ok, value = outcome[0]
        if not ok:
            raise value  # type: ignore[misc]
        return value  # type: ignore[return-value]

    return result


def run_git(workspace: StrPath, args: Sequence[str]) -> str:
    return git.run_git(args, workspace)


class Tag(NamedTuple):
    name: str
    sha: str


def head_sha(workspace: StrPath, ref: str = "HEAD") -> str:
    return git.rev_parse(workspace, ref)


def head_and_shallow(workspace: StrPath, ref: str = "HEAD") -> tuple[bool, bool]:
    """(``ref`` names a commit, the clone is shallow), read by one git process."""
    sha, shallow = git.head_and_shallow(workspace, ref)
    return sha is not None, shallow


def head_state(workspace: StrPath) -> HeadState | None:
    """HEAD's branch and the clone's shallowness in one git process; None when HEAD names no
    commit (then ask :func:`current_branch` and :func:`head_and_shallow`)."""
    return git.head_state(workspace)


def current_branch(workspace: StrPath) -> str | None:
    """The checked-out branch (also unborn), or None on a detached HEAD."""
    return git.current_branch(workspace)


def reachable_tags(workspace: StrPath, ref: str = "HEAD") -> list[Tag]:
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
    workspace: StrPath, since: str | None, ref: str = "HEAD", *, with_files: bool = True
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


def read_file(workspace: StrPath, path: str) -> str | None:
    """A file of the working tree, or None when it does not exist."""
    try:
        with open(os.path.join(workspace, path), encoding="utf-8") as file:
            return file.read()
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text; release-pr only updates text files") from None


def list_files(workspace: StrPath, path: str) -> tuple[str, ...]:
    """The tracked files under ``path`` (a package folder), by path relative to it."""
    prefix = "" if path in (".", "") else path.strip("/") + "/"
    out = run_git(workspace, ["ls-files", "-z", "--", prefix or "."])
    return tuple(name[len(prefix) :] for name in out.split("\0") if name.startswith(prefix))


def remote_url(workspace: StrPath) -> str | None:
    try:
        return run_git(workspace, ["remote", "get-url", "origin"]).strip() or None
    except RelkitError:
        return None
