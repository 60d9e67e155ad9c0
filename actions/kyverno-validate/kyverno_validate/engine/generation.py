"""Classic ``generate`` rules as ``kyverno test`` evaluates them (``processor/generate.go``).

A matching rule (context and preconditions as for other rules) yields the resource it would
create: ``data`` gives the object's content, ``clone`` copies a source object (looked up among
the test's cluster resources and clone sources), ``cloneList`` copies every source of the listed
kinds (and ``selector``); with none of them the object is its kind, name and namespace alone.
``apiVersion``/``kind``/``name``/``namespace`` are set from the rule after variable
substitution. ``synchronize`` only matters in a cluster and is ignored. Pure.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from kyverno_validate.engine.context import build_request, metadata_of
from kyverno_validate.engine.jmespath_functions import search
from kyverno_validate.engine.match import rule_matches, selector_matches
from kyverno_validate.engine.model import EvaluationContext, Policy, RuleResult
from kyverno_validate.engine.mutation import prepare_rule, rule_data, substitute_all
from kyverno_validate.engine.outcome import Outcome
from kyverno_validate.engine.references import substitute_references
from kyverno_validate.engine.variables import NOW_KEY, VariableError
from kyverno_validate.engine.wildcard import match as wildcard_match


@dataclass(frozen=True, slots=True)
class Generation:
    """One generate rule's result for one trigger, with the resources it generates."""

    result: RuleResult
    resources: tuple[Mapping[str, Any], ...]


def has_generate(policy: Any) -> bool:
    """A classic policy with a generate rule (CEL policies in the same list have none)."""
    return isinstance(policy, Policy) and any(
        rule.raw.get("generate") is not None for rule in policy.rules
    )


def generate_for(
    policies: Sequence[Policy],
    trigger: Mapping[str, Any],
    context: EvaluationContext | None = None,
    sources: Sequence[Mapping[str, Any]] = (),
    rule_sources: Mapping[tuple[str, str], Sequence[Mapping[str, Any]]] | None = None,
) -> list[Generation]:
    """Every generate rule of every policy against one trigger resource. Clone sources are
    ``rule_sources[(policy, rule)]`` when given (a result's ``cloneSourceResource``), else
    ``sources``."""
    context = context or EvaluationContext()
    metadata = metadata_of(trigger)
    found: list[Generation] = []
    for policy in policies:
        if not has_generate(policy):
            continue
        if policy.namespace is not None and metadata.get("namespace") != policy.namespace:
            continue
        for rule in policy.rules:
            generate = rule.raw.get("generate")
            if not isinstance(generate, Mapping):
                continue
            data, operation = rule_data(policy, rule, trigger, context)
            request = build_request(trigger, context)
            if operation != request.operation:
                request = replace(request, operation=operation)
            if not rule_matches(rule.raw["match"], rule.raw.get("exclude"), request):
                continue
            own = (rule_sources or {}).get((policy.name, rule.name))
            outcome, resources = _generate(rule.raw, generate, data, own or sources)
            result = RuleResult(
                policy=policy.name,
                rule=rule.name,
                kind=str(trigger.get("kind") or ""),
                name=str(metadata.get("name") or ""),
                namespace=str(metadata.get("namespace") or ""),
                result=outcome.result,
                message=outcome.message,
                action=rule.action,
            )
            found.append(Generation(result, tuple(resources)))
    return found


def _generate(
    raw: Mapping[str, Any],
    generate: Mapping[str, Any],
    data: dict[str, Any],
    sources: Sequence[Mapping[str, Any]],
) -> tuple[Outcome, list[Mapping[str, Any]]]:
    stopped = prepare_rule(raw, data)
    if stopped is not None:
        return stopped, []
    if isinstance(generate.get("foreach"), list):
        return _generate_foreach(generate["foreach"], data, sources)
    try:
        spec = substitute_all(substitute_references(dict(generate)), data)
    except VariableError as exc:
        return Outcome("error", f"variable substitution failed: {exc}"), []
    made, error = _one(spec, sources)
    if error:
        return Outcome("error", error), []
    return Outcome("pass", "created resource"), made


def _generate_foreach(
    entries: list[Any], data: dict[str, Any], sources: Sequence[Mapping[str, Any]]
) -> tuple[Outcome, list[Mapping[str, Any]]]:
    """``generate.foreach``: each element of each entry's list (with ``element`` and
    ``elementIndex``, its own context and preconditions) generates the entry's resource."""
    generated: list[Mapping[str, Any]] = []
    for entry in (e for e in entries if isinstance(e, Mapping)):
        try:
            found = search(str(entry.get("list", "")), data, data.get(NOW_KEY))
        except Exception as exc:  # jmespath raises many error types
            return Outcome("error", f"failed to evaluate list {entry.get('list')}: {exc}"), []
        elements = found if isinstance(found, list) else [found]
        for index, element in enumerate(elements):
            if element is None:
                continue
            scoped = {**data, "element": element, "elementIndex": index}
            stopped = prepare_rule(entry, scoped)
            if stopped is not None:
                if stopped.result == "error":
                    return stopped, []
                continue
            pattern = {k: v for k, v in entry.items() if k not in _FOREACH_KEYS}
            try:
                spec = substitute_all(substitute_references(pattern), scoped)
            except VariableError as exc:
                return Outcome("error", f"variable substitution failed: {exc}"), []
            made, error = _one(spec, sources)
            if error:
                return Outcome("error", error), []
            generated += made
    if not generated:
        return Outcome("skip", "no resource generated"), []
    return Outcome("pass", "created resource"), generated


_FOREACH_KEYS = ("list", "context", "preconditions")


def _identity(obj: Mapping[str, Any]) -> tuple[str, str, str, str]:
    metadata = metadata_of(obj)
    return (
        str(obj.get("apiVersion") or ""),
        str(obj.get("kind") or ""),
        str(metadata.get("namespace") or ""),
        str(metadata.get("name") or ""),
    )


def _one(
    spec: Mapping[str, Any], sources: Sequence[Mapping[str, Any]]
) -> tuple[list[Mapping[str, Any]], str]:
    api_version, kind = spec.get("apiVersion"), spec.get("kind")
    name, namespace = spec.get("name"), spec.get("namespace")
    if isinstance(spec.get("data"), Mapping):
        body = copy.deepcopy(dict(spec["data"]))
    elif isinstance(spec.get("clone"), Mapping):
        clone = spec["clone"]
        wanted = (str(clone.get("namespace") or ""), str(clone.get("name") or ""))
        source = next(
            (
                s
                for s in sources
                if s.get("kind") == kind
                and _identity(s)[2:] == wanted
                and (not api_version or s.get("apiVersion") == api_version)
            ),
            None,
        )
        if source is None:
            return [], f"source resource {kind} {wanted[0]}/{wanted[1]} not found"
        body = _cloned(source)
    elif isinstance(spec.get("cloneList"), Mapping):
        return _clone_list(spec["cloneList"], namespace, sources), ""
    else:  # neither data nor clone: the object is its kind, name and namespace alone
        body = {}
    metadata = dict(body.get("metadata") or {})
    metadata["name"] = name
    if namespace:
        metadata["namespace"] = namespace
    body["apiVersion"] = api_version
    body["kind"] = kind
    body["metadata"] = metadata
    return [body], ""


def _cloned(source: Mapping[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy(dict(source))
    metadata = {
        k: v
        for k, v in dict(body.get("metadata") or {}).items()
        if k
        not in ("resourceVersion", "uid", "creationTimestamp", "ownerReferences", "managedFields")
    }
    body["metadata"] = metadata
    return body


def _clone_list(
    spec: Mapping[str, Any], namespace: Any, sources: Sequence[Mapping[str, Any]]
) -> list[Mapping[str, Any]]:
    kinds = [str(k) for k in spec.get("kinds") or []]
    source_ns = str(spec.get("namespace") or "")
    selector = spec.get("selector")
    made: list[Mapping[str, Any]] = []
    for source in sources:
        api_version, kind, ns, _name = _identity(source)
        if ns != source_ns:
            continue
        if not any(wildcard_match(k, f"{api_version}/{kind}") or k == kind for k in kinds):
            continue
        labels = metadata_of(source).get("labels") or {}
        if isinstance(selector, Mapping) and not selector_matches(selector, labels):
            continue
        body = _cloned(source)
        if namespace:
            body["metadata"]["namespace"] = namespace
        made.append(body)
    return made
