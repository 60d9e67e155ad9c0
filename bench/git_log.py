"""Reading history: ``relkit.adapters.git.log_commits`` against a bare ``git log``, as a ratio.

    .venv/bin/python bench/git_log.py [COMMITS]

Builds a repository with COMMITS (default 5,000) conventional commits in a temp folder with
``git fast-import``, then times reading all of them as typed ``Commit`` values (rev-list + one
``cat-file --batch``) against ``git log --format=%H%x00%B`` that only prints them.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from relkit.adapters import git


def build(path: Path, count: int) -> None:
    subprocess.run(["git", "init", "-q", "--initial-branch=main", str(path)], check=True)
    stream = []
    for n in range(1, count + 1):
        message = f"feat(scope): change {n}\n\nBody of change {n}.\n\nRefs: #{n}\n".encode()
        stream.append(
            b"commit refs/heads/main\n"
            + f"committer Bench <bench@example.com> {1_700_000_000 + n} +0000\n".encode()
            + f"data {len(message)}\n".encode()
            + message
            + b"\n"
        )
    subprocess.run(["git", "fast-import", "--quiet"], cwd=path, input=b"".join(stream), check=True)


def best(run: object, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder) / "repo"
        build(repo, count)
        ours = best(lambda: git.log_commits(repo, "main"))
        bare = best(
            lambda: subprocess.run(
                ["git", "log", "--format=%H%x00%B", "main"],
                cwd=repo,
                capture_output=True,
                check=True,
            )
        )
    print(f"{count} commits: log_commits {ours * 1000:.0f} ms, git log {bare * 1000:.0f} ms")
    print(f"ratio log_commits / git log: {ours / bare:.1f}x")


if __name__ == "__main__":
    main()
