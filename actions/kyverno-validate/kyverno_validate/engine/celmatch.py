"""Kubernetes ``matchConstraints`` / ``matchResources`` (ValidatingPolicy, VAP and bindings).

``resourceRules`` (operations, apiGroups, apiVersions, resources with ``/subresource``,
resourceNames, scope), ``excludeResourceRules``, ``namespaceSelector`` and ``objectSelector``
(``k8s.io/apiserver/pkg/admission/plugin/policy/matching``). The CEL variables ``request`` and
``namespaceObject`` are built here too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kyverno_validate.cel.kyverno_library import plural
from kyverno_validate.engine.match import selector_matches

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
        "VolumeAttachment", "ClusterImagePolicy", "ClusterCleanupPolicy", "ValidatingPolicy",
        "ImageValidatingPolicy", "MutatingPolicy", "GeneratingPolicy", "DeletingPolicy",
    }
)  # fmt: skip


def is_cluster_scoped(kind: str) -> bool:
    return kind in CLUSTER_SCOPED


@dataclass(frozen=True, slots=True)
class Admission:
    """One admission request as CEL policies see it."""

    operation: str
    group: str
    version: str
    kind: str
    resource: str
    subresource: str
    name: str
    namespace: str
    labels: Mapping[str, Any]
    namespace_labels: Mapping[str, Any] | None
    cluster_scoped: bool


def admission_for(
    obj: Mapping[str, Any],
    operation: str,
    namespace_labels: Mapping[str, Any] | None,
    *,
    cluster_scoped: bool,
    subresource: str = "",
) -> Admission:
    metadata = obj.get("metadata") if isinstance(obj.get("metadata"), Mapping) else {}
    assert isinstance(metadata, Mapping)  # noqa: S101 - narrowed above
    group, _, version = str(obj.get("apiVersion") or "").rpartition("/")
    kind = str(obj.get("kind") or "")
    labels = metadata.get("labels")
    return Admission(
        operation=operation,
        group=group,
        version=version,
        kind=kind,
        resource=plural(kind),
        subresource=subresource,
        name=str(metadata.get("name") or ""),
        namespace=str(metadata.get("namespace") or ""),
        labels=labels if isinstance(labels, Mapping) else {},
        namespace_labels=namespace_labels,
        cluster_scoped=cluster_scoped,
    )


def _listed(values: Sequence[Any] | None, value: str) -> bool:
    return any(str(v) in ("*", value) for v in values or [])


def _resource_listed(resources: Sequence[Any] | None, admission: Admission) -> bool:
    wanted = admission.resource
    sub = admission.subresource
    for entry in resources or []:
        text = str(entry)
        if not sub and text in ("*", wanted):
            return True
        if sub and text in ("*/*", f"{wanted}/*", f"*/{sub}", f"{wanted}/{sub}"):
            return True
    return False


def rule_matches(rule: Mapping[str, Any], admission: Admission) -> bool:  # noqa: PLR0911 - one return per field
    """One ``NamedRuleWithOperations``."""
    operations = rule.get("operations")
    if operations and not _listed(operations, admission.operation):
        return False
    if not _listed(rule.get("apiGroups"), admission.group):
        return False
    if not _listed(rule.get("apiVersions"), admission.version):
        return False
    if not _resource_listed(rule.get("resources"), admission):
        return False
    names = rule.get("resourceNames")
    if names and admission.name not in [str(n) for n in names]:
        return False
    scope = str(rule.get("scope") or "*")
    if scope == "Cluster" and not admission.cluster_scoped:
        return False
    return not (scope == "Namespaced" and admission.cluster_scoped)


def _namespace_selected(selector: Mapping[str, Any], admission: Admission) -> bool:
    if not selector.get("matchLabels") and not selector.get("matchExpressions"):
        return True
    if admission.kind == "Namespace" and not admission.namespace:
        return selector_matches(selector, admission.labels)
    if admission.cluster_scoped:
        return True
    return selector_matches(selector, admission.namespace_labels or {})


def constraints_match(constraints: Mapping[str, Any] | None, admission: Admission) -> bool:
    """Whether ``matchConstraints`` (or a binding's ``matchResources``) select the request."""
    if not isinstance(constraints, Mapping):
        return False
    namespace_selector = constraints.get("namespaceSelector")
    if isinstance(namespace_selector, Mapping) and not _namespace_selected(
        namespace_selector, admission
    ):
        return False
    object_selector = constraints.get("objectSelector")
    if isinstance(object_selector, Mapping) and not selector_matches(
        object_selector, admission.labels
    ):
        return False
    rules = constraints.get("resourceRules")
    if not isinstance(rules, list) or not any(
        rule_matches(r, admission) for r in rules if isinstance(r, Mapping)
    ):
        return False
    excluded = constraints.get("excludeResourceRules") or []
    return not any(rule_matches(r, admission) for r in excluded if isinstance(r, Mapping))


def request_variable(
    admission: Admission,
    obj: Mapping[str, Any] | None,
    old: Mapping[str, Any] | None,
    userinfo: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """CEL's ``request``: an ``admission.k8s.io/v1`` AdmissionRequest."""
    info = dict((userinfo or {}).get("userInfo") or {})
    info.setdefault("username", "")
    info.setdefault("groups", [])
    kind = {"group": admission.group, "version": admission.version, "kind": admission.kind}
    resource = {
        "group": admission.group,
        "version": admission.version,
        "resource": admission.resource,
    }
    return {
        "uid": "",
        "kind": kind,
        "resource": resource,
        "subResource": admission.subresource,
        "requestKind": kind,
        "requestResource": resource,
        "requestSubResource": admission.subresource,
        "name": admission.name,
        "namespace": admission.namespace,
        "operation": admission.operation,
        "userInfo": info,
        "object": obj,
        "oldObject": old,
        "dryRun": False,
        "options": None,
    }


def namespace_variable(
    admission: Admission, cluster: Sequence[Mapping[str, Any]]
) -> dict[str, Any] | None:
    """CEL's ``namespaceObject``: the request's Namespace (null for cluster-scoped objects)."""
    if admission.cluster_scoped or not admission.namespace:
        return None
    for obj in cluster:
        metadata = obj.get("metadata") or {}
        if obj.get("kind") == "Namespace" and metadata.get("name") == admission.namespace:
            return dict(obj)
    made: dict[str, Any] = {"name": admission.namespace}
    if admission.namespace_labels:
        made["labels"] = dict(admission.namespace_labels)
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": made}
