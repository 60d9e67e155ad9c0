"""GitHubClient's git data calls: refs, blobs, trees, commits and file contents (a mixin)."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from relkit.adapters.github_base import MISSING, ApiBase, GitHubApiError
from relkit.adapters.github_models import (
    FileContent,
    GitCommit,
    Ref,
    TreeEntry,
)
from relkit.errors import ConfigError


class GitDataApi(ApiBase):
    """Refs and git objects: branches written without a checkout."""

    # --- refs ---------------------------------------------------------------------------------

    @staticmethod
    def _short_ref(ref: str) -> str:
        short = ref.removeprefix("refs/")
        if not short.startswith(("heads/", "tags/")) or short.endswith("/"):
            raise ConfigError(f"ref must be heads/<branch> or tags/<tag>, got {ref!r}")
        return short

    def get_ref(self, ref: str) -> Ref | None:
        """``heads/main`` or ``tags/v1.0.0`` (``refs/`` optional); None when it does not exist."""
        short = self._short_ref(ref)
        data = self.request("GET", f"{self._repo_path}/git/ref/{quote(short)}", missing_ok=True)
        if data is MISSING or not isinstance(data, Mapping):
            return None  # a list answer means only prefixes matched
        obj = data.get("object") or {}
        return Ref(str(data["ref"]), str(obj.get("sha")), str(obj.get("type") or "commit"))

    def peel_ref(self, ref: str) -> str | None:
        """The commit ``ref`` names, an annotated tag followed to its commit; None when the ref
        does not exist."""
        found = self.get_ref(ref)
        if found is None:
            return None
        sha, kind = found.sha, found.object_type
        while kind == "tag":
            data = self.request("GET", f"{self._repo_path}/git/tags/{sha}")
            sha, kind = str(data["object"]["sha"]), str(data["object"]["type"])
        return sha

    def create_ref(self, ref: str, sha: str) -> Ref:
        short = self._short_ref(ref)
        data = self.request(
            "POST", f"{self._repo_path}/git/refs", body={"ref": f"refs/{short}", "sha": sha}
        )
        return Ref(str(data["ref"]), str(data["object"]["sha"]), str(data["object"]["type"]))

    def update_ref(self, ref: str, sha: str, *, force: bool = False) -> Ref:
        short = self._short_ref(ref)
        data = self.request(
            "PATCH",
            f"{self._repo_path}/git/refs/{quote(short)}",
            body={"sha": sha, "force": force},
        )
        return Ref(str(data["ref"]), str(data["object"]["sha"]), str(data["object"]["type"]))

    def delete_ref(self, ref: str) -> bool:
        """Delete a branch or tag; False when it did not exist."""
        short = self._short_ref(ref)
        path = f"{self._repo_path}/git/refs/{quote(short)}"
        try:
            return self.request("DELETE", path, missing_ok=True) is not MISSING
        except GitHubApiError as exc:
            if exc.status == 422:  # "Reference does not exist"
                return False
            raise

    def set_branch(self, branch: str, sha: str, *, force: bool = True) -> Ref:
        """Point ``branch`` at ``sha``, creating it when missing (idempotent)."""
        ref = f"heads/{branch}"
        if self.get_ref(ref) is None:
            try:
                return self.create_ref(ref, sha)
            except GitHubApiError as exc:
                if exc.status != 422:  # 422: created meanwhile → update it below
                    raise
        return self.update_ref(ref, sha, force=force)

    # --- git data -----------------------------------------------------------------------------

    def create_blob(self, content: str | bytes) -> str:
        data = content.encode("utf-8") if isinstance(content, str) else content
        answer = self.request(
            "POST",
            f"{self._repo_path}/git/blobs",
            body={"content": base64.b64encode(data).decode("ascii"), "encoding": "base64"},
        )
        return str(answer["sha"])

    def get_commit(self, sha: str) -> GitCommit:
        """A commit object (git data API): its tree and parents."""
        data = self.request("GET", f"{self._repo_path}/git/commits/{quote(sha, safe='')}")
        return GitCommit(
            sha=str(data["sha"]),
            tree_sha=str(data["tree"]["sha"]),
            parents=tuple(str(p["sha"]) for p in data.get("parents") or ()),
            message=str(data.get("message") or ""),
        )

    def get_commit_tree(self, sha: str) -> str:
        return self.get_commit(sha).tree_sha

    def create_tree(self, base_tree: str | None, entries: Sequence[TreeEntry]) -> str:
        tree: list[dict[str, Any]] = []
        for entry in entries:
            item: dict[str, Any] = {
                "path": entry.path.lstrip("/"),
                "mode": entry.mode,
                "type": "blob",
            }
            if entry.content is None:
                item["sha"] = None
            elif isinstance(entry.content, str):
                item["content"] = entry.content
            else:
                item["sha"] = self.create_blob(entry.content)
            tree.append(item)
        body: dict[str, Any] = {"tree": tree}
        if base_tree:
            body["base_tree"] = base_tree
        return str(self.request("POST", f"{self._repo_path}/git/trees", body=body)["sha"])

    def create_commit(
        self,
        message: str,
        tree: str,
        parents: Sequence[str],
        *,
        author: tuple[str, str] | None = None,
    ) -> str:
        body: dict[str, Any] = {"message": message, "tree": tree, "parents": list(parents)}
        if author:
            body["author"] = {"name": author[0], "email": author[1]}
        return str(self.request("POST", f"{self._repo_path}/git/commits", body=body)["sha"])

    def commit_files(
        self, base_sha: str, files: Mapping[str, str | bytes | None], message: str
    ) -> str:
        """A new commit on top of ``base_sha`` with ``files`` (path → content, None deletes).
        Returns its sha; point a branch at it with :meth:`set_branch`."""
        tree = self.create_tree(
            self.get_commit_tree(base_sha),
            [TreeEntry(path, content) for path, content in sorted(files.items())],
        )
        return self.create_commit(message, tree, [base_sha])

    # --- contents -----------------------------------------------------------------------------

    def get_file(self, path: str, ref: str) -> FileContent | None:
        """A file at ``ref``, or None when missing. Files over 1 MB come through the blob API."""
        clean = path.strip("/")
        data = self.request(
            "GET",
            f"{self._repo_path}/contents/{quote(clean)}",
            params={"ref": ref},
            missing_ok=True,
        )
        if data is MISSING:
            return None
        if not isinstance(data, Mapping) or data.get("type") != "file":
            raise ConfigError(f"{clean} at {ref} is not a file")
        raw = data.get("content") or ""
        if data.get("encoding") == "base64" and (raw or int(data.get("size") or 0) == 0):
            return FileContent(clean, str(data["sha"]), base64.b64decode(raw))
        blob = self.request("GET", f"{self._repo_path}/git/blobs/{data['sha']}")
        return FileContent(clean, str(data["sha"]), base64.b64decode(blob.get("content") or ""))
