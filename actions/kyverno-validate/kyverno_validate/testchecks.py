"""``checks`` of a kyverno-test file, pure (``commands/test/checks.go`` of the Kyverno CLI).

A check selects rule responses by ``match`` (``resource`` and ``policy``: partial objects the
resource or policy must contain, with ``name``/``namespace`` aliases of their metadata; ``rule``:
``{name}``) and asserts on each one's ``{name, ruleType, message, status}``: ``assert`` must
hold, ``error`` must not. A key ``(expression)`` is a CEL expression over those fields (also
reachable as ``object``) that must equal the boolean given. Each assertion is one table row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kyverno_validate.cel import CelError, evaluate_expression
from kyverno_validate.engine import RuleResult


@dataclass(frozen=True, slots=True)
class CheckRow:
    result: RuleResult
    ok: bool
    reason: str


class CheckError(ValueError):
    """A check that cannot be evaluated (not an object, an expression that is not a bool)."""


def matches(expected: Any, actual: Any) -> bool:
    """``checkMatches``: maps match partially, lists element-wise with equal length."""
    if isinstance(expected, Mapping):
        return isinstance(actual, Mapping) and all(
            key in actual and matches(value, actual[key]) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(matches(e, a) for e, a in zip(expected, actual, strict=True))
        )
    return bool(expected == actual and type(expected) is type(actual))


def with_aliases(document: Mapping[str, Any]) -> dict[str, Any]:
    metadata = document.get("metadata")
    aliased = dict(document)
    if isinstance(metadata, Mapping):
        aliased.update({k: metadata[k] for k in ("name", "namespace") if k in metadata})
    return aliased


def _rule_type(policy: Mapping[str, Any] | None) -> str:
    kind = str((policy or {}).get("kind") or "")
    return {"DeletingPolicy": "Deletion", "ImageValidatingPolicy": "ImageVerify"}.get(
        kind, "Validation"
    )


def assertion_holds(assertion: Any, actual: Mapping[str, Any]) -> bool:
    if not isinstance(assertion, Mapping):
        raise CheckError("assertion must be an object")
    for key, wanted in assertion.items():
        text = str(key)
        if text.startswith("(") and text.endswith(")"):
            if not isinstance(wanted, bool):
                raise CheckError(f"assertion expression {text[1:-1].strip()!r} needs a bool")
            value = evaluate_expression(text[1:-1].strip(), {**actual, "object": dict(actual)})
            if isinstance(value, CelError) or not isinstance(value, bool):
                raise CheckError(f"assertion expression {text[1:-1].strip()!r}: {value}")
            if value is not wanted:
                return False
        elif key not in actual or not matches(wanted, actual[key]):
            return False
    return True


def run_checks(
    checks: Sequence[Any],
    results: Sequence[RuleResult],
    resource_of: Callable[[RuleResult], Mapping[str, Any] | None],
    policy_of: Callable[[str], Mapping[str, Any] | None],
) -> list[CheckRow]:
    """One row per assertion per selected rule response, in the order of the checks."""
    rows: list[CheckRow] = []
    for check in checks:
        if not isinstance(check, Mapping):
            raise CheckError("a check must be an object")
        match = check.get("match") if isinstance(check.get("match"), Mapping) else {}
        assert isinstance(match, Mapping)  # noqa: S101 - narrowed above
        for result in results:
            resource = resource_of(result) or {}
            policy = policy_of(result.policy)
            if match.get("resource") is not None and not matches(
                match["resource"], with_aliases(resource)
            ):
                continue
            if match.get("policy") is not None and not matches(
                match["policy"], with_aliases(policy or {})
            ):
                continue
            name = result.rule or result.policy  # a CEL policy answers under its own name
            if match.get("rule") is not None and not matches(match["rule"], {"name": name}):
                continue
            actual = {
                "name": name,
                "ruleType": _rule_type(policy),
                "message": result.message,
                "status": result.result,
            }
            if check.get("assert") is not None:
                ok = assertion_holds(check["assert"], actual)
                rows.append(CheckRow(result, ok, "Ok" if ok else "Assertion failed"))
            if check.get("error") is not None:
                ok = not assertion_holds(check["error"], actual)
                reason = "Ok" if ok else "The assertion succeeded but was expected to fail"
                rows.append(CheckRow(result, ok, reason))
    return rows
