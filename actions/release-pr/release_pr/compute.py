"""From commits since the last release to the next version and its changelog section. Pure.

release-please's ``BaseStrategy.buildReleasePullRequest`` without the files: no commits → no
release; a ``release-as`` option, then the newest ``Release-As:`` footer, then the versioning
strategy (or the first version when there is no previous release); a section with nothing but
its heading ("no user facing commits") → no release.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from relkit.core.changelog import (
    ChangelogCommit,
    ChangelogContext,
    ChangelogSection,
    IssueReference,
    html_escape,
    render_section,
)
from relkit.core.versions import Version, VersionError, parse_loose

from release_pr.commit_parser import ReleaseCommit
from release_pr.strategies import VersioningStrategy, graduate, release_as_commit


class Outcome(NamedTuple):
    version: Version
    changelog_entry: str


class TagFormat(NamedTuple):
    """How a version becomes a tag: ``v1.2.3``, ``pkg-v1.2.3``, ``pkg@1.2.3`` …"""

    component: str | None = None
    include_v: bool = True
    separator: str = "-"

    def tag(self, version: Version | str) -> str:
        text = f"{'v' if self.include_v else ''}{version}"
        return f"{self.component}{self.separator}{text}" if self.component else text


SENTENCE_CASE_SPECIAL_WORDS = frozenset({"gRPC", "npm"})


def _upper_first(word: str) -> str:
    if word in SENTENCE_CASE_SPECIAL_WORDS or not word[:1].islower() or not word[:1].isascii():
        return word
    return word[0].upper() + word[1:]


def sentence_case(commits: Sequence[ReleaseCommit]) -> list[ReleaseCommit]:
    """release-please's ``sentence-case`` plugin: each subject starts with a capital letter
    (``gRPC`` and ``npm`` stay as they are)."""
    out = []
    for commit in commits:
        first, sep, rest = commit.subject.partition(" ")
        out.append(commit._replace(subject=_upper_first(first) + sep + rest))
    return out


def to_changelog_commits(commits: Sequence[ReleaseCommit]) -> list[ChangelogCommit]:
    return [
        ChangelogCommit(
            hash=commit.sha,
            type=commit.type,
            scope=commit.scope,
            subject=html_escape(commit.subject),
            header=commit.header,
            breaking_notes=tuple(n.text for n in commit.notes if n.title == "BREAKING CHANGE"),
            references=tuple(IssueReference(r.issue, r.prefix) for r in commit.references),
            release_as=commit.release_as,
        )
        for commit in commits
    ]


def next_version(
    commits: Sequence[ReleaseCommit],
    *,
    previous: Version | None,
    strategy: VersioningStrategy,
    initial_version: Version,
    release_as: str | None = None,
    prerelease: bool | None = None,
) -> Version:
    if release_as:
        try:
            return parse_loose(release_as)
        except VersionError:
            pass
    forced = release_as_commit(commits)
    if forced is not None:
        return forced
    if previous is None:
        return initial_version
    version = strategy.next_version(previous, commits)
    if prerelease is False and version.prerelease and previous.prerelease:
        return graduate(previous)
    return version


def compute_release(
    commits: Sequence[ReleaseCommit],
    *,
    previous: Version | None,
    previous_tag: str | None,
    strategy: VersioningStrategy,
    initial_version: Version,
    sections: tuple[ChangelogSection, ...],
    tag_format: TagFormat,
    date: str,
    owner: str,
    repository: str,
    host: str = "https://github.com",
    release_as: str | None = None,
    prerelease: bool | None = None,
    skip_empty: bool = True,
    reference_word: str = "refs",
) -> Outcome | None:
    """The next release, or None when there is nothing user-facing to release.

    ``skip_empty=False`` answers the version even when every commit is hidden (the question
    "which version would this range get", as the conformance batch asks it).
    """
    if not commits and skip_empty:
        return None
    version = next_version(
        commits,
        previous=previous,
        strategy=strategy,
        initial_version=initial_version,
        release_as=release_as,
        prerelease=prerelease,
    )
    context = ChangelogContext(
        version=str(version),
        date=date,
        owner=owner,
        repository=repository,
        host=host,
        previous_tag=previous_tag,
        current_tag=tag_format.tag(version),
        sections=sections,
        reference_word=reference_word,
    )
    entry = render_section(to_changelog_commits(commits), context)
    if skip_empty and len(entry.split("\n")) <= 1:
        return None
    return Outcome(version, entry)
