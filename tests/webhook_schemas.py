"""GitHub's webhook payload schemas (npm ``@octokit/openapi-webhooks``), for event files in tests.

The package is fetched at test time only (``npm pack``, pinned version) into a cache folder, never
committed. :func:`event_payload` builds the smallest payload the schema accepts for a webhook
(``push``, ``pull-request-opened``, …), overlays the fields a test cares about, and validates the
result, so the event files the harness writes are shaped like GitHub's.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import tarfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PACKAGE = "@octokit/openapi-webhooks@12.1.0"
MEMBER = "package/generated/api.github.com.json"
CACHE = Path(
    os.environ.get("RELKIT_TEST_CACHE", Path(__file__).resolve().parents[1] / "build" / "cache")
)
BASE_URI = "urn:relkit:octokit-webhooks"

_FORMATS = {
    "uri": "https://github.com/octo/demo",
    "uri-template": "https://api.github.com/repos/octo/demo{/path}",
    "date-time": "2026-12-05T08:00:00Z",
    "email": "octocat@github.com",
    "date": "2026-12-05",
}


class Unavailable(Exception):
    """The schemas cannot be fetched here (no npm, no registry); the skip reason."""


def load_document(cache: Path = CACHE) -> dict[str, Any]:
    """The OpenAPI document with every webhook, from the cache or fetched with npm."""
    target = cache / "octokit-openapi-webhooks-12.1.0.json"
    if not target.is_file():
        npm = shutil.which("npm")
        if npm is None:
            raise Unavailable("npm is not installed: cannot fetch " + PACKAGE)
        cache.mkdir(parents=True, exist_ok=True)
        try:
            done = subprocess.run(
                [npm, "pack", PACKAGE, "--pack-destination", str(cache), "--silent"],
                capture_output=True,
                text=True,
                timeout=180,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise Unavailable(f"npm pack {PACKAGE} timed out: the registry is unreachable") from exc
        if done.returncode != 0:
            raise Unavailable(f"npm pack {PACKAGE} failed: {done.stderr.strip()[-300:]}")
        tarball = cache / done.stdout.strip().splitlines()[-1]
        with tarfile.open(tarball) as archive:
            member = archive.extractfile(MEMBER)
            if member is None:
                raise Unavailable(f"{PACKAGE} has no {MEMBER}")
            partial = target.with_suffix(".partial")
            partial.write_bytes(member.read())
            partial.replace(target)
        tarball.unlink()
    document: dict[str, Any] = json.loads(target.read_text(encoding="utf-8"))
    return document


def webhook_schema(document: Mapping[str, Any], webhook: str) -> dict[str, Any]:
    body = document["webhooks"][webhook]["post"]["requestBody"]
    schema: dict[str, Any] = body["content"]["application/json"]["schema"]
    return schema


def _resolve(document: Mapping[str, Any], schema: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in schema:
        node: Any = document
        for part in str(schema["$ref"]).removeprefix("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        schema = node
    return schema


def minimal_instance(  # noqa: PLR0911, PLR0912 - one case per JSON Schema keyword
    document: Mapping[str, Any], schema: Mapping[str, Any], depth: int = 0
) -> Any:
    """The smallest value ``schema`` accepts: required properties only, first choices."""
    schema = _resolve(document, schema)
    if depth > 40:
        raise ValueError("schema too deep")
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return next((v for v in schema["enum"] if v is not None), schema["enum"][0])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [o for o in schema[key] if _resolve(document, o).get("type") != "null"]
            return minimal_instance(document, (options or schema[key])[0], depth + 1)
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = minimal_instance(document, part, depth + 1)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        properties = schema.get("properties", {})
        return {
            name: minimal_instance(document, properties.get(name, {}), depth + 1)
            for name in schema.get("required", [])
        }
    if kind == "array":
        count = int(schema.get("minItems", 0))
        return [minimal_instance(document, schema.get("items", {}), depth + 1)] * count
    if kind == "string":
        return _FORMATS.get(str(schema.get("format", "")), "x" * int(schema.get("minLength", 1)))
    if kind in ("integer", "number"):
        return max(1, int(schema.get("minimum", 1)))
    if kind == "boolean":
        return False
    return None


def overlay(base: Any, changes: Any) -> Any:
    """``changes`` deep-merged into ``base`` (dicts merge, anything else replaces)."""
    if isinstance(base, dict) and isinstance(changes, Mapping):
        merged = dict(base)
        for key, value in changes.items():
            merged[key] = overlay(base.get(key), value) if key in base else copy.deepcopy(value)
        return merged
    return copy.deepcopy(changes)


def validate(document: Mapping[str, Any], webhook: str, payload: Any) -> list[str]:
    """Schema errors of ``payload`` as ``path: message`` lines (empty when valid)."""
    import jsonschema  # noqa: PLC0415 - heavy
    from referencing import Registry, Resource  # noqa: PLC0415
    from referencing.jsonschema import DRAFT202012  # noqa: PLC0415

    resource = Resource.from_contents(dict(document), default_specification=DRAFT202012)
    registry = Registry().with_resource(BASE_URI, resource)
    ref = webhook_schema(document, webhook)["$ref"]
    validator = jsonschema.Draft202012Validator({"$ref": BASE_URI + ref}, registry=registry)
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message[:200]}"
        for error in validator.iter_errors(payload)
    ]


def event_payload(
    document: Mapping[str, Any], webhook: str, changes: Mapping[str, Any]
) -> dict[str, Any]:
    """A payload for ``webhook`` with ``changes`` applied, checked against GitHub's schema."""
    payload = overlay(minimal_instance(document, webhook_schema(document, webhook)), changes)
    errors = validate(document, webhook, payload)
    if errors:
        raise AssertionError(f"{webhook} payload does not match GitHub's schema: {errors[:5]}")
    assert isinstance(payload, dict)
    return payload
