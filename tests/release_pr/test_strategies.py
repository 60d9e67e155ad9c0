"""Versioning strategies, release types and the next-version / section computation."""

from __future__ import annotations

import pytest
from release_pr.commit_parser import ReleaseCommit, parse_message
from release_pr.compute import TagFormat, compute_release, next_version, sentence_case
from release_pr.strategies import (
    AlwaysBump,
    DefaultVersioning,
    PrereleaseVersioning,
    build_strategy,
    commit_level,
    parse_sections,
    release_as_commit,
    release_type,
)
from relkit.core.changelog import ChangelogSection
from relkit.core.versions import BumpLevel, Version, parse_loose, parse_version


def commits(*messages: str) -> list[ReleaseCommit]:
    out: list[ReleaseCommit] = []
    for i, message in enumerate(messages):
        out.extend(parse_message(message, sha=f"{i:040x}"))
    return out


@pytest.mark.parametrize(
    ("messages", "level"),
    [
        pytest.param(["chore: x", "docs: y"], BumpLevel.PATCH, id="hidden-still-patch"),
        pytest.param(["fix: x", "feat: y"], BumpLevel.MINOR, id="feat"),
        pytest.param(["feature: y"], BumpLevel.MINOR, id="feature"),
        pytest.param(["fix: x", "chore!: y"], BumpLevel.MAJOR, id="bang"),
        pytest.param(["fix: x\n\nBREAKING CHANGE: z"], BumpLevel.MAJOR, id="footer"),
    ],
)
def test_commit_level(messages: list[str], level: BumpLevel) -> None:
    assert commit_level(commits(*messages)) is level


@pytest.mark.parametrize(
    ("previous", "messages", "options", "expected"),
    [
        pytest.param("1.2.3", ["fix: a"], {}, "1.2.4", id="patch"),
        pytest.param("1.2.3", ["feat: a"], {}, "1.3.0", id="minor"),
        pytest.param("1.2.3", ["feat!: a"], {}, "2.0.0", id="major"),
        pytest.param("0.4.1", ["feat!: a"], {}, "1.0.0", id="pre-major-breaking"),
        pytest.param(
            "0.4.1", ["feat!: a"], {"bump_minor_pre_major": True}, "0.5.0", id="minor-pre-major"
        ),
        pytest.param(
            "0.4.1",
            ["feat: a"],
            {"bump_patch_for_minor_pre_major": True},
            "0.4.2",
            id="patch-pre-major",
        ),
        pytest.param("8.0.0-alpha.1", ["fix: a"], {}, "8.0.1-alpha.1", id="suffix-kept"),
        pytest.param(
            "1.2.3",
            ["fix: b", "fix: a\n\nRelease-As: 3.0.0", "fix: c\n\nRelease-As: 2.0.0"],
            {},
            "3.0.0",
            id="newest-release-as",
        ),
        pytest.param("1.2.3", ["fix: a\n\nRelease-As: soon"], {}, "1.2.4", id="bad-release-as"),
    ],
)
def test_default_versioning(
    previous: str, messages: list[str], options: dict[str, bool], expected: str
) -> None:
    strategy = DefaultVersioning(**options)
    assert str(strategy.next_version(parse_version(previous), commits(*messages))) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("always-bump-patch", "1.2.4", id="patch"),
        pytest.param("always-bump-minor", "1.3.0", id="minor"),
        pytest.param("always-bump-major", "2.0.0", id="major"),
        pytest.param("default", "2.0.0", id="default"),
        pytest.param(None, "2.0.0", id="none"),
    ],
)
def test_build_strategy(name: str | None, expected: str) -> None:
    strategy = build_strategy(name)
    assert str(strategy.next_version(parse_version("1.2.3"), commits("fix!: a"))) == expected


def test_always_bump_honours_release_as() -> None:
    strategy = AlwaysBump(BumpLevel.PATCH)
    assert (
        str(strategy.next_version(Version(1, 0, 0), commits("fix: a\n\nRelease-As: 5.0.0")))
        == "5.0.0"
    )


@pytest.mark.parametrize(
    ("previous", "messages", "expected"),
    [
        pytest.param("1.2.0-beta.01", ["fix: a"], "1.2.0-beta.02", id="patch-counts-up"),
        pytest.param("1.2.0-beta.1", ["feat: a"], "1.2.0-beta.2", id="minor-pending"),
        pytest.param("1.2.1-beta.1", ["feat: a"], "1.3.0-beta.1", id="minor-above-pending"),
        pytest.param("2.0.0-rc.1", ["feat!: a"], "2.0.0-rc.2", id="major-pending"),
        pytest.param("1.2.0-rc.1", ["feat!: a"], "2.0.0-rc.1", id="major-above-pending"),
        pytest.param("1.2.0", ["feat: a"], "1.3.0-beta", id="starts-prerelease"),
        pytest.param("1.2.0", ["fix: a\n\nRelease-As: 1.5.0"], "1.5.0", id="release-as"),
    ],
)
def test_prerelease_versioning(previous: str, messages: list[str], expected: str) -> None:
    strategy = build_strategy("prerelease", prerelease_type="beta")
    assert isinstance(strategy, PrereleaseVersioning)
    assert str(strategy.next_version(parse_loose(previous), commits(*messages))) == expected


def test_release_as_commit_none_without_footer() -> None:
    assert release_as_commit(commits("fix: a")) is None


def test_release_types() -> None:
    assert release_type("python").initial_version == Version(0, 1, 0)
    assert release_type("node").initial_version == Version(1, 0, 0)
    assert release_type("go").name == "go"
    assert release_type("java-yoshi").name == "simple"  # accepted, no version files
    assert release_type(None).name == "simple"
    assert any(
        s.section == "Documentation" and not s.hidden for s in release_type("python").sections
    )


def _shown(name: str) -> list[str]:
    return [s.type for s in release_type(name).sections if not s.hidden]


@pytest.mark.parametrize(
    ("name", "initial", "shown"),
    [
        pytest.param("go", "1.0.0", ["feat", "feature", "fix", "perf", "revert"], id="go"),
        pytest.param("rust", "1.0.0", ["feat", "feature", "fix", "perf", "revert"], id="rust"),
        pytest.param("ruby", "1.0.0", ["feat", "feature", "fix", "perf", "revert"], id="ruby"),
        pytest.param("dart", "1.0.0", ["feat", "feature", "fix", "perf", "revert"], id="dart"),
        pytest.param("elixir", "1.0.0", ["feat", "feature", "fix", "perf", "revert"], id="elixir"),
        pytest.param("bazel", "1.0.0", ["feat", "feature", "fix", "perf", "revert"], id="bazel"),
        # php's preset shows chores and hides docs
        pytest.param("php", "1.0.0", ["feat", "fix", "perf", "revert", "chore"], id="php"),
        # julia and r: 0.1.0 and python's preset (deps and docs shown)
        pytest.param(
            "julia", "0.1.0", ["feat", "fix", "perf", "deps", "revert", "docs"], id="julia"
        ),
        pytest.param("r", "0.1.0", ["feat", "fix", "perf", "deps", "revert", "docs"], id="r"),
    ],
)
def test_release_type_presets_follow_release_please(
    name: str, initial: str, shown: list[str]
) -> None:
    assert str(release_type(name).initial_version) == initial
    assert _shown(name) == shown


def test_parse_sections() -> None:
    raw = [
        {"type": "feat", "section": "New"},
        {"type": "chore", "hidden": True},
        {"type": "fix", "section": "Deps", "scope": "deps"},
        "junk",
    ]
    assert parse_sections(raw) == (
        ChangelogSection("feat", "New"),
        ChangelogSection("chore", "chore", hidden=True),
        ChangelogSection("fix", "Deps", scope="deps"),
    )
    assert parse_sections(None) is None


def _release(messages: list[str], previous: str | None = "1.2.3", **kw: object):  # type: ignore[no-untyped-def]
    options: dict[str, object] = {
        "previous": parse_version(previous) if previous else None,
        "previous_tag": f"v{previous}" if previous else None,
        "strategy": DefaultVersioning(),
        "initial_version": Version(1, 0, 0),
        "sections": release_type("node").sections,
        "tag_format": TagFormat(),
        "date": "2026-01-02",
        "owner": "o",
        "repository": "r",
    }
    options.update(kw)
    return compute_release(commits(*messages), **options)  # type: ignore[arg-type]


def test_compute_release_section_and_version() -> None:
    outcome = _release(["feat: a (#3)", "chore: b"])
    assert outcome is not None
    assert str(outcome.version) == "1.3.0"
    assert outcome.changelog_entry.startswith(
        "## [1.3.0](https://github.com/o/r/compare/v1.2.3...v1.3.0) (2026-01-02)"
    )


def test_no_user_facing_commits_means_no_release() -> None:
    assert _release(["chore: a", "docs: b"]) is None
    assert _release([]) is None
    kept = _release(["chore: a"], skip_empty=False)
    assert kept is not None
    assert str(kept.version) == "1.2.4"


def test_first_release_uses_the_initial_version() -> None:
    outcome = _release(["fix: a"], previous=None)
    assert outcome is not None
    assert str(outcome.version) == "1.0.0"
    assert outcome.changelog_entry.startswith("## 1.0.0 (2026-01-02)")


def test_release_as_option_wins_and_bad_values_are_ignored() -> None:
    assert next_version(
        commits("fix: a\n\nRelease-As: 4.0.0"),
        previous=Version(1, 0, 0),
        strategy=DefaultVersioning(),
        initial_version=Version(1, 0, 0),
        release_as="3.0.0",
    ) == Version(3, 0, 0)
    assert next_version(
        commits("fix: a"),
        previous=Version(1, 0, 0),
        strategy=DefaultVersioning(),
        initial_version=Version(1, 0, 0),
        release_as="later",
    ) == Version(1, 0, 1)


def test_prerelease_false_graduates() -> None:
    assert next_version(
        commits("fix: a"),
        previous=parse_version("2.0.0-rc.3"),
        strategy=build_strategy("prerelease", prerelease_type="rc"),
        initial_version=Version(1, 0, 0),
        prerelease=False,
    ) == Version(2, 0, 0)


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        pytest.param(TagFormat(), "v1.2.3", id="default"),
        pytest.param(TagFormat(include_v=False), "1.2.3", id="no-v"),
        pytest.param(TagFormat("pkg-a"), "pkg-a-v1.2.3", id="component"),
        pytest.param(TagFormat("pkg", include_v=False, separator="@"), "pkg@1.2.3", id="separator"),
    ],
)
def test_tag_format(fmt: TagFormat, expected: str) -> None:
    assert fmt.tag(Version(1, 2, 3)) == expected


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        pytest.param("add thing", "Add thing", id="lower"),
        pytest.param("Add thing", "Add thing", id="already"),
        pytest.param("gRPC support", "gRPC support", id="special-word"),
        pytest.param("npm publish", "npm publish", id="npm"),
        pytest.param("`code` first", "`code` first", id="backtick"),
        pytest.param("éclair", "éclair", id="non-ascii"),
        pytest.param("", "", id="empty"),
    ],
)
def test_sentence_case_plugin(subject: str, expected: str) -> None:
    (commit,) = sentence_case(commits(f"fix: {subject}" if subject else "fix: "))
    assert commit.subject == expected


def test_versioning_strategies_are_one_registry() -> None:
    from release_pr.strategies import STRATEGIES, STRATEGY_NAMES, StrategyOptions  # noqa: PLC0415

    assert tuple(STRATEGIES) == STRATEGY_NAMES
    options = StrategyOptions(prerelease_type="beta")
    built = {name: make(options) for name, make in STRATEGIES.items()}
    assert built["always-bump-minor"] == AlwaysBump(BumpLevel.MINOR)
    assert built["prerelease"] == PrereleaseVersioning("beta")
    assert build_strategy("no-such-strategy") == DefaultVersioning()
