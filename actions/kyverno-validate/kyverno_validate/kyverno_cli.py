"""``relkit kyverno test DIR``: run ``kyverno-test.yaml`` suites like the Kyverno CLI.

Finds every ``kyverno-test.yaml`` under DIR (hidden folders included), runs each test with the
engine, prints Kyverno's result table and exits 1 when any expected result differs.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from relkit.adapters import gha
from relkit.errors import CheckFailed, ConfigError

TEST_FILE = "kyverno-test.yaml"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="relkit kyverno", description="Kyverno CLI compatible commands."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    test = sub.add_parser(
        "test",
        help="run kyverno-test.yaml suites found under DIR",
        description="Run every kyverno-test.yaml under DIR (hidden folders included) like "
        "`kyverno test`; exit 1 when an expected result differs.",
    )
    test.add_argument("dir", help="folder (searched recursively) or a kyverno-test.yaml file")
    test.add_argument("--json-out", help="write every computed rule outcome to this JSON file")
    test.add_argument(
        "--detailed-results", action="store_true", help="add the rule's message to the table"
    )
    test.add_argument("--fail-only", action="store_true", help="print only failing rows")
    return parser


def find_test_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    found = []
    for folder, _dirs, files in os.walk(root):
        if TEST_FILE in files:
            found.append(Path(folder) / TEST_FILE)
    return sorted(found)


def load_yaml_documents(path: Path) -> list[tuple[str, Any]]:
    """Every document of a YAML file as (``file#index`` label, data), read like the pipeline
    reads manifests (:mod:`kyverno_validate.yamlio`); a file that cannot be read is a
    ``ConfigError`` naming the file, line and problem."""
    from kyverno_validate import yamlio  # noqa: PLC0415

    loaded = yamlio.load_file(path)
    if loaded.problems:
        raise ConfigError(loaded.problems[0].render())
    return [(doc.source, doc.data) for doc in loaded.documents]


def _run_file(path: Path) -> list[Any]:
    from kyverno_validate.testrunner import is_test_document, run_test  # noqa: PLC0415

    def loader(relative: str) -> list[tuple[str, Any]]:
        target = (path.parent / relative).resolve()
        if not target.exists():
            raise ConfigError(f"{path}: file not found: {relative}")
        if target.is_dir():
            # like Kyverno's policy loader: hidden files and folders below it are skipped
            docs: list[tuple[str, Any]] = []
            for child in sorted(target.rglob("*.y*ml")):
                if not any(part.startswith(".") for part in child.relative_to(target).parts):
                    docs += load_yaml_documents(child)
            return docs
        return load_yaml_documents(target)

    reports = []
    for source, document in load_yaml_documents(path):
        if is_test_document(document):
            reports.append(run_test(document, loader, source, now=datetime.now(UTC)))
    return reports


def _table(reports: Sequence[Any], *, detailed: bool, fail_only: bool) -> str:
    """Kyverno's result table per test; ``--detailed-results`` adds the engine's message."""
    lines = []
    for report in reports:
        lines.append(f"Test {report.name}:")
        lines += [f"  Error: {error}" for error in report.errors]
        header = ["ID", "POLICY", "RULE", "RESOURCE", "RESULT", "REASON"]
        if detailed:
            header.append("MESSAGE")
        rows = []
        for index, row in enumerate(report.rows, start=1):
            if fail_only and row.ok:
                continue
            cells = [str(index), row.policy, row.rule, row.resource, "Pass" if row.ok else "Fail"]
            cells.append(row.reason)
            if detailed:
                cells.append(row.message)
            rows.append(cells)
        widths = [max(len(c) for c in col) for col in zip(header, *rows, strict=False)]
        rule = "  │" + "│".join("─" * (w + 2) for w in widths) + "│"
        lines.append(rule)
        for position, cells in enumerate([header, *rows]):
            padded = (c.ljust(w) for c, w in zip(cells, widths, strict=False))
            lines.append("  │ " + " │ ".join(padded) + " │")
            if position == 0:
                lines.append(rule)
        lines.append(rule)
        passed = sum(row.ok for row in report.rows)
        lines.append(
            f"  Test Summary: {passed} tests passed and {len(report.rows) - passed} tests failed"
        )
        lines.append("")
    return "\n".join(lines)


def _json_items(reports: Sequence[Any]) -> list[dict[str, str]]:
    from kyverno_validate.testrunner import report_namespace  # noqa: PLC0415

    return [
        {
            "test": report.name,
            "policy": r.policy,
            "rule": r.rule,
            "resource": r.name,
            "namespace": report_namespace(r),
            "kind": r.kind,
            "result": r.result,
        }
        for report in reports
        for r in report.results
    ]


def main(argv: Sequence[str], env: Mapping[str, str]) -> int:
    args = _parser().parse_args(list(argv))
    root = Path(args.dir)
    if not root.exists():
        raise ConfigError(f"kyverno test: {args.dir!r} does not exist; pass a folder of suites")
    files = find_test_files(root)
    if not files:
        raise ConfigError(f"kyverno test: no {TEST_FILE} found under {args.dir!r}")
    reports = []
    failed_files = []
    for path in files:
        try:
            reports += _run_file(path)
        except ConfigError as exc:
            failed_files.append(str(exc))
    if args.json_out:
        try:
            Path(args.json_out).write_text(json.dumps(_json_items(reports), indent=1) + "\n")
        except OSError as exc:
            raise ConfigError(
                f"kyverno test: cannot write --json-out {args.json_out!r}: {exc.strerror}"
            ) from exc
    with gha.stop_commands(env):
        gha.info(_table(reports, detailed=args.detailed_results, fail_only=args.fail_only))
        for message in failed_files:
            gha.info(f"Error: {message}")
    if failed_files or not all(report.ok for report in reports):
        raise CheckFailed("kyverno test: some expected results differ (see the table above)")
    return 0
