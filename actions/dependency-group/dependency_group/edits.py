"""In-place edits: only the version text of a dependency changes. Pure."""

from __future__ import annotations

from collections.abc import Iterable

from dependency_group.model import Update


class EditConflict(ValueError):
    """The file no longer holds the text an update was computed from."""


def apply_updates(content: str, updates: Iterable[Update]) -> str:
    """``content`` with each update's spans replaced (version text and digest only).

    Spans are checked against the dependency's current text, so a stale plan never edits the
    wrong bytes."""
    edits: list[tuple[int, int, str]] = []
    for update in updates:
        dep = update.dependency
        for span in dep.spans:
            old = content[span.start : span.end]
            expected = dep.digest if span.kind == "digest" else dep.value
            if old != expected:
                raise EditConflict(
                    f"{dep.file}: expected {expected!r} for {dep.package}, found {old!r}"
                )
            new = update.new_digest if span.kind == "digest" else update.new_value
            edits.append((span.start, span.end, new))
    edits.sort()
    out: list[str] = []
    cursor = 0
    for start, end, new in edits:
        if start < cursor:
            continue  # the same text twice (two updates of one dependency): first wins
        out.append(content[cursor:start])
        out.append(new)
        cursor = end
    out.append(content[cursor:])
    return "".join(out)
