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

from kyverno_validate.engine.celeval import run_unit, unit_from
from kyverno_validate.engine.celpolicy import CelPolicy, exempt_by
from kyverno_validate.engine.dpol import DELETING_KINDS, deleting_outcome, deleting_unit
from kyverno_validate.engine.model import EvaluationContext, RuleResult
from kyverno_validate.engine.outcome import Outcome


def is_json_policy(policy: CelPolicy) -> bool:
    """A JSON-mode ValidatingPolicy, or a DeletingPolicy (whose conditions also judge a
    payload, without match constraints)."""
    if policy.kind in DELETING_KINDS:
        return True
    spec = policy.raw.get("spec")
    evaluation = spec.get("evaluation") if isinstance(spec, Mapping) else None
    return isinstance(evaluation, Mapping) and evaluation.get("mode") == "JSON"


def evaluate_json_payload(
    policies: Sequence[CelPolicy],
    payload: Any,
    name: str,
    context: EvaluationContext,
    exceptions: Sequence[Mapping[str, Any]] = (),
) -> list[RuleResult]:
    """The results of the JSON-mode policies on one payload (named ``name``); a policy whose
    match conditions do not hold gives no result."""
    results = []
    bindings = {"object": payload}
    for policy in policies:
        if not is_json_policy(policy):
            continue
        spec = policy.raw.get("spec")
        assert isinstance(spec, Mapping)  # noqa: S101 - is_json_policy checked it
        outcome: Outcome | None
        if exceptions and exempt_by(policy, exceptions, bindings, context):
            outcome = Outcome("skip", "rule is skipped due to policy exception")
        elif policy.kind in DELETING_KINDS:
            outcome = deleting_outcome(deleting_unit(spec), dict(bindings), context.now)
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
