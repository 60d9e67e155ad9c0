"""Managers: find dependencies in file contents, with the positions of their version text.

Pure (content in, :class:`~dependency_group.model.Dependency` values out), so the writer can
change only the version text later. Which manager reads which file follows Renovate:
``requirements*.txt`` → ``pip_requirements``; ``pyproject.toml`` → ``poetry`` (which supersedes
``pep621`` unless a ``pdm.lock`` / ``uv.lock`` sits beside it); ``Dockerfile`` → ``dockerfile``;
``.github/workflows/*.yml`` → ``github-actions``; ``docker-compose*.yml`` / ``compose*.yml`` →
``docker-compose``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from dependency_group.model import Dependency, Span

MANAGERS = (
    "pip_requirements",
    "pep621",
    "poetry",
    "dockerfile",
    "github-actions",
    "docker-compose",
)
DATASOURCES = ("pypi", "docker", "github-tags", "git-tags", "github-runners")
CATEGORIES = {
    "pip_requirements": "python",
    "pep621": "python",
    "poetry": "python",
    "dockerfile": "docker",
    "docker-compose": "docker",
    "github-actions": "ci",
}

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_PEP508 = re.compile(
    rf"^\s*(?P<name>{_NAME})\s*(?P<extras>\[[^\]]*\])?\s*(?P<spec>[^;@#]*?)\s*(?P<url>@[^;]*)?"
    r"(?P<rest>;.*)?$"
)


_FILE_MATCH: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("pip_requirements", re.compile(r"(^|/)[\w-]*requirements([-.]\w+)?\.(txt|pip)$")),
    ("pep621", re.compile(r"(^|/)pyproject\.toml$")),
    ("dockerfile", re.compile(r"(^|/|\.)([Dd]ocker|[Cc]ontainer)file$")),
    ("dockerfile", re.compile(r"(^|/)([Dd]ocker|[Cc]ontainer)file[^/]*$")),
    ("docker-compose", re.compile(r"(^|/)(?:docker-)?compose[^/]*\.ya?ml$")),
    ("github-actions", re.compile(
        r"(^|/)(workflow-templates|\.(?:github|gitea|forgejo)/(?:workflows|actions))/.+\.ya?ml$"
    )),
    ("github-actions", re.compile(r"(^|/)action\.ya?ml$")),
)  # fmt: skip


def manager_for(path: str) -> str | None:
    """The manager that reads ``path`` (a repository-relative POSIX path), or None; the file
    patterns are Renovate's default ``managerFilePatterns``."""
    for manager, pattern in _FILE_MATCH:
        if pattern.search(path):
            return manager
    return None


def _line_of(content: str, offset: int) -> int:
    return content.count("\n", 0, offset) + 1


# ---------------------------------------------------------------------------------- PEP 508


def _from_pep508(
    text: str, base: int, content: str, *, manager: str, file: str, dep_type: str
) -> Dependency | None:
    """One requirement string at ``content[base:base+len(text)]`` → a pypi dependency."""
    match = _PEP508.match(text)
    if match is None:
        return None
    name = match["name"]
    spec = match["spec"]
    start = base + match.start("spec")
    dep = Dependency(
        manager=manager,
        file=file,
        package=name,
        datasource="pypi",
        dep_type=dep_type,
        value=spec,
        spans=(Span("version", start, start + len(spec)),),
        lookup_name=name,
        line=_line_of(content, base),
    )
    if match["url"]:
        return replace(dep, skip_reason="a direct URL reference has no version to update")
    if not spec:
        return replace(dep, skip_reason="no version specified")
    return dep


# --------------------------------------------------------------------- pip_requirements


def extract_requirements(content: str, file: str) -> tuple[list[Dependency], list[str]]:
    """``requirements*.txt``: the dependencies and the ``-r`` / ``-c`` files it includes.

    Extras and markers are kept; a requirement with ``--hash`` options is refused (its hashes
    would no longer match the new version), with that reason."""
    deps: list[Dependency] = []
    includes: list[str] = []
    offset = 0
    lines = content.splitlines(keepends=True)
    index = 0
    while index < len(lines):
        start = offset
        logical = lines[index]
        offset += len(logical)
        index += 1
        while logical.rstrip("\r\n").endswith("\\") and index < len(lines):
            logical += lines[index]
            offset += len(lines[index])
            index += 1
        body = logical
        comment = re.search(r"(^|\s)#", body)
        ignored = False
        if comment:
            ignored = bool(re.match(r"\s*(?:renovate|pyup):\s*ignore\b", body[comment.end() :]))
            body = body[: comment.start()]
        stripped = body.strip()
        if not stripped:
            continue
        include = re.match(r"^\s*(?:-r|--requirement|-c|--constraint)[\s=]+(\S+)", body)
        if include:
            includes.append(include.group(1))
            continue
        if stripped.startswith("-") or "://" in stripped.split(" ", 1)[0]:
            continue
        requirement = re.split(r"\s+--|\s*\\\s*\n", body, maxsplit=1)[0]
        dep = _from_pep508(
            requirement, start, content, manager="pip_requirements", file=file, dep_type=""
        )
        if dep is None:
            continue
        if ignored:
            dep = replace(dep, skip_reason="ignored by a '# renovate: ignore' comment")
        elif "--hash" in body:
            dep = replace(
                dep,
                skip_reason="pinned with --hash: the hashes would not match the new version "
                "(regenerate the file with pip-compile --generate-hashes)",
            )
        deps.append(dep)
    return deps, includes


# ---------------------------------------------------------------------------- pyproject


def _string_positions(content: str) -> Iterable[tuple[int, str]]:
    """Every single-line TOML basic or literal string: (offset of its text, its text)."""
    for match in re.finditer(r"\"((?:[^\"\\\n]|\\.)*)\"|'([^'\n]*)'", content):
        if match.group(1) is not None:
            yield match.start(1), match.group(1)
        else:
            yield match.start(2), match.group(2)


def _pep508_strings(data: dict[str, Any], *, build_system: bool) -> list[tuple[str, str]]:
    """(requirement, depType) of ``[project]``, optional, PEP 735 groups (and build-system)."""
    wanted: list[tuple[str, str]] = []
    project = data.get("project", {})
    for item in project.get("dependencies", []) or []:
        wanted.append((item, "project.dependencies"))
    for _group, items in (project.get("optional-dependencies", {}) or {}).items():
        wanted.extend((item, "project.optional-dependencies") for item in items)
    for _group, items in (data.get("dependency-groups", {}) or {}).items():
        wanted.extend((item, "dependency-groups") for item in items if isinstance(item, str))
    if build_system:
        requires = (data.get("build-system", {}) or {}).get("requires", []) or []
        wanted.extend((item, "build-system.requires") for item in requires)
    return [(text, dep_type) for text, dep_type in wanted if isinstance(text, str)]


def extract_pyproject(
    content: str, file: str, *, has_pep621_lock: bool = False
) -> list[Dependency]:
    """``pyproject.toml`` as Renovate reads it: the ``poetry`` manager supersedes ``pep621``
    (``[project]`` dependencies, optional-dependencies, PEP 735 ``[dependency-groups]`` and the
    ``[tool.poetry]`` tables of :func:`extract_poetry_tables`) unless a ``pdm.lock`` /
    ``uv.lock`` sits beside the file or poetry finds nothing; ``pep621`` also reads
    ``[build-system] requires``."""
    data = tomllib.loads(content)
    if not has_pep621_lock:
        deps = _pyproject_strings(content, data, file, manager="poetry", build_system=False)
        deps += extract_poetry_tables(content, file)
        if deps:
            return deps
    return _pyproject_strings(content, data, file, manager="pep621", build_system=True)


def _pyproject_strings(
    content: str, data: dict[str, Any], file: str, *, manager: str, build_system: bool
) -> list[Dependency]:
    positions = list(_string_positions(content))
    used: set[int] = set()
    deps: list[Dependency] = []
    for text, dep_type in _pep508_strings(data, build_system=build_system):
        found = next((p for p, s in positions if s == text and p not in used), None)
        if found is None:
            continue
        used.add(found)
        dep = _from_pep508(text, found, content, manager=manager, file=file, dep_type=dep_type)
        if dep is not None:
            deps.append(dep)
    return deps


_POETRY_TABLE = re.compile(
    r"^\[tool\.poetry\.(?:(?P<main>dependencies)|(?P<dev>dev-dependencies)"
    r"|group\.(?P<group>[\w.-]+)\.dependencies)\][ \t]*$",
    re.MULTILINE,
)
_POETRY_ENTRY = re.compile(
    r"^[ \t]*(?P<name>\"[^\"\n]+\"|'[^'\n]+'|[A-Za-z0-9_.-]+)[ \t]*=[ \t]*"
    r"(?:(?P<q>[\"'])(?P<value>[^\"'\n]*)(?P=q)|\{(?P<table>[^}\n]*)\})",
    re.MULTILINE,
)
_TABLE_VERSION = re.compile(r"\bversion[ \t]*=[ \t]*(?P<q>[\"'])(?P<value>[^\"'\n]*)(?P=q)")


def extract_poetry_tables(content: str, file: str) -> list[Dependency]:
    """``[tool.poetry.dependencies]``, ``dev-dependencies`` and ``group.<g>.dependencies``
    (depTypes ``dependencies``, ``dev-dependencies``, ``<g>``), versioned as Poetry
    constraints (``^1.2``, ``~1.2``, ``1.2.3``); path, git and url entries are skipped."""
    deps: list[Dependency] = []
    headers = list(_POETRY_TABLE.finditer(content))
    for header in headers:
        nxt = re.compile(r"^\[", re.MULTILINE).search(content, header.end())
        end = nxt.start() if nxt else len(content)
        dep_type = (
            "dependencies" if header["main"] else "dev-dependencies" if header["dev"]
            else header["group"]
        )  # fmt: skip
        for entry in _POETRY_ENTRY.finditer(content, header.end(), end):
            name = entry["name"].strip("\"'")
            if entry["table"] is not None:
                inner = _TABLE_VERSION.search(entry["table"])
                if inner is None:
                    skip = "a path, git or url dependency has no version to update"
                    value, start = "", entry.start("table")
                else:
                    skip, value = "", inner["value"]
                    start = entry.start("table") + inner.start("value")
            else:
                skip, value, start = "", entry["value"], entry.start("value")
            if value.strip() in {"*", ""} and not skip:
                skip = "no version constraint ('*')"
            entry_type = dep_type
            if name.lower() == "python":
                skip = "the Python constraint follows Python releases, not PyPI"
            elif entry["table"] is not None and re.search(r"\boptional\s*=\s*true", entry["table"]):
                entry_type = "extras"
            deps.append(
                Dependency(
                    manager="poetry", file=file, package=name, datasource="pypi",
                    dep_type=entry_type, value=value,
                    spans=(Span("version", start, start + len(value)),),
                    lookup_name=name, line=_line_of(content, entry.start()),
                    skip_reason=skip, versioning="poetry",
                )
            )  # fmt: skip
    return deps


# ------------------------------------------------------------------------------ docker


def split_image(
    text: str,
) -> tuple[str, str, str, str] | None:
    """``[registry/]repo[:tag][@digest]`` → (registry, repository, tag, digest); registry is
    ``""`` for Docker Hub, whose official images get ``library/``."""
    match = re.fullmatch(r"([^\s@]+?)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[0-9a-f]{64}))?", text)
    if match is None:
        return None
    name, tag, digest = match.group(1), match.group(2) or "", match.group(3) or ""
    first, _, rest = name.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        registry, repository = first, rest
    else:
        registry, repository = "", name if "/" in name else f"library/{name}"
    if registry in {"docker.io", "index.docker.io", "registry-1.docker.io"}:
        registry = ""
        repository = repository if "/" in repository else f"library/{repository}"
    return registry, repository, tag, digest


def _image_dep(
    image: str, start: int, content: str, *, manager: str, file: str, dep_type: str
) -> Dependency | None:
    parts = split_image(image)
    if parts is None:
        return None
    registry, repository, tag, digest = parts
    name_text = image.split("@", 1)[0]
    name = name_text.rsplit(":", 1)[0] if tag else name_text
    spans: list[Span] = []
    if tag:
        tag_start = start + len(name) + 1
        spans.append(Span("version", tag_start, tag_start + len(tag)))
    if digest:
        digest_start = start + image.index("@") + 1
        spans.append(Span("digest", digest_start, digest_start + len(digest)))
    dep = Dependency(
        manager=manager,
        file=file,
        package=name,
        datasource="docker",
        dep_type=dep_type,
        value=tag,
        spans=tuple(spans),
        digest=digest,
        lookup_name=repository,
        registry=registry,
        line=_line_of(content, start),
    )
    if "$" in image:
        return replace(dep, skip_reason="the image contains a variable")
    if not tag:
        return replace(dep, skip_reason="no tag: pin a tag to get updates")
    return dep


_FROM = re.compile(
    r"^[ \t]*FROM[ \t]+(?:--platform=\S+[ \t]+)?(?P<image>\S+)(?:[ \t]+AS[ \t]+(?P<alias>\S+))?",
    re.IGNORECASE | re.MULTILINE,
)
_ARG = re.compile(
    r"^[ \t]*ARG[ \t]+(?P<name>\w+)=(?P<q>[\"']?)(?P<value>[^\s\"']+)(?P=q)",
    re.IGNORECASE | re.MULTILINE,
)


def extract_dockerfile(content: str, file: str) -> list[Dependency]:
    """``FROM`` lines: stages (``AS``), ``--platform``, ``${ARG}`` images resolved to the
    ``ARG`` default (edited there), digests; the last stage is depType ``final``."""
    args: dict[str, tuple[int, str]] = {}
    stages: set[str] = set()
    found: list[tuple[int, str, int]] = []  # (order, image, offset)
    events = sorted(
        [(m.start(), "arg", m) for m in _ARG.finditer(content)]
        + [(m.start(), "from", m) for m in _FROM.finditer(content)],
        key=lambda item: item[0],
    )
    for _pos, kind, match in events:
        if kind == "arg":
            args[match["name"]] = (match.start("value"), match["value"])
            continue
        image, offset = match["image"], match.start("image")
        variable = re.fullmatch(r"\$\{?(\w+)\}?", image)
        if variable and variable.group(1) in args:
            offset, image = args[variable.group(1)]
        if image.lower() != "scratch" and image not in stages:
            found.append((len(found), image, offset))
        if match["alias"]:
            stages.add(match["alias"])
    deps: list[Dependency] = []
    for order, image, offset in found:
        dep_type = "final" if order == len(found) - 1 else "stage"
        dep = _image_dep(image, offset, content, manager="dockerfile", file=file, dep_type=dep_type)
        if dep is not None:
            deps.append(dep)
    return deps


def extract_compose(content: str, file: str) -> list[Dependency]:
    """``image:`` values of a Compose file."""
    deps: list[Dependency] = []
    for match in re.finditer(
        r"^[ \t]*image:[ \t]*(?P<q>[\"']?)(?P<image>[^\s\"'#]+)(?P=q)", content, re.MULTILINE
    ):
        dep = _image_dep(
            match["image"],
            match.start("image"),
            content,
            manager="docker-compose",
            file=file,
            dep_type="",
        )
        if dep is not None:
            deps.append(dep)
    return deps


# ----------------------------------------------------------------------- github-actions

_USES = re.compile(
    r"^[ \t]*(?:-[ \t]+)?uses:[ \t]*(?P<q>[\"']?)(?P<ref>[^\s\"'#]+)(?P=q)"
    r"(?:[ \t]*#[ \t]*(?:tag=|ratchet:[^@\s]*@)?(?P<comment>v?\d[\w.+-]*))?",
    re.MULTILINE,
)
_RUNS_ON = re.compile(
    r"^[ \t]*runs-on:[ \t]*(?P<q>[\"']?)(?P<os>ubuntu|windows|macos)-(?P<ver>[\w.-]+)(?P=q)[ \t]*$",
    re.MULTILINE,
)
_SHA = re.compile(r"[0-9a-f]{40}")


def extract_workflow(content: str, file: str) -> list[Dependency]:
    """``uses: owner/repo[/path]@ref`` (tags, sha pins with a ``# vX.Y.Z`` comment),
    ``uses: docker://image:tag`` and ``runs-on: <os>-<version>`` runner labels."""
    deps: list[Dependency] = []
    for match in _USES.finditer(content):
        ref = match["ref"]
        start = match.start("ref")
        if ref.startswith("docker://"):
            dep = _image_dep(
                ref[len("docker://") :],
                start + len("docker://"),
                content,
                manager="github-actions",
                file=file,
                dep_type="docker",
            )
            if dep is not None:
                deps.append(dep)
            continue
        if ref.startswith("./") or "@" not in ref:
            continue
        target, _, version = ref.partition("@")
        owner_repo = "/".join(target.split("/")[:2])
        version_start = start + len(target) + 1
        common = {
            "manager": "github-actions",
            "file": file,
            "package": owner_repo,
            "datasource": "github-tags",
            "dep_type": "action",
            "lookup_name": owner_repo,
            "line": _line_of(content, start),
        }
        if _SHA.fullmatch(version):
            comment = match["comment"]
            if comment is None:
                deps.append(
                    Dependency(
                        value="",
                        digest=version,
                        spans=(Span("digest", version_start, version_start + 40),),
                        skip_reason="pinned to a commit without a '# vX.Y.Z' version comment",
                        **common,  # type: ignore[arg-type]
                    )
                )
                continue
            spans = (
                Span("digest", version_start, version_start + 40),
                Span("version", match.start("comment"), match.end("comment")),
            )
            deps.append(Dependency(value=comment, digest=version, spans=spans, **common))  # type: ignore[arg-type]
            continue
        deps.append(
            Dependency(
                value=version,
                spans=(Span("version", version_start, version_start + len(version)),),
                **common,  # type: ignore[arg-type]
            )
        )
    deps.extend(_workflow_images(content, file))
    for match in _RUNS_ON.finditer(content):
        version = match["ver"]
        deps.append(
            Dependency(
                manager="github-actions",
                file=file,
                package=match["os"],
                datasource="github-runners",
                dep_type="github-runner",
                value=version,
                spans=(Span("version", match.start("ver"), match.end("ver")),),
                lookup_name=match["os"],
                line=_line_of(content, match.start()),
                skip_reason="" if version != "latest" else "a floating runner label",
            )
        )
    return deps


def _offsets(content: str) -> list[int]:
    starts = [0]
    for index, char in enumerate(content):
        if char == "\n":
            starts.append(index + 1)
    return starts


def _workflow_images(content: str, file: str) -> list[Dependency]:
    """Job ``container:`` images (a string or its ``image:``; depType ``container``) and
    ``services.<name>.image`` (depType ``service``), as Renovate reads them; positions come
    from the YAML parser's line and column of each value."""
    from ruamel.yaml import YAML  # noqa: PLC0415 - heavy
    from ruamel.yaml.error import YAMLError  # noqa: PLC0415

    try:
        data = YAML(typ="rt", pure=True).load(content)
    except YAMLError:
        return []
    jobs = data.get("jobs") if isinstance(data, dict) else None
    if not isinstance(jobs, dict):
        return []
    starts = _offsets(content)
    found: list[tuple[int, str, str]] = []  # (offset, image, depType)

    def add(holder: Any, key: str, dep_type: str) -> None:
        value = holder.get(key)
        if isinstance(value, str):
            line, column = holder.lc.value(key)
            offset = starts[line] + column
            if content[offset : offset + 1] in {"'", '"'}:
                offset += 1
            if content.startswith(value, offset):
                found.append((offset, value, dep_type))

    for job in jobs.values():
        if not isinstance(job, dict):
            continue
        container = job.get("container")
        if isinstance(container, str):
            add(job, "container", "container")
        elif isinstance(container, dict):
            add(container, "image", "container")
        services = job.get("services")
        if isinstance(services, dict):
            for service in services.values():
                if isinstance(service, dict):
                    add(service, "image", "service")
    deps: list[Dependency] = []
    for offset, image, dep_type in sorted(found):
        dep = _image_dep(
            image, offset, content, manager="github-actions", file=file, dep_type=dep_type
        )
        if dep is not None:
            deps.append(dep)
    return deps


Extractor = Callable[[str, str], list[Dependency]]
EXTRACTORS: dict[str, Extractor] = {
    "dockerfile": extract_dockerfile,
    "docker-compose": extract_compose,
    "github-actions": extract_workflow,
}
