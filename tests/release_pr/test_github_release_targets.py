"""Tags, names and flags of released versions from release-please config keys."""

from __future__ import annotations

from typing import Any

import pytest
from release_pr.github_flow import ReleaseTarget
from release_pr.release_targets import TagOptions, make_resolver, options_from_config, target_for
from relkit.errors import ConfigError


@pytest.mark.parametrize(
    ("options", "version", "expected"),
    [
        pytest.param(
            TagOptions(".", None), "1.3.0", ReleaseTarget(".", "v1.3.0", "v1.3.0"), id="root"
        ),
        pytest.param(
            TagOptions("p", "api"),
            "1.3.0",
            ReleaseTarget("p", "api-v1.3.0", "api: v1.3.0"),
            id="component",
        ),
        pytest.param(
            TagOptions("p", "api", include_component=False),
            "1.3.0",
            ReleaseTarget("p", "v1.3.0", "v1.3.0"),
            id="component-not-in-tag",
        ),
        pytest.param(
            TagOptions("p", "api", include_v=False, separator="/"),
            "1.3.0",
            ReleaseTarget("p", "api/1.3.0", "api: v1.3.0"),
            id="separator-no-v",
        ),
        pytest.param(
            TagOptions(".", None, prerelease=True),
            "2.0.0-rc.1",
            ReleaseTarget(".", "v2.0.0-rc.1", "v2.0.0-rc.1", prerelease=True),
            id="prerelease-version",
        ),
        pytest.param(
            TagOptions(".", None, prerelease=True),
            "0.4.0",
            ReleaseTarget(".", "v0.4.0", "v0.4.0", prerelease=True),
            id="pre-major",
        ),
        pytest.param(
            TagOptions(".", None, prerelease=True, draft=True),
            "1.0.0",
            ReleaseTarget(".", "v1.0.0", "v1.0.0", draft=True),
            id="stable-is-no-prerelease",
        ),
    ],
)
def test_target_for(options: TagOptions, version: str, expected: ReleaseTarget) -> None:
    assert target_for(options, version) == expected


def test_options_from_config_inherit_top_level_defaults() -> None:
    config: dict[str, Any] = {
        "include-v-in-tag": False,
        "draft": True,
        "packages": {
            ".": {"package-name": "@octo/root"},
            "packages/api": {"component": "api", "draft": False, "tag-separator": "@"},
            "packages/web": {},
        },
    }

    root, api, web = options_from_config(config)

    assert (root.component, root.include_v, root.draft) == ("root", False, True)
    assert (api.component, api.draft, api.separator) == ("api", False, "@")
    assert web.component == "web"


def test_resolver_matches_components() -> None:
    resolve = make_resolver(options_from_config({"packages": {"a": {}, "b": {"component": "bee"}}}))

    assert resolve("bee", "1.0.0").tag == "bee-v1.0.0"
    assert resolve("a", "1.0.0").path == "a"
    with pytest.raises(ConfigError, match=r"names component 'zed'.*known: a, bee"):
        resolve("zed", "1.0.0")


def test_single_package_takes_any_component() -> None:
    resolve = make_resolver([TagOptions(".", None)])
    assert resolve("whatever", "1.0.0").tag == "v1.0.0"


def test_config_without_packages_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="has no 'packages'"):
        options_from_config({})
