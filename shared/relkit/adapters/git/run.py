"""Running git: the environment that trusts the workspace, argv without a shell, and git's
errors turned into advice. Every other git module calls :func:`run_git` / :func:`start_git`.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping, Sequence

from relkit.errors import ConfigError, ExternalError

_FETCH_ALL = "use actions/checkout with 'fetch-depth: 0' so the history and tags are present"


# --- running git ------------------------------------------------------------------------------


def git_env(workspace: str | os.PathLike[str], base_env: Mapping[str, str]) -> dict[str, str]:
    """``base_env`` plus ``safe.directory=<workspace>`` through ``GIT_CONFIG_*`` (appended after
    any entries already there), ``GIT_TERMINAL_PROMPT=0`` and ``LC_ALL=C``.

    :func:`run_git` trusts its ``cwd`` and, when different, ``GITHUB_WORKSPACE``."""
    env = dict(base_env)
    try:
        count = max(0, int(env.get("GIT_CONFIG_COUNT", "0") or "0"))
    except ValueError:
        count = 0
    env[f"GIT_CONFIG_KEY_{count}"] = "safe.directory"
    env[f"GIT_CONFIG_VALUE_{count}"] = os.fspath(workspace)
    env["GIT_CONFIG_COUNT"] = str(count + 1)
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["LC_ALL"] = "C"
    env.pop("LANGUAGE", None)
    return env


def _run(
    args: Sequence[str],
    cwd: str | os.PathLike[str],
    env: Mapping[str, str] | None,
    input: bytes | None = None,
) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            env=_trusted_env(cwd, env),
            input=input,
            capture_output=True,
            check=False,
        )
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise _not_found(cwd) from exc


def _trusted_env(cwd: str | os.PathLike[str], env: Mapping[str, str] | None) -> dict[str, str]:
    base = os.environ if env is None else env
    trusted = git_env(os.fspath(cwd), base)
    workspace = base.get("GITHUB_WORKSPACE")
    if workspace and workspace != os.fspath(cwd):  # also a checkout in a sub-folder (path:)
        trusted = git_env(workspace, trusted)
    return trusted


def _not_found(cwd: str | os.PathLike[str]) -> ConfigError:
    """git could not start in ``cwd``: the folder is the problem, else git is missing."""
    return folder_error(cwd) or ConfigError("git was not found: install git")


def folder_error(cwd: str | os.PathLike[str]) -> ConfigError | None:
    """Why ``cwd`` cannot be a working directory (a file, missing), or None when it can."""
    where = os.fspath(cwd)
    if os.path.isdir(where):
        return None
    what = "is a file, not a folder" if os.path.exists(where) else "does not exist"
    return ConfigError(
        f"the working directory {where!r} {what}: pass the repository's folder (working-directory)"
    )


def run_git(
    args: Sequence[str],
    cwd: str | os.PathLike[str],
    *,
    env: Mapping[str, str] | None = None,
    input: str | bytes | None = None,
) -> str:
    """Run ``git args`` in ``cwd``; return stdout (UTF-8, errors replaced).

    Raises :class:`ConfigError` for what the user can fix (not a repository, dubious ownership,
    an unknown revision, a shallow clone, an empty repository) and :class:`ExternalError` for
    any other failure, naming the command and git's first error line.
    """
    data = input.encode("utf-8") if isinstance(input, str) else input
    done = _run(args, cwd, env, data)
    if done.returncode != 0:
        raise explain_failure(args, cwd, done.stderr.decode("utf-8", errors="replace"), env)
    return done.stdout.decode("utf-8", errors="replace")


class PendingGit:
    """``git args`` started by :func:`start_git`: the process runs while the caller works (no
    thread: it starts at once). :meth:`wait` gives its exit code, stdout and stderr;
    :meth:`result` its stdout as :func:`run_git` returns it, or raises as :func:`run_git` does.
    Both wait once and remember. :meth:`close` (or leaving a ``with`` block) stops a command
    nobody waited for."""

    def __init__(
        self, args: Sequence[str], cwd: str | os.PathLike[str], env: Mapping[str, str] | None
    ) -> None:
        self._args, self._cwd, self._env = list(args), cwd, env
        self._done: tuple[int, bytes, bytes] | None = None
        pipe = subprocess.PIPE
        try:
            self._process = subprocess.Popen(
                ["git", *self._args], cwd=cwd, env=_trusted_env(cwd, env), stdout=pipe, stderr=pipe
            )
        except (FileNotFoundError, NotADirectoryError) as exc:
            raise _not_found(cwd) from exc

    def wait(self) -> tuple[int, bytes, bytes]:
        if self._done is None:
            out, err = self._process.communicate()
            self._done = (self._process.returncode, out, err)
        return self._done

    def result(self) -> str:
        code, out, err = self.wait()
        if code != 0:
            stderr = err.decode("utf-8", errors="replace")
            raise explain_failure(self._args, self._cwd, stderr, self._env)
        return out.decode("utf-8", errors="replace")

    def close(self) -> None:
        if self._done is None and self._process.poll() is None:
            self._process.kill()
        self.wait()

    def __enter__(self) -> PendingGit:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def start_git(
    args: Sequence[str], cwd: str | os.PathLike[str], *, env: Mapping[str, str] | None = None
) -> PendingGit:
    """Start ``git args`` in ``cwd`` and return at once: several reads then run side by side,
    and beside the caller's own work (see :class:`PendingGit`)."""
    return PendingGit(args, cwd, env)


# compiled on first use (``re``'s cache): only a failing git call needs them, and compiling
# them at import would cost every run
_BAD_REV = (
    r"ambiguous argument '(?P<rev>[^']*)': unknown revision",
    r"bad revision '(?P<rev>[^']*)'",
    r"[Ii]nvalid object name '(?P<rev>[^']*)'",
    r"Not a valid object name (?P<rev>\S+)",
    r"bad object (?P<rev>\S+)",
    r"Not a valid commit name (?P<rev>\S+)",
    r"unknown revision (?P<rev>\S+)",
)


def explain_failure(
    args: Sequence[str],
    cwd: str | os.PathLike[str],
    stderr: str,
    env: Mapping[str, str] | None = None,
) -> Exception:
    """Turn git's stderr into one line of advice (the exception is returned, not raised)."""
    where = os.fspath(cwd)
    if "detected dubious ownership" in stderr:
        return ConfigError(
            f"git refuses the repository at {where!r} (dubious ownership): it is owned by another "
            "user; relkit trusts GITHUB_WORKSPACE and the folder it runs in: run it from the "
            "repository root"
        )
    if "not a git repository" in stderr.lower():
        return ConfigError(
            f"{where!r} is not a git repository: run actions/checkout before this step "
            "(or run relkit from a clone)"
        )
    if "does not have any commits yet" in stderr:
        return ConfigError(f"the repository at {where!r} is empty: it has no commits yet")
    for pattern in _BAD_REV:
        match = re.search(pattern, stderr)
        if match:
            return _missing_revision(match.group("rev"), cwd, env)
    first = next((line for line in stderr.splitlines() if line.strip()), "no message")
    return ExternalError(f"git {' '.join(args[:3])} failed in {where!r}: {first.strip()}")


def _missing_revision(
    rev: str, cwd: str | os.PathLike[str], env: Mapping[str, str] | None
) -> ConfigError:
    probe = _run(["rev-list", "-n", "1", "--all"], cwd, env)
    if probe.returncode == 0 and not probe.stdout.strip():
        return ConfigError(f"the repository at {os.fspath(cwd)!r} is empty: it has no commits yet")
    rev = _missing_endpoint(rev, cwd, env)
    if _shallow(cwd, env):
        return ConfigError(f"revision {rev!r} is not in this shallow clone: {_FETCH_ALL}")
    return ConfigError(
        f"unknown revision or ref {rev!r}: check the name, or {_FETCH_ALL}"
        if rev
        else "an empty revision was given"
    )


def _missing_endpoint(rev: str, cwd: str | os.PathLike[str], env: Mapping[str, str] | None) -> str:
    """In ``a..b`` / ``a...b`` / ``^a``, name the side that does not exist."""
    parts = [p for p in re.split(r"\.{2,3}", rev.lstrip("^")) if p]
    if len(parts) < 2 and rev == rev.lstrip("^"):
        return rev
    for part in parts:
        probe = _run(["cat-file", "-e", "--end-of-options", f"{part}^{{commit}}"], cwd, env)
        if probe.returncode != 0:
            return part
    return rev


def _shallow(cwd: str | os.PathLike[str], env: Mapping[str, str] | None) -> bool:
    done = _run(["rev-parse", "--is-shallow-repository"], cwd, env)
    return done.returncode == 0 and done.stdout.strip() == b"true"


def _check_rev(rev: str) -> str:
    if not rev or rev.startswith("-") or "\n" in rev or "\0" in rev:
        raise ConfigError(f"invalid git revision {rev!r}: give a branch, tag or commit sha")
    return rev
