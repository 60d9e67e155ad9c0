"""The job summary and the pull request body (Markdown). Pure."""

from __future__ import annotations

from collections.abc import Sequence

from dependency_group.model import Update
from dependency_group.plan import Branch, Skipped

MARKER = "<!-- relkit:dependency-group -->"


def _cell(text: object) -> str:
    return str(text if text is not None else "unknown").replace("|", "\\|").replace("\n", " ")


def update_table(updates: Sequence[Update]) -> list[str]:
    lines = [
        "| package | manager | file | from | to | type | licence |",
        "|---|---|---|---|---|---|---|",
    ]
    for u in updates:
        dep = u.dependency
        if dep.datasource == "github-runners":
            licence = "n/a (runner image)"
        else:
            licence = _cell(u.license) + ("" if u.license_ok else " ⛔ " + _cell(u.license_reason))
        lines.append(
            f"| {_cell(dep.package)} | {dep.manager} | {_cell(dep.file)} | "
            f"`{_cell(dep.current)}` | `{_cell(u.new)}` | {u.update_type} | {licence} |"
        )
    return lines


def pull_body(branch: Branch, updates: Sequence[Update]) -> str:
    """The PR body: one table of the updates on the branch (rewritten on every run)."""
    title = f"group **{branch.group}**" if branch.group else "one dependency"
    lines = [MARKER, f"This pull request updates {title}:", "", *update_table(updates), ""]
    lines.append("Automerge: " + ("on (every update allows it)." if branch.automerge else "off."))
    return "\n".join(lines) + "\n"


def pull_title(branch: Branch, updates: Sequence[Update]) -> str:
    if branch.group:
        major = all(u.update_type == "major" for u in updates)
        return f"chore(deps): update {branch.group}" + (" (major)" if major else "")
    update = updates[0]
    return f"chore(deps): update {update.dependency.package} to {update.new_value}"


def summary(branches: Sequence[Branch], skipped: Sequence[Skipped], warnings: Sequence[str]) -> str:
    """The step summary: one table per branch, then the licence blocks and skipped ones."""
    lines = ["## dependency-group", ""]
    if not branches:
        lines += ["No updates.", ""]
    for branch in branches:
        label = f" (group {branch.group})" if branch.group else ""
        auto = ", automerge" if branch.automerge else ""
        lines += [f"### `{branch.name}`{label}{auto}", "", *update_table(branch.updates), ""]
    blocked = [u for b in branches for u in b.updates if not u.license_ok]
    if blocked:
        lines += ["### Blocked by the licence policy", ""]
        lines += [
            f"- {_cell(u.dependency.package)} {_cell(u.new)}: {_cell(u.license_reason)}"
            for u in blocked
        ]
        lines.append("")
    if skipped:
        lines += ["### Skipped", ""]
        lines += [
            f"- {s.manager} `{_cell(s.file)}` {_cell(s.package)}: {_cell(s.reason)}"
            for s in skipped
        ]
        lines.append("")
    if warnings:
        lines += ["### Config warnings", "", *[f"- {_cell(w)}" for w in warnings], ""]
    return "\n".join(lines)
