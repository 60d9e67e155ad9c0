"""What a run did, as outputs and a job summary. Pure."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from promote_env.kustomize import Triple
from promote_env.promotion import Change, Drift
from promote_env.rendered import ResourceDrift


@dataclass(frozen=True, slots=True)
class Report:
    mode: str
    target_env: str
    changes: tuple[Change, ...] = ()
    drift: tuple[Drift, ...] = ()
    rendered: tuple[ResourceDrift, ...] = ()
    commit_sha: str = ""
    pull_number: int | None = None
    pull_url: str = ""
    dry_run: bool = False
    notes: tuple[str, ...] = field(default=())
    exit_code: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def outputs(self) -> dict[str, str]:
        return {
            "changed": "true" if self.changed else "false",
            "images": json.dumps([change.as_json() for change in self.changes]),
            "commit-sha": self.commit_sha,
            "pull-request-number": str(self.pull_number) if self.pull_number else "",
            "pull-request-url": self.pull_url,
            "drift": json.dumps([item.as_json() for item in self.drift]),
            "rendered-drift": json.dumps([item.as_json() for item in self.rendered]),
        }

    def summary(self) -> str:
        lines = [f"## promote-env: {self.mode} {self.target_env}", ""]
        if self.mode != "drift":
            lines += _changes_table(self.changes, dry_run=self.dry_run)
            if self.commit_sha:
                lines.append(f"Commit `{self.commit_sha}`.")
            if self.pull_url:
                lines.append(f"Pull request [#{self.pull_number}]({self.pull_url}).")
            lines.append("")
        lines += drift_table(self.drift)
        if self.rendered:
            lines += rendered_table(self.rendered)
        lines += [f"> {note}" for note in self.notes]
        return "\n".join(lines).rstrip("\n") + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") if text else "—"


def _code(text: str) -> str:
    return f"`{_cell(text)}`" if text else "—"


def _changes_table(changes: tuple[Change, ...], *, dry_run: bool) -> list[str]:
    if not changes:
        return ["The target already matches: nothing to change.", ""]
    head = "Would change (dry run):" if dry_run else "Changed:"
    lines = [head, "", "| image | from | to | digest pinned? |", "|---|---|---|---|"]
    for change in changes:
        pinned = "yes" if change.pinned else "no"
        row = f"| {_cell(change.name)} | {_code(change.from_ref)} | {_code(change.to_ref)} |"
        lines.append(f"{row} {pinned} |")
    return [*lines, ""]


def _triple(triple: Triple | None) -> str:
    if triple is None:
        return "(absent)"
    parts = [f"{key}={value}" for key, value in triple.as_json().items() if value is not None]
    return ", ".join(parts) or "(no change)"


def drift_table(drift: tuple[Drift, ...]) -> list[str]:
    if not drift:
        return ["No image drift: source and target list the same images.", ""]
    lines = ["Image drift:", "", "| image | source | target |", "|---|---|---|"]
    for item in drift:
        row = f"| {_cell(item.name)} | {_code(_triple(item.source))} |"
        lines.append(f"{row} {_code(_triple(item.target))} |")
    return [*lines, ""]


def rendered_table(rendered: tuple[ResourceDrift, ...]) -> list[str]:
    lines = ["Rendered drift:", "", "| resource | path | source | target |", "|---|---|---|---|"]
    for item in rendered:
        values = [json.dumps(item.source), json.dumps(item.target)]
        lines.append(
            f"| {_cell(item.resource)} | {_code(item.path)} | {_code(values[0])} | "
            f"{_code(values[1])} |"
        )
    return [*lines, ""]
