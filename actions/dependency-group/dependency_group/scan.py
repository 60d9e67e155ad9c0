"""Scanning a repository (I/O): which files each manager reads, their dependencies, and the
lookups that turn them into updates (concurrent, bounded, one request per dependency and
datasource)."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from relkit.errors import ExternalError

from dependency_group import managers, plan
from dependency_group.config import Config
from dependency_group.datasources import Datasources
from dependency_group.licenses import Policy, evaluate
from dependency_group.matchers import match_names
from dependency_group.model import Dependency, Update

_SKIP_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", ".tox"})


@dataclass(frozen=True, slots=True)
class Scan:
    dependencies: tuple[Dependency, ...]
    skipped: tuple[plan.Skipped, ...]


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def find_dependencies(root: Path, enabled: Sequence[str], config: Config) -> Scan:  # noqa: PLR0912
    """Walk ``root`` (skipping ``.git`` and config ``ignorePaths``) and extract dependencies
    with the enabled managers; ``pep621`` enables ``pyproject.toml`` whichever of ``pep621`` /
    ``poetry`` Renovate would name."""
    wanted = set(enabled) | ({"pep621"} if "poetry" in enabled else set())
    if config.enabled_managers:
        wanted &= set(config.enabled_managers) | (
            {"pep621"} if "poetry" in config.enabled_managers else set()
        )
    deps: list[Dependency] = []
    skipped: list[plan.Skipped] = []
    seen: set[str] = set()
    pending: list[str] = []
    included: set[str] = set()
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        rel_folder = Path(folder).relative_to(root).as_posix()
        for name in sorted(files):
            rel = name if rel_folder == "." else f"{rel_folder}/{name}"
            pending.append(rel)
    while pending:
        rel = pending.pop(0)
        if rel in seen:
            continue
        seen.add(rel)
        if config.ignore_paths and match_names(config.ignore_paths, rel):
            continue
        manager = managers.manager_for(rel)
        if manager is None and rel.endswith(".txt") and rel in included:
            manager = "pip_requirements"
        if manager is None or manager not in wanted:
            continue
        content = _read(root / rel)
        if content is None:
            continue
        found: list[Dependency]
        if manager == "pip_requirements":
            found, includes = managers.extract_requirements(content, rel)
            parent = PurePosixPath(rel).parent
            for include in includes:
                target = (parent / include).as_posix().removeprefix("./")
                pending.insert(0, target)
                included.add(target)
        elif manager == "pep621":
            lock = any((root / PurePosixPath(rel).parent / n).exists()
                       for n in ("pdm.lock", "uv.lock"))  # fmt: skip
            try:
                found = managers.extract_pyproject(content, rel, has_pep621_lock=lock)
            except ValueError as exc:
                skipped.append(plan.Skipped("pep621", rel, "", f"invalid TOML: {exc}"))
                continue
        else:
            found = managers.EXTRACTORS[manager](content, rel)
        deps.extend(found)
    for dep in deps:
        if dep.skip_reason:
            skipped.append(plan.Skipped(dep.manager, dep.file, dep.package, dep.skip_reason))
    return Scan(tuple(d for d in deps if not d.skip_reason), tuple(skipped))


def _updates_for(
    dep: Dependency, sources: Datasources, config: Config, policy: Policy
) -> list[Update]:
    offered = sources.versions(dep)
    proposals = plan.propose(dep, offered.versions, config)
    updates: list[Update] = []
    for proposal in proposals:
        update = Update(
            dependency=dep,
            update_type=proposal.update_type,
            new_value=proposal.new_value,
            new_version=proposal.version,
            new_major=proposal.major,
            new_minor=proposal.minor,
        )
        if dep.datasource == "docker" and dep.digest:
            digest = sources.docker_digest(dep, proposal.version)
            if not digest:
                raise ExternalError(f"no digest for {dep.package}:{proposal.version}")
            update = replace(update, new_digest=digest)
        elif dep.datasource == "github-tags" and dep.digest:
            sha = sources.tag_sha(dep.lookup_name, proposal.version)
            update = replace(update, new_digest=sha)
        updates.append(update)
    if not proposals and dep.datasource == "docker" and dep.digest:
        digest = sources.docker_digest(dep, dep.value)
        if digest and digest != dep.digest:
            leading = re.match(r"\d+", dep.value)
            major = int(leading.group(0)) if leading else 0
            updates.append(Update(dep, "digest", dep.value, digest, dep.value, major))
    licensed: list[Update] = []
    for update in updates:
        if dep.datasource == "github-runners":
            licensed.append(update)
            continue
        if dep.datasource == "pypi":
            text = offered.license
        elif dep.datasource == "docker":
            text = sources.docker_license(dep, update.new_version)
        else:
            text = sources.action_license(dep.lookup_name)
        decision = evaluate(text, policy)
        licensed.append(plan.with_license(update, text, decision.ok, decision.reason))
    return licensed


def find_updates(
    deps: Sequence[Dependency],
    sources: Datasources,
    config: Config,
    policy: Policy,
    *,
    workers: int = 8,
) -> tuple[list[Update], list[plan.Skipped]]:
    """Updates of every enabled dependency; a lookup failure skips that dependency only."""
    enabled = [dep for dep in deps if plan.is_enabled(config, dep)]
    skipped = [
        plan.Skipped(d.manager, d.file, d.package, "disabled by the config")
        for d in deps
        if d not in enabled
    ]
    ignored = [d for d in enabled if config.ignore_deps and d.package in config.ignore_deps]
    skipped += [plan.Skipped(d.manager, d.file, d.package, "in ignoreDeps") for d in ignored]
    enabled = [d for d in enabled if d not in ignored]

    def job(dep: Dependency) -> list[Update] | str:
        try:
            return _updates_for(dep, sources, config, policy)
        except ExternalError as exc:
            return f"lookup failed: {exc}"
        except ValueError as exc:  # an answer that is not the JSON the API documents
            return f"lookup failed: unexpected answer ({exc})"

    updates: list[Update] = []
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for dep, result in zip(enabled, pool.map(job, enabled), strict=True):
            if isinstance(result, str):
                skipped.append(plan.Skipped(dep.manager, dep.file, dep.package, result))
            else:
                updates.extend(result)
    return updates, skipped
