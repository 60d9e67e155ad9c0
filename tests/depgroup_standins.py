"""Local stand-ins for dependency-group's lookup sources, serving the sample's fixed data.

- a PyPI JSON API (a loopback :class:`fakeserver.FakeServer` with ``/pypi/<name>/json``);
- Debian's ``docker-registry`` (distribution 2.8) on a free loopback port, seeded with small
  synthetic schema-2 images exactly as ``tests/dependency_group/sample/README.md`` says, so
  digests equal the sample's;
- bare git repositories for the actions, with the sample's commits (so shas equal the sample's).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import requests
from fakeserver import FakeServer
from gitrepo import make_git_repo

SAMPLE = Path(__file__).resolve().parent / "dependency_group" / "sample"

DOCKER_TAGS: Mapping[str, tuple[str, ...]] = {
    "python": ("3.11.4-slim", "3.11.9-slim", "3.12.1-slim", "3.12-slim", "3.13.0-slim", "3.11.4",
               "latest"),
    "node": ("18-alpine", "18.20.4-alpine", "20-alpine", "22-alpine", "22"),
    "alpine": ("3.18", "3.18.4", "3.19", "3.20", "3.20.3"),
}  # fmt: skip
ACTION_TAGS: Mapping[str, tuple[str, ...]] = {
    "actions/checkout": ("v3.0.0", "v3", "v3.6.0", "v4.0.0", "v4", "v4.2.2"),
    "actions/setup-python": ("v4.7.0", "v4.7.1", "v4.8.0", "v5.0.0"),
    "docker/login-action": ("v2.1.0", "v2.2.0", "v3.0.0", "v3.3.0"),
}
FLOATING = {"actions/checkout": {"v3": "v3.6.0", "v4": "v4.2.2"}}

# name → (licence info, [(version, yanked)]): what the sample's live index offered on
# 2026-11-26, plus yanked and pre-release versions that must never be proposed
PYPI: Mapping[str, tuple[Mapping[str, object], Sequence[tuple[str, bool]]]] = {
    "requests": ({"license": "Apache 2.0", "license_expression": "Apache-2.0"},
                 [("2.31.0", False), ("2.32.0", True), ("2.34.2", False), ("2.35.0", True)]),
    "flask": ({"license_expression": "BSD-3-Clause"},
              [("2.0.0", False), ("2.3.3", False), ("3.0.0", False), ("3.1.3", False),
               ("4.0.0rc1", False)]),
    "urllib3": ({"license_expression": "MIT"},
                [("1.26.0", False), ("1.26.20", False), ("2.0.0", False), ("2.8.1", False)]),
    "pyyaml": ({"license": "MIT", "classifiers": ["License :: OSI Approved :: MIT License"]},
               [("5.4.1", False), ("6.0", False), ("6.0.4", False)]),
    "django": ({"license": "BSD-3-Clause"},
               [("4.2.0", False), ("4.2.30", False), ("5.0", False), ("5.2.8", False),
                ("6.1.3", False), ("6.2", True), ("7.0a1", False)]),
    "click": ({"license_expression": "BSD-3-Clause"},
              [("8.1.0", False), ("8.5.1", False), ("9.0.0.dev1", False)]),
    "attrs": ({"license_expression": "MIT"}, [("22.1.0", False), ("25.4.0", False)]),
    "pytest": ({"license": "MIT"},
               [("7.4.0", False), ("7.4.4", False), ("8.3.0", False), ("9.2.0", False)]),
}  # fmt: skip


def pypi_document(
    name: str, info: Mapping[str, object], versions: Sequence[tuple[str, bool]]
) -> dict[str, object]:
    releases = {
        version: [{"filename": f"{name}-{version}.tar.gz", "yanked": yanked}]
        for version, yanked in versions
    }
    latest = [v for v, yanked in versions if not yanked][-1]
    full_info: dict[str, object] = {"name": name, "version": latest, "license": None,
                                    "license_expression": None, "classifiers": []}  # fmt: skip
    full_info.update(info)
    return {"info": full_info, "releases": releases}


def serve_pypi(
    server: FakeServer,
    packages: Mapping[str, tuple[Mapping[str, object], Sequence[tuple[str, bool]]]] = PYPI,
) -> None:
    for name, (info, versions) in packages.items():
        server.add("GET", f"/pypi/{name}/json", json=pypi_document(name, info, versions))


# ----------------------------------------------------------------------------- registry


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def image_blobs(
    repo: str, tag: str, labels: Mapping[str, str] | None = None
) -> tuple[bytes, bytes, bytes]:
    """(layer, config, manifest) bytes of the sample's synthetic image for ``repo:tag``."""
    layer = json.dumps({"layer-of": repo}).encode()
    config_labels = {"org.opencontainers.image.version": tag, "seeded.ref": f"{repo}:{tag}"}
    config_labels.update(labels or {})
    config = json.dumps({
        "architecture": "amd64", "os": "linux", "config": {"Labels": config_labels},
        "rootfs": {"type": "layers", "diff_ids": [_digest(layer)]},
    }).encode()  # fmt: skip
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json",
                   "size": len(config), "digest": _digest(config)},
        "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    "size": len(layer), "digest": _digest(layer)}],
    }).encode()  # fmt: skip
    return layer, config, manifest


def seed_tag(
    url: str, repo: str, tag: str, labels: Mapping[str, str] | None = None, *, name: str = ""
) -> str:
    """Push one synthetic image (its content names ``name``, default ``repo``); returns its
    manifest digest."""
    layer, config, manifest = image_blobs(name or repo, tag, labels)
    session = requests.Session()
    for blob in (layer, config):
        digest = _digest(blob)
        if session.head(f"{url}/v2/{repo}/blobs/{digest}", timeout=10).status_code == 200:
            continue
        started = session.post(f"{url}/v2/{repo}/blobs/uploads/", timeout=10)
        assert started.status_code == 202, started.text
        location = started.headers["Location"]
        if location.startswith("/"):
            location = url + location
        joiner = "&" if "?" in location else "?"
        done = session.put(f"{location}{joiner}digest={digest}", data=blob, timeout=10)
        assert done.status_code == 201, done.text
    pushed = session.put(
        f"{url}/v2/{repo}/manifests/{tag}",
        data=manifest,
        headers={"Content-Type": "application/vnd.docker.distribution.manifest.v2+json"},
        timeout=10,
    )
    assert pushed.status_code == 201, pushed.text
    return pushed.headers["Docker-Content-Digest"]


def registry_binary() -> str | None:
    return shutil.which("docker-registry") or shutil.which("registry")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Registry:
    url: str
    process: subprocess.Popen[bytes]


def start_registry(folder: Path) -> Iterator[Registry]:
    """Run ``docker-registry serve`` on a free loopback port until the generator is closed."""
    binary = registry_binary()
    assert binary is not None
    port = _free_port()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.yml").write_text(
        "version: 0.1\nlog: {level: warn}\n"
        f"storage:\n  filesystem: {{rootdirectory: {folder / 'data'}}}\n"
        "  delete: {enabled: true}\n"
        f"http:\n  addr: 127.0.0.1:{port}\n  secret: local-test-only\n",
        encoding="utf-8",
    )
    log = (folder / "registry.log").open("wb")
    process = subprocess.Popen(
        [binary, "serve", str(folder / "config.yml")],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if requests.get(f"{url}/v2/", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.025)
        else:
            raise AssertionError((folder / "registry.log").read_text(errors="replace"))
        yield Registry(url, process)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
        log.close()


def seed_sample_images(url: str) -> dict[str, str]:
    """The sample's images; returns ``repo:tag`` → digest."""
    return {
        f"{repo}:{tag}": seed_tag(url, f"library/{repo}", tag, name=repo)
        for repo, tags in DOCKER_TAGS.items()
        for tag in tags
    }


# ------------------------------------------------------------------------------ actions


def make_action_repo(root: Path, repository: str, tags: Sequence[str]) -> dict[str, str]:
    """A bare repository ``root/<owner>/<name>`` with one commit per tag (the sample's shapes:
    ``action.yml`` = ``<repository> <tag>``, author ``anchor``, dates 2023-01-0N); returns
    tag → commit sha. Floating tags of :data:`FLOATING` are moved afterwards."""
    work = root / "_work" / repository
    work.mkdir(parents=True)
    who = ("anchor", "anchor@example.invalid")
    env = {**os.environ, "GIT_AUTHOR_NAME": who[0], "GIT_AUTHOR_EMAIL": who[1],
           "GIT_COMMITTER_NAME": who[0], "GIT_COMMITTER_EMAIL": who[1]}  # fmt: skip

    def git(*args: str, extra: Mapping[str, str] | None = None) -> str:
        return subprocess.run(
            ["git", *args], cwd=work, env={**env, **(extra or {})}, check=True,
            capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip

    git("init", "-q", "-b", "main")
    shas: dict[str, str] = {}
    for number, tag in enumerate(tags, start=1):
        (work / "action.yml").write_text(f"{repository} {tag}\n", encoding="utf-8")
        date = f"2023-01-{number:02d}T00:00:00Z"
        git("add", "action.yml")
        git("commit", "-q", "-m", tag, extra={"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})
        git("tag", tag)
        shas[tag] = git("rev-parse", "HEAD")
    for floating, target in FLOATING.get(repository, {}).items():
        git("tag", "-f", floating, target)
        shas[floating] = shas[target]
    bare = root / repository
    bare.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], check=True)
    return shas


def make_action_repos(root: Path) -> dict[str, dict[str, str]]:
    """The sample's action repositories; returns repository → tag → commit sha."""
    return {repo: make_action_repo(root, repo, tags) for repo, tags in ACTION_TAGS.items()}


@dataclass
class StandIns:
    pypi: FakeServer
    registry_url: str
    git_server: str
    digests: dict[str, str]
    shas: dict[str, dict[str, str]]


def copy_sample(target: Path, config: str | None) -> Path:
    """The shared sample as a git repository with one commit; ``config`` → ``renovate.json``."""
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns("*.md", "renovate.*"))
    for path in target.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    if config:
        shutil.copy(SAMPLE / config, target / "renovate.json")
        (target / "renovate.json").chmod(0o644)
    repo = make_git_repo(target)
    repo.git("add", "--all")
    repo.commit("chore: sample")
    return target
