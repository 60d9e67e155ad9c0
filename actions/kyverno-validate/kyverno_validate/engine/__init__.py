"""A Kyverno-compatible policy engine for classic ClusterPolicy/Policy ``validate`` rules.

Pure: no file or network I/O. The public API:

- :func:`load_policies` parses and validates policy documents (with autogen rules): classic
  ClusterPolicy/Policy, then CEL policies (:mod:`kyverno_validate.engine.celpolicy`:
  ValidatingPolicy, ValidatingAdmissionPolicy + bindings, unsupported kinds);
- :func:`evaluate` runs every matching rule of every policy against one resource;
- :class:`Policy`, :class:`RuleResult`, :class:`EvaluationContext` are the values.

``EvaluationContext`` carries everything besides the resource: ``operation`` (CREATE), ``userinfo``
(a kyverno-test UserInfo document), ``namespace_labels``, ``values`` (a kyverno-test Values
document: globalValues, per-policy/rule/resource values, foreachValues), ``old_object``,
``cluster_resources`` (objects answering configMap/apiCall context entries), ``exceptions``
(PolicyException documents) and ``now`` (the time ``time_now*``/``time_since`` see).

Semantics follow Kyverno's source (``pkg/engine``): a rule that does not match gives no result;
failed preconditions and conditional/global anchor mismatches give ``skip``; ``validate.cel``
rules run on CEL (:mod:`kyverno_validate.cel`); mutate, generate and verifyImages rules give no
result from :func:`evaluate`.

Mutate rules: :func:`mutate_resource` applies them (policy by policy, on the resource the
previous rule patched) and returns the patched resource with their results; :func:`admit` runs
them and then :func:`evaluate` on the patched resource, in admission order.
"""

from __future__ import annotations

from kyverno_validate.engine.admission import admit, has_mutate_rules
from kyverno_validate.engine.celpolicy import CelPolicy
from kyverno_validate.engine.celpolicy import load_all_policies as load_policies
from kyverno_validate.engine.evaluation import evaluate
from kyverno_validate.engine.model import (
    EvaluationContext,
    Policy,
    Rule,
    RuleResult,
    parse_policy,
)
from kyverno_validate.engine.mutation import mutate_resource

__all__ = [
    "CelPolicy",
    "EvaluationContext",
    "Policy",
    "Rule",
    "RuleResult",
    "admit",
    "evaluate",
    "has_mutate_rules",
    "load_policies",
    "mutate_resource",
    "parse_policy",
]
