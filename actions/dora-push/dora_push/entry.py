"""``relkit dora-push``: DORA metrics from GitHub data or an events file, pushed to a Pushgateway.

Reads the inputs, loads the history (``events-file``, or GitHub deployments / deploy-workflow runs
with their commits and incident issues), computes every window at ``as-of``, writes the text
exposition to ``metrics-file`` and the ``metrics`` output first, then PUTs it to the Pushgateway
(``dry-run`` prints it instead), and writes the job summary. Exit 0 pushed (or dry run), 1 the
Pushgateway or GitHub failed after retries (the metrics file is still written), 2 bad input.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from relkit.actionspec import ActionSpec, InputSpec, ResolvedInputs, parse_args
from relkit.adapters import gha
from relkit.adapters.http import HttpClient
from relkit.errors import ConfigError, ExternalError

from dora_push.fourkeys import FourKeysMetrics
from dora_push.metrics import Events, WindowMetrics

SPEC = ActionSpec(
    name="dora-push",
    summary="DORA metrics from GitHub data or an events file, pushed to a Prometheus Pushgateway",
    inputs=(
        InputSpec(
            "token",
            "GitHub token for reading deployments, runs, commits and issues",
            secret=True,
            env_fallback="GITHUB_TOKEN",
        ),
        InputSpec("repository", "owner/name to measure (default: GITHUB_REPOSITORY)"),
        InputSpec("pushgateway-url", "base URL of the Prometheus Pushgateway"),
        InputSpec("pushgateway-username", "basic-auth user name for the Pushgateway"),
        InputSpec("pushgateway-password", "basic-auth password for the Pushgateway", secret=True),
        InputSpec("pushgateway-token", "bearer token for the Pushgateway", secret=True),
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
        InputSpec(
            "rollback-patterns",
            "glob patterns (comma or newline separated) marking a rollback deployment",
            default="revert:*,Revert *,rollback*",
        ),
        InputSpec(
            "hotfix-patterns",
            "glob patterns (comma or newline separated) marking a hotfix deployment",
            default="hotfix/*,hotfix-*,fix!:*,fix(*)!:*",
        ),
        InputSpec("events-file", "JSON events file to read instead of GitHub"),
        InputSpec("window-days", "window lengths in days, e.g. 1,7,30", default="30"),
        InputSpec("as-of", "end of the windows, RFC 3339 or YYYY-MM-DD (default: now)"),
        InputSpec(
            "lead-time-start",
            "committed or authored: the commit time lead time starts at",
            default="committed",
            kind="choice",
            choices=("committed", "authored"),
        ),
        InputSpec(
            "model",
            "dora (current DORA definitions) or fourkeys (dora-team/fourkeys' numbers)",
            default="dora",
            kind="choice",
            choices=("dora", "fourkeys"),
        ),
        InputSpec("metrics-file", "where to write the text exposition"),
        InputSpec("dry-run", "print the metrics, push nothing", default="false", kind="boolean"),
    ),
)


@dataclass(frozen=True, slots=True)
class Request:
    repository: str
    environment: str
    job: str
    windows: tuple[int, ...]
    as_of: datetime
    model: str
    lead_time_start: str
    events_file: str
    metrics_file: Path
    dry_run: bool


MAX_WINDOW_DAYS = 36500  # 100 years: any longer window leaves the calendar's range
AS_OF_RANGE = (datetime(1970, 1, 1, tzinfo=UTC), datetime(9999, 1, 1, tzinfo=UTC))


def parse_windows(raw: str) -> tuple[int, ...]:
    days: list[int] = []
    for part in raw.replace("\n", ",").split(","):
        text = part.strip().removesuffix("d")
        if not text:
            continue
        if not text.isdigit() or not 1 <= int(text) <= MAX_WINDOW_DAYS:
            raise ConfigError(
                f"input 'window-days' must be whole numbers of days from 1 to {MAX_WINDOW_DAYS} "
                f"like 1,7,30; got {raw!r}"
            )
        if int(text) not in days:
            days.append(int(text))
    if not days:
        raise ConfigError("input 'window-days' is empty: give at least one window, e.g. 30")
    return tuple(days)


def parse_as_of(raw: str, now: datetime) -> datetime:
    """``as-of``: RFC 3339 with an offset, or ``YYYY-MM-DD`` meaning the end of that UTC day."""
    if not raw:
        return now
    try:
        if len(raw) == 10:
            day = datetime.strptime(raw, "%Y-%m-%d").replace(tzinfo=UTC)
            moment: datetime | None = day + timedelta(days=1)
        else:
            moment = datetime.fromisoformat(raw)
    except (ValueError, OverflowError):
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ConfigError(
            f"input 'as-of' must be RFC 3339 with an offset (2026-11-30T00:00:00Z) or a date "
            f"(2026-11-30); got {raw!r}"
        )
    if not AS_OF_RANGE[0] < moment < AS_OF_RANGE[1]:
        raise ConfigError(
            f"input 'as-of' must lie between 1970 and 9999; got {raw!r}: give the end of the "
            "window to measure, e.g. 2026-11-30"
        )
    return moment.astimezone(UTC)


def build_request(inputs: ResolvedInputs, env: Mapping[str, str], now: datetime) -> Request:
    repository = inputs.str("repository") or env.get("GITHUB_REPOSITORY", "")
    if not repository:
        raise ConfigError(
            "input 'repository' is empty and GITHUB_REPOSITORY is not set: give "
            "--repository owner/name (the 'repository' input; also the grouping label)"
        )
    if repository.count("/") != 1:
        raise ConfigError(
            f"input 'repository' must be owner/name (default: GITHUB_REPOSITORY); got "
            f"{repository!r}"
        )
    metrics_file = inputs.str("metrics-file")
    if not metrics_file:
        folder = env.get("RUNNER_TEMP") or tempfile.gettempdir()
        metrics_file = str(Path(folder) / "dora-metrics.prom")
    environment = inputs.str("environment")
    if not environment:
        raise ConfigError("input 'environment' is empty: name the environment, e.g. production")
    return Request(
        repository=repository,
        environment=environment,
        job=inputs.str("job"),
        windows=parse_windows(inputs.str("window-days")),
        as_of=parse_as_of(inputs.str("as-of"), now),
        model=inputs.str("model"),
        lead_time_start=inputs.str("lead-time-start"),
        events_file=inputs.str("events-file"),
        metrics_file=Path(metrics_file),
        dry_run=inputs.bool("dry-run"),
    )


def write_atomically(path: Path, text: str) -> None:
    try:
        _write_atomically(path, text)
    except OSError as exc:
        raise ConfigError(
            f"input 'metrics-file' {str(path)!r} cannot be written ({type(exc).__name__}: "
            f"{exc.strerror}); give the path of a file in a writable folder"
        ) from None


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        mask = os.umask(0o022)  # mkstemp makes 0600: readable by later steps like any file
        os.umask(mask)
        os.fchmod(handle, 0o666 & ~mask)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        Path(scratch).replace(path)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise


def main(argv: Sequence[str], env: Mapping[str, str]) -> int:
    _, inputs = parse_args(SPEC, argv, env)
    return run(inputs, env, now=datetime.now(UTC))


def run(
    inputs: ResolvedInputs,
    env: Mapping[str, str],
    *,
    now: datetime,
    http: HttpClient | None = None,
    github_options: Mapping[str, object] | None = None,
) -> int:
    """The action after its inputs: ``http`` and ``github_options`` let tests replace sleeps."""
    from dora_push import exposition, pushgateway, summary  # noqa: PLC0415
    from dora_push.fourkeys import compute_fourkeys  # noqa: PLC0415
    from dora_push.metrics import analyse, window_metrics  # noqa: PLC0415

    request = build_request(inputs, env, now)
    gateway = None
    if not request.dry_run:
        url = inputs.str("pushgateway-url")
        if not url:
            raise ConfigError(
                "input 'pushgateway-url' is empty: give the Pushgateway's URL, or set "
                "dry-run: true to compute and print the metrics only"
            )
        gateway = pushgateway.Pushgateway(
            url,
            username=inputs.str("pushgateway-username"),
            password=inputs.str("pushgateway-password"),
            token=inputs.str("pushgateway-token"),
            http=http,
        )
    path = pushgateway.grouping_path(request.job, request.repository, request.environment)
    events = load_events(request, inputs, env, github_options or {})
    history = analyse(events, request.as_of)
    fourkeys = None
    metrics: tuple[WindowMetrics, ...] = ()
    if request.model == "fourkeys":
        fourkeys = compute_fourkeys(events, request.as_of, lead_time_start=request.lead_time_start)
    else:
        metrics = tuple(
            window_metrics(history, days, lead_time_start=request.lead_time_start)
            for days in request.windows
        )
    grouping = {
        "job": request.job,
        "repository": request.repository,
        "environment": request.environment,
    }
    text = exposition.render(metrics, fourkeys, grouping, request.as_of.timestamp())
    write_atomically(request.metrics_file, text)
    set_outputs(metrics, fourkeys, text, request, env)
    where = "Dry run: nothing pushed." if gateway is None else f"Pushed to group `{path}`."
    gha.write_summary(
        summary.render_summary(
            title=f"{request.repository} ({request.environment})",
            as_of=request.as_of,
            history=history,
            windows=metrics,
            fourkeys=fourkeys,
            pushed_to=where,
        ),
        env,
    )
    if gateway is None:
        gha.print_untrusted(text.rstrip("\n"), env)
        return 0
    try:
        status = gateway.put(path, text)
    except ExternalError as exc:
        raise ExternalError(f"{exc} ({request.metrics_file})") from None
    gha.info(f"pushed {text.count(chr(10))} lines to the Pushgateway group {path} ({status})")
    return 0


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def set_outputs(
    metrics: Sequence[WindowMetrics],
    fourkeys: FourKeysMetrics | None,
    text: str,
    request: Request,
    env: Mapping[str, str],
) -> None:
    """The outputs read the first window (``model: fourkeys``: its three months)."""
    gha.set_output("metrics", text, env)
    gha.set_output("metrics-file", str(request.metrics_file), env)
    if fourkeys is not None:
        recovery = None if fourkeys.restore_hours is None else fourkeys.restore_hours * 3600
        values = {
            "deployments": str(fourkeys.deployments),
            "lead-time-seconds": _number(fourkeys.lead_time_minutes * 60),
            "change-failure-ratio": _number(fourkeys.change_failure_rate),
            "recovery-seconds": _number(recovery),
            "rework-ratio": "",
        }
    else:
        first = metrics[0]
        values = {
            "deployments": str(first.deployments),
            "lead-time-seconds": _number(first.lead_time(0.5)),
            "change-failure-ratio": _number(first.change_failure_ratio),
            "recovery-seconds": _number(first.recovery(0.5)),
            "rework-ratio": _number(first.rework_ratio),
        }
    for name, value in values.items():
        gha.set_output(name, value, env)


def load_events(
    request: Request,
    inputs: ResolvedInputs,
    env: Mapping[str, str],
    github_options: Mapping[str, object],
) -> Events:
    """The history: the events file when given, else GitHub."""
    if request.events_file:
        from dora_push.events_file import parse_events  # noqa: PLC0415

        path = Path(request.events_file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(
                f"input 'events-file' {str(path)!r} cannot be read ({type(exc).__name__}: "
                f"{exc.strerror if isinstance(exc, OSError) else 'not UTF-8'}); give a readable "
                "JSON file"
            ) from None
        return parse_events(text, source=repr(str(path)), environment=request.environment)
    from dora_push.github_source import Source, load_from_github  # noqa: PLC0415

    source = Source(
        repository=request.repository,
        environment=request.environment,
        deployment_source=inputs.str("deployment-source"),
        deploy_workflow=inputs.str("deploy-workflow"),
        incident_label=inputs.str("incident-label"),
        rollback_patterns=tuple(inputs.lines("rollback-patterns")),
        hotfix_patterns=tuple(inputs.lines("hotfix-patterns")),
        since=request.as_of - timedelta(days=max(request.windows) + 92),
        until=request.as_of,
    )
    return load_from_github(source, inputs.str("token"), env, dict(github_options))
