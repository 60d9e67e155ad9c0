"""Classic ``mutate`` rules (``pkg/engine/handlers/mutation``, ``pkg/engine/mutate``).

Policies run in order, each on the resource the previous one patched; inside a policy each
rule sees the resource as the rules before it left it. A rule: match/exclude → context →
preconditions (false: skip) → variables substituted in the patch → ``patchStrategicMerge``
(with anchors) or ``patchesJson6902``, or ``foreach`` over a JMESPath list (nested, with
``element``/``elementIndex``; strategic-merge elements in reverse order unless ``order`` says
otherwise). A patch that changes nothing gives ``skip`` ("no patches applied"), a patch that
changes the resource ``pass``, a patch that cannot be applied ``error``. Rules with
``mutate.targets`` (mutate existing) patch the test's target resources instead, and report a
result per patched target (under the target's kind and name).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from kyverno_validate.engine.conditions import ConditionError, evaluate_conditions
from kyverno_validate.engine.context import (
    CLUSTER_KEY,
    ContextError,
    add_values,
    base_data,
    build_request,
    load_entries,
    metadata_of,
)
from kyverno_validate.engine.exceptions import matching_exceptions
from kyverno_validate.engine.jmespath_functions import search
from kyverno_validate.engine.jsonpatch import PatchError, apply_patch, decode_patch
from kyverno_validate.engine.match import rule_matches
from kyverno_validate.engine.model import EvaluationContext, Policy, Rule, RuleResult
from kyverno_validate.engine.outcome import Outcome
from kyverno_validate.engine.strategic import (
    ConditionFailed,
    GlobalConditionFailed,
    preprocess,
    strategic_merge,
)
from kyverno_validate.engine.values import (
    FOREACH_VALUES_KEY,
    foreach_values_for,
    operation_from,
    values_for,
)
from kyverno_validate.engine.variables import (
    NOW_KEY,
    VariableError,
    lenient_resolver,
    set_path,
    strict_resolver,
    substitute,
)


@dataclass(frozen=True, slots=True)
class PolicyMutation:
    """One policy's mutate response for one resource: its rule results and the resource as
    the policy left it (``patchedResource``), plus patched target resources (mutate existing)."""

    policy: str
    resource: Mapping[str, Any]
    results: tuple[RuleResult, ...]
    targets: tuple[Mapping[str, Any], ...] = ()


def has_mutate(policy: Any) -> bool:
    """A classic policy with a mutate rule (CEL policies in the same list have none)."""
    return isinstance(policy, Policy) and any(
        rule.raw.get("mutate") is not None for rule in policy.rules
    )


def mutate_resource(
    policies: Sequence[Policy],
    resource: Mapping[str, Any],
    context: EvaluationContext | None = None,
    targets: Sequence[Mapping[str, Any]] = (),
) -> tuple[Mapping[str, Any], list[PolicyMutation]]:
    """Apply every mutate rule of every policy; the final resource and one response per policy
    that had a matching mutate rule."""
    context = context or EvaluationContext()
    current: Mapping[str, Any] = resource
    responses: list[PolicyMutation] = []
    for policy in policies:
        if not has_mutate(policy):
            continue
        metadata = metadata_of(current)
        namespace = str(metadata.get("namespace") or "")
        if policy.namespace is not None and namespace != policy.namespace:
            continue
        results: list[RuleResult] = []
        patched_targets: list[Mapping[str, Any]] = []
        for rule in policy.rules:
            if rule.raw.get("mutate") is None:
                continue
            outcome, patched, rule_targets = _run_rule(policy, rule, current, context, targets)
            if outcome is None:
                continue
            if rule_targets:
                # mutate existing reports on each patched target, as kyverno test does
                patched_targets += rule_targets
                results += [_result(policy, rule, target, outcome) for target in rule_targets]
                continue
            if outcome.result == "pass" and patched is not None:
                current = patched
            results.append(_result(policy, rule, current, outcome))
        if results:
            responses.append(
                PolicyMutation(policy.name, current, tuple(results), tuple(patched_targets))
            )
    return current, responses


def _result(
    policy: Policy, rule: Rule, resource: Mapping[str, Any], outcome: Outcome
) -> RuleResult:
    metadata = metadata_of(resource)
    return RuleResult(
        policy=policy.name,
        rule=rule.name,
        kind=str(resource.get("kind") or ""),
        name=str(metadata.get("name") or ""),
        namespace=str(metadata.get("namespace") or ""),
        result=outcome.result,
        message=outcome.message,
        action=rule.action,
    )


def rule_data(
    policy: Policy, rule: Rule, resource: Mapping[str, Any], context: EvaluationContext
) -> tuple[dict[str, Any], str]:
    """The JSON context of one rule on one resource, and the operation the values ask for."""
    name = str(metadata_of(resource).get("name") or "")
    operation = context.operation
    rule_values: Mapping[str, Any] = {}
    if context.values:
        operation = operation_from(
            values_for(context.values, policy.name, None, name), context.operation
        )
        rule_values = values_for(context.values, policy.name, rule.name, name)
    data = base_data(resource, context)
    old = context.old_object
    if old is None and operation in ("UPDATE", "DELETE"):
        old = resource
    data["request"] = {**data["request"], "operation": operation, "oldObject": old}
    if context.cluster_resources:
        data[CLUSTER_KEY] = context.cluster_resources
    if context.now is not None:
        data[NOW_KEY] = context.now
    add_values(data, rule_values)
    if context.values:
        foreach_values = foreach_values_for(context.values, policy.name, rule.name)
        if foreach_values:
            data[FOREACH_VALUES_KEY] = foreach_values
    return data, operation


def _run_rule(
    policy: Policy,
    rule: Rule,
    resource: Mapping[str, Any],
    context: EvaluationContext,
    targets: Sequence[Mapping[str, Any]],
) -> tuple[Outcome | None, Mapping[str, Any] | None, list[Mapping[str, Any]]]:
    data, operation = rule_data(policy, rule, resource, context)
    request = build_request(resource, context)
    if operation != request.operation:
        request = replace(request, operation=operation)
    if not rule_matches(rule.raw["match"], rule.raw.get("exclude"), request):
        return None, None, []
    if context.exceptions:
        key = f"{policy.namespace}/{policy.name}" if policy.namespace else policy.name
        if matching_exceptions(context.exceptions, key, rule.name, request, lenient_resolver(data)):
            return Outcome("skip", "rule is skipped due to policy exception"), None, []
    stopped = prepare_rule(rule.raw, data)
    if stopped is not None:
        return stopped, None, []
    mutate = rule.raw["mutate"]
    if mutate.get("targets"):
        return _mutate_targets(mutate, data, targets)
    if mutate.get("foreach") is not None:
        outcome, patched = _foreach(mutate["foreach"], data, resource, nesting=0)
    else:
        outcome, patched = apply_mutation(mutate, data, resource)
    if outcome.result == "pass":
        outcome = Outcome("pass", _success_message(patched))
    return outcome, patched, []


def prepare_rule(raw: Mapping[str, Any], data: dict[str, Any]) -> Outcome | None:
    """Load the rule's context entries and check its preconditions: the outcome when the rule
    stops there (error, or skip for preconditions not met), else None."""
    try:
        load_entries(raw.get("context"), data)
    except ContextError as exc:
        return Outcome("error", f"failed to load context: {exc}")
    try:
        if not evaluate_conditions(raw.get("preconditions"), lenient_resolver(data)):
            return Outcome("skip", "preconditions not met")
    except ConditionError as exc:
        return Outcome("error", f"failed to evaluate preconditions: {exc}")
    return None


def _success_message(resource: Mapping[str, Any]) -> str:
    metadata = metadata_of(resource)
    kind, name = resource.get("kind"), metadata.get("name")
    namespace = metadata.get("namespace")
    if not namespace:
        return f"mutated {kind}/{name}"
    return f"mutated {kind}/{name} in namespace {namespace}"


def substitute_all(value: Any, data: dict[str, Any]) -> Any:
    """Variables in values and keys (``SubstituteAll``)."""
    resolver = strict_resolver(data)
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            new_key = substitute(key, resolver) if isinstance(key, str) and "{{" in key else key
            out[str(new_key)] = substitute_all(item, data)
        return out
    if isinstance(value, list):
        return [substitute_all(item, data) for item in value]
    return substitute(value, resolver)


def apply_mutation(  # noqa: PLR0911 - one return per outcome of a patch
    block: Mapping[str, Any], data: dict[str, Any], resource: Mapping[str, Any]
) -> tuple[Outcome, Mapping[str, Any]]:
    """One ``patchStrategicMerge`` or ``patchesJson6902`` on the resource."""
    strategic = block.get("patchStrategicMerge")
    json_patch = block.get("patchesJson6902")
    try:
        if strategic is not None:
            patch = substitute_all(strategic, data)
            try:
                prepared = preprocess(patch, resource)
            except (ConditionFailed, GlobalConditionFailed):
                return Outcome("skip", "no patches applied"), resource
            patched = strategic_merge(resource, prepared)
        elif json_patch:
            text = substitute_all(json_patch, data)
            patched = apply_patch(resource, decode_patch(text))
        else:
            return Outcome("error", "empty mutate rule"), resource
    except VariableError as exc:
        return Outcome("error", f"variable substitution failed: {exc}"), resource
    except PatchError as exc:
        return Outcome("error", f"failed to patch resource: {exc}"), resource
    if not isinstance(patched, dict):
        return Outcome("error", "failed to patch resource: the result is not an object"), resource
    if patched == resource:
        return Outcome("skip", "no patches applied"), resource
    return Outcome("pass", "resource patched"), patched


def _foreach(
    entries: Any, data: dict[str, Any], resource: Mapping[str, Any], nesting: int
) -> tuple[Outcome, Mapping[str, Any]]:
    applied = 0
    current = resource
    for entry in entries or []:
        if not isinstance(entry, Mapping):
            continue
        scoped_data = {**data, "request": {**data["request"], "object": current}}
        try:  # a plain JMESPath query (``EvaluateList``): a missing field is null
            found = search(str(entry.get("list", "")), scoped_data, data.get(NOW_KEY))
        except Exception as exc:  # jmespath raises many error types
            return Outcome("error", f"failed to evaluate list {entry.get('list')}: {exc}"), current
        elements = found if isinstance(found, list) else ([] if found is None else [found])
        outcome, patched = _elements(entry, elements, scoped_data, current, nesting)
        if outcome.result == "error":
            return Outcome("error", f"failed to mutate elements: {outcome.message}"), current
        if outcome.result != "skip":
            applied += 1
            if outcome.result == "pass":
                current = patched
    if applied == 0:
        return Outcome("skip", f"{applied} elements processed"), current
    return Outcome("pass", f"{applied} elements processed"), current


def _elements(
    entry: Mapping[str, Any],
    elements: list[Any],
    data: dict[str, Any],
    resource: Mapping[str, Any],
    nesting: int,
) -> tuple[Outcome, Mapping[str, Any]]:
    reverse = entry.get("patchStrategicMerge") is not None
    order = entry.get("order")
    if order is not None:
        reverse = str(order) == "Descending"
    indexed = list(enumerate(elements))
    if reverse:
        indexed.reverse()
    patched = resource
    for index, element in indexed:
        if element is None:
            continue
        scoped = _element_data(entry, data, patched, element, index, nesting)
        if isinstance(scoped, Outcome):
            return scoped, patched
        if scoped is None:
            continue
        if entry.get("foreach") is not None:
            outcome, result = _foreach(entry["foreach"], scoped, patched, nesting + 1)
        else:
            outcome, result = apply_mutation(entry, scoped, patched)
        if outcome.result in ("fail", "error"):
            return outcome, patched
        if outcome.result == "pass":
            patched = result
    if patched != resource:
        return Outcome("pass", ""), patched
    return Outcome("skip", "no patches applied"), patched


def _element_data(  # noqa: PLR0917 - the element's whole scope
    entry: Mapping[str, Any],
    data: dict[str, Any],
    resource: Mapping[str, Any],
    element: Any,
    index: int,
    nesting: int,
) -> dict[str, Any] | Outcome | None:
    """The context of one foreach element (None: its preconditions are not met)."""
    scoped = {
        **data,
        "request": {**data["request"], "object": resource},
        "element": element,
        "elementIndex": index,
        f"element{nesting}": element,
        f"elementIndex{nesting}": index,
    }
    for key, per_element in (data.get(FOREACH_VALUES_KEY) or {}).items():
        if isinstance(per_element, list) and index < len(per_element):
            set_path(scoped, str(key), per_element[index])
    try:
        load_entries(entry.get("context"), scoped)
    except ContextError as exc:
        return Outcome("error", f"failed to load mutate.foreach[{index}].context: {exc}")
    try:
        if not evaluate_conditions(entry.get("preconditions"), lenient_resolver(scoped)):
            return None
    except ConditionError as exc:
        return Outcome("error", f"failed to evaluate mutate.foreach[{index}].preconditions: {exc}")
    return scoped


def _target_matches(
    target: Mapping[str, Any], spec: Mapping[str, Any], data: dict[str, Any]
) -> bool:
    resolver = lenient_resolver(data)
    metadata = metadata_of(target)
    wanted = {
        "apiVersion": target.get("apiVersion"),
        "kind": target.get("kind"),
        "name": metadata.get("name"),
        "namespace": metadata.get("namespace") or "default",
    }
    for key, value in wanted.items():
        expected = spec.get(key)
        if expected in (None, ""):
            continue
        expected = substitute(expected, resolver)
        if key == "namespace":
            expected = expected or "default"
        if expected != value and not (key == "name" and expected == "*"):
            return False
    return True


def _mutate_targets(
    mutate: Mapping[str, Any], data: dict[str, Any], targets: Sequence[Mapping[str, Any]]
) -> tuple[Outcome, None, list[Mapping[str, Any]]]:
    """Mutate existing: each target resource of the test named by ``mutate.targets`` is
    patched with ``target`` in the context; the trigger itself is not changed."""
    patched_targets: list[Mapping[str, Any]] = []
    errors: list[str] = []
    for target in targets:
        if not any(
            isinstance(spec, Mapping) and _target_matches(target, spec, data)
            for spec in mutate["targets"]
        ):
            continue
        scoped = {**data, "target": copy.deepcopy(dict(target))}
        if mutate.get("foreach") is not None:
            outcome, patched = _foreach(mutate["foreach"], scoped, target, nesting=0)
        else:
            outcome, patched = apply_mutation(mutate, scoped, target)
        if outcome.result == "error":
            errors.append(outcome.message)
        elif outcome.result == "pass":
            patched_targets.append(patched)
    if errors:
        return Outcome("error", "; ".join(errors)), None, []
    if not patched_targets:
        return Outcome("skip", "no patches applied"), None, []
    return Outcome("pass", "mutated target resources"), None, patched_targets
