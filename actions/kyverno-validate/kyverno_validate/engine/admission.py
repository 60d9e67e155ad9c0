"""Admission order for one resource: mutate rules first, then validate rules on the patched
resource (``pkg/webhooks``: all mutations across policies before any validation)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kyverno_validate.engine.evaluation import evaluate
from kyverno_validate.engine.model import EvaluationContext, Policy, RuleResult
from kyverno_validate.engine.mutation import has_mutate, mutate_resource


def has_mutate_rules(policies: Sequence[Policy]) -> bool:
    return any(has_mutate(policy) for policy in policies)


def admit(
    policies: Sequence[Policy],
    resource: Mapping[str, Any],
    context: EvaluationContext | None = None,
) -> list[RuleResult]:
    """The mutate rules' results, then the validate rules' results on the patched resource."""
    patched, responses = mutate_resource(policies, resource, context)
    return [r for response in responses for r in response.results] + evaluate(
        policies, patched, context
    )
