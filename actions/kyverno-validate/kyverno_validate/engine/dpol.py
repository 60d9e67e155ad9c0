"""DeletingPolicy (``policies.kyverno.io``) as ``kyverno test`` evaluates it, pure.

A DeletingPolicy names what a scheduled cleanup deletes: a resource its ``matchConstraints``
select (any operation: there is no admission request) is deleted when all its ``conditions``
hold. ``kyverno test`` reports ``pass`` for a resource that would be deleted, ``fail`` for one
whose conditions do not all hold, and nothing (``skip``) for one the constraints do not select
(``pkg/cel/policies/dpol/engine``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kyverno_validate.cel import CelError, evaluate_expression, to_cel
from kyverno_validate.engine.celeval import CelUnit
from kyverno_validate.engine.outcome import Outcome

DELETING_KINDS = frozenset({"DeletingPolicy", "NamespacedDeletingPolicy"})


def deleting_unit(spec: Mapping[str, Any]) -> CelUnit:
    """The policy's variables and its ``conditions`` (as the unit's conditions)."""

    def mappings(value: Any) -> tuple[Mapping[str, Any], ...]:
        return tuple(v for v in value if isinstance(v, Mapping)) if isinstance(value, list) else ()

    return CelUnit(
        conditions=mappings(spec.get("conditions")),
        variables=mappings(spec.get("variables")),
    )


def any_operation(constraints: Mapping[str, Any]) -> dict[str, Any]:
    """The constraints with the operations of their rules dropped: a deletion sweep has none,
    so Kyverno matches every operation."""
    copied = dict(constraints)
    for key in ("resourceRules", "excludeResourceRules"):
        rules = constraints.get(key)
        if isinstance(rules, list):
            copied[key] = [
                {k: v for k, v in rule.items() if k != "operations"}
                if isinstance(rule, Mapping)
                else rule
                for rule in rules
            ]
    return copied


def deleting_outcome(unit: CelUnit, bindings: dict[str, Any], now: datetime | None) -> Outcome:
    """pass when every condition holds (the resource would be deleted), else fail; an
    expression that errors or is not a bool is an error."""
    bindings = dict(bindings)
    computed: dict[str, Any] = {}
    bindings["variables"] = computed
    for variable in unit.variables:
        value = evaluate_expression(str(variable.get("expression") or ""), bindings, now)
        if not isinstance(value, CelError):
            computed[str(variable.get("name") or "")] = to_cel(value)
            bindings["variables"] = dict(computed)
    for condition in unit.conditions:
        expression = str(condition.get("expression") or "")
        value = evaluate_expression(expression, bindings, now)
        if isinstance(value, CelError):
            return Outcome("error", f"condition {expression.strip()!r}: {value}")
        if not isinstance(value, bool):
            return Outcome("error", f"condition {expression.strip()!r} must return a bool")
        if not value:
            return Outcome("fail", "resource did not match")
    return Outcome("pass", "resource matched")
