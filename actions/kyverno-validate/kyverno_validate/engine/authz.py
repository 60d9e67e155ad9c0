"""ValidatingPolicies in HTTP and Envoy mode (authorization), pure.

Such a policy judges an authorization request (``object``: the HTTP or Envoy check request of
the test's ``httpPayloads``/``envoyPayloads``): each validation returns a decision built with
``http.Allowed()``/``http.Denied(reason)`` (``envoy.Allowed()``/``envoy.Denied(code)``, then
``.WithBody()``, ``.WithHeader()``) and ``.Response()``, or null to leave the decision to the
next one. ``kyverno test`` reports an allowed request as ``pass`` and a denied one as ``fail``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kyverno_validate.cel import CelError, evaluate_expression
from kyverno_validate.cel.library import kind_of, tagged
from kyverno_validate.engine.celeval import CelUnit, compute_variables, conditions_hold
from kyverno_validate.engine.outcome import Outcome

# evaluation mode -> (test payload key, the library variable the policy calls)
AUTHZ_MODES = {"HTTP": ("httpPayloads", "http"), "Envoy": ("envoyPayloads", "envoy")}


def authz_bindings(mode: str, payload: Any) -> dict[str, Any]:
    variable = AUTHZ_MODES[mode][1]
    return {"object": payload, variable: tagged(f"{variable}Authz")}


def _decision(value: Mapping[str, Any]) -> Outcome:
    if value.get("allowed") is True:
        return Outcome("pass", "")
    reason = value.get("reason") or value.get("body") or f"denied ({value.get('status')})"
    return Outcome("fail", str(reason))


def authz_outcome(unit: CelUnit, bindings: dict[str, Any], now: datetime | None) -> Outcome | None:
    """The first decision of the validations; None when the match conditions do not hold or
    no validation decides."""
    bindings = dict(bindings)
    held = conditions_hold(unit, bindings, now)
    if isinstance(held, CelError):
        return Outcome("error", f"failed to evaluate match condition: {held}")
    if not held:
        return None
    compute_variables(unit, bindings, now)
    for validation in unit.validations:
        expression = str(validation.get("expression") or "").strip()
        value = evaluate_expression(expression, bindings, now)
        if isinstance(value, CelError):
            return Outcome("error", f"expression {expression!r}: {value}")
        if value is None:
            continue
        if kind_of(value) != "authzDecision":
            return Outcome("error", f"expression {expression!r} must return a Response()")
        return _decision(value)
    return None
