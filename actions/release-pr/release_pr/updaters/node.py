"""``package.json`` and ``package-lock.json``: only the version values change."""

from __future__ import annotations

import json
import re

from relkit.core.versions import Version
from relkit.errors import ConfigError

from release_pr.updaters import Found, Package

_TOP_VERSION = re.compile(r'^(\s{0,8}"version"\s*:\s*")([^"]*)(")', re.M)


def _check(content: str, name: str) -> dict[str, object]:
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{name} is not valid JSON ({exc}); fix it before releasing") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{name} must hold a JSON object")
    return data


def _indent(content: str) -> str:
    match = re.search(r'^([ \t]+)"', content, re.M)
    return match[1] if match else "  "


def update_package_json(content: str, version: Version) -> str:
    """The top-level ``"version"``: the first one at the object's own indentation."""
    _check(content, "package.json")
    indent = _indent(content)
    pattern = re.compile(rf'^({re.escape(indent)}"version"\s*:\s*")([^"]*)(")', re.M)
    new, count = pattern.subn(lambda m: f"{m[1]}{version}{m[3]}", content, count=1)
    if count:
        return new
    data = _check(content, "package.json")
    if "version" in data:  # one-line or oddly indented: only the value's text changes
        from release_pr.updaters.jsonedit import set_value  # noqa: PLC0415 - rare path

        return set_value(content, ["version"], str(version))
    data["version"] = str(version)
    return json.dumps(data, indent=indent, ensure_ascii=False) + "\n"


def update_package_lock(content: str, version: Version) -> str:
    """``version`` and ``packages[""].version`` (lockfile v2/v3)."""
    data = _check(content, "package-lock.json")
    data["version"] = str(version)
    packages = data.get("packages")
    if isinstance(packages, dict) and isinstance(packages.get(""), dict):
        packages[""]["version"] = str(version)
    return json.dumps(data, indent=_indent(content), ensure_ascii=False) + "\n"


def update_samples_package_json(content: str, version: Version, package_name: str) -> str:
    """``samples/package.json``'s dependency on the package becomes ``^<version>`` (release-
    please's SamplesPackageJson); a file without that dependency is left as it is."""
    data = _check(content, "samples/package.json")
    dependencies = data.get("dependencies")
    if not isinstance(dependencies, dict) or package_name not in dependencies:
        return content
    from release_pr.updaters.jsonedit import set_value  # noqa: PLC0415 - samples only

    return set_value(content, ["dependencies", package_name], f"^{version}")


def discover(package: Package) -> Found:
    """The samples' dependency on the package, named as in its ``package.json``."""
    try:
        name = json.loads(package.read("package.json") or "{}").get("name")
    except (json.JSONDecodeError, AttributeError):
        name = None  # update_package_json names the broken file
    name = name if isinstance(name, str) and name else package.name
    if not name:
        return Found()
    return Found((("samples/package.json", lambda c, v: update_samples_package_json(c, v, name)),))
