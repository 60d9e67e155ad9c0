"""``model: fourkeys``: dora-team/fourkeys' SQL, reproduced on the same events (pure).

Four Keys' derived tables and dashboard queries (``queries/*.sql``, ``dashboard/
fourkeys_dashboard.json``, ``METRICS.md``) with BigQuery semantics, so a team moving off Four
Keys sees the same numbers:

- deployments are the successful ones; a deployment's changes are the commits of the *push whose
  head is the deployed sha* (a commit's ``push`` names its push, the head being the push's last
  commit in the file; a commit without ``push`` is a push of its own), not every commit since
  the previous deployment;
- lead time rows are deployment x change, ``TIMESTAMP_DIFF(…, MINUTE)`` truncated toward zero,
  rows ≤ 0 minutes dropped, the median by ``PERCENTILE_CONT`` over rows (a deployment of 10
  changes weighs 10x), 0 when there is no row;
- time to restore is per incident ``TIMESTAMP_DIFF(resolved, created, HOUR)`` (whole hours),
  ``created`` = the earlier of the issue's opening and the deployment of its root cause;
  unresolved incidents are ignored by the median but still make a row (a NULL median falls to
  the ``ELSE`` bucket, "One year");
- change failure rate = rows of deployment x change joined to an incident by root cause /
  distinct deployments *with changes* (the SQL's ``FROM deployments d, d.changes`` drops the
  others), so it may exceed 1;
- the window is every row strictly after midnight UTC of ``DATE_SUB(CURRENT_DATE(), INTERVAL 3
  MONTH)`` (which clamps to the month's end); weeks start on Sunday.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from dora_push.metrics import SUCCESS, Commit, Deployment, Events, Incident, quantile


@dataclass(frozen=True, slots=True)
class FourKeysMetrics:
    window_start: datetime  # rows strictly after this instant count
    days: int  # CURRENT_DATE - window start date
    deployments: int
    lead_time_minutes: float  # the median, 0 without rows (Four Keys shows 0)
    restore_hours: float | None  # None: no incident row in the window, or none resolved
    incidents: int  # incident rows in the window (resolved or not)
    change_failure_rate: float | None  # None: no deployment with changes (BigQuery: 0/0)
    deployment_frequency: str  # Daily | Weekly | Monthly | Yearly
    lead_time_bucket: str
    restore_bucket: str | None  # None: no incident row
    change_failure_bucket: str | None
    daily_lead_time: tuple[tuple[date, float], ...]  # the daily panel: median hours per day
    lead_minutes: tuple[float, ...] = ()  # the positive rows
    restore_hours_each: tuple[float, ...] = ()  # the resolved incidents' whole hours

    @property
    def label(self) -> str:
        return "3mo"


def sub_months(day: date, months: int) -> date:
    """BigQuery ``DATE_SUB(day, INTERVAL n MONTH)``: the day clamps to the month's end."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    following = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    last = (following - timedelta(days=1)).day
    return date(year, month + 1, min(day.day, last))


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def timestamp_diff(later: datetime, earlier: datetime, unit_seconds: int) -> int:
    """BigQuery ``TIMESTAMP_DIFF``: whole units, truncated toward zero."""
    micros = (later - earlier) // timedelta(microseconds=1)
    whole = abs(micros) // (unit_seconds * 1_000_000)
    return whole if micros >= 0 else -whole


def week_start(day: date) -> date:
    """``TIMESTAMP_TRUNC(day, WEEK)``: the Sunday on or before ``day``."""
    return day - timedelta(days=(day.weekday() + 1) % 7)


def _truncate_seconds(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


def changes_by_push(events: Events) -> dict[str, tuple[Commit, ...]]:
    """Deployed sha → the commits of the push whose head it is (Four Keys' attribution)."""
    pushes: dict[str, list[Commit]] = {}
    for index, commit in enumerate(events.commits):
        pushes.setdefault(commit.push or f"\0{index}", []).append(commit)
    return {members[-1].sha: tuple(members) for members in pushes.values()}


def _bucket_hours(hours: float | None) -> str:
    if hours is not None:
        for bound, name in ((24, "One day"), (168, "One week"), (730, "One month")):
            if hours < bound:
                return name
        if hours < 730 * 6:
            return "Six months"
    return "One year"


def _cfr_bucket(rate: float) -> str:
    if rate <= 0.15:
        return "0-15%"
    return "16-45%" if rate < 0.46 else "46-60%"


def _first_event_date(events: Events) -> date | None:
    times = [d.created_at for d in events.deployments]
    times += [c.committed_at for c in events.commits]
    times += [i.opened_at for i in events.incidents]
    return min(times).astimezone(UTC).date() if times else None


def _frequency_bucket(deploy_days: set[date], start: date, today: date, first: date | None) -> str:
    """Daily / Weekly / Monthly / Yearly, the dashboard's deployment frequency query."""
    days = [start + timedelta(days=n) for n in range((today - start).days + 1)]
    days = [d for d in days if first is not None and d > first]
    weeks: dict[date, list[date]] = {}
    for day in days:
        weeks.setdefault(week_start(day), []).append(day)
    if not weeks:
        return "Yearly"  # no row: the panel is empty; Yearly is the closest reading
    deployed = {w: int(any(d in deploy_days for d in ds)) for w, ds in weeks.items()}
    days_deployed = {w: sum(1 for d in ds if d in deploy_days) for w, ds in weeks.items()}
    if (quantile(days_deployed.values(), 0.5) or 0) >= 3:
        return "Daily"
    if (quantile(deployed.values(), 0.5) or 0) >= 1:
        return "Weekly"
    per_month: dict[tuple[int, int], int] = {}
    for week, flag in deployed.items():
        per_month[(week.year, week.month)] = per_month.get((week.year, week.month), 0) + flag
    monthly = [per_month[(w.year, w.month)] for w in deployed]  # one value per week row
    return "Monthly" if (quantile(monthly, 0.5) or 0) >= 1 else "Yearly"


def _restore_rows(
    incidents: Sequence[Incident], deploy_of_change: dict[str, list[datetime]], as_of: datetime
) -> list[tuple[datetime, datetime | None]]:
    rows = []
    for incident in incidents:
        if incident.opened_at > as_of:
            continue
        created = incident.opened_at
        for deployed in deploy_of_change.get(incident.root_cause or "", []):
            created = min(created, deployed)
        resolved = incident.resolved_at
        if resolved is not None and resolved > as_of:
            resolved = None
        rows.append((created, resolved))
    return rows


def compute_fourkeys(
    events: Events, as_of: datetime, *, lead_time_start: str = "committed"
) -> FourKeysMetrics:
    today = as_of.astimezone(UTC).date()
    start_day = sub_months(today, 3)
    start = _midnight(start_day)
    pushes = changes_by_push(events)
    deployments: list[Deployment] = [
        d for d in events.deployments if d.status == SUCCESS and d.finished_at <= as_of
    ]
    rows: list[tuple[Deployment, Commit]] = [
        (d, c) for d in deployments for c in pushes.get(d.sha, ())
    ]
    deploy_of_change: dict[str, list[datetime]] = {}
    for deployment, change in rows:
        deploy_of_change.setdefault(change.sha, []).append(deployment.finished_at)
    recent = [(d, c) for d, c in rows if d.finished_at > start]
    minutes = []
    for deployment, change in recent:
        began = change.authored_at if lead_time_start == "authored" else change.committed_at
        value = timestamp_diff(deployment.finished_at, _truncate_seconds(began), 60)
        if value > 0:
            minutes.append(float(value))
    lead = quantile(minutes, 0.5) or 0.0
    restore_rows = [
        (created, resolved)
        for created, resolved in _restore_rows(events.incidents, deploy_of_change, as_of)
        if created > start
    ]
    hours = [float(timestamp_diff(r, c, 3600)) for c, r in restore_rows if r is not None]
    restore = quantile(hours, 0.5)
    causes: dict[str, int] = {}
    for incident in events.incidents:
        if incident.root_cause and incident.opened_at <= as_of:
            causes[incident.root_cause] = causes.get(incident.root_cause, 0) + 1
    with_changes = {d.id for d, _ in recent}
    joined = sum(causes.get(c.sha, 0) for _, c in recent)  # LEFT JOIN: one row per incident
    rate = joined / len(with_changes) if with_changes else None
    deploy_days = {d.finished_at.astimezone(UTC).date() for d in deployments}
    return FourKeysMetrics(
        window_start=start,
        days=(today - start_day).days,
        deployments=len({d.id for d in deployments if d.finished_at > start}),
        lead_time_minutes=lead,
        restore_hours=restore,
        incidents=len(restore_rows),
        change_failure_rate=rate,
        deployment_frequency=_frequency_bucket(
            deploy_days, start_day, today, _first_event_date(events)
        ),
        lead_time_bucket=_bucket_hours(lead / 60),
        restore_bucket=_bucket_hours(restore) if restore_rows else None,
        change_failure_bucket=_cfr_bucket(rate) if rate is not None else None,
        daily_lead_time=daily_lead_time(recent, lead_time_start),
        lead_minutes=tuple(minutes),
        restore_hours_each=tuple(hours),
    )


def daily_lead_time(
    rows: Sequence[tuple[Deployment, Commit]], lead_time_start: str = "committed"
) -> tuple[tuple[date, float], ...]:
    """The daily panel: per deploy day (UTC), the interpolated median of the positive minutes,
    in hours; a day whose rows are all non-positive shows 0."""
    per_day: dict[date, list[float]] = {}
    for deployment, change in rows:
        day = deployment.finished_at.astimezone(UTC).date()
        began = change.authored_at if lead_time_start == "authored" else change.committed_at
        value = timestamp_diff(deployment.finished_at, _truncate_seconds(began), 60)
        per_day.setdefault(day, [])
        if value > 0:
            per_day[day].append(float(value))
    return tuple(
        (day, (quantile(values, 0.5) or 0.0) / 60) for day, values in sorted(per_day.items())
    )
