"""Pure content → content updaters: the version changes, nothing else does."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from release_pr.updaters import (
    docker,
    extra_files,
    generic,
    helm,
    node,
    python,
    simple,
    version_files,
)
from relkit.core.versions import Version
from relkit.errors import ConfigError

V = Version(1, 3, 0)
RC = Version(2, 0, 0, "rc.1")


def test_version_txt() -> None:
    assert simple.update_version_txt("1.2.3\n", V) == "1.3.0\n"


PYPROJECT = """\
[build-system]
requires = ["setuptools"]  # version = "0"

[project]
name = "demo"
version = "1.2.3"  # keep me
dependencies = []

[tool.other]
version = "9.9.9"
"""


def test_pyproject_project_version_only() -> None:
    assert python.update_pyproject(PYPROJECT, RC) == PYPROJECT.replace(
        'version = "1.2.3"', 'version = "2.0.0rc1"'
    )


def test_pyproject_poetry_and_dynamic() -> None:
    poetry = "[tool.poetry]\nname = 'x'\nversion = '0.1.0'\n"
    assert python.update_pyproject(poetry, V) == poetry.replace("0.1.0", "1.3.0")
    dynamic = '[project]\nname = "x"\ndynamic = ["version"]\n'
    assert python.update_pyproject(dynamic, V) == dynamic


def test_setup_cfg_metadata_version() -> None:
    cfg = "[options]\nversion = 0\n[metadata]\nname = x\nversion = 1.2.3\r\n"
    assert python.update_setup_cfg(cfg, V) == cfg.replace("1.2.3", "1.3.0")
    attr = "[metadata]\nversion = attr: pkg.__version__\n"
    assert python.update_setup_cfg(attr, V) == attr


def test_setup_py_and_dunder_version() -> None:
    assert python.update_setup_py('setup(name="x", version="1.2.3")\n', V) == (
        'setup(name="x", version="1.3.0")\n'
    )
    source = '"""Doc."""\n__version__ = "1.2.3"\n__version__: str = \'1.2.3\'\n'
    assert python.update_dunder_version(source, V) == source.replace("1.2.3", "1.3.0")


def test_python_version_keeps_semver_without_pep440_form() -> None:
    assert python.python_version(Version(1, 0, 0, "snapshot")) == "1.0.0-snapshot"


PACKAGE_JSON = """\
{
    "name": "demo",
    "version": "1.2.3",
    "dependencies": {
        "x": {"version": "9.9.9"}
    }
}
"""


def test_package_json_keeps_layout() -> None:
    assert node.update_package_json(PACKAGE_JSON, V) == PACKAGE_JSON.replace("1.2.3", "1.3.0")


@pytest.mark.parametrize(
    "content",
    [
        pytest.param('{\n  "name": "x",\n"version": "1.0.0"}', id="unusual-indent"),
        pytest.param('{"name": "x", "version": "1.0.0", "y": [1, 2]}\n', id="one-line"),
    ],
)
def test_package_json_with_unusual_layout_keeps_it(content: str) -> None:
    assert node.update_package_json(content, V) == content.replace("1.0.0", "1.3.0")


def test_package_json_without_version_gets_one() -> None:
    assert (
        node.update_package_json('{"name": "x"}', V)
        == '{\n  "name": "x",\n  "version": "1.3.0"\n}\n'
    )


@pytest.mark.parametrize(
    "content", [pytest.param("{", id="broken"), pytest.param("[]", id="not-object")]
)
def test_package_json_errors(content: str) -> None:
    with pytest.raises(ConfigError, match=r"package\.json"):
        node.update_package_json(content, V)


def test_package_lock_v3() -> None:
    lock = (
        '{\n  "name": "x",\n  "version": "1.2.3",\n  "packages": {\n'
        '    "": {"version": "1.2.3"},\n    "node_modules/a": {"version": "4.0.0"}\n  }\n}\n'
    )
    out = node.update_package_lock(lock, V)
    assert '"version": "1.3.0"' in out
    assert '"version": "4.0.0"' in out
    assert out.count("1.3.0") == 2


def test_chart_yaml_keeps_comments_and_app_version() -> None:
    chart = 'apiVersion: v2\n# the chart\nversion: 1.2.3 # bump\nappVersion: "1.2.3"\n'
    assert helm.update_chart_yaml(chart, V) == chart.replace("version: 1.2.3", "version: 1.3.0")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param(
            "  image: docker://ghcr.io/o/relkit:1.2.3",
            "  image: docker://ghcr.io/o/relkit:1.3.0",
            id="plain",
        ),
        pytest.param(
            "  image: 'docker://ghcr.io/o/relkit:v1.2.3'  # pin",
            "  image: 'docker://ghcr.io/o/relkit:v1.3.0'  # pin",
            id="quoted-v",
        ),
        pytest.param(
            "  image: docker://localhost:5000/relkit:0.1.0",
            "  image: docker://localhost:5000/relkit:1.3.0",
            id="registry-port",
        ),
        pytest.param(
            "  image: docker://ghcr.io/o/relkit:latest",
            "  image: docker://ghcr.io/o/relkit:latest",
            id="latest-untouched",
        ),
        pytest.param("  image: Dockerfile", "  image: Dockerfile", id="dockerfile-untouched"),
    ],
)
def test_action_image_pin(line: str, expected: str) -> None:
    content = f"name: x\nruns:\n  using: docker\n{line}\n"
    assert (
        docker.update_action_image(content, V) == f"name: x\nruns:\n  using: docker\n{expected}\n"
    )


MARKERS = """\
VERSION = "1.2.3"  # x-release-please-version
MAJOR = 1  # x-release-please-major
// x-release-please-start-version
url: https://x/1.2.3/y
// x-release-please-end
untouched 1.2.3\r
/* x-release-please-start-minor */
minor = 2
/* x-release-please-end */
patch = 3 # x-release-please-patch
"""


def test_generic_markers() -> None:
    out = generic.update_markers(MARKERS, Version(2, 5, 7, "rc.1"))
    assert out == (
        'VERSION = "2.5.7-rc.1"  # x-release-please-version\n'
        "MAJOR = 2  # x-release-please-major\n"
        "// x-release-please-start-version\n"
        "url: https://x/2.5.7-rc.1/y\n"
        "// x-release-please-end\n"
        "untouched 1.2.3\r\n"
        "/* x-release-please-start-minor */\n"
        "minor = 5\n"
        "/* x-release-please-end */\n"
        "patch = 7 # x-release-please-patch\n"
    )


def test_json_jsonpath() -> None:
    content = '{\n    "a": {"list": [{"v": "1.2.3"}]},\n    "other": "1.2.3"\n}\n'
    out = extra_files.update_extra_file(content, V, "json", "$.a.list[0].v")
    assert '"v": "1.3.0"' in out
    assert '"other": "1.2.3"' in out
    assert out.endswith("}\n")


def test_yaml_jsonpath_keeps_comments() -> None:
    content = "# top\nimage:\n  # the tag\n  tag: '1.2.3'  # pinned\nother: 1.2.3\n"
    out = extra_files.update_extra_file(content, V, "yaml", "$.image['tag']")
    assert out == "# top\nimage:\n  # the tag\n  tag: '1.3.0'  # pinned\nother: 1.2.3\n"


def test_toml_jsonpath() -> None:
    content = '[tool.x]\nversion = "1.2.3"  # c\n[tool.y]\nversion = "1.2.3"\n'
    out = extra_files.update_extra_file(content, V, "toml", "$.tool.y.version")
    assert out == '[tool.x]\nversion = "1.2.3"  # c\n[tool.y]\nversion = "1.3.0"\n'
    top = extra_files.update_extra_file('version = "0.1.0"\n', V, "toml", "$.version")
    assert top == 'version = "1.3.0"\n'


def test_generic_without_jsonpath_uses_markers() -> None:
    assert extra_files.update_extra_file(
        "v1.2.3 # x-release-please-version\n", V, "json", None
    ) == ("v1.3.0 # x-release-please-version\n")


@pytest.mark.parametrize(
    ("kind", "content", "path", "message"),
    [
        pytest.param("json", "{", "$.v", "not valid JSON", id="bad-json"),
        pytest.param("json", '{"a": 1}', "$.b", "does not exist", id="missing-key"),
        pytest.param("json", '{"a": 1}', "$.a.b", "does not exist", id="scalar-parent"),
        pytest.param("json", '{"a": 1}', "$.x.y", "does not exist", id="missing-parent"),
        pytest.param("json", '{"a": 1}', "a", "must start with", id="no-dollar"),
        pytest.param("json", '{"a": 1}', "$..a", "only", id="deep-scan"),
        pytest.param("json", '{"a": 1}', "$", "names no field", id="root"),
        pytest.param("yaml", "a: [", "$.a", "not valid YAML", id="bad-yaml"),
        pytest.param("toml", "a = 1\n", "$.b", "does not exist", id="toml-missing"),
        pytest.param("toml", "a = 1\n", "$.a[0]", "TOML entries", id="toml-index"),
        pytest.param("xml", "<a/>", "$.a", "with 'xpath', got jsonpath", id="xml"),
    ],
)
def test_extra_file_errors(kind: str, content: str, path: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        extra_files.update_extra_file(content, V, kind, path)


@given(st.text(alphabet=st.sampled_from(list("ab 1.2.3\n\r#x-release-pleasevon")), max_size=120))
def test_markers_keep_every_line_and_line_ending(content: str) -> None:
    out = generic.update_markers(content, V)
    assert len(out.splitlines(keepends=True)) == len(content.splitlines(keepends=True))
    assert [line[len(line.rstrip("\r\n")) :] for line in out.splitlines(keepends=True)] == [
        line[len(line.rstrip("\r\n")) :] for line in content.splitlines(keepends=True)
    ]


@pytest.mark.parametrize(
    ("release_type", "files"),
    [
        pytest.param("simple", ["version.txt"], id="simple"),
        pytest.param("python", ["pyproject.toml", "setup.cfg", "setup.py"], id="python"),
        pytest.param(
            "node", ["package.json", "package-lock.json", "npm-shrinkwrap.json"], id="node"
        ),
        pytest.param("helm", ["Chart.yaml"], id="helm"),
        pytest.param("go", [], id="other-types-update-no-version-file"),
    ],
)
def test_version_files_of_each_release_type(release_type: str, files: list[str]) -> None:
    found = version_files(release_type)
    assert [path for path, _ in found] == files
    assert all(callable(update) for _, update in found)
