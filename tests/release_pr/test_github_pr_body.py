"""Reading a merged release PR's body (release-please's PullRequestBody format)."""

from __future__ import annotations

import pytest
from release_pr.pr_body import ReleaseNote, parse_release_pr_body

HEADER = ":robot: I have created a release *beep* *boop*\n---\n\n\n"
FOOTER = "\n\n---\nThis PR was generated with [Release Please](https://github.com/googleapis/release-please)."
SINGLE = (
    "## [1.3.0](https://github.com/o/r/compare/v1.2.3...v1.3.0) (2026-07-28)\n\n\n"
    "### Features\n\n* x"
)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(HEADER + SINGLE + FOOTER, [ReleaseNote(None, "1.3.0", SINGLE)], id="single"),
        pytest.param(
            (HEADER + SINGLE + FOOTER).replace("\n", "\r\n"),
            [ReleaseNote(None, "1.3.0", SINGLE)],
            id="crlf",
        ),
        pytest.param(
            HEADER + "## 0.1.0 (2026-07-28)\n\n\n### Bug Fixes\n\n* y" + FOOTER,
            [ReleaseNote(None, "0.1.0", "## 0.1.0 (2026-07-28)\n\n\n### Bug Fixes\n\n* y")],
            id="first-release-without-link",
        ),
        pytest.param(
            HEADER + "## [2.0.0-rc.1](https://x/compare/a...b) (2026-07-28)" + FOOTER,
            [
                ReleaseNote(
                    None, "2.0.0-rc.1", "## [2.0.0-rc.1](https://x/compare/a...b) (2026-07-28)"
                )
            ],
            id="prerelease",
        ),
        pytest.param(
            HEADER
            + "<details><summary>pkg-a: 1.0.1</summary>\n\n## 1.0.1 (d)\n\n* a\n</details>\n\n"
            + "<details><summary>@scope/b: 0.3.0-beta.1</summary>\n\n"
            + "## 0.3.0-beta.1 (d)\n</details>"
            + FOOTER,
            [
                ReleaseNote("pkg-a", "1.0.1", "## 1.0.1 (d)\n\n* a"),
                ReleaseNote("@scope/b", "0.3.0-beta.1", "## 0.3.0-beta.1 (d)"),
            ],
            id="components",
        ),
        pytest.param(
            HEADER + "<details><summary>1.2.0</summary>\n\n## 1.2.0 (d)\n</details>" + FOOTER,
            [ReleaseNote(None, "1.2.0", "## 1.2.0 (d)")],
            id="details-without-component",
        ),
        pytest.param(
            HEADER + "<details><summary>not a version</summary>x</details>" + FOOTER,
            [],
            id="details-without-version",
        ),
        pytest.param("a body edited by hand", [], id="no-notes"),
        pytest.param("", [], id="empty"),
        pytest.param(HEADER + SINGLE, [ReleaseNote(None, "1.3.0", SINGLE)], id="no-footer"),
    ],
)
def test_parse_release_pr_body(body: str, expected: list[ReleaseNote]) -> None:
    assert parse_release_pr_body(body) == expected
