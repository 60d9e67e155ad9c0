"""``policies.kyverno.io`` GeneratingPolicy (``pkg/cel/policies/gpol``), evaluated offline.

The policy applies to a trigger as a MutatingPolicy does (``matchConstraints``,
``matchConditions``, ``variables``). Each ``generate`` expression calls
``generator.Apply(namespace, [objects…])`` (or ``generator.Apply([objects…])``); offline
nothing is created: the calls the evaluation makes, wherever they sit (``list.all(ns,
generator.Apply(ns, …))``), are recorded and the objects they name are the generated resources
(their namespace set from the call; a ``…List`` object gives its items). ``template`` entries
give the resources of their YAML (:mod:`kyverno_validate.engine.gtemplate`).
``resource.Get/List`` read the test's cluster resources. A policy that applies gives ``pass``
with those resources; a CEL error ``error``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from relkit.errors import ConfigError

from kyverno_validate.engine.context import metadata_of
from kyverno_validate.engine.generation import Generation
from kyverno_validate.engine.gtemplate import TemplateError, render_template
from kyverno_validate.engine.model import EvaluationContext, RuleResult
from kyverno_validate.engine.mpol import (
    cel_bindings,
    constraints_match,
    evaluate_cel,
    exception_scope,
)
from kyverno_validate.engine.outcome import Outcome
from kyverno_validate.engine.values import operation_from, values_for

KIND = "GeneratingPolicy"


@dataclass(frozen=True, slots=True)
class GeneratingPolicy:
    name: str
    spec: Mapping[str, Any]
    source: str
    kind: str = KIND
    # a NamespacedGeneratingPolicy: the one namespace whose triggers it answers
    namespace: str | None = None


NAMESPACED_KIND = "NamespacedGeneratingPolicy"


def is_generating_policy(document: Any) -> bool:
    return (
        isinstance(document, Mapping)
        and document.get("kind") in (KIND, NAMESPACED_KIND)
        and str(document.get("apiVersion", "")).startswith("policies.kyverno.io/")
    )


def load_generating_policies(
    documents: Iterable[tuple[str, Mapping[str, Any]]],
) -> list[GeneratingPolicy]:
    """Every GeneratingPolicy among the documents; a malformed one is a ConfigError."""
    found = []
    for source, document in documents:
        if not is_generating_policy(document):
            continue
        metadata = document.get("metadata")
        spec = document.get("spec")
        if not isinstance(metadata, Mapping) or not isinstance(metadata.get("name"), str):
            raise ConfigError(f"{source}: metadata.name: a GeneratingPolicy needs a name")
        if not isinstance(spec, Mapping) or not isinstance(spec.get("generate"), list):
            raise ConfigError(
                f"{source}: spec.generate: a GeneratingPolicy needs a list of generate expressions"
            )
        kind = str(document["kind"])
        namespace = None
        if kind == NAMESPACED_KIND:
            namespace = str(metadata.get("namespace") or "default")
        found.append(GeneratingPolicy(metadata["name"], spec, source, kind, namespace))
    return found


def _collect(namespace: str | None, objects: Any, found: list[Mapping[str, Any]]) -> None:
    """The resources of one ``generator.Apply(namespace, objects)`` call: each object (a
    ``…List`` gives its items) in that namespace (None: the objects' own)."""
    for obj in objects if isinstance(objects, list) else []:
        if not isinstance(obj, Mapping):
            continue
        items = obj.get("items")
        if not str(obj.get("kind", "")).endswith("List") or not isinstance(items, list):
            items = [obj]
        for item in items:
            if not isinstance(item, Mapping):
                continue
            made = dict(item)
            if namespace is not None:
                made["metadata"] = {**dict(made.get("metadata") or {}), "namespace": namespace}
                if not namespace:
                    del made["metadata"]["namespace"]
            found.append(made)


def _run(
    policy: GeneratingPolicy,
    trigger: Mapping[str, Any],
    context: EvaluationContext,
    sources: Sequence[Mapping[str, Any]],
    exceptions: Sequence[Mapping[str, Any]] = (),
) -> tuple[Outcome, list[Mapping[str, Any]]] | None:
    from kyverno_validate.cel import library_bindings  # noqa: PLC0415 - lazy CEL

    name = str(metadata_of(trigger).get("name") or "")
    operation = context.operation
    if context.values:
        operation = operation_from(values_for(context.values, policy.name, None, name), operation)
    namespace = str(metadata_of(trigger).get("namespace") or "")
    constraints = policy.spec.get("matchConstraints") or {}
    if (policy.namespace is not None and namespace != policy.namespace) or not constraints_match(
        constraints, trigger, operation, context.namespace_labels.get(namespace)
    ):
        return None
    bindings = {
        **library_bindings(cluster_objects=sources),
        **cel_bindings(trigger, operation, context),
    }
    bindings["variables"] = {}
    for variable in policy.spec.get("variables") or []:
        value = evaluate_cel(variable.get("expression"), bindings, context)
        if not isinstance(value, Outcome):
            bindings["variables"] = {**bindings["variables"], str(variable.get("name")): value}
    for condition in policy.spec.get("matchConditions") or []:
        value = evaluate_cel(condition.get("expression"), bindings, context)
        if isinstance(value, Outcome):
            return value, []
        if value is not True:
            return None
    scope = exception_scope(policy.kind, policy.name, exceptions, bindings, context)
    if isinstance(scope, Outcome):
        return scope, []
    bindings["exceptions"] = scope
    generated = _generate(policy.spec.get("generate") or [], bindings, context)
    if isinstance(generated, Outcome):
        return generated, []
    return Outcome("pass", "created resource"), generated


def _generate(
    entries: Sequence[Any], bindings: dict[str, Any], context: EvaluationContext
) -> list[Mapping[str, Any]] | Outcome:
    """The resources of the ``generate`` entries (expressions and templates), or the error."""
    generated: list[Mapping[str, Any]] = []
    for entry in entries:
        template = (entry or {}).get("template")
        if isinstance(template, Mapping):
            try:
                generated += render_template(
                    template, lambda text: evaluate_cel(text, bindings, context)
                )
            except TemplateError as exc:
                return Outcome("error", f"failed to render the template: {exc}")
            continue
        from kyverno_validate.cel.kyverno_library import recording_apply_calls  # noqa: PLC0415

        with recording_apply_calls() as calls:
            value = evaluate_cel(str((entry or {}).get("expression") or ""), bindings, context)
        if isinstance(value, Outcome):
            return value
        for namespace, objects in calls:
            _collect(namespace, objects, generated)
    return generated


def generate_with_policies(
    policies: Sequence[GeneratingPolicy],
    trigger: Mapping[str, Any],
    context: EvaluationContext | None = None,
    sources: Sequence[Mapping[str, Any]] = (),
    exceptions: Sequence[Mapping[str, Any]] = (),
) -> list[Generation]:
    """Every GeneratingPolicy against one trigger resource (``exceptions``:
    ``policies.kyverno.io`` PolicyExceptions)."""
    context = context or EvaluationContext()
    metadata = metadata_of(trigger)
    found: list[Generation] = []
    for policy in policies:
        ran = _run(policy, trigger, context, sources, exceptions)
        if ran is None:
            continue
        outcome, resources = ran
        result = RuleResult(
            policy=policy.name,
            rule="",
            kind=str(trigger.get("kind") or ""),
            name=str(metadata.get("name") or ""),
            namespace=str(metadata.get("namespace") or ""),
            result=outcome.result,
            message=outcome.message,
            action="Audit",
        )
        found.append(Generation(result, tuple(resources)))
    return found
