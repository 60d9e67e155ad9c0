"""Build ``dashboards/dora.json``, the Grafana dashboard of dora-push's metrics.

A build-time generator (``grafana-foundation-sdk`` is a dev dependency, never a runtime one); its
output is committed, and ``tests/dora_push/test_dashboard.py`` regenerates it and compares, then
runs every PromQL expression of it against a real Prometheus::

    .venv/bin/python scripts/build_dora_dashboard.py > dashboards/dora.json

Variables: the Prometheus data source, ``repository``, ``environment`` (multi-value, regex
matched) and ``window``. One panel per metric, the performance levels, two trends and the
staleness of the last push (``time() - push_time_seconds``).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from grafana_foundation_sdk.builders import dashboard, prometheus, stat, table, timeseries
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models.dashboard import DataSourceRef, GridPos, VariableRefresh
from grafana_foundation_sdk.models.prometheus import PromQueryFormat

DATASOURCE = DataSourceRef(type_val="prometheus", uid="${datasource}")
GROUP = 'job="dora",repository=~"$repository",environment=~"$environment"'
SERIES = GROUP + ',window="$window"'

# (title, expression, unit, description): one stat per metric
STATS: tuple[tuple[str, str, str, str], ...] = (
    (
        "Deployments",
        f"sum by (repository, environment) (dora_deployments{{{SERIES}}})",
        "none",
        "Successful deployments finished in the window.",
    ),
    (
        "Deployment frequency",
        f"sum by (repository, environment) (dora_deployment_frequency_per_day{{{SERIES}}})",
        "none",
        "Successful deployments per day.",
    ),
    (
        "Lead time for changes (p50)",
        f'max by (repository, environment) (dora_lead_time_seconds{{{SERIES},quantile="0.5"}})',
        "s",
        "Median of deployment finish minus commit time over the changes shipped.",
    ),
    (
        "Change failure rate",
        f"max by (repository, environment) (dora_change_failure_ratio{{{SERIES}}})",
        "percentunit",
        "Failed deployments / all deployments.",
    ),
    (
        "Failed deployment recovery time (p50)",
        "max by (repository, environment) "
        f'(dora_failed_deployment_recovery_seconds{{{SERIES},quantile="0.5"}})',
        "s",
        "Median time from a failed deployment (or its incident) to recovery.",
    ),
    (
        "Deployment rework rate",
        f"max by (repository, environment) (dora_deployment_rework_ratio{{{SERIES}}})",
        "percentunit",
        "Rollback and hotfix deployments / all deployments.",
    ),
    (
        "Time since the last push",
        f"max by (repository, environment) (time() - push_time_seconds{{{GROUP}}})",
        "s",
        "Staleness of the metrics: alert when it exceeds the schedule (e.g. 2 days).",
    ),
)
LEVELS = (
    f"max by (repository, environment, metric, level) (dora_performance_level{{{SERIES}}} == 1)"
)
TRENDS: tuple[tuple[str, str, str], ...] = (
    (
        "Lead time p50 over time",
        f'max by (repository, environment) (dora_lead_time_seconds{{{SERIES},quantile="0.5"}})',
        "s",
    ),
    (
        "Deployments in the window over time",
        f"sum by (repository, environment) (dora_deployments{{{SERIES}}})",
        "none",
    ),
)


def _query(expr: str, legend: str = "{{repository}} {{environment}}") -> prometheus.Dataquery:
    return (
        prometheus.Dataquery().expr(expr).legend_format(legend).ref_id("A").datasource(DATASOURCE)
    )


def _variable(name: str, metric: str) -> dashboard.QueryVariable:
    return (
        dashboard.QueryVariable(name)
        .label(name)
        .datasource(DATASOURCE)
        .query({"query": f"label_values({metric}, {name})", "refId": name})
        .refresh(VariableRefresh.ON_TIME_RANGE_CHANGED)
        .multi(name != "window")
        .include_all(name != "window")
        .all_value(".*" if name != "window" else "")
        .sort(1)
    )


def build() -> dict[str, Any]:
    board = (
        dashboard.Dashboard("DORA metrics")
        .uid("relkit-dora")
        .tags(["dora", "relkit"])
        .description("DORA metrics pushed by relkit dora-push.")
        .time("now-30d", "now")
        .refresh("5m")
        .with_variable(
            dashboard.DatasourceVariable("datasource").label("Data source").type("prometheus")
        )
        .with_variable(_variable("repository", "dora_as_of_timestamp_seconds"))
        .with_variable(_variable("environment", "dora_as_of_timestamp_seconds"))
        .with_variable(_variable("window", "dora_deployments"))
    )
    for index, (title, expr, unit, description) in enumerate(STATS):
        panel = (
            stat.Panel()
            .title(title)
            .description(description)
            .unit(unit)
            .datasource(DATASOURCE)
            .with_target(_query(expr).instant())
            .grid_pos(GridPos(h=5, w=6, x=(index % 4) * 6, y=(index // 4) * 5))
        )
        board = board.with_panel(panel)
    board = board.with_panel(
        table.Panel()
        .title("Performance levels (DORA 2023 bands)")
        .datasource(DATASOURCE)
        .with_target(
            _query(LEVELS, "{{metric}}: {{level}}").instant().format(PromQueryFormat.TABLE)
        )
        .grid_pos(GridPos(h=8, w=12, x=0, y=10))
    )
    for index, (title, expr, unit) in enumerate(TRENDS):
        board = board.with_panel(
            timeseries.Panel()
            .title(title)
            .unit(unit)
            .datasource(DATASOURCE)
            .with_target(_query(expr))
            .grid_pos(GridPos(h=8, w=12, x=12 * ((index + 1) % 2), y=10 + 8 * ((index + 1) // 2)))
        )
    encoded: dict[str, Any] = json.loads(
        JSONEncoder(sort_keys=True, indent=2).encode(board.build())
    )
    return encoded


def render() -> str:
    return json.dumps(build(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
