"""The release plan over real git repositories, and the PR body round trip."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from release_pr import history
from release_pr.config import PackageConfig, load_config, parse_config, single_package_config
from release_pr.plan import (
    branch_name,
    component_from_branch,
    github_prerelease,
    package_for_release,
    parse_release_pr_body,
    parse_repo_url,
    plan_release,
    pull_request_title,
    release_name,
    release_tag,
)
from relkit.core.versions import Version, parse_version

Repo = Any  # the `repo` fixture of conftest.py: a git repository in tmp_path

NOW = datetime(2026, 7, 28, 12, 0, tzinfo=UTC)
URL = "https://github.com/o/r"


def plan(repo: Repo, config=None, **kw):  # type: ignore[no-untyped-def]
    config = config or load_config(repo.path, inputs={"release-type": "simple"})
    return plan_release(repo.path, config, target_branch="main", now=NOW, repo_url=URL, **kw)


def test_single_package_simple_release(repo: Repo) -> None:
    repo.commit(
        "chore: init",
        {
            "version.txt": "1.2.3\n",
            "CHANGELOG.md": "# Changelog\n\n## 1.2.3 (2026-01-01)\n\n* old\n",
        },
    )
    repo.tag("v1.2.3")
    feat = repo.commit("feat(api): add <thing> (#12)\n\nCloses #34")
    repo.commit("docs: readme")
    result = plan(repo)
    (package,) = result.packages
    assert package.previous_version == Version(1, 2, 3)
    assert package.version == Version(1, 3, 0)
    assert package.previous_tag == "v1.2.3"
    assert package.tag == "v1.3.0"
    assert package.component is None
    assert package.changelog_path == "CHANGELOG.md"
    assert package.changelog_entry == (
        f"## [1.3.0]({URL}/compare/v1.2.3...v1.3.0) (2026-07-28)\n\n\n### Features\n\n"
        f"* **api:** add &lt;thing&gt; ([#12]({URL}/issues/12)) ([{feat[:7]}]({URL}/commit/{feat}))"
        f", refs [#34]({URL}/issues/34)"
    )
    files = dict(result.file_updates)
    assert files["version.txt"] == "1.3.0\n"
    assert files["CHANGELOG.md"].startswith(f"# Changelog\n\n{package.changelog_entry}\n\n## 1.2.3")
    (pr,) = result.pull_requests
    assert pr.branch == "release-please--branches--main"
    assert pr.title == "chore(main): release 1.3.0"
    assert pr.file_updates == result.file_updates
    assert pr.body.startswith(":robot: I have created a release *beep* *boop*\n---\n\n\n## [1.3.0]")
    assert parse_release_pr_body(pr.body)[0].version == Version(1, 3, 0)


def test_nothing_user_facing_means_no_plan(repo: Repo) -> None:
    repo.commit("feat: first")
    repo.tag("v1.0.0")
    repo.commit("chore: tidy")
    result = plan(repo)
    assert result.packages == ()
    assert result.pull_requests == ()
    assert result.file_updates == ()


def test_empty_repository_has_nothing_to_release(repo: Repo) -> None:
    assert plan(repo).packages == ()
    # tags read ahead are not waited for when there is no commit (their git walk failed)
    pending = history.start_reachable_tags(repo.path)
    assert plan(repo, tags=pending).packages == ()
    pending.close()


def test_tags_read_ahead_give_the_same_plan(repo: Repo) -> None:
    repo.commit("feat: one")
    repo.tag("v1.0.0")
    repo.commit("fix: two")
    asked: list[str] = []

    def tags() -> list[history.Tag]:
        asked.append("tags")
        return history.reachable_tags(repo.path)

    ahead = plan(repo, tags=tags)
    assert asked == ["tags"]
    assert ahead == plan(repo)
    assert ahead.packages[0].previous_tag == "v1.0.0"


def test_first_release_of_a_python_package(repo: Repo) -> None:
    repo.commit(
        "fix: first",
        {
            "pyproject.toml": '[project]\nname = "demo-pkg"\nversion = "0.0.0"\n',
            "src/demo_pkg/__init__.py": '__version__ = "0.0.0"\n',
        },
    )
    config = single_package_config({"release-type": "python", "package-name": "demo-pkg"})
    result = plan(repo, config)
    (package,) = result.packages
    assert package.version == Version(0, 1, 0)
    assert package.previous_tag is None
    assert package.changelog_entry.startswith("## 0.1.0 (2026-07-28)")
    files = dict(result.file_updates)
    assert files["pyproject.toml"] == '[project]\nname = "demo-pkg"\nversion = "0.1.0"\n'
    assert files["src/demo_pkg/__init__.py"] == '__version__ = "0.1.0"\n'
    assert files["CHANGELOG.md"].startswith("# Changelog\n\n## 0.1.0")
    assert "setup.py" not in files


def test_maintenance_branch_uses_the_newest_reachable_release(repo: Repo) -> None:
    repo.commit("feat: one")
    repo.tag("v1.0.0")
    repo.git("checkout", "-q", "-b", "1.x")
    repo.git("checkout", "-q", "main")
    repo.commit("feat!: two")
    repo.tag("v2.0.0")
    repo.git("checkout", "-q", "1.x")
    repo.commit("fix: backport")
    result = plan_release(
        repo.path,
        single_package_config({"release-type": "simple"}),
        target_branch="1.x",
        now=NOW,
        repo_url=URL,
    )
    (package,) = result.packages
    assert (package.previous_tag, str(package.version)) == ("v1.0.0", "1.0.1")
    assert result.pull_requests[0].branch == "release-please--branches--1.x"
    assert result.pull_requests[0].title == "chore(1.x): release 1.0.1"


MONOREPO = {
    "release-type": "simple",
    "packages": {
        "packages/a": {"component": "pkg-a", "extra-files": ["action.yml"]},
        "packages/b": {"component": "pkg-b", "exclude-paths": ["docs"]},
    },
}


def monorepo(repo: Repo, **extra: object) -> None:
    repo.commit(
        "chore: init",
        {
            "release-please-config.json": json.dumps({**MONOREPO, **extra}),
            ".release-please-manifest.json": '{"packages/a": "1.0.0", "packages/b": "2.0.0"}\n',
            "packages/a/action.yml": "runs:\n  using: docker\n  image: docker://ghcr.io/o/a:1.0.0\n",
            "packages/b/x.txt": "b",
        },
    )
    repo.tag("pkg-a-v1.0.0")
    repo.tag("pkg-b-v2.0.0")


def test_monorepo_releases_only_touched_packages(repo: Repo) -> None:
    monorepo(repo)
    repo.commit("feat(a): new", {"packages/a/src.txt": "1"})
    repo.commit("fix(b): docs only", {"packages/b/docs/readme.md": "1"})
    repo.commit("fix: top-level only", {"README.md": "1"})
    result = plan(repo, load_config(repo.path))
    (package,) = result.packages
    assert (package.component, package.tag) == ("pkg-a", "pkg-a-v1.1.0")
    assert package.changelog_path == "packages/a/CHANGELOG.md"
    files = dict(result.file_updates)
    assert files["packages/a/version.txt"] == "1.1.0\n"
    assert "image: docker://ghcr.io/o/a:1.1.0" in files["packages/a/action.yml"]
    assert json.loads(files[".release-please-manifest.json"]) == {
        "packages/a": "1.1.0",
        "packages/b": "2.0.0",
    }
    (pr,) = result.pull_requests
    assert pr.title == "chore(main): release pkg-a 1.1.0"
    assert "<details>" not in pr.body  # one package: release-please's plain body
    (released,) = parse_release_pr_body(pr.body)
    assert (released.component, released.version) == (None, Version(1, 1, 0))


def test_monorepo_grouped_and_separate_pull_requests(repo: Repo) -> None:
    monorepo(repo)
    repo.commit("feat: both", {"packages/a/1": "1", "packages/b/1": "1"})
    grouped = plan(repo, load_config(repo.path))
    assert [p.version for p in grouped.packages] == [Version(1, 1, 0), Version(2, 1, 0)]
    (pr,) = grouped.pull_requests
    assert pr.title == "chore: release main"
    assert [(r.component, str(r.version)) for r in parse_release_pr_body(pr.body)] == [
        ("pkg-a", "1.1.0"),
        ("pkg-b", "2.1.0"),
    ]
    config = parse_config(
        json.dumps({**MONOREPO, "separate-pull-requests": True}),
        '{"packages/a": "1.0.0", "packages/b": "2.0.0"}',
    )
    separate = plan(repo, config)
    assert [pr.branch for pr in separate.pull_requests] == [
        "release-please--branches--main--components--pkg-a",
        "release-please--branches--main--components--pkg-b",
    ]
    assert [pr.title for pr in separate.pull_requests] == [
        "chore(main): release pkg-a 1.1.0",
        "chore(main): release pkg-b 2.1.0",
    ]
    assert {p for p, _ in separate.pull_requests[0].file_updates} == {
        "packages/a/CHANGELOG.md",
        "packages/a/version.txt",
        "packages/a/action.yml",
        ".release-please-manifest.json",
    }


def test_manifest_version_without_a_tag_starts_from_bootstrap(repo: Repo) -> None:
    first = repo.commit("feat: before bootstrap")
    repo.commit(
        "fix: after",
        {
            "release-please-config.json": json.dumps(
                {"bootstrap-sha": first, "packages": {".": {}}}
            ),
            ".release-please-manifest.json": '{".": "0.3.0"}',
        },
    )
    (package,) = plan(repo, load_config(repo.path)).packages
    assert (package.previous_tag, str(package.version)) == ("v0.3.0", "0.3.1")
    assert "before bootstrap" not in package.changelog_entry


def test_release_as_and_custom_title(repo: Repo) -> None:
    repo.commit("fix: a")
    repo.tag("v1.0.0")
    repo.commit("fix: b")
    config = single_package_config(
        {
            "release-type": "simple",
            "release-as": "3.0.0",
            "pull-request-title-pattern": "release: ${version}",
        }
    )
    result = plan(repo, config)
    assert result.packages[0].version == Version(3, 0, 0)
    assert result.pull_requests[0].title == "release: 3.0.0"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("https://github.com/o/r.git", ("https://github.com", "o", "r"), id="https"),
        pytest.param("git@github.com:o/r.git", ("https://github.com", "o", "r"), id="ssh"),
        pytest.param("ssh://git@ghe.example/o/r", ("https://ghe.example", "o", "r"), id="ssh-url"),
        pytest.param(
            "http://x-token@ghe.example/g/o/r/", ("http://ghe.example", "g/o", "r"), id="nested"
        ),
        pytest.param("/local/path", ("https://github.com", "", ""), id="local"),
    ],
)
def test_parse_repo_url(url: str, expected: tuple[str, str, str]) -> None:
    assert parse_repo_url(url) == expected


def test_titles_and_branches() -> None:
    assert branch_name("main", "x") == "release-please--branches--main--components--x"
    assert component_from_branch(branch_name("main", "x")) == "x"
    assert component_from_branch(branch_name("main")) is None
    assert pull_request_title(None, "main", None, "1.0.0") == "chore(main): release 1.0.0"
    assert pull_request_title("v${version} on ${branch}", "dev", "c", "2.0.0") == "v2.0.0 on dev"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param("no notes at all", [], id="nothing"),
        pytest.param(
            "head\n---\n\n\n### 1.0.1 (2026-01-01)\n\n* fix\n\n---\nfoot",
            [(None, "1.0.1")],
            id="plain",
        ),
        pytest.param(
            "<details><summary>bad: x.y</summary>\n\nn\n</details>"
            "<details open><summary>2.0.0</summary>\n\n## 2.0.0\n</details>",
            [(None, "2.0.0")],
            id="details-without-component",
        ),
    ],
)
def test_parse_release_pr_body(body: str, expected: list[tuple[str | None, str]]) -> None:
    assert [(r.component, str(r.version)) for r in parse_release_pr_body(body)] == expected


def test_tags_are_found_when_committer_dates_go_backwards(repo: Repo) -> None:
    repo.commit("feat: released in the future", date="2030-01-01T00:00:00+00:00")
    repo.tag("v1.0.0")
    for i in range(3):
        repo.commit(f"fix: later work {i}", date="2020-01-01T00:00:00+00:00")
    (package,) = plan(repo).packages
    assert (package.previous_tag, str(package.version)) == ("v1.0.0", "1.0.1")


def test_relkit_plugins_in_the_plan(repo: Repo) -> None:
    config = {"release-type": "simple", "plugins": ["gitmoji", {"type": "conventional-changelog"}]}
    repo.commit(
        "chore: init",
        {
            "release-please-config.json": json.dumps(config),
            ".release-please-manifest.json": '{".": "1.0.0"}',
        },
    )
    repo.tag("v1.0.0")
    repo.commit(":sparkles: Add publish command\n\nThanks for #7")
    (package,) = plan(repo, load_config(repo.path)).packages
    assert str(package.version) == "1.1.0"
    assert "* Add publish command ([" in package.changelog_entry
    assert package.changelog_entry.rstrip().endswith(
        ", closes [#7](https://github.com/o/r/issues/7)"
    )


def test_package_options_in_the_plan(repo: Repo) -> None:
    repo.commit(
        "feat: init",
        {
            "release-please-config.json": json.dumps(
                {
                    "release-type": "python",
                    "plugins": ["sentence-case"],
                    "packages": {
                        ".": {
                            "package-name": "tool",
                            "skip-changelog": True,
                            "draft": True,
                            "skip-github-release": True,
                            "extra-files": [
                                "/VERSION",
                                {"type": "yaml", "path": "chart.yaml", "jsonpath": "$.v"},
                            ],
                        }
                    },
                }
            ),
            ".release-please-manifest.json": '{".": "not-a-version", "other": "1.0.0"}',
            "VERSION": "0.0.0 # x-release-please-version\n",
            "chart.yaml": "v: 0.0.0\n",
            "tool/version.py": '__version__ = "0.0.0"\n',
        },
    )
    repo.tag("v0.9.0")
    repo.tag("tool-v5.0.0")  # another tag shape: ignored
    repo.tag("v0.10.0-rc.1")
    repo.commit("fix: a")
    result = plan(repo, load_config(repo.path))
    (package,) = result.packages
    assert (package.previous_tag, str(package.version)) == ("v0.10.0-rc.1", "0.10.1-rc.1")
    # no `prerelease` option: release-please makes even a -rc version a normal GitHub Release
    assert (package.draft, package.skip_github_release, package.prerelease) == (True, True, False)
    files = dict(result.file_updates)
    assert "CHANGELOG.md" not in files
    assert files["VERSION"] == "0.10.1-rc.1 # x-release-please-version\n"
    assert files["chart.yaml"] == "v: 0.10.1-rc.1\n"
    assert files["tool/version.py"] == '__version__ = "0.10.1rc1"\n'
    assert "* A ([" in package.changelog_entry  # the sentence-case plugin
    assert json.loads(files[".release-please-manifest.json"]) == {
        ".": "0.10.1-rc.1",
        "other": "1.0.0",
    }


def test_broken_manifest_file_is_rewritten(repo: Repo) -> None:
    repo.commit(
        "fix: a",
        {"release-please-config.json": "{}", ".release-please-manifest.json": "{"},
    )
    with pytest.raises(Exception, match="not valid JSON"):
        plan(repo, load_config(repo.path))
    config = parse_config("{}", None)
    result = plan(repo, config)
    assert json.loads(dict(result.file_updates)[".release-please-manifest.json"]) == {".": "1.0.0"}


def test_mapping_a_merged_release_back_to_packages() -> None:
    config = parse_config(json.dumps(MONOREPO), "{}")
    a, b = config.packages
    released_a = parse_release_pr_body(
        "x\n---\n\n\n<details><summary>pkg-a: 1.1.0</summary>\n\n## 1.1.0\n</details>\n\n---\ny"
    )[0]
    assert package_for_release(config, released_a) == a
    plain = parse_release_pr_body("x\n---\n\n\n## [2.1.0](l) (d)\n\n---\ny")[0]
    assert package_for_release(config, plain, branch_name("main", "pkg-b")) == b
    assert package_for_release(config, plain) is None
    assert package_for_release(config, released_a.__class__("nope", Version(1, 0, 0), "")) is None
    single = single_package_config({"release-type": "node"})
    assert package_for_release(single, plain) == single.packages[0]
    assert release_tag(a, Version(1, 1, 0)) == "pkg-a-v1.1.0"
    assert release_name(a, Version(1, 1, 0)) == "pkg-a: v1.1.0"
    assert release_tag(single.packages[0], Version(2, 1, 0)) == "v2.1.0"
    assert release_name(single.packages[0], Version(2, 1, 0)) == "v2.1.0"


def test_a_shallow_clone_is_warned_about(
    repo: Repo, tmp_path_factory: pytest.TempPathFactory
) -> None:
    repo.commit("feat: one")
    repo.tag("v1.0.0")
    repo.commit("fix: two")
    repo.commit("fix: three")
    clone = tmp_path_factory.mktemp("clone")
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone))
    result = plan_release(
        clone,
        single_package_config({"release-type": "simple"}),
        target_branch="main",
        now=NOW,
        repo_url=URL,
    )
    assert any("fetch-depth: 0" in w for w in result.warnings)
    assert plan(repo).warnings == ()


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("chore(main): release 1.1.0 (#42)", id="single-title"),
        pytest.param("chore: release main (#42)", id="group-title"),
    ],
)
def test_a_merged_but_untagged_release_pr_is_not_released_twice(repo: Repo, header: str) -> None:
    repo.commit(
        "chore: init",
        {
            "release-please-config.json": '{"packages": {".": {}}}',
            ".release-please-manifest.json": '{".": "1.0.0"}',
        },
    )
    repo.tag("v1.0.0")
    repo.commit("feat: shipped in 1.1.0")
    repo.commit(header, {".release-please-manifest.json": '{".": "1.1.0"}'})
    assert plan(repo, load_config(repo.path)).packages == ()  # waiting for the tag
    repo.commit("fix: after the release")
    (package,) = plan(repo, load_config(repo.path)).packages
    assert (package.previous_tag, str(package.version)) == ("v1.1.0", "1.1.1")
    assert "shipped in 1.1.0" not in package.changelog_entry


def test_manifest_ahead_of_tags_without_a_release_commit_uses_the_tag(repo: Repo) -> None:
    repo.commit(
        "feat: a",
        {
            "release-please-config.json": '{"packages": {".": {}}}',
            ".release-please-manifest.json": '{".": "3.0.0"}',
        },
    )
    repo.tag("v1.0.0")
    repo.commit("fix: b")
    (package,) = plan(repo, load_config(repo.path)).packages
    assert (package.previous_tag, str(package.version)) == ("v1.0.0", "1.0.1")


@pytest.mark.parametrize(
    ("option", "version", "expected"),
    [
        pytest.param(None, "1.3.0-rc.1", False, id="suffix-without-option"),
        pytest.param(False, "1.3.0-rc.1", False, id="option-false"),
        pytest.param(True, "1.3.0-rc.1", True, id="option-and-suffix"),
        pytest.param(True, "0.4.0", True, id="option-pre-major"),
        pytest.param(True, "1.3.0", False, id="option-stable-major"),
        pytest.param(None, "0.4.0", False, id="pre-major-without-option"),
    ],
)
def test_github_prerelease_follows_release_please(
    option: bool | None, version: str, expected: bool
) -> None:
    package = PackageConfig(prerelease=option)
    assert github_prerelease(package, parse_version(version)) is expected


def test_changelog_type_github_takes_the_notes_github_generates(repo: Repo) -> None:
    config = {"release-type": "simple", "changelog-type": "github"}
    repo.commit(
        "chore: init",
        {
            "release-please-config.json": json.dumps(config),
            ".release-please-manifest.json": '{".": "1.0.0"}',
        },
    )
    repo.tag("v1.0.0")
    repo.commit("fix: a")
    asked: list[tuple[str, str, str | None]] = []

    def notes(tag: str, target: str, previous: str | None) -> str:
        asked.append((tag, target, previous))
        return "## What's Changed\n* fix: a by @octocat in #3\n"

    result = plan(repo, load_config(repo.path), release_notes=notes)
    (package,) = result.packages
    assert asked == [("v1.0.1", "main", "v1.0.0")]
    assert package.changelog_entry == (
        "## 1.0.1 (2026-07-28)\n\n## What's Changed\n* fix: a by @octocat in #3"
    )
    assert package.changelog_entry in dict(result.file_updates)["CHANGELOG.md"]
    assert result.warnings == ()

    dry = plan(repo, load_config(repo.path))  # no GitHub: relkit's notes, and a warning
    assert dry.packages[0].changelog_entry.startswith("## [1.0.1](https://github.com/o/r/compare")
    assert dry.warnings == (
        "package '.': changelog-type github: GitHub writes the notes in a live run;"
        " this dry run shows relkit's",
    )
