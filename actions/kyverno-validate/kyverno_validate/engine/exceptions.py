"""PolicyException (``kyverno.io/v2``): exempt resources from named rules of named policies.

A matching exception turns the rule's result into ``skip``; for a ``podSecurity`` rule its
``podSecurity`` controls are added to the rule's exclusions instead (``utils/exceptions.go``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kyverno_validate.engine import wildcard
from kyverno_validate.engine.conditions import ConditionError, evaluate_conditions
from kyverno_validate.engine.match import Request, rule_matches
from kyverno_validate.engine.variables import Resolver

KIND = "PolicyException"


def is_exception(document: Any) -> bool:
    return (
        isinstance(document, Mapping)
        and document.get("kind") == KIND
        and str(document.get("apiVersion", "")).startswith("kyverno.io/")
    )


def _names_rule(spec: Mapping[str, Any], policy_key: str, rule: str) -> bool:
    for entry in spec.get("exceptions") or []:
        if entry.get("policyName") != policy_key:
            continue
        if any(wildcard.match(str(name), rule) for name in entry.get("ruleNames") or []):
            return True
    return False


def matching_exceptions(
    exceptions: Sequence[Mapping[str, Any]],
    policy_key: str,
    rule: str,
    request: Request,
    resolver: Resolver,
) -> list[Mapping[str, Any]]:
    """The exceptions that exempt this resource from ``rule`` of ``policy_key``."""
    found = []
    for document in exceptions:
        spec = document.get("spec") or {}
        if not _names_rule(spec, policy_key, rule):
            continue
        if not rule_matches(spec.get("match") or {}, None, request):
            continue
        try:
            if spec.get("conditions") and not evaluate_conditions(spec["conditions"], resolver):
                continue
        except ConditionError:
            continue
        found.append(document)
    return found
