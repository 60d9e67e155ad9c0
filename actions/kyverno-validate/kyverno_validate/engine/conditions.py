"""``any``/``all`` condition blocks for preconditions and deny (``variables/evaluate.go``)."""

from __future__ import annotations

from typing import Any

from kyverno_validate.engine.operators import lookup_operator
from kyverno_validate.engine.variables import Resolver, substitute


class ConditionError(Exception):
    """A condition that cannot be evaluated (unknown operator)."""


def evaluate_condition(condition: dict[str, Any], resolver: Resolver) -> bool:
    name = str(condition.get("operator", ""))
    operator = lookup_operator(name)
    if operator is None:
        raise ConditionError(f"unknown condition operator {name!r}")
    key = substitute(condition.get("key"), resolver)
    value = substitute(condition.get("value"), resolver)
    return operator(key, value)


def evaluate_conditions(conditions: Any, resolver: Resolver) -> bool:
    """True when the block holds: every ``all`` condition and at least one ``any`` condition."""
    if conditions is None:
        return True
    if isinstance(conditions, list):
        return all(evaluate_condition(c, resolver) for c in conditions)
    if not isinstance(conditions, dict):
        raise ConditionError("conditions must be a list or an any/all block")
    any_conditions = conditions.get("any") or []
    all_conditions = conditions.get("all") or []
    if any_conditions and not any(evaluate_condition(c, resolver) for c in any_conditions):
        return False
    return all(evaluate_condition(c, resolver) for c in all_conditions)
