"""extra-files of type xml (absolute xpath) and pom, and glob paths."""

from __future__ import annotations

import json

import pytest
from gitrepo import GitRepo
from release_pr.config import load_config
from release_pr.plan import plan_release
from release_pr.updaters.extra_files import update_extra_file
from release_pr.updaters.maven import update_xml
from release_pr.version_files import glob_pattern
from relkit.core.versions import Version
from relkit.errors import ConfigError

V = Version(2, 0, 0)
NOW = __import__("datetime").datetime(2026, 7, 28, tzinfo=__import__("datetime").UTC)


@pytest.mark.parametrize(
    ("content", "xpath", "expected"),
    [
        pytest.param(
            "<a>\n  <!-- <version>x</version> -->\n  <version>1.0.0</version>\n</a>\n",
            "/a/version",
            "<a>\n  <!-- <version>x</version> -->\n  <version>2.0.0</version>\n</a>\n",
            id="comment-kept",
        ),
        pytest.param(
            '<m:a xmlns:m="urn:x"><m:b><m:v>1</m:v></m:b><m:b><m:v>1</m:v></m:b></m:a>',
            "/a/b/v",
            '<m:a xmlns:m="urn:x"><m:b><m:v>2.0.0</m:v></m:b><m:b><m:v>2.0.0</m:v></m:b></m:a>',
            id="namespaces-every-match",
        ),
        pytest.param(
            "<Project><PropertyGroup><Version>1.0</Version></PropertyGroup></Project>",
            "/Project/PropertyGroup/Version",
            "<Project><PropertyGroup><Version>2.0.0</Version></PropertyGroup></Project>",
            id="csproj",
        ),
    ],
)
def test_xml_extra_file(content: str, xpath: str, expected: str) -> None:
    assert update_extra_file(content, V, "xml", None, xpath) == expected


@pytest.mark.parametrize(
    ("xpath", "message"),
    [
        pytest.param("//version", "not supported", id="descendant"),
        pytest.param("/a/@version", "not supported", id="attribute"),
        pytest.param("/a/missing", "matches no element", id="no-match"),
    ],
)
def test_xml_xpath_errors_name_the_value(xpath: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        update_xml("<a><version>1</version></a>", V, xpath)


def test_pom_extra_file_sets_the_project_version_and_markers() -> None:
    pom = (
        "<project>\n  <parent><version>9.9.9</version></parent>\n  <version>1.0.0</version>\n"
        "  <x>1.0.0</x><!-- x-release-please-version -->\n</project>\n"
    )
    assert update_extra_file(pom, V, "pom", None) == pom.replace(
        "<version>1.0.0", "<version>2.0.0"
    ).replace("<x>1.0.0", "<x>2.0.0")


@pytest.mark.parametrize(
    ("glob", "path", "matches"),
    [
        pytest.param("*.txt", "VERSION.txt", True, id="star"),
        pytest.param("*.txt", "a/VERSION.txt", False, id="star-stays-in-folder"),
        pytest.param("**/version.txt", "version.txt", True, id="double-star-zero-folders"),
        pytest.param("**/version.txt", "a/b/version.txt", True, id="double-star-folders"),
        pytest.param("charts/*/Chart.yaml", "charts/web/Chart.yaml", True, id="middle"),
        pytest.param("v?.json", "v1.json", True, id="question"),
        pytest.param("a.b", "axb", False, id="dot-is-literal"),
    ],
)
def test_glob_pattern(glob: str, path: str, *, matches: bool) -> None:
    assert bool(glob_pattern(glob).fullmatch(path)) is matches


def test_extra_files_xml_pom_and_globs_in_the_plan(repo: GitRepo) -> None:
    config = {
        "release-type": "simple",
        "packages": {
            "pkg": {
                "extra-files": [
                    {"type": "xml", "path": "app.csproj", "xpath": "/Project/Version"},
                    {"type": "pom", "path": "pom.xml"},
                    {"type": "json", "path": "charts/*/meta.json", "jsonpath": "$.v", "glob": True},
                    {"type": "generic", "path": "/docs/**/*.md", "glob": True},
                ]
            }
        },
    }
    repo.commit(
        "chore: init",
        {
            "release-please-config.json": json.dumps(config),
            ".release-please-manifest.json": '{"pkg": "1.0.0"}',
            "pkg/app.csproj": "<Project><Version>1.0.0</Version></Project>\n",
            "pkg/pom.xml": "<project><version>1.0.0</version></project>\n",
            "pkg/charts/a/meta.json": '{"v": "1.0.0"}\n',
            "pkg/charts/b/meta.json": '{"v": "1.0.0"}\n',
            "pkg/charts/b/other.json": '{"v": "1.0.0"}\n',
            "docs/guide/install.md": "pip install pkg==1.0.0 <!-- x-release-please-version -->\n",
        },
    )
    repo.tag("pkg-v1.0.0")
    repo.commit("feat: a", {"pkg/src.txt": "x\n"})
    result = plan_release(
        repo.path,
        load_config(repo.path),
        target_branch="main",
        now=NOW,
        repo_url="https://github.com/o/r",
    )
    files = dict(result.file_updates)
    assert files["pkg/app.csproj"] == "<Project><Version>1.1.0</Version></Project>\n"
    assert files["pkg/pom.xml"] == "<project><version>1.1.0</version></project>\n"
    assert files["pkg/charts/a/meta.json"] == files["pkg/charts/b/meta.json"] == '{"v": "1.1.0"}\n'
    assert "pkg/charts/b/other.json" not in files
    assert files["docs/guide/install.md"].startswith("pip install pkg==1.1.0 ")
