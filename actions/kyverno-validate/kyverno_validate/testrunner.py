"""``kyverno test`` semantics, pure: read a Test document, run the engine, compare results.

The CLI (:mod:`kyverno_validate.kyverno_cli`) finds and loads the files; this module gets the
parsed documents and returns rows and every computed rule outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from relkit.errors import ConfigError

from kyverno_validate.engine import EvaluationContext, RuleResult, load_policies
from kyverno_validate.engine.celpolicy import is_cel_exception
from kyverno_validate.engine.exceptions import is_exception
from kyverno_validate.engine.gpol import GeneratingPolicy, load_generating_policies
from kyverno_validate.engine.mpol import MutatingPolicy, load_mutating_policies
from kyverno_validate.engine.schema import PolicyShapeError, check_userinfo, check_values
from kyverno_validate.engine.unsupported import unsupported_reason
from kyverno_validate.testchecks import CheckError, run_checks
from kyverno_validate.testinputs import (
    OPERATIONS,
    api_call_values,
    evaluate_operations,
    evaluated_by_test,
    old_object,
    other_operations,
    payload_results,
    payloads,
    policy_operations,
    row_operation,
)
from kyverno_validate.testmutations import (
    Produced,
    apply_generating_policies,
    apply_mutating_policies,
    apply_mutations,
    apply_to_json_payload,
    resource_check,
)

# loader(path relative to the test file) -> list of (source label, document)
Loader = Callable[[str], list[tuple[str, Any]]]


@dataclass(frozen=True, slots=True)
class Row:
    policy: str
    rule: str
    resource: str
    kind: str
    expected: str
    actual: str
    ok: bool
    reason: str
    message: str = ""


@dataclass(frozen=True, slots=True)
class TestReport:
    name: str
    rows: tuple[Row, ...]
    results: tuple[RuleResult, ...]
    errors: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.errors and all(row.ok for row in self.rows)


def _ci_get(mapping: Mapping[str, Any], key: str) -> Any:
    """Go's JSON decoding matches field names case-insensitively."""
    if key in mapping:
        return mapping[key]
    lowered = key.lower()
    return next((v for k, v in mapping.items() if str(k).lower() == lowered), None)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


CLUSTER_SCOPED = frozenset(
    {
        "APIService", "CertificateSigningRequest", "ClusterIssuer", "ClusterPolicy",
        "ClusterPolicyReport", "ClusterRole", "ClusterRoleBinding", "ComponentStatus",
        "CSIDriver", "CSINode", "CustomResourceDefinition", "FlowSchema", "IngressClass",
        "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding",
        "MutatingWebhookConfiguration", "Namespace", "Node", "PersistentVolume",
        "PodSecurityPolicy", "PriorityClass", "PriorityLevelConfiguration", "RuntimeClass",
        "SecurityContextConstraints", "StorageClass", "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding", "ValidatingWebhookConfiguration",
        "VolumeAttachment", "ClusterImagePolicy", "ClusterCleanupPolicy",
    }
)  # fmt: skip


def report_namespace(result: RuleResult) -> str:
    """The namespace ``kyverno test`` reports: namespaced objects without one are in default."""
    if result.namespace or result.kind in CLUSTER_SCOPED:
        return result.namespace
    return "default"


def rule_names_match(expected: str, actual: str) -> bool:
    if not expected:
        return True
    return actual in (expected, f"autogen-{expected}", f"autogen-cronjob-{expected}") or (
        expected.startswith("autogen-") and actual == expected
    )


def _expand_lists(documents: list[Any]) -> list[Mapping[str, Any]]:
    """Objects of the documents, with ``kind: List`` items spread out."""
    objects: list[Mapping[str, Any]] = []
    for doc in documents:
        if not isinstance(doc, Mapping):
            continue
        if str(doc.get("kind", "")).endswith("List") and isinstance(doc.get("items"), list):
            objects += [item for item in doc["items"] if isinstance(item, Mapping)]
        else:
            objects.append(doc)
    return objects


def in_default_namespace(resource: Mapping[str, Any]) -> Mapping[str, Any]:
    """``kyverno test`` loads a resource without a namespace into ``default``, whatever its
    kind (``YamlToUnstructured`` in the CLI's resource loader)."""
    metadata = resource.get("metadata")
    if not isinstance(metadata, Mapping) or metadata.get("namespace"):
        return resource
    return {**resource, "metadata": {**metadata, "namespace": "default"}}


def _cluster_objects(documents: list[Any]) -> list[Mapping[str, Any]]:
    """Objects of ``context`` (kind Context) and ``clusterResources`` files."""
    objects: list[Mapping[str, Any]] = []
    for doc in _expand_lists(documents):
        spec = doc.get("spec")
        if doc.get("kind") in ("Context", "ClusterResource") and isinstance(spec, Mapping):
            objects += _expand_lists(list(spec.get("resources") or []))
        elif doc.get("apiVersion") and doc.get("kind"):
            objects.append(doc)
    return objects


def _context_from(
    values: Mapping[str, Any],
    userinfo: Mapping[str, Any] | None,
    cluster: list[Mapping[str, Any]],
    exceptions: list[Mapping[str, Any]],
) -> EvaluationContext:
    namespace_labels: dict[str, Mapping[str, str]] = {}
    for namespace in values.get("namespaces") or []:
        metadata = namespace.get("metadata") or {}
        if metadata.get("name"):
            namespace_labels[metadata["name"]] = metadata.get("labels") or {}
    for entry in values.get("namespaceSelector") or []:
        if entry.get("name"):
            namespace_labels[entry["name"]] = entry.get("labels") or {}
    for obj in cluster:
        metadata = obj.get("metadata") or {}
        if obj.get("kind") == "Namespace" and metadata.get("name"):
            namespace_labels.setdefault(metadata["name"], metadata.get("labels") or {})
    return EvaluationContext(
        userinfo=userinfo,
        namespace_labels=namespace_labels,
        values=values,
        cluster_resources=tuple(cluster),
        exceptions=tuple(exceptions),
    )


# a result row for one of these policy kinds matches its policy's results whatever its rule
POLICY_KIND_FLAGS = (
    "isValidatingAdmissionPolicy", "isValidatingPolicy", "isImageValidatingPolicy",
    "isMutatingAdmissionPolicy", "isDeletingPolicy", "isGeneratingPolicy", "isMutatingPolicy",
)  # fmt: skip


def _rule_absent(policy_docs: Sequence[Any], policy: str, rule: str) -> bool:
    """The row names a rule its policy does not have (any rule of a rule-less CEL policy)."""
    if not rule:
        return False
    for doc in policy_docs:
        metadata = doc.get("metadata") if isinstance(doc, Mapping) else None
        if not isinstance(metadata, Mapping) or metadata.get("name") != policy:
            continue
        spec = doc.get("spec")
        rules = spec.get("rules") if isinstance(spec, Mapping) else None
        names = {str(r.get("name")) for r in _as_list(rules) if isinstance(r, Mapping)}
        bare = rule.removeprefix("autogen-cronjob-").removeprefix("autogen-")
        return rule not in names and bare not in names
    return False


# (expected row, the results it matched) -> why the expected resource differs, or None
ResourceCheck = Callable[[Mapping[str, Any], list[RuleResult]], str | None]


def _compare(
    expected_row: Mapping[str, Any],
    results: Sequence[RuleResult],
    policy_docs: Sequence[Any] = (),
    check: ResourceCheck | None = None,
    failed: dict[int, RuleResult] | None = None,
    *,
    every_answer: bool = False,
) -> list[Row]:
    policy = str(_ci_get(expected_row, "policy") or "").split("/")[-1]
    rule = str(_ci_get(expected_row, "rule") or "")
    if any(_ci_get(expected_row, flag) for flag in POLICY_KIND_FLAGS):
        rule = ""  # the CEL policy kinds have no rules: kyverno test ignores the rule name
    kind = str(_ci_get(expected_row, "kind") or "")
    expected = str(_ci_get(expected_row, "result") or _ci_get(expected_row, "status") or "")
    expected = expected.lower()
    resources = [str(r) for r in _as_list(_ci_get(expected_row, "resources"))]
    resources += [str(r) for r in _as_list(_ci_get(expected_row, "resource"))]
    compares = any(
        _ci_get(expected_row, key)
        for key in ("patchedResources", "patchedResource", "generatedResource")
    )
    if not resources and (compares or every_answer):
        # no resources named: kyverno test checks every resource the rule answered for (here
        # only for rows that compare a patched or generated resource)
        answered = (
            r.name for r in results if r.policy == policy and rule_names_match(rule, r.rule)
        )
        resources = list(dict.fromkeys(answered))
    rows = []
    for resource in resources:
        # the deprecated `namespace` of a row is ignored, like kyverno test's
        # lookupEngineResponses: only an `ns/name` resource checks the namespace
        namespace, _, name = resource.rpartition("/")
        namespace = namespace.split("/")[-1] if namespace else ""
        candidates = [
            r
            for r in results
            if r.policy == policy
            and rule_names_match(rule, r.rule)
            and r.name == name
            and (not namespace or report_namespace(r) == namespace)
        ]
        same_kind = [r for r in candidates if r.kind == kind]
        if same_kind:
            candidates = same_kind
        actual_set = {r.result for r in candidates}
        if not candidates:
            # like kyverno test: the policy answered for the resource, but not with this rule
            # (a rule name the policy does not have): the row is "Excluded", which passes
            ok = expected == "skip" or (
                _rule_absent(policy_docs, policy, rule)
                and any(
                    r.policy == policy and r.name == name and r.kind == kind
                    and (not namespace or report_namespace(r) == namespace)
                    for r in results
                )
            )  # fmt: skip
            actual, reason = ("skip", "Excluded") if ok else ("", "Not found")
            if not ok:
                reason = unsupported_reason(policy_docs, policy, rule) or reason
        else:
            actual = ",".join(sorted(actual_set))
            ok = actual_set == {expected}
            reason = "Ok" if ok else "Want " + expected + ", got " + actual
        problem = check(expected_row, candidates) if check is not None and candidates else None
        if problem is not None:
            # like kyverno test: a resource that differs fails the row unless fail was expected
            actual, ok, reason = "fail", expected == "fail", "Resource diff"
            for r in candidates:
                if failed is not None:
                    failed[id(r)] = replace(r, result="fail", message=problem)
            candidates = [replace(r, result="fail", message=problem) for r in candidates]
        message = "; ".join(dict.fromkeys(r.message for r in candidates if r.message))
        rows.append(Row(policy, rule, resource, kind, expected, actual, ok, reason, message))
    return rows


@dataclass
class _Inputs:
    policy_docs: list[tuple[str, Any]] = field(default_factory=list)
    resources: list[Mapping[str, Any]] = field(default_factory=list)
    values: Mapping[str, Any] = field(default_factory=dict)
    userinfo: Mapping[str, Any] | None = None
    cluster: list[Mapping[str, Any]] = field(default_factory=list)
    exceptions: list[Mapping[str, Any]] = field(default_factory=list)
    # clone sources of generate rules (``cloneSourceResource`` files, per policy and rule)
    # and mutate targets
    sources: dict[tuple[str, str], list[Mapping[str, Any]]] = field(default_factory=dict)
    targets: list[Mapping[str, Any]] = field(default_factory=list)
    # ``paramResources``: the objects admission policy bindings take their params from
    params: list[Mapping[str, Any]] = field(default_factory=list)
    # CEL policies: policies.kyverno.io PolicyExceptions, Context spec.images (image.GetMetadata)
    cel_exceptions: list[Mapping[str, Any]] = field(default_factory=list)
    images: dict[str, Any] = field(default_factory=dict)
    # ``jsonPayload``: the JSON document policies are applied to besides the resources


def _context_images(documents: list[Any]) -> dict[str, Any]:
    images: dict[str, Any] = {}
    for doc in documents:
        spec = doc.get("spec") if isinstance(doc, Mapping) else None
        if doc.get("kind") == "Context" and isinstance(spec, Mapping):
            for entry in spec.get("images") or []:
                if isinstance(entry, Mapping) and entry.get("image"):
                    images[str(entry["image"])] = entry
    return images


def _docs(loader: Loader, paths: Any) -> list[Any]:
    return [doc for path in _as_list(paths) for _, doc in loader(str(path))]


def _load_inputs(test: Mapping[str, Any], loader: Loader) -> _Inputs:
    inputs = _Inputs(values=dict(_ci_get(test, "values") or {}))
    for path in _as_list(_ci_get(test, "policies")):
        inputs.policy_docs += loader(str(path))
    inputs.resources = [
        in_default_namespace(r) for r in _expand_lists(_docs(loader, _ci_get(test, "resources")))
    ]
    for key in ("context", "clusterResources"):
        inputs.cluster += _cluster_objects(_docs(loader, _ci_get(test, key)))
    exception_docs = _docs(loader, _ci_get(test, "exceptions"))
    inputs.exceptions = [d for d in exception_docs if is_exception(d)]
    inputs.cel_exceptions = [d for d in exception_docs if is_cel_exception(d)]
    inputs.images = _context_images(_docs(loader, _ci_get(test, "context")))
    for doc in _docs(loader, _ci_get(test, "variables")):
        if isinstance(doc, Mapping):
            inputs.values = {**inputs.values, **doc}
    inputs.targets = _expand_lists(_docs(loader, _ci_get(test, "targetResources")))
    inputs.params = _expand_lists(_docs(loader, _ci_get(test, "paramResources")))
    for row in _as_list(_ci_get(test, "results")):
        if isinstance(row, Mapping) and _ci_get(row, "cloneSourceResource"):
            rule_key = (str(_ci_get(row, "policy") or "").split("/")[-1], str(_ci_get(row, "rule")))
            docs = _expand_lists(_docs(loader, _ci_get(row, "cloneSourceResource")))
            inputs.sources[rule_key] = [*inputs.sources.get(rule_key, []), *docs]
    users = [d for d in _docs(loader, _ci_get(test, "userinfo")) if isinstance(d, Mapping)]
    inputs.userinfo = users[0] if users else None
    try:
        check_values(inputs.values)
        if inputs.userinfo is not None:
            check_userinfo(inputs.userinfo)
    except PolicyShapeError as exc:
        raise ConfigError(f"kyverno test inputs: {exc}") from exc
    inputs.values = api_call_values(test, inputs.values)
    return inputs


def result_operations(expected_rows: list[Any]) -> dict[str, str]:
    """``operation`` of the expected results, by the resources they name (``name`` and
    ``ns/name``): the admission operation those resources are evaluated with."""
    found: dict[str, str] = {}
    for row in expected_rows:
        if not isinstance(row, Mapping):
            continue
        operation = row_operation(row)
        if operation not in OPERATIONS:
            continue
        names = _as_list(_ci_get(row, "resources")) + _as_list(_ci_get(row, "resource"))
        for name in names:
            found.setdefault(str(name), operation)
    return found


def _operation_for(resource: Mapping[str, Any], operations: Mapping[str, str]) -> str | None:
    if not operations:
        return None
    metadata = resource.get("metadata")
    metadata = metadata if isinstance(metadata, Mapping) else {}
    name = str(metadata.get("name") or "")
    namespace = str(metadata.get("namespace") or "default")
    return operations.get(f"{namespace}/{name}") or operations.get(name)


def _on_payloads(
    test: Mapping[str, Any],
    loader: Loader,
    *,
    policies: Sequence[Any],
    mutating: Sequence[Any],
    context: EvaluationContext,
    produced: Produced,
    inputs: _Inputs,
) -> list[RuleResult]:
    """The results on the test's payloads; MutatingPolicies patch its ``jsonPayload``."""
    results = payload_results(test, loader, policies, context, inputs.cel_exceptions)
    for payload in _docs(loader, _ci_get(test, "jsonPayload"))[:1] if mutating else []:
        apply_to_json_payload(
            mutating, payload, context, produced, exceptions=inputs.cel_exceptions
        )
    return results


def run_test(
    test: Mapping[str, Any],
    loader: Loader,
    source: str = "kyverno-test.yaml",
    now: datetime | None = None,
) -> TestReport:
    """Run one Test document; missing or malformed files become errors of the report.

    ``now`` (aware UTC) is what ``time_now*``/``time_since`` see: the CLI passes the wall clock,
    as ``kyverno test`` does; without it those functions leave their variable unresolved."""
    metadata = _ci_get(test, "metadata")
    metadata = metadata if isinstance(metadata, Mapping) else {}
    name = str(metadata.get("name") or _ci_get(test, "name") or source)
    errors: list[str] = []
    try:
        inputs = _load_inputs(test, loader)
    except (OSError, ConfigError) as exc:
        errors.append(str(exc))
        inputs = _Inputs()
    policies: list[Any] = []
    mutating: list[MutatingPolicy] = []
    generating: list[GeneratingPolicy] = []
    try:
        policies = [evaluated_by_test(p) for p in load_policies(inputs.policy_docs)]
        mutating = load_mutating_policies(
            inputs.policy_docs, [*inputs.params, *inputs.resources, *inputs.cluster]
        )
        generating = load_generating_policies(inputs.policy_docs)
    except ConfigError as exc:
        errors.append(str(exc))
    context = replace(
        _context_from(inputs.values, inputs.userinfo, inputs.cluster, inputs.exceptions), now=now
    )
    results: list[RuleResult] = []
    context = replace(
        context,
        cel_exceptions=tuple(inputs.cel_exceptions),
        images=inputs.images,
        objects=(*inputs.resources, *inputs.params),
    )
    failed: dict[int, RuleResult] = {}  # results whose expected resource differs, as fail
    produced = Produced()
    sources = [*inputs.cluster, *(d for docs in inputs.sources.values() for d in docs)]
    operations = result_operations(_as_list(_ci_get(test, "results")))
    row_operations = policy_operations(_as_list(_ci_get(test, "results")))
    old_resources = _expand_lists(_docs(loader, _ci_get(test, "oldResources")))
    for resource in inputs.resources:
        operation = _operation_for(resource, operations)
        resource_context = replace(context, operation=operation) if operation else context
        resource_context = replace(
            resource_context,
            old_object=old_object(resource, old_resources) or resource_context.old_object,
        )
        patched = apply_mutations(
            policies,
            resource,
            resource_context,
            produced,
            sources=sources,
            rule_sources=inputs.sources,
            targets=inputs.targets,
        )
        results += evaluate_operations(
            policies,
            patched,
            resource_context,
            other_operations(resource, row_operations, operation or ""),
            context.operation,
        )
        if mutating:
            apply_mutating_policies(
                mutating,
                patched,
                resource_context,
                produced,
                exceptions=inputs.cel_exceptions,
                targets=inputs.targets,
            )
        if generating:
            apply_generating_policies(
                generating,
                resource,
                resource_context,
                produced,
                sources=sources,
                exceptions=inputs.cel_exceptions,
            )
    try:
        results += _on_payloads(
            test,
            loader,
            policies=policies,
            mutating=mutating,
            context=context,
            produced=produced,
            inputs=inputs,
        )
    except (OSError, ConfigError) as exc:
        errors.append(str(exc))
    results = produced.results + results
    check = resource_check(produced, lambda path: [doc for _, doc in loader(path)])
    policy_docs = [doc for _, doc in inputs.policy_docs]
    rows: list[Row] = []
    for expected_row in _as_list(_ci_get(test, "results")):
        if isinstance(expected_row, Mapping):
            rows += _compare(
                expected_row, results, policy_docs, check, failed, every_answer=bool(payloads(test))
            )
    if failed:
        results = [failed.get(id(r), r) for r in results]
    rows += _check_rows(test, results, inputs, policy_docs, errors)
    return TestReport(name, tuple(rows), tuple(results), tuple(errors))


def _check_rows(
    test: Mapping[str, Any],
    results: Sequence[RuleResult],
    inputs: _Inputs,
    policy_docs: list[Any],
    errors: list[str],
) -> list[Row]:
    """The rows of the test's ``checks`` (assertions on the rule responses); a check that
    cannot be evaluated is an error of the test (added to ``errors``)."""
    checks = _as_list(_ci_get(test, "checks"))
    if not checks:
        return []
    resources = {
        (str(r.get("kind") or ""), str((r.get("metadata") or {}).get("name") or ""),
         str((r.get("metadata") or {}).get("namespace") or "")): r
        for r in inputs.resources
    }  # fmt: skip
    policies = {
        str((d.get("metadata") or {}).get("name") or ""): d
        for d in reversed(policy_docs)
        if isinstance(d, Mapping) and isinstance(d.get("metadata"), Mapping)
    }
    try:
        found = run_checks(
            checks,
            results,
            lambda r: resources.get((r.kind, r.name, report_namespace(r))),
            policies.get,
        )
    except CheckError as exc:
        errors.append(f"checks: {exc}")
        return []
    return [
        Row(c.result.policy, c.result.rule, c.result.name, c.result.kind, "check",
            c.result.result, c.ok, c.reason, c.result.message)
        for c in found
    ]  # fmt: skip


def is_test_document(document: Any) -> bool:
    return isinstance(document, Mapping) and (
        str(_ci_get(document, "kind") or "") == "Test"
        or (_ci_get(document, "results") is not None and _ci_get(document, "policies") is not None)
    )
