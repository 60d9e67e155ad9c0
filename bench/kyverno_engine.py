"""Benchmark the Kyverno engine: corpus resources (replicated to N) against the corpus's classic
ClusterPolicies, compared with the time to only parse the same YAML.

    python bench/kyverno_engine.py [--count 10000] [--corpus ../shared/conformance/kyverno/public]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

# bench/kyverno_validate.py is named like the package: keep this folder off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from kyverno_validate.engine import evaluate, load_policies  # noqa: E402
from kyverno_validate.engine.yamlload import load_all  # noqa: E402


def _corpus_default() -> Path:
    here = Path(__file__).resolve().parents[1]
    shared = Path(os.environ.get("RELKIT_SHARED_DIR", here / ".." / "shared"))
    return shared / "conformance" / "kyverno" / "public"


def collect(corpus: Path) -> tuple[list[tuple[str, Any]], list[str]]:
    policies: list[tuple[str, Any]] = []
    resource_texts: list[str] = []
    for path in sorted((corpus / "suites").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            docs = load_all(text)
        except ValueError:
            continue
        kinds = {d.get("kind") for d in docs if isinstance(d, dict)}
        if "ClusterPolicy" in kinds:
            policies += [(str(path), d) for d in docs if isinstance(d, dict)]
        elif kinds and kinds <= {
            "Pod", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Service",
            "Ingress", "ConfigMap", "Secret", "Namespace", "Role", "ClusterRole",
            "RoleBinding", "ClusterRoleBinding", "PersistentVolumeClaim", "ReplicaSet",
        }:  # fmt: skip
            resource_texts += [t for t in text.split("\n---") if t.strip()]
    return policies, resource_texts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--corpus", type=Path, default=_corpus_default())
    args = parser.parse_args()
    policy_docs, texts = collect(args.corpus)
    policies = []
    for source, doc in policy_docs:
        try:
            policies += load_policies([(source, doc)])
        except Exception:  # noqa: S112 - some corpus policies are CEL/mutate-only variants
            continue
    stream = "\n---\n".join(texts[i % len(texts)] for i in range(args.count))
    start = time.perf_counter()
    resources = [d for d in load_all(stream) if isinstance(d, dict)]
    parsed = time.perf_counter() - start
    start = time.perf_counter()
    results = 0
    for resource in resources:
        results += len(evaluate(policies, resource))
    evaluated = time.perf_counter() - start
    print(f"policies: {len(policies)} ({sum(len(p.rules) for p in policies)} rules incl. autogen)")
    print(f"resources: {len(resources)}, rule results: {results}")
    print(f"parse: {parsed:.2f}s ({len(resources) / parsed:.0f}/s)")
    print(f"evaluate: {evaluated:.2f}s ({len(resources) / evaluated:.0f}/s)")
    print(f"ratio (parse + evaluate) / parse: {(parsed + evaluated) / parsed:.2f}")


if __name__ == "__main__":
    main()
