"""`relkit promote-env`: declared inputs only; the action is not built yet.

The inputs below are the planned interface (see ``actions/promote-env/README.md``), so
``relkit promote-env --help`` and the metadata tests already hold it to ``action.yml``.
Running it parses the flags, then stops with exit 2 instead of pretending to work.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from relkit.actionspec import ActionSpec, InputSpec, refuse_not_built

SPEC = ActionSpec(
    name="promote-env",
    summary="Promote one image between Kustomize overlays; drift and rollback (not built yet)",
    inputs=(
        InputSpec(
            "token",
            "GitHub token for pushing the promotion branch and opening the pull request",
            secret=True,
            env_fallback="GITHUB_TOKEN",
        ),
        InputSpec(
            "mode",
            "promote, drift or rollback",
            default="promote",
            kind="choice",
            choices=("promote", "drift", "rollback"),
        ),
        InputSpec("source", "source overlay path, e.g. k8s/environments/staging"),
        InputSpec("target", "target overlay path, e.g. k8s/environments/production"),
        InputSpec("images", "image names to promote (default: all)", kind="multiline"),
        InputSpec(
            "render",
            "compare overlays rendered by kubectl kustomize",
            default="true",
            kind="boolean",
        ),
        InputSpec(
            "pull-request", "open a pull request instead of pushing", default="true", kind="boolean"
        ),
        InputSpec("base-branch", "branch to promote on (default: the repository's default branch)"),
        InputSpec("branch-prefix", "prefix of the promotion branch", default="relkit/promote/"),
        InputSpec("dry-run", "compute and report, push nothing", default="false", kind="boolean"),
    ),
)


def main(argv: Sequence[str], env: Mapping[str, str]) -> int:  # noqa: ARG001
    refuse_not_built(SPEC, argv)
