"""Stage 2: Kubernetes objects against the JSON schemas bundled in ``kubernetes-validate``.

The schemas are package data of the PyPI package ``kubernetes-validate`` (read-only, offline);
this module reads them directly and validates with ``jsonschema``, compiling one validator per
(Kubernetes version, strict, kind/apiVersion) and caching it, which is far faster than the
package's own ``validate()`` (it re-reads the 1.8 MB definitions file on every call).

Custom resources are validated against the ``openAPIV3Schema`` of CustomResourceDefinitions
found among the manifests; a resource with neither a bundled schema nor a CRD is *skipped* with a
notice. Strict mode makes unknown fields errors (``additionalProperties: false``), as
kubernetes-validate's ``-strict`` schemas and ``kubectl --validate=strict`` do.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

from relkit.errors import ConfigError

from kyverno_validate import schemacheck

SchemaStatus = Literal["valid", "invalid", "skipped"]
MAX_MESSAGE = 240
# a version folder, or the same folder packed into one xz file (the image: scripts/pack_schemas.py)
_VERSION_DIR = re.compile(r"^v(\d+)\.(\d+)\.(\d+)-local(?:\.json\.xz)?$")
_REQUESTED = re.compile(r"^v?(\d+)\.(\d+)(?:\.\d+)?$")
_DEFINITIONS_ID = "https://kubernetes.io/api/_definitions.json"


@dataclass(frozen=True, slots=True)
class SchemaIssue:
    path: str  # "spec.template.spec.containers[0].image"; "" for the object itself
    message: str


@dataclass(frozen=True, slots=True)
class SchemaResult:
    status: SchemaStatus
    issues: tuple[SchemaIssue, ...] = ()
    notice: str = ""  # why a resource was skipped, or which schema validated it


def bundled_versions() -> list[str]:
    """The Kubernetes minor versions kubernetes-validate ships schemas for, oldest first."""
    found: list[tuple[int, int]] = []
    for entry in _schema_root().iterdir():
        match = _VERSION_DIR.match(entry.name)
        if match:
            found.append((int(match.group(1)), int(match.group(2))))
    return [f"{major}.{minor}" for major, minor in sorted(found)]


def resolve_version(requested: str) -> str:
    """``""`` → the newest bundled; ``1.30``, ``v1.30`` and ``1.30.4`` → ``1.30``."""
    versions = bundled_versions()
    if not requested:
        return versions[-1]
    match = _REQUESTED.match(requested.strip())
    wanted = f"{match.group(1)}.{match.group(2)}" if match else None
    if wanted not in versions:
        raise ConfigError(
            f"input 'kubernetes-version' must be one of the bundled versions "
            f"{versions[0]} to {versions[-1]} (e.g. {versions[-1]}), got {requested!r}"
        )
    return wanted


def group_version(api_version: str) -> tuple[str, str]:
    group, _, version = api_version.rpartition("/")
    return group, version


class SchemaValidator:
    """Validates objects for one Kubernetes version; holds the compiled-validator cache."""

    def __init__(
        self,
        version: str = "",
        *,
        strict: bool = False,
        crds: Iterable[Mapping[str, Any]] = (),
    ) -> None:
        self.version = resolve_version(version)
        self.strict = strict
        self._dir = f"v{self.version}.0-local" + ("-strict" if strict else "")
        self._validators: dict[str, Any] = {}
        self._crds: dict[tuple[str, str, str], Mapping[str, Any]] = {}
        for crd in crds:
            self._crds.update(crd_schemas(crd))
        self._kinds = _bundled_kinds(self._dir)

    def validate(self, obj: Mapping[str, Any]) -> SchemaResult:
        api_version, kind = obj.get("apiVersion"), obj.get("kind")
        missing = [
            name
            for name, value in (("apiVersion", api_version), ("kind", kind))
            if not isinstance(value, str) or not value
        ]
        if missing:
            return SchemaResult(
                "invalid",
                tuple(SchemaIssue(name, f"'{name}' is required") for name in missing),
            )
        assert isinstance(api_version, str)  # noqa: S101 - narrowed above
        assert isinstance(kind, str)  # noqa: S101
        group, version = group_version(api_version)
        crd = self._crds.get((group, version, kind))
        if crd is not None:
            return _run(self._crd_validator(group, version, kind, crd), obj, "")
        filename = f"{kind.lower()}-{_api_version_slug(api_version)}.json"
        validator = self._validators.get(filename)
        if validator is None and filename not in self._validators:
            validator = self._validators[filename] = self._bundled_validator(filename)
        if validator is not None:
            fast = _fast_check(self._dir, filename)
            if fast is not None and fast(obj):  # the common case, without building errors
                return _VALID
            return _run(validator, obj, "")
        known = self._kinds.get(kind.lower())
        if known and (not group or "." not in group or group.endswith(".k8s.io")):
            return SchemaResult(
                "invalid",
                (
                    SchemaIssue(
                        "apiVersion",
                        f"Kubernetes {self.version} has no {kind} in {api_version!r}; "
                        f"use one of: {', '.join(sorted(known))}",
                    ),
                ),
            )
        return SchemaResult(
            "skipped",
            notice=f"no schema for {kind} ({api_version}) in Kubernetes {self.version} and no "
            "CustomResourceDefinition for it among the manifests; schema check skipped",
        )

    def _bundled_validator(self, filename: str) -> Any:
        schema = _read_schema(self._dir, filename)
        if schema is None:
            return None
        return _jsonschema().Draft202012Validator(schema, registry=_registry(self._dir))

    def _crd_validator(self, group: str, version: str, kind: str, schema: Mapping[str, Any]) -> Any:
        key = f"crd:{group}/{version}/{kind}"
        validator = self._validators.get(key)
        if validator is None:
            top = openapi_to_jsonschema(schema, strict=self.strict, top=True)
            validator = self._validators[key] = _jsonschema().Draft4Validator(top)
        return validator


def crd_schemas(crd: Mapping[str, Any]) -> dict[tuple[str, str, str], Mapping[str, Any]]:
    """(group, version, kind) → ``openAPIV3Schema`` of a CustomResourceDefinition object."""
    if crd.get("kind") != "CustomResourceDefinition":
        return {}
    spec = crd.get("spec")
    if not isinstance(spec, Mapping):
        return {}
    group, names = spec.get("group"), spec.get("names")
    kind = names.get("kind") if isinstance(names, Mapping) else None
    if not isinstance(group, str) or not isinstance(kind, str):
        return {}
    found: dict[tuple[str, str, str], Mapping[str, Any]] = {}
    shared = _nested(spec, "validation", "openAPIV3Schema")  # apiextensions v1beta1
    versions = spec.get("versions")
    for entry in versions if isinstance(versions, list) else []:
        if isinstance(entry, Mapping) and isinstance(entry.get("name"), str):
            schema = _nested(entry, "schema", "openAPIV3Schema") or shared
            if schema is not None:
                found[(group, entry["name"], kind)] = schema
    if isinstance(spec.get("version"), str) and shared is not None:
        found.setdefault((group, spec["version"], kind), shared)
    return found


def openapi_to_jsonschema(
    schema: Mapping[str, Any], *, strict: bool, top: bool = False
) -> dict[str, Any]:
    """A structural CRD schema as JSON Schema draft 4 (``nullable``, ``x-kubernetes-*``)."""
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ("properties", "patternProperties") and isinstance(value, Mapping):
            out[key] = {
                name: openapi_to_jsonschema(sub, strict=strict)
                for name, sub in value.items()
                if isinstance(sub, Mapping)
            }
        elif key in ("items", "additionalProperties", "not") and isinstance(value, Mapping):
            out[key] = openapi_to_jsonschema(value, strict=strict)
        elif key in ("allOf", "anyOf", "oneOf") and isinstance(value, list):
            out[key] = [
                openapi_to_jsonschema(sub, strict=strict)
                for sub in value
                if isinstance(sub, Mapping)
            ]
        elif not key.startswith("x-kubernetes-") and key not in ("nullable", "format"):
            out[key] = value
    if schema.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if schema.get("nullable") and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    if top:
        properties = out.setdefault("properties", {})
        properties.setdefault("apiVersion", {"type": "string"})
        properties.setdefault("kind", {"type": "string"})
        properties.setdefault("metadata", {"type": "object"})
    preserve = schema.get("x-kubernetes-preserve-unknown-fields") or schema.get(
        "x-kubernetes-embedded-resource"
    )
    if strict and "properties" in out and "additionalProperties" not in out and not preserve:
        out["additionalProperties"] = False
    return out


# --- internals ------------------------------------------------------------------------------


def _jsonschema() -> Any:
    import jsonschema  # type: ignore[import-untyped]  # noqa: PLC0415 - heavy, on first use

    return jsonschema


def _run(validator: Any, obj: Mapping[str, Any], notice: str) -> SchemaResult:
    issues = tuple(issue for error in _errors(validator, obj) for issue in _issues(error))
    return SchemaResult("invalid" if issues else "valid", issues, notice)


_VALID = SchemaResult("valid")


@functools.cache
def _fast_check(directory: str, filename: str) -> schemacheck.Check | None:
    """The compiled yes/no check of a bundled schema (``None``: jsonschema only)."""
    schema = _read_schema(directory, filename)
    if schema is None:
        return None
    try:
        return _compiler(directory).compile(schema, str(schema.get("$id") or ""))
    except schemacheck.UnsupportedSchema:
        return None


@functools.cache
def _compiler(directory: str) -> schemacheck.Compiler:
    definitions = _read_schema(directory, "_definitions.json") or {}
    return schemacheck.Compiler({_DEFINITIONS_ID: definitions})


def _errors(validator: Any, obj: Mapping[str, Any]) -> Iterator[Any]:
    for error in validator.iter_errors(obj):
        if error.context:
            yield _jsonschema().exceptions.best_match(error.context)
        else:
            yield error


def _issues(error: Any) -> Iterator[SchemaIssue]:
    """One issue per unknown field (pointing at it), else the error as it is."""
    if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
        known = error.schema.get("properties", {})
        patterns = error.schema.get("patternProperties", {})
        extra = [
            key
            for key in error.instance
            if key not in known and not any(re.search(p, key) for p in patterns)
        ]
        if extra:
            for key in extra:
                path = format_path([*error.absolute_path, key])
                yield SchemaIssue(path, f"unknown field {key!r}")
            return
    yield _issue(error)


def _issue(error: Any) -> SchemaIssue:
    message = str(error.message)
    if len(message) > MAX_MESSAGE:
        message = message[: MAX_MESSAGE - 1] + "…"
    return SchemaIssue(format_path(error.absolute_path), message)


def format_path(parts: Iterable[str | int]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _api_version_slug(api_version: str) -> str:
    # kubernetes-validate's naming: rbac.authorization.k8s.io/v1 → rbac-v1, apps/v1 → apps-v1
    return re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)


def _nested(data: Mapping[str, Any], *keys: str) -> Mapping[str, Any] | None:
    current: Any = data
    for key in keys:
        if not isinstance(current, Mapping):
            return None
        current = current.get(key)
    return current if isinstance(current, Mapping) else None


def _schema_root() -> Any:
    return resources.files("kubernetes_validate").joinpath("kubernetes-json-schema")


@functools.cache
def _read_schema(directory: str, filename: str) -> Mapping[str, Any] | None:
    path = _schema_root().joinpath(directory, filename)
    text = path.read_text(encoding="utf-8") if path.is_file() else _packed(directory).get(filename)
    if text is None:
        return None
    data: Mapping[str, Any] = json.loads(text)
    return data


@functools.cache
def _packed(directory: str) -> Mapping[str, str]:
    """file name → text of ``<directory>.json.xz``, the image's packed form of a folder."""
    packed = _schema_root().joinpath(directory + ".json.xz")
    if not packed.is_file():
        return {}
    import lzma  # noqa: PLC0415 - only the packed form needs it

    files: Mapping[str, str] = json.loads(lzma.decompress(packed.read_bytes()))
    return files


@functools.cache
def _registry(directory: str) -> Any:
    from referencing import Registry, Resource  # noqa: PLC0415 - heavy, on first use

    definitions = _read_schema(directory, "_definitions.json")
    return Registry().with_resource(_DEFINITIONS_ID, Resource.from_contents(definitions))


@functools.cache
def _bundled_kinds(directory: str) -> Mapping[str, frozenset[str]]:
    """kind (lower case) → the apiVersions it is served in, from the schemas' GVK lists."""
    all_schema = _read_schema(directory, "all.json") or {}
    kinds: dict[str, set[str]] = {}
    for ref in _refs(all_schema.get("oneOf", [])):
        definition = (_read_schema(directory, "_definitions.json") or {}).get("$defs", {}).get(ref)
        for gvk in (definition or {}).get("x-kubernetes-group-version-kind", []):
            api = f"{gvk['group']}/{gvk['version']}" if gvk.get("group") else gvk["version"]
            kinds.setdefault(str(gvk["kind"]).lower(), set()).add(api)
    return {kind: frozenset(apis) for kind, apis in kinds.items()}


def _refs(entries: Sequence[Any]) -> Iterator[str]:
    for entry in entries:
        if isinstance(entry, Mapping) and isinstance(entry.get("$ref"), str):
            yield entry["$ref"].rpartition("/")[2]


__all__ = [
    "SchemaIssue",
    "SchemaResult",
    "SchemaValidator",
    "bundled_versions",
    "crd_schemas",
    "openapi_to_jsonschema",
    "resolve_version",
]
