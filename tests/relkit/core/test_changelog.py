"""release-please's changelog section format and the CHANGELOG.md update."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from relkit.core import changelog
from relkit.core.changelog import (
    DEFAULT_SECTIONS,
    ChangelogCommit,
    ChangelogContext,
    ChangelogSection,
    IssueReference,
    html_escape,
    render_section,
    update_changelog,
)

SHA = "0123456789abcdef0123456789abcdef01234567"
URL = "https://github.com/o/r"
CTX = ChangelogContext(
    version="1.3.0",
    date="2026-07-28",
    owner="o",
    repository="r",
    previous_tag="v1.2.3",
    current_tag="v1.3.0",
    reference_word="closes",
)


def commit(type_: str, subject: str, **kw: object) -> ChangelogCommit:
    return ChangelogCommit(hash=kw.pop("hash", SHA), type=type_, subject=subject, **kw)  # type: ignore[arg-type]


def test_full_section_matches_release_please_layout() -> None:
    commits = [
        commit("fix", "handle nulls (#7)", scope="core"),
        commit("feat", "add thing", references=(IssueReference("34"),)),
        commit(
            "feat",
            "drop node 12",
            scope="api",
            header="feat(api)!: drop node 12",
            breaking_notes=("node 12 is gone (#9)",),
        ),
        commit("chore", "bump deps"),
    ]
    assert render_section(commits, CTX) == (
        f"## [1.3.0]({URL}/compare/v1.2.3...v1.3.0) (2026-07-28)\n"
        "\n\n"
        "### ⚠ BREAKING CHANGES\n\n"
        f"* **api:** node 12 is gone ([#9]({URL}/issues/9))\n"
        "\n"
        "### Features\n\n"
        f"* add thing ([0123456]({URL}/commit/{SHA})), closes [#34]({URL}/issues/34)\n"
        f"* **api:** drop node 12 ([0123456]({URL}/commit/{SHA}))\n"
        "\n\n"
        "### Bug Fixes\n\n"
        f"* **core:** handle nulls ([#7]({URL}/issues/7)) ([0123456]({URL}/commit/{SHA}))"
    )


def test_heading_without_previous_tag_has_no_compare_link() -> None:
    ctx = ChangelogContext(version="1.0.0", date="2026-01-02", title="Codename")
    out = render_section([commit("feat", "x", hash="")], ctx)
    assert out.splitlines()[0] == '## 1.0.0 "Codename" (2026-01-02)'
    assert out.splitlines()[-1] == "* x"  # no hash, no commit link


def test_only_hidden_commits_leave_the_heading_alone() -> None:
    out = render_section([commit("docs", "readme"), commit("Signed-off-by", "A <a@b>")], CTX)
    assert out == f"## [1.3.0]({URL}/compare/v1.2.3...v1.3.0) (2026-07-28)"


def test_breaking_change_of_a_hidden_type_shows_in_its_section_too() -> None:
    out = render_section(
        [commit("build", "require node 20", header="build!: require node 20")], CTX
    )
    assert "### ⚠ BREAKING CHANGES\n\n* require node 20\n" in out
    assert "### Build System\n\n* require node 20" in out


def test_breaking_change_of_an_unknown_type_ranks_first() -> None:
    out = render_section([commit("fix", "a"), commit("deps", "b", breaking_notes=("b",))], CTX)
    assert out.index("### deps") < out.index("### Bug Fixes")


def test_release_as_commit_is_listed_even_when_hidden() -> None:
    out = render_section([commit("chore", "release 2.0.0", release_as="2.0.0")], CTX)
    assert "### Miscellaneous Chores\n\n* release 2.0.0" in out
    hidden = render_section([commit("chore", "x", release_as="not a version")], CTX)
    assert "###" not in hidden


def test_scope_star_is_dropped_and_empty_subject_uses_header() -> None:
    out = render_section(
        [commit("fix", "everything", scope="*"), commit("fix", "", header="fix: ")], CTX
    )
    assert "* everything (" in out
    assert "* fix:  (" in out


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        pytest.param(
            "thanks @octo-cat", "thanks [@octo-cat](https://github.com/octo-cat)", id="user"
        ),
        pytest.param("ping @org/team", "ping @org/team", id="team-not-linked"),
        pytest.param("mail a@b.c", "mail a@b.c", id="email-not-linked"),
        pytest.param("Github#getFile", "Github#getFile", id="hash-word-not-linked"),
        pytest.param(
            "fix (#1) (#2)", f"fix ([#1]({URL}/issues/1)) ([#2]({URL}/issues/2))", id="issues"
        ),
    ],
)
def test_subject_links(subject: str, expected: str) -> None:
    out = render_section([commit("fix", subject, hash="")], CTX)
    assert out.endswith(f"* {expected}")


def test_footer_references_already_in_the_subject_are_not_repeated() -> None:
    refs = (IssueReference("5"), IssueReference("6", owner="x", repository="y"))
    out = render_section([commit("fix", "a (#5)", hash="", references=refs)], CTX)
    assert out.endswith(
        f"* a ([#5]({URL}/issues/5)), closes [x/y#6](https://github.com/x/y/issues/6)"
    )


def test_reference_word_defaults_to_the_newer_refs() -> None:
    ctx = ChangelogContext(version="1.0.0", date="d", owner="o", repository="r")
    out = render_section([commit("fix", "a", hash="", references=(IssueReference("3"),))], ctx)
    assert out.endswith(f"* a, refs [#3]({URL}/issues/3)")


def test_bullets_sort_by_scope_or_subject_case_insensitively() -> None:
    subjects = [("b", None), ("Add x", None), ("add y", None), ("z", "core"), ("1st", None)]
    out = render_section([commit("fix", s, scope=sc, hash="") for s, sc in subjects], CTX)
    bullets = [line for line in out.splitlines() if line.startswith("* ")]
    assert bullets == ["* 1st", "* Add x", "* add y", "* b", "* **core:** z"]


def test_bullets_sort_non_ascii_subjects_case_insensitively_after_ascii_letters() -> None:
    # an approximation of ICU: accented letters sort by code point, after z
    subjects = ["Über", "über", "eclair", "Éclair", "é", "Zeta", "2nd", "(x)"]
    out = render_section([commit("fix", s, hash="") for s in subjects], CTX)
    bullets = [line[2:] for line in out.splitlines() if line.startswith("* ")]
    assert bullets == ["(x)", "2nd", "eclair", "Zeta", "é", "Éclair", "über", "Über"]


def _reference_locale_key(text: str) -> tuple[str, str]:
    """The per-character definition the ASCII translate tables must agree with."""
    primary = "".join(
        ("2" + ch.lower()) if ch.isalpha() else ("1" + ch) if ch.isdigit() else ("0" + ch)
        for ch in text
    )
    return primary, "".join("1" if ch.isupper() else "0" for ch in text)


@given(st.text(max_size=40) | st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_locale_key_fast_path_matches_the_per_character_key(text: str) -> None:
    assert changelog._locale_key(text) == _reference_locale_key(text)


def test_custom_sections_with_scope_and_order() -> None:
    sections = (
        ChangelogSection("fix", "Dependencies", scope="deps"),
        ChangelogSection("fix", "Fixes"),
        ChangelogSection("docs", "Docs"),
    )
    ctx = ChangelogContext(version="1.0.0", date="d", sections=sections)
    out = render_section(
        [
            commit("docs", "a", hash=""),
            commit("fix", "b", scope="deps", hash=""),
            commit("fix", "c", hash=""),
            commit("feat", "hidden now", hash=""),
        ],
        ctx,
    )
    assert [line for line in out.splitlines() if line.startswith("###")] == [
        "### Dependencies",
        "### Fixes",
        "### Docs",
    ]
    assert "hidden now" not in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("a <b> c", "a &lt;b&gt; c", id="escaped"),
        pytest.param("x >= 1, < 2", "x &gt;= 1, &lt; 2", id="all"),
        pytest.param("keep `<T>` code", "keep `<T>` code", id="code-span"),
        pytest.param("`a` <b> ``c<d``", "`a` &lt;b&gt; ``c<d``", id="mixed"),
    ],
)
def test_html_escape(text: str, expected: str) -> None:
    assert html_escape(text) == expected


ENTRY = "## [1.1.0](x) (2026-01-01)\n\n\n### Features\n\n* new"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param("", f"# Changelog\n\n{ENTRY}\n", id="new-file"),
        pytest.param(
            "# Changelog\n\n## [1.0.0](y) (2025-01-01)\n\n* old\n",
            f"# Changelog\n\n{ENTRY}\n\n## [1.0.0](y) (2025-01-01)\n\n* old\n",
            id="above-previous",
        ),
        pytest.param(
            "# Changelog\n\n### 1.0.1 (2025)\n\n* fix\n",
            f"# Changelog\n\n{ENTRY}\n\n### 1.0.1 (2025)\n\n* fix\n",
            id="h3-patch-heading",
        ),
        pytest.param(
            "# Changelog\n\nAll notable changes.\n",
            f"# Changelog\n\nAll notable changes.\n\n{ENTRY}\n",
            id="title-only",
        ),
    ],
)
def test_update_changelog(content: str, expected: str) -> None:
    assert update_changelog(content, ENTRY) == expected


def test_default_sections_order() -> None:
    visible = [s.section for s in DEFAULT_SECTIONS if not s.hidden]
    assert visible == ["Features", "Features", "Bug Fixes", "Performance Improvements", "Reverts"]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["feat", "fix", "docs", "perf", "weird", "Feat"]),
            st.one_of(st.none(), st.sampled_from(["api", "*", "core"])),
            st.text(max_size=30),
            st.booleans(),
        ),
        max_size=8,
    )
)
def test_render_section_never_raises_and_starts_with_the_heading(
    items: list[tuple[str, str | None, str, bool]],
) -> None:
    commits = [
        ChangelogCommit(
            hash=SHA,
            type=t,
            scope=scope,
            subject=subject,
            header=f"{t}: {subject}",
            breaking_notes=(subject,) if breaking else (),
        )
        for t, scope, subject, breaking in items
    ]
    out = render_section(commits, CTX)
    assert out.startswith("## [1.3.0](")
    assert out == out.strip()
