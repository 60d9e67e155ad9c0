"""From dependencies and lookups to updates and branches, with Renovate's rules. Pure.

:func:`settings_for` applies the config's rules to one dependency (and update type);
:func:`propose` turns a dependency and the versions its datasource offers into updates (the
newest major and the newest non-major unless ``separateMajorMinor`` is off); :func:`group`
puts updates on branches named as Renovate names them after the prefix; :func:`to_json` gives
the ``plan`` file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from dependency_group.config import Config, Rule
from dependency_group.managers import CATEGORIES
from dependency_group.matchers import match_names
from dependency_group.model import Dependency, Update
from dependency_group.versioning import (
    Proposal,
    Separation,
    pep440_proposals,
    poetry_proposals,
    tag_proposals,
)

DEFAULTS: Mapping[str, Any] = {
    "groupName": None,
    "groupSlug": None,
    "automerge": False,
    "enabled": True,
    "separateMajorMinor": True,
    "separateMultipleMajor": False,
    "separateMinorPatch": False,
}


@dataclass(frozen=True, slots=True)
class Branch:
    name: str
    group: str | None
    automerge: bool
    updates: tuple[Update, ...]


@dataclass(frozen=True, slots=True)
class Skipped:
    manager: str
    file: str
    package: str
    reason: str


def dependabot_type(dep: Dependency) -> str:
    """Dependabot's ``dependency-type`` of a dependency: ``development`` for dev/test
    requirement files and optional / group dependencies, else ``production``."""
    name = dep.file.rsplit("/", 1)[-1].lower()
    if dep.manager == "pip_requirements" and re.search(r"dev|test|lint|doc", name):
        return "development"
    if dep.dep_type in {"project.optional-dependencies", "dependency-groups", "dev"}:
        return "development"
    return "production"


def package_name(dep: Dependency) -> str:
    """Renovate's ``packageName``: PyPI names normalised (``ruamel.yaml`` → ``ruamel-yaml``),
    others as written (the ``depName``)."""
    if dep.datasource == "pypi":
        return re.sub(r"[-_.]+", "-", dep.package).lower()
    return dep.package


def rule_matches(rule: Rule, dep: Dependency, update_type: str | None) -> bool:
    """Every ``match*`` field of the rule matches (values inside one field are OR-ed)."""
    for key, values in rule.matchers.items():
        if key == "matchManagers":
            ok = dep.manager in values
        elif key == "matchDatasources":
            ok = dep.datasource in values
        elif key == "matchDepTypes":
            ok = dep.dep_type in values
        elif key == "matchCategories":
            ok = CATEGORIES.get(dep.manager) in values
        elif key == "matchUpdateTypes":
            ok = update_type is not None and update_type in values
        elif key == "matchPackageNames":
            ok = match_names(values, package_name(dep))
        elif key == "matchDepNames":
            ok = match_names(values, dep.package)
        elif key == "matchFileNames":
            ok = dep.file in values or match_names(values, dep.file)
        else:  # pragma: no cover - config.py accepts only the keys above
            ok = False
        if not ok:
            return False
    return not rule.dependency_type or dependabot_type(dep) == rule.dependency_type


def settings_for(config: Config, dep: Dependency, update_type: str | None) -> dict[str, Any]:
    """Defaults, then the config's top-level settings, then every matching rule in order."""
    merged = dict(DEFAULTS)
    merged.update(config.base)
    for rule in config.rules:
        if rule_matches(rule, dep, update_type):
            merged.update(rule.settings)
    return merged


def versioning_for(dep: Dependency, config: Config) -> str:
    if dep.versioning:
        return dep.versioning
    if dep.datasource == "pypi":
        return "pep440"
    if dep.datasource == "github-tags":
        return "semver"
    if (
        dep.datasource == "docker"
        and config.node_docker_versioning
        and not dep.registry
        and dep.lookup_name == "library/node"
    ):
        return "node"
    return "docker"


def propose(dep: Dependency, versions: Sequence[str], config: Config) -> list[Proposal]:
    """The proposals for one dependency from the versions (or tags) its datasource offers."""
    settings = settings_for(config, dep, None)
    separate = Separation(
        major_minor=bool(settings["separateMajorMinor"]),
        multiple_major=bool(settings["separateMultipleMajor"]),
        minor_patch=bool(settings["separateMinorPatch"]),
    )
    scheme = versioning_for(dep, config)
    if scheme == "pep440":
        return pep440_proposals(dep.value, versions, separate_major_minor=separate)
    if scheme == "poetry":
        return poetry_proposals(dep.value, versions, separate_major_minor=separate)
    return tag_proposals(dep.value, versions, scheme, separate_major_minor=separate)


_SLUG_CHARS = {"$": "dollar", "%": "percent", "&": "and", "<": "less", ">": "greater",
               "|": "or", "©": "(c)", "®": "(r)", "™": "tm"}  # fmt: skip


def slugify(text: str) -> str:
    """The npm ``slugify`` package with ``{lower: true}``, as Renovate slugifies group names:
    symbols spelled out, accents dropped, characters outside ``[\\w\\s$*_+~.()'"!:@-]``
    removed, runs of spaces and hyphens made one hyphen."""
    spelled = "".join(f" {_SLUG_CHARS[c]} " if c in _SLUG_CHARS else c for c in text)
    plain = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode("ascii")
    kept = re.sub(r"[^\w\s$*_+~.()'\"!:@-]+", "", plain).strip()
    return re.sub(r"[-\s]+", "-", kept).lower()


def clean_branch_name(name: str) -> str:
    """Renovate's ``cleanBranchName``: a valid git ref (no ``[]?:\\^~``, spaces, ``--``,
    leading dots or hyphens in a path part)."""
    name = re.sub(r"^\.|\.$", "", name)
    name = name.replace("/.", "/")
    name = re.sub(r"\s", "", name)
    name = re.sub(r"[\[\]?:\\^~]", "-", name)
    name = re.sub(r"(^|/)-+", r"\1", name)
    name = re.sub(r"-+(/|$)", r"\1", name)
    return re.sub(r"--+", "-", name)


def sanitize_dep_name(name: str) -> str:
    """Renovate's ``depNameSanitized``."""
    name = name.replace("@types/", "").replace("@", "")
    name = re.sub(r"[/\s:]", "-", name)
    return re.sub(r"-+", "-", name).lower()


def branch_topic(update: Update, settings: Mapping[str, Any]) -> str:  # noqa: PLR0911 - one per branch shape
    group = settings.get("groupName")
    if group:
        slug = slugify(str(settings.get("groupSlug") or group))
        if update.update_type == "major" and settings.get("separateMajorMinor", True):
            if settings.get("separateMultipleMajor"):
                return f"major-{update.new_major}-{slug}"
            return f"major-{slug}"
        if update.update_type == "patch" and settings.get("separateMinorPatch"):
            return f"patch-{slug}"
        return slug
    name = sanitize_dep_name(update.dependency.package)
    if update.update_type in {"digest", "pinDigest"}:
        return f"{name}-digest"
    if update.update_type == "patch" and settings.get("separateMinorPatch"):
        return f"{name}-{update.new_major}.{update.new_minor}.x"
    return f"{name}-{update.new_major}.x"


def group(updates: Iterable[Update], config: Config, prefix: str) -> list[Branch]:
    """Updates on branches; a branch automerges only when every update on it does."""
    by_branch: dict[str, list[tuple[Update, Mapping[str, Any]]]] = {}
    for update in updates:
        settings = settings_for(config, update.dependency, update.update_type)
        if not settings["enabled"]:
            continue
        name = clean_branch_name(prefix + branch_topic(update, settings))
        by_branch.setdefault(name, []).append((update, settings))
    branches: list[Branch] = []
    for name in sorted(by_branch):
        items = sorted(
            by_branch[name],
            key=lambda item: (item[0].dependency.file, item[0].dependency.line,
                              item[0].dependency.package.lower(), item[0].update_type),
        )  # fmt: skip
        group_name = items[0][1].get("groupName")
        automerge = all(bool(settings["automerge"]) for _update, settings in items)
        branches.append(
            Branch(
                name=name,
                group=str(group_name) if group_name else None,
                automerge=automerge,
                updates=tuple(update for update, _settings in items),
            )
        )
    return branches


def is_enabled(config: Config, dep: Dependency) -> bool:
    """False when the dependency is disabled at dependency level (``enabled: false``)."""
    return bool(settings_for(config, dep, None)["enabled"])


def to_json(branches: Sequence[Branch], skipped: Sequence[Skipped]) -> dict[str, Any]:
    """The ``plan`` file's content."""
    return {
        "branches": [
            {
                "branch": branch.name,
                "group": branch.group,
                "automerge": branch.automerge,
                "updates": [
                    {
                        "manager": u.dependency.manager,
                        "file": u.dependency.file,
                        "package": u.dependency.package,
                        "datasource": u.dependency.datasource,
                        "dep_type": u.dependency.dep_type,
                        "update_type": u.update_type,
                        "current": u.dependency.current,
                        "new": u.new,
                        "license": u.license,
                        "license_ok": u.license_ok,
                    }
                    for u in branch.updates
                ],
            }
            for branch in branches
        ],
        "skipped": [
            {"manager": s.manager, "file": s.file, "package": s.package, "reason": s.reason}
            for s in skipped
        ],
    }


def with_license(update: Update, license_text: str | None, ok: bool, reason: str) -> Update:
    return replace(update, license=license_text, license_ok=ok, license_reason=reason)
