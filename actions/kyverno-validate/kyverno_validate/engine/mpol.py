"""``policies.kyverno.io`` MutatingPolicy (``pkg/cel/policies/mpol``), evaluated offline.

A policy applies to a resource when ``matchConstraints`` (``resourceRules`` by group, version,
resource plural and operation; ``excludeResourceRules``; ``namespaceSelector``;
``objectSelector``) and every ``matchConditions`` expression hold. ``variables`` are evaluated
in order, then each mutation in order on the object the previous one left:
``ApplyConfiguration`` merges the ``Object{…}`` the expression returns (maps merged, lists of
maps merged by their key, new items appended), ``JSONPatch`` applies the ``JSONPatch{…}``
operations. A policy that applies gives ``pass`` (changed or not); a CEL or patch error gives
``error`` (``failurePolicy: Ignore`` turns it into ``skip``); one that does not apply, nothing.
Autogen: a policy on core v1 pods also mutates the pod template of the controllers in
``spec.autogen.podControllers.controllers`` (all of them by default), run on the Pod that
template describes and written back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from relkit.errors import ConfigError

from kyverno_validate.engine.context import _subresource_of, metadata_of
from kyverno_validate.engine.jsonpatch import PatchError, apply_patch, decode_patch
from kyverno_validate.engine.match import selector_matches
from kyverno_validate.engine.model import EvaluationContext, RuleResult
from kyverno_validate.engine.mutation import PolicyMutation
from kyverno_validate.engine.outcome import Outcome
from kyverno_validate.engine.strategic import strategic_merge
from kyverno_validate.engine.values import operation_from, values_for

KIND = "MutatingPolicy"
_PLURALS = {
    "Endpoints": "endpoints",
    "Ingress": "ingresses",
    "IngressClass": "ingressclasses",
    "NetworkPolicy": "networkpolicies",
    "PodSecurityPolicy": "podsecuritypolicies",
    "StorageClass": "storageclasses",
    "PriorityClass": "priorityclasses",
    "RuntimeClass": "runtimeclasses",
}


@dataclass(frozen=True, slots=True)
class MutatingPolicy:
    name: str
    spec: Mapping[str, Any]
    source: str
    kind: str = KIND
    # a MutatingAdmissionPolicy's binding: its matchResources, and the params it selects
    match_resources: Mapping[str, Any] | None = None
    params: Any = None
    # a NamespacedMutatingPolicy: the one namespace whose resources it mutates
    namespace: str | None = None


NAMESPACED_KIND = "NamespacedMutatingPolicy"


def is_mutating_policy(document: Any) -> bool:
    return (
        isinstance(document, Mapping)
        and document.get("kind") in (KIND, NAMESPACED_KIND)
        and str(document.get("apiVersion", "")).startswith("policies.kyverno.io/")
    )


MAP_KIND = "MutatingAdmissionPolicy"
MAP_BINDING_KIND = "MutatingAdmissionPolicyBinding"


def _is_admission(document: Any, kind: str) -> bool:
    return (
        isinstance(document, Mapping)
        and document.get("kind") == kind
        and str(document.get("apiVersion", "")).startswith("admissionregistration.k8s.io/")
    )


def load_mutating_policies(
    documents: Iterable[tuple[str, Mapping[str, Any]]],
    params: Sequence[Mapping[str, Any]] = (),
) -> list[MutatingPolicy]:
    """Every MutatingPolicy, and every MutatingAdmissionPolicy once per binding (once without
    one), among the documents; a malformed one is a ConfigError. ``params``: the objects a
    binding's ``paramRef`` selects from (the test's ``paramResources``)."""
    documents = list(documents)
    bindings = [d for _, d in documents if _is_admission(d, MAP_BINDING_KIND)]
    found = []
    for source, document in documents:
        admission = _is_admission(document, MAP_KIND)
        if not is_mutating_policy(document) and not admission:
            continue
        kind = MAP_KIND if admission else str(document["kind"])
        metadata = document.get("metadata")
        spec = document.get("spec")
        if not isinstance(metadata, Mapping) or not isinstance(metadata.get("name"), str):
            raise ConfigError(f"{source}: metadata.name: a {kind} needs a name")
        if not isinstance(spec, Mapping) or not isinstance(spec.get("mutations"), list):
            raise ConfigError(f"{source}: spec.mutations: a {kind} needs a list of mutations")
        name = metadata["name"]
        if not admission:
            namespace = None
            if kind == NAMESPACED_KIND:
                namespace = str(metadata.get("namespace") or "default")
            found.append(MutatingPolicy(name, spec, source, kind, namespace=namespace))
            continue
        mine = [
            b.get("spec") or {}
            for b in bindings
            if isinstance(b.get("spec"), Mapping) and b["spec"].get("policyName") == name
        ]
        for binding in mine or [{}]:
            found.append(
                MutatingPolicy(
                    name,
                    spec,
                    source,
                    kind,
                    binding.get("matchResources"),
                    _params(spec.get("paramKind"), binding.get("paramRef"), params),
                )
            )
    return found


def _params(kind: Any, ref: Any, objects: Sequence[Mapping[str, Any]]) -> Any:
    """The param object a binding's ``paramRef`` names (by kind, name, namespace)."""
    if not isinstance(kind, Mapping) or not isinstance(ref, Mapping):
        return None
    for obj in objects:
        metadata = metadata_of(obj)
        if obj.get("kind") != kind.get("kind") or (
            kind.get("apiVersion") and obj.get("apiVersion") != kind.get("apiVersion")
        ):
            continue
        if ref.get("name") and metadata.get("name") != ref.get("name"):
            continue
        if ref.get("namespace") and (metadata.get("namespace") or "default") != ref["namespace"]:
            continue
        return obj
    return None


def plural(kind: str) -> str:
    """The resource name of a kind (``Pod`` → ``pods``, ``NetworkPolicy`` → ``networkpolicies``)."""
    if kind in _PLURALS:
        return _PLURALS[kind]
    lower = kind.lower()
    if lower.endswith("s"):
        return lower + "es"
    if lower.endswith("y") and lower[-2:-1] not in ("a", "e", "o", "u"):
        return lower[:-1] + "ies"
    return lower + "s"


def _listed(values: Any, value: str) -> bool:
    items = [str(v) for v in values or []]
    return "*" in items or value in items


def _rule_matches(rule: Mapping[str, Any], attributes: Mapping[str, str]) -> bool:
    resources = [str(r) for r in rule.get("resources") or []]
    resource = attributes["resource"]
    names = [str(n) for n in rule.get("resourceNames") or []]
    if names and attributes["name"] not in names:
        return False
    if "/" in resource:
        # a subresource (pods/binding) is listed by name, ``pods/*``, ``*/binding`` or ``*/*``
        parent, _, sub = resource.partition("/")
        listed = bool({resource, f"{parent}/*", f"*/{sub}", "*/*"} & set(resources))
    else:
        listed = "*" in resources or resource in resources or f"{resource}/*" in resources
    return (
        _listed(rule.get("apiGroups"), attributes["group"])
        and _listed(rule.get("apiVersions"), attributes["version"])
        and listed
        and _listed(rule.get("operations"), attributes["operation"])
    )


def constraints_match(
    constraints: Mapping[str, Any],
    resource: Mapping[str, Any],
    operation: str,
    namespace_labels: Mapping[str, Any] | None,
    values: Mapping[str, Any] | None = None,
) -> bool:
    """``matchConstraints`` of a CEL policy against one resource. ``values``: the test's
    values, whose ``subresources`` make an object of a subresource kind (Binding) a request
    on its parent's subresource (``pods/binding``)."""
    group, _, version = str(resource.get("apiVersion") or "").rpartition("/")
    resource_name = plural(str(resource.get("kind") or ""))
    parent = _subresource_of(group, version, str(resource.get("kind") or ""), values or {})
    if parent is not None:
        group, version, parent_kind, sub = parent
        resource_name = f"{plural(parent_kind)}/{sub}" if sub else plural(parent_kind)
    attributes = {
        "group": group,
        "version": version,
        "resource": resource_name,
        "operation": operation,
        "name": str(metadata_of(resource).get("name") or ""),
    }
    rules = [r for r in constraints.get("resourceRules") or [] if isinstance(r, Mapping)]
    if not any(_rule_matches(rule, attributes) for rule in rules):
        return False
    excluded = [r for r in constraints.get("excludeResourceRules") or [] if isinstance(r, Mapping)]
    if any(_rule_matches(rule, attributes) for rule in excluded):
        return False
    labels = metadata_of(resource).get("labels") or {}
    object_selector = constraints.get("objectSelector")
    if isinstance(object_selector, Mapping) and not selector_matches(object_selector, labels):
        return False
    namespace_selector = constraints.get("namespaceSelector")
    if (
        isinstance(namespace_selector, Mapping)
        and namespace_selector
        and metadata_of(resource).get("namespace")
    ):
        return selector_matches(namespace_selector, namespace_labels or {})
    return True


# pod controllers autogen reaches (``pkg/cel/autogen``): resource → path of the pod template
POD_TEMPLATES: dict[str, tuple[str, ...]] = {
    "daemonsets": ("spec", "template"),
    "deployments": ("spec", "template"),
    "replicasets": ("spec", "template"),
    "statefulsets": ("spec", "template"),
    "jobs": ("spec", "template"),
    "cronjobs": ("spec", "jobTemplate", "spec", "template"),
}


def _pods_only(constraints: Mapping[str, Any]) -> bool:
    """Autogen applies to a policy with exactly one resource rule on core v1 pods and no
    selector or exclusion (``CanAutoGen``)."""
    for key in ("namespaceSelector", "objectSelector"):
        selector = constraints.get(key)
        if isinstance(selector, Mapping) and (
            selector.get("matchLabels") or selector.get("matchExpressions")
        ):
            return False
    rules = constraints.get("resourceRules")
    if constraints.get("excludeResourceRules") or not isinstance(rules, list) or len(rules) != 1:
        return False
    rule = rules[0]
    return (
        isinstance(rule, Mapping)
        and not rule.get("resourceNames")
        and rule.get("apiGroups") == [""]
        and rule.get("apiVersions") == ["v1"]
        and rule.get("resources") == ["pods"]
    )


def autogen_template_path(spec: Mapping[str, Any], resource: Mapping[str, Any]) -> tuple[str, ...]:
    """Where the pod template of ``resource`` is when the policy autogens to its kind (empty:
    no autogen). Controllers are ``spec.autogen.podControllers.controllers`` (all by
    default)."""
    constraints = spec.get("matchConstraints")
    if not isinstance(constraints, Mapping) or not _pods_only(constraints):
        return ()
    resource_name = plural(str(resource.get("kind") or ""))
    autogen = spec.get("autogen")
    pod_controllers = autogen.get("podControllers") if isinstance(autogen, Mapping) else None
    controllers: Iterable[Any] = list(POD_TEMPLATES)
    if isinstance(pod_controllers, Mapping) and pod_controllers.get("controllers") is not None:
        controllers = pod_controllers.get("controllers") or []
    if resource_name not in [str(c) for c in controllers]:
        return ()
    return POD_TEMPLATES.get(resource_name, ())


def _template(resource: Mapping[str, Any], path: tuple[str, ...]) -> Mapping[str, Any] | None:
    current: Any = resource
    for key in path:
        current = current.get(key) if isinstance(current, Mapping) else None
    return current if isinstance(current, Mapping) else None


def pod_of(resource: Mapping[str, Any], path: tuple[str, ...]) -> dict[str, Any] | None:
    """The Pod a controller's template describes (in the controller's namespace)."""
    template = _template(resource, path)
    if template is None:
        return None
    metadata = dict(template.get("metadata") or {})
    namespace = metadata_of(resource).get("namespace")
    if namespace and not metadata.get("namespace"):
        metadata["namespace"] = namespace
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": template.get("spec")}


def with_pod(
    resource: Mapping[str, Any], path: tuple[str, ...], pod: Mapping[str, Any]
) -> dict[str, Any]:
    """The controller with its template replaced by the (mutated) pod."""
    template = dict(_template(resource, path) or {})
    metadata = dict(pod.get("metadata") or {})
    original = dict(template.get("metadata") or {})
    if "namespace" not in original:
        metadata.pop("namespace", None)
    if metadata or "metadata" in template:
        template["metadata"] = metadata
    template["spec"] = pod.get("spec")
    out: dict[str, Any] = dict(resource)
    current = out
    for key in path[:-1]:
        current[key] = dict(current.get(key) or {})
        current = current[key]
    current[path[-1]] = template
    return out


def cel_bindings(
    resource: Mapping[str, Any], operation: str, context: EvaluationContext
) -> dict[str, Any]:
    metadata = metadata_of(resource)
    namespace = str(metadata.get("namespace") or "")
    group, _, version = str(resource.get("apiVersion") or "").rpartition("/")
    user = dict((context.userinfo or {}).get("userInfo") or {})
    request = {
        "operation": operation,
        "name": metadata.get("name") or "",
        "namespace": namespace,
        "kind": {"group": group, "version": version, "kind": resource.get("kind")},
        "resource": {
            "group": group,
            "version": version,
            "resource": plural(str(resource.get("kind"))),
        },
        "userInfo": user,
    }
    namespace_object = None
    if namespace:
        labels = dict(context.namespace_labels.get(namespace) or {})
        namespace_object = {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {"name": namespace, "labels": labels},
        }
    return {
        "object": resource,
        "oldObject": context.old_object if operation in ("UPDATE", "DELETE") else None,
        "request": request,
        "namespaceObject": namespace_object,
    }


def evaluate_cel(expression: Any, bindings: Mapping[str, Any], context: EvaluationContext) -> Any:
    """The value, or an :class:`Outcome` error naming the failing expression."""
    from kyverno_validate.cel import CelError, evaluate_expression  # noqa: PLC0415 - lazy CEL

    value = evaluate_expression(str(expression or ""), bindings, context.now)
    if isinstance(value, CelError):
        return Outcome("error", f"failed to evaluate {str(expression).strip()!r}: {value}")
    return value


def exception_scope(
    kind: str,
    name: str,
    exceptions: Sequence[Mapping[str, Any]],
    bindings: Mapping[str, Any],
    context: EvaluationContext,
) -> Outcome | dict[str, list[str]]:
    """The ``policies.kyverno.io`` PolicyExceptions naming the policy whose ``matchConditions``
    all hold (``pkg/cel/policies/mpol/compiler/policy.go``): one without ``images`` and
    ``allowedValues`` exempts the resource (``skip``, or ``pass`` with ``reportResult:
    pass``); the others only lend their images and values to the policy's expressions as
    ``exceptions.allowedImages`` / ``exceptions.allowedValues``. A condition that fails to
    evaluate is an error, unless an exemption was already granted."""
    images: list[str] = []
    values: list[str] = []
    exempting: Mapping[str, Any] | None = None
    for exception in exceptions:
        spec = exception.get("spec") or {}
        refs = [r for r in spec.get("policyRefs") or [] if isinstance(r, Mapping)]
        if not any(r.get("name") == name and r.get("kind", kind) == kind for r in refs):
            continue
        conditions = [c for c in spec.get("matchConditions") or [] if isinstance(c, Mapping)]
        results = [evaluate_cel(c.get("expression"), bindings, context) for c in conditions]
        errors = [r for r in results if isinstance(r, Outcome)]
        if errors and exempting is None:
            return errors[0]
        if errors or not all(r is True for r in results):
            continue
        if not spec.get("images") and not spec.get("allowedValues"):
            exempting = exempting or spec
        elif exempting is None:
            images += [str(i) for i in spec.get("images") or []]
            values += [str(v) for v in spec.get("allowedValues") or []]
    if exempting is not None:
        if str(exempting.get("reportResult") or "") == "pass":
            return Outcome("pass", "rule is passed due to policy exception")
        return Outcome("skip", "rule is skipped due to policy exception")
    return {"allowedImages": images, "allowedValues": values}


def _apply(  # noqa: PLR0911 - one return per patch type and failure
    mutation: Mapping[str, Any],
    current: Mapping[str, Any],
    bindings: dict[str, Any],
    context: EvaluationContext,
) -> Mapping[str, Any] | Outcome:
    patch_type = str(mutation.get("patchType") or "")
    if patch_type == "ApplyConfiguration":
        expression = (mutation.get("applyConfiguration") or {}).get("expression")
        value = evaluate_cel(expression, bindings, context)
        if isinstance(value, Outcome):
            return value
        if not isinstance(value, Mapping):
            return Outcome("error", "applyConfiguration must evaluate to an Object")
        merged = strategic_merge(current, value, new_items_first=False)
        return merged if isinstance(merged, Mapping) else current
    if patch_type == "JSONPatch":
        expression = (mutation.get("jsonPatch") or {}).get("expression")
        value = evaluate_cel(expression, bindings, context)
        if isinstance(value, Outcome):
            return value
        try:
            patched = apply_patch(current, decode_patch(value))
        except PatchError as exc:
            return Outcome("error", f"JSON patch failed: {exc}")
        return patched if isinstance(patched, Mapping) else current
    return Outcome("error", f"unsupported patchType {patch_type!r}")


def _run_autogen(
    policy: MutatingPolicy,
    resource: Mapping[str, Any],
    context: EvaluationContext,
    exceptions: Sequence[Mapping[str, Any]],
) -> tuple[Outcome | None, Mapping[str, Any]]:
    """The policy on the Pod of a controller's template, written back into the template."""
    path = autogen_template_path(policy.spec, resource) if policy.kind != MAP_KIND else ()
    pod = pod_of(resource, path) if path else None
    if pod is None:
        return None, resource
    outcome, patched = _run(policy, pod, context, exceptions)
    return outcome, (with_pod(resource, path, patched) if patched != pod else resource)


def _prepare(
    policy: MutatingPolicy,
    resource: Mapping[str, Any],
    context: EvaluationContext,
    exceptions: Sequence[Mapping[str, Any]],
) -> dict[str, Any] | Outcome | None:
    """The CEL bindings when the policy applies to the resource (constraints, variables,
    conditions, exceptions); None when it does not match, an Outcome when it stops."""
    name = str(metadata_of(resource).get("name") or "")
    operation = context.operation
    if context.values:
        operation = operation_from(values_for(context.values, policy.name, None, name), operation)
    namespace = str(metadata_of(resource).get("namespace") or "")
    constraints = policy.spec.get("matchConstraints") or {}
    labels = context.namespace_labels.get(namespace)
    if (policy.namespace is not None and namespace != policy.namespace) or not constraints_match(
        constraints, resource, operation, labels, context.values
    ):
        return None
    if policy.match_resources and not constraints_match(
        {
            "resourceRules": [
                {"apiGroups": ["*"], "apiVersions": ["*"], "resources": ["*"], "operations": ["*"]}
            ]
        }
        | dict(policy.match_resources),
        resource,
        operation,
        labels,
    ):
        return None
    bindings = cel_bindings(resource, operation, context)
    bindings["params"] = policy.params
    # exceptions come first, before variables and conditions, as in Kyverno's evaluation
    scope = exception_scope(policy.kind, policy.name, exceptions, bindings, context)
    if isinstance(scope, Outcome):
        return scope
    bindings["exceptions"] = scope
    bindings["variables"] = {}
    for variable in policy.spec.get("variables") or []:
        # variables are lazy in Kubernetes: one that fails is an error only where it is used
        # (here: an unknown key of ``variables``)
        value = evaluate_cel(variable.get("expression"), bindings, context)
        if not isinstance(value, Outcome):
            bindings["variables"] = {**bindings["variables"], str(variable.get("name")): value}
    for condition in policy.spec.get("matchConditions") or []:
        value = evaluate_cel(condition.get("expression"), bindings, context)
        if isinstance(value, Outcome):
            return value
        if value is not True:
            return None
    return bindings


def _mutate(
    policy: MutatingPolicy,
    resource: Mapping[str, Any],
    bindings: dict[str, Any],
    context: EvaluationContext,
) -> Mapping[str, Any] | Outcome:
    current = resource
    for mutation in policy.spec.get("mutations") or []:
        if not isinstance(mutation, Mapping):
            continue
        result = _apply(mutation, current, {**bindings, "object": current}, context)
        if isinstance(result, Outcome):
            return result
        current = result
    return current


def _run(
    policy: MutatingPolicy,
    resource: Mapping[str, Any],
    context: EvaluationContext,
    exceptions: Sequence[Mapping[str, Any]] = (),
) -> tuple[Outcome | None, Mapping[str, Any]]:
    prepared = _prepare(policy, resource, context, exceptions)
    if prepared is None:
        return _run_autogen(policy, resource, context, exceptions)
    if isinstance(prepared, Outcome):
        return prepared, resource
    patched = _mutate(policy, resource, prepared, context)
    if isinstance(patched, Outcome):
        return patched, resource
    # a policy that applies passes, whether or not its mutations changed the object
    return Outcome("pass", "resource patched"), patched


def mutates_existing(policy: MutatingPolicy) -> bool:
    evaluation = policy.spec.get("evaluation")
    existing = evaluation.get("mutateExisting") if isinstance(evaluation, Mapping) else None
    return isinstance(existing, Mapping) and existing.get("enabled") is True


def _expression_targets(
    expression: Any,
    prepared: Mapping[str, Any],
    targets: Sequence[Mapping[str, Any]],
    context: EvaluationContext,
) -> set[tuple[str, str]] | Outcome:
    """``targetMatchConstraints.expression``: the (namespace, name) of the object, or of the
    ``items`` of the list, it returns; ``resource.Get/List`` read the test's targets and
    cluster resources (``discoverCELTargets`` in the CLI's policy processor)."""
    from kyverno_validate.cel import library_bindings  # noqa: PLC0415 - lazy CEL

    objects = [*targets, *context.cluster_resources]
    value = evaluate_cel(expression, {**prepared, **library_bindings(objects)}, context)
    if isinstance(value, Outcome):
        return value
    found = value.get("items") if isinstance(value, Mapping) else None
    items = found if isinstance(found, list) else [value]
    return {
        (str(metadata_of(o).get("namespace") or ""), str(metadata_of(o).get("name") or ""))
        for o in items
        if isinstance(o, Mapping)
    }


def _target_matches(constraints: Mapping[str, Any], target: Mapping[str, Any]) -> bool:
    """``targetMatchConstraints``: resource rules (any operation) and selectors."""
    rules = [
        {**rule, "operations": ["*"]}
        for rule in constraints.get("resourceRules") or []
        if isinstance(rule, Mapping)
    ]
    return constraints_match({**constraints, "resourceRules": rules}, target, "CREATE", None)


def _run_existing(
    policy: MutatingPolicy,
    trigger: Mapping[str, Any],
    targets: Sequence[Mapping[str, Any]],
    context: EvaluationContext,
    exceptions: Sequence[Mapping[str, Any]],
) -> list[tuple[Outcome, Mapping[str, Any]]]:
    """Mutate existing: the trigger matched, each target of ``targetMatchConstraints`` is
    mutated (``object`` is the target)."""
    prepared = _prepare(policy, trigger, context, exceptions)
    if not isinstance(prepared, dict):
        return [(prepared, trigger)] if isinstance(prepared, Outcome) else []
    constraints = policy.spec.get("targetMatchConstraints")
    constraints = constraints if isinstance(constraints, Mapping) else {}
    selected: set[tuple[str, str]] | None = None
    if constraints.get("expression"):
        expressed = _expression_targets(constraints["expression"], prepared, targets, context)
        if isinstance(expressed, Outcome):
            return [(expressed, trigger)]
        selected = expressed
    found: list[tuple[Outcome, Mapping[str, Any]]] = []
    for target in targets:
        metadata = metadata_of(target)
        key = (str(metadata.get("namespace") or ""), str(metadata.get("name") or ""))
        if (selected is None and not _target_matches(constraints, target)) or (
            selected is not None and key not in selected
        ):
            continue
        bindings = {**prepared, **cel_bindings(target, "UPDATE", context)}
        bindings["variables"] = prepared["variables"]
        patched = _mutate(policy, target, bindings, context)
        if isinstance(patched, Outcome):
            found.append((patched, target))
        else:
            found.append((Outcome("pass", "resource patched"), patched))
    return found


def mutate_with_policies(
    policies: Sequence[MutatingPolicy],
    resource: Mapping[str, Any],
    context: EvaluationContext | None = None,
    exceptions: Sequence[Mapping[str, Any]] = (),
    targets: Sequence[Mapping[str, Any]] = (),
) -> tuple[Mapping[str, Any], list[PolicyMutation]]:
    """Apply every MutatingPolicy in order; the final resource and one response per policy
    that applied. ``exceptions``: ``policies.kyverno.io`` PolicyExceptions; ``targets``: the
    test's target resources, for policies that mutate existing resources."""
    context = context or EvaluationContext()
    current = resource
    responses: list[PolicyMutation] = []
    for policy in policies:
        if mutates_existing(policy) and policy.spec.get("targetMatchConstraints"):
            existing = _run_existing(policy, current, targets, context, exceptions)
            if existing:
                results = tuple(_policy_result(policy, o, t) for o, t in existing)
                patched_targets = tuple(t for o, t in existing if o.result == "pass")
                responses.append(PolicyMutation(policy.name, current, results, patched_targets))
            continue
        outcome, patched = _run(policy, current, context, exceptions)
        if outcome is None:
            continue
        current = patched
        responses.append(
            PolicyMutation(policy.name, current, (_policy_result(policy, outcome, current),))
        )
    return current, responses


def _policy_result(
    policy: MutatingPolicy, outcome: Outcome, resource: Mapping[str, Any]
) -> RuleResult:
    if outcome.result == "error" and str(policy.spec.get("failurePolicy")) == "Ignore":
        outcome = Outcome("skip", outcome.message)
    metadata = metadata_of(resource)
    return RuleResult(
        policy=policy.name,
        rule="",
        kind=str(resource.get("kind") or ""),
        name=str(metadata.get("name") or ""),
        namespace=str(metadata.get("namespace") or ""),
        result=outcome.result,
        message=outcome.message,
        action="Audit",
    )
