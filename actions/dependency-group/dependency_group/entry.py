"""`relkit dependency-group`: declared inputs only; the action is not built yet.

The inputs below are the planned interface (see ``actions/dependency-group/README.md``), so
``relkit dependency-group --help`` and the metadata tests already hold it to ``action.yml``.
Running it parses the flags, then stops with exit 2 instead of pretending to work.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from relkit.actionspec import ActionSpec, InputSpec, refuse_not_built

SPEC = ActionSpec(
    name="dependency-group",
    summary="Grouped dependency-update pull requests with a licence policy (not built yet)",
    inputs=(
        InputSpec(
            "token",
            "GitHub token for pushing update branches and opening pull requests",
            secret=True,
            env_fallback="GITHUB_TOKEN",
        ),
        InputSpec(
            "config-file",
            "path of the grouping config, relative to the repository root",
            default=".github/dependency-group.yml",
        ),
        InputSpec(
            "managers",
            "package managers to scan (comma-separated)",
            default="pip_requirements,pep621,dockerfile,github-actions",
        ),
        InputSpec(
            "license-deny",
            "SPDX licence ids or globs that block an update (comma-separated)",
            default="GPL-*,AGPL-*",
        ),
        InputSpec("allow-lgpl", "allow LGPL licences", default="true", kind="boolean"),
        InputSpec(
            "allow-unknown-license",
            "allow updates whose licence is unknown",
            default="false",
            kind="boolean",
        ),
        InputSpec("pypi-url", "base URL of the PyPI JSON API", default="https://pypi.org"),
        InputSpec(
            "docker-registry-url",
            "base URL of the Docker Registry v2 API",
            default="https://registry-1.docker.io",
        ),
        InputSpec("base-branch", "target branch (default: the repository's default branch)"),
        InputSpec("branch-prefix", "prefix of the update branches", default="relkit/deps/"),
        InputSpec("dry-run", "compute and report, push nothing", default="false", kind="boolean"),
    ),
)


def main(argv: Sequence[str], env: Mapping[str, str]) -> int:  # noqa: ARG001
    refuse_not_built(SPEC, argv)
