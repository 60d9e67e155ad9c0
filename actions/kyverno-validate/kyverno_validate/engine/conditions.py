"""``any``/``all`` condition blocks for preconditions and deny (``variables/evaluate.go``).

Condition blocks are compiled once (operator looked up, ``{{ }}`` templates parsed) and the
compiled form is memoised per block object, which policies keep alive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kyverno_validate.engine.operators import Operator, lookup_operator
from kyverno_validate.engine.variables import Resolver, compile_template


class ConditionError(Exception):
    """A condition that cannot be evaluated (unknown operator)."""


Value = Callable[[Resolver], Any]


@dataclass(frozen=True, slots=True)
class Condition:
    operator: Operator | None
    operator_name: str
    key: Value
    value: Value

    def holds(self, resolver: Resolver) -> bool:
        if self.operator is None:
            raise ConditionError(f"unknown condition operator {self.operator_name!r}")
        return self.operator(self.key(resolver), self.value(resolver))


@dataclass(frozen=True, slots=True)
class Block:
    any: tuple[Condition, ...]
    all: tuple[Condition, ...]
    # ``any: []`` given (Go's non-nil empty slice): no condition can hold, the block is false
    empty_any: bool = False


def compile_condition(condition: Any) -> Condition:
    if not isinstance(condition, dict):
        raise ConditionError("a condition must be a mapping with key, operator and value")
    name = str(condition.get("operator", ""))
    return Condition(
        lookup_operator(name),
        name,
        compile_template(condition.get("key")),
        compile_template(condition.get("value")),
    )


def compile_block(conditions: Any) -> Block:
    if isinstance(conditions, list):
        return Block((), tuple(compile_condition(c) for c in conditions))
    if not isinstance(conditions, dict):
        raise ConditionError("conditions must be a list or an any/all block")
    any_given = conditions.get("any")
    return Block(
        tuple(compile_condition(c) for c in any_given or []),
        tuple(compile_condition(c) for c in conditions.get("all") or []),
        empty_any=isinstance(any_given, list) and not any_given,
    )


_COMPILED: dict[int, tuple[Any, Block]] = {}
_LIMIT = 4096


def _compiled(conditions: Any) -> Block:
    """The block compiled once per conditions object (kept, so its id stays unique)."""
    found = _COMPILED.get(id(conditions))
    if found is not None and found[0] is conditions:
        return found[1]
    block = compile_block(conditions)
    if len(_COMPILED) >= _LIMIT:
        _COMPILED.clear()
    _COMPILED[id(conditions)] = (conditions, block)
    return block


def evaluate_conditions(conditions: Any, resolver: Resolver) -> bool:
    """True when the block holds: every ``all`` condition and at least one ``any`` condition."""
    if conditions is None:
        return True
    block = _compiled(conditions)
    if block.empty_any:
        return False
    if block.any and not any(c.holds(resolver) for c in block.any):
        return False
    return all(c.holds(resolver) for c in block.all)
