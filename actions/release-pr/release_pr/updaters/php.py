"""PHP: ``composer.json``'s top-level ``"version"`` when it has one (release-please's
``RootComposerUpdatePackages``) and a plain ``VERSION`` file (its ``DefaultUpdater``)."""

from __future__ import annotations

from relkit.core.versions import Version

from release_pr.updaters.jsonedit import load_object, set_value
from release_pr.updaters.simple import update_version_file

__all__ = ["update_composer_json", "update_version_file"]


def update_composer_json(content: str, version: Version) -> str:
    """Only when composer.json has a ``"version"`` (composer otherwise reads tags)."""
    if "version" not in load_object(content, "composer.json"):
        return content
    return set_value(content, ["version"], str(version))
