"""release-pr reaches GitHub through the shared client itself: it satisfies the lifecycle's
Protocol (no wrapper whose methods pass through), and ``AlreadyExists`` is defined once."""

from __future__ import annotations

import importlib.util
import inspect

from release_pr import github_ops
from relkit.adapters import github


def test_already_exists_is_the_shared_client_s() -> None:
    assert github_ops.AlreadyExists is github.AlreadyExists


def test_no_wrapper_module_between_the_lifecycle_and_the_client() -> None:
    assert importlib.util.find_spec("release_pr.github_adapter") is None


def test_the_client_has_every_protocol_method_with_its_parameters() -> None:
    protocol = github_ops.ReleaseGitHub
    names = [n for n, v in vars(protocol).items() if callable(v) and not n.startswith("_")]
    assert names
    for name in names:
        wanted = inspect.signature(getattr(protocol, name)).parameters
        have = inspect.signature(getattr(github.GitHubClient, name)).parameters
        assert list(wanted) == [p for p in have if p in wanted], name
        assert all(have[p].kind == wanted[p].kind for p in wanted), name
