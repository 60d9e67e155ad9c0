"""Release pull requests as release-please writes them: branch, title and body. Pure.

``parse_release_pr_body`` reads a merged release PR's body back into what it released.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple, Protocol

from relkit.core.versions import Version, VersionError, parse_loose

PR_HEADER = ":robot: I have created a release *beep* *boop*"
PR_FOOTER = (
    "This PR was generated with [Release Please](https://github.com/googleapis/release-please). "
    "See [documentation](https://github.com/googleapis/release-please#release-please)."
)
# release-please's FilePullRequestOverflowHandler (src/util/pull-request-overflow-handler.ts)
MAX_BODY_SIZE = 65536
OVERFLOW_MESSAGE = (
    "This release is too large to preview in the pull request body. "
    "View the full release notes here:"
)
RELEASE_NOTES_FILENAME = "release-notes.md"
# the patterns below are compiled on first use (re's cache): a dry run reads no PR body
_OVERFLOW = re.escape(OVERFLOW_MESSAGE) + r" (?P<url>.*)"
_NOTES_PATH = r"blob/(?P<branch>.*)/" + re.escape(RELEASE_NOTES_FILENAME)

DEFAULT_TITLE_PATTERN = "chore${scope}: release${component} ${version}"
DEFAULT_GROUP_TITLE_PATTERN = "chore${scope}: release${component}"


class _Notes(Protocol):
    """What a PR body needs of a package release (``plan.PackageRelease`` has it)."""

    @property
    def component(self) -> str | None: ...
    @property
    def version(self) -> Version: ...
    @property
    def changelog_entry(self) -> str: ...


class ReleasedPackage(NamedTuple):
    """What a merged release PR released, read back from its body."""

    component: str | None
    version: Version
    notes: str


def component_from_branch(branch: str) -> str | None:
    """``release-please--branches--main--components--pkg-a`` → ``pkg-a`` (None without one)."""
    marker = "--components--"
    return branch.split(marker, 1)[1] if marker in branch else None


def branch_name(target_branch: str, component: str | None = None) -> str:
    name = f"release-please--branches--{target_branch}"
    return f"{name}--components--{component}" if component else name


def pull_request_title(
    pattern: str | None, target_branch: str, component: str | None, version: str
) -> str:
    text = pattern or DEFAULT_TITLE_PATTERN
    return (
        text.replace("${scope}", f"({target_branch})")
        .replace("${component}", f" {component}" if component else "")
        .replace("${version}", version)
        .replace("${branch}", target_branch)
    )


def pull_request_body(
    packages: Sequence[_Notes], *, header: str | None = None, footer: str | None = None
) -> str:
    """release-please's PR body: header, the notes, footer. Several packages in one PR (the
    grouped manifest PR) wrap each section in ``<details><summary>component: version``."""
    if len(packages) > 1:
        notes = "\n\n".join(
            f"<details><summary>{f'{p.component}: ' if p.component else ''}{p.version}</summary>"
            f"\n\n{p.changelog_entry}\n</details>"
            for p in packages
        )
    else:
        notes = "\n\n".join(p.changelog_entry for p in packages)
    return f"{header or PR_HEADER}\n---\n\n\n{notes}\n\n---\n{footer or PR_FOOTER}"


_DETAILS = (
    r"<details(?: open)?><summary>(?:(?P<component>[^<]*?): )?(?P<version>[^<:\s]+)</summary>"
    r"\s*(?P<notes>.*?)\s*</details>"
)
_HEADING_VERSION = r"^#{1,3} \[?v?(?P<version>\d+\.\d+\.\d+[0-9A-Za-z.+-]*)\]?"


def parse_release_pr_body(body: str) -> list[ReleasedPackage]:
    """The packages a (merged) release PR released: component, version and notes."""
    text = body.replace("\r\n", "\n")
    released = []
    for match in re.finditer(_DETAILS, text, re.S):
        try:
            version = parse_loose(match["version"])
        except VersionError:
            continue
        released.append(ReleasedPackage(match["component"] or None, version, match["notes"]))
    if released:
        return released
    parts = text.split("\n---\n")
    notes = (parts[1] if len(parts) >= 3 else parts[-1]).strip()
    heading = re.search(_HEADING_VERSION, notes, re.M)
    if not heading:
        return []
    return [ReleasedPackage(None, parse_loose(heading["version"]), notes)]


# --- bodies over GitHub's limit ----------------------------------------------------------


def body_overflows(body: str, limit: int = MAX_BODY_SIZE) -> bool:
    """Longer than GitHub takes, counted like JavaScript's ``length`` (UTF-16 code units)."""
    return len(body.encode("utf-16-le")) // 2 > limit


def overflow_branch(head_branch: str) -> str:
    """Where release-please stores the full notes: ``<release branch>--release-notes``."""
    return f"{head_branch}--release-notes"


def overflow_body(url: str) -> str:
    """The whole body of an overflowing release PR: the message and the notes file's URL."""
    return f"{OVERFLOW_MESSAGE} {url}"


def overflow_notes_branch(body: str) -> str | None:
    """The branch holding ``release-notes.md`` when ``body`` is an overflow body, else None.

    Like release-please, the branch is read from the URL's path (``…/blob/<branch>/…``)."""
    from urllib.parse import urlsplit  # noqa: PLC0415 - only a release PR's body needs it

    match = re.search(_OVERFLOW, body)
    if not match:
        return None
    path = re.search(_NOTES_PATH, urlsplit(match["url"].strip()).path)
    return path["branch"] if path else None


def group_title(pattern: str | None, target_branch: str) -> str:
    """The title of a release PR grouping packages (``group-pull-request-title-pattern``)."""
    pattern = pattern or DEFAULT_GROUP_TITLE_PATTERN
    return (
        pattern.replace("${scope}", "")
        .replace("${component}", f" {target_branch}")
        .replace("${branch}", target_branch)
        .replace("${version}", "")
        .rstrip()
    )


def title_version(
    title: str, pattern: str | None, target_branch: str, component: str | None
) -> Version | None:
    """The version in a release PR's title (someone may have edited it), or None."""
    regex = re.escape(pattern or DEFAULT_TITLE_PATTERN)
    for placeholder, part in (
        ("${scope}", rf"(?:\({re.escape(target_branch)}\))?"),
        ("${component}", rf"(?: {re.escape(component)})?" if component else ""),
        ("${version}", r"(?P<version>\S+)"),
        ("${branch}", re.escape(target_branch)),
    ):
        regex = regex.replace(re.escape(placeholder), part)
    match = re.fullmatch(regex, title.strip())
    if match is None or "version" not in match.groupdict():
        return None
    try:
        return parse_loose(match["version"])
    except VersionError:
        return None
