"""How ``kyverno test`` compares a ``patchedResources``/``generatedResource`` file with the
engine's resource (``cmd/cli/kubectl-kyverno/resource/{compare,tidy,labels}.go``).

Both sides: a missing namespace becomes ``default`` (the CLI's loader sets it); generate labels
are normalised (``app.kubernetes.io/managed-by: kyverno`` added, ``generate.kyverno.io/*``
dropped); then nulls, empty maps and empty lists are removed recursively ("tidy") and the two
documents must be equal (an empty JSON merge patch). Numbers compare by value. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

MANAGED_BY = "app.kubernetes.io/managed-by"


def tidy(value: Any) -> Any:
    if isinstance(value, Mapping):
        out = {k: t for k, v in value.items() if (t := tidy(v)) is not None}
        return out or None
    if isinstance(value, list):
        items = [t for v in value if (t := tidy(v)) is not None]
        return items or None
    return value


def normalise(resource: Mapping[str, Any]) -> dict[str, Any]:
    """The resource as the CLI compares it: default namespace, fixed-up generate labels."""
    out = dict(resource)
    metadata = dict(out.get("metadata") or {})
    if not metadata.get("namespace"):
        metadata["namespace"] = "default"
    labels = {MANAGED_BY: "kyverno"}
    labels.update(
        {
            str(k): v
            for k, v in dict(metadata.get("labels") or {}).items()
            if not str(k).startswith("generate.kyverno.io/")
        }
    )
    metadata["labels"] = labels
    out["metadata"] = metadata
    return out


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return bool(a == b)


def resources_equal(actual: Mapping[str, Any], expected: Mapping[str, Any]) -> bool:
    return _equal(tidy(normalise(actual)), tidy(normalise(expected)))


def identity(resource: Mapping[str, Any]) -> tuple[str, str, str, str]:
    metadata = resource.get("metadata") if isinstance(resource.get("metadata"), Mapping) else {}
    assert isinstance(metadata, Mapping)  # noqa: S101 - narrowed just above
    return (
        str(resource.get("apiVersion") or ""),
        str(resource.get("kind") or ""),
        str(metadata.get("namespace") or "default"),
        str(metadata.get("name") or ""),
    )


def pick_expected(documents: Sequence[Any], actual: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The documents of expected-resource files that describe ``actual``: the only one, or
    those with the same apiVersion, kind, namespace and name."""
    objects = [d for d in documents if isinstance(d, Mapping)]
    if len(objects) == 1:
        return objects
    wanted = identity(actual)
    return [d for d in objects if identity(d) == wanted]
