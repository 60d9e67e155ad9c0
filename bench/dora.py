"""dora-push at scale: 10,000 deployments and 100,000 commits (and 500 incidents).

A synthetic, seeded history over one year (a deployment every ~53 minutes, 10 commits each, 4 %
failed, 3 % rollbacks or hotfixes) is written as an events file, then timed stage by stage:
reading and validating the file (JSON Schema), resolving the history, computing the 1/7/30/365
day windows, the Four Keys model, and rendering the exposition. Reported as wall time and
records (deployments + commits) per second; the median of ``--runs`` runs. Never a timed test.
Usage: ``python bench/dora.py [--deployments N] [--commits-per-deployment K] [--runs R]``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from dora_push.events_file import parse_events
from dora_push.exposition import render
from dora_push.fourkeys import compute_fourkeys
from dora_push.metrics import analyse, window_metrics

START = datetime(2026, 1, 1, tzinfo=UTC)
GROUPING = {"job": "dora", "repository": "octo/bench", "environment": "production"}


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def history(deployments: int, per_deployment: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    step = timedelta(days=365) / deployments
    doc: dict[str, list[dict[str, Any]]] = {"deployments": [], "commits": [], "incidents": []}
    for n in range(deployments):
        finished = START + step * (n + 1)
        roll = rng.random()
        status = "failure" if roll < 0.03 else "error" if roll < 0.04 else "success"
        kind = rng.choice(["rollback", "hotfix"]) if rng.random() < 0.03 else "deploy"
        doc["deployments"].append(
            {
                "id": f"d{n}",
                "sha": f"{n:08x}",
                "status": status,
                "kind": kind,
                "created_at": iso(finished - timedelta(minutes=8)),
                "finished_at": iso(finished),
            }
        )
        for k in range(per_deployment):
            committed = finished - timedelta(minutes=rng.randint(1, 60 * 72))
            doc["commits"].append(
                {
                    "sha": f"{n:08x}{k:04x}",
                    "committed_at": iso(committed),
                    "authored_at": iso(committed - timedelta(minutes=rng.randint(0, 600))),
                    "deployment": f"d{n}",
                    "push": f"p{n}",
                }
            )
        if n % 20 == 0:
            opened = finished + timedelta(minutes=rng.randint(5, 120))
            doc["incidents"].append(
                {
                    "id": f"i{n}",
                    "opened_at": iso(opened),
                    "resolved_at": iso(opened + timedelta(minutes=rng.randint(10, 2000))),
                    "deployment": f"d{n}",
                    "root_cause": None,
                }
            )
    return doc


def timed(action: Callable[[], Any], runs: int) -> tuple[tuple[float, float], Any]:
    """(median wall seconds, median CPU seconds) and the result: on a shared machine the CPU
    time is the steadier number."""
    result = action()  # warm-up
    walls, cpus = [], []
    for _ in range(runs):
        begin, begin_cpu = time.perf_counter(), time.process_time()
        result = action()
        walls.append(time.perf_counter() - begin)
        cpus.append(time.process_time() - begin_cpu)
    return (statistics.median(walls), statistics.median(cpus)), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deployments", type=int, default=10_000)
    parser.add_argument("--commits-per-deployment", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    doc = history(args.deployments, args.commits_per_deployment)
    records = len(doc["deployments"]) + len(doc["commits"])
    as_of = START + timedelta(days=365)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        text = path.read_text(encoding="utf-8")
        stages: list[tuple[str, tuple[float, float]]] = []
        seconds, events = timed(
            lambda: parse_events(text, source="bench", environment="production"), args.runs
        )
        stages.append(("read + validate events file", seconds))
        seconds, resolved = timed(lambda: analyse(events, as_of), args.runs)
        stages.append(("resolve history", seconds))
        seconds, windows = timed(
            lambda: [window_metrics(resolved, d) for d in (1, 7, 30, 365)], args.runs
        )
        stages.append(("windows 1/7/30/365", seconds))
        seconds, fourkeys = timed(lambda: compute_fourkeys(events, as_of), args.runs)
        stages.append(("model fourkeys", seconds))
        seconds, exposition = timed(
            lambda: render(windows, fourkeys, GROUPING, as_of.timestamp()), args.runs
        )
        stages.append(("render exposition", seconds))
    print(
        f"dora-push: {len(doc['deployments']):,} deployments, {len(doc['commits']):,} commits, "
        f"{len(doc['incidents']):,} incidents; median of {args.runs} runs"
    )
    print(f"  {'stage':<28} {'wall ms':>9} {'cpu ms':>9} {'records/s (cpu)':>16}")
    total_wall = total_cpu = 0.0
    for name, (wall, cpu) in stages:
        total_wall, total_cpu = total_wall + wall, total_cpu + cpu
        print(f"  {name:<28} {wall * 1000:9.1f} {cpu * 1000:9.1f} {records / cpu:>16,.0f}")
    total = f"{total_wall * 1000:9.1f} {total_cpu * 1000:9.1f} {records / total_cpu:>16,.0f}"
    print(f"  {'total':<28} {total}")
    print(f"  exposition: {exposition.count(chr(10))} lines; 30d lead time p50 "
          f"{windows[2].lead_time(0.5):.0f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
