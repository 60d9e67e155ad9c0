"""The promotion commit: subject, body and git trailers, and reading them back. Pure.

::

    chore(production): promote app, worker

    app: registry.example/app:1.2.2 → registry.example/app:1.2.3@sha256:…
    worker: (none) → registry.example/worker:2.0.0

    Promoted-From: k8s/environments/staging@<source commit sha>
    Promoted-Images: app=registry.example/app:1.2.3@sha256:…,worker=registry.example/worker:2.0.0

A rollback adds ``Rolled-Back-From: <sha>``; a promotion inside a freeze window adds
``Freeze-Override: <reason>``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from promote_env.promotion import Change

SUBJECT_LIMIT = 100
_TRAILER = re.compile(r"^([A-Za-z0-9-]+): (.*)$")


@dataclass(frozen=True, slots=True)
class Record:
    """What a promotion commit says."""

    target_env: str
    changes: tuple[Change, ...]
    promoted_from: str  # "<path>@<sha>"
    rolled_back_from: str = ""
    freeze_override: str = ""


def subject(target_env: str, changes: Sequence[Change], *, rollback: bool = False) -> str:
    verb = "roll back" if rollback else "promote"
    head = f"chore({target_env}): {verb} "
    names = [change.name for change in changes]
    for shown in range(len(names), 0, -1):
        rest = len(names) - shown
        text = head + ", ".join(names[:shown]) + (f" and {rest} more" if rest else "")
        if len(text) <= SUBJECT_LIMIT:
            return text
    return head + f"{len(names)} images"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def commit_message(record: Record) -> str:
    """The full commit message (subject, body, trailers), ending with a newline."""
    rollback = bool(record.rolled_back_from)
    lines = [subject(record.target_env, record.changes, rollback=rollback), ""]
    for change in record.changes:
        lines.append(f"{change.name}: {change.from_ref or '(none)'} → {change.to_ref or '(none)'}")
    lines.append("")
    lines.append(f"Promoted-From: {record.promoted_from}")
    lines.append(
        "Promoted-Images: "
        + ",".join(f"{change.name}={change.to_ref}" for change in record.changes)
    )
    if record.rolled_back_from:
        lines.append(f"Rolled-Back-From: {record.rolled_back_from}")
    if record.freeze_override:
        lines.append(f"Freeze-Override: {_one_line(record.freeze_override)}")
    return "\n".join(lines) + "\n"


def trailers(message: str) -> dict[str, list[str]]:
    """The trailers of the message's last paragraph, by key (values in order)."""
    paragraphs = [p for p in message.strip().split("\n\n") if p.strip()]
    found: dict[str, list[str]] = {}
    if len(paragraphs) < 2:
        return found
    for line in paragraphs[-1].splitlines():
        match = _TRAILER.match(line.strip())
        if match:
            found.setdefault(match[1], []).append(match[2].strip())
    return found


def promoted_images(message: str) -> dict[str, str]:
    """``Promoted-Images`` of a commit message: image name → reference (empty: removed)."""
    images: dict[str, str] = {}
    for value in trailers(message).get("Promoted-Images", []):
        for item in value.split(","):
            name, _, ref = item.strip().partition("=")
            if name:
                images[name] = ref
    return images
