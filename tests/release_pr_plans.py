"""Hand-made release plans in the shape of ``release_pr.plan`` for the GitHub lifecycle tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from github_api_fake import API
from release_pr.github_flow import ReleaseItem, ReleaseReader, ReleaseTarget
from release_pr.github_ops import PullRequest
from release_pr.plan import parse_release_pr_body
from relkit.adapters.github import GitHubClient

HEADER = ":robot: I have created a release *beep* *boop*\n---\n\n\n"
FOOTER = (
    "\n\n---\nThis PR was generated with [Release Please](https://github.com/googleapis/"
    "release-please). See [documentation](https://github.com/googleapis/release-please#release-please)."
)
SECTION = (
    "## [1.3.0](https://github.com/octo/demo/compare/v1.2.3...v1.3.0) (2026-07-28)\n\n\n"
    "### Features\n\n* add a thing ([abc1234](https://github.com/octo/demo/commit/abc1234))"
)


@dataclass(frozen=True, slots=True)
class FakePullPlan:
    branch: str
    title: str
    body: str
    file_updates: tuple[tuple[str, str], ...]
    draft: bool = False
    labels: tuple[str, ...] = ()
    signoff: str | None = None


def single_plan(version: str = "1.3.0", section: str = SECTION) -> FakePullPlan:
    return FakePullPlan(
        branch="release-please--branches--main",
        title=f"chore(main): release {version}",
        body=HEADER + section + FOOTER,
        file_updates=(
            ("CHANGELOG.md", f"# Changelog\n\n{section}\n"),
            ("version.txt", f"{version}\n"),
        ),
    )


def reader(resolve: Callable[[str | None, str], ReleaseTarget]) -> ReleaseReader:
    """A release reader over release-core's PR body parser with a hand-made placement."""

    def read(pull: PullRequest) -> list[ReleaseItem]:
        return [
            ReleaseItem(str(item.version), item.notes, resolve(item.component, str(item.version)))
            for item in parse_release_pr_body(pull.body)
        ]

    return read


def single_target(component: str | None, version: str) -> ReleaseTarget:
    assert component is None
    return ReleaseTarget(path=".", tag=f"v{version}", name=f"v{version}")


single_reader = reader(single_target)


def make_client(api: str = API, sleep: Callable[[float], None] | None = None) -> GitHubClient:
    """The production GitHub stack (shared adapter + release-pr mapping), no real waiting."""
    client = GitHubClient(
        "t0ken",
        "octo/demo",
        api_url=api,
        sleep=(lambda _seconds: None) if sleep is None else sleep,
        clock=lambda: 1_000_000.0,
        jitter=lambda: 1.0,
    )
    return client
