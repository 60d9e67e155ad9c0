"""The git reads release-pr needs, on top of ``relkit.adapters.git``.

Every call goes through the shared adapter's ``run_git`` / ``start_git`` (no shell, the workspace
trusted through ``GIT_CONFIG_*``, git's errors turned into advice); the ``start_*`` reads start
their process at once and answer when called (:class:`GitRead`), so a dry run's reads run side
by side and beside its imports. Two reads are release-pr's own: reachable
tags by a full history walk (``tag --merged`` cuts its walk by committer date and misses tags
when dates go backwards), and commits with the files they touch in one ``git log`` (the shared
``log_commits`` + ``changed_files`` would cost a process per commit for monorepo splitting).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Generic, NamedTuple, TypeVar

from relkit.adapters import git
from relkit.adapters.git import HeadState
from relkit.errors import ConfigError, RelkitError

from release_pr.commit_parser import RawCommit, pull_number

StrPath = str | os.PathLike[str]  # a workspace: pathlib stays out of the dry run's imports

_RECORD = "\x1e"
_FIELD = "\x1f"

T = TypeVar("T")

# merged pull requests' BEGIN_COMMIT_OVERRIDE blocks (release_pr.pull_overrides): commits in,
# (commits with overridden messages, warnings) out
CommitOverrides = Callable[[list[RawCommit]], tuple[list[RawCommit], tuple[str, ...]]]


class GitRead(Generic[T]):
    """A git read started at once (its process runs while this one does other work, no thread
    needed): calling it waits for git and returns the answer or raises git's error, the same
    each time. :meth:`close` stops a read that was not needed after all (never called, its
    error is dropped)."""

    def __init__(self, pending: git.PendingGit, answer: Callable[[git.PendingGit], T]) -> None:
        self._pending, self._answer = pending, answer

    def __call__(self) -> T:
        return self._answer(self._pending)

    def close(self) -> None:
        self._pending.close()


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


def current_branch(workspace: StrPath) -> str | None:
    """The checked-out branch (also unborn), or None on a detached HEAD."""
    return git.current_branch(workspace)


def start_head_state(workspace: StrPath) -> GitRead[HeadState | None]:
    """HEAD's branch and the clone's shallowness in one git process, started now; None when
    HEAD names no commit (then ask :func:`current_branch` and :func:`head_and_shallow`)."""
    return GitRead(git.start_git(git.HEAD_STATE_ARGS, workspace), git.read_head_state)


def reachable_tags(workspace: StrPath, ref: str = "HEAD") -> list[Tag]:
    """Tags on commits reachable from ``ref``, nearest first.

    A full history walk (``log``, every commit's tags) rather than ``tag --merged``, whose
    commit-date cut-off misses tags when committer dates go backwards (rebases, clock skew). Not
    ``log --simplify-by-decoration``: it drops a root commit whose tree is empty (``git commit
    --allow-empty`` then ``git tag v1.2.3``), tag or not. A line per commit costs ~0.1 s more
    on a 30,000-commit history.
    """
    return start_reachable_tags(workspace, ref)()


def start_reachable_tags(workspace: StrPath, ref: str = "HEAD") -> GitRead[list[Tag]]:
    """:func:`reachable_tags`, started now."""
    walk = ["log", "--decorate-refs=refs/tags/", "--decorate=short"]
    pending = git.start_git([*walk, "--format=%H%x1f%D", ref], workspace)
    return GitRead(pending, lambda done: _tags(done.result()))


def _tags(out: str) -> list[Tag]:
    tags = []
    for line in out.splitlines():
        sha, _, refs = line.partition(_FIELD)
        if not refs:
            continue
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


class RangeReader:
    """The commits since each previous release, read once each, with their merged pull
    requests' override blocks applied when there is a reader of them."""

    def __init__(
        self,
        workspace: StrPath,
        ref: str,
        *,
        born: bool,
        with_files: bool,
        overrides: CommitOverrides | None,
    ) -> None:
        self._workspace, self._ref, self._born, self._files = workspace, ref, born, with_files
        self._overrides = overrides
        self._cache: dict[str | None, list[RawCommit]] = {}
        self._warnings: dict[str, None] = {}
        self._unread: dict[int, None] = {}  # pull requests named by commits, bodies not read

    def __call__(self, since: str | None) -> list[RawCommit]:
        if since not in self._cache:
            commits = (
                commits_since(self._workspace, since, self._ref, with_files=self._files)
                if self._born
                else []
            )
            if self._overrides is not None:
                commits, said = self._overrides(commits)
                self._warnings.update(dict.fromkeys(said))
            else:
                self._unread.update(
                    dict.fromkeys(n for c in commits if (n := pull_number(c.message)))
                )
            self._cache[since] = commits
        return self._cache[since]

    def notices(self) -> tuple[str, ...]:
        """The override reader's warnings, or the one line of a plan that read no pull request
        bodies (a dry run without a token) though some commits came from pull requests."""
        if not self._unread:
            return tuple(self._warnings)
        numbers = list(self._unread)
        listed = ", ".join(f"#{n}" for n in numbers[:5]) + (", …" if len(numbers) > 5 else "")
        return (
            f"BEGIN_COMMIT_OVERRIDE blocks of merged pull requests were not read "
            f"({len(numbers)} named by commits: {listed}): a dry run reads them only with a "
            "token; pass --token (and --repo-url when origin is not the GitHub repository) "
            "to apply them",
        )


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


def start_toplevel(workspace: StrPath) -> GitRead[str | None]:
    """The root of the repository holding ``workspace`` (None outside one), started now: a run
    from a subfolder reads the config files at the root, as the action does."""
    return GitRead(git.start_git(["rev-parse", "--show-toplevel"], workspace), _remote_url)


def start_remote_url(workspace: StrPath) -> GitRead[str | None]:
    """The ``origin`` remote's URL (None without one), started now."""
    return GitRead(git.start_git(["remote", "get-url", "origin"], workspace), _remote_url)


def _remote_url(done: git.PendingGit) -> str | None:  # also the toplevel: one line or None
    try:
        return done.result().strip() or None
    except RelkitError:
        return None
