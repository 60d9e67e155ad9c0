"""promote-env rollback on a long history: the whole ``relkit promote-env --mode rollback`` run.

    .venv/bin/python bench/promote_rollback.py [COMMITS] [--runs N]

Builds a repository of COMMITS (default 1,000) commits with ``git fast-import``: the built-in
sample overlays (promote_env.sample), then commits to application files with a promotion of
production every 50 commits (``Promoted-Images`` trailers, written with the action's own editor
and commit format), the last one 25 commits before HEAD. Times the rollback as a user runs it,
one process each: ``--dry-run`` (find the promotion, plan, diff) and with a commit, each with
and without the ``kubectl kustomize`` check. The goal is under 5 s (issue 9).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from promote_env import record
from promote_env.kustomize import Triple, read_images, update
from promote_env.promotion import Change
from promote_env.sample import FILES, PRODUCTION

PROD = "k8s/environments/production/kustomization.yaml"
APP = "registry.example/app"
ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GITHUB_ACTIONS": "",
}


def _commit(message: str, files: dict[str, str], n: int) -> bytes:
    data = message.encode()
    out = b"commit refs/heads/main\n"
    out += f"committer Bench <bench@example.com> {1_700_000_000 + n} +0000\n".encode()
    out += f"data {len(data)}\n".encode() + data + b"\n"
    for path, content in files.items():
        blob = content.encode()
        out += f"M 100644 inline {path}\ndata {len(blob)}\n".encode() + blob + b"\n"
    return out


def build(path: Path, count: int) -> None:
    subprocess.run(["git", "init", "-q", "--initial-branch=main", str(path)], check=True, env=ENV)
    stream = [_commit("chore: the sample overlays\n", dict(FILES), 0)]
    prod = PRODUCTION
    last_promotion = count - 25
    for n in range(1, count):
        if n % 50 == 0 or n == last_promotion:
            before = {i.name: i.triple for i in read_images(prod)}[APP]
            after = Triple(None, f"1.{n // 50}.0", f"sha256:{n:064x}")
            prod = update(prod, {APP: after})
            message = record.commit_message(
                record.Record("production", (Change(APP, before, after),), f"staging@{n:040x}")
            )
            stream.append(_commit(message, {PROD: prod}, n))
        else:
            stream.append(
                _commit(f"feat(app): change {n}\n", {f"app/src/{n % 40}.txt": f"{n}\n"}, n)
            )
    subprocess.run(
        ["git", "fast-import", "--quiet"], cwd=path, input=b"".join(stream), check=True, env=ENV
    )
    subprocess.run(["git", "checkout", "-q", "main"], cwd=path, check=True, env=ENV)


def run(repo: Path, args: list[str]) -> float:
    cli = [sys.executable, "-m", "relkit", "promote-env", "--mode", "rollback"]
    cli += ["--target", "k8s/environments/production", "--no-pull-request", *args]
    start = time.perf_counter()
    done = subprocess.run(cli, cwd=repo, env=ENV, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{cli} exited {done.returncode}: {done.stderr.decode()}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("commits", nargs="?", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="relkit-bench-rollback-") as tmp:
        repo = Path(tmp) / "repo"
        build(repo, options.commits)
        count = subprocess.run(
            ["git", "rev-list", "--count", "HEAD"], cwd=repo, capture_output=True, text=True,
            check=True,
        ).stdout.strip()  # fmt: skip
        print(f"repository: {count} commits, last promotion 25 commits before HEAD")
        for label, args in (
            ("rollback --dry-run --no-render", ["--dry-run", "--no-render"]),
            ("rollback --dry-run (kubectl render)", ["--dry-run"]),
        ):
            times = [run(repo, args) for _ in range(options.runs)]
            print(f"{label:40s} median {statistics.median(times):.3f}s  max {max(times):.3f}s")
        for label, args in (
            ("rollback, committed, no render", ["--no-render"]),
            ("rollback, committed (kubectl render)", []),
        ):
            elapsed = run(repo, args)  # each rolls back the previous rollback: same work
            print(f"{label:40s} {elapsed:.3f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
