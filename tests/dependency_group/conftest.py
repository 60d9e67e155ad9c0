"""Fixtures: the sample repository, the PyPI stand-in, a seeded registry, action repositories."""

from __future__ import annotations

from collections.abc import Iterator

import depgroup_standins as standins
import pytest
from depgroup_standins import StandIns
from fakeserver import FakeServer


@pytest.fixture(scope="session")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """Debian's docker-registry on a free port, seeded with the sample's images."""
    if standins.registry_binary() is None:
        pytest.skip("docker-registry is not installed (make test installs it: DEB_PACKAGES)")
    runner = standins.start_registry(tmp_path_factory.mktemp("registry"))
    found = next(runner)
    try:
        yield found.url, standins.seed_sample_images(found.url)
    finally:
        runner.close()


@pytest.fixture(scope="session")
def action_repos(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, dict[str, str]]]:
    root = tmp_path_factory.mktemp("git-server")
    shas = standins.make_action_repos(root)
    return f"file://{root}", shas


@pytest.fixture
def stand_ins(
    registry: tuple[str, dict[str, str]],
    action_repos: tuple[str, dict[str, dict[str, str]]],
) -> Iterator[StandIns]:
    with FakeServer() as pypi:
        standins.serve_pypi(pypi)
        yield StandIns(pypi, registry[0], action_repos[0], registry[1], action_repos[1])
