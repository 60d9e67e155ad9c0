"""Benchmark: the kyverno-validate pipeline vs PyYAML's libyaml ``CSafeLoader`` on the same files.

Two corpora (``--corpus``):

* ``deployments`` (default): ``--resources`` (default 20,000) realistic Deployments, 50 per
  multi-document file (about 7.4 MB for 20,000), the setup of issue 12's speed goal;
* ``suites``: the corpus's own resources (``../shared/conformance/kyverno/public/suites/*/``, the
  files each ``kyverno-test.yaml`` lists under ``resources:``), replicated with renamed copies.

The policies are the corpus's classic validate policies (suites tagged ``--tag``, by default
``bucket:offline-validate-basic``: 94 suites), all loaded at once, so every resource meets every
policy.

Timed, best of ``--repeat`` runs each:

* libyaml: ``yaml.load_all(..., Loader=yaml.CSafeLoader)`` on every file (the anchor: the
  fastest a Python program can turn these files into data);
* parse only: stage 1 (``yamlio.load_file`` on every file, in as many processes as the action
  uses: ``parallel.load_manifests``);
* pipeline: stage 1 + schema (strict, newest bundled Kubernetes) + every policy on every
  resource (stages 1 and 3 in as many processes as the action uses: one per CPU, ``--jobs``
  to override) + what the action renders by default: the console table, the job summary and the
  outputs (SARIF only with ``--sarif``, as with the ``sarif-file`` input).

Prints resources per second, the ratio pipeline / libyaml (goal: at most 3x), the CPU time of
both (the pipeline's in all its processes: on a busy machine the work done, whatever the wall
clock says), a digest of every finding (a speed change must leave it as it was) and the peak
memory of one pipeline run in a fresh process (goal: under 300 MB). From the root:
``.venv/bin/python bench/kyverno_validate.py`` (``RELKIT_SHARED_DIR`` overrides ``../shared``).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# This script is named like the package it measures: keep its own folder off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import yaml  # noqa: E402
from kyverno_validate import (  # noqa: E402
    engine,
    parallel,
    pipeline,
    report,
    sarif,
    yamlio,
)
from kyverno_validate.schema import SchemaValidator  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = ROOT / "bench" / ".scratch" / "kyverno_validate"
PER_FILE = 50


def shared_dir() -> Path:
    for candidate in (
        os.environ.get("RELKIT_SHARED_DIR"),
        ROOT.parent / "shared",
        Path("/work/shared"),
    ):
        if candidate and (Path(candidate) / "conformance" / "kyverno").is_dir():
            return Path(candidate)
    sys.exit("cannot find ../shared/conformance/kyverno; set RELKIT_SHARED_DIR")


def suites(corpus: Path, tag: str) -> Iterator[tuple[Path, dict[str, Any]]]:
    for line in (corpus / "cases.jsonl").read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        if tag not in case["tags"] or case.get("exclude_from_scoring"):
            continue
        test_file = corpus / "suites" / case["dir"] / case["test_file"]
        for doc in yamlio.iter_objects(yamlio.load_file(test_file)):
            yield test_file.parent, doc.data


def collect(corpus: Path, tag: str) -> tuple[list[tuple[str, Any]], list[dict[str, Any]]]:
    """(policy documents with source labels, resource objects) of the tagged suites."""
    policies: dict[str, list[tuple[str, Any]]] = {}
    resources: list[dict[str, Any]] = []
    seen: set[Path] = set()
    for folder, test in suites(corpus, tag):
        for item in test.get("policies") or []:
            path = (folder / item).resolve()
            if path.is_file() and str(path) not in policies:
                loaded = yamlio.load_file(path, path.name)
                policies[str(path)] = [(d.source, d.data) for d in yamlio.iter_objects(loaded)]
        for item in test.get("resources") or []:
            path = (folder / item).resolve()
            if path.is_file() and path not in seen:
                seen.add(path)
                loaded = yamlio.load_file(path)
                resources.extend(d.data for d in yamlio.iter_objects(loaded) if d.data.get("kind"))
    documents = [doc for docs in policies.values() for doc in docs]
    return documents, resources


def deployment(index: int) -> dict[str, Any]:
    """A realistic Deployment (labels, probes, resources, security context): about 370 bytes."""
    name = f"web-{index}"
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": f"team-{index % 7}", "labels": {"app": name}},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {
                    "containers": [
                        {
                            "name": "web",
                            "image": f"registry.example.com/web:1.{index % 20}.0",
                            "ports": [{"containerPort": 8080}],
                            "resources": {
                                "requests": {"cpu": "100m", "memory": "64Mi"},
                                "limits": {"memory": "128Mi"},
                            },
                        }
                    ]
                },
            },
        },
    }


def write_corpus(resources: list[dict[str, Any]], count: int, folder: Path) -> list[Path]:
    """``count`` resources, cycling through the originals with a numbered name suffix."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    files: list[Path] = []
    batch: list[dict[str, Any]] = []
    for index in range(count):
        obj = copy.deepcopy(resources[index % len(resources)])
        metadata = obj.setdefault("metadata", {})
        if isinstance(metadata, dict) and "name" in metadata:
            metadata["name"] = f"{metadata['name']}-{index // len(resources)}"
        batch.append(obj)
        if len(batch) == PER_FILE or index == count - 1:
            path = folder / f"resources-{len(files):04d}.yaml"
            with path.open("w", encoding="utf-8") as handle:
                yaml.dump_all(batch, handle, Dumper=yaml.CSafeDumper, sort_keys=False)
            files.append(path)
            batch = []
    return files


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the stage-3 workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def best_of(repeat: int, action: Callable[[], Any]) -> tuple[float, float, Any]:
    """(best wall time, CPU time of that run, result): CPU time is the work done whatever
    else the machine runs, wall time what a user waits."""
    best, best_cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), cpu_seconds()
        result = action()
        wall, cpu = time.perf_counter() - start, cpu_seconds() - start_cpu
        if wall < best:
            best, best_cpu = wall, cpu
    return best, best_cpu, result


def findings_digest(result: pipeline.Report) -> str:
    """A digest of every finding, to show a change kept every answer (and line) the same."""
    digest = hashlib.sha256()
    for finding in result.findings:
        digest.update(repr(tuple(getattr(finding, name) for name in finding._fields)).encode())
    return digest.hexdigest()[:16]


def libyaml_load(files: list[Path]) -> int:
    count = 0
    for path in files:
        count += sum(1 for doc in yaml.load_all(path.read_bytes(), Loader=yaml.CSafeLoader) if doc)
    return count


def peak_rss_mb(argv: list[str]) -> tuple[float, float]:
    """Peak resident memory of one ``--pipeline-once`` run in a fresh process: its own and its
    largest worker's (whose RSS counts the pages it shares with the pipeline process). Read in
    that process: this one's children include the workers it forked itself for the timed runs,
    with all of this process's memory mapped."""
    done = subprocess.run(
        [sys.executable, __file__, *argv, "--pipeline-once"],
        check=True,
        capture_output=True,
        text=True,
    )
    own, workers = done.stdout.split()[-2:]
    return float(own), float(workers)


def own_peak_rss() -> str:
    """This process's peak resident memory and its largest finished child's, in MB. Its own
    from /proc (VmHWM starts afresh at exec; ru_maxrss keeps the high-water mark of the bench
    process this one was forked from)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                own = int(line.split()[1]) / 1024
    return f"{own:.1f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.1f}"


def corpus_files(args: argparse.Namespace, originals: list[dict[str, Any]]) -> list[Path]:
    """The corpus files: written afresh, or (``--pipeline-once``) the ones already written."""
    folder = SCRATCH / args.corpus
    if args.pipeline_once:
        return sorted(folder.glob("*.yaml"))
    if args.corpus == "deployments":
        originals = [deployment(index) for index in range(args.resources)]
    return write_corpus(originals, args.resources, folder)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=("deployments", "suites"), default="deployments")
    parser.add_argument("--resources", type=int, default=20_000)
    parser.add_argument("--tag", default="bucket:offline-validate-basic")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sarif", action="store_true", help="also render SARIF")
    parser.add_argument(
        "--jobs", type=int, default=0, help="stage-3 processes (0 = as the action: all CPUs)"
    )
    parser.add_argument("--pipeline-once", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    corpus = shared_dir() / "conformance" / "kyverno" / "public"
    documents, originals = collect(corpus, args.tag)
    policies = engine.load_policies(documents)
    files = corpus_files(args, originals)
    del originals  # the pipeline process holds none of the generator's objects

    cpus = None if args.jobs == 0 else args.jobs

    def parse_only() -> int:
        loaded = parallel.load_manifests(files, ROOT, cpus=cpus)
        return sum(len(item.documents) for item in loaded)

    def whole_pipeline() -> pipeline.Report:
        loaded = parallel.load_manifests(files, ROOT, cpus=cpus)
        validator = SchemaValidator(strict=True)
        findings_many = parallel.evaluator(engine, policies, cpus=cpus)
        result = pipeline.run_pipeline(
            loaded, policies, engine, validator, findings_many=findings_many
        )
        report.render_table(result)
        report.render_summary(result)
        report.outputs(result)
        if args.sarif:
            sarif.render_sarif(result)
        return result

    if args.pipeline_once:
        whole_pipeline()
        print(own_peak_rss())
        return 0

    size = sum(path.stat().st_size for path in files) / 1e6
    rules = sum(len(getattr(policy, "rules", ())) for policy in policies)
    print(
        f"corpus: {args.resources} {args.corpus} resources in {len(files)} files ({size:.1f} MB); "
        f"{len(policies)} policies ({rules} rules incl. autogen) from suites tagged {args.tag}"
    )
    libyaml_time, libyaml_cpu, _ = best_of(args.repeat, lambda: libyaml_load(files))
    parse_time, _, parsed = best_of(args.repeat, parse_only)
    pipeline_time, pipeline_cpu, result = best_of(args.repeat, whole_pipeline)
    stages: dict[str, int] = {}
    for finding in result.findings:
        key = f"{finding.stage}:{finding.result}"
        stages[key] = stages.get(key, 0) + 1
    print(f"parsed documents: {parsed}; findings by stage:result: {dict(sorted(stages.items()))}")
    print(f"libyaml    : {libyaml_time:7.2f} s  {parsed / libyaml_time:9.0f} resources/s")
    print(f"parse only : {parse_time:7.2f} s  {parsed / parse_time:9.0f} resources/s")
    print(f"pipeline   : {pipeline_time:7.2f} s  {parsed / pipeline_time:9.0f} resources/s")
    print(f"ratio pipeline / libyaml: {pipeline_time / libyaml_time:.2f}x (goal <= 3x)")
    print(
        f"CPU time: libyaml {libyaml_cpu:.2f} s, pipeline {pipeline_cpu:.2f} s in all its "
        f"processes ({pipeline_cpu / libyaml_cpu:.2f}x)"
    )
    print(f"findings digest: {findings_digest(result)}")
    argv = ["--corpus", args.corpus, "--resources", str(args.resources), "--tag", args.tag]
    if args.jobs:
        argv += ["--jobs", str(args.jobs)]
    print(
        "peak memory of one pipeline run: {:.0f} MB (goal < 300 MB); its largest worker "
        "{:.0f} MB, mostly pages shared with it".format(*peak_rss_mb(argv))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
