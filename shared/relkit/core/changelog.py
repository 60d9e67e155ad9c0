"""release-please's changelog section and CHANGELOG.md update. Pure.

The section is what conventional-changelog-writer renders with the conventionalcommits preset
for release-please (``DefaultChangelogNotes``): a version heading with compare link and date,
``⚠ BREAKING CHANGES`` first, then one ``###`` subsection per visible type in the configured
order, bullets sorted by scope then subject, issue / commit / ``@user`` links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple


class ChangelogSection(NamedTuple):
    """One ``changelog-sections`` entry: commits of ``type`` go under the ``section`` title."""

    type: str
    section: str
    hidden: bool = False
    scope: str | None = None


# the hidden types every release-please preset ends with (the default and the python strategy's)
HIDDEN_SECTIONS: tuple[ChangelogSection, ...] = (
    ChangelogSection("style", "Styles", hidden=True),
    ChangelogSection("chore", "Miscellaneous Chores", hidden=True),
    ChangelogSection("refactor", "Code Refactoring", hidden=True),
    ChangelogSection("test", "Tests", hidden=True),
    ChangelogSection("build", "Build System", hidden=True),
    ChangelogSection("ci", "Continuous Integration", hidden=True),
)

DEFAULT_SECTIONS: tuple[ChangelogSection, ...] = (
    ChangelogSection("feat", "Features"),
    ChangelogSection("feature", "Features"),
    ChangelogSection("fix", "Bug Fixes"),
    ChangelogSection("perf", "Performance Improvements"),
    ChangelogSection("revert", "Reverts"),
    ChangelogSection("docs", "Documentation", hidden=True),
    *HIDDEN_SECTIONS,
)


class IssueReference(NamedTuple):
    issue: str
    prefix: str = "#"
    owner: str | None = None
    repository: str | None = None


class ChangelogCommit(NamedTuple):
    """What the writer needs of one conventional commit."""

    hash: str
    type: str
    subject: str
    scope: str | None = None
    header: str = ""
    breaking_notes: tuple[str, ...] = ()
    references: tuple[IssueReference, ...] = ()
    release_as: str | None = None


class ChangelogContext(NamedTuple):
    version: str
    date: str  # YYYY-MM-DD, UTC
    owner: str = ""
    repository: str = ""
    host: str = "https://github.com"
    previous_tag: str | None = None
    current_tag: str | None = None
    sections: tuple[ChangelogSection, ...] = DEFAULT_SECTIONS
    # release-please 17.10.4+ writes ", refs #N" for footer references (17.9.0: ", closes")
    reference_word: str = "refs"
    title: str | None = None


class _Entry:
    """A commit as the writer's template sees it (internal)."""

    __slots__ = ("commit", "references", "scope", "subject")

    def __init__(
        self,
        commit: ChangelogCommit,
        scope: str | None,
        subject: str,
        references: list[IssueReference],
    ) -> None:
        self.commit = commit
        self.scope = scope
        self.subject = subject
        self.references = references


_BANG_HEADER = re.compile(r"^(\w*)(?:\((.*)\))?!: (.*)$")
_RELEASE_AS = re.compile(r"release-as:\s*\w*@?([0-9]+\.[0-9]+\.[0-9a-z]+(-[0-9a-z.]+)?)\s*", re.I)
_ISSUE = re.compile(r"(#)([0-9]+)")
_USER = re.compile(r"\B@([a-z0-9](?:-?[a-z0-9/]){0,38})", re.ASCII)
_NOTE_ISSUE = re.compile(r"\(#(\d+)\)")


_CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def html_escape(text: str) -> str:
    """release-please's ``htmlEscape``: every ``<`` and ``>`` outside code spans."""
    out: list[str] = []
    last = 0
    for match in _CODE_SPAN.finditer(text):
        out.append(text[last : match.start()].replace("<", "&lt;").replace(">", "&gt;"))
        out.append(match[0])
        last = match.end()
    out.append(text[last:].replace("<", "&lt;").replace(">", "&gt;"))
    return "".join(out)


def _find_section(
    sections: Sequence[ChangelogSection], commit: ChangelogCommit
) -> ChangelogSection | None:
    key = commit.type.lower()
    for entry in sections:
        if entry.type == key and (not entry.scope or entry.scope == commit.scope):
            return entry
    return None


_CHAR_KEYS: dict[str, str] = {}


def _char_key(ch: str) -> str:
    """Two characters that sort like ICU's primary order: symbols, digits, then letters."""
    key = _CHAR_KEYS.get(ch)
    if key is None:
        key = ("2" + ch.lower()) if ch.isalpha() else ("1" + ch) if ch.isdigit() else ("0" + ch)
        _CHAR_KEYS[ch] = key
    return key


# the same two keys for ASCII text as str.translate tables (one C call instead of one Python
# call per character; most subjects are ASCII)
_ASCII_PRIMARY = {code: _char_key(chr(code)) for code in range(128)}
_ASCII_CASE = {code: "1" if chr(code).isupper() else "0" for code in range(128)}


def _locale_key(text: str) -> tuple[str, str]:
    """An approximation of ICU's ``localeCompare``: case-insensitive first, lowercase first."""
    if text.isascii():
        return (text.translate(_ASCII_PRIMARY), text.translate(_ASCII_CASE))
    return ("".join(map(_char_key, text)), "".join("1" if ch.isupper() else "0" for ch in text))


def _sort_key(entry: _Entry) -> tuple[object, ...]:
    """The order release-please's writer produces: by scope (or the subject when unscoped), then
    subject, compared like ``localeCompare``."""
    return (_locale_key(entry.scope or entry.subject), _locale_key(entry.subject))


def _link_subject(subject: str, ctx: ChangelogContext, issues: list[str]) -> str:
    base = f"{ctx.host}/{ctx.owner}/{ctx.repository}"

    def issue(match: re.Match[str]) -> str:
        issues.append(match[1] + match[2])
        return f"[{match[1]}{match[2]}]({base}/issues/{match[2]})"

    def user(match: re.Match[str]) -> str:
        name = match[1]
        if "/" in name:
            return f"@{name}"
        return f"[@{name}]({ctx.host}/{name})"

    return _USER.sub(user, _ISSUE.sub(issue, subject))


def _reference_link(ref: IssueReference, ctx: ChangelogContext) -> str:
    owner = ref.owner or ctx.owner
    repository = ref.repository or ctx.repository
    text = f"{ref.owner + '/' if ref.owner else ''}{ref.repository or ''}{ref.prefix}{ref.issue}"
    return f"[{text}]({ctx.host}/{owner}/{repository}/issues/{ref.issue})"


def _heading(ctx: ChangelogContext) -> str:
    if ctx.previous_tag:
        compare = (
            f"{ctx.host}/{ctx.owner}/{ctx.repository}/compare/"
            f"{ctx.previous_tag}...{ctx.current_tag or ''}"
        )
        text = f"## [{ctx.version}]({compare})"
    else:
        text = f"## {ctx.version}"
    if ctx.title:
        text += f' "{ctx.title}"'
    return f"{text} ({ctx.date})"


def render_section(commits: Iterable[ChangelogCommit], ctx: ChangelogContext) -> str:
    """The Markdown section for one release (heading + subsections), trimmed."""
    notes: list[tuple[str | None, str]] = []
    groups: dict[str, list[_Entry]] = {}
    base = f"{ctx.host}/{ctx.owner}/{ctx.repository}"
    for commit in commits:
        entry_type = _find_section(ctx.sections, commit)
        commit_notes = list(commit.breaking_notes)
        bang = _BANG_HEADER.match(commit.header)
        if bang and not commit_notes:
            commit_notes.append(bang[3])
        discard = not commit_notes and not (
            commit.release_as is not None and _RELEASE_AS.search(f"Release-As: {commit.release_as}")
        )
        if discard and (entry_type is None or entry_type.hidden):
            continue
        scope = "" if commit.scope == "*" else commit.scope
        for text in commit_notes:
            linked = _NOTE_ISSUE.sub(rf"([#\1]({base}/issues/\1))", text, count=1)
            notes.append((scope, linked))
        issues: list[str] = []
        subject = _link_subject(commit.subject, ctx, issues)
        refs = [r for r in commit.references if f"{r.prefix}{r.issue}" not in issues]
        title = entry_type.section if entry_type else commit.type
        groups.setdefault(title, []).append(_Entry(commit, scope, subject, refs))

    order = [s.section for s in ctx.sections]
    ranked = sorted(groups, key=lambda title: order.index(title) if title in order else -1)
    out = [_heading(ctx), "\n\n"]
    if notes:
        out.append("\n### ⚠ BREAKING CHANGES\n\n")
        out.extend(f"* {f'**{scope}:** ' if scope else ''}{text}\n" for scope, text in notes)
    for title in ranked:
        out.append(f"\n### {title}\n\n")
        for entry in sorted(groups[title], key=_sort_key):
            commit = entry.commit
            line = "*"
            if entry.scope:
                line += f" **{entry.scope}:**"
            line += f" {entry.subject or commit.header}"
            if commit.hash:
                line += f" ([{commit.hash[:7]}]({base}/commit/{commit.hash}))"
            if entry.references:
                line += f", {ctx.reference_word}"
                line += "".join(f" {_reference_link(ref, ctx)}" for ref in entry.references)
            out.append(line + "\n")
        out.append("\n")
    return "".join(out).strip()


_VERSION_HEADER = re.compile(r"\n###? v?[0-9\[]")


def update_changelog(content: str, entry: str, *, header: str = "# Changelog") -> str:
    """Insert the section above the newest entry (release-please's Changelog updater)."""
    match = _VERSION_HEADER.search(content)
    if match is None:
        return f"{header}\n\n{entry}\n" if not content.strip() else _append(content, entry)
    before, after = content[: match.start()], content[match.start() :]
    return f"{before}\n{entry}\n{after}".strip() + "\n"


def _append(content: str, entry: str) -> str:
    # a CHANGELOG.md with a title but no release yet: the section goes after it
    return f"{content.rstrip()}\n\n{entry}\n"
