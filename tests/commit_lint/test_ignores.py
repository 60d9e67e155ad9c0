"""commitlint's default ignores (``@commitlint/is-ignored`` 20.5.3)."""

from __future__ import annotations

import re

import pytest
from commit_lint.ignores import is_default_ignored, is_ignored, is_semver


@pytest.mark.parametrize(
    ("message", "ignored"),
    [
        pytest.param("Merge pull request #1 from a/b", True, id="github-merge"),
        pytest.param("Merge branch 'main' into x", True, id="merge-branch"),
        pytest.param("Merge x into y", True, id="merge-into"),
        pytest.param("Merge into y", False, id="merge-into-needs-source"),
        pytest.param("Merge tag 'v1'", True, id="merge-tag"),
        pytest.param("feat: Bad.\n\nMerge branch 'main' into y", True, id="merge-line-anywhere"),
        pytest.param("feat: x\r\nMerge branch 'x'", True, id="merge-after-crlf"),
        pytest.param("Merge remote-tracking branch 'o/m'", True, id="remote-tracking"),
        pytest.param("Merged PR 12: thing", True, id="azure"),
        pytest.param("Merged main in x", True, id="merged-in"),
        pytest.param("Automatic merge from x", True, id="automatic"),
        pytest.param("Auto-merged a into b", True, id="auto-merged"),
        pytest.param('Revert "feat: x"', True, id="revert"),
        pytest.param("revert something", True, id="revert-lower"),
        pytest.param("revert: feat: x", False, id="revert-type-is-linted"),
        pytest.param('Reapply "x"', True, id="reapply"),
        pytest.param("fixup! feat: x", True, id="fixup"),
        pytest.param("squash! x", True, id="squash"),
        pytest.param("amend! x", True, id="amend"),
        pytest.param("v17.7.1", True, id="version"),
        pytest.param("8.0.0-rc.2\n\nAutomatically generated", True, id="prerelease"),
        pytest.param("chore: 1.2.3", True, id="chore-version"),
        pytest.param("chore(release): v1.2.3 [skip ci]", True, id="skip-ci"),
        pytest.param("chore(release): 1.2.3 (ci skip)", True, id="ci-skip-parens"),
        pytest.param("chore: release 1.2.3", False, id="chore-release-words"),
        pytest.param("1.2", False, id="not-semver"),
        pytest.param("feat: x", False, id="normal"),
        pytest.param("", False, id="empty"),
    ],
)
def test_default_ignores(message: str, ignored: bool):
    assert is_default_ignored(message) is ignored


@pytest.mark.parametrize(
    ("version", "valid"),
    [
        pytest.param("1.2.3", True, id="plain"),
        pytest.param("v1.2.3-alpha.1+build.5", True, id="full"),
        pytest.param(" 1.2.3 ", True, id="trimmed"),
        pytest.param("01.2.3", False, id="leading-zero"),
        pytest.param("V1.2.3", False, id="capital-v"),
        pytest.param("9007199254740992.0.0", False, id="unsafe-integer"),
        pytest.param("1.2.3-" + "a" * 300, False, id="too-long"),
    ],
)
def test_semver(version: str, valid: bool):
    assert is_semver(version) is valid


def test_user_patterns_and_disabled_defaults():
    patterns = (re.compile(r"^WIP"),)
    assert is_ignored("WIP: x", patterns=patterns)
    assert not is_ignored("Merge branch 'x'", defaults=False)
    assert is_ignored("Merge branch 'x'")
