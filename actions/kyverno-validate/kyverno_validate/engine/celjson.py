"""ValidatingPolicies in JSON mode (``spec.evaluation.mode: JSON``) and DeletingPolicies on
JSON payloads, pure.

Such a policy judges any JSON document, not a Kubernetes resource: no match constraints and no
admission request, only ``object`` (the payload) and the policy's ``variables``; its match
conditions and the CEL PolicyExceptions that name it still apply. ``kyverno test`` gives the
payloads in ``jsonPayload``/``jsonPayloads`` and names each result after its payload's file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kyverno_validate.engine.authz import AUTHZ_MODES, authz_bindings, authz_outcome
from kyverno_validate.engine.celeval import run_unit, unit_from
from kyverno_validate.engine.celpolicy import CelPolicy, exempt_by
from kyverno_validate.engine.dpol import DELETING_KINDS, deleting_outcome, deleting_unit
from kyverno_validate.engine.model import EvaluationContext, RuleResult
from kyverno_validate.engine.outcome import Outcome


def policy_mode(policy: CelPolicy) -> str:
    """The payloads a policy judges: its ``spec.evaluation.mode`` (``Kubernetes`` by default);
    a DeletingPolicy's conditions judge JSON payloads too."""
    if policy.kind in DELETING_KINDS:
        return "JSON"
    spec = policy.raw.get("spec")
    evaluation = spec.get("evaluation") if isinstance(spec, Mapping) else None
    mode = evaluation.get("mode") if isinstance(evaluation, Mapping) else None
    return str(mode or "Kubernetes")


def is_json_policy(policy: CelPolicy) -> bool:
    """A JSON-mode ValidatingPolicy, or a DeletingPolicy (whose conditions also judge a
    payload, without match constraints)."""
    return policy_mode(policy) == "JSON"


def evaluate_json_payload(
    policies: Sequence[CelPolicy],
    payload: Any,
    name: str,
    context: EvaluationContext,
    exceptions: Sequence[Mapping[str, Any]] = (),
    *,
    mode: str = "JSON",
) -> list[RuleResult]:
    """The results of the policies of ``mode`` (JSON, or the HTTP/Envoy authorization modes)
    on one payload (named ``name``); a policy whose match conditions do not hold, or an
    authorization policy that decides nothing, gives no result."""
    results = []
    bindings = authz_bindings(mode, payload) if mode in AUTHZ_MODES else {"object": payload}
    for policy in policies:
        if policy_mode(policy) != mode:
            continue
        spec = policy.raw.get("spec")
        assert isinstance(spec, Mapping)  # noqa: S101 - is_json_policy checked it
        outcome: Outcome | None
        if exceptions and exempt_by(policy, exceptions, bindings, context):
            outcome = Outcome("skip", "rule is skipped due to policy exception")
        elif policy.kind in DELETING_KINDS:
            outcome = deleting_outcome(deleting_unit(spec), dict(bindings), context.now)
        elif mode in AUTHZ_MODES:
            outcome = authz_outcome(unit_from(spec), dict(bindings), context.now)
        else:
            outcome = run_unit(unit_from(spec), dict(bindings), context.now)
        if outcome is None:
            continue
        results.append(
            RuleResult(
                policy=policy.name,
                rule="",
                kind=str(payload.get("kind") or "") if isinstance(payload, Mapping) else "",
                name=name,
                namespace="",
                result=outcome.result,
                message=outcome.message,
                action=policy.action,
            )
        )
    return results
