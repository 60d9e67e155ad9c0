"""Real git repositories in temp folders for tests (the ``git_repo`` fixture of conftest.py)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PINNED_GIT_ENV = {
    "GIT_AUTHOR_NAME": "Relkit Tester",
    "GIT_AUTHOR_EMAIL": "tester@example.com",
    "GIT_AUTHOR_DATE": "2024-01-01T00:00:00+00:00",
    "GIT_COMMITTER_NAME": "Relkit Tester",
    "GIT_COMMITTER_EMAIL": "tester@example.com",
    "GIT_COMMITTER_DATE": "2024-01-01T00:00:00+00:00",
}


@dataclass(slots=True)
class GitRepo:
    """A real repository in a temp folder, the one helper of every test suite. Each commit is
    one minute after the previous one, from 2024-01-01T00:00Z, so histories are reproducible
    (same input → same shas); ``shas`` lists the commits made here, oldest first.

    With ``own_files``, a commit given no files touches a file of its own (``file<N>.txt``
    holding the message) instead of being empty: monorepo plans split commits by the files
    they touch."""

    path: Path
    clock: int = 0
    own_files: bool = False
    shas: list[str] = field(default_factory=list)

    def git(self, *args: str, input: str | bytes | None = None) -> str:
        """Run git here; stdout as text with CR kept (no newline translation)."""
        done = subprocess.run(
            ["git", *args],
            cwd=self.path,
            input=input.encode("utf-8") if isinstance(input, str) else input,
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            error = done.stderr.decode("utf-8", errors="replace").strip()
            raise AssertionError(f"git {' '.join(args)} failed: {error}")
        return done.stdout.decode("utf-8", errors="replace")

    def write(self, files: Mapping[str, str | bytes]) -> None:
        for name, content in files.items():
            target = self.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8", newline="")
        self.git("add", "--all", "--", *files)

    def commit(
        self,
        message: str,
        files: Mapping[str, str | bytes] | None = None,
        *,
        author: tuple[str, str] | None = None,
        date: str | None = None,
    ) -> str:
        """Commit ``files`` (path → content) with ``message`` stored verbatim; return the sha."""
        if not files and self.own_files:
            files = {f"file{self.clock + 1}.txt": message}
        if files:
            self.write(files)
        self.clock += 1
        stamp = date or f"2024-01-01T{self.clock // 60 % 24:02d}:{self.clock % 60:02d}:00+00:00"
        env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        if author:
            env["GIT_AUTHOR_NAME"], env["GIT_AUTHOR_EMAIL"] = author
        done = subprocess.run(
            [
                "git",
                "commit",
                "--quiet",
                "--allow-empty",
                "--allow-empty-message",
                "--cleanup=verbatim",
                "--no-verify",
                "-F",
                "-",
            ],
            cwd=self.path,
            input=message.encode("utf-8"),
            env=env,
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(f"git commit failed: {done.stderr.decode(errors='replace')}")
        self.shas.append(self.head())
        return self.shas[-1]

    def commits(self, *messages: str) -> list[str]:
        return [self.commit(message) for message in messages]

    def tag(self, name: str, ref: str = "HEAD", *, message: str | None = None) -> None:
        if message is None:
            self.git("tag", name, ref)
        else:
            self.git("tag", "-a", name, ref, "-m", message)

    def branch(self, name: str, start: str = "HEAD") -> None:
        self.git("branch", name, start)

    def checkout(self, name: str) -> None:
        self.git("checkout", "--quiet", name)

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()


def make_git_repo(
    path: Path,
    messages: Sequence[str] = (),
    *,
    branch: str = "main",
    bare: bool = False,
    own_files: bool = False,
) -> GitRepo:
    """``git init`` at ``path`` (branch ``branch``) and commit each of ``messages``."""
    path.mkdir(parents=True, exist_ok=True)
    args = ["git", "init", "--quiet", f"--initial-branch={branch}"]
    subprocess.run([*args, *(["--bare"] if bare else []), str(path)], check=True)
    repo = GitRepo(path, own_files=own_files)
    if not bare:
        repo.git("config", "commit.gpgsign", "false")
        repo.git("config", "tag.gpgsign", "false")
        repo.commits(*messages)
    return repo
