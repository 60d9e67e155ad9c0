"""Rendered overlays (``kubectl kustomize`` output): container images and resource drift. Pure.

Resources are matched by ``kind/name`` (namespaces and name prefixes usually differ between
environments: declare them expected). Expected differences are given as dotted paths
(``spec.replicas``, ``metadata.namespace``, ``spec.template.spec.containers[*].env``), JSON
pointers (``/spec/replicas``) or kinds (``ConfigMap``): a path ignores everything under it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from relkit.errors import ConfigError

_POD_SPEC_PATHS = (
    ("spec", "template", "spec"),  # Deployment, StatefulSet, DaemonSet, Job, ReplicaSet
    ("spec", "jobTemplate", "spec", "template", "spec"),  # CronJob
    ("spec",),  # Pod
)
_KIND = re.compile(r"^[A-Z][A-Za-z0-9]*$")


@dataclass(frozen=True, slots=True)
class ResourceDrift:
    """One remaining difference between the rendered overlays."""

    resource: str  # kind/name
    path: str
    source: object
    target: object

    def as_json(self) -> dict[str, object]:
        return {
            "resource": self.resource,
            "path": self.path,
            "source": self.source,
            "target": self.target,
        }


def load_documents(text: str, what: str) -> list[dict[str, Any]]:
    from ruamel.yaml import YAML  # noqa: PLC0415 - heavy
    from ruamel.yaml.error import YAMLError  # noqa: PLC0415

    try:
        docs = list(YAML(typ="safe", pure=True).load_all(text))
    except YAMLError as exc:
        raise ConfigError(f"{what}: the rendered output is not YAML: {exc}") from None
    return [doc for doc in docs if isinstance(doc, dict)]


def container_images(docs: Sequence[Mapping[str, Any]]) -> list[str]:
    """Every ``image:`` of the (init / ephemeral) containers of the rendered workloads."""
    images: list[str] = []
    for doc in docs:
        for path in _POD_SPEC_PATHS:
            spec: Any = doc
            for key in path:
                spec = spec.get(key) if isinstance(spec, Mapping) else None
            if not isinstance(spec, Mapping):
                continue
            for field in ("initContainers", "containers", "ephemeralContainers"):
                for container in spec.get(field) or ():
                    if isinstance(container, Mapping) and container.get("image"):
                        images.append(str(container["image"]))
            break
    return images


def _key(doc: Mapping[str, Any]) -> str:
    meta = doc.get("metadata") if isinstance(doc.get("metadata"), Mapping) else {}
    return f"{doc.get('kind', '?')}/{meta.get('name', '?')}"  # type: ignore[union-attr]


def _leaves(value: object, path: str) -> Iterator[tuple[str, object]]:
    if isinstance(value, Mapping) and value:
        for key, item in value.items():
            yield from _leaves(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            yield from _leaves(item, f"{path}[{index}]")
    else:
        yield path, value


def normalise_ignore(item: str) -> str:
    """``/spec/replicas`` → ``spec.replicas``; ``containers/0`` indexes → ``containers[0]``."""
    text = item.strip()
    if text.startswith("/"):
        parts = [p.replace("~1", "/").replace("~0", "~") for p in text[1:].split("/")]
        out = ""
        for part in parts:
            out += f"[{part}]" if part.isdigit() or part == "*" else (f".{part}" if out else part)
        return out
    return text


def _pattern(item: str) -> re.Pattern[str]:
    """An ignore path as a regex: ``*`` is one key or index, a match covers what lies under."""
    body = re.escape(item).replace(r"\*", r"[^.\[\]]*")
    return re.compile(rf"^{body}(?:$|[.\[])")


def _ignored(path: str, kind: str, ignore: Sequence[str]) -> bool:
    for item in ignore:
        if _KIND.match(item):
            if item == kind:
                return True
        elif path and _pattern(item).match(path):
            return True
    return False


def rendered_drift(
    source: Sequence[Mapping[str, Any]],
    target: Sequence[Mapping[str, Any]],
    ignore: Sequence[str] = (),
) -> list[ResourceDrift]:
    """Differences between two rendered overlays, resource by resource, minus ``ignore``."""
    rules = [normalise_ignore(item) for item in ignore if item.strip()]
    by_source = {_key(doc): doc for doc in source}
    by_target = {_key(doc): doc for doc in target}
    found: list[ResourceDrift] = []
    for key in list(dict.fromkeys([*by_source, *by_target])):
        kind = key.split("/", 1)[0]
        if _ignored("", kind, rules):
            continue
        left, right = by_source.get(key), by_target.get(key)
        if left is None or right is None:
            present = ("present" if left else None), ("present" if right else None)
            found.append(ResourceDrift(key, "", *present))
            continue
        a, b = dict(_leaves(left, "")), dict(_leaves(right, ""))
        for path in list(dict.fromkeys([*a, *b])):
            if a.get(path) != b.get(path) and not _ignored(path, kind, rules):
                found.append(ResourceDrift(key, path, a.get(path), b.get(path)))
    return found
