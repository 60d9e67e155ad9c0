"""`make demo`: a sample repository with conventional commits, then `relkit release-pr --dry-run`;
then promote-env's sample overlays: a drift report and a promotion.

Builds a throwaway git repository in a temporary directory (author, committer and dates pinned,
so the output is the same on every run apart from today's date in the heading), prints the
commits as release-please reads them, then runs the real CLI: the next version and the
changelog section a release PR would carry. No token, no network.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from release_pr.commit_parser import parse_message

ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Demo Dev",
    "GIT_AUTHOR_EMAIL": "dev@example.com",
    "GIT_COMMITTER_NAME": "Demo Dev",
    "GIT_COMMITTER_EMAIL": "dev@example.com",
    "GIT_AUTHOR_DATE": "2026-07-01T09:00:00Z",
    "GIT_COMMITTER_DATE": "2026-07-01T09:00:00Z",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}

CONFIG = {
    "release-type": "node",
    "packages": {".": {"package-name": "sample-app", "extra-files": ["action.yml"]}},
}

HISTORY = [
    ("feat: add the export command (#12)", {"src/export.js": "export"}),
    ("fix(cli): keep <stdin> open until EOF (#15)\n\nFixes #14", {"src/cli.js": "cli"}),
    ("docs: explain the export format", {"README.md": "# sample-app\n"}),
    ("perf(parser): cache compiled patterns", {"src/parser.js": "parser"}),
    (
        "feat(api)!: rename `run` to `execute`\n\n"
        "BREAKING CHANGE: `run()` is gone; call `execute()` instead.\n\n"
        "Signed-off-by: Demo Dev <dev@example.com>",
        {"src/api.js": "api"},
    ),
    ("chore(deps): bump lodash to 4.17.21 (#19)", {"deps.txt": "lodash@4.17.21\n"}),
]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, env=ENV, check=True, capture_output=True, text=True
    ).stdout


def write(repo: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
        git(repo, "add", name)


def build_sample(repo: Path) -> None:
    git(repo, "init", "-q", "-b", "main")
    write(
        repo,
        {
            "release-please-config.json": json.dumps(CONFIG, indent=2) + "\n",
            ".release-please-manifest.json": '{\n  ".": "1.4.2"\n}\n',
            "package.json": '{\n  "name": "sample-app",\n  "version": "1.4.2"\n}\n',
            "package-lock.json": json.dumps(
                {
                    "name": "sample-app",
                    "version": "1.4.2",
                    "lockfileVersion": 3,
                    "packages": {"": {"name": "sample-app", "version": "1.4.2"}},
                },
                indent=2,
            )
            + "\n",
            "action.yml": "runs:\n  using: docker\n  image: docker://ghcr.io/acme/sample-app:1.4.2\n",
            "CHANGELOG.md": "# Changelog\n\n## 1.4.2 (2026-06-01)\n\n* first public release\n",
        },
    )
    git(repo, "commit", "-q", "-m", "chore(main): release 1.4.2")
    git(repo, "tag", "v1.4.2")
    git(repo, "remote", "add", "origin", "https://github.com/acme/sample-app.git")
    for message, files in HISTORY:
        write(repo, files)
        git(repo, "commit", "-q", "-m", message)


def main() -> int:
    out = sys.stdout
    with tempfile.TemporaryDirectory(prefix="relkit-demo-") as tmp:
        repo = Path(tmp)
        build_sample(repo)
        out.write(f"sample repository: {repo} (last release v1.4.2)\n\n")
        out.write("commits since v1.4.2, as release-please reads them:\n")
        log = git(repo, "log", "--format=%H%x1f%B%x1e", "v1.4.2..HEAD")
        for record in filter(None, (r.strip() for r in log.split("\x1e"))):
            sha, message = record.split("\x1f", 1)
            for commit in parse_message(message, sha=sha):
                scope = f"({commit.scope})" if commit.scope else ""
                flag = "  [BREAKING]" if commit.breaking else ""
                out.write(f"  {sha[:7]}  {commit.type}{scope}: {commit.subject}{flag}\n")
        out.write("\n$ relkit release-pr --dry-run\n")
        out.flush()
        cli = [sys.executable, "-m", "relkit", "release-pr", "--dry-run"]
        env = {**ENV, "GITHUB_ACTIONS": ""}
        return subprocess.run(cli, cwd=repo, env=env, check=False).returncode


def promote_demo() -> int:
    """promote-env on its built-in sample (base, staging, production overlays): the drift
    report, then a promotion committed on the current branch (nothing pushed)."""
    from promote_env.sample import FILES  # noqa: PLC0415 - only this part needs it

    out = sys.stdout
    with tempfile.TemporaryDirectory(prefix="relkit-promote-demo-") as tmp:
        repo = Path(tmp)
        git(repo, "init", "-q", "-b", "main")
        write(repo, FILES)
        git(repo, "commit", "-q", "-m", "chore: the sample overlays")
        env = {**ENV, "GITHUB_ACTIONS": ""}
        overlays = ["--source", "k8s/environments/staging"]
        overlays += ["--target", "k8s/environments/production"]
        steps = [
            ["--mode", "drift", *overlays, "--ignore-drift", "metadata.namespace,spec.replicas"],
            [*overlays, "--no-pull-request"],
        ]
        for args in steps:
            out.write(f"\n$ relkit promote-env {' '.join(args)}\n")
            out.flush()
            cli = [sys.executable, "-m", "relkit", "promote-env", *args]
            code = subprocess.run(cli, cwd=repo, env=env, check=False).returncode
            if code:
                return code
        out.write("\n$ git show HEAD\n")
        out.write(git(repo, "show", "HEAD"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main() or promote_demo())
