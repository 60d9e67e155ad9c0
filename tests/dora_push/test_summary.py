"""The job summary (pure) and the exposition of edge cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from dora_push.exposition import render
from dora_push.fourkeys import compute_fourkeys
from dora_push.metrics import Commit, Deployment, Events, analyse, window_metrics
from dora_push.summary import format_duration, render_summary, weekly_series
from prometheus_client.parser import text_string_to_metric_families

AS_OF = datetime(2026, 11, 30, 12, tzinfo=UTC)  # a Monday; its week starts Sunday 11-29
GROUPING = {"job": "dora", "repository": "o/r", "environment": "production"}


def dep(ident: str, finished: datetime, status: str = "success") -> Deployment:
    return Deployment(ident, "production", ident, status, finished, finished)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        pytest.param(None, "-", id="none"),
        pytest.param(42.0, "42 s", id="seconds"),
        pytest.param(90.0, "1.5 min", id="minutes"),
        pytest.param(5400.0, "1.5 h", id="hours"),
        pytest.param(129600.0, "1.5 d", id="days"),
    ],
)
def test_format_duration(seconds: float | None, text: str) -> None:
    assert format_duration(seconds) == text


def test_weekly_series_counts_successes_per_sunday_week() -> None:
    events = Events(
        deployments=(
            dep("a", datetime(2026, 11, 29, 1, tzinfo=UTC)),  # this week
            dep("b", datetime(2026, 11, 28, 1, tzinfo=UTC)),  # Saturday: the week before
            dep("c", datetime(2026, 11, 28, 2, tzinfo=UTC), status="failure"),
            dep("d", datetime(2026, 1, 5, tzinfo=UTC)),  # older than the chart
        ),
        commits=(
            Commit(
                "x", datetime(2026, 11, 28, 23, tzinfo=UTC), datetime(2026, 11, 28, tzinfo=UTC), "a"
            ),
            Commit(
                "y", datetime(2026, 11, 29, 2, tzinfo=UTC), datetime(2026, 11, 29, tzinfo=UTC), "a"
            ),
        ),
    )
    series = weekly_series(analyse(events, AS_OF), weeks=3)
    assert [(str(week), count, lead) for week, count, lead in series] == [
        ("2026-11-15", 0, 0.0),
        ("2026-11-22", 1, 0.0),
        ("2026-11-29", 1, 2.0),  # x: 2 h; y was committed after a finished: dropped
    ]


def test_summary_of_both_models() -> None:
    events = Events(deployments=(dep("a", AS_OF - timedelta(days=1)),))
    history = analyse(events, AS_OF)
    windows = (window_metrics(history, 7), window_metrics(history, 30))
    text = render_summary(
        title="o/r (production)", as_of=AS_OF, history=history, windows=windows,
        fourkeys=None, pushed_to="Pushed.",
    )  # fmt: skip
    assert "| metric | 7d | 30d |" in text
    assert "| deployment frequency | 0.14/day (high) | 0.03/day (medium) |" in text
    assert "| lead time p50 / p90 | - / - | - / - |" in text
    assert text.count("```mermaid") == 2
    fourkeys = compute_fourkeys(Events(), AS_OF)
    text = render_summary(
        title="o/r", as_of=AS_OF, history=history, windows=(), fourkeys=fourkeys, pushed_to="",
    )  # fmt: skip
    assert "| time to restore (median) | - | - |" in text
    assert "```mermaid" not in text  # no lead-time day to chart


def test_exposition_without_values_leaves_absent_series_out() -> None:
    history = analyse(Events(), AS_OF)
    text = render([window_metrics(history, 30)], compute_fourkeys(Events(), AS_OF), GROUPING, 0.0)
    names = {s.name for f in text_string_to_metric_families(text) for s in f.samples}
    assert "dora_change_failure_ratio" not in names
    assert "dora_failed_deployment_recovery_seconds" not in names
    assert "dora_deployment_rework_ratio" not in names
    assert "dora_deployments" in names
    assert "dora_lead_time_seconds" in names  # Four Keys shows 0 without rows


def test_fourkeys_summary_charts_the_daily_median_and_exposes_its_rate() -> None:
    finished = AS_OF - timedelta(days=2)
    events = Events(
        deployments=(dep("k1", finished),),
        commits=(Commit("k1", finished - timedelta(hours=3), finished, None),),
    )
    fourkeys = compute_fourkeys(events, AS_OF)
    text = render_summary(
        title="o/r", as_of=AS_OF, history=analyse(events, AS_OF), windows=(), fourkeys=fourkeys,
        pushed_to="",
    )  # fmt: skip
    assert 'x-axis ["11-28"]' in text
    assert "line [3.00]" in text
    exposed = render([], fourkeys, GROUPING, 0.0)
    assert 'dora_change_failure_ratio{environment="production",job="dora"' in exposed
