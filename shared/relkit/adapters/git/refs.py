"""Revisions, tags and branches: what a revision names, how histories relate, HEAD's state."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import NamedTuple

from relkit.adapters.git.run import (
    PendingGit,
    _check_rev,
    _missing_revision,
    _run,
    explain_failure,
    run_git,
    start_git,
)


def rev_parse(
    cwd: str | os.PathLike[str], rev: str, *, env: Mapping[str, str] | None = None
) -> str:
    """The commit sha ``rev`` names (tags peeled)."""
    args = ["rev-parse", "--verify", "--end-of-options", f"{_check_rev(rev)}^{{commit}}"]
    done = _run(args, cwd, env)
    if done.returncode == 0:
        return done.stdout.decode().strip()
    err = done.stderr.decode(errors="replace")
    if "Needed a single revision" in err:
        raise _missing_revision(rev, cwd, env)
    raise explain_failure(args, cwd, err, env)


def commit_exists(
    cwd: str | os.PathLike[str], rev: str, *, env: Mapping[str, str] | None = None
) -> bool:
    done = _run(["cat-file", "-e", "--end-of-options", f"{_check_rev(rev)}^{{commit}}"], cwd, env)
    return done.returncode == 0


def is_shallow(cwd: str | os.PathLike[str], *, env: Mapping[str, str] | None = None) -> bool:
    return run_git(["rev-parse", "--is-shallow-repository"], cwd, env=env).strip() == "true"


def head_and_shallow(
    cwd: str | os.PathLike[str], rev: str = "HEAD", *, env: Mapping[str, str] | None = None
) -> tuple[str | None, bool]:
    """The commit ``rev`` names (None when it names none: an unborn branch, no repository) and
    whether the clone is shallow, in one git process (:func:`commit_exists` + :func:`is_shallow`).
    """
    args = ["rev-parse", "--is-shallow-repository", "--verify", "--quiet", "--end-of-options"]
    done = _run([*args, f"{_check_rev(rev)}^{{commit}}"], cwd, env)
    lines = done.stdout.decode(errors="replace").split()
    shallow = bool(lines) and lines[0] == "true"
    return (lines[1] if done.returncode == 0 and len(lines) > 1 else None), shallow


class HeadState(NamedTuple):
    branch: str | None  # the checked-out branch, None on a detached HEAD
    shallow: bool


HEAD_STATE_ARGS = ("rev-parse", "--is-shallow-repository", "--abbrev-ref=loose", "HEAD")


def head_state(
    cwd: str | os.PathLike[str], *, env: Mapping[str, str] | None = None
) -> HeadState | None:
    """The checked-out branch (as :func:`current_branch` names it) and whether the clone is
    shallow, in one git process; None when HEAD names no commit (an unborn branch, no
    repository): :func:`current_branch` and :func:`head_and_shallow` tell those apart."""
    return read_head_state(start_git(HEAD_STATE_ARGS, cwd, env=env))


def read_head_state(pending: PendingGit) -> HeadState | None:
    """:func:`head_state` from ``git HEAD_STATE_ARGS`` started with :func:`start_git`."""
    code, out, _ = pending.wait()
    lines = out.decode(errors="replace").split()
    if code != 0 or len(lines) != 2:
        return None
    return HeadState(None if lines[1] == "HEAD" else lines[1], lines[0] == "true")


def is_ancestor(
    cwd: str | os.PathLike[str],
    ancestor: str,
    descendant: str,
    *,
    env: Mapping[str, str] | None = None,
) -> bool:
    """True when ``ancestor`` is reachable from ``descendant`` (a commit is its own ancestor)."""
    a, d = rev_parse(cwd, ancestor, env=env), rev_parse(cwd, descendant, env=env)
    done = _run(["merge-base", "--is-ancestor", a, d], cwd, env)
    if done.returncode in (0, 1):
        return done.returncode == 0
    raise explain_failure(
        ["merge-base", "--is-ancestor"], cwd, done.stderr.decode(errors="replace")
    )


def merge_base(
    cwd: str | os.PathLike[str], a: str, b: str, *, env: Mapping[str, str] | None = None
) -> str | None:
    """The best common ancestor, or None for unrelated histories."""
    sha_a, sha_b = rev_parse(cwd, a, env=env), rev_parse(cwd, b, env=env)
    done = _run(["merge-base", sha_a, sha_b], cwd, env)
    if done.returncode == 0:
        return done.stdout.decode().strip()
    if done.returncode == 1 and not done.stderr.strip():
        return None
    raise explain_failure(["merge-base"], cwd, done.stderr.decode(errors="replace"))


# --- refs -------------------------------------------------------------------------------------


def current_branch(
    cwd: str | os.PathLike[str], *, env: Mapping[str, str] | None = None
) -> str | None:
    """The checked-out branch, or None on a detached HEAD (pull-request checkouts)."""
    done = _run(["symbolic-ref", "--quiet", "--short", "HEAD"], cwd, env)
    if done.returncode == 0:
        return done.stdout.decode().strip()
    if done.returncode == 1:
        return None
    raise explain_failure(["symbolic-ref"], cwd, done.stderr.decode(errors="replace"), env)


def default_branch(
    cwd: str | os.PathLike[str], remote: str = "origin", *, env: Mapping[str, str] | None = None
) -> str | None:
    """The remote's default branch from ``refs/remotes/<remote>/HEAD`` (set by ``git clone``;
    actions/checkout does not set it), or None: ask the GitHub API then."""
    done = _run(["symbolic-ref", "--quiet", "--short", f"refs/remotes/{remote}/HEAD"], cwd, env)
    if done.returncode != 0:
        return None
    return done.stdout.decode().strip().removeprefix(f"{remote}/")
