"""Update types, buckets and range strategies per versioning, as Renovate computes them."""

from __future__ import annotations

import pytest
from dependency_group.versioning import (
    Separation,
    classify,
    is_version_tag,
    pep440_new_value,
    pep440_proposals,
    poetry_proposals,
    poetry_to_pep440,
    tag_proposals,
)
from packaging.version import Version


@pytest.mark.parametrize(
    ("current", "new", "kind"),
    [
        pytest.param((1, 2, 3), (2, 0, 0), "major", id="major"),
        pytest.param((1, 2, 3), (1, 3, 0), "minor", id="minor"),
        pytest.param((1, 2, 3), (1, 2, 4), "patch", id="patch"),
        pytest.param((3,), (3, 0, 1), "patch", id="missing-parts-are-zero"),
    ],
)
def test_classify(current: tuple[int, ...], new: tuple[int, ...], kind: str) -> None:
    assert classify(current, new) == kind


def _p(spec: str, versions: list[str], separate: bool = True) -> list[tuple[str, str, str]]:
    return [
        (p.version, p.new_value, p.update_type)
        for p in pep440_proposals(spec, versions, separate_major_minor=separate)
    ]


DJANGO = ["4.2.0", "4.2.30", "5.0", "5.2.8", "6.1.3", "7.0a1", "not-a-version"]


@pytest.mark.parametrize(
    ("spec", "versions", "expected"),
    [
        pytest.param("==4.2.0", DJANGO,
                     [("4.2.30", "==4.2.30", "patch"), ("6.1.3", "==6.1.3", "major")],
                     id="pin-newest-non-major-and-major"),
        pytest.param(">=1.26,<2", ["1.26.0", "1.26.20", "2.0.0", "2.8.1"],
                     [("2.8.1", ">=2.8,<3", "major")], id="range-widened"),
        pytest.param(">=22.1", ["22.1.0", "25.4.0"], [], id="range-already-allows"),
        pytest.param("~=1.4", ["1.4.0", "1.9.0", "2.1.0"], [("2.1.0", "~=2.1", "major")],
                     id="compatible-release"),
        pytest.param("<=1.0", ["0.9", "1.0", "1.5"], [("1.5", "<=1.5", "minor")], id="upper-le"),
        pytest.param("==1.0rc1", ["1.0rc1", "1.0rc2", "1.0"],
                     [("1.0", "==1.0", "patch")], id="prerelease-current"),
        pytest.param("==1.0", ["1.0", "1.1rc1"], [], id="no-prerelease-for-stable"),
        pytest.param("==bad", ["1.0"], [], id="invalid-pin"),
        pytest.param("=!1", ["1.0"], [], id="invalid-specifier"),
        pytest.param(">=9", ["1.0"], [], id="nothing-satisfies"),
        pytest.param(">1.0", ["1.0", "2.0"], [], id="exclusive-lower-bound-already-allows"),
    ],
)  # fmt: skip
def test_pep440_proposals(spec: str, versions: list[str], expected: list[tuple[str, ...]]) -> None:
    assert _p(spec, versions) == expected


def test_pep440_without_separate_major_minor_proposes_only_the_newest() -> None:
    assert _p("==4.2.0", DJANGO, separate=False) == [("6.1.3", "==6.1.3", "major")]


@pytest.mark.parametrize(
    ("spec", "new", "expected"),
    [
        pytest.param("==1.0", "2.0", "==2.0", id="pin"),
        pytest.param(">=1.0,!=1.5,<2", "2.1", ">=2.1,!=1.5,<3", id="keeps-exclusion"),
        pytest.param(">= 1.26, < 2", "2.8.1", ">= 2.8, < 3", id="spaces-kept"),
        pytest.param(">1.0", "2.0", None, id="exclusive-lower"),
        pytest.param("==1.*", "2.0", None, id="wildcard"),
        pytest.param(">=3.2,<4.0", "5.0.3", ">=5.0,<6.0", id="below-next-major"),
        pytest.param(">=1.2,<1.27", "2.8.1", ">=2.8,<2.9", id="below-next-minor"),
        pytest.param("garbage", "2.0", None, id="garbage"),
    ],
)
def test_pep440_new_value(spec: str, new: str, expected: str | None) -> None:
    assert pep440_new_value(spec, Version(new)) == expected


PYTHON = ["3.11.4-slim", "3.11.9-slim", "3.12.1-slim", "3.12-slim", "3.13.0-slim", "3.11.4",
          "latest"]  # fmt: skip


@pytest.mark.parametrize(
    ("current", "tags", "scheme", "expected"),
    [
        pytest.param("3.11.4-slim", PYTHON, "docker", [("3.13.0-slim", "minor")],
                     id="suffix-and-precision-kept"),
        pytest.param("3.18", ["3.18", "3.18.4", "3.19", "3.20", "3.20.3"], "docker",
                     [("3.20", "minor")], id="two-parts"),
        pytest.param("18-alpine", ["18-alpine", "20-alpine", "22-alpine", "22"], "docker",
                     [("22-alpine", "major")], id="docker-major"),
        pytest.param("18-alpine", ["18-alpine", "18.20.4-alpine", "20-alpine", "22-alpine", "22"],
                     "node", [], id="node-range-kept"),
        pytest.param("18-alpine", ["18.20.4-alpine", "21.0.0-alpine", "22.11.0-alpine",
                                   "24.0.0"], "node", [("22-alpine", "major")],
                     id="node-range-replaced-odd-skipped"),
        pytest.param("19.1.0", ["19.1.0", "19.2.0", "21.0.0"], "node", [("19.2.0", "minor")],
                     id="node-odd-current"),
        pytest.param("18.20.4", ["18.20.4", "18.20.5", "22.1.0", "22-alpine"], "node",
                     [("18.20.5", "patch"), ("22.1.0", "major")], id="node-semver"),
        pytest.param("v3", ["v3.0.0", "v3", "v3.6.0", "v4.0.0", "v4", "v4.2.2"], "semver",
                     [("v4", "major")], id="action-floating-major"),
        pytest.param("v4.7.0", ["v4.7.0", "v4.7.1", "v4.8.0", "v5.0.0", "5.1.0"], "semver",
                     [("v4.8.0", "minor"), ("v5.0.0", "major")], id="action-prefix-kept"),
        pytest.param("22.04", ["20.04", "22.04", "24.04", "26.04", "24.04-arm"], "docker",
                     [("26.04", "major")], id="runner"),
        pytest.param("latest", PYTHON, "docker", [], id="not-a-version"),
    ],
)  # fmt: skip
def test_tag_proposals(
    current: str, tags: list[str], scheme: str, expected: list[tuple[str, str]]
) -> None:
    assert [(p.new_value, p.update_type) for p in tag_proposals(current, tags, scheme)] == expected


def test_is_version_tag() -> None:
    assert is_version_tag("v1.2", "semver")
    assert not is_version_tag("main", "semver")


@pytest.mark.parametrize(
    ("constraint", "spec"),
    [
        pytest.param("^1.2.3", ">=1.2.3,<2", id="caret"),
        pytest.param("^0.2.3", ">=0.2.3,<0.3", id="caret-zero-major"),
        pytest.param("^0.0.3", ">=0.0.3,<0.0.4", id="caret-zero-minor"),
        pytest.param("~1.2.3", ">=1.2.3,<1.3", id="tilde"),
        pytest.param("~1", ">=1,<2", id="tilde-major"),
        pytest.param("1.2.3", "==1.2.3", id="exact"),
        pytest.param(">=1.0,<2.0", ">=1.0,<2.0", id="pep440"),
        pytest.param("^x", None, id="invalid"),
    ],
)
def test_poetry_to_pep440(constraint: str, spec: str | None) -> None:
    assert poetry_to_pep440(constraint) == spec


@pytest.mark.parametrize(
    ("constraint", "expected"),
    [
        pytest.param("^8.1", [("^9.0", "major")], id="caret-replaced-at-its-precision"),
        pytest.param("~8.1.0", [("~8.5.1", "minor"), ("~9.0.2", "major")], id="tilde"),
        pytest.param("8.1.0", [("8.5.1", "minor"), ("9.0.2", "major")], id="exact"),
        pytest.param(">=8.0,<9", [(">=9.0,<10", "major")], id="pep440-range"),
        pytest.param("^x", [], id="invalid"),
    ],
)
def test_poetry_proposals(constraint: str, expected: list[tuple[str, str]]) -> None:
    versions = ["8.1.0", "8.5.1", "9.0.2"]
    got = [(p.new_value, p.update_type) for p in poetry_proposals(constraint, versions)]
    assert got == expected


def test_separate_multiple_major_and_minor_patch() -> None:
    versions = ["1.0.0", "1.0.5", "1.2.0", "2.0.0", "2.1.0", "3.0.0", "3.1.0"]
    options = Separation(multiple_major=True, minor_patch=True)
    proposals = pep440_proposals("==1.0.0", versions, separate_major_minor=options)
    got = [(p.version, p.update_type, p.major, p.minor) for p in proposals]
    assert got == [
        ("1.0.5", "patch", 1, 0),
        ("1.2.0", "minor", 1, 2),
        ("2.1.0", "major", 2, 1),
        ("3.1.0", "major", 3, 1),
    ]


@pytest.mark.parametrize(
    ("spec", "versions", "expected"),
    [
        pytest.param("===1.0", ["1.0", "2.0"], [("2.0", "===2.0", "major")], id="arbitrary-eq"),
        pytest.param("==1.0", ["1.0", "1.0.post1"], [("1.0.post1", "==1.0.post1", "patch")],
                     id="post-release"),
        pytest.param("!=1.5", ["1.0", "2.0"], [], id="only-exclusion"),
    ],
)  # fmt: skip
def test_pep440_more(spec: str, versions: list[str], expected: list[tuple[str, ...]]) -> None:
    assert _p(spec, versions) == expected


def test_node_not_a_tag() -> None:
    assert tag_proposals("lts", ["20.0.0"], "node") == []
