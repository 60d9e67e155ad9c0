"""In-place JSON edits (``jsonedit``) and the expo / ocaml updaters built on them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from release_pr.updaters import jsonedit, ocaml, package_files
from release_pr.updaters.expo import app_json_updater, expo_sdk_major
from relkit.core.versions import Version
from relkit.errors import ConfigError

V = Version(1, 3, 0)

APP_JSON = """\
{
  "expo": {
    "name": "my-app",
    "slug": "my-app",
    "version": "1.2.3",
    "orientation": "portrait",
    "plugins": ["expo-router", ["expo-build-properties", {"ios": {"version": "x"}}]],
    "ios": {
      "supportsTablet": true,
      "bundleIdentifier": "com.example.myapp",
      "buildNumber": "1.2.3"
    },
    "android": {
      "package": "com.example.myapp",
      "versionCode": 500010203
    },
    "extra": {"version": "do not touch", "escaped \\"key\\"": "é"}
  }
}
"""


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        pytest.param(
            ["expo", "version"],
            "9.9.9",
            APP_JSON.replace('"version": "1.2.3"', '"version": "9.9.9"'),
            id="nested-key",
        ),
        pytest.param(
            ["expo", "android", "versionCode"],
            7,
            APP_JSON.replace("500010203", "7"),
            id="number",
        ),
        pytest.param(
            ["expo", "plugins", 1, 1, "ios", "version"],
            "y",
            APP_JSON.replace('"version": "x"', '"version": "y"'),
            id="through-arrays",
        ),
        pytest.param(["expo", "missing"], "x", APP_JSON, id="absent-key-not-invented"),
        pytest.param(["expo", "plugins", 5], "x", APP_JSON, id="absent-index"),
        pytest.param(["expo", "name", "x"], "x", APP_JSON, id="not-a-container"),
        pytest.param(["expo", 0], "x", APP_JSON, id="index-into-object"),
    ],
)
def test_set_value_keeps_everything_else(
    path: list[str | int], value: object, expected: str
) -> None:
    assert jsonedit.set_value(APP_JSON, path, value) == expected


def test_empty_containers_and_compact_text() -> None:
    text = '{"a":{},"b":[],"c":[1,2,{"d":null}],"version":"1.0.0"}'
    assert jsonedit.set_value(text, ["version"], "2.0.0") == text.replace("1.0.0", "2.0.0")
    assert jsonedit.set_value(text, ["c", 2, "d"], True) == text.replace("null", "true")


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=10,
)


@given(
    doc=st.dictionaries(st.text(max_size=3), _JSON, min_size=1, max_size=4),
    indent=st.sampled_from([None, 2, "\t"]),
    data=st.data(),
)
def test_set_value_agrees_with_a_parsed_edit(
    doc: dict[str, Any], indent: Any, data: st.DataObject
) -> None:
    text = json.dumps(doc, indent=indent)
    key = data.draw(st.sampled_from(sorted(doc)))
    edited = json.loads(jsonedit.set_value(text, [key], "new"))
    assert edited == {**doc, key: "new"}


def test_load_object_names_the_file() -> None:
    with pytest.raises(ConfigError, match=r"app.json is not valid JSON"):
        jsonedit.load_object("{", "app.json")
    assert jsonedit.load_object("[1]", "x.json") == {}


@pytest.mark.parametrize(
    ("package_json", "major"),
    [
        pytest.param('{"dependencies": {"expo": "~50.0.4"}}', 50, id="dependency"),
        pytest.param('{"devDependencies": {"expo": "^49.0.0"}}', 49, id="dev-dependency"),
        pytest.param('{"dependencies": {"expo": "latest"}}', 0, id="no-version"),
        pytest.param('{"dependencies": {"react": "18.2.0"}}', 0, id="no-expo"),
        pytest.param(None, 0, id="no-package-json"),
    ],
)
def test_expo_sdk_major(package_json: str | None, major: int) -> None:
    assert expo_sdk_major(package_json) == major


def test_app_json_versions_expo_ios_and_android() -> None:
    assert app_json_updater(50)(APP_JSON, V) == APP_JSON.replace(
        '"version": "1.2.3"', '"version": "1.3.0"'
    ).replace('"buildNumber": "1.2.3"', '"buildNumber": "1.3.0"').replace("500010203", "500010300")


def test_app_json_without_native_numbers_or_expo() -> None:
    plain = '{\n  "expo": {\n    "version": "1.2.3",\n    "ios": {},\n    "android": {}\n  }\n}\n'
    assert app_json_updater(50)(plain, V) == plain.replace("1.2.3", "1.3.0")
    assert app_json_updater(50)('{"name": "x"}\n', V) == '{"name": "x"}\n'


def test_expo_type_updates_node_files_and_app_json() -> None:
    files = {"package.json": '{"dependencies": {"expo": "~51.0.0"}}'}
    found = package_files("expo", None, files.get)
    assert [path for path, _ in found.files] == [
        "package.json",
        "package-lock.json",
        "npm-shrinkwrap.json",
        "app.json",
    ]
    _, update = found.files[-1]
    assert '"versionCode": 510010300' in update(APP_JSON, V)


OPAM = """\
opam-version: "2.0"
version: "0.3.1"
synopsis: "An example library"
maintainer: ["someone@example.com"]
depends: [
  "ocaml" {>= "4.14"}
  "dune" {>= "3.0" & with-test}
]
"""

DUNE_PROJECT = """\
(lang dune 3.0)
(name example)
(version 0.3.1)
(generate_opam_files true)
"""


@pytest.mark.parametrize(
    ("update", "content", "expected"),
    [
        pytest.param(ocaml.update_opam, OPAM, OPAM.replace('"0.3.1"', '"1.3.0"'), id="opam"),
        pytest.param(
            ocaml.update_dune_project,
            DUNE_PROJECT,
            DUNE_PROJECT.replace("(version 0.3.1)", "(version 1.3.0)"),
            id="dune-project",
        ),
        pytest.param(
            ocaml.update_json,
            '{\n  "name": "example",\n  "version": "0.3.1",\n  "esy": {"build": "dune build"}\n}\n',
            '{\n  "name": "example",\n  "version": "1.3.0",\n  "esy": {"build": "dune build"}\n}\n',
            id="esy-json",
        ),
    ],
)
def test_ocaml_files(update: Any, content: str, expected: str) -> None:
    assert update(content, V) == expected


def test_ocaml_discovery() -> None:
    files = {
        "esy.json": '{"version": "0.3.1"}',
        "package.json": '{"name": "x"}',
        "broken.json": "{",
        "esy.lock/index.json": '{"version": "9"}',
    }
    listing = (
        *files,
        "example.opam",
        "example.opam.locked",
        "esy.lock/opam/x.opam",
        "dune-project",
    )
    found = package_files("ocaml", None, files.get, lambda: listing)
    assert [path for path, _ in found.files] == [
        "esy.json",
        "example.opam",
        "example.opam.locked",
        "dune-project",
    ]
