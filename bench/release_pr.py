"""Benchmark: relkit release-pr vs python-semantic-release and conventional-changelog-cli.

All three compute the next version (and relkit and conventional-changelog the changelog section)
for the longest range of the public release corpus, replayed into a temporary git repository:
the previous release is tagged, then every commit of the range is re-created in order with its
original message. Each tool runs as a user would run it (a fresh process each time), the runs
interleaved so machine load hits every tool alike; the median and the best of ``--runs`` wall
times are compared (the best is the steadier figure on a loaded machine).

    python bench/release_pr.py [--runs 5] [--corpus PATH] [--skip-install] [--relkit PATH]

relkit runs as installed: the worktree is installed (regular, non-editable, as the Dockerfile
does) into ``bench/.scratch/relkit-venv`` and re-installed on each bench run, so the timing has no
editable-install finder in it (``--relkit .venv/bin/relkit`` times the development install).
The anchors are installed on first use into ``bench/.scratch/`` (gitignored): a virtualenv with
python-semantic-release from PyPI, and an npm folder with conventional-changelog-cli and the
conventionalcommits preset.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = ROOT / "bench" / ".scratch"
PSR_VERSION = "10.7.0"
ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def find_corpus(explicit: str | None) -> Path:
    candidates = [
        explicit,
        os.environ.get("RELKIT_SHARED_DIR") and f"{os.environ['RELKIT_SHARED_DIR']}/conformance",
        str(ROOT / ".." / "shared" / "conformance"),
        "/work/shared/conformance",
    ]
    for candidate in filter(None, candidates):
        path = Path(candidate)
        path = path if path.suffix == ".jsonl" else path / "commits" / "release-public.jsonl"
        if path.is_file():
            return path
    raise SystemExit("release-public.jsonl not found: pass --corpus or set RELKIT_SHARED_DIR")


def longest_range(corpus: Path) -> dict[str, object]:
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line]
    stable = [r for r in rows if not r["prerelease"]]
    return max(stable, key=lambda r: len(r["commits"]))


def whole_history(corpus: Path, repo_name: str) -> dict[str, object]:
    """Every range of one repository, joined oldest first: one range since a first tag."""
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line]
    ranges = sorted((r for r in rows if r["repo"] == repo_name), key=lambda r: r["tag_commit_date"])
    seen: set[str] = set()
    commits: list[dict[str, object]] = []
    for row in reversed(ranges):  # newest range first, like each range's own commit list
        for commit in row["commits"]:
            if commit["sha"] not in seen:
                seen.add(commit["sha"])
                commits.append(commit)
    return {
        "id": f"{repo_name} (whole history)",
        "previous_tag": "v0.0.1",
        "previous_version": "0.0.1",
        "commits": commits,
    }


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(["git", *args], cwd=repo, env=env or ENV, check=True, capture_output=True)


def build_repo(case: dict[str, object], repo: Path) -> None:
    previous = str(case["previous_version"])
    git(repo, "init", "-q", "-b", "main")
    (repo / "package.json").write_text(
        json.dumps({"name": "bench", "version": previous, "private": True}, indent=2) + "\n"
    )
    (repo / "pyproject.toml").write_text(
        f'[project]\nname = "bench"\nversion = "{previous}"\n\n'
        "[tool.semantic_release]\n"
        'version_toml = ["pyproject.toml:project.version"]\n'
        'commit_parser = "conventional"\n'
        'tag_format = "v{version}"\n'
        "allow_zero_version = true\n"
        "major_on_zero = true\n"
    )
    git(repo, "add", ".")
    start = {
        **ENV,
        "GIT_AUTHOR_DATE": "2025-12-31T00:00:00Z",
        "GIT_COMMITTER_DATE": "2025-12-31T00:00:00Z",
    }
    git(repo, "commit", "-q", "-m", f"chore: release {previous}", env=start)
    git(repo, "tag", f"v{previous}")
    commits = list(reversed(case["commits"]))  # type: ignore[call-overload]
    for i, commit in enumerate(commits):
        (repo / "history.txt").write_text(f"{i}\n")
        git(repo, "add", "history.txt")
        stamp = f"2026-01-01T{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}Z"
        env = {**ENV, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        message = str(commit["message"]) or "(empty)"
        git(repo, "commit", "-q", "--allow-empty-message", "-m", message, env=env)
    git(repo, "remote", "add", "origin", "https://github.com/bench/bench.git")


def install_relkit() -> Path:
    """The worktree as a user installs it: a regular install in a venv of its own (dependencies
    on first use, then only relkit itself again, so the timing follows the current code)."""
    venv = SCRATCH / "relkit-venv"
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    pip += ["--disable-pip-version-check"]
    if not (venv / "bin" / "relkit").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([*pip, str(ROOT)], check=True)
    else:
        subprocess.run([*pip, "--no-deps", "--force-reinstall", str(ROOT)], check=True)
    shutil.rmtree(ROOT / "build", ignore_errors=True)  # setuptools' build tree of the install
    return venv / "bin" / "relkit"


def install_anchors() -> tuple[list[str] | None, list[str] | None]:
    psr_bin = SCRATCH / "psr-venv" / "bin" / "semantic-release"
    if not psr_bin.exists():
        subprocess.run([sys.executable, "-m", "venv", str(SCRATCH / "psr-venv")], check=True)
        subprocess.run(
            [
                str(SCRATCH / "psr-venv/bin/pip"),
                "install",
                "-q",
                f"python-semantic-release=={PSR_VERSION}",
            ],
            check=False,
        )
    ccl_dir = SCRATCH / "ccl"
    ccl_bin = ccl_dir / "node_modules" / ".bin" / "conventional-changelog"
    if not ccl_bin.exists() and shutil.which("npm"):
        ccl_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "init", "-y"], cwd=ccl_dir, check=False, capture_output=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "conventional-changelog-cli",
                "conventional-changelog-conventionalcommits",
            ],
            cwd=ccl_dir,
            check=False,
        )
    psr = [str(psr_bin), "--noop", "version", "--print"] if psr_bin.exists() else None
    # -u: also when package.json's version is already tagged (the range is unreleased)
    ccl = [str(ccl_bin), "-p", "conventionalcommits", "-r", "1", "-u"] if ccl_bin.exists() else None
    return psr, ccl


def run_once(cmd: list[str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return took, proc.stdout


def plan_in_process(repo: Path, runs: int) -> float:
    """The same dry run as a library call: git reads, parsing, versions and the section."""
    # this script is itself named release_pr.py: keep its folder from shadowing the package
    here = str(Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if str(Path(p or ".").resolve()) != here]
    sys.modules.pop("release_pr", None)
    from release_pr.local import build_plan  # noqa: PLC0415 - after the path fix above

    options = {
        "workspace": str(repo),
        "release-type": "node",
        "repo-url": "https://github.com/bench/bench",
    }
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        build_plan(options, {}, now=datetime.now(UTC))
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")[:60]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus")
    parser.add_argument("--skip-install", action="store_true", help="only time relkit")
    parser.add_argument(
        "--relkit", help="the relkit to time (default: a regular install in bench/.scratch)"
    )
    parser.add_argument(
        "--whole-history",
        action="store_true",
        help="replay every range of that repository as one range (a scaling check)",
    )
    args = parser.parse_args()
    corpus = find_corpus(args.corpus)
    case = longest_range(corpus)
    if args.whole_history:
        case = whole_history(corpus, str(case["repo"]))
    n = len(case["commits"])  # type: ignore[arg-type]
    print(f"range: {case['id']} ({n} commits since {case['previous_tag']})")
    relkit = [
        args.relkit or str(install_relkit()),
        "release-pr",
        "--dry-run",
        "--json",
        "--release-type",
        "node",
    ]
    psr, ccl = (None, None) if args.skip_install else install_anchors()
    # byte-compile relkit as an install (pip, the Docker image) does; the anchors were installed
    # by pip and npm, so every tool starts from compiled code
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "shared"), str(ROOT / "actions")],
        check=True,
    )
    tools = {"relkit release-pr --dry-run": relkit}
    if psr:
        tools["semantic-release version --print"] = psr
    if ccl:
        tools["conventional-changelog -r 1 -u"] = ccl
    with tempfile.TemporaryDirectory(prefix="relkit-bench-") as tmp:
        repo = Path(tmp)
        build_repo(case, repo)
        times: dict[str, list[float]] = {name: [] for name in tools}
        answers: dict[str, str] = {}
        for _ in range(args.runs):  # interleaved, so machine load hits every tool alike
            for name, cmd in tools.items():
                took, out = run_once(cmd, repo)
                times[name].append(took)
                answers[name] = out
        in_process = plan_in_process(repo, args.runs)
    data = json.loads(answers["relkit release-pr --dry-run"])
    answers["relkit release-pr --dry-run"] = (
        f"next {data['releases'][0]['version']}" if data["releases"] else "no release"
    )
    base = statistics.median(times["relkit release-pr --dry-run"])
    base_best = min(times["relkit release-pr --dry-run"])
    print(f"relkit: {relkit[0]}")
    print(f"{'tool':34s} {'median':>9s} {'best':>9s}  ratio (median, best)  answer")
    for name, samples in times.items():
        median, best = statistics.median(samples), min(samples)
        ratio = f"{median / base:4.1f}x {best / base_best:4.1f}x"
        print(
            f"{name:34s} {median * 1000:7.1f}ms {best * 1000:7.1f}ms  {ratio:>20s}  "
            f"{first_line(answers[name])}"
        )
    print(
        f"(relkit's plan in-process, without interpreter start-up and imports: "
        f"{in_process * 1000:.1f}ms median)"
    )
    for name in ("semantic-release version --print", "conventional-changelog -r 1 -u"):
        if name not in tools:
            print(f"{name:34s} not installed (skipped)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
