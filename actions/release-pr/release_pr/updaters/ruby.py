"""Ruby: ``lib/<name>/version.rb`` (and its ``rbi/…rbi`` / ``sig/…rbs`` signatures) and the gem's
own entry in ``Gemfile.lock`` (release-please's ``ruby`` strategy: ``VersionRB``, ``GemfileLock``).

The version file's path comes from the gem name with ``-`` → ``/`` (``foo-bar`` →
``lib/foo/bar/version.rb``). Versions are written as RubyGems spells them: a prerelease
``1.2.0-rc.1`` becomes ``1.2.0.pre.rc.1``.
"""

from __future__ import annotations

import re

from relkit.core.versions import Version

from release_pr.updaters import Found, Package, Updater

_CONSTANT = re.compile(r"""^(\s*VERSION\s*=\s*)(["'])([^"']*)(\2)""", re.M)
# release-please's VersionRB: the first quoted version-looking string
_QUOTED = re.compile(r"""(["'])(\d+\.\d+\.\d+(?:\.\w[^"']*)?)(\1)""")
_RUBY_VERSION = r"\d+\.\d+\.\d+(?:\.[0-9A-Za-z][0-9A-Za-z.]*)?"


def ruby_version(version: Version) -> str:
    base = f"{version.major}.{version.minor}.{version.patch}"
    pre = version.prerelease.strip(".-")
    return f"{base}.pre.{pre}" if pre else base


def update_version_rb(content: str, version: Version) -> str:
    """``VERSION = "…"`` (``.freeze`` and comments stay), else the first quoted version."""
    new, count = _CONSTANT.subn(
        lambda m: f"{m[1]}{m[2]}{ruby_version(version)}{m[4]}", content, count=1
    )
    if count:
        return new
    return _QUOTED.sub(lambda m: f"{m[1]}{ruby_version(version)}{m[3]}", content, count=1)


def gemfile_lock_updater(gem: str) -> Updater:
    """The ``    <gem> (x.y.z)`` spec line of ``Gemfile.lock`` (the PATH section's own gem)."""
    pattern = re.compile(rf"^(\s+{re.escape(gem)} \()({_RUBY_VERSION})(\))", re.M)

    def update(content: str, version: Version) -> str:
        return pattern.sub(lambda m: f"{m[1]}{ruby_version(version)}{m[3]}", content, count=1)

    return update


def version_rb_path(gem: str) -> str:
    return f"lib/{gem.replace('-', '/')}/version.rb"


def discover(package: Package) -> Found:
    """``lib/<name>/version.rb`` (or the ``version-file``) and ``Gemfile.lock``'s spec of the
    gem, named by ``component`` / ``package-name`` or else by the version file's path."""
    from_path = re.search(r"lib/(.*)/version\.rb", package.version_file or "")
    gem = package.name or (from_path[1] if from_path else None)
    path = package.version_file or (version_rb_path(gem) if gem else None)
    if path is None:
        return Found(
            warnings=(
                "release-type ruby needs package-name (or component, or version-file) to find "
                "lib/<name>/version.rb: only CHANGELOG.md and the manifest are updated",
            )
        )
    files: list[tuple[str, Updater]] = [
        (path, update_version_rb),
        (f"rbi/{path}i", update_version_rb),  # Sorbet's signature of the version file
        (f"sig/{path}s", update_version_rb),  # RBS's
    ]
    if gem:
        files.append(("Gemfile.lock", gemfile_lock_updater(gem)))
    return Found(tuple(files))
