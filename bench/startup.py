"""Start-up cost: ``relkit --help`` and ``relkit commit-lint --help`` vs ``python -c pass``.

Every command runs with the same interpreter (``python -m relkit …``), N times after a warm-up,
and the median wall time is compared with a bare ``python -c pass``. The ratio is what the user
pays for relkit's own imports on each action start (the container runs ``relkit <action>`` once
per step). Usage: ``python bench/startup.py [--runs N] [--python PATH]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS: dict[str, list[str]] = {
    "python -c pass": ["-c", "pass"],
    "relkit --help": ["-m", "relkit", "--help"],
    "relkit commit-lint --help": ["-m", "relkit", "commit-lint", "--help"],
}


def measure(python: str, args: list[str], runs: int, env: dict[str, str]) -> list[float]:
    def once() -> float:
        start = time.perf_counter()
        # exit 2 is accepted: an action that is not built yet answers --help with "not built yet"
        result = subprocess.run(
            [python, *args], env=env, capture_output=True, check=False, cwd=ROOT
        )
        elapsed = time.perf_counter() - start
        if result.returncode not in {0, 2}:
            raise SystemExit(f"{args} exited {result.returncode}: {result.stderr.decode()}")
        return elapsed

    once()  # warm the page cache and the bytecode cache
    return [once() for _ in range(runs)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    roots = [ROOT / "shared", *sorted(p for p in (ROOT / "actions").iterdir() if p.is_dir())]
    env["PYTHONPATH"] = os.pathsep.join(str(root) for root in roots)

    medians: dict[str, float] = {}
    minimums: dict[str, float] = {}
    for label, command in COMMANDS.items():
        samples = measure(args.python, command, args.runs, env)
        medians[label] = statistics.median(samples)
        minimums[label] = min(samples)
        print(
            f"{label:28} median {medians[label] * 1000:7.1f} ms"
            f"  (min {min(samples) * 1000:.1f}, max {max(samples) * 1000:.1f}, n={args.runs})"
        )
    base, floor = medians["python -c pass"], minimums["python -c pass"]
    for label in list(COMMANDS)[1:]:
        # the ratio of minimums is the steadier figure on a loaded machine
        print(
            f"ratio {label} / python -c pass: {medians[label] / base:.2f} (medians), "
            f"{minimums[label] / floor:.2f} (minimums)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
