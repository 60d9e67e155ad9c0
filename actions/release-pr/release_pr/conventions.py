"""Commit conventions read beyond release-please's own, turned on as relkit plugins. Pure.

release-please reads a message only as a Conventional Commit. Repositories that come from other
release tools keep history those tools understood, and two plugins read it the same way:

``gitmoji``
    A message that is not a Conventional Commit but starts with a gitmoji (https://gitmoji.dev,
    as ``:sparkles:`` or as the emoji) is read by the gitmoji's intent: ✨ a feature, 🐛 🚑 🔒 🩹
    a fix, ⚡ a performance improvement, ⏪ a revert, 💥 a breaking change, and so on
    (python-semantic-release's ``emoji`` parser makes the same reading).
``conventional-changelog``
    What conventional-changelog (standard-version, lerna, semantic-release) does with a message:
    every issue mentioned in the body or footers, not only in ``Closes #N`` footers, is listed
    after the entry (``, closes #12 #15``), and a ``BREAKING CHANGE:`` line anywhere in the body
    makes the commit breaking, also under a header that is not conventional
    (conventional-recommended-bump counts it).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from release_pr.commit_parser import (
    Note,
    RawCommit,
    Reference,
    ReleaseCommit,
    parse_commits,
    parse_message,
)

RELKIT_PLUGINS = frozenset({"gitmoji", "conventional-changelog"})

# gitmoji → the Conventional Commits type of the same intent (gitmoji.dev's descriptions)
_GITMOJI_TYPES: dict[str, str] = {
    "sparkles": "feat",
    "boom": "feat",
    "bug": "fix",
    "ambulance": "fix",
    "lock": "fix",
    "adhesive_bandage": "fix",
    "zap": "perf",
    "rewind": "revert",
    "memo": "docs",
    "recycle": "refactor",
    "white_check_mark": "test",
    "art": "style",
    "construction_worker": "ci",
    "green_heart": "ci",
    "package": "build",
    "arrow_up": "build",
    "arrow_down": "build",
    "heavy_plus_sign": "build",
    "heavy_minus_sign": "build",
    "wrench": "chore",
    "bookmark": "chore",
    "fire": "chore",
}
_GITMOJI_CHARS: dict[str, str] = {
    "✨": "sparkles",
    "💥": "boom",
    "🐛": "bug",
    "🚑": "ambulance",
    "🔒": "lock",
    "🩹": "adhesive_bandage",
    "⚡": "zap",
    "⏪": "rewind",
    "📝": "memo",
    "♻": "recycle",
    "✅": "white_check_mark",
    "🎨": "art",
    "👷": "construction_worker",
    "💚": "green_heart",
    "📦": "package",
    "⬆": "arrow_up",
    "⬇": "arrow_down",
    "\u2795": "heavy_plus_sign",  # heavy plus sign emoji
    "\u2796": "heavy_minus_sign",  # heavy minus sign emoji
    "🔧": "wrench",
    "🔖": "bookmark",
    "🔥": "fire",
}
_SHORTCODE = re.compile(r":([a-z0-9_+-]+):[ \t]*")
_VARIATION = "\ufe0f"


def _gitmoji(raw: RawCommit) -> list[ReleaseCommit]:
    header = raw.message.split("\n", 1)[0].strip()
    match = _SHORTCODE.match(header)
    if match:
        name, subject = match[1], header[match.end() :]
    else:
        name = _GITMOJI_CHARS.get(header[:1], "")
        subject = header[1:].lstrip(_VARIATION).strip()
    kind = _GITMOJI_TYPES.get(name)
    if kind is None or not subject:
        return []
    notes = (Note("BREAKING CHANGE", subject),) if name == "boom" else ()
    return [
        ReleaseCommit(
            sha=raw.sha,
            header=header,
            type=kind,
            scope=None,
            subject=subject,
            notes=notes,
            files=tuple(raw.files),
        )
    ]


def _conventional_changelog(raw: RawCommit, found: list[ReleaseCommit]) -> list[ReleaseCommit]:
    from relkit.core.commits import parse_message as parse_cc  # noqa: PLC0415 - only when on

    parsed = parse_cc(raw.message)
    references = tuple(
        Reference(ref.action or "", ref.issue, ref.prefix)
        for ref in parsed.references
        if ref.owner is None and ref.repository is None
    )
    breaking = [note.text for note in parsed.notes if note.title.startswith("BREAKING")]
    if not found:
        if not breaking:
            return []
        # conventional-recommended-bump counts the note of a non-conventional header
        header = raw.message.split("\n", 1)[0].strip()
        found = [ReleaseCommit(raw.sha, header, "", None, header, files=tuple(raw.files))]
    first = found[0]
    notes = first.notes
    if breaking and not any(commit.breaking for commit in found):
        notes = (*notes, *(Note("BREAKING CHANGE", text) for text in breaking))
    return [first._replace(references=references, notes=notes), *found[1:]]


def read_commits(raws: Iterable[RawCommit], plugins: Collection[str]) -> list[ReleaseCommit]:
    """release-please's reading of the commits (newest first), widened by the relkit plugins."""
    gitmoji = "gitmoji" in plugins
    changelog = "conventional-changelog" in plugins
    if not (gitmoji or changelog):
        return parse_commits(raws)
    out: list[ReleaseCommit] = []
    for raw in raws:
        found = parse_message(raw.message, sha=raw.sha, files=raw.files)
        if not found and gitmoji:
            found = _gitmoji(raw)
        if changelog:
            found = _conventional_changelog(raw, found)
        out.extend(found)
    return out
