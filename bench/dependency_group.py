"""Benchmark: ``relkit dependency-group`` planning a repository with 500 dependencies against
local stand-ins (a loopback PyPI JSON server, Debian's ``docker-registry``, bare git
repositories), in dry-run mode. Reports the wall time and the number of lookup requests.

Dependencies: 350 PyPI pins in ``requirements.txt`` (each package offering 12 versions), 75
Docker images over 5 Dockerfiles (4 tags each) and 75 actions in 3 workflows (4 tags each).
Renovate runs beside it in ``bench/renovate_side_by_side.py --bench`` (installed by hand).
Run from the project root:  ``.venv/bin/python bench/dependency_group.py [--repeat 3]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "shared"), str(ROOT / "actions/dependency-group")]

import depgroup_standins as standins  # noqa: E402
from dependency_group import plan, scan  # noqa: E402
from dependency_group.config import parse_renovate  # noqa: E402
from dependency_group.datasources import Datasources  # noqa: E402
from dependency_group.licenses import Policy  # noqa: E402
from fakeserver import FakeServer  # noqa: E402

N_PYPI, N_IMAGES, N_ACTIONS = 350, 75, 75
CONFIG = {
    "extends": ["config:recommended"],
    "packageRules": [
        {"matchDatasources": ["pypi"], "groupName": "Python dependencies"},
        {"matchManagers": ["github-actions"], "groupName": "GitHub Actions"},
        {"matchDatasources": ["docker"], "groupName": "Docker images"},
        {"matchUpdateTypes": ["patch"], "automerge": True},
    ],
}


def build(root: Path, registry_url: str, pypi: FakeServer) -> tuple[Path, str]:
    repo = root / "repo"
    (repo / ".github" / "workflows").mkdir(parents=True)
    versions = [(f"{major}.{minor}.0", False) for major in (1, 2, 3) for minor in range(4)]
    packages = {f"pkg{i}": ({"license_expression": "MIT"}, versions) for i in range(N_PYPI)}
    standins.serve_pypi(pypi, packages)
    (repo / "requirements.txt").write_text(
        "".join(f"pkg{i}==1.0.0\n" for i in range(N_PYPI)), encoding="utf-8"
    )
    for i in range(N_IMAGES):
        for tag in ("1.0", "1.1", "2.0", "2.1"):
            standins.seed_tag(registry_url, f"library/img{i}", tag, name=f"img{i}")
    for f in range(5):
        lines = [f"FROM img{i}:1.0 AS s{i}\n" for i in range(f * 15, (f + 1) * 15)]
        (repo / f"Dockerfile.{f}").write_text("".join(lines), encoding="utf-8")
    git_root = root / "git"
    for i in range(N_ACTIONS):
        standins.make_action_repo(git_root, f"owner/action{i}", ("v1.0.0", "v1.1.0", "v2.0.0",
                                                                  "v2.1.0"))  # fmt: skip
    for w in range(3):
        steps = "".join(
            f"      - uses: owner/action{i}@v1.0.0\n" for i in range(w * 25, (w + 1) * 25)
        )
        (repo / ".github" / "workflows" / f"w{w}.yml").write_text(
            f"jobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n{steps}", encoding="utf-8"
        )
    return repo, f"file://{git_root}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if standins.registry_binary() is None:
        print("docker-registry is not installed (apt-get install docker-registry)")
        return 2
    with tempfile.TemporaryDirectory() as scratch, FakeServer() as pypi:
        root = Path(scratch)
        runner = standins.start_registry(root / "registry")
        registry = next(runner)
        try:
            started = time.perf_counter()
            repo, git_server = build(root, registry.url, pypi)
            print(f"stand-ins seeded in {time.perf_counter() - started:.1f} s")
            config = parse_renovate(CONFIG, "renovate.json")
            enabled = ["pip_requirements", "dockerfile", "github-actions"]
            best = None
            for run in range(args.repeat):
                sources = Datasources(pypi.url, registry.url, git_server)
                before = len(pypi.requests)
                started = time.perf_counter()
                found = scan.find_dependencies(repo, enabled, config)
                updates, skipped = scan.find_updates(
                    found.dependencies, sources, config, Policy(allow_unknown=True)
                )
                branches = plan.group(updates, config, "renovate/")
                elapsed = time.perf_counter() - started
                best = elapsed if best is None else min(best, elapsed)
                print(
                    f"run {run + 1}: {len(found.dependencies)} dependencies, {len(updates)} "
                    f"updates on {len(branches)} branches, {len(skipped)} skipped, "
                    f"{sources.requests} lookup requests ({len(pypi.requests) - before} to PyPI), "
                    f"{elapsed:.2f} s"
                )
            print(f"best of {args.repeat}: {best:.2f} s")
        finally:
            runner.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
