"""Undo one earlier edit of a file, keeping later edits: a line-based three-way merge. Pure.

A rollback restores the kustomization as it was before a promotion commit: the promotion turned
``before`` into ``after``; ``current`` is the file now. When nothing else changed since
(``current == after``) the result is ``before`` byte for byte; when other lines changed, each
hunk of the promotion is reverted where ``current`` still holds it unchanged (``git revert``
for one file). ``None`` when the hunks collide: the caller then edits the values instead.
"""

from __future__ import annotations

from difflib import SequenceMatcher

Hunk = tuple[int, int, list[str]]  # base lines [start, end) → replacement lines


def _hunks(base: list[str], other: list[str]) -> list[Hunk]:
    matcher = SequenceMatcher(a=base, b=other, autojunk=False)
    return [
        (i1, i2, other[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    ]


def _overlap(a: Hunk, b: Hunk) -> bool:
    """Whether two edits touch the same base lines (two insertions: the same point)."""
    a_insert, b_insert = a[0] == a[1], b[0] == b[1]
    if a_insert and b_insert:
        return a[0] == b[0]
    if a_insert:
        return b[0] < a[0] < b[1]
    if b_insert:
        return a[0] < b[0] < a[1]
    return a[0] < b[1] and b[0] < a[1]


def revert(current: str, before: str, after: str) -> str | None:
    """``current`` with the edit ``before`` → ``after`` undone; None when it cannot be merged."""
    if current == after:
        return before
    base = after.splitlines(keepends=True)
    theirs = _hunks(base, before.splitlines(keepends=True))
    ours = _hunks(base, current.splitlines(keepends=True))
    for hunk in theirs:
        if any(_overlap(hunk, other) for other in ours):
            return None
    merged = list(base)
    for start, end, lines in sorted([*theirs, *ours], key=lambda h: (h[0], h[1]), reverse=True):
        merged[start:end] = lines
    return "".join(merged)
