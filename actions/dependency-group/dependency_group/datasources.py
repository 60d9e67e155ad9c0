"""Datasources (I/O): PyPI's JSON API, Docker Registry v2, ``git ls-remote --tags`` and the
built-in GitHub runner list.

Each lookup is one request per dependency and datasource (cached by key, so two files naming
``alpine`` ask once); HTTP goes through :class:`relkit.adapters.http.HttpClient` (retries with
backoff); ``git`` runs without a shell. A failure becomes an :class:`~relkit.errors.ExternalError`
for that dependency only; the caller reports it and skips the dependency.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from relkit.adapters.http import HttpClient, HttpError
from relkit.errors import ExternalError

from dependency_group.licenses import from_pypi, normalize
from dependency_group.model import Dependency

MANIFEST_ACCEPT = ", ".join(
    (
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
    )
)
# GitHub-hosted runner labels per OS (the versions a `runs-on: <os>-<version>` may move to)
RUNNERS: Mapping[str, tuple[str, ...]] = {
    "ubuntu": ("20.04", "22.04", "24.04", "26.04", "22.04-arm", "24.04-arm"),
    "windows": ("2019", "2022", "2025", "11-arm"),
    "macos": ("13", "14", "15", "26", "13-large", "14-large", "15-large", "14-xlarge",
              "15-xlarge", "15-intel"),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Versions:
    """What a datasource offers for one dependency."""

    versions: tuple[str, ...]
    license: str | None = None  # the latest release's licence (PyPI)
    latest: str = ""
    licenses: Mapping[str, str | None] = field(default_factory=dict)


@dataclass
class Datasources:
    """The lookups of one run, with their clients, caches and request counter."""

    pypi_url: str
    docker_registry_url: str
    github_server_url: str
    http: HttpClient = field(default_factory=HttpClient)
    repo_license: Callable[[str], str | None] | None = None
    requests: int = 0
    _cache: dict[tuple[str, ...], Any] = field(default_factory=dict, init=False, repr=False)
    _locks: dict[tuple[str, ...], threading.Lock] = field(
        default_factory=dict, init=False, repr=False
    )
    _guard: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _tokens: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    def _cached(self, key: tuple[str, ...], compute: Callable[[], Any]) -> Any:
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._cache:
                try:
                    self._cache[key] = compute()
                except ExternalError as exc:
                    self._cache[key] = exc
            value = self._cache[key]
        if isinstance(value, ExternalError):
            raise value
        return value

    def _count(self) -> None:
        with self._guard:
            self.requests += 1

    # ------------------------------------------------------------------------ versions

    def versions(self, dep: Dependency) -> Versions:
        key = (dep.datasource, dep.registry, dep.lookup_name.lower())
        if dep.datasource == "pypi":
            return self._cached(key, lambda: self._pypi(dep.lookup_name))  # type: ignore[no-any-return]
        if dep.datasource == "docker":
            return self._cached(key, lambda: self._docker_tags(dep))  # type: ignore[no-any-return]
        if dep.datasource == "github-tags":
            return Versions(tuple(self._git_tags(dep.lookup_name)))
        if dep.datasource == "github-runners":
            return Versions(RUNNERS.get(dep.lookup_name, ()))
        raise ExternalError(f"no datasource {dep.datasource!r}")  # pragma: no cover

    def _pypi(self, name: str) -> Versions:
        normalized = re.sub(r"[-_.]+", "-", name).lower()
        url = f"{self.pypi_url.rstrip('/')}/pypi/{quote(normalized)}/json"
        self._count()
        try:
            answer = self.http.request("GET", url, headers={"Accept": "application/json"})
            data = json.loads(answer.content)
        except HttpError as exc:
            if exc.status == 404:
                raise ExternalError(f"PyPI has no package {name!r}") from None
            raise
        except ValueError:
            raise ExternalError(f"PyPI answered {url} with invalid JSON") from None
        versions = [
            version
            for version, files in (data.get("releases") or {}).items()
            if not files or not all(f.get("yanked") for f in files)
        ]
        info = data.get("info") or {}
        return Versions(tuple(versions), license=from_pypi(info), latest=str(info.get("version")))

    # -------------------------------------------------------------------------- docker

    def _registry(self, dep: Dependency) -> str:
        if not dep.registry:
            return self.docker_registry_url.rstrip("/")
        scheme = "http" if dep.registry.startswith(("localhost", "127.0.0.1")) else "https"
        return f"{scheme}://{dep.registry}"

    def _docker_get(
        self,
        base: str,
        repository: str,
        path: str,
        *,
        method: str = "GET",
        accept: str = "application/json",
    ) -> tuple[dict[str, str], bytes]:
        """One registry call, answering a Bearer token challenge once (per repository)."""
        url = f"{base}{path}"
        headers = {"Accept": accept}
        token = self._tokens.get(f"{base} {repository}")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._count()
        answer = self.http.request(method, url, headers=headers, ok_statuses=frozenset({401}))
        if answer.status == 401:
            token = self._token(base, repository, answer.headers)
            headers["Authorization"] = f"Bearer {token}"
            self._count()
            answer = self.http.request(method, url, headers=headers)
        return {k.lower(): v for k, v in answer.headers.items()}, answer.content

    def _token(self, base: str, repository: str, headers: Mapping[str, str]) -> str:
        challenge = next((v for k, v in headers.items() if k.lower() == "www-authenticate"), "")
        params = dict(re.findall(r'(\w+)="([^"]*)"', challenge))
        if not challenge.lower().startswith("bearer") or "realm" not in params:
            raise ExternalError(f"the registry {base} asks for credentials ({challenge or '401'})")
        query = {"service": params.get("service", "")}
        query["scope"] = params.get("scope") or f"repository:{repository}:pull"
        self._count()
        answer = self.http.request("GET", params["realm"], params=query)
        data = json.loads(answer.content)
        token = str(data.get("token") or data.get("access_token") or "")
        self._tokens[f"{base} {repository}"] = token
        return token

    def _docker_tags(self, dep: Dependency) -> Versions:
        base = self._registry(dep)
        path = f"/v2/{dep.lookup_name}/tags/list?n=1000"
        tags: list[str] = []
        for _page in range(100):
            try:
                headers, body = self._docker_get(base, dep.lookup_name, path)
            except HttpError as exc:
                if exc.status == 404:
                    raise ExternalError(
                        f"the registry {base} has no repository {dep.lookup_name!r}"
                    ) from None
                raise
            tags.extend(json.loads(body).get("tags") or [])
            link = re.search(r"<([^>]+)>;\s*rel=\"?next\"?", headers.get("link", ""))
            if not link:
                break
            path = link.group(1) if link.group(1).startswith("/") else "/" + link.group(1)
        return Versions(tuple(dict.fromkeys(tags)))

    def docker_digest(self, dep: Dependency, tag: str) -> str:
        base = self._registry(dep)

        def head() -> str:
            headers, _ = self._docker_get(
                base,
                dep.lookup_name,
                f"/v2/{dep.lookup_name}/manifests/{tag}",
                method="HEAD",
                accept=MANIFEST_ACCEPT,
            )
            return headers.get("docker-content-digest", "")

        return self._cached(("digest", base, dep.lookup_name, tag), head)  # type: ignore[no-any-return]

    def docker_license(self, dep: Dependency, tag: str) -> str | None:
        """The ``org.opencontainers.image.licenses`` label of the tag's (amd64) image."""
        base = self._registry(dep)

        def read() -> str | None:
            repo = dep.lookup_name
            _, body = self._docker_get(
                base, repo, f"/v2/{repo}/manifests/{tag}", accept=MANIFEST_ACCEPT
            )
            manifest = json.loads(body)
            if "manifests" in manifest:
                chosen = next(
                    (m for m in manifest["manifests"]
                     if m.get("platform", {}).get("architecture") == "amd64"),
                    (manifest["manifests"] or [{}])[0],
                )  # fmt: skip
                _, body = self._docker_get(
                    base,
                    repo,
                    f"/v2/{repo}/manifests/{chosen.get('digest')}",
                    accept=MANIFEST_ACCEPT,
                )
                manifest = json.loads(body)
            config_digest = (manifest.get("config") or {}).get("digest")
            if not config_digest:
                return None
            _, body = self._docker_get(base, repo, f"/v2/{repo}/blobs/{config_digest}")
            labels = (json.loads(body).get("config") or {}).get("Labels") or {}
            text = labels.get("org.opencontainers.image.licenses")
            return (normalize(text) or text) if text else None

        return self._cached(("license", base, dep.lookup_name, tag), read)  # type: ignore[no-any-return]

    # ---------------------------------------------------------------------- git tags

    def _git_tags(self, repository: str) -> dict[str, str]:
        def run() -> dict[str, str]:
            url = f"{self.github_server_url.rstrip('/')}/{repository}"
            self._count()
            for _attempt in range(3):
                try:
                    done = subprocess.run(
                        ["git", "ls-remote", "--tags", url],
                        capture_output=True,
                        env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
                        timeout=60,
                        check=False,
                    )
                except subprocess.TimeoutExpired:
                    continue
                if done.returncode == 0:
                    return parse_ls_remote(done.stdout.decode("utf-8", "replace"))
                if b"not found" in done.stderr or b"does not appear" in done.stderr:
                    break
            stderr = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise ExternalError(
                f"git ls-remote --tags {url} failed: {stderr[-1] if stderr else 'timed out'}"
            )

        return self._cached(("git-tags", repository.lower()), run)  # type: ignore[no-any-return]

    def tag_sha(self, repository: str, tag: str) -> str:
        return self._git_tags(repository).get(tag, "")

    def action_license(self, repository: str) -> str | None:
        if self.repo_license is None:
            return None
        lookup = self.repo_license
        return self._cached(("repo-license", repository.lower()), lambda: lookup(repository))  # type: ignore[no-any-return]


def parse_ls_remote(text: str) -> dict[str, str]:
    """``git ls-remote --tags`` output → tag → commit sha (peeled ``^{}`` wins)."""
    tags: dict[str, str] = {}
    for line in text.splitlines():
        sha, _, ref = line.partition("\t")
        if not ref.startswith("refs/tags/"):
            continue
        name = ref[len("refs/tags/") :]
        if name.endswith("^{}"):
            tags[name[:-3]] = sha
        else:
            tags.setdefault(name, sha)
    return tags
