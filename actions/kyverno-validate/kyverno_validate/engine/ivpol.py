"""ImageValidatingPolicy bindings for an offline run, pure.

An ImageValidatingPolicy's validations see ``images`` (the resource's image references by
container list, plus the policy's own ``spec.images`` expressions), ``attestors`` and
``attestations`` (the policy's entries by name). Verifying signatures needs a registry, so
``verifyImageSignatures`` and friends stay undeclared: a validation that calls them is an error
result naming the function, while one that does not (context checks, image references) is
judged as Kyverno judges it. ``matchImageReferences`` narrows the policy to the images it
names: a resource with none of them gets no result (``pkg/cel/policies/ivpol/engine``).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from typing import Any

from kyverno_validate.cel import CelError, evaluate_expression

IMAGE_KINDS = frozenset({"ImageValidatingPolicy", "NamespacedImageValidatingPolicy"})
CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")
POD_SPEC_PATHS = (("spec",), ("spec", "template", "spec"), ("spec", "jobTemplate", "spec",
                  "template", "spec"))  # fmt: skip


def _pod_spec(obj: Any) -> Mapping[str, Any]:
    for path in POD_SPEC_PATHS:
        node = obj
        for key in path:
            node = node.get(key) if isinstance(node, Mapping) else None
        if isinstance(node, Mapping) and any(k in node for k in CONTAINER_LISTS):
            return node
    return {}


def resource_images(obj: Any) -> dict[str, list[str]]:
    """The image references of a workload by container list (``images.containers`` ...)."""
    spec = _pod_spec(obj)
    images: dict[str, list[str]] = {}
    for key in CONTAINER_LISTS:
        containers = spec.get(key)
        if isinstance(containers, list):
            images[key] = [
                str(c.get("image")) for c in containers if isinstance(c, Mapping) and c.get("image")
            ]
    return images


def _by_name(entries: Any) -> dict[str, Any]:
    if not isinstance(entries, list):
        return {}
    return {str(e["name"]): e for e in entries if isinstance(e, Mapping) and e.get("name")}


def _selected(reference: str, rules: list[Any], bindings: dict[str, Any]) -> bool:
    for rule in rules:
        if not isinstance(rule, Mapping):
            continue
        if rule.get("glob") and fnmatch.fnmatchcase(reference, str(rule["glob"])):
            return True
        if rule.get("expression"):
            value = evaluate_expression(str(rule["expression"]), {**bindings, "ref": reference})
            if value is True:
                return True
    return False


def image_bindings(spec: Mapping[str, Any], bindings: dict[str, Any]) -> dict[str, Any] | None:
    """The request's bindings plus ``images``, ``attestors`` and ``attestations``; None when
    ``matchImageReferences`` (or ``imageRules``) select none of the images."""
    images: dict[str, Any] = dict(resource_images(bindings.get("object")))
    for entry in spec.get("images") or []:
        if isinstance(entry, Mapping) and entry.get("name"):
            value = evaluate_expression(str(entry.get("expression") or "[]"), bindings)
            images[str(entry["name"])] = [] if isinstance(value, CelError) else value
    rules = spec.get("matchImageReferences") or spec.get("imageRules")
    if isinstance(rules, list) and rules:
        references = [r for refs in images.values() if isinstance(refs, list) for r in refs]
        if not any(_selected(str(r), rules, bindings) for r in references):
            return None
    return {
        **bindings,
        "images": images,
        "attestors": _by_name(spec.get("attestors")),
        "attestations": _by_name(spec.get("attestations")),
    }
