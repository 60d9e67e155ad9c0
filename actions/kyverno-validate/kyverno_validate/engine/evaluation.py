"""Rule evaluation: match → context → preconditions → validate (pattern, anyPattern, deny,
foreach, podSecurity), one :class:`RuleResult` per matching rule (``validate_resource.go``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
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
from kyverno_validate.engine.match import Request
from kyverno_validate.engine.matchcache import kind_key, matches
from kyverno_validate.engine.model import EvaluationContext, Policy, Rule, RuleResult
from kyverno_validate.engine.nodes import ArrayNode, MapNode
from kyverno_validate.engine.outcome import Outcome
from kyverno_validate.engine.patterns import match_pattern
from kyverno_validate.engine.pss import evaluate_pod_security
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
    # a subresource (Scale) is matched as its parent's kind too (Deployment/scale)
    kinds = (kind, request.kind) if request.subresource else (kind,)
    for policy, rule in _rules_for(classic_policies, kinds):
        if policy.namespace is not None and namespace != policy.namespace:
            continue
        if id(policy) in applied_once:
            continue
        outcome = run.rule(policy, rule)
        if outcome is None:
            continue
        if outcome.result in ("pass", "fail") and policy.apply_one:
            applied_once.add(id(policy))
        results.append(
            RuleResult(  # positional arguments: cheaper than keywords, a million times
                policy.name,
                rule.name,
                kind,
                name,
                namespace,
                "warn" if outcome.result == "fail" and not policy.scored else outcome.result,
                outcome.message,
                rule.action,
                outcome.path,
            )
        )
    return results


_INDEX: dict[tuple[int, ...], tuple[Sequence[Policy], dict[str, list[tuple[Policy, Rule]]]]] = {}


def _rules_for(policies: Sequence[Policy], kinds: tuple[str, ...]) -> list[tuple[Policy, Rule]]:
    """The validate rules (in policy order) that can match one of ``kinds``, indexed per policy
    list."""
    key = tuple(map(id, policies))
    cached = _INDEX.get(key)
    if cached is None:
        if len(_INDEX) > 16:
            _INDEX.clear()
        cached = (list(policies), {})  # holding the policies keeps their ids unique
        _INDEX[key] = cached
    by_kind = cached[1]
    kinds_key = "/".join(kinds)
    found = by_kind.get(kinds_key)
    if found is None:
        found = [
            (policy, rule)
            for policy in policies
            if policy.kinds is None or not policy.kinds.isdisjoint(kinds)
            for rule in policy.rules
            if rule.validate is not None
            and (rule.kinds is None or not rule.kinds.isdisjoint(kinds))
        ]
        by_kind[kinds_key] = found
    return found


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


def _plain(rule: Rule) -> bool:
    return not rule.raw.get("context") and rule.raw.get("preconditions") is None


def _without_context(rule: Rule, resource: Mapping[str, Any], operation: str) -> Outcome | None:
    """A compiled pattern or anyPattern rule's outcome when it needs no JSON context (a pass, a
    skip, or a failure whose message has no variables); None: evaluate it in full."""
    if rule.pattern is not None:
        error = match_pattern(resource, rule.pattern)
        if error is None:
            return Outcome("pass", f"validation rule '{rule.name}' passed.")
        if error.skip:
            return Outcome("skip", "rule skipped")
        message = _fixed_message(rule)
        if message is None or operation == "UPDATE":  # UPDATE: allowExistingViolations
            return None
        return Outcome(
            "fail", _error_message(message, rule.name, error.path), _field_path(error.path)
        )
    validate = _fixed_validate(rule) if rule.any_pattern is not None else None
    if validate is None:
        return None
    outcome = _patterns(rule.name, validate, {}, resource)
    return None if outcome.result == "fail" and operation == "UPDATE" else outcome


def _fixed_validate(rule: Rule) -> dict[str, Any] | None:
    """The validate block ``evaluate_rule`` would check, when it needs no JSON context: a
    compiled pattern or anyPattern (no deny, no cel) and a message without variables."""
    validate = rule.validate or {}
    if validate.get("deny") is not None or validate.get("cel") is not None:
        return None
    message = validate.get("message")
    if isinstance(message, str) and "{{" in message:
        return None
    return {**validate, "pattern": rule.pattern, "anyPattern": rule.any_pattern}


def _fixed_message(rule: Rule) -> str | None:
    """The failure message of a compiled ``pattern`` rule needing no JSON context, else None."""
    validate = _fixed_validate(rule)
    if validate is None or validate.get("anyPattern") is not None:
        return None
    return str(validate.get("message") or "")


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
        self.kind_key = kind_key(request)

    def rule(self, policy: Policy, rule: Rule) -> Outcome | None:
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
        if not matches(rule.raw["match"], rule.raw.get("exclude"), request, self.kind_key):
            return None
        if operation != "DELETE" and not context.exceptions and not rule_values and _plain(rule):
            fast = _without_context(rule, self.resource, operation)
            if fast is not None:
                return fast
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
            outcome is not None
            and outcome.result == "fail"
            and operation == "UPDATE"
            and (rule.validate or {}).get("allowExistingViolations") is True
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
        error = match_pattern(resource, pattern)
        if error is None:
            return Outcome("pass", f"validation rule '{rule_name}' passed.")
        if error.skip:
            return Outcome("skip", "rule skipped")
        message = _message(validate, data)
        return Outcome(
            "fail",
            _error_message(message, rule_name, error.path),
            _field_path(error.path),
        )
    failed: list[str] = []
    skipped = 0
    for index, candidate in enumerate(any_pattern or []):
        error = match_pattern(resource, candidate)
        if error is None:
            return Outcome("pass", f"validation rule '{rule_name}' anyPattern[{index}] passed.")
        if error.skip:
            skipped += 1
        else:
            failed.append(f"rule {rule_name}[{index}] failed at path {error.path}")
    if skipped and not failed:
        return Outcome("skip", "rule skipped")
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


def _field_path(path: str) -> str | None:
    parts = [p for p in path.split("/") if p]
    if not parts:
        return None
    text = ""
    for part in parts:
        text += f"[{part}]" if part.isdigit() else (f".{part}" if text else part)
    return text
