"""Why the engine gives no result for a rule it does not evaluate ("unsupported: <why>").

A table row whose policy and rule exist but produced nothing says why instead of "Not found".
:data:`UNSUPPORTED_KINDS` and :data:`UNSUPPORTED_RULES` are the registries: an entry leaves
when the engine learns to evaluate that policy kind or rule type.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# policy kinds (by ``kind``) whose documents the classic engine does not evaluate
UNSUPPORTED_KINDS: dict[str, str] = {
    "ImageValidatingPolicy": "ImageValidatingPolicy verifies signatures against a live registry",
    "DeletingPolicy": "DeletingPolicy policies run in the cleanup controller, not on admission",
    "NamespacedDeletingPolicy": "DeletingPolicy policies run in the cleanup controller",
    "CleanupPolicy": "CleanupPolicy runs in the cleanup controller, not on admission",
    "ClusterCleanupPolicy": "ClusterCleanupPolicy runs in the cleanup controller",
}
# classic rule types (a rule key, or ``validate.<key>``) the engine gives no result for
UNSUPPORTED_RULES: dict[str, str] = {
    "verifyImages": "verifyImages rules verify signatures against a live registry",
}


def _rule_type(rule: Mapping[str, Any]) -> str | None:
    validate = rule.get("validate")
    if isinstance(validate, Mapping):
        return next(
            (f"validate.{key}" for key in ("cel", "manifests", "assert") if key in validate), None
        )
    return next((key for key in ("verifyImages",) if key in rule), None)


def _rule_names(name: str) -> set[str]:
    names = {name}
    for prefix in ("autogen-cronjob-", "autogen-"):
        if name.startswith(prefix):
            names.add(name[len(prefix) :])
    return names


def unsupported_reason(documents: Iterable[Any], policy: str, rule: str) -> str | None:
    """``unsupported: <why>`` when ``policy`` (by name) is of a kind the engine skips, or its
    ``rule`` (any rule when empty) is of a rule type the engine skips; None otherwise."""
    for document in documents:
        if not isinstance(document, Mapping):
            continue
        metadata = document.get("metadata")
        if not isinstance(metadata, Mapping) or metadata.get("name") != policy:
            continue
        kind = str(document.get("kind") or "")
        if kind in UNSUPPORTED_KINDS:
            return f"unsupported: {UNSUPPORTED_KINDS[kind]}"
        spec = document.get("spec")
        rules = spec.get("rules") if isinstance(spec, Mapping) else None
        for candidate in rules if isinstance(rules, list) else []:
            if not isinstance(candidate, Mapping):
                continue
            if rule and candidate.get("name") not in _rule_names(rule):
                continue
            found = _rule_type(candidate)
            if found is not None and found in UNSUPPORTED_RULES:
                return f"unsupported: {UNSUPPORTED_RULES[found]}"
    return None


def unsupported_notices(policies: Iterable[Any]) -> list[str]:
    """One ``unsupported: <policy>/<rule>: <why>`` line per loaded rule the engine skips
    (autogen copies left out); policies are :class:`~kyverno_validate.engine.Policy` values."""
    notices = []
    for policy in policies:
        raw = getattr(policy, "raw", None)
        spec = raw.get("spec") if isinstance(raw, Mapping) else None
        rules = spec.get("rules") if isinstance(spec, Mapping) else None
        for rule in rules if isinstance(rules, list) else []:
            found = _rule_type(rule) if isinstance(rule, Mapping) else None
            if found is not None and found in UNSUPPORTED_RULES:
                name = f"{getattr(policy, 'name', '?')}/{rule.get('name')}"
                notices.append(f"unsupported: {name}: {UNSUPPORTED_RULES[found]}")
    return notices
