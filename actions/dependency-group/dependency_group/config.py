"""Grouping configs: Renovate's ``packageRules`` and Dependabot's ``groups``, parsed. Pure.

Both become one :class:`Config`: ordered :class:`Rule` values applied as Renovate applies
``packageRules`` (every ``match*`` field must match, values inside one field are OR-ed, later
rules override earlier ones). Dependabot groups are translated into such rules (see
:func:`parse_dependabot`). Bad configs raise :class:`~relkit.errors.ConfigError` naming the file
and the key; unknown keys and presets become warnings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from relkit.errors import ConfigError

from dependency_group.managers import DATASOURCES, MANAGERS
from dependency_group.matchers import PatternError, check_patterns
from dependency_group.versioning import UPDATE_TYPES

RENOVATE_FILES = (
    "renovate.json",
    "renovate.json5",
    ".github/renovate.json",
    ".github/renovate.json5",
    ".renovaterc",
    ".renovaterc.json",
    ".renovaterc.json5",
)
DEPENDABOT_FILES = (".github/dependabot.yml", ".github/dependabot.yaml")

LIST_MATCHERS = (
    "matchManagers", "matchDatasources", "matchDepTypes", "matchPackageNames", "matchDepNames",
    "matchUpdateTypes", "matchFileNames", "matchCategories",
)  # fmt: skip
SETTINGS: dict[str, type] = {
    "groupName": str,
    "groupSlug": str,
    "automerge": bool,
    "enabled": bool,
    "separateMajorMinor": bool,
    "separateMultipleMajor": bool,
    "separateMinorPatch": bool,
}
_MIGRATED = ("matchPackagePatterns", "matchPackagePrefixes", "excludePackageNames",
             "excludePackagePatterns", "excludePackagePrefixes")  # fmt: skip
# Renovate keys this action reads elsewhere or that do not change the plan: warned as ignored
_IGNORED_TOP = frozenset({
    "schedule", "timezone", "labels", "assignees", "reviewers", "prHourlyLimit",
    "prConcurrentLimit", "branchConcurrentLimit", "dependencyDashboard", "commitMessagePrefix",
    "semanticCommits", "rangeStrategy", "branchPrefix", "baseBranches", "lockFileMaintenance",
    "platformAutomerge", "automergeType", "rebaseWhen", "prCreation", "vulnerabilityAlerts",
    "osvVulnerabilityAlerts", "pinDigests",
    "postUpdateOptions", "commitMessageAction", "minimumReleaseAge",
})  # fmt: skip
_KNOWN_TOP = frozenset({"$schema", "extends", "packageRules", "ignoreDeps", "ignorePaths",
                        "enabledManagers", "description", "automerge", "enabled",
                        "separateMajorMinor", "separateMultipleMajor",
                        "separateMinorPatch"})  # fmt: skip
# Renovate managers that exist but that this action does not read: matching them is valid
OTHER_RENOVATE_MANAGERS = frozenset({
    "npm", "maven", "gradle", "gomod", "cargo", "bundler", "composer", "nuget", "helmv3",
    "helm-values", "kustomize", "terraform", "pipenv", "pip-compile", "pip_setup", "setup-cfg",
    "gitlab-ci", "circleci", "regex", "custom.regex", "kubernetes", "ansible", "ansible-galaxy",
    "pre-commit", "mix", "pub", "swift", "cocoapods", "bazel", "bazel-module", "dockerfile",
    "devcontainer", "argocd", "flux", "jenkins", "asdf", "mise", "nix", "sbt", "html", "homebrew",
    "git-submodules", "github-actions", "azure-pipelines", "bitbucket-pipelines", "droneci",
    "woodpecker", "buildkite", "cloudbuild", "velaci", "pixi", "uv", "pep723",
})  # fmt: skip
RECOMMENDED = frozenset({"config:recommended", "config:base", "config:best-practices"})
# config:recommended's ":ignoreModulesAndTests"
RECOMMENDED_IGNORE_PATHS = (
    "**/node_modules/**", "**/bower_components/**", "**/vendor/**", "**/examples/**",
    "**/__tests__/**", "**/test/**", "**/tests/**", "**/__fixtures__/**",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Rule:
    """One package rule: its matchers (field → values) and the settings it applies."""

    where: str
    matchers: Mapping[str, tuple[str, ...]]
    settings: Mapping[str, Any]
    # Dependabot's dependency-type (production / development), matched by its own rule
    dependency_type: str = ""


@dataclass(frozen=True, slots=True)
class Config:
    source: str
    kind: str  # renovate | dependabot | default
    rules: tuple[Rule, ...] = ()
    base: Mapping[str, Any] = field(default_factory=dict)
    ignore_paths: tuple[str, ...] = ()
    ignore_deps: tuple[str, ...] = ()
    enabled_managers: tuple[str, ...] = ()
    node_docker_versioning: bool = False
    warnings: tuple[str, ...] = ()


DEFAULT = Config(source="(built-in defaults)", kind="default")


def _fail(source: str, key: str, problem: str) -> ConfigError:
    return ConfigError(f"{source}: '{key}' {problem}")


def _string_list(source: str, key: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _fail(source, key, f"must be a list of strings, got {value!r}")
    return tuple(value)


def _migrate(source: str, where: str, rule: Mapping[str, Any]) -> list[str]:
    """``matchPackagePatterns`` & co. as ``matchPackageNames`` entries, as Renovate migrates."""
    names: list[str] = []
    for key in _MIGRATED:
        if key not in rule:
            continue
        values = _string_list(source, f"{where}.{key}", rule[key])
        for value in values:
            if key == "matchPackagePatterns":
                names.append(f"/{value}/")
            elif key == "matchPackagePrefixes":
                names.append(f"{value}**")
            elif key == "excludePackageNames":
                names.append(f"!{value}")
            elif key == "excludePackagePatterns":
                names.append(f"!/{value}/")
            else:
                names.append(f"!{value}**")
    return names


def _check_values(source: str, key: str, field_name: str, values: tuple[str, ...]) -> list[str]:
    warnings: list[str] = []
    if field_name == "matchManagers":
        for value in values:
            if value not in MANAGERS and value not in OTHER_RENOVATE_MANAGERS:
                raise _fail(
                    source,
                    key,
                    f"names an unknown manager {value!r}; use one of {', '.join(MANAGERS)}",
                )
    elif field_name == "matchUpdateTypes":
        for value in values:
            if value not in UPDATE_TYPES:
                raise _fail(
                    source,
                    key,
                    f"names an unknown update type {value!r}; use one of {', '.join(UPDATE_TYPES)}",
                )
    elif field_name == "matchDatasources":
        warnings += [
            f"{source}: '{key}' datasource {value!r} is not looked up by dependency-group"
            for value in values
            if value not in DATASOURCES
        ]
    elif field_name in {"matchPackageNames", "matchDepNames", "matchFileNames"}:
        try:
            check_patterns(values)
        except PatternError as exc:
            raise _fail(source, key, f"has an {exc}; fix or escape the pattern") from None
    return warnings


def _parse_rule(source: str, index: int, raw: object) -> tuple[Rule, list[str]]:
    where = f"packageRules[{index}]"
    if not isinstance(raw, dict):
        raise _fail(source, where, f"must be an object, got {raw!r}")
    warnings: list[str] = []
    matchers: dict[str, tuple[str, ...]] = {}
    settings: dict[str, Any] = {}
    for key, value in raw.items():
        if key in LIST_MATCHERS:
            values = _string_list(source, f"{where}.{key}", value)
            warnings += _check_values(source, f"{where}.{key}", key, values)
            matchers[key] = values
        elif key in SETTINGS:
            if not isinstance(value, SETTINGS[key]):
                kind = "true or false" if SETTINGS[key] is bool else "a string"
                raise _fail(source, f"{where}.{key}", f"must be {kind}, got {value!r}")
            settings[key] = value
        elif key in _MIGRATED or key == "description":
            continue
        else:
            warnings.append(
                f"{source}: '{where}.{key}' is not supported by dependency-group and is ignored"
            )
    migrated = _migrate(source, where, raw)
    if migrated:
        names = matchers.get("matchPackageNames", ()) + tuple(migrated)
        warnings += _check_values(source, f"{where}.matchPackageNames", "matchPackageNames", names)
        matchers["matchPackageNames"] = names
    return Rule(where=where, matchers=matchers, settings=settings), warnings


def parse_renovate(data: object, source: str) -> Config:
    """A Renovate repository config (already decoded from JSON / JSON5)."""
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: the config must be a JSON object, got {type(data).__name__}")
    warnings: list[str] = []
    extends = _string_list(source, "extends", data.get("extends", []))
    recommended = any(preset in RECOMMENDED for preset in extends)
    for preset in extends:
        if preset not in RECOMMENDED:
            warnings.append(
                f"{source}: preset {preset!r} in 'extends' is not known to dependency-group "
                "and is ignored (only config:recommended's defaults are applied)"
            )
    base: dict[str, Any] = {}
    for key, value in data.items():
        if key in SETTINGS and key not in {"groupName", "groupSlug"}:
            if not isinstance(value, bool):
                raise _fail(source, key, f"must be true or false, got {value!r}")
            base[key] = value
        elif key in _IGNORED_TOP:
            warnings.append(f"{source}: '{key}' does not change the plan and is ignored")
        elif key not in _KNOWN_TOP:
            warnings.append(f"{source}: unknown key '{key}' is ignored")
    raw_rules = data.get("packageRules", [])
    if not isinstance(raw_rules, list):
        raise _fail(source, "packageRules", f"must be a list of objects, got {raw_rules!r}")
    rules: list[Rule] = []
    for index, raw in enumerate(raw_rules):
        rule, rule_warnings = _parse_rule(source, index, raw)
        rules.append(rule)
        warnings += rule_warnings
    ignore_paths = _string_list(source, "ignorePaths", data.get("ignorePaths", []))
    if "ignorePaths" not in data and recommended:
        ignore_paths = RECOMMENDED_IGNORE_PATHS
    enabled_managers = _string_list(source, "enabledManagers", data.get("enabledManagers", []))
    _check_values(source, "enabledManagers", "matchManagers", enabled_managers)
    return Config(
        source=source,
        kind="renovate",
        rules=tuple(rules),
        base=base,
        ignore_paths=ignore_paths,
        ignore_deps=_string_list(source, "ignoreDeps", data.get("ignoreDeps", [])),
        enabled_managers=enabled_managers,
        node_docker_versioning=recommended,
        warnings=tuple(warnings),
    )


# ------------------------------------------------------------------------- Dependabot

ECOSYSTEMS: dict[str, tuple[str, ...]] = {
    "pip": ("pip_requirements", "pep621", "poetry"),
    "uv": ("pep621",),
    "docker": ("dockerfile",),
    "docker-compose": ("docker-compose",),
    "github-actions": ("github-actions",),
}
_DEPENDABOT_UPDATE_TYPES = ("major", "minor", "patch")


def _wildcard_regex(pattern: str) -> str:
    import re  # noqa: PLC0415 - only for Dependabot configs

    body = ".*".join(re.escape(part) for part in pattern.split("*"))
    return f"/^{body}$/i"


def parse_dependabot(data: object, source: str) -> Config:
    """``.github/dependabot.yml``: each ``updates`` entry enables its ecosystem's managers; its
    ``groups`` become rules. A dependency matching several groups goes to the **first** one in
    the file (GitHub's documented rule), so groups are applied in reverse order."""
    if not isinstance(data, dict) or not isinstance(data.get("updates"), list):
        raise ConfigError(f"{source}: 'updates' must be a list of update entries")
    warnings: list[str] = []
    rules: list[Rule] = [
        Rule(where="(dependabot: ecosystems not listed)", matchers={}, settings={"enabled": False})
    ]
    for index, entry in enumerate(data["updates"]):
        where = f"updates[{index}]"
        if not isinstance(entry, dict):
            raise _fail(source, where, "must be a mapping")
        ecosystem = entry.get("package-ecosystem")
        if ecosystem not in ECOSYSTEMS:
            if isinstance(ecosystem, str) and ecosystem:
                warnings.append(
                    f"{source}: '{where}.package-ecosystem' {ecosystem!r} is not handled by "
                    "dependency-group and is ignored"
                )
                continue
            raise _fail(
                source,
                f"{where}.package-ecosystem",
                f"must be one of {', '.join(ECOSYSTEMS)}, got {ecosystem!r}",
            )
        managers = ECOSYSTEMS[ecosystem]
        directory = str(entry.get("directory", "/")).strip("/")
        files: tuple[str, ...] = ()
        if ecosystem != "github-actions":
            files = (f"{directory}/*",) if directory else ("*",)
        scope: dict[str, tuple[str, ...]] = {"matchManagers": managers}
        if files:
            scope["matchFileNames"] = files
        rules.append(Rule(where=where, matchers=scope, settings={"enabled": True}))
        groups = entry.get("groups")
        groups = {} if groups is None else groups
        if not isinstance(groups, dict):
            raise _fail(source, f"{where}.groups", "must be a mapping of group name → rules")
        group_rules: list[Rule] = []
        for name, spec in groups.items():
            rule, group_warnings = _parse_group(source, f"{where}.groups.{name}", spec, scope)
            warnings += group_warnings
            if rule is not None:
                group_rules.append(
                    Rule(
                        where=rule.where,
                        matchers=rule.matchers,
                        settings={"groupName": str(name), "groupSlug": f"{ecosystem}-{name}"},
                        dependency_type=rule.dependency_type,
                    )
                )
        rules.extend(reversed(group_rules))
        warnings += _entry_key_warnings(source, where, entry)
    return Config(
        source=source,
        kind="dependabot",
        rules=tuple(rules),
        base={"separateMajorMinor": False},
        warnings=tuple(warnings),
    )


def _parse_group(
    source: str, gwhere: str, spec: object, scope: Mapping[str, tuple[str, ...]]
) -> tuple[Rule | None, list[str]]:
    """One Dependabot group as a rule (None when it applies to security updates only)."""
    warnings: list[str] = []
    if not isinstance(spec, dict):
        raise _fail(source, gwhere, "must be a mapping")
    for key in spec:
        if key not in {"patterns", "exclude-patterns", "dependency-type",
                       "update-types", "applies-to"}:  # fmt: skip
            warnings.append(f"{source}: unknown key '{gwhere}.{key}' is ignored")
    matchers = dict(scope)
    patterns = _string_list(source, f"{gwhere}.patterns", spec.get("patterns", []))
    excludes = _string_list(source, f"{gwhere}.exclude-patterns", spec.get("exclude-patterns", []))
    names = [_wildcard_regex(p) for p in patterns] + ["!" + _wildcard_regex(p) for p in excludes]
    if names:
        matchers["matchPackageNames"] = tuple(names)
    update_types = _string_list(source, f"{gwhere}.update-types", spec.get("update-types", []))
    for value in update_types:
        if value not in _DEPENDABOT_UPDATE_TYPES:
            raise _fail(
                source, f"{gwhere}.update-types", f"must hold major, minor or patch, got {value!r}"
            )
    if update_types:
        matchers["matchUpdateTypes"] = update_types
    dependency_type = spec.get("dependency-type", "")
    if dependency_type not in {"", "production", "development"}:
        raise _fail(
            source,
            f"{gwhere}.dependency-type",
            f"must be production or development, got {dependency_type!r}",
        )
    if spec.get("applies-to", "version-updates") != "version-updates":
        warnings.append(
            f"{source}: '{gwhere}' applies to security updates, which dependency-group does "
            "not make; the group is ignored"
        )
        return None, warnings
    rule = Rule(where=gwhere, matchers=matchers, settings={}, dependency_type=str(dependency_type))
    return rule, warnings


_ENTRY_KEYS = frozenset({
    "package-ecosystem", "directory", "directories", "schedule", "groups", "labels",
    "open-pull-requests-limit", "commit-message", "reviewers", "assignees", "ignore", "allow",
    "target-branch", "versioning-strategy", "rebase-strategy", "registries", "milestone",
    "pull-request-branch-name", "insecure-external-code-execution", "vendor", "cooldown",
})  # fmt: skip
_UNSUPPORTED_ENTRY_KEYS = frozenset(
    {"ignore", "allow", "versioning-strategy", "directories", "cooldown"}
)


def _entry_key_warnings(source: str, where: str, entry: Mapping[str, Any]) -> list[str]:
    warnings: list[str] = []
    for key in entry:
        if key not in _ENTRY_KEYS:
            warnings.append(f"{source}: unknown key '{where}.{key}' is ignored")
        elif key in _UNSUPPORTED_ENTRY_KEYS:
            warnings.append(f"{source}: '{where}.{key}' is not supported and is ignored")
    return warnings
