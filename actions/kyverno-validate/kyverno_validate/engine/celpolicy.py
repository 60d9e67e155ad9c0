"""CEL policies: ``policies.kyverno.io`` ValidatingPolicy (v1alpha1, v1beta1, v1), its
Namespaced form, Kubernetes ValidatingAdmissionPolicy + bindings (params), and the kinds that
admission does not evaluate here (ImageValidatingPolicy, DeletingPolicy: an ``unsupported:
<why>`` error result, never a crash; ``kyverno test`` clears the mark and evaluates them, see
``dpol.py`` and ``ivpol.py``).

``load_cel_policies`` reads the documents; ``evaluate_cel_policies`` gives one
:class:`RuleResult` per policy (per autogen variant, per binding) that applies to a resource.
A ValidatingPolicy result has an empty rule name, its pod-controller variants are named
``autogen-defaults-<policy>`` / ``autogen-cronjobs-<policy>`` (``pkg/cel/autogen/vpol.go``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kyverno_validate.cel import library_bindings
from kyverno_validate.engine.celeval import (
    CRONJOB_REPLACEMENTS,
    TEMPLATE_REPLACEMENTS,
    CelUnit,
    conditions_hold,
    run_unit,
    shift,
    unit_from,
)
from kyverno_validate.engine.celmatch import (
    Admission,
    admission_for,
    constraints_match,
    is_cluster_scoped,
    namespace_variable,
    request_variable,
)
from kyverno_validate.engine.dpol import (
    DELETING_KINDS,
    any_operation,
    deleting_outcome,
    deleting_unit,
)
from kyverno_validate.engine.ivpol import IMAGE_KINDS, image_bindings
from kyverno_validate.engine.match import selector_matches
from kyverno_validate.engine.model import (
    Action,
    EvaluationContext,
    Policy,
    RuleResult,
    load_policies,
)
from kyverno_validate.engine.outcome import Outcome
from kyverno_validate.engine.values import operation_from, values_for

KYVERNO_GROUP = "policies.kyverno.io/"
VALIDATING_KINDS = frozenset({"ValidatingPolicy", "NamespacedValidatingPolicy"})
UNSUPPORTED_KINDS = {
    "ImageValidatingPolicy": "ImageValidatingPolicy verifies image signatures and attestations "
    "in registries, which an offline run cannot reach",
    "NamespacedImageValidatingPolicy": "NamespacedImageValidatingPolicy verifies image "
    "signatures and attestations in registries, which an offline run cannot reach",
    # kyverno test evaluates the image policies as far as no registry is needed (ivpol.py)
    # admission does not run these; kyverno test does (testrunner.py clears the mark)
    "DeletingPolicy": "DeletingPolicy runs on a schedule in the cleanup controller, not on "
    "admission",
    "NamespacedDeletingPolicy": "NamespacedDeletingPolicy runs on a schedule in the cleanup "
    "controller, not on admission",
}
VAP_GROUP = "admissionregistration.k8s.io/"
AUTOGEN_TARGETS = {
    # controller → (replacement set, group, version, resource)
    "daemonsets": ("defaults", "apps", "v1"),
    "deployments": ("defaults", "apps", "v1"),
    "replicasets": ("defaults", "apps", "v1"),
    "statefulsets": ("defaults", "apps", "v1"),
    "jobs": ("defaults", "batch", "v1"),
    "cronjobs": ("cronjobs", "batch", "v1"),
}


@dataclass(frozen=True, slots=True)
class CelVariant:
    rule: str
    constraints: Mapping[str, Any]
    unit: CelUnit


@dataclass(frozen=True, slots=True)
class CelPolicy:
    name: str
    kind: str
    namespace: str | None
    variants: tuple[CelVariant, ...]
    action: Action
    source: str
    raw: Mapping[str, Any]
    unsupported: str = ""
    param_kind: Mapping[str, Any] | None = None
    bindings: tuple[Mapping[str, Any], ...] = ()


def is_cel_policy(document: Any) -> bool:
    if not isinstance(document, Mapping):
        return False
    api_version = str(document.get("apiVersion", ""))
    kind = document.get("kind")
    if api_version.startswith(KYVERNO_GROUP):
        return kind in VALIDATING_KINDS or kind in UNSUPPORTED_KINDS
    return api_version.startswith(VAP_GROUP) and kind == "ValidatingAdmissionPolicy"


def is_vap_binding(document: Any) -> bool:
    return (
        isinstance(document, Mapping)
        and str(document.get("apiVersion", "")).startswith(VAP_GROUP)
        and document.get("kind") == "ValidatingAdmissionPolicyBinding"
    )


def is_cel_exception(document: Any) -> bool:
    return (
        isinstance(document, Mapping)
        and str(document.get("apiVersion", "")).startswith(KYVERNO_GROUP)
        and document.get("kind") == "PolicyException"
    )


def _action(actions: Any) -> Action:
    return "Enforce" if isinstance(actions, list) and "Deny" in actions else "Audit"


def _can_autogen(constraints: Mapping[str, Any]) -> bool:
    """``CanAutoGen`` (``pkg/cel/autogen/support.go``): exactly one rule on core v1 pods."""
    for key in ("namespaceSelector", "objectSelector"):
        selector = constraints.get(key)
        if isinstance(selector, Mapping) and (
            selector.get("matchLabels") or selector.get("matchExpressions")
        ):
            return False
    if constraints.get("excludeResourceRules"):
        return False
    rules = constraints.get("resourceRules")
    if not isinstance(rules, list) or len(rules) != 1 or not isinstance(rules[0], Mapping):
        return False
    rule = rules[0]
    return (
        not rule.get("resourceNames")
        and rule.get("apiGroups") == [""]
        and rule.get("apiVersions") == ["v1"]
        and rule.get("resources") == ["pods"]
    )


def _controllers(spec: Mapping[str, Any]) -> list[str]:
    autogen = spec.get("autogen")
    pod_controllers = autogen.get("podControllers") if isinstance(autogen, Mapping) else None
    if isinstance(pod_controllers, Mapping) and pod_controllers.get("controllers") is not None:
        return [str(c) for c in pod_controllers.get("controllers") or []]
    return list(AUTOGEN_TARGETS)


def _autogen_variants(name: str, spec: Mapping[str, Any]) -> list[CelVariant]:
    constraints = spec.get("matchConstraints")
    if not isinstance(constraints, Mapping) or not _can_autogen(constraints):
        return []
    operations = constraints["resourceRules"][0].get("operations")
    groups: dict[str, dict[tuple[str, str], list[str]]] = {}
    for controller in _controllers(spec):
        target = AUTOGEN_TARGETS.get(controller)
        if target is None:
            continue
        replacements, group, version = target
        groups.setdefault(replacements, {}).setdefault((group, version), []).append(controller)
    variants = []
    for replacements in sorted(groups):
        rules = [
            {
                "apiGroups": [group],
                "apiVersions": [version],
                "resources": sorted(resources),
                "operations": operations,
            }
            for (group, version), resources in sorted(groups[replacements].items())
        ]
        shifted = shift(
            {k: spec.get(k) for k in ("matchConditions", "variables", "validations")},
            TEMPLATE_REPLACEMENTS if replacements == "defaults" else CRONJOB_REPLACEMENTS,
        )
        variants.append(
            CelVariant(
                f"autogen-{replacements}-{name}",
                {"resourceRules": rules},
                unit_from({**spec, **shifted}),
            )
        )
    return variants


def parse_cel_policy(source: str, document: Mapping[str, Any]) -> CelPolicy:
    """A CEL policy from its document; a malformed one still loads (and errors per resource)."""
    kind = str(document.get("kind"))
    metadata = document.get("metadata") if isinstance(document.get("metadata"), Mapping) else {}
    assert isinstance(metadata, Mapping)  # noqa: S101 - narrowed above
    spec = document.get("spec") if isinstance(document.get("spec"), Mapping) else {}
    assert isinstance(spec, Mapping)  # noqa: S101 - narrowed above
    name = str(metadata.get("name") or "")
    namespace = None
    if kind.startswith("Namespaced"):
        namespace = str(metadata.get("namespace") or "default")
    constraints = spec.get("matchConstraints")
    constraints = constraints if isinstance(constraints, Mapping) else {}
    variants = [CelVariant("", constraints, unit_from(spec))]
    if kind in DELETING_KINDS:
        variants = [CelVariant("", any_operation(constraints), deleting_unit(spec))]
    if kind in VALIDATING_KINDS:
        variants += _autogen_variants(name, spec)
    evaluation = spec.get("evaluation")
    mode = evaluation.get("mode") if isinstance(evaluation, Mapping) else None
    if mode not in (None, "Kubernetes"):
        variants = []  # Envoy / HTTP / JSON policies judge other payloads, not resources
    param_kind = spec.get("paramKind") if isinstance(spec.get("paramKind"), Mapping) else None
    return CelPolicy(
        name=name,
        kind=kind,
        namespace=namespace,
        variants=tuple(variants),
        action=_action(spec.get("validationActions")),
        source=source,
        raw=document,
        unsupported=UNSUPPORTED_KINDS.get(kind, ""),
        param_kind=param_kind,
    )


def load_cel_policies(documents: Iterable[tuple[str, Any]]) -> list[CelPolicy]:
    """Every CEL policy among the documents, VAPs with their bindings attached."""
    documents = list(documents)
    bindings = [doc for _, doc in documents if is_vap_binding(doc)]
    policies = []
    for source, document in documents:
        if not is_cel_policy(document):
            continue
        policy = parse_cel_policy(source, document)
        if policy.kind == "ValidatingAdmissionPolicy":
            mine = tuple(
                b for b in bindings if (b.get("spec") or {}).get("policyName") == policy.name
            )
            actions = [
                a for b in mine for a in (b.get("spec") or {}).get("validationActions") or []
            ]
            policy = CelPolicy(
                **{
                    **{f: getattr(policy, f) for f in CelPolicy.__dataclass_fields__},
                    "bindings": mine,
                    "action": _action(actions),
                }
            )
        policies.append(policy)
    return policies


def load_all_policies(documents: Iterable[tuple[str, Any]]) -> list[Policy | CelPolicy]:
    """Classic ClusterPolicy/Policy documents, then the CEL policies."""
    documents = list(documents)
    return [*load_policies(documents), *load_cel_policies(documents)]


@dataclass(frozen=True, slots=True)
class _Request:
    admission: Admission
    bindings: dict[str, Any]
    name: str
    namespace: str
    kind: str


def _bindings(
    resource: Mapping[str, Any],
    admission: Admission,
    context: EvaluationContext,
    objects: Sequence[Mapping[str, Any]],
    images: Mapping[str, Any],
) -> dict[str, Any]:
    operation = admission.operation
    new: Mapping[str, Any] | None = None if operation == "DELETE" else resource
    old = context.old_object
    if old is None and operation in ("UPDATE", "DELETE"):
        old = resource
    values = context.values or {}
    return {
        "object": new,
        "oldObject": old,
        "request": request_variable(admission, new, old, context.userinfo),
        "namespaceObject": namespace_variable(
            admission, [*_namespaces(values), *context.cluster_resources]
        ),
        **library_bindings(
            cluster_objects=objects,
            images=images,
            http_responses=_mapping(values.get("http")),
            global_context=_mapping(values.get("globalContext")),
        ),
    }


def _namespaces(values: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Namespace objects of the values file (``namespaces:``), with their annotations."""
    found = values.get("namespaces")
    return (
        [{"kind": "Namespace", **n} for n in found or [] if isinstance(n, Mapping)]
        if isinstance(found, list)
        else []
    )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _exempt(
    policy: CelPolicy,
    exceptions: Sequence[Mapping[str, Any]],
    bindings: dict[str, Any],
    context: EvaluationContext,
) -> bool:
    for exception in exceptions:
        spec = exception.get("spec") or {}
        refs = spec.get("policyRefs") or []
        if not any(
            isinstance(r, Mapping)
            and r.get("name") == policy.name
            and r.get("kind", policy.kind) == policy.kind
            for r in refs
        ):
            continue
        held = conditions_hold(unit_from(spec), dict(bindings), context.now)
        if held is True:
            return True
    return False


exempt_by = _exempt  # the CEL PolicyException check, for the JSON-mode evaluator


def _params(
    policy: CelPolicy,
    binding: Mapping[str, Any],
    namespace: str,
    objects: Sequence[Mapping[str, Any]],
) -> list[Any] | None:
    """The params objects a binding selects (None: the binding's params are missing)."""
    ref = (binding.get("spec") or {}).get("paramRef")
    if not isinstance(ref, Mapping) or policy.param_kind is None:
        return [None]
    api_version = str(policy.param_kind.get("apiVersion") or "")
    kind = str(policy.param_kind.get("kind") or "")
    wanted_namespace = ref.get("namespace")
    found = []
    for obj in objects:
        metadata = obj.get("metadata") or {}
        if obj.get("kind") != kind or (api_version and obj.get("apiVersion") != api_version):
            continue
        if ref.get("name") and metadata.get("name") != ref.get("name"):
            continue
        ns = metadata.get("namespace") or ""
        if wanted_namespace and ns != wanted_namespace:
            continue
        selector = ref.get("selector")
        if isinstance(selector, Mapping) and not selector_matches(
            selector, metadata.get("labels") or {}
        ):
            continue
        if not wanted_namespace and ns and namespace and ns != namespace:
            continue
        found.append(obj)
    return found or None


_SKIPPED = Outcome("skip", "match conditions aren't met")
_ANY = {"resourceRules": [{"apiGroups": ["*"], "apiVersions": ["*"], "resources": ["*"]}]}


def _vap_outcome(
    policy: CelPolicy, params: Sequence[Any], request: _Request, context: EvaluationContext
) -> Outcome:
    """One result for the policy (``pkg/admissionpolicy/validate.go``): the first error or
    denial over the params, a skip when the match conditions are not met."""
    outcomes = [
        run_unit(policy.variants[0].unit, {**request.bindings, "params": p}, context.now)
        for p in params
    ]
    for wanted in ("error", "fail"):
        found = next((o for o in outcomes if o is not None and o.result == wanted), None)
        if found is not None:
            return found
    passed = next((o for o in outcomes if o is not None), None)
    return passed if passed is not None else _SKIPPED


def _run_vap(
    policy: CelPolicy,
    request: _Request,
    objects: Sequence[Mapping[str, Any]],
    context: EvaluationContext,
) -> list[tuple[str, Outcome]]:
    """Like the Kyverno CLI: without bindings the policy runs with ``params`` null, else the
    first binding whose ``matchResources`` select the request decides, with its params."""
    if not policy.bindings:
        return [(policy.name, _vap_outcome(policy, [None], request, context))]
    for binding in policy.bindings:
        spec = binding.get("spec") or {}
        match = spec.get("matchResources")
        if isinstance(match, Mapping) and not constraints_match(
            {**_ANY, **match}, request.admission
        ):
            continue
        name = str((binding.get("metadata") or {}).get("name") or "")
        params = _params(policy, binding, request.namespace, objects)
        if params is None:
            ref = spec.get("paramRef") or {}
            if ref.get("parameterNotFoundAction") == "Allow":
                return [(policy.name, Outcome("pass", f"no params for binding {name!r}: allowed"))]
            return [(policy.name, Outcome("error", f"no params found for binding {name!r}"))]
        return [(policy.name, _vap_outcome(policy, params, request, context))]
    return []


def evaluate_cel_policies(
    policies: Sequence[CelPolicy],
    resource: Mapping[str, Any],
    context: EvaluationContext,
    *,
    objects: Sequence[Mapping[str, Any]] = (),
    exceptions: Sequence[Mapping[str, Any]] = (),
    images: Mapping[str, Any] | None = None,
) -> list[RuleResult]:
    """The results of the CEL policies that apply to ``resource``. ``objects`` answer
    ``resource.Get/List`` and VAP params (besides the context's cluster resources and
    objects); ``exceptions`` are ``policies.kyverno.io`` PolicyExceptions (besides the
    context's); ``images`` (reference → metadata) answer ``image.GetMetadata`` (besides the
    context's)."""
    objects = [*context.objects, *objects]
    exceptions = [*context.cel_exceptions, *exceptions]
    images = {**context.images, **(images or {})}
    metadata = resource.get("metadata") if isinstance(resource.get("metadata"), Mapping) else {}
    assert isinstance(metadata, Mapping)  # noqa: S101 - narrowed above
    name = str(metadata.get("name") or "")
    kind = str(resource.get("kind") or "")
    cluster_scoped = is_cluster_scoped(kind)
    namespace = str(metadata.get("namespace") or ("" if cluster_scoped else "default"))
    everything = [*context.cluster_resources, *objects]
    results: list[RuleResult] = []
    requests: dict[str, _Request] = {}
    for policy in policies:
        if policy.namespace is not None and namespace != policy.namespace:
            continue
        operation = context.operation
        if context.values:
            operation = operation_from(
                values_for(context.values, policy.name, None, name), context.operation
            )
        request = requests.get(operation)
        if request is None:  # built once per operation the values ask for
            admission = admission_for(
                resource,
                operation,
                context.namespace_labels.get(namespace),
                cluster_scoped=cluster_scoped,
            )
            if namespace != admission.namespace:
                admission = Admission(**{**_fields(admission), "namespace": namespace})
            bindings = _bindings(resource, admission, context, everything, images or {})
            request = requests[operation] = _Request(admission, bindings, name, namespace, kind)
        for rule, outcome in _outcomes(policy, request, everything, context, exceptions):
            results.append(
                RuleResult(
                    policy=policy.name,
                    rule=rule,
                    kind=kind,
                    name=name,
                    namespace=str(metadata.get("namespace") or ""),
                    result=outcome.result,
                    message=outcome.message,
                    action=policy.action,
                )
            )
    return results


def _fields(admission: Admission) -> dict[str, Any]:
    return {f: getattr(admission, f) for f in Admission.__dataclass_fields__}


def _outcomes(
    policy: CelPolicy,
    request: _Request,
    objects: Sequence[Mapping[str, Any]],
    context: EvaluationContext,
    exceptions: Sequence[Mapping[str, Any]],
) -> list[tuple[str, Outcome]]:
    found: list[tuple[str, Outcome]] = []
    for variant in policy.variants:
        if not constraints_match(variant.constraints, request.admission):
            continue
        if policy.unsupported:
            return [(variant.rule, Outcome("error", f"unsupported: {policy.unsupported}"))]
        if exceptions and _exempt(policy, exceptions, request.bindings, context):
            return [(variant.rule, Outcome("skip", "rule is skipped due to policy exception"))]
        if policy.kind == "ValidatingAdmissionPolicy":
            return _run_vap(policy, request, objects, context)
        if policy.kind in DELETING_KINDS:
            return [(variant.rule, deleting_outcome(variant.unit, request.bindings, context.now))]
        bindings = request.bindings
        if policy.kind in IMAGE_KINDS:
            with_images = image_bindings(_mapping(policy.raw.get("spec")), request.bindings)
            if with_images is None:
                continue  # none of the resource's images is one the policy verifies
            bindings = with_images
        outcome = run_unit(variant.unit, bindings, context.now)
        if outcome is not None:
            found.append((variant.rule, outcome))
    return found
