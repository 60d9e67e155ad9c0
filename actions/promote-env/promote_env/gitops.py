"""git for promote-env: read files at revisions, find promotion commits, commit and push.

An adapter (subprocess through :mod:`relkit.adapters.git`): the pure modules never see it.
A commit for a remote branch is built with plumbing (``hash-object``, a scratch index,
``commit-tree``) on top of the remote tip, so the checkout is left as it was; a local promotion
is an ordinary ``git commit`` of the one file on the current branch.
"""

from __future__ import annotations

import base64
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from relkit.adapters.git import run_git, show_file
from relkit.adapters.git.run import _run
from relkit.errors import ConfigError, ExternalError

_REFUSALS = (
    "[rejected]",
    "[remote rejected]",
    "non-fast-forward",
    "fetch first",
    "couldn't find remote ref",
)
BOT = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")
REMOTE = "origin"


class Refused(ExternalError):
    """The remote answered and said no (a non-fast-forward push, a missing branch)."""


@dataclass
class Repo:
    """A checkout, its environment (with the token as an HTTP header for the remote)."""

    root: str
    env: Mapping[str, str]
    token: str = field(default="", repr=False)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    attempts: int = 3

    @classmethod
    def open(cls, workspace: str, env: Mapping[str, str], token: str = "") -> Repo:
        top = run_git(["rev-parse", "--show-toplevel"], workspace, env=env).strip()
        return cls(top, env, token)

    def git(
        self, *args: str, input: str | None = None, env: Mapping[str, str] | None = None
    ) -> str:
        return run_git(list(args), self.root, env=env or self.env, input=input)

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()

    def has_parent(self, sha: str) -> bool:
        return len(self.git("rev-list", "--parents", "-n", "1", sha).split()) > 1

    def show(self, rev: str, path: str) -> str | None:
        return show_file(self.root, rev, path, env=self.env)

    def resolve(self, rev: str) -> str:
        from relkit.adapters.git import rev_parse  # noqa: PLC0415

        return rev_parse(self.root, rev, env=self.env)

    def last_promotion(self, path: str, rev: str = "HEAD") -> tuple[str, str] | None:
        """The newest commit reachable from ``rev`` that changed ``path`` and carries a
        ``Promoted-Images`` trailer: ``(sha, message)``."""
        shas = self.git(
            "rev-list", "--max-count=1", "--grep=^Promoted-Images: ", "--end-of-options", rev,
            "--", path,
        ).split()  # fmt: skip
        if not shas:
            return None
        return shas[0], self.git("log", "-1", "--format=%B", shas[0])

    def check_unchanged(self, path: str) -> None:
        """Refuse a local commit of ``path`` while it has uncommitted changes: they would go into
        the promotion commit, which must change only the promoted values."""
        if self.git("status", "--porcelain", "--untracked-files=no", "--", path).strip():
            raise ConfigError(
                f"{path} has uncommitted changes; commit or stash them first (the promotion "
                "commit holds only the promoted values), or use 'dry-run: true' to preview"
            )

    # --- committing ---------------------------------------------------------------------------

    def _identity_env(self) -> dict[str, str]:
        env = dict(self.env)
        configured = _run(["config", "user.email"], self.root, self.env).stdout.strip()
        if not configured:
            for role in ("AUTHOR", "COMMITTER"):
                env.setdefault(f"GIT_{role}_NAME", BOT[0])
                env.setdefault(f"GIT_{role}_EMAIL", BOT[1])
        return env

    def commit_here(self, path: str, content: str, message: str) -> str:
        """Write ``path`` in the working tree and commit it alone on the current branch."""
        with open(os.path.join(self.root, path), "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
        self.git("add", "--", path)
        self.git(
            "commit", "--quiet", "--no-verify", "--cleanup=verbatim", "-F", "-", "--", path,
            input=message, env=self._identity_env(),
        )  # fmt: skip
        return self.head()

    def on_branch(self) -> bool:
        """Whether HEAD is a branch (not detached): a local commit on a detached HEAD is easy
        to lose."""
        return _run(["symbolic-ref", "-q", "HEAD"], self.root, self.env).returncode == 0

    def commit_on(self, base: str, path: str, content: str, message: str) -> str:
        """A commit on top of ``base`` changing only ``path``, without touching the checkout."""
        blob = self.git("hash-object", "-w", "--stdin", input=content).strip()
        with tempfile.TemporaryDirectory(prefix="relkit-index-") as scratch:
            env = {**self.env, "GIT_INDEX_FILE": os.path.join(scratch, "index")}
            self.git("read-tree", base, env=env)
            self.git("update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=env)
            tree = self.git("write-tree", env=env).strip()
        return self.git(
            "commit-tree", tree, "-p", base, "-F", "-", input=message, env=self._identity_env()
        ).strip()

    # --- the remote ---------------------------------------------------------------------------

    def _remote_env(self) -> dict[str, str]:
        env = dict(self.env)
        if self.token:
            basic = base64.b64encode(f"x-access-token:{self.token}".encode()).decode()
            count = int(env.get("GIT_CONFIG_COUNT", "0") or "0")
            env[f"GIT_CONFIG_KEY_{count}"] = "http.extraheader"
            env[f"GIT_CONFIG_VALUE_{count}"] = f"AUTHORIZATION: basic {basic}"
            env["GIT_CONFIG_COUNT"] = str(count + 1)
        return env

    def _remote(self, *args: str) -> str:
        """A git command talking to the remote, retried on failures that may pass; a refusal
        (a non-fast-forward push, a missing ref) is raised at once as :class:`Refused`."""
        for attempt in range(1, self.attempts + 1):
            done = _run(list(args), self.root, self._remote_env())
            if done.returncode == 0:
                return done.stdout.decode("utf-8", errors="replace")
            stderr = done.stderr.decode("utf-8", errors="replace")
            lines = [line.strip() for line in stderr.splitlines() if line.strip()]
            said = next((line for line in lines if "!" in line or "fatal" in line), "")
            said = said or (lines[-1] if lines else "no message")
            if any(word in stderr for word in _REFUSALS):
                raise Refused(f"git {args[0]} {REMOTE}: {said}")
            if attempt == self.attempts:
                raise ExternalError(
                    f"git {args[0]} {REMOTE} failed after {attempt} attempts: {said}; check the "
                    "remote, the network and that the token may write contents"
                )
            self.sleep(2.0 * attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def default_branch(self) -> str:
        out = self._remote("ls-remote", "--symref", REMOTE, "HEAD")
        for line in out.splitlines():
            if line.startswith("ref: refs/heads/"):
                return line.split()[1].removeprefix("refs/heads/")
        raise ConfigError(
            f"cannot tell the default branch of remote {REMOTE!r}: set the 'base-branch' input"
        )

    def fetch(self, branch: str) -> str:
        """Fetch ``branch`` from the remote; its tip's sha."""
        try:
            self._remote("fetch", "--quiet", "--no-tags", REMOTE, f"refs/heads/{branch}")
        except Refused:
            raise ConfigError(
                f"branch {branch!r} does not exist on {REMOTE}: set 'base-branch' to an "
                "existing branch"
            ) from None
        return self.git("rev-parse", "FETCH_HEAD").strip()

    def push(self, sha: str, branch: str, *, force: bool = False) -> bool:
        """Push ``sha`` to ``branch``; False when the remote refused a non-fast-forward."""
        refspec = f"{'+' if force else ''}{sha}:refs/heads/{branch}"
        try:
            self._remote("push", "--quiet", "--no-verify", REMOTE, refspec)
        except Refused as exc:
            if "remote rejected" in str(exc):  # a hook or branch protection said no
                raise ExternalError(
                    f"{exc}; the remote refuses pushes to {branch!r} (a protected branch?): "
                    "use 'pull-request: true', or allow this token to push there"
                ) from None
            if force:  # pragma: no cover - a forced push is never a non-fast-forward
                raise
            return False
        return True
