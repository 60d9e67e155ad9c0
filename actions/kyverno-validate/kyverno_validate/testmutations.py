"""``kyverno test`` for mutate and generate rules, pure: run them before validation (as the
CLI's policy processor does) and check a result row's ``patchedResources`` /
``generatedResource`` file against what the engine produced (``commands/test/output.go``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from relkit.errors import ConfigError

from kyverno_validate.engine import EvaluationContext, Policy, RuleResult
from kyverno_validate.engine.compare import identity, pick_expected, resources_equal
from kyverno_validate.engine.context import metadata_of
from kyverno_validate.engine.generation import generate_for, has_generate
from kyverno_validate.engine.gpol import GeneratingPolicy, generate_with_policies
from kyverno_validate.engine.mpol import MutatingPolicy, mutate_with_policies
from kyverno_validate.engine.mutation import PolicyMutation, has_mutate, mutate_resource

# path relative to the test file -> documents of that file
DocumentLoader = Callable[[str], list[Any]]
_Key = tuple[str, str, str, str]


def _key(policy: str, kind: str, name: str, namespace: str) -> _Key:
    return (policy, kind, name, namespace)


@dataclass
class Produced:
    """What mutate and generate rules produced for the test's resources."""

    results: list[RuleResult] = field(default_factory=list)
    # (policy, kind, name, namespace) -> the resource as that policy's mutate rules left it
    patched_by_policy: dict[_Key, Mapping[str, Any]] = field(default_factory=dict)
    # ("", kind, name, namespace) -> the resource after every mutate rule (what validate saw)
    final: dict[_Key, Mapping[str, Any]] = field(default_factory=dict)
    # (policy/rule, kind, name, namespace) -> generated resources
    generated: dict[_Key, tuple[Mapping[str, Any], ...]] = field(default_factory=dict)


def apply_mutations(
    policies: Sequence[Policy],
    resource: Mapping[str, Any],
    context: EvaluationContext,
    produced: Produced,
    *,
    sources: Sequence[Mapping[str, Any]] = (),
    rule_sources: Mapping[tuple[str, str], Sequence[Mapping[str, Any]]] | None = None,
    targets: Sequence[Mapping[str, Any]] = (),
) -> Mapping[str, Any]:
    """Run mutate and generate rules on one resource; return the patched resource."""
    patched = resource
    mutating = [p for p in policies if has_mutate(p)]
    if mutating:
        patched, responses = mutate_resource(mutating, resource, context, targets)
        _record(responses, produced)
    generating = [p for p in policies if has_generate(p)]
    if generating:
        for generation in generate_for(generating, resource, context, sources, rule_sources):
            produced.results.append(generation.result)
            r = generation.result
            produced.generated[_key(f"{r.policy}/{r.rule}", r.kind, r.name, r.namespace)] = (
                generation.resources
            )
    metadata = metadata_of(resource)
    produced.final[
        _key("", str(resource.get("kind") or ""), str(metadata.get("name") or ""),
             str(metadata.get("namespace") or ""))
    ] = patched  # fmt: skip
    return patched


def apply_mutating_policies(
    policies: Sequence[MutatingPolicy],
    resource: Mapping[str, Any],
    context: EvaluationContext,
    produced: Produced,
    *,
    exceptions: Sequence[Mapping[str, Any]] = (),
    targets: Sequence[Mapping[str, Any]] = (),
) -> Mapping[str, Any]:
    """Run MutatingPolicies on one resource (after validation, as the CLI does)."""
    patched, responses = mutate_with_policies(policies, resource, context, exceptions, targets)
    _record(responses, produced)
    return patched


def apply_to_json_payload(
    policies: Sequence[MutatingPolicy],
    payload: Any,
    context: EvaluationContext,
    produced: Produced,
    *,
    exceptions: Sequence[Mapping[str, Any]] = (),
) -> None:
    """The test's ``jsonPayload``: a JSON document (a Kubernetes object or any other object)
    the MutatingPolicies mutate as one create request of it (``RequestFromJSON`` in the CLI's
    policy processor); each policy's result is checked against its own output."""
    if not isinstance(payload, Mapping):
        return
    for policy in policies:
        _, responses = mutate_with_policies([policy], payload, context, exceptions)
        _record(responses, produced)


def _record(responses: Sequence[PolicyMutation], produced: Produced) -> None:
    """Results, and the resources each policy left (targets under their own names)."""
    for response in responses:
        produced.results += response.results
        for result in response.results:
            key = _key(response.policy, result.kind, result.name, result.namespace)
            produced.patched_by_policy[key] = response.resource
        for target in response.targets:
            metadata = metadata_of(target)
            key = _key(
                response.policy,
                str(target.get("kind") or ""),
                str(metadata.get("name") or ""),
                str(metadata.get("namespace") or ""),
            )
            produced.patched_by_policy[key] = target


def apply_generating_policies(
    policies: Sequence[GeneratingPolicy],
    trigger: Mapping[str, Any],
    context: EvaluationContext,
    produced: Produced,
    *,
    sources: Sequence[Mapping[str, Any]] = (),
    exceptions: Sequence[Mapping[str, Any]] = (),
) -> None:
    """Run GeneratingPolicies on one trigger resource."""
    for generation in generate_with_policies(policies, trigger, context, sources, exceptions):
        produced.results.append(generation.result)
        r = generation.result
        produced.generated[_key(f"{r.policy}/{r.rule}", r.kind, r.name, r.namespace)] = (
            generation.resources
        )


def _field(row: Mapping[str, Any], name: str) -> Any:
    lowered = name.lower()
    return next((v for k, v in row.items() if str(k).lower() == lowered), None)


def resource_check(
    produced: Produced, load: DocumentLoader
) -> Callable[[Mapping[str, Any], list[RuleResult]], str | None]:
    """The check of one row: None when its expected resources match (or it names none)."""

    def check(row: Mapping[str, Any], candidates: list[RuleResult]) -> str | None:
        patched_file = _field(row, "patchedResources") or _field(row, "patchedResource")
        generated_file = _field(row, "generatedResource")
        if not patched_file and not generated_file:
            return None
        for result in candidates:
            if patched_file:
                actual = produced.patched_by_policy.get(
                    _key(result.policy, result.kind, result.name, result.namespace)
                ) or produced.final.get(_key("", result.kind, result.name, result.namespace))
                problem = _check_one(
                    load,
                    patched_file,
                    [actual] if actual else [],
                    # CEL policy rows skip a resource the file does not describe ("not found
                    # in manifest"); classic rows compare a single document whatever its name
                    by_identity=bool(
                        _field(row, "isMutatingPolicy") or _field(row, "isMutatingAdmissionPolicy")
                    ),
                )
                if problem:
                    return (
                        "Patched resource didn't match the patched resource in the test result"
                        + problem
                    )
            if generated_file:
                made = produced.generated.get(
                    _key(
                        f"{result.policy}/{result.rule}", result.kind, result.name, result.namespace
                    )
                )
                if not made:  # nothing generated: kyverno test has no row to compare
                    continue
                # like kyverno test: each generated resource is one row, compared with its
                # own document of the file
                problem = _check_one(load, generated_file, list(made), every=True)
                if problem:
                    return (
                        "Generated resource didn't match the generated resource in the test result"
                        + problem
                    )
        return None

    return check


def _check_one(
    load: DocumentLoader,
    paths: Any,
    actual: list[Mapping[str, Any]],
    *,
    by_identity: bool = False,
    every: bool = False,
) -> str:
    """Why the expected file (or list of files) does not describe ``actual`` (one of its
    resources; ``every``: each of them), or ""."""
    try:
        documents = [
            doc
            for path in (paths if isinstance(paths, list) else [paths])
            for doc in load(str(path))
        ]
    except (OSError, ValueError, ConfigError) as exc:
        return f": failed to load resource ({exc})"
    if not actual:
        return ": no resource was produced"
    if by_identity and not any(
        identity(d) == identity(a) for d in documents if isinstance(d, Mapping) for a in actual
    ):
        return ""
    if every:
        # each generated resource the file has a document for (same apiVersion, kind,
        # namespace and name) must equal it; the others are not that file's to check
        objects = [d for d in documents if isinstance(d, Mapping)]
        described = [
            (candidate, [d for d in objects if identity(d) == identity(candidate)])
            for candidate in actual
        ]
        described = [(candidate, docs) for candidate, docs in described if docs]
        if described:
            equal = all(any(resources_equal(c, d) for d in docs) for c, docs in described)
            return "" if equal else " (resource diff)"
    for candidate in actual:
        if any(
            resources_equal(candidate, expected) for expected in pick_expected(documents, candidate)
        ):
            return ""
    return " (resource diff)"
