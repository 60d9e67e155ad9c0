"""dart, elixir, php, bazel, julia and r updaters: the version changes, nothing else does."""

from __future__ import annotations

import pytest
from release_pr.strategies import RELEASE_TYPES
from release_pr.updaters import (
    TYPE_FILES,
    Updater,
    bazel,
    dart,
    elixir,
    go,
    julia,
    maven,
    package_files,
    php,
    r,
    sfdx,
    terraform,
    version_files,
)
from relkit.core.versions import Version
from relkit.errors import ConfigError

V = Version(1, 3, 0)
RC = Version(2, 0, 0, "rc.1")

PUBSPEC = """\
name: hello_world
description: Hello World
publish_to: 'none' # Remove this line if you wish to publish to pub.dev

version: {version}

environment:
  sdk: '>=2.12.0 <3.0.0'

dependencies:
  http: ^1.1.0
"""


@pytest.mark.parametrize(
    ("old", "version", "new"),
    [
        pytest.param("0.5.0", V, "1.3.0", id="plain"),
        pytest.param("0.5.0+12", V, "1.3.0+13", id="build-number-counts-up"),
        pytest.param("0.5.0+build.7", V, "1.3.0+build.7", id="other-build-kept"),
        pytest.param("1.0.0-dev.3+4", RC, "2.0.0-rc.1+5", id="prerelease-with-build"),
        pytest.param("0.5.0 # bump me", V, "1.3.0 # bump me", id="comment-kept"),
        pytest.param("'0.5.0'", V, "'1.3.0'", id="quoted"),
    ],
)
def test_pubspec_yaml(old: str, version: Version, new: str) -> None:
    content = PUBSPEC.format(version=old)
    assert dart.update_pubspec_yaml(content, version) == PUBSPEC.format(version=new)


MIX_INLINE = """\
defmodule MixTestRepo.MixProject do
  use Mix.Project

  def project do
    [
      app: :mix_test_repo,
      version: "0.5.0",
      elixir: "~> 1.12",
      start_permanent: Mix.env() == :prod,
      deps: deps()
    ]
  end

  defp deps do
    [{:jason, "~> 1.4"}, {:plug, version: "1.0.0", optional: true}]
  end
end
"""

MIX_ATTRIBUTE = """\
defmodule Demo.MixProject do
  use Mix.Project

  @version "0.5.0"
  @source_url "https://github.com/o/demo"

  def project do
    [app: :demo, version: @version, docs: [source_ref: "v#{@version}"]]
  end
end
"""


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            MIX_INLINE,
            MIX_INLINE.replace('version: "0.5.0",', 'version: "1.3.0",'),
            id="inline-project-version-only",
        ),
        pytest.param(
            MIX_ATTRIBUTE,
            MIX_ATTRIBUTE.replace('@version "0.5.0"', '@version "1.3.0"'),
            id="module-attribute",
        ),
    ],
)
def test_mix_exs(content: str, expected: str) -> None:
    assert elixir.update_mix_exs(content, V) == expected


COMPOSER = """\
{
  "name": "acme/cloud",
  "type": "library",
  "version": "0.4.0",
  "require": {
      "php": ">=8.1",
      "guzzlehttp/guzzle": "^7.0"
  },
  "extra": {
      "component": {
          "version": "9.9.9"
      }
  }
}
"""


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            COMPOSER,
            COMPOSER.replace('"version": "0.4.0"', '"version": "1.3.0"'),
            id="top-level-version-only",
        ),
        pytest.param(
            COMPOSER.replace('  "version": "0.4.0",\n', ""),
            COMPOSER.replace('  "version": "0.4.0",\n', ""),
            id="no-version-key-composer-reads-tags",
        ),
        pytest.param(
            '{"name":"a/b","version":"0.1.0"}\n',
            '{"name":"a/b","version":"1.3.0"}\n',
            id="one-line",
        ),
    ],
)
def test_composer_json(content: str, expected: str) -> None:
    assert php.update_composer_json(content, V) == expected


def test_composer_json_must_be_json() -> None:
    with pytest.raises(ConfigError, match=r"composer.json is not valid JSON"):
        php.update_composer_json("{", V)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param("0.4.0\n", "1.3.0\n", id="plain"),
        pytest.param("v0.4.0-beta.1\n", "v1.3.0\n", id="v-prefix-kept"),
        pytest.param("", "1.3.0\n", id="empty-written"),
    ],
)
def test_version_file(content: str, expected: str) -> None:
    assert php.update_version_file(content, V) == expected


MODULE = """\
module(
    name = "rules_cc",
    version = "0.0.4",
    compatibility_level = 1,
)

bazel_dep(name = "bazel_skylib", version = "1.3.0")
bazel_dep(name = "platforms", version = "0.0.7")
"""


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            MODULE, MODULE.replace('version = "0.0.4"', 'version = "1.3.0"'), id="module-call"
        ),
        pytest.param(
            "module(name = \"x\", version = '0.1.0')\n",
            "module(name = \"x\", version = '1.3.0')\n",
            id="inline-single-quotes",
        ),
        pytest.param(
            MODULE.replace('    version = "0.0.4",\n', ""),
            MODULE.replace('    version = "0.0.4",\n', ""),
            id="module-without-version-deps-stay",
        ),
        pytest.param('bazel_dep(name = "a", version = "1.0.0")\n', None, id="no-module"),
    ],
)
def test_module_bazel(content: str, expected: str | None) -> None:
    assert bazel.update_module_bazel(content, V) == (content if expected is None else expected)


PROJECT_TOML = """\
name = "Example"
uuid = "7876af07-990d-54b4-ab0e-23690620f79a"
authors = ["Someone <someone@example.com>"]
version = "0.4.2"  # the package version

[deps]
JSON = "682c06a0-de6a-54ab-a142-c8b1cf79cde6"

[compat]
JSON = "0.21"
julia = "1.6"
"""


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            PROJECT_TOML,
            PROJECT_TOML.replace('version = "0.4.2"', 'version = "1.3.0"'),
            id="top-level",
        ),
        pytest.param(
            '[extras]\nversion = "1.0.0"\n',
            '[extras]\nversion = "1.0.0"\n',
            id="table-version-stays",
        ),
        pytest.param('name = "X"\n', 'name = "X"\n', id="no-version"),
    ],
)
def test_project_toml(content: str, expected: str) -> None:
    assert julia.update_project_toml(content, V) == expected


DESCRIPTION = """\
Package: mypackage
Title: What the Package Does (One Line, Title Case)
Version: {version}
Authors@R:
    person("First", "Last", , "first.last@example.com", role = c("aut", "cre"))
Description: What the package does (one paragraph).
License: GPL-3
Depends: R (>= 4.1.0)
"""


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param("0.0.1", "1.3.0", id="plain"),
        pytest.param("0.0.1.9000", "1.3.0", id="development-version"),
    ],
)
def test_description(old: str, new: str) -> None:
    content = DESCRIPTION.format(version=old)
    assert r.update_description(content, V) == DESCRIPTION.format(version=new)


@pytest.mark.parametrize(
    ("release_type", "paths"),
    [
        pytest.param("go", [], id="go-changelog-only"),
        pytest.param("helm", ["Chart.yaml"], id="helm"),
        pytest.param("dart", ["pubspec.yaml"], id="dart"),
        pytest.param("elixir", ["mix.exs"], id="elixir"),
        pytest.param("php", ["composer.json", "VERSION"], id="php"),
        pytest.param("bazel", ["MODULE.bazel"], id="bazel"),
        pytest.param("julia", ["Project.toml", "JuliaProject.toml"], id="julia"),
        pytest.param("r", ["DESCRIPTION"], id="r"),
        pytest.param("java-yoshi", [], id="unbuilt-type"),
    ],
)
def test_registry_names_release_pleases_files(release_type: str, paths: list[str]) -> None:
    assert [path for path, _ in version_files(release_type)] == paths
    found = package_files(release_type, "demo", {}.get)
    assert [path for path, _ in found.files] == paths
    assert found.warnings == ()


def test_every_built_type_has_its_files_registered() -> None:
    assert set(RELEASE_TYPES) == set(TYPE_FILES)
    assert all(RELEASE_TYPES[name].files is TYPE_FILES[name] for name in RELEASE_TYPES)


def test_a_listing_type_without_a_listing_finds_nothing() -> None:
    assert package_files("terraform-module", None, {}.get).files == ()


VERSIONS_TF = """\
terraform {
  required_version = ">= 1.3"
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 4.64, < 6"
    }
  }

  provider_meta "google" {
    module_name = "blueprints/terraform/terraform-google-network/v9.1.0"
  }
  provider_meta "google-beta" {
    module_name = "blueprints/terraform/terraform-google-network/v9.1.0"
  }
}
"""

TF_README = """\
# Terraform Network Module

```hcl
module "vpc" {
    source  = "terraform-google-modules/network/google"
    version = "~> 9.1"

    project_id   = "<PROJECT ID>"
}
```
"""

METADATA = """\
apiVersion: blueprints.cloud.google.com/v1alpha1
kind: BlueprintMetadata
metadata:
  name: terraform-google-network
spec:
  info:
    title: Terraform Network Module
    source:
      repo: https://github.com/terraform-google-modules/terraform-google-network
      sourceType: git
    version: 9.1.0
    actuationTool:
      flavor: Terraform
      version: ">= 1.3"
"""


@pytest.mark.parametrize(
    ("update", "content", "expected"),
    [
        pytest.param(
            terraform.update_versions_tf,
            VERSIONS_TF,
            VERSIONS_TF.replace("/v9.1.0", "/v1.3.0"),
            id="versions-tf-every-user-agent",
        ),
        pytest.param(
            terraform.update_readme,
            TF_README,
            TF_README.replace('"~> 9.1"', '"~> 1.3"'),
            id="readme-constraint",
        ),
        pytest.param(
            terraform.update_metadata_yaml,
            METADATA,
            METADATA.replace("version: 9.1.0", "version: 1.3.0"),
            id="metadata-yaml",
        ),
    ],
)
def test_terraform_module(update: Updater, content: str, expected: str) -> None:
    assert update(content, V) == expected


def test_terraform_discovery_finds_submodules() -> None:
    listing = (
        "README.md",
        "main.tf",
        "versions.tf",
        "metadata.yaml",
        "modules/subnets/README.md",
        "modules/subnets/versions.tf",
        "modules/routes/readme.md",
        "modules/routes/versions.tf.tmpl",
        "docs/versions.md",
    )
    found = package_files("terraform-module", None, {}.get, lambda: listing)
    assert [(path, update.__name__) for path, update in found.files] == [
        ("README.md", "update_readme"),
        ("versions.tf", "update_versions_tf"),
        ("metadata.yaml", "update_metadata_yaml"),
        ("modules/subnets/README.md", "update_readme"),
        ("modules/subnets/versions.tf", "update_versions_tf"),
        ("modules/routes/readme.md", "update_readme"),
        ("modules/routes/versions.tf.tmpl", "update_versions_tf"),
    ]


POM_XML = """\
<?xml version="1.0" encoding="UTF-8"?>
<!-- <version>0.0.0</version> in a comment stays -->
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>3.2.0</version>
    <relativePath/>
  </parent>
  <groupId>com.example</groupId>
  <artifactId>demo</artifactId>
  <version>1.2.3-SNAPSHOT</version>
  <properties>
    <java.version>17</java.version>
    <![CDATA[<version>9</version>]]>
  </properties>
  <dependencies>
    <dependency>
      <groupId>com.example</groupId>
      <artifactId>lib</artifactId>
      <version>4.5.6</version> <!-- x-release-please-version -->
    </dependency>
  </dependencies>
</project>
"""

CHILD_POM = """\
<project>
  <parent>
    <groupId>com.example</groupId>
    <artifactId>demo-parent</artifactId>
    <version>1.2.3</version>
  </parent>
  <artifactId>demo-core</artifactId>
</project>
"""


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            POM_XML,
            POM_XML.replace("<version>1.2.3-SNAPSHOT</version>", "<version>1.3.0</version>"),
            id="project-version-only",
        ),
        pytest.param(
            CHILD_POM,
            CHILD_POM.replace("1.2.3", "1.3.0"),
            id="inherited-parent-version",
        ),
        pytest.param(
            "<project><modelVersion>4.0.0</modelVersion></project>",
            "<project><modelVersion>4.0.0</modelVersion></project>",
            id="no-version",
        ),
        pytest.param(
            '<p:project xmlns:p="urn:x"><p:version>1.0.0</p:version></p:project>',
            '<p:project xmlns:p="urn:x"><p:version>1.3.0</p:version></p:project>',
            id="prefixed-namespace",
        ),
        pytest.param(
            "</stray><project><version>1.0.0</version></project>",
            "</stray><project><version>1.3.0</version></project>",
            id="stray-closing-tag",
        ),
    ],
)
def test_pom_xml(content: str, expected: str) -> None:
    assert maven.update_pom_xml(content, V) == expected


def test_maven_discovery_updates_markers_too() -> None:
    listing = ("pom.xml", "core/pom.xml", "core/src/main/resources/pom.properties")
    found = package_files("maven", None, {}.get, lambda: listing)
    assert [path for path, _ in found.files] == ["pom.xml", "core/pom.xml"]
    _, update = found.files[0]
    assert update(POM_XML, V) == POM_XML.replace(
        "<version>1.2.3-SNAPSHOT</version>", "<version>1.3.0</version>"
    ).replace("<version>4.5.6</version> <!--", "<version>1.3.0</version> <!--")
    (warning,) = found.warnings
    assert warning.startswith("release-type maven: relkit opens no SNAPSHOT pull requests")
    java = package_files("java", None, {}.get, lambda: listing)
    assert java.files == ()
    assert java.warnings == (warning.replace("maven", "java", 1),)


VERSION_GO = """\
package demo

// Version is the module's release, set by release-please.
const Version = "1.2.3"

const Other = "9.9.9"
"""


def test_version_go() -> None:
    assert go.update_version_go(VERSION_GO, V) == VERSION_GO.replace('"1.2.3"', '"1.3.0"')


@pytest.mark.parametrize(
    ("release_type", "name", "paths"),
    [
        pytest.param("simple", None, ["VERSION"], id="simple-replaces-version-txt"),
        pytest.param("go", None, ["VERSION"], id="go-adds-it"),
        pytest.param("bazel", None, ["VERSION"], id="bazel-replaces-module-bazel"),
        pytest.param("julia", None, ["Project.toml", "JuliaProject.toml"], id="ignored-by-julia"),
        pytest.param(
            "ruby", None, ["VERSION", "rbi/VERSIONi", "sig/VERSIONs"], id="ruby-without-a-gem"
        ),
        pytest.param(
            "ruby",
            "demo",
            ["VERSION", "rbi/VERSIONi", "sig/VERSIONs", "Gemfile.lock"],
            id="ruby-with-a-gem-name",
        ),
    ],
)
def test_version_file_setting(release_type: str, name: str | None, paths: list[str]) -> None:
    found = package_files(release_type, name, {}.get, version_file="VERSION")
    assert [path for path, _ in found.files] == paths


def test_ruby_gem_name_from_the_version_file_path() -> None:
    found = package_files("ruby", None, {}.get, version_file="lib/acme/widgets/version.rb")
    assert [path for path, _ in found.files] == [
        "lib/acme/widgets/version.rb",
        "rbi/lib/acme/widgets/version.rbi",
        "sig/lib/acme/widgets/version.rbs",
        "Gemfile.lock",
    ]
    _, lock = found.files[-1]
    assert lock("    acme/widgets (0.1.0)\n", V) == "    acme/widgets (1.3.0)\n"
    _, plain = package_files("simple", None, {}.get, version_file="VERSION").files[0]
    assert plain("v0.1.0\n", V) == "v1.3.0\n"


SFDX_PROJECT = """\
{
  "packageDirectories": [
    {
      "path": "force-app",
      "default": true,
      "package": "Demo",
      "versionName": "ver 0.1",
      "versionNumber": "0.1.0.NEXT"
    },
    {"path": "unpackaged", "default": false, "versionNumber": "9.9.9.NEXT"},
    "not-an-object"
  ],
  "namespace": "",
  "sfdcLoginUrl": "https://login.salesforce.com",
  "sourceApiVersion": "59.0"
}
"""


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            SFDX_PROJECT,
            SFDX_PROJECT.replace('"0.1.0.NEXT"', '"1.3.0.NEXT"'),
            id="default-directory-only",
        ),
        pytest.param('{"name": "x"}\n', '{"name": "x"}\n', id="no-package-directories"),
    ],
)
def test_sfdx_project_json(content: str, expected: str) -> None:
    assert sfdx.update_sfdx_project_json(content, V) == expected


def test_every_registry_entry_resolves_to_a_function() -> None:
    for load in TYPE_FILES.values():
        kind = load()
        assert kind.fixed or kind.discover or kind.version_file
        assert all(callable(update) for _, update in kind.fixed)
        assert kind.version_file is None or callable(kind.version_file[1])
