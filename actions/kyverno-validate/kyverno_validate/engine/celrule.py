"""Classic ``validate.cel`` rules of a ClusterPolicy/Policy (``pkg/engine/handlers/validation/
validate_cel.go``): ``celPreconditions``, ``validate.cel.variables``, ``expressions``,
``auditAnnotations`` and ``paramKind``/``paramRef``, evaluated like a ValidatingAdmissionPolicy.

Autogen'd rules (``autogen-…`` for pod controllers, ``autogen-cronjob-…`` for CronJobs) read
their expressions shifted to the pod template (``object.spec`` → ``object.spec.template.spec``),
as ``pkg/autogen/v1`` does for CEL rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from relkit.core.identity_cache import IdentityCache

from kyverno_validate.cel import library_bindings
from kyverno_validate.engine.celeval import (
    CRONJOB_REPLACEMENTS,
    TEMPLATE_REPLACEMENTS,
    CelUnit,
    run_unit,
    shift,
)
from kyverno_validate.engine.celmatch import is_cluster_scoped
from kyverno_validate.engine.outcome import Outcome

_SKIPPED = "cel preconditions not met"


def _namespace_object(namespace: str, cluster: Sequence[Mapping[str, Any]]) -> Any:
    if not namespace:
        return None
    for obj in cluster:
        if obj.get("kind") == "Namespace" and (obj.get("metadata") or {}).get("name") == namespace:
            return obj
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}


def _params(cel: Mapping[str, Any], namespace: str, cluster: Sequence[Mapping[str, Any]]) -> Any:
    kind = cel.get("paramKind")
    ref = cel.get("paramRef")
    if not isinstance(kind, Mapping) or not isinstance(ref, Mapping):
        return None
    for obj in cluster:
        metadata = obj.get("metadata") or {}
        if (
            obj.get("kind") == kind.get("kind")
            and obj.get("apiVersion") == kind.get("apiVersion")
            and metadata.get("name") == ref.get("name")
            and (metadata.get("namespace") or "") in ("", ref.get("namespace") or namespace)
        ):
            return obj
    return None


_SHIFTED: IdentityCache[tuple[Any, Any]] = IdentityCache(limit=4096)


def _shifted(rule_name: str, raw: Mapping[str, Any]) -> tuple[Any, Any]:
    """The rule's ``validate.cel`` and ``celPreconditions``, moved to the pod template for an
    autogen rule; computed once per rule."""
    return _SHIFTED.get(raw, lambda: _shift_rule(rule_name, raw), extra=rule_name)


def _shift_rule(rule_name: str, raw: Mapping[str, Any]) -> tuple[Any, Any]:
    replacements = None
    if rule_name.startswith("autogen-cronjob-"):
        replacements = CRONJOB_REPLACEMENTS
    elif rule_name.startswith("autogen-"):
        replacements = TEMPLATE_REPLACEMENTS
    cel = (raw.get("validate") or {}).get("cel") or {}
    preconditions = raw.get("celPreconditions") or []
    if replacements is not None:
        cel = shift(cel, replacements)
        preconditions = shift(preconditions, replacements)
    return cel, preconditions


def evaluate_cel_rule(
    rule_name: str,
    raw: Mapping[str, Any],
    data: Mapping[str, Any],
    cluster: Sequence[Mapping[str, Any]] = (),
    now: datetime | None = None,
) -> Outcome:
    """One classic rule with ``validate.cel``; ``data`` is the rule's JSON context (its
    ``request`` holds object, oldObject, operation and userInfo)."""
    cel, preconditions = _shifted(rule_name, raw)
    request = dict(data.get("request") or {})
    obj, old = request.get("object"), request.get("oldObject")
    kind = str((obj or old or {}).get("kind") or "")
    namespace = str(request.get("namespace") or ("" if is_cluster_scoped(kind) else "default"))
    bindings: dict[str, Any] = {
        "object": obj,
        "oldObject": old,
        "request": request,
        "namespaceObject": _namespace_object(namespace, cluster),
        "params": _params(cel, namespace, cluster),
        **library_bindings(cluster_objects=cluster),
    }
    unit = CelUnit(
        conditions=tuple(p for p in preconditions if isinstance(p, Mapping)),
        variables=tuple(v for v in cel.get("variables") or [] if isinstance(v, Mapping)),
        validations=tuple(e for e in cel.get("expressions") or [] if isinstance(e, Mapping)),
        audit_annotations=tuple(
            a for a in cel.get("auditAnnotations") or [] if isinstance(a, Mapping)
        ),
    )
    outcome = run_unit(unit, bindings, now)
    if outcome is None:
        return Outcome("skip", _SKIPPED)
    if outcome.result == "pass":
        return Outcome("pass", f"validation rule '{rule_name}' passed.")
    return outcome
