"""Hand-made release plans in the shape of ``release_pr.plan`` for the GitHub lifecycle tests."""

from __future__ import annotations

from dataclasses import dataclass

from release_pr.github_flow import ReleaseTarget

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


def single_target(component: str | None, version: str) -> ReleaseTarget:
    assert component is None
    return ReleaseTarget(path=".", tag=f"v{version}", name=f"v{version}")
