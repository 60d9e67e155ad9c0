"""Rule evaluation: match → context → preconditions → validate (pattern, anyPattern, deny,
foreach, podSecurity), one :class:`RuleResult` per matching rule (``validate_resource.go``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from kyverno_validate.engine.assertion import evaluate_assert
from kyverno_validate.engine.celrule import evaluate_cel_rule
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
from kyverno_validate.engine.foreach import run_foreach
from kyverno_validate.engine.manifests import verify_manifests
from kyverno_validate.engine.match import Request, rule_matches
from kyverno_validate.engine.model import EvaluationContext, Policy, Rule, RuleResult, new_result
from kyverno_validate.engine.nodes import ArrayNode, MapNode
from kyverno_validate.engine.outcome import Outcome
from kyverno_validate.engine.patternplan import SKIPS, Verdict, full_path
from kyverno_validate.engine.patterns import pattern_verdict
from kyverno_validate.engine.pss import evaluate_pod_security
from kyverno_validate.engine.ruleplan import Step, plan_for
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
    strict_resolver,
    substitute,
)

if TYPE_CHECKING:
    from kyverno_validate.engine.celpolicy import CelPolicy

_DEFAULT = EvaluationContext()


def evaluate(
    policies: Sequence[Policy | CelPolicy],
    resource: Mapping[str, Any],
    context: EvaluationContext | None = None,
) -> list[RuleResult]:
    """Every matching validate rule of every policy against one resource (CEL policies too)."""
    context = context or _DEFAULT
    # (the set of exact types first: a C-level pass over every policy of every call)
    if set(map(type, policies)) - {Policy} and any(not isinstance(p, Policy) for p in policies):
        from kyverno_validate.engine.celpolicy import evaluate_cel_policies  # noqa: PLC0415

        classic = [p for p in policies if isinstance(p, Policy)]
        cel = [p for p in policies if not isinstance(p, Policy)]
        return [
            *evaluate(classic, resource, context),
            *evaluate_cel_policies(cel, resource, context),
        ]
    classic_policies = cast("Sequence[Policy]", policies)
    metadata = metadata_of(resource)
    name = str(metadata.get("name") or "")
    namespace = str(metadata.get("namespace") or "")
    kind = str(resource.get("kind") or "")
    request = build_request(resource, context)
    run = _Run(resource, context, request, name)
    results: list[RuleResult] = []
    applied_once: set[int] = set()  # policies with ``applyRules: One`` that already applied
    # a compiled pattern decides its rule here when only the resource matters (no values, no
    # exceptions, not a DELETE): what _Run.rule would find by _without_context, with fewer calls
    direct = not context.values and not context.exceptions and context.operation != "DELETE"
    for step in plan_for(classic_policies, request):
        if step.namespace is not None and namespace != step.namespace:
            continue
        if applied_once and id(step.policy) in applied_once:
            continue
        check = step.check
        if direct and check is not None and not step.dynamic_match:
            verdict = check(resource)
            if verdict is None:
                outcome: Outcome | None = step.passed
            elif verdict[0] in SKIPS:
                outcome = _SKIPPED
            else:
                outcome = _pattern_failure(step, verdict, context.operation) or run.rule(step)
        else:
            outcome = run.rule(step)
        if outcome is None:
            continue
        result = outcome.result
        if step.apply_one and result in ("pass", "fail"):
            applied_once.add(id(step.policy))
        results.append(
            new_result(
                step.policy_name,
                step.rule_name,
                kind,
                name,
                namespace,
                "warn" if result == "fail" and not step.scored else result,
                outcome.message,
                step.action,
                outcome.path,
            )
        )
    return results


def _existing_violation(rule: Rule, data: dict[str, Any], outcome: Outcome) -> Outcome:
    """``allowExistingViolations``: an UPDATE whose old object fails the same way is skipped."""
    old = data["request"].get("oldObject")
    if not isinstance(old, Mapping) or not old:
        return outcome
    old_data = {**data, "request": {**data["request"], "object": old, "oldObject": None}}
    prior = evaluate_rule(rule, old_data, old)
    if prior is not None and prior.result == "fail":
        return Outcome("skip", "skipping modified resource as validation results have not changed")
    return outcome


_SKIPPED = Outcome("skip", "rule skipped")


def _without_context(step: Step, resource: Mapping[str, Any], operation: str) -> Outcome | None:
    """A compiled pattern or anyPattern rule's outcome when it needs no JSON context (a pass, a
    skip, or a failure whose message has no variables); None: evaluate it in full."""
    rule = step.rule
    if step.check is not None:
        verdict = step.check(resource)
        if verdict is None:
            return step.passed
        if verdict[0] in SKIPS:
            return _SKIPPED
        return _pattern_failure(step, verdict, operation)
    outcome = _patterns(rule.name, cast("Mapping[str, Any]", step.fixed_validate), {}, resource)
    return None if outcome.result == "fail" and operation == "UPDATE" else outcome


def _pattern_failure(step: Step, verdict: Verdict, operation: str) -> Outcome | None:
    """A compiled pattern's failure when its message has no variables; None: evaluate the rule
    in full (and on UPDATE, for allowExistingViolations)."""
    message = step.fixed_message
    if message is None or operation == "UPDATE":
        return None
    path = full_path(verdict)
    return Outcome("fail", _error_message(message, step.rule_name, path), _field_path(path))


class _Run:
    """One resource's evaluation: the request and the JSON context built once, lazily."""

    def __init__(
        self, resource: Mapping[str, Any], context: EvaluationContext, request: Request, name: str
    ) -> None:
        self.resource = resource
        self.context = context
        self.request = request
        self.name = name
        self._base: dict[str, Any] | None = None
        # the JSON context of every rule without context entries when no values are given
        # (the operation is then the context's): built once, never changed in place
        self._shared: dict[str, Any] | None = None

    def rule(self, step: Step) -> Outcome | None:
        policy, rule = step.policy, step.rule
        context = self.context
        rule_values: Mapping[str, Any] = {}
        request = self.request
        operation = context.operation
        if context.values:
            # like the Kyverno CLI: the operation comes from the global and per-resource values;
            # per-rule values only set variables
            operation = operation_from(
                values_for(context.values, policy.name, None, self.name), context.operation
            )
            rule_values = values_for(context.values, policy.name, rule.name, self.name)
            if operation != context.operation:
                request = replace(request, operation=operation)
        if step.dynamic_match and not rule_matches(
            rule.raw["match"], rule.raw.get("exclude"), request
        ):
            return None
        if step.fast and operation != "DELETE" and not context.exceptions and not rule_values:
            fast = _without_context(step, self.resource, operation)
            if fast is not None:
                return fast
        if step.shared_data and not context.values:
            data = self._shared
            if data is None:
                data = self._shared = self._data(policy, rule, operation, rule_values)
        else:
            data = self._data(policy, rule, operation, rule_values)
        if context.exceptions:
            key = f"{policy.namespace}/{policy.name}" if policy.namespace else policy.name
            exempt = matching_exceptions(
                context.exceptions, key, rule.name, request, lenient_resolver(data)
            )
            if exempt:
                return _exempt(rule, exempt, data, self._target(data))
        outcome = evaluate_rule(rule, data, self._target(data))
        if (
            step.allow_existing
            and outcome is not None
            and outcome.result == "fail"
            and operation == "UPDATE"
        ):
            return _existing_violation(rule, data, outcome)
        return outcome

    def _target(self, data: dict[str, Any]) -> Mapping[str, Any]:
        """What patterns check: ``request.object`` as values left it (the CLI re-reads it), the
        resource itself otherwise (and for DELETE, whose object is the old one)."""
        new = data["request"].get("object")
        return new if isinstance(new, Mapping) and new is not self.resource else self.resource

    def _data(
        self, policy: Policy, rule: Rule, operation: str, rule_values: Mapping[str, Any]
    ) -> dict[str, Any]:
        """The JSON context of one rule: the request, values and test inputs."""
        context = self.context
        if self._base is None:
            self._base = base_data(self.resource, context)
        new: Any = None if operation == "DELETE" else self.resource
        old = context.old_object
        if old is None and operation in ("UPDATE", "DELETE"):
            old = self.resource  # the Kyverno CLI compares an UPDATE against the same object
        data = {
            **self._base,
            "request": {
                **self._base["request"],
                "operation": operation,
                "object": new,
                "oldObject": old,
            },
        }
        if context.cluster_resources:
            data[CLUSTER_KEY] = context.cluster_resources
        if context.now is not None:
            data[NOW_KEY] = context.now
        add_values(data, rule_values)
        if context.values:
            foreach_values = foreach_values_for(context.values, policy.name, rule.name)
            if foreach_values:
                data[FOREACH_VALUES_KEY] = foreach_values
        return data


def _exempt(
    rule: Rule, exempt: list[Mapping[str, Any]], data: dict[str, Any], resource: Mapping[str, Any]
) -> Outcome:
    """A PolicyException skips the rule. For podSecurity (``validate_pss.go``) a pod that fails
    is skipped when the exception's ``podSecurity`` controls excuse every failing check, and
    still fails otherwise; a pod that passes passes."""
    validate = rule.validate or {}
    controls = [c for e in exempt for c in (e.get("spec") or {}).get("podSecurity") or []]
    if validate.get("podSecurity") is None or not controls:
        return Outcome("skip", "rule is skipped due to policy exception")
    outcome = evaluate_rule(rule, data, resource)
    if outcome is None or outcome.result != "fail":
        return outcome or Outcome("skip", "rule is skipped due to policy exception")
    settings = dict(validate["podSecurity"])
    settings["exclude"] = [*(settings.get("exclude") or []), *controls]
    patched = {**rule.raw, "validate": {**validate, "podSecurity": settings}}
    excused = evaluate_rule(
        replace(rule, raw=patched, validate=patched["validate"]), data, resource
    )
    if excused is not None and excused.result == "pass":
        return Outcome("skip", "rule skipped due to policy exception")
    return excused or outcome


def evaluate_rule(rule: Rule, data: dict[str, Any], resource: Mapping[str, Any]) -> Outcome | None:
    try:
        load_entries(rule.raw.get("context"), data)
    except ContextError as exc:
        return Outcome("error", f"failed to load context: {exc}")
    if (rule.validate or {}).get("cel") is not None:
        return _cel(rule, data)
    if (rule.validate or {}).get("assert") is not None:
        return evaluate_assert(rule, data, resource)
    validate = rule.validate or {}
    if rule.pattern is not None or rule.any_pattern is not None:
        validate = {**validate, "pattern": rule.pattern, "anyPattern": rule.any_pattern}
    return _validate(rule.name, rule.raw.get("preconditions"), validate, data, resource)


def _cel(rule: Rule, data: dict[str, Any]) -> Outcome:
    """A ``validate.cel`` rule: JMESPath preconditions first, as for every rule type."""
    try:
        if not evaluate_conditions(rule.raw.get("preconditions"), lenient_resolver(data)):
            return Outcome("skip", "preconditions not met")
    except ConditionError as exc:
        return Outcome("error", f"failed to evaluate preconditions: {exc}")
    cluster = data.get(CLUSTER_KEY) or ()
    return evaluate_cel_rule(rule.name, rule.raw, data, cluster, data.get(NOW_KEY))


def _message(validate: Mapping[str, Any], data: dict[str, Any]) -> str:
    message = validate.get("message") or ""
    try:
        return str(substitute(message, strict_resolver(data)))
    except VariableError:
        return str(message)


def _validate(  # noqa: PLR0911 - one return per kind of validation
    rule_name: str,
    preconditions: Any,
    validate: Mapping[str, Any],
    data: dict[str, Any],
    resource: Any,
) -> Outcome | None:
    try:
        if not evaluate_conditions(preconditions, lenient_resolver(data)):
            return Outcome("skip", "preconditions not met")
    except ConditionError as exc:
        return Outcome("error", f"failed to evaluate preconditions: {exc}")
    if validate.get("deny") is not None:
        return _deny(rule_name, validate, data)
    if validate.get("pattern") is not None or validate.get("anyPattern") is not None:
        if "element" not in data and data["request"].get("operation") == "DELETE":
            return None  # Kyverno skips patterns on a deleted resource (no rule response)
        return _patterns(rule_name, validate, data, resource)
    if validate.get("foreach") is not None:
        return run_foreach(
            _validate,
            rule_name=rule_name,
            entries=validate["foreach"],
            data=data,
            resource=resource,
            message=validate.get("message"),
        )
    if validate.get("podSecurity") is not None:
        if "element" not in data and data["request"].get("operation") == "DELETE":
            return None  # Kyverno skips PSS validation on a deleted resource
        failed, message = evaluate_pod_security(validate["podSecurity"], resource)
        if failed is None:
            return Outcome("error", message)
        if failed:
            return Outcome("fail", f"{_message(validate, data)} {message}".strip())
        return Outcome("pass", message)
    if validate.get("manifests") is not None:
        if data["request"].get("operation") == "DELETE":
            return None  # NewValidateManifestHandler: no handler for a delete request
        return verify_manifests(validate["manifests"], resource)
    return None


def _deny(rule_name: str, validate: Mapping[str, Any], data: dict[str, Any]) -> Outcome:
    conditions = (validate.get("deny") or {}).get("conditions")
    try:
        denied = evaluate_conditions(conditions, lenient_resolver(data)) if conditions else True
    except ConditionError as exc:
        return Outcome("error", f"failed to check deny conditions: {exc}")
    if denied:
        message = _message(validate, data) or f"validation error: rule {rule_name} failed"
        return Outcome("fail", message)
    return Outcome("pass", f"validation rule '{rule_name}' passed.")


def _patterns(  # noqa: PLR0911 - one return per pattern outcome
    rule_name: str, validate: Mapping[str, Any], data: dict[str, Any], resource: Any
) -> Outcome:
    resolver = strict_resolver(data)
    pattern, any_pattern = validate.get("pattern"), validate.get("anyPattern")
    try:
        if not isinstance(pattern, MapNode | ArrayNode):
            pattern = substitute(pattern, resolver)
        if not isinstance(any_pattern, tuple):
            any_pattern = substitute(any_pattern, resolver)
    except VariableError as exc:
        return Outcome("error", f"variable substitution failed: {exc}")
    if pattern is not None:
        error = pattern_verdict(resource, pattern)
        if error is None:
            return Outcome("pass", f"validation rule '{rule_name}' passed.")
        skip, path = error
        if skip:
            return _SKIPPED
        message = _message(validate, data)
        return Outcome("fail", _error_message(message, rule_name, path), _field_path(path))
    failed: list[str] = []
    skipped = 0
    for index, candidate in enumerate(any_pattern or []):
        error = pattern_verdict(resource, candidate)
        if error is None:
            return Outcome("pass", f"validation rule '{rule_name}' anyPattern[{index}] passed.")
        skip, path = error
        if skip:
            skipped += 1
        else:
            failed.append(f"rule {rule_name}[{index}] failed at path {path}")
    if skipped and not failed:
        return _SKIPPED
    message = _message(validate, data)
    prefix = f"validation error: {_sentence(message)} " if message else "validation error: "
    return Outcome("fail", prefix + "; ".join(failed))


def _sentence(message: str) -> str:
    return message if message.endswith(".") else message + "."


def _error_message(message: str, rule_name: str, path: str) -> str:
    """Kyverno's ``buildErrorMessage`` for a pattern failure."""
    if not message:
        return f"validation error: rule {rule_name} failed at path {path}"
    return f"validation error: {_sentence(message)} rule {rule_name} failed at path {path}"


@lru_cache(maxsize=4096)
def _field_path(path: str) -> str | None:
    parts = [p for p in path.split("/") if p]
    if not parts:
        return None
    text = ""
    for part in parts:
        text += f"[{part}]" if part.isdigit() else (f".{part}" if text else part)
    return text
