"""The job summary: the metric table with levels, and Mermaid charts of the same data (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from dora_push.fourkeys import FourKeysMetrics, week_start
from dora_push.metrics import SUCCESS, History, WindowMetrics, quantile

CHART_WEEKS = 12


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f} {unit}"
    return f"{seconds:.0f} s"


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _table(windows: Sequence[WindowMetrics]) -> list[str]:
    lines = ["| metric | " + " | ".join(w.label for w in windows) + " |"]
    lines.append("|---|" + "---|" * len(windows))

    def row(name: str, cells: list[str]) -> None:
        lines.append(f"| {name} | " + " | ".join(cells) + " |")

    def level(w: WindowMetrics, metric: str) -> str:
        found = w.levels().get(metric)
        return f" ({found.label})" if found is not None else ""

    row("deployments", [str(w.deployments) for w in windows])
    row(
        "deployment frequency",
        [f"{w.frequency_per_day:.2f}/day{level(w, 'deployment_frequency')}" for w in windows],
    )
    row(
        "lead time p50 / p90",
        [
            f"{format_duration(w.lead_time(0.5))} / {format_duration(w.lead_time(0.9))}"
            f"{level(w, 'lead_time')}"
            for w in windows
        ],
    )
    row(
        "change failure rate",
        [
            f"{_ratio(w.change_failure_ratio)} ({w.failed}/{w.all_deployments})"
            f"{level(w, 'change_failure_ratio')}"
            for w in windows
        ],
    )
    row(
        "failed deployment recovery p50",
        [
            f"{format_duration(w.recovery(0.5))}{level(w, 'failed_deployment_recovery')}"
            + (f", {w.unrecovered} open" if w.unrecovered else "")
            for w in windows
        ],
    )
    row("deployment rework rate", [_ratio(w.rework_ratio) for w in windows])
    return lines


def weekly_series(history: History, weeks: int = CHART_WEEKS) -> list[tuple[date, int, float]]:
    """(week start, successful deployments, median lead time in hours) for the last ``weeks``
    Sunday weeks up to ``as_of``."""
    last = week_start(history.as_of.astimezone(UTC).date())
    starts = [last - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    counts = dict.fromkeys(starts, 0)
    leads: dict[date, list[float]] = {start: [] for start in starts}
    for deployment in history.deployments:
        if deployment.status != SUCCESS:
            continue
        week = week_start(deployment.finished_at.astimezone(UTC).date())
        if week not in counts:
            continue
        counts[week] += 1
        for commit in history.shipped.get(deployment.id, ()):
            seconds = (deployment.finished_at - commit.committed_at).total_seconds()
            if seconds > 0:
                leads[week].append(seconds / 3600)
    return [(s, counts[s], quantile(leads[s], 0.5) or 0.0) for s in starts]


def _charts(history: History) -> list[str]:
    series = weekly_series(history)
    labels = ", ".join(f'"{start:%m-%d}"' for start, _, _ in series)
    top = max([count for _, count, _ in series] + [1])
    top_lead = max([lead for _, _, lead in series] + [1.0])
    return [
        "```mermaid",
        "xychart-beta",
        '    title "Deployments per week (weeks start on Sunday, UTC)"',
        f"    x-axis [{labels}]",
        f'    y-axis "deployments" 0 --> {top}',
        "    bar [" + ", ".join(str(count) for _, count, _ in series) + "]",
        "```",
        "",
        "```mermaid",
        "xychart-beta",
        '    title "Median lead time per week (hours)"',
        f"    x-axis [{labels}]",
        f'    y-axis "hours" 0 --> {top_lead:.1f}',
        "    line [" + ", ".join(f"{lead:.2f}" for _, _, lead in series) + "]",
        "```",
    ]


def _fourkeys_table(fk: FourKeysMetrics) -> list[str]:
    restore = "-" if fk.restore_hours is None else f"{fk.restore_hours:g} h"
    return [
        "| metric | value | Four Keys bucket |",
        "|---|---|---|",
        f"| deployments | {fk.deployments} | {fk.deployment_frequency} |",
        f"| lead time (median) | {fk.lead_time_minutes / 60:.2f} h | {fk.lead_time_bucket} |",
        f"| time to restore (median) | {restore} | {fk.restore_bucket or '-'} |",
        f"| change failure rate | {_ratio(fk.change_failure_rate)} | "
        f"{fk.change_failure_bucket or '-'} |",
    ]


def _fourkeys_chart(fk: FourKeysMetrics) -> list[str]:
    if not fk.daily_lead_time:
        return []
    days = fk.daily_lead_time[-31:]
    top = max([hours for _, hours in days] + [1.0])
    return [
        "```mermaid",
        "xychart-beta",
        '    title "Lead time, daily median (hours, Four Keys)"',
        "    x-axis [" + ", ".join(f'"{day:%m-%d}"' for day, _ in days) + "]",
        f'    y-axis "hours" 0 --> {top:.1f}',
        "    line [" + ", ".join(f"{hours:.2f}" for _, hours in days) + "]",
        "```",
    ]


def render_summary(
    *,
    title: str,
    as_of: datetime,
    history: History,
    windows: Sequence[WindowMetrics],
    fourkeys: FourKeysMetrics | None,
    pushed_to: str,
) -> str:
    lines = [f"## DORA metrics: {title}", ""]
    lines.append(f"As of {as_of.astimezone(UTC):%Y-%m-%d %H:%M} UTC. {pushed_to}")
    lines.append("")
    if fourkeys is not None:
        lines += [*_fourkeys_table(fourkeys), "", *_fourkeys_chart(fourkeys)]
    else:
        lines += _table(windows)
        lines += ["", "Levels: DORA's 2023 performance clusters (see the action README).", ""]
        lines += _charts(history)
    return "\n".join(lines) + "\n"
