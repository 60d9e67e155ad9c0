"""The JSON context variables are resolved against: ``request``, ``images``, values, entries."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from kyverno_validate.engine.jmespath_functions import search
from kyverno_validate.engine.match import Request
from kyverno_validate.engine.model import EvaluationContext
from kyverno_validate.engine.variables import (
    NOW_KEY,
    VariableError,
    set_path,
    strict_resolver,
    substitute,
)

_POD_SPECS = {
    "Pod": ("spec",),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
_CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")


def pod_spec(resource: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The pod spec inside a Pod, a pod controller or a CronJob."""
    path = _POD_SPECS.get(str(resource.get("kind")), ("spec", "template", "spec"))
    current: Any = resource
    for key in path:
        if not isinstance(current, Mapping):
            return None
        current = current.get(key)
    return current if isinstance(current, Mapping) else None


_DIGEST = re.compile(r"@(sha256:[0-9a-fA-F]{32,})$")


def image_info(image: str) -> dict[str, str]:
    """Kyverno's ``ImageInfo`` for an image reference (default registry ``docker.io``)."""
    rest = image
    digest = ""
    found = _DIGEST.search(rest)
    if found:
        digest = found.group(1)
        rest = rest[: found.start()]
    first, _, remainder = rest.partition("/")
    if remainder and ("." in first or ":" in first or first == "localhost"):
        registry, path = first, remainder
    else:
        registry, path = "docker.io", rest
    tag = ""
    if ":" in path.rsplit("/", 1)[-1]:
        path, tag = path.rsplit(":", 1)
    if not tag and not digest:
        tag = "latest"
    name = path.rsplit("/", 1)[-1]
    info = {"registry": registry, "name": name, "path": path}
    if tag:
        info["tag"] = tag
    if digest:
        info["digest"] = digest
    reference = f"{registry}/{path}"
    info["referenceWithTag"] = f"{reference}:{tag}" if tag else reference
    info["reference"] = f"{reference}@{digest}" if digest else info["referenceWithTag"]
    return info


def images_of(resource: Mapping[str, Any]) -> dict[str, Any]:
    spec = pod_spec(resource)
    if spec is None:
        return {}
    images: dict[str, Any] = {}
    for list_name in _CONTAINER_LISTS:
        containers = spec.get(list_name)
        if not isinstance(containers, list):
            continue
        found = {
            str(c.get("name")): image_info(str(c["image"]))
            for c in containers
            if isinstance(c, Mapping) and isinstance(c.get("image"), str)
        }
        if found:
            images[list_name] = found
    return images


def metadata_of(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    """``metadata`` as a mapping, whatever a malformed document holds there."""
    metadata = obj.get("metadata")
    return metadata if isinstance(metadata, Mapping) else {}


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _subresource_of(
    group: str, version: str, kind: str, values: Mapping[str, Any]
) -> tuple[str, str, str, str] | None:
    """The parent (group, version, kind) and subresource name when the values file's
    ``subresources`` maps this object's kind to a subresource (``Scale`` → deployments/scale)."""
    for entry in values.get("subresources") or []:
        if not isinstance(entry, Mapping):
            continue
        sub, parent = _mapping(entry.get("subresource")), _mapping(entry.get("parentResource"))
        if (
            str(sub.get("kind") or "") == kind
            and str(sub.get("group") or "") == group
            and str(sub.get("version") or "") == version
        ):
            name = str(sub.get("name") or "").split("/")
            return (
                str(parent.get("group") or ""),
                str(parent.get("version") or ""),
                str(parent.get("kind") or ""),
                name[1] if len(name) > 1 else "",
            )
    return None


def build_request(resource: Mapping[str, Any], context: EvaluationContext) -> Request:
    metadata = metadata_of(resource)
    api_version = str(resource.get("apiVersion") or "")
    group, _, version = api_version.rpartition("/")
    namespace = str(metadata.get("namespace") or "")
    userinfo = context.userinfo or {}
    info = userinfo.get("userInfo") or {}
    kind = str(resource.get("kind") or "")
    sub_kind = sub_group = sub_version = subresource = ""
    parent = _subresource_of(group, version, kind, context.values) if context.values else None
    if parent is not None:
        sub_kind, sub_group, sub_version = kind, group, version
        group, version, kind, subresource = parent
    return Request(
        kind=kind,
        group=group,
        version=version,
        name=str(metadata.get("name") or metadata.get("generateName") or ""),
        namespace=namespace,
        labels=_mapping(metadata.get("labels")),
        annotations=_mapping(metadata.get("annotations")),
        operation=context.operation,
        namespace_labels=context.namespace_labels.get(namespace),
        username=str(info.get("username") or ""),
        groups=tuple(str(g) for g in info.get("groups") or []),
        roles=tuple(str(r) for r in userinfo.get("roles") or []),
        cluster_roles=tuple(str(r) for r in userinfo.get("clusterRoles") or []),
        has_userinfo=bool(userinfo),
        subresource=subresource,
        sub_kind=sub_kind,
        sub_group=sub_group,
        sub_version=sub_version,
    )


_SA_PREFIX = "system:serviceaccount:"


def base_data(resource: Mapping[str, Any], context: EvaluationContext) -> dict[str, Any]:
    metadata = metadata_of(resource)
    userinfo = context.userinfo or {}
    info = dict(userinfo.get("userInfo") or {})
    request: dict[str, Any] = {
        "operation": context.operation,
        "object": resource,
        "oldObject": context.old_object,
        "userInfo": info,
        "roles": list(userinfo.get("roles") or []),
        "clusterRoles": list(userinfo.get("clusterRoles") or []),
        "namespace": metadata.get("namespace") or "",
        "name": metadata.get("name") or "",
        "kind": {"kind": resource.get("kind")},
    }
    data: dict[str, Any] = {"request": request, "images": images_of(resource)}
    # AddServiceAccount: always set (empty without a service account); "<namespace>:<name>"
    # after the prefix's length, extra segments ignored
    username = str(info.get("username") or "")
    groups = username[len(_SA_PREFIX) :].split(":") if len(username) > len(_SA_PREFIX) else []
    data["serviceAccountNamespace"] = groups[0] if len(groups) >= 2 else ""
    data["serviceAccountName"] = groups[1] if len(groups) >= 2 else ""
    return data


def add_values(data: dict[str, Any], values: Mapping[str, Any] | None) -> None:
    for key, value in (values or {}).items():
        set_path(data, str(key), value)


class ContextError(Exception):
    """A context entry that cannot be loaded."""


CLUSTER_KEY = "__relkit_cluster__"


def _plural(kind: str) -> set[str]:
    lower = kind.lower()
    forms = {lower + "s", lower + "es"}
    if lower.endswith("y"):
        forms.add(lower[:-1] + "ies")
    return forms


def _api_get(path: str, cluster: Sequence[Mapping[str, Any]]) -> Any:
    """Answer a GET of ``/api/v1/...`` or ``/apis/g/v/...`` from the given objects."""
    parts = [p for p in path.split("?", 1)[0].split("/") if p]
    if parts[:2] == ["api", "v1"]:
        api_version, rest = "v1", parts[2:]
    elif parts[:1] == ["apis"] and len(parts) >= 3:
        api_version, rest = f"{parts[1]}/{parts[2]}", parts[3:]
    else:
        raise ContextError(f"unsupported apiCall urlPath {path!r}")
    namespace = None
    if len(rest) >= 2 and rest[0] == "namespaces" and len(rest) != 2:
        namespace, rest = rest[1], rest[2:]
    if not rest or len(rest) > 2:
        raise ContextError(f"unsupported apiCall urlPath {path!r}")
    plural = rest[0]
    found = [
        obj
        for obj in cluster
        if plural in _plural(str(obj.get("kind", "")))
        and str(obj.get("apiVersion", "")) == api_version
        and (namespace is None or (obj.get("metadata") or {}).get("namespace") == namespace)
    ]
    if len(rest) == 2:
        named = [o for o in found if (o.get("metadata") or {}).get("name") == rest[1]]
        if not named:
            raise ContextError(f"{path}: not found")
        return named[0]
    kind = str(found[0].get("kind")) if found else plural.capitalize()
    return {"apiVersion": api_version, "kind": f"{kind}List", "metadata": {}, "items": found}


def _load_from_cluster(entry: Mapping[str, Any], data: dict[str, Any]) -> Any:
    cluster = data.get(CLUSTER_KEY) or ()
    resolver = strict_resolver(data)
    config_map = entry.get("configMap")
    if config_map is not None:
        name = substitute(config_map.get("name"), resolver)
        namespace = substitute(config_map.get("namespace"), resolver) or "default"
        for obj in cluster:
            meta = obj.get("metadata") or {}
            if (
                obj.get("kind") == "ConfigMap"
                and meta.get("name") == name
                and (meta.get("namespace") or "default") == namespace
            ):
                return obj
        raise ContextError(f"configmap {namespace}/{name} not found")
    call = entry.get("apiCall") or {}
    if call.get("service") or str(call.get("method") or "GET").upper() != "GET":
        return None
    result = _api_get(str(substitute(call.get("urlPath", ""), resolver)), cluster)
    if call.get("jmesPath"):
        result = search(str(substitute(call["jmesPath"], resolver)), result, data.get(NOW_KEY))
    return result


def load_entries(entries: Any, data: dict[str, Any]) -> None:  # noqa: PLR0912 - one branch per kind of context entry
    """Load ``variable`` entries, and configMap/apiCall entries from the given cluster objects
    (without any, those come from the values file only, like the Kyverno CLI)."""
    for entry in entries or []:
        name = entry.get("name")
        variable = entry.get("variable")
        if not name:
            continue
        if variable is None:
            if (entry.get("configMap") or entry.get("apiCall")) and data.get(CLUSTER_KEY):
                try:
                    value = _load_from_cluster(entry, data)
                except ContextError:
                    raise
                except Exception as exc:  # variables and JMESPath raise many error types
                    raise ContextError(f"failed to load context entry {name}: {exc}") from exc
                if value is not None:
                    set_path(data, str(name), value)
            continue
        resolver = strict_resolver(data)
        try:
            path = (
                substitute(variable.get("jmesPath"), resolver) if variable.get("jmesPath") else ""
            )
            default = substitute(variable.get("default"), resolver)
            output = default
            if variable.get("value") is not None:
                value = substitute(variable["value"], resolver)
                if path:
                    try:
                        output = search(str(path), value, data.get(NOW_KEY))
                    except Exception as exc:
                        if default is None:
                            raise ContextError(f"failed to apply jmespath {path}") from exc
                else:
                    output = value
            elif path:
                try:
                    found = search(str(path), data, data.get(NOW_KEY))
                except Exception as exc:
                    if default is None:
                        raise ContextError(f"failed to apply jmespath {path}") from exc
                    found = None
                if found is not None:
                    output = found
        except VariableError as exc:
            raise ContextError(
                f"failed to substitute variables in context entry {name}: {exc}"
            ) from exc
        if output is None:
            raise ContextError(
                f"unable to add context entry for variable {name} since it evaluated to nil"
            )
        set_path(data, str(name), output)
