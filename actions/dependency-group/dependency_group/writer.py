"""Writing the plan to GitHub (I/O): one branch + pull request per group.

Each branch is rebuilt from the base branch's head on every run (a commit through the git data
API with the files edited in place), its pull request created or updated in place (body: the
update table), pull requests of ours whose branch has no pending update any more are closed with
a comment and their branch deleted, and auto-merge is enabled through GraphQL
(``enablePullRequestAutoMerge``) only when every update on the branch allows it. Re-runs converge:
an existing pull request is found by its head branch before one is created.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from relkit.adapters.github import MISSING, GitHubApiError, GitHubClient, PullRequest
from relkit.errors import ExternalError

from dependency_group import report
from dependency_group.edits import EditConflict, apply_updates
from dependency_group.model import Update
from dependency_group.plan import Branch

log = logging.getLogger(__name__)

AUTOMERGE = """mutation($id: ID!, $method: PullRequestMergeMethod!) {
  enablePullRequestAutoMerge(input: {pullRequestId: $id, mergeMethod: $method}) {
    pullRequest { number autoMergeRequest { enabledAt } }
  }
}"""


@dataclass
class Writer:
    client: GitHubClient
    base: str
    root: Path

    @classmethod
    def from_env(cls, token: str, env: Mapping[str, str], *, base: str, root: Path) -> Writer:
        return cls(GitHubClient.from_env(token, env), base, root)

    def repo_license(self, repository: str) -> str | None:
        """The SPDX id GitHub detected for a repository's licence (None when unknown)."""
        try:
            data = self.client.request("GET", f"/repos/{repository}/license", missing_ok=True)
        except GitHubApiError as exc:
            log.debug("licence of %s: %s", repository, exc)
            return None
        if data is MISSING or not isinstance(data, dict):
            return None
        spdx = str((data.get("license") or {}).get("spdx_id") or "")
        return spdx if spdx and spdx != "NOASSERTION" else None

    def _graphql(self, query: str, variables: Mapping[str, Any]) -> Any:
        api = self.client.api_url
        path = api[: -len("/v3")] + "/graphql" if api.endswith("/api/v3") else "/graphql"
        answer = self.client.request("POST", path, body={"query": query, "variables": variables})
        if isinstance(answer, dict) and answer.get("errors"):
            messages = "; ".join(str(e.get("message")) for e in answer["errors"])
            raise ExternalError(f"GitHub GraphQL: {messages}")
        return answer

    def _enable_automerge(self, number: int) -> None:
        """``enablePullRequestAutoMerge`` unless the pull request already has auto-merge on."""
        data = self.client.request("GET", f"/repos/{self.client.repository}/pulls/{number}")
        if not data.get("auto_merge"):
            self._graphql(AUTOMERGE, {"id": data["node_id"], "method": "SQUASH"})

    def _files(self, updates: Sequence[Update]) -> dict[str, str]:
        by_file: dict[str, list[Update]] = defaultdict(list)
        for update in updates:
            by_file[update.dependency.file].append(update)
        files: dict[str, str] = {}
        for name, items in sorted(by_file.items()):
            content = (self.root / name).read_text(encoding="utf-8")
            try:
                files[name] = apply_updates(content, items)
            except EditConflict as exc:
                raise ExternalError(f"{exc}: the workspace changed during the run") from None
        return files

    def _up_to_date(self, branch: str, base_sha: str, files: Mapping[str, str]) -> bool:
        """The branch is one commit on ``base_sha`` that already holds ``files``."""
        ref = self.client.get_ref(f"heads/{branch}")
        if ref is None or self.client.get_commit(ref.sha).parents != (base_sha,):
            return False
        for path, content in files.items():
            found = self.client.get_file(path, branch)
            if found is None or found.content != content.encode("utf-8"):
                return False
        return True

    def write(self, branches: Sequence[Branch], prefix: str) -> list[dict[str, object]]:
        base = self.base or self.client.default_branch()
        ref = self.client.get_ref(f"heads/{base}")
        if ref is None:
            raise ExternalError(f"the base branch {base!r} does not exist on GitHub")
        ours = {
            pull.head_ref: pull
            for pull in self.client.list_pulls(state="open", base=base)
            if pull.head_ref.startswith(prefix) and report.MARKER in pull.body
        }
        results: list[dict[str, object]] = []
        pending: set[str] = set()
        for branch in branches:
            allowed = [u for u in branch.updates if u.license_ok]
            if not allowed:
                continue
            pending.add(branch.name)
            results.append(self._write_branch(branch, allowed, base, ref.sha, ours))
        for head, pull in sorted(ours.items()):
            if head in pending:
                continue
            self.client.create_comment(
                pull.number,
                "Closing: this group has no pending update any more (updated elsewhere, or "
                "superseded by a newer version on another branch).",
            )
            self.client.update_pull(pull.number, state="closed")
            self.client.delete_ref(f"heads/{head}")
            results.append({"branch": head, "number": pull.number, "url": pull.html_url,
                            "action": "closed"})  # fmt: skip
        return results

    def _write_branch(
        self,
        branch: Branch,
        updates: Sequence[Update],
        base: str,
        base_sha: str,
        ours: Mapping[str, PullRequest],
    ) -> dict[str, object]:
        automerge = branch.automerge
        view = Branch(branch.name, branch.group, automerge, tuple(updates))
        title = report.pull_title(view, updates)
        body = report.pull_body(view, updates)
        files = self._files(updates)
        existing = ours.get(branch.name) or self.client.find_open_pull(branch.name, base)
        if existing is None or not self._up_to_date(branch.name, base_sha, files):
            commit = self.client.commit_files(base_sha, files, title)
            self.client.set_branch(branch.name, commit, force=True)
        elif existing.body == body and existing.title == title:
            if automerge:
                self._enable_automerge(existing.number)
            return {"branch": branch.name, "number": existing.number, "url": existing.html_url,
                    "action": "unchanged", "automerge": automerge}  # fmt: skip
        if existing is None:
            try:
                pull = self.client.create_pull(title=title, head=branch.name, base=base, body=body)
                action = "created"
            except GitHubApiError as exc:
                found = self.client.find_open_pull(branch.name, base)
                if exc.status != 422 or found is None:
                    raise
                pull = self.client.update_pull(found.number, title=title, body=body)
                action = "updated"
        else:
            pull = self.client.update_pull(existing.number, title=title, body=body)
            action = "updated"
        if automerge:
            data = self.client.request(
                "GET", f"/repos/{self.client.repository}/pulls/{pull.number}"
            )
            self._graphql(AUTOMERGE, {"id": data["node_id"], "method": "SQUASH"})
        return {"branch": branch.name, "number": pull.number, "url": pull.html_url,
                "action": action, "automerge": automerge}  # fmt: skip
