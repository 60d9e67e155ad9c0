"""``kyverno test`` inputs beyond the resources, pure: the operation each expected result asks
for (``operation``/``resourceOperation``, per policy), ``oldResources`` (an UPDATE's old
object), the payload files (``jsonPayloads``, ``httpPayloads``, ``envoyPayloads``) and the
policy kinds only ``kyverno test`` evaluates (DeletingPolicy, ImageValidatingPolicy).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from kyverno_validate.engine import EvaluationContext, RuleResult, evaluate
from kyverno_validate.engine.authz import AUTHZ_MODES
from kyverno_validate.engine.celjson import evaluate_json_payload
from kyverno_validate.engine.celpolicy import CelPolicy
from kyverno_validate.engine.dpol import DELETING_KINDS
from kyverno_validate.engine.ivpol import IMAGE_KINDS

OPERATIONS = ("CREATE", "UPDATE", "DELETE", "CONNECT")
Loader = Callable[[str], list[tuple[str, Any]]]


def ci_get(mapping: Mapping[str, Any], key: str) -> Any:
    """Go's JSON decoding matches field names case-insensitively."""
    if key in mapping:
        return mapping[key]
    lowered = key.lower()
    return next((v for k, v in mapping.items() if str(k).lower() == lowered), None)


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def row_operation(row: Mapping[str, Any]) -> str:
    """A result's admission operation: ``operation``, or ``resourceOperation`` (the newer
    CLI's name for it); "" when it names none."""
    value = ci_get(row, "operation") or ci_get(row, "resourceOperation")
    return str(value or "").upper()


def policy_operations(expected_rows: list[Any]) -> dict[tuple[str, str], str]:
    """The operation each expected result asks for, by (policy, resource name as written):
    one resource can be tested as CREATE for one policy and as DELETE for another. ""
    stands for the test's default operation."""
    found: dict[tuple[str, str], str] = {}
    for row in expected_rows:
        if not isinstance(row, Mapping):
            continue
        operation = row_operation(row)
        operation = operation if operation in OPERATIONS else ""
        policy = str(ci_get(row, "policy") or "").split("/")[-1]
        names = as_list(ci_get(row, "resources")) + as_list(ci_get(row, "resource"))
        for name in names:
            found.setdefault((policy, str(name)), operation)
    return found


def other_operations(
    resource: Mapping[str, Any],
    operations: Mapping[tuple[str, str], str],
    main: str,
) -> dict[str, set[str]]:
    """The policies whose results on ``resource`` ask for another operation than ``main`` (the
    one the resource is first evaluated with), by operation ("" = the default one)."""
    metadata = resource.get("metadata")
    metadata = metadata if isinstance(metadata, Mapping) else {}
    name = str(metadata.get("name") or "")
    keys = {name, f"{metadata.get('namespace') or 'default'}/{name}"}
    other: dict[str, set[str]] = {}
    for (policy, resource_name), operation in operations.items():
        if resource_name in keys and operation != main:
            other.setdefault(operation, set()).add(policy)
    return other


def evaluated_by_test(policy: Any) -> Any:
    """kyverno test evaluates DeletingPolicies (pass: the resource would be deleted), which
    admission leaves alone, and ImageValidatingPolicies as far as no registry is needed (a
    signature check is an error result)."""
    if isinstance(policy, CelPolicy) and policy.kind in DELETING_KINDS | IMAGE_KINDS:
        return replace(policy, unsupported="")
    return policy


def payloads(test: Mapping[str, Any]) -> list[str]:
    """The JSON payload files of a test (``jsonPayload``, ``jsonPayloads``): the results of
    the rows that name no resource are those of every payload."""
    return [path for _, path in payload_files(test)]


def payload_files(test: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(mode, path) of each payload file: JSON, HTTP and Envoy authorization requests."""
    keys = (
        ("JSON", "jsonPayload"),
        ("JSON", "jsonPayloads"),
        *((mode, key) for mode, (key, _) in AUTHZ_MODES.items()),
    )
    return [(mode, str(path)) for mode, key in keys for path in as_list(ci_get(test, key)) if path]


def payload_results(
    test: Mapping[str, Any],
    loader: Loader,
    policies: Sequence[Any],
    context: EvaluationContext,
    exceptions: Sequence[Mapping[str, Any]],
) -> list[RuleResult]:
    cel = [p for p in policies if isinstance(p, CelPolicy)]
    results: list[RuleResult] = []
    for mode, path in payload_files(test):
        name = path.removeprefix("./")
        for _, payload in loader(path):
            results += evaluate_json_payload(cel, payload, name, context, exceptions, mode=mode)
    return results


def evaluate_operations(
    policies: Sequence[Any],
    resource: Mapping[str, Any],
    context: EvaluationContext,
    others: Mapping[str, set[str]],
    default: str,
) -> list[RuleResult]:
    """The results on ``resource`` under ``context``'s operation, but for the policies whose
    expected results ask for another operation, their results under that one."""
    results = evaluate(policies, resource, context)
    for other, names in others.items():
        other_context = replace(context, operation=other or default)
        results = [r for r in results if r.policy not in names]
        results += [r for r in evaluate(policies, resource, other_context) if r.policy in names]
    return results


def old_object(
    resource: Mapping[str, Any], old_resources: Sequence[Mapping[str, Any]]
) -> Mapping[str, Any] | None:
    """The ``oldResources`` entry with the resource's kind, name and namespace (an UPDATE's
    ``oldObject``)."""

    def key(doc: Mapping[str, Any]) -> tuple[str, str, str]:
        metadata = doc.get("metadata")
        metadata = metadata if isinstance(metadata, Mapping) else {}
        return (
            str(doc.get("kind") or ""),
            str(metadata.get("name") or ""),
            str(metadata.get("namespace") or "default"),
        )

    wanted = key(resource)
    return next((doc for doc in old_resources if key(doc) == wanted), None)


def api_call_values(test: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """The test's values with its ``apiCallResponses`` (mocked HTTP responses: ``url``,
    ``method``, ``response``) added to the ``http`` responses CEL's ``http.Get``/``http.Post``
    answer from; the value returned for a URL is its ``response`` (``statusCode``, ``body``)."""
    mocked = {
        str(ci_get(entry, "url")): ci_get(entry, "response")
        for entry in as_list(ci_get(test, "apiCallResponses"))
        if isinstance(entry, Mapping) and ci_get(entry, "url")
    }
    if not mocked:
        return dict(values)
    http = values.get("http")
    return {**values, "http": {**(http if isinstance(http, Mapping) else {}), **mocked}}
