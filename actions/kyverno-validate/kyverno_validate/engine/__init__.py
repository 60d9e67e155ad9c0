"""A Kyverno-compatible policy engine for classic ClusterPolicy/Policy ``validate`` rules.

Pure: no file or network I/O. The public API:

- :func:`load_policies` parses and validates policy documents (with autogen rules);
- :func:`evaluate` runs every matching rule of every policy against one resource;
- :class:`Policy`, :class:`RuleResult`, :class:`EvaluationContext` are the values.
"""

from __future__ import annotations

from kyverno_validate.engine.evaluation import evaluate
from kyverno_validate.engine.model import (
    EvaluationContext,
    Policy,
    Rule,
    RuleResult,
    load_policies,
    parse_policy,
)

__all__ = [
    "EvaluationContext",
    "Policy",
    "Rule",
    "RuleResult",
    "evaluate",
    "load_policies",
    "parse_policy",
]
