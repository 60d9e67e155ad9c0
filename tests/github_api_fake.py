"""An in-memory GitHub REST API behind ``responses``, validated against GitHub's OpenAPI.

Every request body and every response body is checked with ``jsonschema`` against the operation's
schema in ``tests/release_pr/data/github-openapi-subset.json`` (extracted from ``@octokit/openapi``
by ``scripts/extract_openapi.py``), so the mocks stay shaped like the real API. Responses are
built from partial objects: :func:`fill` adds every required property the schema asks for.

Faults are queued per operation id: ``fake.fault("repos/create-release", status=502)``,
``fake.fault(op, status=429, headers={"Retry-After": "3"})``, ``fake.fault(op, timeout=True)``
and ``fake.fault(op, timeout=True, apply=True)`` (the change happens, the answer is lost).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.server
import itertools
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import jsonschema
import requests
import responses

SUBSET = Path(__file__).resolve().parent / "release_pr" / "data" / "github-openapi-subset.json"
API = "https://api.github.test"
BODY_LIMIT = 65536


def load_subset() -> dict[str, Any]:
    return json.loads(SUBSET.read_text(encoding="utf-8"))


_SUBSET = load_subset()
_COMPONENTS = _SUBSET["components"]


def _validator(schema: Any) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator({**schema, "components": _COMPONENTS})


def validate_response(op_id: str, status: int, body: Any) -> None:
    schema = _SUBSET["operations"][op_id]["responses"].get(str(status))
    if schema is not None:
        _validator(schema).validate(body)


def validate_request(op_id: str, body: Any) -> None:
    schema = _SUBSET["operations"][op_id]["request"]
    if schema is not None:
        _validator(schema).validate(body)


def _deref(schema: Any) -> Any:
    while isinstance(schema, dict) and "$ref" in schema:
        schema = _COMPONENTS["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _types(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type", [])
    return kind if isinstance(kind, list) else [kind]


def default_for(schema: Any) -> Any:  # noqa: PLR0911 - one return per JSON type
    schema = _deref(schema)
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if alternatives:
        if any(_deref(alt).get("type") == "null" for alt in alternatives):
            return None
        return default_for(alternatives[0])
    if "allOf" in schema:
        return fill({}, schema)
    types = _types(schema)
    if "null" in types:
        return None
    if "enum" in schema:
        return schema["enum"][0]
    kind = types[0] if types else "object"
    if kind == "string":
        return "2026-01-01T00:00:00Z" if schema.get("format") == "date-time" else "x"
    if kind in {"integer", "number"}:
        return 1
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    return fill({}, schema)


def fill(value: Any, schema: Any) -> Any:  # noqa: PLR0911 - one case per keyword
    """``value`` plus defaults for every required property the schema wants, recursively."""
    schema = _deref(schema)
    if value is None:
        return None
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if alternatives:
        for option in alternatives:
            alt = _deref(option)
            kinds = _types(alt) or ["object"]
            if isinstance(value, dict) and "object" in kinds and "null" not in kinds:
                return fill(value, alt)
        return value
    if "allOf" in schema:
        for part in schema["allOf"]:
            value = fill(value, part)
        return value
    if isinstance(value, list):
        items = schema.get("items", {})
        return [fill(item, items) for item in value]
    if not isinstance(value, dict):
        return value
    out = dict(value)
    props = schema.get("properties", {})
    for name in schema.get("required", []):
        if name not in out:
            out[name] = default_for(props.get(name, {}))
    for name, item in list(out.items()):
        if name in props and isinstance(item, dict | list):
            out[name] = fill(item, props[name])
    return out


def blob_sha(text: str) -> str:
    data = text.encode()
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


@dataclass
class Fault:
    op: str
    status: int = 502
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    timeout: bool = False
    apply: bool = False  # run the handler first (the change happens), then fail
    times: int = 1


@dataclass
class Call:
    op: str
    method: str
    path: str
    body: Any
    status: int


# operations answered for any repository, not only this one (an action's licence)
_ANY_REPOSITORY = frozenset({"licenses/get-for-repo"})


class FakeGitHub:
    """One repository ``owner/repo`` with refs, commits, trees, pulls, labels and releases."""

    def __init__(
        self, rsps: responses.RequestsMock | None = None, repository: str = "octo/demo"
    ) -> None:
        self.rsps = rsps
        self.routes: list[tuple[str, re.Pattern[str], Any]] = []
        self.repository = repository
        self.owner = repository.split("/", maxsplit=1)[0]
        self.trees: dict[str, dict[str, str]] = {}
        self.commits: dict[str, dict[str, Any]] = {}
        self.refs: dict[str, str] = {}
        self.pulls: dict[int, dict[str, Any]] = {}
        self.releases: list[dict[str, Any]] = []
        self.generated_notes: list[dict[str, Any]] = []  # generate-notes request bodies
        self.proxied: list[str] = []  # requests the loopback server got as a proxy
        self.tag_objects: dict[str, str] = {}  # annotated tag object sha → commit sha
        self.calls: list[Call] = []
        self.faults: list[Fault] = []
        self.comments: list[tuple[int, str]] = []  # (issue number, body)
        self.licenses: dict[str, str] = {}  # "owner/repo" → SPDX id (licenses/get-for-repo)
        self.automerge: dict[int, str] = {}  # PR number → merge method (GraphQL)
        self._ids = itertools.count(1)
        self._register()

    # --- state helpers ------------------------------------------------------------------------

    def tree(self, files: dict[str, str]) -> str:
        sha = hashlib.sha1(json.dumps(files, sort_keys=True).encode()).hexdigest()  # noqa: S324
        self.trees[sha] = dict(files)
        return sha

    def commit(
        self, files: dict[str, str], parents: list[str], message: str = "c", sha: str = ""
    ) -> str:
        tree = self.tree(files)
        seed = f"{tree}{parents}{message}{next(self._ids)}".encode()
        sha = sha or hashlib.sha1(seed).hexdigest()  # noqa: S324
        self.commits[sha] = {"tree": tree, "parents": parents, "message": message}
        return sha

    def push(self, branch: str, files: dict[str, str], message: str = "feat: change") -> str:
        parent = self.refs.get(f"refs/heads/{branch}")
        sha = self.commit(files, [parent] if parent else [], message)
        self.refs[f"refs/heads/{branch}"] = sha
        return sha

    def files_at(self, ref: str) -> dict[str, str]:
        sha = self.refs.get(f"refs/heads/{ref}") or self.refs.get(f"refs/tags/{ref}") or ref
        return self.trees[self.commits[sha]["tree"]]

    def merge(self, number: int, sha: str = "") -> str:
        """Merge a PR (merge commit on the base), as the GitHub button does; ``sha`` names the
        merge commit (the local checkout's commit in end-to-end tests)."""
        pull = self.pulls[number]
        files = self.files_at(pull["head"])
        base = self.refs[f"refs/heads/{pull['base']}"]
        message = f"Merge pull request #{number}"
        sha = self.commit(files, [base, pull["head_sha"]], message, sha)
        self.refs[f"refs/heads/{pull['base']}"] = sha
        pull.update(state="closed", merged_at="2026-01-02T00:00:00Z", merge_commit_sha=sha)
        return sha

    def fault(self, op: str, **kwargs: Any) -> None:
        self.faults.append(Fault(op, **kwargs))

    def writes(self, op: str | None = None) -> list[Call]:
        return [
            c
            for c in self.calls
            if c.method != "GET" and (op is None or c.op == op) and c.status < 300
        ]

    # --- JSON shapes ----------------------------------------------------------------------------

    def _pull_json(self, pull: dict[str, Any], schema: str) -> dict[str, Any]:
        number = pull["number"]
        data = {
            "number": number,
            "id": 1000 + number,
            "node_id": f"PR_node_{number}",
            "auto_merge": pull.get("auto_merge"),
            "title": pull["title"],
            "body": pull["body"],
            "state": pull["state"],
            "draft": pull.get("draft", False),
            "labels": [{"name": name, "id": 1, "description": ""} for name in pull["labels"]],
            "html_url": f"https://github.test/{self.repository}/pull/{number}",
            "merged_at": pull.get("merged_at"),
            "merge_commit_sha": pull.get("merge_commit_sha"),
            "head": {"ref": pull["head"], "sha": pull["head_sha"], "label": pull["head"]},
            "base": {"ref": pull["base"], "sha": self.refs.get(f"refs/heads/{pull['base']}", "")},
        }
        return fill(data, {"$ref": f"#/components/schemas/{schema}"})

    def _release_json(self, rel: dict[str, Any]) -> dict[str, Any]:
        rid = rel["id"]
        data = {
            **rel,
            "html_url": f"https://github.test/{self.repository}/releases/tag/{rel['tag_name']}",
            "upload_url": f"https://uploads.github.test/repos/{self.repository}/releases/{rid}"
            "/assets{?name,label}",
        }
        return fill(data, {"$ref": "#/components/schemas/release"})

    def annotated_tag(self, name: str, commit_sha: str) -> str:
        """An annotated tag (``git tag -a``): the ref points at a tag object."""
        sha = hashlib.sha1(f"tag {name} {commit_sha}".encode()).hexdigest()  # noqa: S324
        self.tag_objects[sha] = commit_sha
        self.refs[f"refs/tags/{name}"] = sha
        return sha

    def _ref_json(self, ref: str) -> dict[str, Any]:
        sha = self.refs[ref]
        kind = "tag" if sha in self.tag_objects else "commit"
        return fill(
            {"ref": ref, "object": {"type": kind, "sha": sha, "url": "x"}},
            {"$ref": "#/components/schemas/git-ref"},
        )

    def h_get_tag(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        commit = self.tag_objects.get(m["tag_sha"])
        if commit is None:
            return self._error(404, "Not Found")
        data = {
            "sha": m["tag_sha"],
            "tag": "t",
            "message": "annotated",
            "object": {"type": "commit", "sha": commit, "url": "x"},
            "tagger": {"name": "n", "email": "e", "date": "2026-01-01T00:00:00Z"},
        }
        return 200, fill(data, {"$ref": "#/components/schemas/git-tag"})

    def _commit_json(self, sha: str) -> dict[str, Any]:
        commit = self.commits[sha]
        data = {
            "sha": sha,
            "message": commit["message"],
            "tree": {"sha": commit["tree"], "url": "x"},
            "parents": [{"sha": p, "url": "x", "html_url": "x"} for p in commit["parents"]],
        }
        return fill(data, {"$ref": "#/components/schemas/git-commit"})

    # --- handlers: (status, body) -----------------------------------------------------------------

    def _error(self, status: int, message: str, errors: list[Any] | None = None) -> tuple[int, Any]:
        body: dict[str, Any] = {"message": message, "documentation_url": "https://docs.github.com"}
        if errors is not None:
            body["errors"] = errors
        return status, body

    def h_pulls_list(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        found = []
        for pull in sorted(self.pulls.values(), key=lambda p: -p["number"]):
            state = q.get("state", "open")
            if state != "all" and pull["state"] != state:
                continue
            if "head" in q and q["head"] != f"{self.owner}:{pull['head']}":
                continue
            if "base" in q and q["base"] != pull["base"]:
                continue
            found.append(self._pull_json(pull, "pull-request-simple"))
        return 200, found

    def h_pulls_get(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        pull = self.pulls.get(int(m["pull_number"]))
        if pull is None:
            return self._error(404, "Not Found")
        return 200, self._pull_json(pull, "pull-request")

    def _body_too_long(self, body: Any) -> tuple[int, Any] | None:
        """GitHub refuses PR bodies over 65,536 characters (JavaScript length)."""
        text = body.get("body") or ""
        if len(text.encode("utf-16-le")) // 2 <= BODY_LIMIT:
            return None
        message = f"body is too long (maximum is {BODY_LIMIT} characters)"
        return self._error(
            422,
            "Validation Failed",
            [{"resource": "Issue", "field": "body", "code": "custom", "message": message}],
        )

    def h_pulls_create(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        if too_long := self._body_too_long(body):
            return too_long
        for pull in self.pulls.values():
            if pull["head"] == body["head"] and pull["state"] == "open":
                message = f"A pull request already exists for {self.owner}:{body['head']}."
                return self._error(
                    422,
                    "Validation Failed",
                    [{"resource": "PullRequest", "code": "custom", "message": message}],
                )
        head_sha = self.refs.get(f"refs/heads/{body['head']}")
        if head_sha is None:
            return self._error(
                422,
                "Validation Failed",
                [{"resource": "PullRequest", "field": "head", "code": "invalid"}],
            )
        number = next(self._ids) + 100
        self.pulls[number] = {
            "number": number,
            "title": body["title"],
            "body": body.get("body", ""),
            "head": body["head"],
            "base": body["base"],
            "head_sha": head_sha,
            "labels": [],
            "state": "open",
            "draft": bool(body.get("draft", False)),
        }
        return 201, self._pull_json(self.pulls[number], "pull-request")

    def h_pulls_update(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        if too_long := self._body_too_long(body):
            return too_long
        pull = self.pulls[int(m["pull_number"])]
        pull.update({k: v for k, v in body.items() if k in {"title", "body", "state"}})
        return 200, self._pull_json(pull, "pull-request")

    def h_add_labels(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        pull = self.pulls[int(m["issue_number"])]
        for name in body["labels"]:
            if name not in pull["labels"]:
                pull["labels"].append(name)
        return 200, [
            fill({"name": n}, {"$ref": "#/components/schemas/label"}) for n in pull["labels"]
        ]

    def h_remove_label(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        pull = self.pulls[int(m["issue_number"])]
        name = m["name"]
        if name not in pull["labels"]:
            return self._error(404, "Label does not exist")
        pull["labels"].remove(name)
        return 200, [
            fill({"name": n}, {"$ref": "#/components/schemas/label"}) for n in pull["labels"]
        ]

    def h_get_ref(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        ref = "refs/" + m["ref"]
        if ref not in self.refs:
            return self._error(404, "Not Found")
        return 200, self._ref_json(ref)

    def h_create_ref(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        if body["ref"] in self.refs:
            return self._error(422, "Reference already exists")
        if body["sha"] not in self.commits:
            return self._error(422, "Object does not exist")
        self.refs[body["ref"]] = body["sha"]
        return 201, self._ref_json(body["ref"])

    def h_update_ref(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        ref = "refs/" + m["ref"]
        if ref not in self.refs:
            return self._error(422, "Reference does not exist")
        if not body.get("force") and self.refs[ref] not in self.commits[body["sha"]]["parents"]:
            return self._error(422, "Update is not a fast forward")
        self.refs[ref] = body["sha"]
        return 200, self._ref_json(ref)

    def h_get_commit(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        if m["commit_sha"] not in self.commits:
            return self._error(404, "Not Found")
        return 200, self._commit_json(m["commit_sha"])

    def h_create_tree(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        files = dict(self.trees[body["base_tree"]]) if body.get("base_tree") else {}
        for entry in body["tree"]:
            files[entry["path"]] = entry["content"]
        sha = self.tree(files)
        return 201, fill(
            {"sha": sha, "tree": [], "truncated": False}, {"$ref": "#/components/schemas/git-tree"}
        )

    def h_create_commit(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        sha = self.commit(self.trees[body["tree"]], body["parents"], body["message"])
        return 201, self._commit_json(sha)

    def h_get_content(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        ref = q.get("ref", "main")
        if not any(k in self.refs for k in (f"refs/heads/{ref}", f"refs/tags/{ref}")) and (
            ref not in self.commits
        ):
            return self._error(404, f"No commit found for the ref {ref}")
        files = self.files_at(ref)
        path = m["path"]
        if path not in files:
            return self._error(404, "Not Found")
        text = files[path]
        data = {
            "type": "file",
            "encoding": "base64",
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "sha": blob_sha(text),
            "size": len(text.encode()),
            "content": base64.b64encode(text.encode()).decode(),
            "_links": {"self": "x", "git": "x", "html": "x"},
        }
        return 200, fill(data, {"$ref": "#/components/schemas/content-file"})

    def h_commit_pulls(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        sha = m["commit_sha"]
        found = [
            self._pull_json(p, "pull-request-simple")
            for p in self.pulls.values()
            if sha in {p.get("merge_commit_sha"), p["head_sha"]}
        ]
        return 200, found

    def h_create_release(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        if any(rel["tag_name"] == body["tag_name"] for rel in self.releases):
            return self._error(
                422,
                "Validation Failed",
                [{"resource": "Release", "code": "already_exists", "field": "tag_name"}],
            )
        tag_ref = f"refs/tags/{body['tag_name']}"
        if tag_ref not in self.refs and not body.get("draft"):
            self.refs[tag_ref] = body["target_commitish"]
        rel = {
            "id": next(self._ids),
            "tag_name": body["tag_name"],
            "target_commitish": body.get("target_commitish", "main"),
            "name": body.get("name"),
            "body": body.get("body"),
            "draft": bool(body.get("draft")),
            "prerelease": bool(body.get("prerelease")),
        }
        self.releases.append(rel)
        return 201, self._release_json(rel)

    def h_release_by_tag(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        for rel in self.releases:
            if rel["tag_name"] == m["tag"] and not rel["draft"]:
                return 200, self._release_json(rel)
        return self._error(404, "Not Found")

    def h_list_releases(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        return 200, [self._release_json(rel) for rel in reversed(self.releases)]

    def h_generate_notes(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        """GitHub's shape: the merged pull requests' titles, then the compare link."""
        self.generated_notes.append(dict(body))
        pulls = "".join(
            f"* {p['title']} by @octocat in https://github.test/{self.repository}/pull/{n}\n"
            for n, p in self.pulls.items()
            if p.get("merged_at")
        )
        since = body.get("previous_tag_name") or "HEAD"
        text = (
            f"## What's Changed\n{pulls}\n**Full Changelog**: "
            f"https://github.test/{self.repository}/compare/{since}...{body['tag_name']}"
        )
        return 200, {"name": body["tag_name"], "body": text}

    def h_create_comment(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        number = int(m["issue_number"])
        if number not in self.pulls:
            return self._error(404, "Not Found")
        self.comments.append((number, body["body"]))
        data = {"id": next(self._ids), "body": body["body"], "html_url": "https://github.test/c"}
        return 201, fill(data, {"$ref": "#/components/schemas/issue-comment"})

    def h_delete_ref(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        ref = "refs/" + m["ref"]
        if ref not in self.refs:
            return self._error(422, "Reference does not exist")
        del self.refs[ref]
        return 204, None

    def h_license(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        spdx = self.licenses.get(f"{m['owner']}/{m['repo']}")
        if spdx is None:
            return self._error(404, "Not Found")
        data = {"license": {"key": spdx.lower(), "name": spdx, "spdx_id": spdx}}
        return 200, fill(data, {"$ref": "#/components/schemas/license-content"})

    def h_graphql(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        """GraphQL: only ``enablePullRequestAutoMerge`` (faults queued as op ``graphql``)."""
        body = json.loads(request.body or b"{}")
        url = urlsplit(request.url or "")
        fault = next((f for f in self.faults if f.op == "graphql" and f.times > 0), None)
        if fault is not None:
            fault.times -= 1
            self.calls.append(Call("graphql", "POST", url.path, body, 599))
            if fault.timeout:
                raise requests.exceptions.ReadTimeout("read timed out (graphql)")
            return fault.status, fault.headers, json.dumps(fault.body or {"message": "fault"})
        self.calls.append(Call("graphql", "POST", url.path, body, 200))
        query, variables = body.get("query", ""), body.get("variables") or {}
        if "enablePullRequestAutoMerge" not in query:
            return 200, {}, json.dumps({"errors": [{"message": "unsupported query"}]})
        number = int(str(variables.get("id", "")).removeprefix("PR_node_") or 0)
        if number not in self.pulls:
            message = f"Could not resolve to a node with the global id of '{variables.get('id')}'"
            return 200, {}, json.dumps({"errors": [{"message": message}]})
        self.automerge[number] = str(variables.get("method"))
        self.pulls[number]["auto_merge"] = {
            "enabled_by": fill({"login": "relkit"}, {"$ref": "#/components/schemas/simple-user"}),
            "merge_method": str(variables.get("method")).lower(),
            "commit_title": "",
            "commit_message": "",
        }
        data = {"enablePullRequestAutoMerge": {"pullRequest": {"number": number}}}
        return 200, {"Content-Type": "application/json"}, json.dumps({"data": data})

    # --- wiring ---------------------------------------------------------------------------------

    def _register(self) -> None:
        handlers = {
            "pulls/list": self.h_pulls_list,
            "pulls/get": self.h_pulls_get,
            "pulls/create": self.h_pulls_create,
            "pulls/update": self.h_pulls_update,
            "issues/add-labels": self.h_add_labels,
            "issues/remove-label": self.h_remove_label,
            "git/get-ref": self.h_get_ref,
            "git/get-tag": self.h_get_tag,
            "git/create-ref": self.h_create_ref,
            "git/update-ref": self.h_update_ref,
            "git/get-commit": self.h_get_commit,
            "git/create-tree": self.h_create_tree,
            "git/create-commit": self.h_create_commit,
            "repos/get-content": self.h_get_content,
            "repos/list-pull-requests-associated-with-commit": self.h_commit_pulls,
            "repos/create-release": self.h_create_release,
            "repos/get-release-by-tag": self.h_release_by_tag,
            "repos/list-releases": self.h_list_releases,
            "repos/generate-release-notes": self.h_generate_notes,
            "issues/create-comment": self.h_create_comment,
            "git/delete-ref": self.h_delete_ref,
            "licenses/get-for-repo": self.h_license,
        }
        for op_id, handler in handlers.items():
            spec = _SUBSET["operations"][op_id]
            template = spec["path"].replace("{owner}/{repo}", self.repository)
            if op_id in _ANY_REPOSITORY:
                template = spec["path"]
            pattern = re.sub(
                r"\{(\w+)\}",
                lambda g: f"(?P<{g[1]}>.+)" if g[1] in {"ref", "path"} else f"(?P<{g[1]}>[^/?]+)",
                template,
            )
            regex = re.compile(re.escape(API) + r"(?::443)?" + pattern + r"(\?.*)?$")
            callback = self._callback(op_id, regex, handler)
            self.routes.append((spec["method"], regex, callback))
            if self.rsps is not None:
                self.rsps.add_callback(spec["method"], regex, callback=callback)
        graphql = re.compile(re.escape(API) + r"(?::443)?/graphql$")
        self.routes.append(("POST", graphql, self.h_graphql))
        if self.rsps is not None:
            self.rsps.add_callback("POST", graphql, callback=self.h_graphql)

    def _callback(self, op_id: str, regex: re.Pattern[str], handler: Any) -> Any:
        def respond(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
            url = urlsplit(request.url or "")
            match = regex.match(f"{url.scheme}://{url.netloc}{url.path}")
            assert match is not None
            params = {k: unquote(v) for k, v in match.groupdict().items() if v is not None}
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            body = json.loads(request.body) if request.body else None
            if body is not None:
                validate_request(op_id, body)
            fault = next((f for f in self.faults if f.op == op_id and f.times > 0), None)
            if fault is not None:
                fault.times -= 1
                if fault.apply:
                    handler(query, body, params)
                self.calls.append(Call(op_id, request.method or "", url.path, body, 599))
                if fault.timeout:
                    raise requests.exceptions.ReadTimeout(f"read timed out ({op_id})")
                return fault.status, fault.headers, json.dumps(fault.body or {"message": "fault"})
            status, payload = handler(query, body, params)
            validate_response(op_id, status, payload)
            self.calls.append(Call(op_id, request.method or "", url.path, body, status))
            return status, {"Content-Type": "application/json"}, json.dumps(payload)

        return respond


class _LoopbackHandler(http.server.BaseHTTPRequestHandler):
    fake: FakeGitHub

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        target = self.path
        if target.startswith(("http://", "https://")):  # absolute form: we are its proxy
            parts = urlsplit(target)
            self.fake.proxied.append(f"{self.command} {parts.netloc}{parts.path}")
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        url = API + target
        path_only = url.split("?", 1)[0]
        for method, regex, callback in self.fake.routes:
            if method == self.command and regex.match(path_only):
                request = requests.Request(
                    self.command, url, data=body, headers=dict(self.headers)
                ).prepare()
                try:
                    status, headers, text = callback(request)
                except requests.exceptions.RequestException:
                    self.close_connection = True  # the answer is lost
                    return
                self._reply(status, headers, text)
                return
        self._reply(404, {}, json.dumps({"message": f"no fake route for {self.command} {url}"}))

    def _reply(self, status: int, headers: dict[str, str], text: str) -> None:
        data = text.encode()
        self.send_response(status)
        for key, value in {"Content-Type": "application/json", **headers}.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _serve


@contextlib.contextmanager
def serve(fake: FakeGitHub) -> Iterator[str]:
    """Serve ``fake`` on a loopback port (for subprocesses); yields the API base URL."""
    handler = type("Handler", (_LoopbackHandler,), {"fake": fake})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
