"""PHP: ``composer.json``'s top-level ``"version"`` when it has one (release-please's
``RootComposerUpdatePackages``) and a plain ``VERSION`` file (its ``DefaultUpdater``)."""

from __future__ import annotations

import re

from relkit.core.versions import Version

from release_pr.updaters.jsonedit import load_object, set_value

# release-please's VERSION_REGEX: the first semver-looking run is replaced, a "v" prefix stays
_SEMVER = re.compile(r"\d+\.\d+\.\d+(?:-[^+\s]+)?(?:\+\S*)?")


def update_composer_json(content: str, version: Version) -> str:
    """Only when composer.json has a ``"version"`` (composer otherwise reads tags)."""
    if "version" not in load_object(content, "composer.json"):
        return content
    return set_value(content, ["version"], str(version))


def update_version_file(content: str, version: Version) -> str:
    if _SEMVER.search(content):
        return _SEMVER.sub(str(version), content, count=1)
    return f"{version}\n"
