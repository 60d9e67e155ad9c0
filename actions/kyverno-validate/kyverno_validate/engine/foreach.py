"""``validate.foreach`` (``validateForEach``): each element of a JMESPath list is validated with
``element``/``elementIndex`` in the context, per-element context, preconditions and nesting."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from kyverno_validate.engine.context import ContextError, load_entries
from kyverno_validate.engine.outcome import Outcome
from kyverno_validate.engine.values import FOREACH_VALUES_KEY, foreach_block_values
from kyverno_validate.engine.variables import VariableError, resolve, set_path

_GO_TYPES = {str: "string", bool: "bool", int: "float64", float: "float64", list: "[]interface {}"}

# (rule name, preconditions, validate block, JSON context, resource) -> outcome
Validator = Callable[[str, Any, Mapping[str, Any], dict[str, Any], Any], Outcome | None]


def run_foreach(
    validate_rule: Validator,
    *,
    rule_name: str,
    entries: Any,
    data: dict[str, Any],
    resource: Any,
    message: Any = None,
) -> Outcome:
    """``validate.foreach``: a failing element fails the rule; no applied element skips it."""
    applied = 0
    given = data.get(FOREACH_VALUES_KEY)
    for block, entry in enumerate(entries or []):
        try:
            found = resolve(str(entry.get("list", "")), data)
        except VariableError:
            continue
        elements = found if isinstance(found, list) else [found]
        entry_with_message = entry if entry.get("message") else {**entry, "message": message}
        block_data = {**data, FOREACH_VALUES_KEY: foreach_block_values(given, block)}
        outcome, count = _elements(
            validate_rule,
            rule_name=rule_name,
            entry=entry_with_message,
            elements=elements,
            data=block_data,
            resource=resource,
        )
        if outcome.result != "pass":
            return outcome
        applied += count
    if applied == 0:
        return Outcome("skip", "rule skipped")
    return Outcome("pass", "rule passed")


def _elements(
    validate_rule: Validator,
    *,
    rule_name: str,
    entry: Mapping[str, Any],
    elements: list[Any],
    data: dict[str, Any],
    resource: Any,
) -> tuple[Outcome, int]:
    applied = 0
    nesting = int(data.get("__nesting", 0))
    for index, element in enumerate(elements):
        if element is None:
            continue
        scoped = {**data, "element": element, "elementIndex": index, "__nesting": nesting + 1}
        scoped[f"element{nesting}"] = element
        scoped[f"elementIndex{nesting}"] = index
        for key, per_element in (data.get(FOREACH_VALUES_KEY) or {}).items():
            if isinstance(per_element, list) and index < len(per_element):
                set_path(scoped, str(key), per_element[index])
        scope = entry.get("elementScope")
        if scope is True and not isinstance(element, dict):
            # AddElementToContext: an explicit elementScope needs map elements
            found = _GO_TYPES.get(type(element), type(element).__name__)
            message = (
                "failed to process foreach: cannot use elementScope=true foreach rules for "
                f"elements that are not maps, expected type=map got type={found}"
            )
            return Outcome("error", message), applied
        target = element if isinstance(element, dict) and scope is not False else resource
        try:
            load_entries(entry.get("context"), scoped)
        except ContextError as exc:
            return Outcome("error", f"failed to load context: {exc}"), applied
        validate = {
            "message": entry.get("message"),
            "deny": entry.get("deny"),
            "pattern": entry.get("pattern"),
            "anyPattern": entry.get("anyPattern"),
            "foreach": entry.get("foreach"),
        }
        outcome = validate_rule(rule_name, entry.get("preconditions"), validate, scoped, target)
        if outcome is None or outcome.result == "skip":
            continue
        if outcome.result == "error":
            if index < len(elements) - 1:
                continue
            return Outcome("error", f"validation failure: {outcome.message}"), applied
        if outcome.result != "pass":
            return Outcome("fail", f"validation failure: {outcome.message}"), applied
        applied += 1
    return Outcome("pass", ""), applied
