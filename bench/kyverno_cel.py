"""Benchmark the CEL policies: every ValidatingPolicy and ``validate.cel`` ClusterPolicy of the
corpus against the corpus's resources (replicated to N), plus the one-off costs (importing
cel-expr-python, building the environment, compiling every corpus expression).

    python bench/kyverno_cel.py [--count 2000] [--corpus ../shared/conformance/kyverno/public]

Reported, never a timed test.
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

from kyverno_validate.engine import CelPolicy, evaluate, load_policies  # noqa: E402
from kyverno_validate.engine.yamlload import load_all  # noqa: E402


def _corpus_default() -> Path:
    here = Path(__file__).resolve().parents[1]
    shared = Path(os.environ.get("RELKIT_SHARED_DIR", here / ".." / "shared"))
    return shared / "conformance" / "kyverno" / "public"


def _is_cel(document: Any) -> bool:
    if not isinstance(document, dict):
        return False
    if document.get("kind") == "ValidatingPolicy":
        return True
    spec = document.get("spec")
    rules = (spec.get("rules") or []) if isinstance(spec, dict) else []
    return document.get("kind") == "ClusterPolicy" and any(
        isinstance(r, dict) and (r.get("validate") or {}).get("cel") for r in rules
    )


def collect(corpus: Path) -> tuple[list[tuple[str, Any]], list[Any]]:
    policies: list[tuple[str, Any]] = []
    resources: list[Any] = []
    for path in sorted((corpus / "suites").rglob("*.yaml")):
        try:
            docs = load_all(path.read_text(encoding="utf-8", errors="replace"))
        except ValueError:
            continue
        policies += [(str(path), d) for d in docs if _is_cel(d)]
        resources += [
            d
            for d in docs
            if isinstance(d, dict)
            and d.get("kind") in ("Pod", "Deployment", "CronJob", "StatefulSet", "DaemonSet")
        ]
    return policies, resources


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--corpus", type=Path, default=_corpus_default())
    args = parser.parse_args()
    started = time.perf_counter()
    import cel_expr_python.cel  # noqa: F401, PLC0415

    imported = time.perf_counter() - started
    documents, resources = collect(args.corpus)
    started = time.perf_counter()
    policies = load_policies(documents)
    loaded = time.perf_counter() - started
    vpols = [p for p in policies if isinstance(p, CelPolicy)]
    work = (resources * (args.count // max(len(resources), 1) + 1))[: args.count]
    started = time.perf_counter()
    first = [evaluate(policies, r) for r in resources]  # compiles every expression once
    warm = time.perf_counter() - started
    started = time.perf_counter()
    results = sum(len(evaluate(policies, r)) for r in work)
    elapsed = time.perf_counter() - started
    print(f"import cel_expr_python: {imported * 1000:.1f} ms")
    print(
        f"policies: {len(policies)} ({len(vpols)} ValidatingPolicy, "
        f"{len(policies) - len(vpols)} ClusterPolicy with validate.cel), loaded in "
        f"{loaded * 1000:.0f} ms"
    )
    print(
        f"first pass over the {len(resources)} corpus resources (compiles every expression): "
        f"{warm:.2f} s, {sum(map(len, first))} results"
    )
    print(
        f"{len(work)} resources: {elapsed:.2f} s, {results} results, "
        f"{elapsed / len(work) * 1000:.2f} ms per resource, "
        f"{elapsed / max(results, 1) * 1e6:.0f} us per result"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
