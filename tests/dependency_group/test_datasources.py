"""Datasources against loopback stand-ins: token challenge and pagination, licences from OCI
labels, per-dependency failures reported without failing the run."""

from __future__ import annotations

from pathlib import Path

import depgroup_standins as standins
from dependency_group import plan, scan
from dependency_group.config import DEFAULT
from dependency_group.datasources import Datasources, parse_ls_remote
from dependency_group.licenses import Policy
from dependency_group.managers import extract_dockerfile, extract_requirements, extract_workflow
from depgroup_standins import StandIns
from fakeserver import FakeServer
from relkit.adapters.http import HttpClient, HttpRetryPolicy


def _sources(stand_ins: StandIns, **kw: object) -> Datasources:
    return Datasources(
        pypi_url=stand_ins.pypi.url,
        docker_registry_url=stand_ins.registry_url,
        github_server_url=stand_ins.git_server,
        http=HttpClient(policy=HttpRetryPolicy(max_attempts=2), sleep=lambda _s: None),
        **kw,  # type: ignore[arg-type]
    )


def test_registry_token_challenge_and_link_pagination() -> None:
    with FakeServer() as registry:
        path = "/v2/library/tool/tags/list"
        challenge = (
            f'Bearer realm="{registry.url}/token",service="registry.test",'
            'scope="repository:library/tool:pull"'
        )
        registry.add("GET", path, status=401, headers={"WWW-Authenticate": challenge})
        registry.add("GET", path, json={"tags": ["1.0", "1.1"]},
                     headers={"Link": f'<{path}?n=1000&last=1.1>; rel="next"'})  # fmt: skip
        registry.add("GET", path, json={"tags": ["2.0", "1.1"]})
        registry.add("GET", "/token", json={"token": "tok-123"})
        sources = Datasources(registry.url, registry.url, "file:///nowhere")
        (dep,) = extract_dockerfile("FROM tool:1.0\n", "Dockerfile")
        assert sources.versions(dep).versions == ("1.0", "1.1", "2.0")
        token_call = registry.calls("GET", "/token")[0]
        assert token_call.query == {"service": ["registry.test"],
                                    "scope": ["repository:library/tool:pull"]}  # fmt: skip
        pages = registry.calls("GET", path)
        assert [c.headers.get("authorization") for c in pages] == [
            None, "Bearer tok-123", "Bearer tok-123",
        ]  # fmt: skip
        assert sources.requests == 4
        # cached: a second dependency on the same image asks nothing more
        sources.versions(dep)
        assert sources.requests == 4


def test_failures_skip_only_that_dependency(stand_ins: StandIns, tmp_path: Path) -> None:
    deps = [
        *extract_requirements("requests==2.31.0\nno-such-pkg==1.0\n", "requirements.txt")[0],
        *extract_dockerfile("FROM missing/image:1.0\nFROM alpine:3.18\n", "Dockerfile"),
        *extract_workflow("      - uses: nobody/nothing@v1\n", ".github/workflows/x.yml"),
    ]
    updates, skipped = scan.find_updates(
        deps, _sources(stand_ins), DEFAULT, Policy(allow_unknown=True)
    )
    assert sorted((u.dependency.package, u.new) for u in updates) == [
        ("alpine", "3.20"), ("requests", "==2.34.2"),
    ]  # fmt: skip
    reasons = {s.package: s.reason for s in skipped}
    assert "PyPI has no package 'no-such-pkg'" in reasons["no-such-pkg"]
    assert "has no repository 'missing/image'" in reasons["missing/image"]
    assert reasons["nobody/nothing"].startswith("lookup failed: git ls-remote --tags")


def test_docker_licences_come_from_the_oci_label(
    stand_ins: StandIns, registry: tuple[str, dict[str, str]]
) -> None:
    url = registry[0]
    label = "org.opencontainers.image.licenses"
    standins.seed_tag(url, "library/licensed", "1.0", {label: "MIT"})
    standins.seed_tag(url, "library/licensed", "1.1", {label: "GPL-3.0-only"})
    standins.seed_tag(url, "library/licensed", "2.0", {label: "mit or apache-2.0"})
    deps = extract_dockerfile("FROM licensed:1.0\n", "Dockerfile")
    updates, skipped = scan.find_updates(deps, _sources(stand_ins), DEFAULT, Policy())
    assert not skipped
    assert sorted((u.new, u.license, u.license_ok) for u in updates) == [
        ("1.1", "GPL-3.0-only", False),
        ("2.0", "MIT OR Apache-2.0", True),
    ]


def test_a_new_digest_of_the_same_tag_is_a_digest_update(
    stand_ins: StandIns, registry: tuple[str, dict[str, str]]
) -> None:
    old = standins.seed_tag(registry[0], "library/rolling", "1-slim", {"build": "1"})
    new = standins.seed_tag(registry[0], "library/rolling", "1-slim", {"build": "2"})
    deps = extract_dockerfile(f"FROM rolling:1-slim@{old}\n", "Dockerfile")
    updates, _ = scan.find_updates(deps, _sources(stand_ins), DEFAULT, Policy(allow_unknown=True))
    assert [(u.update_type, u.new, u.new_major) for u in updates] == [
        ("digest", f"1-slim@{new}", 1)
    ]
    assert plan.group(updates, DEFAULT, "x/")[0].name == "x/rolling-digest"


def test_parse_ls_remote_prefers_peeled_tags() -> None:
    text = (
        "a" * 40 + "\trefs/tags/v1\n"
        + "b" * 40 + "\trefs/tags/v2\n"
        + "c" * 40 + "\trefs/tags/v2^{}\n"
        + "d" * 40 + "\trefs/heads/main\n"
    )  # fmt: skip
    assert parse_ls_remote(text) == {"v1": "a" * 40, "v2": "c" * 40}


def test_odd_answers_skip_the_dependency(stand_ins: StandIns) -> None:
    with FakeServer() as server:
        server.add("GET", "/pypi/broken/json", body="<html>")
        server.add("GET", "/pypi/garbled/json", status=500, body="oops")
        server.add("GET", "/v2/library/locked/tags/list", status=401,
                   headers={"WWW-Authenticate": 'Basic realm="x"'})  # fmt: skip
        server.add("GET", "/v2/library/weird/tags/list", body="[")
        sources = Datasources(
            server.url, server.url, "file:///nowhere",
            http=HttpClient(policy=HttpRetryPolicy(max_attempts=1)),
        )  # fmt: skip
        deps = [
            *extract_requirements("broken==1.0\ngarbled==1.0\n", "requirements.txt")[0],
            *extract_dockerfile("FROM locked:1.0\nFROM weird:1.0\n", "Dockerfile"),
        ]
        updates, skipped = scan.find_updates(deps, sources, DEFAULT, Policy())
    assert updates == []
    reasons = {s.package: s.reason for s in skipped}
    assert "with invalid JSON" in reasons["broken"]
    assert "failed with 500" in reasons["garbled"]
    assert "asks for credentials (Basic" in reasons["locked"]
    assert reasons["weird"].startswith("lookup failed: unexpected answer")


def test_oci_index_licence_is_the_amd64_image(
    stand_ins: StandIns, registry: tuple[str, dict[str, str]]
) -> None:
    import json  # noqa: PLC0415

    import requests  # noqa: PLC0415

    url = registry[0]
    label = "org.opencontainers.image.licenses"
    arm = standins.seed_tag(url, "library/multi", "arm", {label: "GPL-3.0-only"})
    amd = standins.seed_tag(url, "library/multi", "amd", {label: "Apache-2.0"})
    standins.seed_tag(url, "library/multi", "1.0", {label: "MIT"})
    size = 500
    index = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [
            {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": size,
             "digest": arm, "platform": {"architecture": "arm64", "os": "linux"}},
            {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": size,
             "digest": amd, "platform": {"architecture": "amd64", "os": "linux"}},
        ],
    }).encode()  # fmt: skip
    pushed = requests.put(
        f"{url}/v2/library/multi/manifests/2.0", data=index, timeout=10,
        headers={"Content-Type": "application/vnd.oci.image.index.v1+json"},
    )  # fmt: skip
    assert pushed.status_code == 201, pushed.text
    deps = extract_dockerfile("FROM multi:1.0\n", "Dockerfile")
    updates, skipped = scan.find_updates(deps, _sources(stand_ins), DEFAULT, Policy())
    assert not skipped
    assert [(u.new, u.license, u.license_ok) for u in updates] == [("2.0", "Apache-2.0", True)]
