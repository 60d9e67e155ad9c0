"""``kyverno test`` semantics, pure: read a Test document, run the engine, compare results.

The CLI (:mod:`kyverno_validate.kyverno_cli`) finds and loads the files; this module gets the
parsed documents and returns rows and every computed rule outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kyverno_validate.engine import EvaluationContext, Policy, RuleResult, evaluate

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


def _context_from(
    values: Mapping[str, Any], userinfo: Mapping[str, Any] | None
) -> EvaluationContext:
    namespace_labels: dict[str, Mapping[str, str]] = {}
    for namespace in values.get("namespaces") or []:
        metadata = namespace.get("metadata") or {}
        if metadata.get("name"):
            namespace_labels[metadata["name"]] = metadata.get("labels") or {}
    for entry in values.get("namespaceSelector") or []:
        if entry.get("name"):
            namespace_labels[entry["name"]] = entry.get("labels") or {}
    return EvaluationContext(userinfo=userinfo, namespace_labels=namespace_labels, values=values)


def _compare(expected_row: Mapping[str, Any], results: Sequence[RuleResult]) -> list[Row]:
    policy = str(_ci_get(expected_row, "policy") or "").split("/")[-1]
    rule = str(_ci_get(expected_row, "rule") or "")
    kind = str(_ci_get(expected_row, "kind") or "")
    expected = str(_ci_get(expected_row, "result") or _ci_get(expected_row, "status") or "")
    expected = expected.lower()
    resources = [str(r) for r in _as_list(_ci_get(expected_row, "resources"))]
    resources += [str(r) for r in _as_list(_ci_get(expected_row, "resource"))]
    rows = []
    for resource in resources:
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
            ok = expected == "skip"
            actual, reason = ("skip", "Excluded") if ok else ("", "Not found")
        else:
            actual = ",".join(sorted(actual_set))
            ok = actual_set == {expected}
            reason = "Ok" if ok else "Want " + expected + ", got " + actual
        rows.append(Row(policy, rule, resource, kind, expected, actual, ok, reason))
    return rows


def run_test(
    test: Mapping[str, Any], loader: Loader, source: str = "kyverno-test.yaml"
) -> TestReport:
    """Run one Test document; missing or malformed files become errors of the report."""
    from relkit.errors import ConfigError  # noqa: PLC0415

    from kyverno_validate.engine import load_policies  # noqa: PLC0415

    metadata = _ci_get(test, "metadata") or {}
    name = str(metadata.get("name") or _ci_get(test, "name") or source)
    errors: list[str] = []
    policy_docs: list[tuple[str, Any]] = []
    resources: list[Mapping[str, Any]] = []
    values: Mapping[str, Any] = dict(_ci_get(test, "values") or {})
    userinfo: Mapping[str, Any] | None = None
    try:
        for path in _as_list(_ci_get(test, "policies")):
            policy_docs += loader(str(path))
        for path in _as_list(_ci_get(test, "resources")):
            resources += [doc for _, doc in loader(str(path)) if isinstance(doc, Mapping)]
        variables = _ci_get(test, "variables")
        if variables:
            for _, doc in loader(str(variables)):
                if isinstance(doc, Mapping):
                    values = {**values, **doc}
        userinfo_path = _ci_get(test, "userinfo")
        if userinfo_path:
            docs = [doc for _, doc in loader(str(userinfo_path)) if isinstance(doc, Mapping)]
            userinfo = docs[0] if docs else None
    except (OSError, ConfigError) as exc:
        errors.append(str(exc))
    policies: list[Policy] = []
    try:
        policies = load_policies(policy_docs)
    except ConfigError as exc:
        errors.append(str(exc))
    context = _context_from(values, userinfo)
    results: list[RuleResult] = []
    for resource in resources:
        results += evaluate(policies, resource, context)
    rows: list[Row] = []
    for expected_row in _as_list(_ci_get(test, "results")):
        if isinstance(expected_row, Mapping):
            rows += _compare(expected_row, results)
    return TestReport(name, tuple(rows), tuple(results), tuple(errors))


def is_test_document(document: Any) -> bool:
    return isinstance(document, Mapping) and (
        str(_ci_get(document, "kind") or "") == "Test"
        or (_ci_get(document, "results") is not None and _ci_get(document, "policies") is not None)
    )
