"""Ruby ``version.rb`` / ``Gemfile.lock`` updaters and the gem's file discovery."""

from __future__ import annotations

import pytest
from release_pr.updaters import package_files, ruby
from relkit.core.versions import Version

V = Version(1, 3, 0)
RC = Version(2, 0, 0, "rc.1")

VERSION_RB = """\
# frozen_string_literal: true

module Google
  module Cloud
    module Storage
      # The version of this gem, see https://semver.org
      VERSION = "1.44.0".freeze
    end
  end
end
"""

GEMFILE_LOCK = """\
PATH
  remote: .
  specs:
    foo-bar (0.1.0)
      rack (>= 2.0)

GEM
  remote: https://rubygems.org/
  specs:
    ast (2.4.2)
    my-foo-bar (1.0.1)
    foo-bar-ext (3.0.0)
    rack (3.0.8)

PLATFORMS
  ruby

DEPENDENCIES
  foo-bar!
  rake (~> 13.0)

BUNDLED WITH
   2.4.10
"""


@pytest.mark.parametrize(
    ("content", "version", "expected"),
    [
        pytest.param(
            VERSION_RB, V, VERSION_RB.replace('"1.44.0"', '"1.3.0"'), id="constant-freeze-kept"
        ),
        pytest.param(
            VERSION_RB,
            RC,
            VERSION_RB.replace('"1.44.0"', '"2.0.0.pre.rc.1"'),
            id="prerelease-rubygems-spelling",
        ),
        pytest.param(
            "module Foo\n  VERSION = '0.1.0'\nend\n",
            V,
            "module Foo\n  VERSION = '1.3.0'\nend\n",
            id="single-quotes",
        ),
        pytest.param(
            'module Foo\n  GEM_VERSION = "0.1.0.pre.beta"\nend\n',
            V,
            'module Foo\n  GEM_VERSION = "1.3.0"\nend\n',
            id="no-constant-first-quoted-version",
        ),
        pytest.param("module Foo\nend\n", V, "module Foo\nend\n", id="nothing-to-update"),
    ],
)
def test_version_rb(content: str, version: Version, expected: str) -> None:
    assert ruby.update_version_rb(content, version) == expected


@pytest.mark.parametrize(
    ("gem", "version", "expected"),
    [
        pytest.param(
            "foo-bar",
            V,
            GEMFILE_LOCK.replace("foo-bar (0.1.0)", "foo-bar (1.3.0)"),
            id="path-spec-only",
        ),
        pytest.param(
            "foo-bar",
            RC,
            GEMFILE_LOCK.replace("foo-bar (0.1.0)", "foo-bar (2.0.0.pre.rc.1)"),
            id="prerelease",
        ),
        pytest.param("absent", V, GEMFILE_LOCK, id="gem-not-locked"),
    ],
)
def test_gemfile_lock(gem: str, version: Version, expected: str) -> None:
    assert ruby.gemfile_lock_updater(gem)(GEMFILE_LOCK, version) == expected


def test_discover_paths_follow_the_gem_name() -> None:
    found = package_files("ruby", "google-cloud-storage", {}.get)
    assert [path for path, _ in found.files] == [
        "lib/google/cloud/storage/version.rb",
        "rbi/lib/google/cloud/storage/version.rbi",  # Sorbet
        "sig/lib/google/cloud/storage/version.rbs",  # RBS
        "Gemfile.lock",
    ]
    assert found.warnings == ()
    _, lock = found.files[-1]
    assert "google-cloud-storage (1.3.0)" in lock(
        GEMFILE_LOCK.replace("foo-bar (0.1.0)", "google-cloud-storage (1.44.0)"), V
    )


def test_discover_without_a_name_warns() -> None:
    found = package_files("ruby", None, {}.get)
    assert found.files == ()
    (warning,) = found.warnings
    assert "package-name" in warning


RBS = """\
module Google
  module Cloud
    module Storage
      VERSION: String
    end
  end
end
"""


def test_signature_files_without_a_literal_stay() -> None:
    assert ruby.update_version_rb(RBS, V) == RBS
    rbi = '# typed: strong\nmodule Foo\n  VERSION = T.let("0.1.0", String)\nend\n'
    assert ruby.update_version_rb(rbi, V) == rbi.replace('"0.1.0"', '"1.3.0"')
