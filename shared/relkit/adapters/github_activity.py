"""GitHubClient's releases, comparisons, deployments, workflow runs and issues (a mixin)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from relkit.adapters.github_base import MISSING, ApiBase
from relkit.adapters.github_models import (
    ComparedCommit,
    Comparison,
    Deployment,
    DeploymentStatus,
    Issue,
    Release,
    WorkflowRun,
)


class ActivityApi(ApiBase):
    """Releases, and the read-only activity the metrics need."""

    # --- releases -----------------------------------------------------------------------------

    def get_release_by_tag(self, tag: str) -> Release | None:
        path = f"{self._repo_path}/releases/tags/{quote(tag, safe='')}"
        data = self.request("GET", path, missing_ok=True)
        return None if data is MISSING else Release.from_json(data)

    def list_releases(self, *, limit: int = 100) -> list[Release]:
        path = f"{self._repo_path}/releases"
        return [Release.from_json(d) for d in self._paginate(path, limit=limit)]

    def create_release(
        self,
        tag: str,
        *,
        name: str | None = None,
        body: str = "",
        target: str | None = None,
        draft: bool = False,
        prerelease: bool = False,
        make_latest: bool | None = None,
    ) -> Release:
        payload: dict[str, Any] = {
            "tag_name": tag,
            "name": name if name is not None else tag,
            "body": body,
            "draft": draft,
            "prerelease": prerelease,
        }
        if target:
            payload["target_commitish"] = target
        if make_latest is not None:
            payload["make_latest"] = "true" if make_latest else "false"
        return Release.from_json(self.request("POST", f"{self._repo_path}/releases", body=payload))

    def generate_release_notes(
        self, tag: str, *, target: str | None = None, previous_tag: str | None = None
    ) -> str:
        """The notes GitHub writes for ``tag`` (pull requests merged since ``previous_tag``).

        Needs ``contents: write`` although it changes nothing.
        """
        payload: dict[str, Any] = {"tag_name": tag}
        if target:
            payload["target_commitish"] = target
        if previous_tag:
            payload["previous_tag_name"] = previous_tag
        data = self.request("POST", f"{self._repo_path}/releases/generate-notes", body=payload)
        return str(data.get("body") or "")

    # --- commits ------------------------------------------------------------------------------

    def compare(self, base: str, head: str) -> Comparison:
        spec = f"{quote(base, safe='')}...{quote(head, safe='')}"
        data = self.request("GET", f"{self._repo_path}/compare/{spec}")
        return Comparison(
            status=str(data.get("status") or ""),
            ahead_by=int(data.get("ahead_by") or 0),
            behind_by=int(data.get("behind_by") or 0),
            merge_base_sha=str((data.get("merge_base_commit") or {}).get("sha") or ""),
            commits=tuple(str(c["sha"]) for c in data.get("commits") or ()),
            files=tuple(str(f["filename"]) for f in data.get("files") or ()),
        )

    def list_compare_commits(
        self, base: str, head: str, *, limit: int = 100_000
    ) -> list[ComparedCommit]:
        """Every commit of ``base...head``, oldest first, page by page (one comparison lists at
        most 250 commits; pages of 100 go past that)."""
        spec = f"{quote(base, safe='')}...{quote(head, safe='')}"
        found: list[ComparedCommit] = []
        page = 1
        while len(found) < limit:
            data = self.request(
                "GET", f"{self._repo_path}/compare/{spec}", params={"per_page": 100, "page": page}
            )
            commits = data.get("commits") or []
            for c in commits:
                details = c.get("commit") or {}
                found.append(
                    ComparedCommit(
                        sha=str(c["sha"]),
                        message=str(details.get("message") or ""),
                        authored_at=str((details.get("author") or {}).get("date") or ""),
                        committed_at=str((details.get("committer") or {}).get("date") or ""),
                    )
                )
            total = int(data.get("total_commits") or 0)
            if len(commits) < 100 or len(found) >= total:
                break
            page += 1
        return found[:limit]

    # --- deployments, workflow runs, issues (read-only, for metrics) --------------------------

    def list_deployments(
        self, *, environment: str | None = None, limit: int = 1000
    ) -> list[Deployment]:
        """Deployments, newest first."""
        params = {"environment": environment} if environment else {}
        return [
            Deployment(
                id=int(d["id"]),
                sha=str(d.get("sha") or ""),
                ref=str(d.get("ref") or ""),
                environment=str(d.get("environment") or ""),
                created_at=str(d.get("created_at") or ""),
                description=str(d.get("description") or ""),
            )
            for d in self._paginate(f"{self._repo_path}/deployments", params, limit=limit)
        ]

    def list_deployment_statuses(self, deployment_id: int) -> list[DeploymentStatus]:
        """Statuses of one deployment, newest first."""
        path = f"{self._repo_path}/deployments/{int(deployment_id)}/statuses"
        return [
            DeploymentStatus(str(d.get("state") or ""), str(d.get("created_at") or ""))
            for d in self._paginate(path, limit=100)
        ]

    def list_workflow_runs(
        self,
        workflow: str,
        *,
        branch: str | None = None,
        status: str | None = None,
        created: str | None = None,
        limit: int = 1000,
    ) -> list[WorkflowRun]:
        """Runs of one workflow (file name like ``deploy.yml`` or id), newest first; ``created``
        is GitHub's date filter (``>=2024-01-01``)."""
        fields = {"branch": branch, "status": status, "created": created}
        params = {key: value for key, value in fields.items() if value}
        path = f"{self._repo_path}/actions/workflows/{quote(workflow, safe='')}/runs"
        return [
            WorkflowRun(
                id=int(d["id"]),
                name=str(d.get("name") or ""),
                head_sha=str(d.get("head_sha") or ""),
                head_branch=str(d.get("head_branch") or ""),
                event=str(d.get("event") or ""),
                status=str(d.get("status") or ""),
                conclusion=d.get("conclusion"),
                created_at=str(d.get("created_at") or ""),
                updated_at=str(d.get("updated_at") or ""),
                html_url=str(d.get("html_url") or ""),
            )
            for d in self._paginate(path, params, limit=limit)
        ]

    def list_issues(
        self,
        *,
        labels: Sequence[str] = (),
        state: str = "all",
        since: str | None = None,
        limit: int = 1000,
    ) -> list[Issue]:
        """Issues (pull requests left out), newest first; ``since`` is ISO 8601."""
        params: dict[str, Any] = {"state": state}
        if labels:
            params["labels"] = ",".join(labels)
        if since:
            params["since"] = since
        issues = []
        for d in self._paginate(f"{self._repo_path}/issues", params, limit=limit):
            if "pull_request" in d:
                continue
            issues.append(
                Issue(
                    number=int(d["number"]),
                    title=str(d.get("title") or ""),
                    body=str(d.get("body") or ""),
                    state=str(d.get("state") or ""),
                    labels=tuple(str(label["name"]) for label in d.get("labels") or ()),
                    created_at=str(d.get("created_at") or ""),
                    closed_at=d.get("closed_at"),
                )
            )
        return issues
