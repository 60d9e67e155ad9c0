"""git through subprocess (no shell), with git's errors turned into advice.

Every call goes through :func:`run_git`, which runs ``git`` with :func:`git_env`: the workspace is
trusted through ``GIT_CONFIG_COUNT``/``GIT_CONFIG_KEY_n``/``GIT_CONFIG_VALUE_n`` (the "dubious
ownership" refusal inside Docker actions, reference §7; nothing is written to any gitconfig),
prompts are off and messages are in the C locale so they can be recognised.

User-supplied revisions are passed after ``--end-of-options``, so a ref named ``--output=x``
is never read as an option.

Commits are read byte-exact: ``git rev-list`` lists them, then one ``git cat-file --batch`` reads
the raw objects, so :attr:`Commit.message` is the message exactly as stored (``%B`` of
``git log`` would add a newline to a message stored without one), whatever bytes it holds
(decoded as UTF-8, or the commit's ``encoding`` header, with ``errors="replace"``). Two processes
for any number of commits.
"""

from __future__ import annotations

import codecs
import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import NamedTuple

from relkit.errors import ConfigError, ExternalError

_FETCH_ALL = "use actions/checkout with 'fetch-depth: 0' so the history and tags are present"


class Commit(NamedTuple):
    sha: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    authored_at: datetime  # aware, in the author's offset
    committed_at: datetime  # aware, in the committer's offset
    message: str  # exactly as stored in the commit object

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0].rstrip("\r")


class Tag(NamedTuple):
    name: str  # without refs/tags/
    sha: str  # the commit it points to (peeled)
    object_sha: str  # the tag object for an annotated tag, else the commit
    annotated: bool


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
    except FileNotFoundError as exc:
        raise _not_found(cwd) from exc


def _trusted_env(cwd: str | os.PathLike[str], env: Mapping[str, str] | None) -> dict[str, str]:
    base = os.environ if env is None else env
    trusted = git_env(os.fspath(cwd), base)
    workspace = base.get("GITHUB_WORKSPACE")
    if workspace and workspace != os.fspath(cwd):  # also a checkout in a sub-folder (path:)
        trusted = git_env(workspace, trusted)
    return trusted


def _not_found(cwd: str | os.PathLike[str]) -> ConfigError:
    missing = "git" if os.path.isdir(cwd) else f"the folder {os.fspath(cwd)!r}"
    return ConfigError(f"{missing} was not found: install git / check the path")


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
        except FileNotFoundError as exc:
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


# --- commits ----------------------------------------------------------------------------------


def log_commits(
    cwd: str | os.PathLike[str],
    rev_range: str | Sequence[str],
    *,
    paths: Sequence[str] = (),
    first_parent: bool = False,
    max_count: int | None = None,
    reverse: bool = False,
    env: Mapping[str, str] | None = None,
    strict: bool = False,
) -> list[Commit]:
    """Commits of ``rev_range`` (``"v1.0.0..HEAD"``, ``"HEAD"`` or several revs), newest first
    unless ``reverse``; only those touching ``paths`` when given. ``strict``: see
    :func:`parse_commit_object`.

    In a shallow clone the history simply stops at the boundary; check :func:`is_shallow`.
    """
    revs = [rev_range] if isinstance(rev_range, str) else list(rev_range)
    args = ["rev-list"]
    if first_parent:
        args.append("--first-parent")
    if max_count is not None:
        args.append(f"--max-count={max_count}")
    if reverse:
        args.append("--reverse")
    args += ["--end-of-options", *(_check_rev(r) for r in revs), "--", *paths]
    shas = run_git(args, cwd, env=env).split()
    return read_commits(cwd, shas, env=env, strict=strict)


def read_commits(
    cwd: str | os.PathLike[str],
    shas: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    strict: bool = False,
) -> list[Commit]:
    """Read commit objects byte-exact with one ``git cat-file --batch``, in the given order.
    ``strict``: see :func:`parse_commit_object`."""
    return [
        parse_commit_object(sha, raw, strict=strict) for sha, raw in _cat_commits(cwd, shas, env)
    ]


def log_messages(
    cwd: str | os.PathLike[str],
    rev_range: str | Sequence[str],
    *,
    reverse: bool = False,
    env: Mapping[str, str] | None = None,
    strict: bool = False,
) -> list[tuple[str, str]]:
    """``(sha, message)`` of the commits of ``rev_range``, like :func:`log_commits` (messages
    exactly as stored, same decoding) without parsing authors and dates: for linters that read
    thousands of commits."""
    with start_log_messages(cwd, rev_range, reverse=reverse, env=env, strict=strict) as pending:
        return pending.result()


class PendingMessages:
    """:func:`log_messages` under way: ``git rev-list | git cat-file --batch``, two processes
    joined by a pipe, started by :func:`start_log_messages`. :meth:`result` waits for them;
    leaving the ``with`` block without it stops them."""

    def __init__(
        self,
        cwd: str | os.PathLike[str],
        args: list[str],
        env: Mapping[str, str] | None,
        strict: bool,
    ) -> None:
        self._cwd, self._args, self._env, self._strict = cwd, args, env, strict
        trusted = _trusted_env(cwd, env)
        pipe = subprocess.PIPE
        try:
            self._lister = subprocess.Popen(
                ["git", *args], cwd=cwd, env=trusted, stdout=pipe, stderr=pipe
            )
        except FileNotFoundError as exc:
            raise _not_found(cwd) from exc
        assert self._lister.stdout is not None  # noqa: S101 - stdout=PIPE
        self._reader = subprocess.Popen(
            ["git", "cat-file", "--batch", "--buffer"],
            cwd=cwd,
            env=trusted,
            stdin=self._lister.stdout,
            stdout=pipe,
            stderr=pipe,
        )
        self._lister.stdout.close()  # cat-file reads it now; rev-list sees EPIPE if it dies

    def result(self) -> list[tuple[str, str]]:
        """``(sha, message)`` of each commit, in rev-list's order (see :func:`log_messages`)."""
        out, err = self._reader.communicate()
        _, listed = self._lister.communicate()
        if self._lister.returncode != 0:
            raise explain_failure(
                self._args, self._cwd, listed.decode("utf-8", errors="replace"), self._env
            )
        if self._reader.returncode != 0:
            raise explain_failure(
                ["cat-file", "--batch"], self._cwd, err.decode("utf-8", errors="replace")
            )
        return [_message(sha, raw, self._strict) for sha, raw in _split_batch(out)]

    def __enter__(self) -> PendingMessages:
        return self

    def __exit__(self, *exc: object) -> None:
        for process in (self._reader, self._lister):
            if process.poll() is None:
                process.kill()
            process.communicate()


def start_log_messages(
    cwd: str | os.PathLike[str],
    rev_range: str | Sequence[str],
    *,
    reverse: bool = False,
    env: Mapping[str, str] | None = None,
    strict: bool = False,
) -> PendingMessages:
    """Start :func:`log_messages` and return at once, so the caller can do other work (imports,
    its configuration) while git reads the commits::

        with start_log_messages(cwd, "main..HEAD", reverse=True) as pending:
            config = load_config()
            messages = pending.result()
    """
    revs = [rev_range] if isinstance(rev_range, str) else list(rev_range)
    args = ["rev-list", *(["--reverse"] if reverse else [])]
    args += ["--end-of-options", *(_check_rev(r) for r in revs), "--"]
    return PendingMessages(cwd, args, env, strict)


def read_messages(
    cwd: str | os.PathLike[str],
    shas: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    strict: bool = False,
) -> list[tuple[str, str]]:
    """``(sha, message)`` of commit objects, in the given order (see :func:`log_messages`)."""
    return [_message(sha, raw, strict) for sha, raw in _cat_commits(cwd, shas, env)]


def _message(sha: str, raw: bytes, strict: bool) -> tuple[str, str]:
    head, _, body = raw.partition(b"\n\n")
    encoding = "utf-8"
    if b"\nencoding " in head:
        encoding = _encoding(head.split(b"\nencoding ", 1)[1].split(b"\n", 1)[0])
    return sha, _decode_message(sha, body, encoding, strict)


def _cat_commits(
    cwd: str | os.PathLike[str], shas: Sequence[str], env: Mapping[str, str] | None
) -> list[tuple[str, bytes]]:
    """Raw objects of ``shas`` from one ``git cat-file --batch``; ConfigError for a non-commit.

    ``--buffer`` lets git write through stdio buffers instead of flushing after every object
    (half the time for 1,000 commits)."""
    if not shas:
        return []
    payload = "".join(f"{sha}\n" for sha in shas).encode("ascii")
    done = _run(["cat-file", "--batch", "--buffer"], cwd, env, payload)
    if done.returncode != 0:
        raise explain_failure(["cat-file", "--batch"], cwd, done.stderr.decode(errors="replace"))
    return _split_batch(done.stdout)


def _split_batch(out: bytes) -> list[tuple[str, bytes]]:
    """``git cat-file --batch`` output → (sha, raw object); ConfigError for a non-commit."""
    objects: list[tuple[str, bytes]] = []
    pos = 0
    while pos < len(out):
        end = out.index(b"\n", pos)
        header = out[pos:end].decode("ascii", errors="replace").split()
        pos = end + 1
        if len(header) != 3 or header[1] != "commit":
            raise ConfigError(f"{header[0]!r} is not a commit (git cat-file: {' '.join(header)})")
        size = int(header[2])
        objects.append((header[0], out[pos : pos + size]))
        pos += size + 1
    return objects


def _encoding(value: bytes) -> str:
    """A commit's ``encoding`` header as a codec name Python knows (else UTF-8)."""
    encoding = value.decode("ascii", errors="replace")
    try:
        codecs.lookup(encoding)
    except LookupError:
        return "utf-8"
    return encoding


def _decode_message(sha: str, body: bytes, encoding: str, strict: bool) -> str:
    try:
        return body.decode(encoding, errors="strict" if strict else "replace")
    except UnicodeDecodeError:
        raise ConfigError(
            f"commit {sha[:7]}: the message is not valid {encoding} text; rewrite it as UTF-8"
        ) from None


# compiled on first use (re's cache): reading message-only commits never parses an identity
_IDENT = rb"^(?P<name>.*?) ?<(?P<email>[^>]*)> (?P<ts>-?\d+) (?P<tz>[+-]\d{4})$"


def parse_commit_object(sha: str, raw: bytes, *, strict: bool = False) -> Commit:
    """A raw commit object (``git cat-file commit``) → :class:`Commit`.

    The message is decoded with its ``encoding`` header (UTF-8 without one), bad bytes replaced;
    with ``strict`` a message that is not valid text in that encoding is a :class:`ConfigError`
    naming the commit (for linters, which must not judge a message they cannot read)."""
    head, _, body = raw.partition(b"\n\n")
    headers: dict[bytes, list[bytes]] = {}
    last: bytes | None = None
    for line in head.split(b"\n"):
        if line.startswith(b" ") and last is not None:  # continuation (gpgsig, mergetag)
            headers[last][-1] += b"\n" + line[1:]
            continue
        key, _, value = line.partition(b" ")
        headers.setdefault(key, []).append(value)
        last = key
    encoding = _encoding((headers.get(b"encoding") or [b"utf-8"])[0])
    author = _ident((headers.get(b"author") or [b""])[0], encoding)
    committer = _ident((headers.get(b"committer") or [b""])[0], encoding)
    message = _decode_message(sha, body, encoding, strict)
    return Commit(
        sha=sha,
        parents=tuple(p.decode("ascii") for p in headers.get(b"parent", [])),
        author_name=author[0],
        author_email=author[1],
        authored_at=author[2],
        committed_at=committer[2],
        message=message,
    )


def _ident(value: bytes, encoding: str) -> tuple[str, str, datetime]:
    match = re.match(_IDENT, value)
    if not match:
        return value.decode(encoding, errors="replace"), "", datetime.fromtimestamp(0, UTC)
    tz = match.group("tz").decode()
    minutes = int(tz[1:3]) * 60 + int(tz[3:5])
    offset = timezone(timedelta(minutes=-minutes if tz[0] == "-" else minutes))
    return (
        match.group("name").decode(encoding, errors="replace"),
        match.group("email").decode(encoding, errors="replace"),
        datetime.fromtimestamp(int(match.group("ts")), offset),
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


def rev_list_count(
    cwd: str | os.PathLike[str],
    rev_range: str,
    *,
    first_parent: bool = False,
    env: Mapping[str, str] | None = None,
) -> int:
    args = ["rev-list", "--count", *(["--first-parent"] if first_parent else [])]
    return int(run_git([*args, "--end-of-options", _check_rev(rev_range)], cwd, env=env).strip())


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

_TAG_FORMAT = "%(refname)%00%(objectname)%00%(*objectname)%00%(objecttype)"


def _tags(out: str) -> list[Tag]:
    tags: list[Tag] = []
    for line in out.splitlines():
        ref, obj, peeled, kind = line.split("\0")
        if kind not in {"commit", "tag"} or (kind == "tag" and not peeled):
            continue  # tags of trees or blobs
        tags.append(
            Tag(
                name=ref.removeprefix("refs/tags/"),
                sha=peeled or obj,
                object_sha=obj,
                annotated=kind == "tag",
            )
        )
    return tags


def list_tags(
    cwd: str | os.PathLike[str], pattern: str | None = None, *, env: Mapping[str, str] | None = None
) -> list[Tag]:
    """Tags (sorted by name) with the commit each points to; ``pattern`` is a glob on the name
    (``v*``, ``my-pkg-v*``)."""
    refs = f"refs/tags/{pattern}" if pattern else "refs/tags"
    return _tags(run_git(["for-each-ref", f"--format={_TAG_FORMAT}", refs], cwd, env=env))


def tags_reachable(
    cwd: str | os.PathLike[str],
    ref: str = "HEAD",
    pattern: str | None = None,
    *,
    env: Mapping[str, str] | None = None,
) -> list[Tag]:
    """Tags whose commit is an ancestor of (or is) ``ref``."""
    refs = f"refs/tags/{pattern}" if pattern else "refs/tags"
    sha = rev_parse(cwd, ref, env=env)
    out = run_git(
        ["for-each-ref", f"--format={_TAG_FORMAT}", f"--merged={sha}", refs], cwd, env=env
    )
    return _tags(out)


def describe(
    cwd: str | os.PathLike[str],
    ref: str = "HEAD",
    pattern: str | None = None,
    *,
    env: Mapping[str, str] | None = None,
) -> str | None:
    """The nearest tag reachable from ``ref`` (``git describe --tags --abbrev=0``), or None."""
    sha = rev_parse(cwd, ref, env=env)
    args = ["describe", "--tags", "--abbrev=0", *([f"--match={pattern}"] if pattern else []), sha]
    done = _run(args, cwd, env)
    if done.returncode == 0:
        return done.stdout.decode().strip()
    err = done.stderr.decode(errors="replace")
    if "No names found" in err or "No tags can describe" in err or "cannot describe" in err:
        return None
    raise explain_failure(args, cwd, err, env)


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
