"""SemVer values, precedence, bumps, prerelease numbers and PEP 440 bridging."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import operator

import pytest
from hypothesis import given
from hypothesis import strategies as st
from relkit.core.versions import (
    BumpLevel,
    Version,
    VersionError,
    adjust_pre_major,
    bump,
    bump_prerelease_number,
    compare_versions,
    from_pep440,
    parse_loose,
    parse_version,
    to_pep440,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("1.2.3", Version(1, 2, 3), id="plain"),
        pytest.param("v1.2.3", Version(1, 2, 3), id="leading-v"),
        pytest.param("1.2.3-rc.1", Version(1, 2, 3, "rc.1"), id="prerelease"),
        pytest.param("1.2.3+build.5", Version(1, 2, 3, "", "build.5"), id="build"),
        pytest.param("1.0.0-alpha-a.b-c+x.7", Version(1, 0, 0, "alpha-a.b-c", "x.7"), id="both"),
        pytest.param(" 0.0.0 ", Version(0, 0, 0), id="whitespace"),
    ],
)
def test_parse_version(text: str, expected: Version) -> None:
    assert parse_version(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("1.2", id="two-parts"),
        pytest.param("01.2.3", id="leading-zero"),
        pytest.param("1.2.3-01", id="numeric-prerelease-leading-zero"),
        pytest.param("1.2.3-", id="empty-prerelease"),
        pytest.param("release 1.2.3", id="prose"),
    ],
)
def test_parse_version_rejects(text: str) -> None:
    with pytest.raises(VersionError, match="not a SemVer version"):
        parse_version(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("v2.0.0", "2.0.0", id="v"),
        pytest.param("release 1.4.0-beta.01+b7 done", "1.4.0-beta.01+b7", id="embedded"),
        pytest.param("1.2.3rc1", "1.2.3", id="pep440-suffix-ignored"),
    ],
)
def test_parse_loose(text: str, expected: str) -> None:
    assert str(parse_loose(text)) == expected


def test_parse_loose_rejects_text_without_a_version() -> None:
    with pytest.raises(VersionError, match="no version"):
        parse_loose("next")


# SemVer 2.0.0 section 11's example chain, in ascending precedence
CHAIN = [
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-beta",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0",
    "1.0.1",
    "1.1.0",
    "2.0.0",
]


def test_precedence_follows_the_semver_spec() -> None:
    versions = [parse_version(v) for v in CHAIN]
    shuffled = [versions[i] for i in (3, 0, 10, 5, 1, 9, 2, 7, 4, 8, 6)]
    assert sorted(shuffled) == versions
    for low, high in itertools.pairwise(versions):
        assert low < high
        assert compare_versions(low, high) == -1
        assert compare_versions(high, low) == 1


def test_build_metadata_is_ignored_for_precedence() -> None:
    a, b = parse_version("1.0.0+a"), parse_version("1.0.0+b")
    assert compare_versions(a, b) == 0
    assert not a < b
    assert a != b  # but they are different values


def test_comparing_with_other_types_is_not_supported() -> None:
    assert Version(1, 0, 0).__lt__("1.0.0") is NotImplemented


def test_properties_and_format() -> None:
    v = Version(0, 3, 1, "beta.2", "sha.1")
    assert str(v) == "0.3.1-beta.2+sha.1"
    assert v.is_prerelease
    assert v.is_pre_major
    assert v.core == (0, 3, 1)
    assert v.with_prerelease("") == Version(0, 3, 1, "", "sha.1")
    assert not Version(1, 0, 0).is_pre_major


@pytest.mark.parametrize(
    ("version", "level", "keep", "expected"),
    [
        pytest.param("1.2.3", BumpLevel.MAJOR, True, "2.0.0", id="major"),
        pytest.param("1.2.3", BumpLevel.MINOR, True, "1.3.0", id="minor"),
        pytest.param("1.2.3", BumpLevel.PATCH, True, "1.2.4", id="patch"),
        pytest.param("1.2.3", BumpLevel.NONE, True, "1.2.3", id="none"),
        pytest.param("8.0.0-alpha.1", BumpLevel.PATCH, True, "8.0.1-alpha.1", id="keeps-suffix"),
        pytest.param("8.0.0-alpha.1+b", BumpLevel.MINOR, False, "8.1.0", id="drops-suffix"),
    ],
)
def test_bump(version: str, level: BumpLevel, keep: bool, expected: str) -> None:
    assert str(bump(parse_version(version), level, keep_suffix=keep)) == expected


def test_bump_levels_are_ordered() -> None:
    assert max(BumpLevel.PATCH, BumpLevel.MAJOR, BumpLevel.MINOR) is BumpLevel.MAJOR
    assert BumpLevel.NONE < BumpLevel.PATCH


@pytest.mark.parametrize(
    ("version", "level", "minor_pre_major", "patch_for_minor", "expected"),
    [
        pytest.param("0.4.0", BumpLevel.MAJOR, False, False, BumpLevel.MAJOR, id="0x-breaking"),
        pytest.param("0.4.0", BumpLevel.MAJOR, True, False, BumpLevel.MINOR, id="bump-minor"),
        pytest.param("0.4.0", BumpLevel.MINOR, False, True, BumpLevel.PATCH, id="patch-for-minor"),
        pytest.param("0.4.0", BumpLevel.MINOR, True, False, BumpLevel.MINOR, id="feat-stays"),
        pytest.param("1.4.0", BumpLevel.MAJOR, True, True, BumpLevel.MAJOR, id="post-1.0"),
    ],
)
def test_adjust_pre_major(
    version: str,
    level: BumpLevel,
    minor_pre_major: bool,
    patch_for_minor: bool,
    expected: BumpLevel,
) -> None:
    got = adjust_pre_major(
        parse_version(version),
        level,
        bump_minor_pre_major=minor_pre_major,
        bump_patch_for_minor_pre_major=patch_for_minor,
    )
    assert got is expected


@pytest.mark.parametrize(
    ("prerelease", "expected"),
    [
        pytest.param("beta.1", "beta.2", id="dotted"),
        pytest.param("beta.01", "beta.02", id="padding-kept"),
        pytest.param("beta09", "beta10", id="padding-grows"),
        pytest.param("beta01-01", "beta01-02", id="last-number"),
        pytest.param("beta", "beta.1", id="no-number"),
        pytest.param("rc.9.x", "rc.10.x", id="number-before-text"),
    ],
)
def test_bump_prerelease_number(prerelease: str, expected: str) -> None:
    assert bump_prerelease_number(prerelease) == expected


@pytest.mark.parametrize(
    ("pep440", "semver"),
    [
        pytest.param("1.2.0rc1", "1.2.0-rc.1", id="rc"),
        pytest.param("1.2.0a3", "1.2.0-a.3", id="alpha"),
        pytest.param("1.2.0b2", "1.2.0-b.2", id="beta"),
        pytest.param("1.2.0.dev4", "1.2.0-dev.4", id="dev"),
        pytest.param("1.2.0rc1.dev2", "1.2.0-rc.1.dev.2", id="rc-dev"),
        pytest.param("1.2", "1.2.0", id="two-part"),
        pytest.param("1.2.0+local.1", "1.2.0+local.1", id="local"),
    ],
)
def test_pep440_round_trip(pep440: str, semver: str) -> None:
    assert str(from_pep440(pep440)) == semver
    assert from_pep440(to_pep440(parse_version(semver))) == parse_version(semver)


@pytest.mark.parametrize(
    ("semver", "pep440"),
    [
        pytest.param("1.2.0-beta.2", "1.2.0b2", id="beta-word"),
        pytest.param("1.2.0-alpha", "1.2.0a0", id="alpha-no-number"),
        pytest.param("1.2.0-preview.3", "1.2.0rc3", id="preview"),
        pytest.param("1.2.0-dev", "1.2.0.dev0", id="dev-no-number"),
        pytest.param("1.2.0", "1.2.0", id="release"),
    ],
)
def test_to_pep440(semver: str, pep440: str) -> None:
    assert to_pep440(parse_version(semver)) == pep440


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("not a version", id="garbage"),
        pytest.param("1!1.0", id="epoch"),
        pytest.param("1.0.post1", id="post"),
        pytest.param("1.2.3.4", id="four-parts"),
    ],
)
def test_from_pep440_rejects(text: str) -> None:
    with pytest.raises(VersionError):
        from_pep440(text)


@pytest.mark.parametrize(
    "semver",
    [
        pytest.param("1.2.0-snapshot", id="unknown-word"),
        pytest.param("1.2.0-rc.1+bad_local!", id="bad-local"),
    ],
)
def test_to_pep440_rejects(semver: str) -> None:
    version = parse_loose(semver) if "!" not in semver else Version(1, 2, 0, "rc.1", "bad_local!")
    with pytest.raises(VersionError):
        to_pep440(version)


@given(
    st.integers(0, 999),
    st.integers(0, 999),
    st.integers(0, 999),
    st.sampled_from(["", "rc.1", "beta.2", "alpha"]),
)
def test_format_then_parse_is_identity(major: int, minor: int, patch: int, pre: str) -> None:
    version = Version(major, minor, patch, pre)
    assert parse_version(str(version)) == version
    assert bump(version, BumpLevel.PATCH, keep_suffix=False) > version


@functools.total_ordering
@dataclasses.dataclass(frozen=True, slots=True)
class DataclassVersion:
    """Version as it was (a frozen dataclass ordered by total_ordering): the reference."""

    major: int
    minor: int
    patch: int
    prerelease: str = ""
    build: str = ""

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, DataclassVersion):
            return NotImplemented
        return Version(*dataclasses.astuple(self)).precedence_key() < (
            Version(*dataclasses.astuple(other)).precedence_key()
        )


SMALL_VERSIONS = st.builds(
    Version,
    st.integers(0, 2),
    st.integers(0, 2),
    st.integers(0, 1),
    st.sampled_from(["", "rc.1", "rc.2", "alpha", "1"]),
    st.sampled_from(["", "b1", "b2"]),
)


@given(SMALL_VERSIONS, SMALL_VERSIONS)
def test_comparisons_are_those_of_the_dataclass_it_was(a: Version, b: Version) -> None:
    old_a, old_b = DataclassVersion(*a), DataclassVersion(*b)
    for op in (operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge):
        assert op(a, b) == op(old_a, old_b), op
    assert (hash(a) == hash(b)) == (hash(old_a) == hash(old_b)) or a != b


def test_a_version_is_not_a_tuple_in_comparisons() -> None:
    assert Version(1, 2, 3) != (1, 2, 3, "", "")
    assert not Version(1, 2, 3) == (1, 2, 3, "", "")  # noqa: SIM201 - the == operator itself
    for op in (operator.lt, operator.le, operator.gt, operator.ge):
        with pytest.raises(TypeError):
            op(Version(1, 2, 3), 2)
    assert {Version(1, 2, 3), Version(1, 2, 3)} == {Version(1, 2, 3)}
    assert Version(1, 0, 0, build="a") != Version(1, 0, 0, build="b")
    assert not Version(1, 0, 0, build="a") <= Version(1, 0, 0, build="b")  # as total_ordering did
