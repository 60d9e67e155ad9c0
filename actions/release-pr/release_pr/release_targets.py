"""Tag, name and flags of a released (component, version), from release-please's config keys.

After the release PR merges, its body says which versions were released; this reads the
``release-please-config.json`` data (or the single-package inputs) to know each one's path, tag
(``include-v-in-tag``, ``include-component-in-tag``, ``tag-separator``), draft and prerelease
flags. Pure: parsed JSON in, a resolver out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from relkit.errors import ConfigError

from release_pr.github_flow import ReleaseTarget, Resolver


@dataclass(frozen=True, slots=True)
class TagOptions:
    path: str
    component: str | None
    include_v: bool = True
    include_component: bool = True
    separator: str = "-"
    draft: bool = False
    prerelease: bool = False
    skip_github_release: bool = False


def target_for(options: TagOptions, version: str) -> ReleaseTarget:
    v = "v" if options.include_v else ""
    with_component = bool(options.component) and options.include_component
    tag = f"{options.component}{options.separator}{v}{version}" if with_component else v + version
    name = f"{options.component}: v{version}" if with_component else f"v{version}"
    major = version.split(".", 1)[0]
    return ReleaseTarget(
        path=options.path,
        tag=tag,
        name=name,
        draft=options.draft,
        prerelease=options.prerelease and ("-" in version or major == "0"),
        skip_github_release=options.skip_github_release,
    )


def _component(path: str, cfg: Mapping[str, Any]) -> str | None:
    if cfg.get("component"):
        return str(cfg["component"])
    name = cfg.get("package-name")
    if name:
        return str(name).rsplit("/", 1)[-1]  # "@scope/pkg" → "pkg", like the node strategy
    return None if path == "." else path.rstrip("/").rsplit("/", 1)[-1]


def options_from_config(config: Mapping[str, Any]) -> list[TagOptions]:
    packages = config.get("packages")
    if not isinstance(packages, dict) or not packages:
        raise ConfigError('release-please config has no \'packages\'; add {"packages": {".": {}}}')
    found: list[TagOptions] = []
    for path, own in packages.items():
        cfg = {**config, **(own if isinstance(own, dict) else {})}
        found.append(
            TagOptions(
                path=str(path),
                component=_component(str(path), cfg),
                include_v=bool(cfg.get("include-v-in-tag", True)),
                include_component=bool(cfg.get("include-component-in-tag", True)),
                separator=str(cfg.get("tag-separator", "-")),
                draft=bool(cfg.get("draft", False)),
                prerelease=bool(cfg.get("prerelease", False)),
                skip_github_release=bool(cfg.get("skip-github-release", False)),
            )
        )
    return found


def make_resolver(packages: list[TagOptions]) -> Resolver:
    """Match a PR body's component to a package; one package takes any component."""

    def resolve(component: str | None, version: str) -> ReleaseTarget:
        if len(packages) == 1:
            return target_for(packages[0], version)
        for options in packages:
            if component in {options.component, options.path}:
                return target_for(options, version)
        known = ", ".join(str(o.component or o.path) for o in packages)
        raise ConfigError(
            f"the merged release PR names component {component!r}, which no package in the "
            f"release-please config has (known: {known}); fix 'component' in the config"
        )

    return resolve
