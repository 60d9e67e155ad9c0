"""Extract the GitHub REST operations release-pr uses from ``@octokit/openapi``.

The tests validate every mocked GitHub response (and request body) against these schemas, so the
mocks stay shaped like the real API. The npm package is never a product dependency: fetch it into
a scratch folder and point this script at it::

    mkdir -p bench/.scratch/openapi && cd bench/.scratch/openapi && npm pack @octokit/openapi
    python scripts/extract_openapi.py bench/.scratch/openapi/octokit-openapi-*.tgz \
        > tests/release_pr/data/github-openapi-subset.json

The output keeps, per operation id, the method, path, request-body schema and response schemas by
status, plus every ``#/components/schemas`` entry they reach. OpenAPI 3.0's ``nullable: true`` is
rewritten to a JSON Schema type union so that ``jsonschema`` can validate with Draft 2020-12.
"""

from __future__ import annotations

import argparse
import json
import sys
import tarfile
from pathlib import Path
from typing import Any

OPERATIONS = (
    "pulls/list",
    "pulls/get",
    "pulls/create",
    "pulls/update",
    "issues/add-labels",
    "issues/remove-label",
    "git/get-ref",
    "git/get-tag",
    "git/create-ref",
    "git/update-ref",
    "git/get-commit",
    "git/create-tree",
    "git/create-commit",
    "repos/get-content",
    "repos/list-pull-requests-associated-with-commit",
    "repos/create-release",
    "repos/get-release-by-tag",
    "repos/list-releases",
    "repos/generate-release-notes",
    # dora-push: deployments, workflow runs, comparisons, incident issues
    "repos/get",
    "repos/list-deployments",
    "repos/list-deployment-statuses",
    "actions/list-workflow-runs",
    "repos/compare-commits",
    "issues/list-for-repo",
    # dependency-group: superseded PRs are closed with a comment and their branch deleted; action
    # licences come from the repository's licence
    "issues/create-comment",
    "git/delete-ref",
    "licenses/get-for-repo",
)
MEMBER = "package/generated/api.github.com.json"


def load_description(source: Path) -> dict[str, Any]:
    if source.suffix in {".tgz", ".gz"}:
        with tarfile.open(source) as archive:
            member = archive.extractfile(MEMBER)
            if member is None:
                raise SystemExit(f"{source}: no {MEMBER} inside")
            data: dict[str, Any] = json.load(member)
            return data
    path = source / "generated" / "api.github.com.json" if source.is_dir() else source
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def resolve(doc: dict[str, Any], node: Any) -> Any:
    """Follow a ``$ref`` into ``components`` other than schemas (responses, requestBodies…)."""
    while isinstance(node, dict) and "$ref" in node and "/schemas/" not in node["$ref"]:
        target: Any = doc
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 schema → JSON Schema: ``nullable`` becomes a ``null`` type alternative."""
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {
        key: to_json_schema(value)
        for key, value in node.items()
        if key not in {"nullable", "example", "examples", "x-github"}
    }
    if node.get("nullable"):
        if "type" in out:
            kind = out["type"]
            out["type"] = [*kind, "null"] if isinstance(kind, list) else [kind, "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def schema_refs(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            schema_refs(value, found)
    elif isinstance(node, list):
        for value in node:
            schema_refs(value, found)


def extract(doc: dict[str, Any]) -> dict[str, Any]:
    by_id: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and "operationId" in op:
                by_id[op["operationId"]] = (method.upper(), path, op)
    operations: dict[str, Any] = {}
    for op_id in OPERATIONS:
        method, path, op = by_id[op_id]
        body = resolve(doc, op.get("requestBody"))
        request = None
        if isinstance(body, dict):
            request = body["content"]["application/json"]["schema"]
        responses: dict[str, Any] = {}
        for status, response in op["responses"].items():
            content = resolve(doc, response).get("content", {})
            media = content.get("application/json") or next(iter(content.values()), None)
            responses[status] = media.get("schema") if media else None
        operations[op_id] = {
            "method": method,
            "path": path,
            "request": to_json_schema(request),
            "responses": to_json_schema(responses),
        }
    needed: set[str] = set()
    schema_refs(operations, needed)
    schemas = doc["components"]["schemas"]
    pending = set(needed)
    while pending:
        name = pending.pop()
        more: set[str] = set()
        schema_refs(schemas[name], more)
        pending |= more - needed
        needed |= more
    return {
        "source": f"@octokit/openapi {doc['info'].get('version', '')} (api.github.com)",
        "operations": operations,
        "components": {"schemas": {name: to_json_schema(schemas[name]) for name in sorted(needed)}},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="npm tarball, package/ folder or JSON")
    args = parser.parse_args(argv)
    subset = extract(load_description(args.source))
    json.dump(subset, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
