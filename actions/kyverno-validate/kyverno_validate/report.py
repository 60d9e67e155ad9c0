"""Rendering a :class:`~kyverno_validate.pipeline.Report`: table, job summary, JSON, annotations.

Pure: every function returns text or values; ``entry`` prints and writes them.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kyverno_validate.pipeline import Finding, Report

CONSOLE_PASS_ROWS = 200
CONSOLE_PROBLEM_ROWS = 5000
SUMMARY_ROWS = 500
REPORT_OUTPUT_LIMIT = 512 * 1024
ANNOTATION_LIMIT = 100  # per level; the runner shows only a handful per step anyway
HEADERS = ("POLICY/CHECK", "RULE", "RESOURCE", "RESULT", "LOCATION", "MESSAGE")
_ORDER = {"error": 0, "fail": 1, "warn": 2, "skip": 3, "pass": 4}


@dataclass(frozen=True, slots=True)
class Annotation:
    level: str  # "error" | "warning" | "notice"
    message: str
    title: str
    file: str
    line: int | None
    column: int | None


def location(finding: Finding) -> str:
    where = finding.file
    if finding.line is not None:
        where += f":{finding.line}"
        if finding.column is not None:
            where += f":{finding.column}"
    return where


def _row(finding: Finding) -> tuple[str, ...]:
    check = finding.policy if finding.stage == "policy" else finding.check
    return (
        check,
        finding.rule or "-",
        finding.resource or "-",
        finding.result,
        location(finding),
        " ".join(finding.message.split()),
    )


def ordered(findings: Sequence[Finding]) -> list[Finding]:
    """Problems first (error, fail, warn, skip, pass), in file order within each result."""
    return sorted(findings, key=lambda finding: _ORDER[finding.result])


def split_findings(findings: Sequence[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(``ordered`` problems, passes): one pass, and only the problems sorted."""
    passes: list[Finding] = []
    problems: list[Finding] = []
    keep_pass, keep_problem = passes.append, problems.append
    for finding in findings:
        (keep_pass if finding.result == "pass" else keep_problem)(finding)
    return ordered(problems), passes


def counts_line(report: Report) -> str:
    counts = report.counts()
    parts = ", ".join(
        f"{counts[name]} {name}" for name in ("pass", "fail", "warn", "skip", "error")
    )
    return (
        f"{report.files} files, {report.resources} resources, {report.policies} policies "
        f"(Kubernetes {report.kubernetes_version}, fail-on {report.fail_on}): {parts}"
    )


def render_table(
    report: Report,
    *,
    pass_rows: int = CONSOLE_PASS_ROWS,
    problem_rows: int = CONSOLE_PROBLEM_ROWS,
) -> str:
    """The console table: problem rows (errors and failures first), then some pass rows."""
    problems, passes = split_findings(report.findings)
    rows = [_row(f) for f in problems[:problem_rows] + passes[:pass_rows]]
    lines = _align([HEADERS, *rows]) if rows else ["(nothing to report)"]
    if len(problems) > problem_rows:
        lines.append(f"… {len(problems) - problem_rows} more problem rows (see --output json)")
    if len(passes) > pass_rows:
        lines.append(f"… {len(passes) - pass_rows} more pass rows (see --output json)")
    lines.append("")
    lines.append(counts_line(report))
    lines.extend(f"notice: {notice}" for notice in report.notices)
    return "\n".join(lines)


def _align(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True))
        + "  "
        + row[-1]
        for row in rows
    ]


def _md(cell: str) -> str:
    return cell.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def render_summary(report: Report, *, limit: int = SUMMARY_ROWS) -> str:
    """Markdown for the job summary: counts, then the table (problems first, passes folded)."""
    counts = report.counts()
    verdict = "❌ failed" if report.failed else "✅ passed"
    lines = [
        f"### kyverno-validate: {verdict}",
        "",
        "| pass | fail | warn | skip | error |",
        "|---:|---:|---:|---:|---:|",
        "| "
        + " | ".join(str(counts[name]) for name in ("pass", "fail", "warn", "skip", "error"))
        + " |",
        "",
        _md(counts_line(report)),
        "",
    ]
    header = [
        "| Policy / check | Rule | Resource | Result | Location | Message |",
        "|---|---|---|---|---|---|",
    ]
    problems, passes = split_findings(report.findings)
    if problems:
        lines += header
        lines += [_md_row(f) for f in problems[:limit]]
        if len(problems) > limit:
            lines.append(f"\n… {len(problems) - limit} more rows: see the JSON report.")
        lines.append("")
    if passes:
        lines += ["<details><summary>Passed checks</summary>", "", *header]
        lines += [_md_row(f) for f in passes[:limit]]
        if len(passes) > limit:
            lines.append(f"\n… {len(passes) - limit} more pass rows.")
        lines += ["", "</details>", ""]
    lines += [f"> {_md(notice)}" for notice in report.notices]
    return "\n".join(lines) + "\n"


def _md_row(finding: Finding) -> str:
    return "| " + " | ".join(_md(cell) for cell in _row(finding)) + " |"


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "stage": finding.stage,
        "policy": finding.policy,
        "rule": finding.rule,
        "resource": finding.resource,
        "result": finding.result,
        "action": finding.action,
        "file": finding.file,
        "line": finding.line,
        "column": finding.column,
        "message": finding.message,
    }


def report_json(
    report: Report, *, include_pass: bool = True, rows: int | None = None
) -> dict[str, Any]:
    """The JSON report; ``rows`` keeps only the first results (built only for those)."""
    results = (f for f in report.findings if include_pass or f.result != "pass")
    return {
        "kubernetesVersion": report.kubernetes_version,
        "failOn": report.fail_on,
        "files": report.files,
        "resources": report.resources,
        "policies": report.policies,
        "summary": report.counts(),
        "notices": list(report.notices),
        "results": [finding_json(f) for f in itertools.islice(results, rows)],
    }


def render_json(report: Report) -> str:
    return json.dumps(report_json(report), indent=2, ensure_ascii=False)


def report_output(report: Report, *, limit: int = REPORT_OUTPUT_LIMIT) -> str:
    """The ``report`` output: compact JSON of the summary and every non-pass result.

    Outputs share a 1 MB budget per job, so results are cut to fit ``limit`` bytes and
    ``"truncated": true`` says so.
    """
    total = len(report.findings) - report.counts()["pass"]
    # rows are of similar size: estimate from the first ones, then build only what fits
    first = report_json(report, include_pass=False, rows=50)["results"]
    sample = len(_compact(first).encode()) / max(1, min(50, total))
    keep = int(limit * 0.9 / sample) if sample else total
    data = report_json(report, include_pass=False, rows=min(keep, total))
    data["truncated"] = keep < total
    results = data["results"]
    text = _compact(data)
    while len(text.encode()) > limit and results:
        del results[len(results) * 3 // 4 :]
        data["truncated"] = True
        text = _compact(data)
    return text


def _compact(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def outputs(report: Report) -> dict[str, str]:
    counts = report.counts()
    return {
        "passed": str(counts["pass"]),
        "failed": str(counts["fail"]),
        "warned": str(counts["warn"]),
        "skipped": str(counts["skip"]),
        "errors": str(counts["error"]),
        "report": report_output(report),
    }


def annotations_for(report: Report, *, limit: int = ANNOTATION_LIMIT) -> list[Annotation]:
    """One annotation per failure (error), warning and error row; one notice per skip reason.

    The runner keeps only a few annotations per step, so after ``limit`` per level the rest is
    counted in one notice pointing at the job summary.
    """
    found: list[Annotation] = []
    left_out = {"error": 0, "warning": 0}
    annotated = {"error": 0, "warning": 0}  # counted, not recounted per row (300k problems)
    for finding in report.findings:
        if finding.result not in ("fail", "error", "warn"):
            continue
        level = "warning" if finding.result == "warn" else "error"
        if annotated[level] >= limit:
            left_out[level] += 1
            continue
        annotated[level] += 1
        message = finding.message
        if finding.resource:
            message = f"{finding.resource}: {message}"
        found.append(
            Annotation(
                level,
                message,
                f"kyverno-validate: {finding.check}",
                finding.file,
                finding.line,
                finding.column,
            )
        )
    found.extend(
        Annotation("notice", notice, _notice_title(notice), "", None, None)
        for notice in report.notices
    )
    if any(left_out.values()):
        found.append(
            Annotation(
                "notice",
                f"{left_out['error']} more errors and {left_out['warning']} more warnings are "
                "not annotated; see the job summary or the report output",
                "kyverno-validate",
                "",
                None,
                None,
            )
        )
    return found


def _notice_title(notice: str) -> str:
    if notice.startswith("unsupported:"):
        return "kyverno-validate: rule not evaluated"
    return "kyverno-validate: schema skipped"
