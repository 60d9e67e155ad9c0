"""The fake GitHub's read-only activity endpoints (dora-push): deployments and their statuses,
workflow runs, comparisons (paginated like GitHub: 250 commits unpaginated, pages of
``per_page``), issues, and the repository. A subclass of :class:`github_api_fake.FakeGitHub`,
so every answer is validated against the OpenAPI subset and faults work the same way."""

from __future__ import annotations

import re
from typing import Any

from github_api_fake import API, FakeGitHub, fill

COMPARE_UNPAGINATED = 250


class ActivityFakeGitHub(FakeGitHub):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.history: list[dict[str, Any]] = []  # the default branch, oldest first
        self.deployments: list[dict[str, Any]] = []  # newest first, as GitHub lists them
        self.statuses: dict[int, list[dict[str, Any]]] = {}  # newest first
        self.runs: list[dict[str, Any]] = []  # newest first
        self.issues: list[dict[str, Any]] = []
        super().__init__(*args, **kwargs)
        self._register_activity()

    # --- state helpers ------------------------------------------------------------------------

    def add_commit(self, sha: str, message: str, authored: str, committed: str) -> None:
        self.history.append(
            {"sha": sha, "message": message, "authored": authored, "committed": committed}
        )

    def add_deployment(
        self,
        ident: int,
        sha: str,
        statuses: list[tuple[str, str]],
        *,
        environment: str = "production",
        ref: str = "main",
        description: str = "",
        created_at: str = "2026-01-01T00:00:00Z",
    ) -> None:
        """``statuses`` oldest first as (state, created_at)."""
        self.deployments.insert(
            0,
            {
                "id": ident,
                "sha": sha,
                "ref": ref,
                "environment": environment,
                "description": description,
                "created_at": created_at,
                "updated_at": created_at,
            },
        )
        self.statuses[ident] = [
            {"id": ident * 100 + n, "state": state, "created_at": at}
            for n, (state, at) in reversed(list(enumerate(statuses)))
        ]

    # --- handlers -----------------------------------------------------------------------------

    @staticmethod
    def _page(items: list[Any], query: dict[str, str]) -> list[Any]:
        per_page = int(query.get("per_page", 30))
        page = int(query.get("page", 1))
        return items[(page - 1) * per_page : page * per_page]

    def h_repo(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        owner, name = self.repository.split("/")
        data = {"name": name, "full_name": self.repository, "default_branch": "main"}
        data["owner"] = {"login": owner}
        return 200, fill(data, {"$ref": "#/components/schemas/full-repository"})

    def h_deployments(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        wanted = q.get("environment")
        found = [d for d in self.deployments if not wanted or d["environment"] == wanted]
        schema = {"$ref": "#/components/schemas/deployment"}
        return 200, [fill(d, schema) for d in self._page(found, q)]

    def h_statuses(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        found = self.statuses.get(int(m["deployment_id"]), [])
        schema = {"$ref": "#/components/schemas/deployment-status"}
        return 200, [fill(s, schema) for s in self._page(found, q)]

    @staticmethod
    def _created(day: str, query: str) -> bool:
        """GitHub's ``created`` filter: ``>=DATE`` or ``DATE..DATE`` (inclusive)."""
        if not query:
            return True
        if query.startswith(">="):
            return day >= query[2:]
        low, high = query.split("..")
        return low <= day <= high

    def h_runs(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        found = [
            r
            for r in self.runs
            if (not q.get("branch") or r["head_branch"] == q["branch"])
            and self._created(r["created_at"][:10], q.get("created", ""))
        ]
        schema = {"$ref": "#/components/schemas/workflow-run"}
        runs = [fill(r, schema) for r in self._page(found, q)]
        return 200, {"total_count": len(found), "workflow_runs": runs}

    def h_compare(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        shas = [c["sha"] for c in self.history]
        if m["base"] not in shas or m["head"] not in shas:
            return self._error(404, "Not Found")
        start, end = shas.index(m["base"]), shas.index(m["head"])
        between = self.history[start + 1 : end + 1]
        shown = self._page(between, q) if "per_page" in q else between[:COMPARE_UNPAGINATED]
        commits = [
            {
                "sha": c["sha"],
                "commit": {
                    "message": c["message"],
                    "author": {"name": "a", "email": "a@x", "date": c["authored"]},
                    "committer": {"name": "a", "email": "a@x", "date": c["committed"]},
                },
            }
            for c in shown
        ]
        data = {
            "status": "ahead",
            "ahead_by": len(between),
            "behind_by": 0,
            "total_commits": len(between),
            "commits": commits,
            "files": [],
        }
        return 200, fill(data, {"$ref": "#/components/schemas/commit-comparison"})

    def h_issues(self, q: dict[str, str], body: Any, m: dict[str, str]) -> tuple[int, Any]:
        labels = set(filter(None, q.get("labels", "").split(",")))
        state = q.get("state", "open")
        found = [
            i
            for i in self.issues
            if labels <= {label["name"] for label in i["labels"]}
            and (state == "all" or i["state"] == state)
        ]
        return 200, [fill(i, {"$ref": "#/components/schemas/issue"}) for i in self._page(found, q)]

    # --- wiring -------------------------------------------------------------------------------

    def _register_activity(self) -> None:
        handlers = {
            "repos/get": self.h_repo,
            "repos/list-deployments": self.h_deployments,
            "repos/list-deployment-statuses": self.h_statuses,
            "actions/list-workflow-runs": self.h_runs,
            "repos/compare-commits": self.h_compare,
            "issues/list-for-repo": self.h_issues,
        }
        from github_api_fake import _SUBSET  # noqa: PLC0415 - the parent's loaded subset

        for op_id, handler in handlers.items():
            spec = _SUBSET["operations"][op_id]
            template = spec["path"].replace("{owner}/{repo}", self.repository)
            pattern = re.sub(r"\{(\w+)\}", lambda g: f"(?P<{g[1]}>[^/?]+?)", template)
            pattern = pattern.replace("...", r"\.\.\.")
            regex = re.compile(re.escape(API) + r"(?::443)?" + pattern + r"(\?.*)?$")
            callback = self._callback(op_id, regex, handler)
            # first: "repos/get" must not shadow the longer paths, so it matches only exactly
            self.routes.insert(0, (spec["method"], regex, callback))
            if self.rsps is not None:
                self.rsps.add_callback(spec["method"], regex, callback=callback)
