"""The DORA metrics of a deployment history: pure, the clock is the ``as_of`` parameter.

The history is what a source (GitHub, an events file) knows: deployments of one environment with
their status and kind, the commits each shipped, and incidents. :func:`analyse` resolves it once
(which deployment shipped each commit, which deployments failed and when they recovered), then
:func:`window_metrics` reads one window of ``days`` ending at ``as_of`` out of it. Every definition
is documented in ``actions/dora-push/README.md``; the tests hold each one to a hand-computed case.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum

SUCCESS = "success"
FAILED_STATUSES = frozenset({"failure", "error"})
STATUSES = frozenset({SUCCESS, *FAILED_STATUSES})
KINDS = frozenset({"deploy", "rollback", "hotfix"})
REWORK_KINDS = frozenset({"rollback", "hotfix"})
QUANTILES = (0.5, 0.9)
DAY = 86400.0


@dataclass(frozen=True, slots=True)
class Deployment:
    id: str
    environment: str
    sha: str
    status: str  # success | failure | error
    created_at: datetime
    finished_at: datetime
    kind: str = "deploy"  # deploy | rollback | hotfix


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    committed_at: datetime
    authored_at: datetime
    deployment: str | None = None  # the first deployment that shipped it
    push: str | None = None  # the push that carried it (only model: fourkeys reads it)


@dataclass(frozen=True, slots=True)
class Incident:
    id: str
    opened_at: datetime
    resolved_at: datetime | None = None
    deployment: str | None = None
    root_cause: str | None = None  # a commit sha (or a prefix of at least 7 characters)


@dataclass(frozen=True, slots=True)
class Events:
    deployments: tuple[Deployment, ...] = ()
    commits: tuple[Commit, ...] = ()
    incidents: tuple[Incident, ...] = ()


class Level(IntEnum):
    """DORA's performance clusters, ordered so that ``max()`` is the better one."""

    LOW = 0
    MEDIUM = 1
    HIGH = 2
    ELITE = 3

    @property
    def label(self) -> str:
        return self.name.lower()


# The four metrics with bands (rework has none yet): value → the best level whose bound it meets.
# Bands of the 2023 Accelerate State of DevOps report (DORA), made contiguous: see the README.
LEVEL_METRICS = (
    "deployment_frequency",
    "lead_time",
    "change_failure_ratio",
    "failed_deployment_recovery",
)


def level_of(metric: str, value: float) -> Level:
    """The performance level of ``value`` (per day, seconds or a ratio) for ``metric``."""
    if metric == "deployment_frequency":  # deployments per day: higher is better
        bounds = ((1.0, Level.ELITE), (1 / 7, Level.HIGH), (1 / 30, Level.MEDIUM))
        return next((level for bound, level in bounds if value >= bound), Level.LOW)
    limits: dict[str, tuple[float, float, float]] = {
        "lead_time": (DAY, 7 * DAY, 30 * DAY),
        "failed_deployment_recovery": (3600.0, DAY, 7 * DAY),
    }
    if metric in limits:  # seconds: strictly below the bound
        elite, high, medium = limits[metric]
        levels = ((elite, Level.ELITE), (high, Level.HIGH), (medium, Level.MEDIUM))
        return next((level for bound, level in levels if value < bound), Level.LOW)
    if metric == "change_failure_ratio":  # at most the bound
        ratios = ((0.05, Level.ELITE), (0.10, Level.HIGH), (0.15, Level.MEDIUM))
        return next((level for bound, level in ratios if value <= bound + 1e-12), Level.LOW)
    raise ValueError(f"no performance bands for {metric!r}")


def quantile(values: Iterable[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (BigQuery ``PERCENTILE_CONT``, numpy's
    default); ``None`` for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _seconds(delta: timedelta) -> float:
    return delta.total_seconds()


@dataclass(frozen=True, slots=True)
class Failure:
    deployment: Deployment
    recovered_at: datetime | None  # None: still open at as_of
    started_at: datetime  # the incident's opening, or the deployment's finish

    @property
    def recovery_seconds(self) -> float | None:
        if self.recovered_at is None:
            return None
        return _seconds(self.recovered_at - self.started_at)


@dataclass(frozen=True, slots=True)
class History:
    """A history resolved at ``as_of``: deployments in order, commits by the successful
    deployment that shipped them, failures with their recovery."""

    as_of: datetime
    deployments: tuple[Deployment, ...]
    shipped: dict[str, tuple[Commit, ...]]  # successful deployment id → commits it shipped
    failures: dict[str, Failure]  # deployment id → its failure


def _ordered(deployments: Iterable[Deployment], as_of: datetime) -> tuple[Deployment, ...]:
    known = [d for d in deployments if d.finished_at <= as_of]
    return tuple(sorted(known, key=lambda d: (d.finished_at, d.created_at, d.id)))


def _next_success(order: Sequence[Deployment], index: int) -> Deployment | None:
    return next((d for d in order[index + 1 :] if d.status == SUCCESS), None)


def _shipping(order: Sequence[Deployment]) -> dict[str, str]:
    """Deployment id → the successful deployment that shipped its commits (a failed deployment
    hands them to the next successful one)."""
    target: dict[str, str] = {}
    for index, deployment in enumerate(order):
        if deployment.status == SUCCESS:
            target[deployment.id] = deployment.id
        else:
            later = _next_success(order, index)
            if later is not None:
                target[deployment.id] = later.id
    return target


def _sha_matches(sha: str, reference: str) -> bool:
    return bool(reference) and (
        sha == reference or (len(reference) >= 7 and sha.startswith(reference))
    )


def incident_deployments(
    incident: Incident,
    order: Sequence[Deployment],
    commits: Sequence[Commit],
    target: dict[str, str],
) -> set[str]:
    """The deployments an incident names: its ``deployment``, else the deployment that shipped its
    ``root_cause`` commit, else a deployment of that sha."""
    known = {d.id for d in order}
    if incident.deployment is not None:
        return {incident.deployment} & known
    cause = incident.root_cause or ""
    if not cause:
        return set()
    found = {
        target[c.deployment]
        for c in commits
        if c.deployment is not None and c.deployment in target and _sha_matches(c.sha, cause)
    }
    return found or {d.id for d in order if _sha_matches(d.sha, cause)}


def analyse(events: Events, as_of: datetime) -> History:
    """Resolve ``events`` as they were known at ``as_of`` (later data is ignored)."""
    order = _ordered(events.deployments, as_of)
    target = _shipping(order)
    by_id = {d.id: d for d in order}
    shipped: dict[str, list[Commit]] = {}
    for commit in events.commits:
        if commit.deployment is not None and commit.deployment in target:
            shipped.setdefault(target[commit.deployment], []).append(commit)
    incidents: dict[str, list[Incident]] = {}
    for incident in events.incidents:
        if incident.opened_at > as_of:
            continue
        for deployment_id in incident_deployments(incident, order, events.commits, target):
            incidents.setdefault(deployment_id, []).append(incident)
    failures: dict[str, Failure] = {}
    for index, deployment in enumerate(order):
        following = order[index + 1] if index + 1 < len(order) else None
        reworked = following is not None and following.kind in REWORK_KINDS
        named = incidents.get(deployment.id, [])
        if not (deployment.status in FAILED_STATUSES or named or reworked):
            continue
        if named:
            started = min(i.opened_at for i in named)
            ends = [i.resolved_at for i in named]
            closed = [end for end in ends if end is not None and end <= as_of]
            recovered = max(closed) if len(closed) == len(ends) else None
        else:
            started = deployment.finished_at
            later = _next_success(order, index)
            recovered = later.finished_at if later is not None else None
        failures[deployment.id] = Failure(by_id[deployment.id], recovered, started)
    return History(
        as_of=as_of,
        deployments=order,
        shipped={key: tuple(value) for key, value in shipped.items()},
        failures=failures,
    )


@dataclass(frozen=True, slots=True)
class WindowMetrics:
    days: int
    start: datetime  # exclusive
    end: datetime  # inclusive (as_of)
    deployments: int  # successful, finished in the window
    all_deployments: int  # any status
    lead_times: tuple[float, ...]  # seconds, positive only
    failed: int
    recoveries: tuple[float, ...]  # seconds, of the failures recovered by as_of
    unrecovered: int
    rework: int

    @property
    def label(self) -> str:
        return f"{self.days}d"

    @property
    def frequency_per_day(self) -> float:
        return self.deployments / self.days

    def lead_time(self, q: float) -> float | None:
        return quantile(self.lead_times, q)

    @property
    def change_failure_ratio(self) -> float | None:
        return self.failed / self.all_deployments if self.all_deployments else None

    def recovery(self, q: float = 0.5) -> float | None:
        return quantile(self.recoveries, q)

    @property
    def rework_ratio(self) -> float | None:
        return self.rework / self.all_deployments if self.all_deployments else None

    def levels(self) -> dict[str, Level]:
        """The performance level of each metric that has a value."""
        values = {
            "deployment_frequency": self.frequency_per_day,
            "lead_time": self.lead_time(0.5),
            "change_failure_ratio": self.change_failure_ratio,
            "failed_deployment_recovery": self.recovery(0.5),
        }
        return {name: level_of(name, value) for name, value in values.items() if value is not None}


def window_metrics(
    history: History, days: int, *, lead_time_start: str = "committed"
) -> WindowMetrics:
    """The metrics of the ``days`` before ``history.as_of``: deployments finished in
    ``(as_of - days, as_of]``."""
    if days < 1:
        raise ValueError(f"a window is at least one day, got {days}")
    end = history.as_of
    start = end - timedelta(days=days)
    inside = [d for d in history.deployments if start < d.finished_at <= end]
    successful = [d for d in inside if d.status == SUCCESS]
    lead_times: list[float] = []
    for deployment in successful:
        for commit in history.shipped.get(deployment.id, ()):
            began = commit.authored_at if lead_time_start == "authored" else commit.committed_at
            seconds = _seconds(deployment.finished_at - began)
            if seconds > 0:
                lead_times.append(seconds)
    failures = [history.failures[d.id] for d in inside if d.id in history.failures]
    recoveries = [f.recovery_seconds for f in failures if f.recovery_seconds is not None]
    return WindowMetrics(
        days=days,
        start=start,
        end=end,
        deployments=len(successful),
        all_deployments=len(inside),
        lead_times=tuple(lead_times),
        failed=len(failures),
        recoveries=tuple(recoveries),
        unrecovered=len(failures) - len(recoveries),
        rework=sum(1 for d in inside if d.kind in REWORK_KINDS),
    )


def compute(
    events: Events, as_of: datetime, windows: Sequence[int], *, lead_time_start: str = "committed"
) -> tuple[WindowMetrics, ...]:
    """Every window's metrics, in the order given."""
    history = analyse(events, as_of)
    return tuple(window_metrics(history, days, lead_time_start=lead_time_start) for days in windows)
