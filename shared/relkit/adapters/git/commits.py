"""Commits read byte-exact: ``git rev-list`` lists them, one ``git cat-file --batch`` reads the
raw objects (:func:`parse_commit_object`).
"""

from __future__ import annotations

import codecs
import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import NamedTuple

from relkit.adapters.git.run import (
    _check_rev,
    _not_found,
    _run,
    _trusted_env,
    explain_failure,
    run_git,
)
from relkit.errors import ConfigError

# --- commits ----------------------------------------------------------------------------------


class Commit(NamedTuple):
    sha: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    authored_at: datetime  # aware, in the author's offset
    committed_at: datetime  # aware, in the committer's offset
    message: str  # exactly as stored in the commit object

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0].rstrip("\r")


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
