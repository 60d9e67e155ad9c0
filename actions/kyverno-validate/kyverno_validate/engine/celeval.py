"""One CEL validation unit, shared by ValidatingPolicy, ValidatingAdmissionPolicy and classic
``validate.cel`` rules: matchConditions → variables → validations → one outcome.

Kubernetes' ``validating`` plugin order: a false match condition means the policy does not
apply (no result), an erroring one is an error; then each validation: ``false`` is a violation
with ``messageExpression`` / ``message`` / ``failed expression: …``, an error is an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kyverno_validate.cel import CelError, evaluate_expression, to_cel
from kyverno_validate.engine.outcome import Outcome

# replacements for autogen'd pod controller variants (``pkg/cel/autogen/config.go``)
TEMPLATE_REPLACEMENTS = (("spec", "spec.template.spec"), ("metadata", "spec.template.metadata"))
CRONJOB_REPLACEMENTS = (
    ("spec", "spec.jobTemplate.spec.template.spec"),
    ("metadata", "spec.jobTemplate.spec.template.metadata"),
)
_PROTECTED = (".namespace", ".name")


@dataclass(frozen=True, slots=True)
class CelUnit:
    """What one CEL policy (or autogen variant, or classic rule) evaluates."""

    conditions: tuple[Mapping[str, Any], ...] = ()
    variables: tuple[Mapping[str, Any], ...] = ()
    validations: tuple[Mapping[str, Any], ...] = ()
    audit_annotations: tuple[Mapping[str, Any], ...] = ()


def _mappings(value: Any) -> tuple[Mapping[str, Any], ...]:
    if not isinstance(value, list):
        return ()
    return tuple(v for v in value if isinstance(v, Mapping))


def unit_from(spec: Mapping[str, Any], validations_key: str = "validations") -> CelUnit:
    return CelUnit(
        conditions=_mappings(spec.get("matchConditions")),
        variables=_mappings(spec.get("variables")),
        validations=_mappings(spec.get(validations_key)),
        audit_annotations=_mappings(spec.get("auditAnnotations")),
    )


def _is_ident(char: str) -> bool:
    return char.isalnum() or char == "_"


def _replace(text: str, old: str, new: str) -> str:
    """Replace ``old`` unless the match continues with a protected ``.name``/``.namespace``."""
    out = []
    position = 0
    while True:
        found = text.find(old, position)
        if found < 0:
            out.append(text[position:])
            return "".join(out)
        rest = text[found + len(old) :]
        protected = any(
            rest.startswith(s) and (len(rest) == len(s) or not _is_ident(rest[len(s)]))
            for s in _PROTECTED
        )
        out.append(text[position:found])
        out.append(old if protected else new)
        position = found + len(old)


def shift_text(text: str, replacements: Sequence[tuple[str, str]]) -> str:
    for old, new in replacements:
        text = _replace(text, "object." + old, "object." + new)
        text = _replace(text, "oldObject." + old, "oldObject." + new)
    return text


def shift(value: Any, replacements: Sequence[tuple[str, str]]) -> Any:
    """Every string inside ``value`` with the autogen replacements applied."""
    if isinstance(value, str):
        return shift_text(value, replacements)
    if isinstance(value, Mapping):
        return {k: shift(v, replacements) for k, v in value.items()}
    if isinstance(value, list):
        return [shift(v, replacements) for v in value]
    return value


def _variables(unit: CelUnit, bindings: dict[str, Any], now: datetime | None) -> dict[str, Any]:
    """Variables in order; one that errors stays unset, so using it is an error."""
    computed: dict[str, Any] = {}
    bindings["variables"] = computed
    for variable in unit.variables:
        name = str(variable.get("name") or "")
        value = evaluate_expression(str(variable.get("expression") or ""), bindings, now)
        if not isinstance(value, CelError):
            computed[name] = to_cel(value)
            bindings["variables"] = dict(computed)
    return computed


compute_variables = _variables  # for the evaluators of other policy modes (authz.py)


def conditions_hold(
    unit: CelUnit, bindings: dict[str, Any], now: datetime | None
) -> bool | CelError:
    for condition in unit.conditions:
        value = evaluate_expression(str(condition.get("expression") or ""), bindings, now)
        if isinstance(value, CelError):
            return value
        if value is not True:
            return False
    return True


def _violation_message(
    validation: Mapping[str, Any], bindings: dict[str, Any], now: datetime | None
) -> str:
    message_expression = validation.get("messageExpression")
    if message_expression:
        value = evaluate_expression(str(message_expression), bindings, now)
        if isinstance(value, str) and value.strip():
            return value
    message = validation.get("message")
    if message:
        return str(message)
    return f"failed expression: {str(validation.get('expression') or '').strip()}"


def run_unit(unit: CelUnit, bindings: dict[str, Any], now: datetime | None) -> Outcome | None:
    """The outcome of one unit, or None when a match condition is false."""
    bindings = dict(bindings)
    bindings.setdefault("variables", {})
    held = conditions_hold(unit, bindings, now)
    if isinstance(held, CelError):
        return Outcome("error", f"failed to evaluate match condition: {held}")
    if not held:
        return None
    _variables(unit, bindings, now)
    failures: list[str] = []
    errors: list[str] = []
    for validation in unit.validations:
        value = evaluate_expression(str(validation.get("expression") or ""), bindings, now)
        if isinstance(value, CelError):
            errors.append(f"expression {str(validation.get('expression')).strip()!r}: {value}")
        elif value is not True:
            if not isinstance(value, bool):
                errors.append(
                    f"expression {str(validation.get('expression')).strip()!r} must return a "
                    f"bool, got {value!r}"
                )
                continue
            failures.append(_violation_message(validation, bindings, now))
    for annotation in unit.audit_annotations:
        evaluate_expression(str(annotation.get("valueExpression") or ""), bindings, now)
    if failures:
        return Outcome("fail", "; ".join(failures))
    if errors:
        return Outcome("error", "; ".join(errors))
    return Outcome("pass", "")
