"""Benchmark: relkit commit-lint against @commitlint/cli + config-conventional on the same inputs.

(a) every public corpus message in one process: commitlint's ``@commitlint/lint`` in one Node
    process (the CLI lints one message per process) vs ``relkit commit-lint --json-batch``;
(b) a 1,000-commit git range the CI way: ``commitlint --from A --to B`` vs
    ``relkit commit-lint --from A --to B``, both reading ``.commitlintrc.json`` in the repository.

commitlint is installed with npm into ``bench/.scratch/`` (gitignored) by this script, never by the
product. The tools run in turn ``--repeat`` times; the best wall time of each (start-up included) is
compared, which is the least disturbed run on a shared machine.
Run from the project root:  ``.venv/bin/python bench/commit_lint.py``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = ROOT / "bench" / ".scratch"
COMMITLINT_VERSION = "20.5.3"
NODE_LINT = """\
import load from '@commitlint/load';
import lint from '@commitlint/lint';
import fs from 'fs';
const cfg = await load({extends: ['@commitlint/config-conventional']});
const opts = {parserOpts: cfg.parserPreset?.parserOpts ?? {}, defaultIgnores: cfg.defaultIgnores,
  ignores: cfg.ignores, plugins: cfg.plugins};
const messages = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const out = [];
for (const m of messages) {
  const r = await lint(m, cfg.rules, opts);
  out.push({valid: r.valid, errors: r.errors.map(e => e.name),
    warnings: r.warnings.map(e => e.name)});
}
fs.writeFileSync(process.argv[3], JSON.stringify(out));
"""


def shared_dir() -> Path:
    for candidate in (
        ROOT.parent / "shared",
        Path(os.environ.get("RELKIT_SHARED_DIR", "/nonexistent")),
        Path("/work/shared"),
    ):
        if (candidate / "conformance" / "commits" / "lint-public.jsonl").is_file():
            return candidate
    sys.exit("cannot find shared/conformance/commits/lint-public.jsonl (set RELKIT_SHARED_DIR)")


def ensure_commitlint() -> None:
    if (SCRATCH / "node_modules" / "@commitlint" / "cli").is_dir():
        return
    if shutil.which("npm") is None:
        sys.exit("npm is needed to install @commitlint/cli for the benchmark")
    SCRATCH.mkdir(parents=True, exist_ok=True)
    (SCRATCH / "package.json").write_text('{"private": true, "type": "module"}\n')
    subprocess.run(
        [
            "npm", "install", "--no-audit", "--no-fund", "--silent",
            f"@commitlint/cli@{COMMITLINT_VERSION}",
            f"@commitlint/config-conventional@{COMMITLINT_VERSION}",
        ],
        cwd=SCRATCH,
        check=True,
    )  # fmt: skip


def _run_once(cmd: list[str], cwd: Path, stdin: Path | None) -> float:
    with open(stdin or os.devnull, "rb") as handle:
        start = time.perf_counter()
        subprocess.run(
            cmd,
            cwd=cwd,
            stdin=handle,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        return time.perf_counter() - start


def race(
    commands: dict[str, list[str]], *, cwd: Path, stdin: Path | None = None, repeat: int
) -> dict[str, float]:
    """Run the commands in turn ``repeat`` times (so load hits all alike); the best time each.

    The best run is the least disturbed one on a shared machine; the median is noisier.
    """
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            times[name].append(_run_once(cmd, cwd, stdin))
    return {name: min(values) for name, values in times.items()}


def build_range_repo(messages: list[str], count: int) -> tuple[Path, str, str]:
    """A repository of ``count + 1`` commits (fast-import); returns (path, first, last)."""
    repo = SCRATCH / f"range-{count}"
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    env = {**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True, env=env)
    stream = bytearray()
    for index, message in enumerate(["chore: root", *messages[:count]]):
        data = message.encode("utf-8")
        stream += b"commit refs/heads/main\n"
        stream += f"mark :{index + 1}\n".encode()
        stream += f"committer Bench <bench@example.com> {1700000000 + index} +0000\n".encode()
        stream += f"data {len(data)}\n".encode() + data + b"\n"
        if index == 0:
            config = b'{"extends": ["@commitlint/config-conventional"]}\n'
            stream += b"M 644 inline .commitlintrc.json\n"
            stream += f"data {len(config)}\n".encode() + config + b"\n"
    subprocess.run(
        ["git", "fast-import", "--quiet"], cwd=repo, input=bytes(stream), check=True, env=env
    )
    subprocess.run(["git", "checkout", "-q", "main"], cwd=repo, check=True, env=env)
    shas = subprocess.run(
        ["git", "rev-list", "--reverse", "main"],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return repo, shas[0], shas[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--commits", type=int, default=1000)
    args = parser.parse_args()
    ensure_commitlint()
    # Byte-compile the sources as an install (and the container image) does: with
    # PYTHONDONTWRITEBYTECODE set, edited modules would otherwise be compiled at every start.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "shared", "actions"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        check=True,
    )
    relkit = str(ROOT / ".venv" / "bin" / "relkit")
    corpus = shared_dir() / "conformance" / "commits" / "lint-public.jsonl"
    rows = [json.loads(line) for line in corpus.read_text("utf-8").splitlines() if line.strip()]
    messages = [row["message"] for row in rows]
    batch = SCRATCH / "messages.json"
    batch.write_text(json.dumps(messages))
    (SCRATCH / "lint_all.mjs").write_text(NODE_LINT)

    best = race(
        {
            "commitlint": ["node", "lint_all.mjs", str(batch), str(SCRATCH / "node-out.json")],
            "relkit": [relkit, "commit-lint", "--json-batch"],
        },
        cwd=SCRATCH,
        stdin=batch,
        repeat=args.repeat,
    )
    node_a, ours_a = best["commitlint"], best["relkit"]
    theirs = json.loads((SCRATCH / "node-out.json").read_text())
    mine = json.loads(
        subprocess.run(
            [relkit, "commit-lint", "--json-batch"],
            cwd=ROOT,
            stdin=batch.open("rb"),
            capture_output=True,
            check=True,
        ).stdout
    )
    same = sum(
        a["valid"] == b["valid"] and sorted(a["errors"]) == sorted(b["errors"])
        for a, b in zip(theirs, mine, strict=True)
    )

    repo, first, last = build_range_repo(messages, args.commits)
    cli = str(SCRATCH / "node_modules" / "@commitlint" / "cli" / "cli.js")
    span = ["--from", first, "--to", last]
    # commitlint's CI guide runs `npx commitlint --from BASE --to HEAD --verbose`
    npx = ["npx", "--no-install", "commitlint", *span, "--verbose"]
    best = race(
        {
            "npx": npx,
            "node": ["node", cli, *span],
            "relkit": [relkit, "commit-lint", *span],
        },
        cwd=repo,
        repeat=args.repeat,
    )
    npx_b, node_b, ours_b = best["npx"], best["node"], best["relkit"]

    print(
        f"(a) {len(messages)} messages, one process: commitlint {node_a:.3f} s, "
        f"relkit {ours_a:.3f} s, ratio {node_a / ours_a:.1f}x "
        f"(same verdict and error set: {same}/{len(messages)})"
    )
    print(
        f"(b) {args.commits}-commit range, the CI way (npx commitlint --from --to --verbose): "
        f"commitlint {npx_b:.3f} s, relkit {ours_b:.3f} s, ratio {npx_b / ours_b:.1f}x"
    )
    print(
        f"    the same range with commitlint's cli.js run by node directly: {node_b:.3f} s, "
        f"ratio {node_b / ours_b:.1f}x"
    )
    load = os.getloadavg()[0]
    print(
        f"best of {args.repeat} interleaved runs each; "
        f"load average {load:.2f} on {os.cpu_count()} CPUs"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
