"""Expo (release-please's ``expo`` strategy: ``node``'s files plus ``app.json``): ``expo.version``,
``expo.ios.buildNumber`` and ``expo.android.versionCode`` when they are set.

The Android ``versionCode`` is release-please's ``SDK major * 10_000_000 + major * 10_000 +
minor * 100 + patch``, the SDK major read from the ``expo`` dependency in ``package.json``.
"""

from __future__ import annotations

import re

from relkit.core.versions import Version

from release_pr.updaters import Found, Package, Updater
from release_pr.updaters.jsonedit import load_object, set_value

_NUMBERS = re.compile(r"(\d+)\.\d+\.\d+")
_DEPENDENCY_KEYS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")


def expo_sdk_major(package_json: str | None) -> int:
    """The major version of the ``expo`` dependency (``"~50.0.4"`` → 50); 0 without one."""
    data = load_object(package_json, "package.json") if package_json is not None else {}
    for key in _DEPENDENCY_KEYS:
        deps = data.get(key)
        spec = deps.get("expo") if isinstance(deps, dict) else None
        match = _NUMBERS.search(spec) if isinstance(spec, str) else None
        if match:
            return int(match[1])
    return 0


def app_json_updater(sdk_major: int) -> Updater:
    def update(content: str, version: Version) -> str:
        expo = load_object(content, "app.json").get("expo")
        if not isinstance(expo, dict):
            return content
        content = set_value(content, ["expo", "version"], str(version))
        ios = expo.get("ios")
        if isinstance(ios, dict) and ios.get("buildNumber"):
            content = set_value(content, ["expo", "ios", "buildNumber"], str(version))
        android = expo.get("android")
        if isinstance(android, dict) and android.get("versionCode"):
            code = sdk_major * 10_000_000 + version.major * 10_000 + version.minor * 100
            content = set_value(content, ["expo", "android", "versionCode"], code + version.patch)
        return content

    return update


def discover(package: Package) -> Found:
    from release_pr.updaters import node  # noqa: PLC0415 - expo is node plus app.json

    sdk = expo_sdk_major(package.read("package.json"))
    return Found((*node.discover(package).files, ("app.json", app_json_updater(sdk))))
