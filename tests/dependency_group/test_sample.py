"""The shared sample with each of its two configs: the plan equals Renovate 44's expected table
(``../shared/samples/dependency-group/renovate-expected.md``) row for row."""

from __future__ import annotations

import json
import re
from pathlib import Path

import depgroup_standins as standins
import pytest
from dependency_group import entry
from depgroup_standins import StandIns, copy_sample


def expected_rows(config: str) -> tuple[set[tuple[str, ...]], dict[str, bool]]:
    """(branch, manager, dependency, updateType, current, new, automerge) rows and the branches'
    automerge from the expected table (digests and shas as cut there)."""
    text = (standins.SAMPLE / "renovate-expected.md").read_text(encoding="utf-8")
    section = text.split(f"## config: `{config}`", 1)[1].split("## config:", 1)[0]
    rows: set[tuple[str, ...]] = set()
    branches: dict[str, bool] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) != 6 or not cells[0].startswith("renovate/"):
            continue
        branch, manager, dep, kind, change, auto = cells
        if manager.startswith("(branch automerge"):
            branches[branch] = auto == "True"
            continue
        current, new = change.split(" -> ")
        rows.add((branch, manager, dep, kind, current, new, auto))
    return rows, branches


def _cut(value: str) -> str:
    value = re.sub(r"@sha256:([0-9a-f]{12})[0-9a-f]+", r"@sha256:\1", value)
    return re.sub(r"@([0-9a-f]{19})[0-9a-f]{21}\b", r"@\1", value)


def run_plan(tmp_path: Path, stand_ins: StandIns, config: str) -> dict[str, object]:
    repo = copy_sample(tmp_path / "repo", config)
    env = {
        "GITHUB_WORKSPACE": str(repo),
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }
    argv = [
        "--dry-run",
        "--branch-prefix", "renovate/",
        "--pypi-url", stand_ins.pypi.url,
        "--docker-registry-url", stand_ins.registry_url,
        "--github-server-url", stand_ins.git_server,
        "--allow-unknown-license",
    ]  # fmt: skip
    assert entry.main(argv, env) == 0
    return json.loads((tmp_path / "dependency-group-plan.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("config", ["renovate.roadmap.json", "renovate.fixed.json"])
def test_plan_equals_renovate_expected(tmp_path: Path, stand_ins: StandIns, config: str) -> None:
    plan = run_plan(tmp_path, stand_ins, config)
    rows, branch_automerge = expected_rows(config)
    got: set[tuple[str, ...]] = set()
    got_branches: dict[str, bool] = {}
    for branch in plan["branches"]:  # type: ignore[attr-defined]
        got_branches[branch["branch"]] = branch["automerge"]
        for u in branch["updates"]:
            auto = str(u["update_type"] in {"patch", "pin", "digest"})  # both configs' rule
            got.add((branch["branch"], u["manager"], u["package"], u["update_type"],
                     _cut(u["current"]), _cut(u["new"]), auto))  # fmt: skip
    assert got == rows
    assert got_branches == branch_automerge
    skipped = {(s["manager"], s["package"]) for s in plan["skipped"]}  # type: ignore[attr-defined]
    assert ("dockerfile", "node") not in skipped  # up to date, not an error
