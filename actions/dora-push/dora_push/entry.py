"""`relkit dora-push`: declared inputs only; the action is not built yet.

The inputs below are the planned interface (see ``actions/dora-push/README.md``), so
``relkit dora-push --help`` and the metadata tests already hold it to ``action.yml``.
Running it parses the flags, then stops with exit 2 instead of pretending to work.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from relkit.actionspec import ActionSpec, InputSpec, refuse_not_built

SPEC = ActionSpec(
    name="dora-push",
    summary="DORA metrics from GitHub data, pushed to a Prometheus Pushgateway (not built yet)",
    inputs=(
        InputSpec(
            "token",
            "GitHub token for reading deployments, runs, commits and issues",
            secret=True,
            env_fallback="GITHUB_TOKEN",
        ),
        InputSpec("pushgateway-url", "base URL of the Prometheus Pushgateway"),
        InputSpec("pushgateway-username", "basic-auth user name for the Pushgateway"),
        InputSpec("pushgateway-password", "basic-auth password for the Pushgateway", secret=True),
        InputSpec("job", "Pushgateway job label", default="dora"),
        InputSpec("environment", "deployment environment to measure", default="production"),
        InputSpec(
            "deployment-source",
            "deployments or workflow-runs",
            default="deployments",
            kind="choice",
            choices=("deployments", "workflow-runs"),
        ),
        InputSpec("deploy-workflow", "deploy workflow file name (for workflow-runs)"),
        InputSpec("incident-label", "issue label that marks an incident", default="Incident"),
        InputSpec("window-days", "measurement window in days", default="30", kind="integer"),
        InputSpec(
            "fourkeys-compat",
            "reproduce dora-team/fourkeys semantics",
            default="false",
            kind="boolean",
        ),
        InputSpec("dry-run", "print the metrics, push nothing", default="false", kind="boolean"),
    ),
)


def main(argv: Sequence[str], env: Mapping[str, str]) -> int:  # noqa: ARG001
    refuse_not_built(SPEC, argv)
