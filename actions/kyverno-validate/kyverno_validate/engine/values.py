"""A kyverno-test values file as the engine reads it: global, per-resource and per-rule values,
``foreachValues``, and the operation the per-resource values ask for."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def base_rule_name(rule: str) -> str:
    """The rule an autogen rule was generated from (values name the original rule)."""
    for prefix in ("autogen-cronjob-", "autogen-"):
        if rule.startswith(prefix):
            return rule[len(prefix) :]
    return rule


FOREACH_VALUES_KEY = "__relkit_foreach_values__"


def foreach_values_for(
    values: Mapping[str, Any], policy: str, rule: str
) -> dict[str, Any] | list[dict[str, Any]]:
    """``foreachValues`` of a values file: per foreach element index, the value of a variable;
    in the newer list form, one such mapping per foreach block."""
    found: dict[str, Any] = {}
    blocks: list[dict[str, Any]] = []
    for entry in values.get("policies") or []:
        if entry.get("name") == policy:
            for rule_entry in entry.get("rules") or []:
                if rule_entry.get("name") in (rule, base_rule_name(rule)):
                    given = rule_entry.get("foreachValues") or {}
                    if isinstance(given, list):
                        blocks += [dict(block) for block in given]
                    else:
                        found.update(given)
    return blocks or found


def foreach_block_values(given: Any, block: int) -> Mapping[str, Any]:
    """The foreach values of the ``block``-th foreach entry (the mapping form holds for all)."""
    if isinstance(given, list):
        return given[block] if block < len(given) else {}
    return given if isinstance(given, Mapping) else {}


def values_for(
    values: Mapping[str, Any], policy: str, rule: str | None, resource: str
) -> dict[str, Any]:
    """Global, per-resource and (when ``rule``) per-rule values of a kyverno-test values file."""
    merged: dict[str, Any] = dict(values.get("globalValues") or {})
    names = {rule, base_rule_name(rule)} if rule is not None else set()
    for entry in values.get("policies") or []:
        if entry.get("name") != policy:
            continue
        for res in entry.get("resources") or []:
            if res.get("name") == resource:
                merged.update(res.get("values") or {})
        if rule is not None:
            for rule_entry in entry.get("rules") or []:
                if rule_entry.get("name") in names:
                    merged.update(rule_entry.get("values") or {})
    return merged


def operation_from(values: Mapping[str, Any], default: str) -> str:
    value = values.get("request.operation")
    return value if value in ("CREATE", "UPDATE", "DELETE", "CONNECT") else default
