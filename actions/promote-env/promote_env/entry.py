"""`relkit promote-env`: read the inputs, run promote / drift / rollback, write the outputs.

The modes live in :mod:`promote_env.flow` (files, git, kubectl) on top of the pure modules
(:mod:`promote_env.kustomize`, :mod:`promote_env.promotion`, :mod:`promote_env.record`,
:mod:`promote_env.freeze`, :mod:`promote_env.rendered`); :mod:`promote_env.deliver` pushes and
opens the pull request in Actions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from relkit.actionspec import ActionSpec, InputSpec, ResolvedInputs, parse_args
from relkit.adapters import gha
from relkit.errors import ConfigError

SPEC = ActionSpec(
    name="promote-env",
    summary="Promote one image between Kustomize overlays; drift and rollback",
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
        InputSpec(
            "allow-downgrade",
            "allow moving the target to an older SemVer tag",
            default="false",
            kind="boolean",
        ),
        InputSpec(
            "fail-on-drift",
            "drift mode: exit 1 when drift is found",
            default="false",
            kind="boolean",
        ),
        InputSpec(
            "ignore-drift",
            "expected rendered differences: paths (spec.replicas) or kinds",
            kind="multiline",
        ),
        InputSpec("freeze-windows", "freeze windows, one a line", kind="multiline"),
        InputSpec("override-freeze", "reason for promoting inside a freeze window"),
        InputSpec("to", "rollback: the git ref whose target images to restore"),
    ),
)


@dataclass(frozen=True, slots=True)
class Inputs:
    """The action's inputs, parsed."""

    token: str
    mode: str
    source: str
    target: str
    images: tuple[str, ...]
    render: bool
    pull_request: bool
    base_branch: str
    branch_prefix: str
    dry_run: bool
    allow_downgrade: bool
    fail_on_drift: bool
    ignore_drift: tuple[str, ...]
    freeze_windows: str
    override_freeze: str
    to: str


def _overlay_path(name: str, value: str, *, required: bool) -> str:
    text = value.strip().strip("/")
    if not text:
        if required:
            raise ConfigError(
                f"input '{name}' is required: give the overlay folder relative to the "
                "repository root, e.g. k8s/environments/production"
            )
        return ""
    parts = text.replace("\\", "/").split("/")
    if ".." in parts or value.strip().startswith("/"):
        raise ConfigError(
            f"input '{name}' must be a folder inside the repository, got {value!r}; "
            "give it relative to the repository root"
        )
    return "/".join(part for part in parts if part not in {"", "."}) or "."


def read_inputs(inputs: ResolvedInputs) -> Inputs:
    mode = inputs.str("mode")
    from promote_env.freeze import parse_windows  # noqa: PLC0415

    freeze = inputs.str("freeze-windows")
    parse_windows(freeze)  # a malformed line is exit 2 before anything else
    return Inputs(
        token=inputs.str("token"),
        mode=mode,
        source=_overlay_path("source", inputs.str("source"), required=mode != "rollback"),
        target=_overlay_path("target", inputs.str("target"), required=True),
        images=tuple(inputs.lines("images")),
        render=inputs.bool("render"),
        pull_request=inputs.bool("pull-request"),
        base_branch=inputs.str("base-branch"),
        branch_prefix=inputs.str("branch-prefix"),
        dry_run=inputs.bool("dry-run"),
        allow_downgrade=inputs.bool("allow-downgrade"),
        fail_on_drift=inputs.bool("fail-on-drift"),
        ignore_drift=tuple(inputs.lines("ignore-drift")),
        freeze_windows=freeze,
        override_freeze=inputs.str("override-freeze"),
        to=inputs.str("to"),
    )


def main(argv: Sequence[str], env: Mapping[str, str], *, now: datetime | None = None) -> int:
    _namespace, resolved = parse_args(SPEC, argv, env)
    inputs = read_inputs(resolved)
    from datetime import UTC  # noqa: PLC0415

    from promote_env import flow  # noqa: PLC0415 - keeps --help fast

    clock = now or datetime.now(UTC)
    if inputs.mode == "drift":
        report = flow.run_drift(inputs, env)
    else:
        report = flow.run_change(inputs, env, clock)
    for name, value in report.outputs().items():
        gha.set_output(name, value, env)
    gha.write_summary(report.summary(), env)
    return report.exit_code
