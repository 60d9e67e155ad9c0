"""PHP: ``composer.json``'s top-level ``"version"`` when it has one (release-please's
``RootComposerUpdatePackages``) and a plain ``VERSION`` file (its ``DefaultUpdater``)."""

from __future__ import annotations

import json
import re

from relkit.core.versions import Version
from relkit.errors import ConfigError

# release-please's VERSION_REGEX: the first semver-looking run is replaced, a "v" prefix stays
_SEMVER = re.compile(r"\d+\.\d+\.\d+(?:-[^+\s]+)?(?:\+\S*)?")


def update_composer_json(content: str, version: Version) -> str:
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"composer.json is not valid JSON ({exc}); fix it before releasing"
        ) from None
    if not isinstance(data, dict) or "version" not in data:
        return content  # composer reads the version from tags: nothing to write
    indent = re.search(r'^([ \t]+)"', content, re.M)
    own = re.escape(indent[1]) if indent else ""
    pattern = re.compile(rf'^({own}"version"\s*:\s*")([^"]*)(")', re.M)
    new, count = pattern.subn(lambda m: f"{m[1]}{version}{m[3]}", content, count=1)
    if count:
        return new
    data["version"] = str(version)  # one-line JSON: written again, compact as it was
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + (
        "\n" if content.endswith("\n") else ""
    )


def update_version_file(content: str, version: Version) -> str:
    if _SEMVER.search(content):
        return _SEMVER.sub(str(version), content, count=1)
    return f"{version}\n"
