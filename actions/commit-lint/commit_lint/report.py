"""How lint results are shown: console text, job summary Markdown, the JSON report. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from commit_lint.lint import LintResult, Violation


class Checked(NamedTuple):
    """One linted message: a commit (``sha``) or the pull request title (``sha`` None)."""

    label: str  # short sha, or "PR title"
    sha: str | None
    result: LintResult


def counts(items: Sequence[Checked]) -> tuple[int, int]:
    errors = sum(len(item.result.errors) for item in items)
    warnings = sum(len(item.result.warnings) for item in items)
    return errors, warnings


def format_text(item: Checked) -> str:
    """commitlint's default formatter for one message (the text is untrusted: print it inside
    ``stop_commands``)."""
    result = item.result
    lines = [f"⧗   input: {result.header}"]
    lines += [f"✖   {v.message} [{v.rule}]" for v in result.errors]
    lines += [f"⚠   {v.message} [{v.rule}]" for v in result.warnings]
    errors, warnings = len(result.errors), len(result.warnings)
    mark = "✖" if errors else ("⚠" if warnings else "✔")
    note = " (ignored)" if result.ignored else ""
    lines.append(f"{mark}   {item.label}: found {errors} problems, {warnings} warnings{note}")
    return "\n".join(lines)


def annotation_title(item: Checked, violation: Violation) -> str:
    return f"{item.label} {violation.rule}"


def annotation_message(item: Checked, violation: Violation) -> str:
    return f"{violation.message}: {item.result.header}"


def _cell(text: str, limit: int = 120) -> str:
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = escaped.replace("|", "\\|").replace("`", "'")
    return escaped.replace("[", "\\[").replace("]", "\\]")


def summary_markdown(
    items: Sequence[Checked], help_url: str, context: str, *, fail_on_warnings: bool = False
) -> str:
    """The job summary: one row per linted message, problems first."""
    errors, warnings = counts(items)
    if errors:
        verdict = "❌ commit messages need fixing"
    elif warnings and fail_on_warnings:
        verdict = "❌ warnings fail the run (fail-on-warnings)"
    else:
        verdict = "✅ all commit messages pass"
    lines = [
        f"## commit-lint: {verdict}",
        "",
        f"{context}: {len(items)} message(s), {errors} error(s), {warnings} warning(s). "
        f"[How to write a good commit message]({help_url})",
        "",
        "| commit | header | errors | warnings |",
        "| --- | --- | --- | --- |",
    ]
    for item in sorted(items, key=lambda it: (not it.result.errors, not it.result.warnings)):
        result = item.result
        errs = "<br>".join(f"`{v.rule}`: {_cell(v.message)}" for v in result.errors) or "-"
        warns = "<br>".join(f"`{v.rule}`: {_cell(v.message)}" for v in result.warnings) or "-"
        if result.ignored:
            errs = "ignored"
        lines.append(f"| `{item.label}` | {_cell(result.header)} | {errs} | {warns} |")
    return "\n".join(lines) + "\n"


def _violations(violations: Sequence[Violation]) -> list[dict[str, Any]]:
    return [{"rule": v.rule, "level": v.level, "message": v.message} for v in violations]


def report_data(
    items: Sequence[Checked], help_url: str, source: str, *, fail_on_warnings: bool = False
) -> dict[str, Any]:
    """The JSON report; ``valid`` is false whenever the run fails (warnings too, with
    ``fail-on-warnings``)."""
    errors, warnings = counts(items)
    return {
        "valid": errors == 0 and not (fail_on_warnings and warnings),
        "errorCount": errors,
        "warningCount": warnings,
        "config": source,
        "helpUrl": help_url,
        "results": [
            {
                "sha": item.sha,
                "label": item.label,
                "header": item.result.header,
                "valid": item.result.valid,
                "ignored": item.result.ignored,
                "errors": _violations(item.result.errors),
                "warnings": _violations(item.result.warnings),
            }
            for item in items
        ],
    }
