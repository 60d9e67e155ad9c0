"""``model: fourkeys`` against a hand-computed Four Keys example, and each quirk on its own."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from dora_push.fourkeys import (
    _bucket_hours,
    _frequency_bucket,
    changes_by_push,
    compute_fourkeys,
    sub_months,
    timestamp_diff,
    week_start,
)
from dora_push.metrics import Commit, Deployment, Events, Incident

AS_OF = datetime(2026, 11, 30, 12, tzinfo=UTC)


def t(month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=UTC)


def dep(ident: str, sha: str, finished: datetime, status: str = "success") -> Deployment:
    return Deployment(ident, "production", sha, status, finished - timedelta(minutes=10), finished)


def change(sha: str, when: datetime, push: str | None = None) -> Commit:
    return Commit(sha, when, when, None, push)


EXAMPLE = Events(
    deployments=(
        dep("old", "k3", t(8, 29, 23)),  # before the window: its rows do not count
        dep("A", "k2", t(11, 2, 10, 0, 59)),  # push p1's head: k1 and k2
        dep("B", "k3", t(11, 3, 10, 0, 30)),  # k3 30 s old: 0 minutes, dropped
        dep("C", "ffff0000", t(11, 5)),  # never a push head: no changes
        dep("D", "k4", t(11, 4, 12)),  # k4 is a push of its own
        dep("E", "k4", t(11, 6), status="failure"),  # not a Four Keys deployment
    ),
    commits=(
        change("k1", t(11, 2, 8, 0, 30), "p1"),
        change("k2", t(11, 2, 9), "p1"),
        change("k3", t(11, 3, 10), "p2"),
        change("k4", t(11, 4, 10)),
    ),
    incidents=(
        Incident("I1", t(11, 2, 12), t(11, 3, 13, 30), root_cause="k1"),
        Incident("I2", t(11, 4, 13), t(11, 4, 14, 30), root_cause="k4"),
        Incident("I3", t(11, 6), None, root_cause="k1"),
    ),
)


def test_hand_computed_example() -> None:
    """By hand, as BigQuery would:

    window: rows after 2026-08-30T00:00Z (DATE_SUB(2026-11-30, 3 MONTH)); 92 days to today.
    deployments: A B C D (old is before, E failed) → 4.
    lead rows (minutes, truncated): A-k1 10:00:59-08:00:30 = 120, A-k2 60, B-k3 0 (dropped),
    D-k4 120 → median of [60, 120, 120] = 120 min; "One day".
    restore: I1 created = A's time 11-02 10:00:59 (earlier than its opening), resolved 11-03
    13:30 → 27 h (truncated); I2 created = D's 12:00 → 14:30: 2 h; I3 unresolved: a row, no
    value → median(27, 2) = 14.5 h; "One day".
    CFR: rows A-k1 x {I1, I3} = 2, A-k2 0, B-k3 0, D-k4 x I2 = 1 → 3 / 3 deployments with
    changes (C has none) = 1.0; "46-60%".
    frequency: 14 Sunday week rows from 08-30; only the week of 11-01 deployed → the median week
    is not deployed; monthly: the 5 November rows have 1, the 9 others 0 → median 0: "Yearly".
    """
    fk = compute_fourkeys(EXAMPLE, AS_OF)
    assert fk.window_start == t(8, 30)
    assert fk.days == 92
    assert fk.deployments == 4
    assert sorted(fk.lead_minutes) == [60, 120, 120]
    assert fk.lead_time_minutes == 120
    assert fk.lead_time_bucket == "One day"
    assert sorted(fk.restore_hours_each) == [2, 27]
    assert fk.restore_hours == 14.5
    assert fk.incidents == 3
    assert fk.restore_bucket == "One day"
    assert fk.change_failure_rate == 1.0
    assert fk.change_failure_bucket == "46-60%"
    assert fk.deployment_frequency == "Yearly"
    days = (date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4))
    assert fk.daily_lead_time == tuple(zip(days, (1.5, 0.0, 2.0), strict=True))
    assert fk.label == "3mo"


def test_no_data() -> None:
    fk = compute_fourkeys(Events(), AS_OF)
    assert (fk.deployments, fk.lead_time_minutes, fk.lead_time_bucket) == (0, 0.0, "One day")
    assert fk.restore_hours is None
    assert fk.restore_bucket is None
    assert fk.change_failure_rate is None
    assert fk.change_failure_bucket is None
    assert fk.deployment_frequency == "Yearly"


def test_only_unresolved_incidents_fall_to_one_year() -> None:
    events = Events(incidents=(Incident("I", t(11, 20), None, root_cause="x"),))
    fk = compute_fourkeys(events, AS_OF)
    assert (fk.restore_hours, fk.restore_bucket, fk.incidents) == (None, "One year", 1)


def test_resolution_after_as_of_is_not_known_yet() -> None:
    events = Events(
        incidents=(
            Incident("I", t(11, 20), AS_OF + timedelta(hours=1)),
            Incident("later", AS_OF + timedelta(days=1), None),
        )
    )
    assert compute_fourkeys(events, AS_OF).restore_hours is None


def test_authored_time_and_lead_buckets() -> None:
    week = Commit("k", t(11, 1), t(10, 20), None)
    events = Events(deployments=(dep("A", "k", t(11, 10)),), commits=(week,))
    assert compute_fourkeys(events, AS_OF).lead_time_bucket == "One month"  # 9 days
    authored = compute_fourkeys(events, AS_OF, lead_time_start="authored")
    assert authored.lead_time_bucket == "One month"  # 21 days
    assert authored.lead_time_minutes == 21 * 24 * 60


@pytest.mark.parametrize(
    ("hours", "bucket"),
    [
        pytest.param(23, "One day", id="day"),
        pytest.param(167, "One week", id="week"),
        pytest.param(729, "One month", id="month"),
    ],
)
def test_restore_buckets(hours: int, bucket: str) -> None:
    resolved = t(9, 1) + timedelta(hours=hours, minutes=59)
    events = Events(incidents=(Incident("I", t(9, 1), resolved),))
    assert compute_fourkeys(events, resolved).restore_bucket == bucket


@pytest.mark.parametrize(
    ("hours", "bucket"),
    [
        pytest.param(4379.0, "Six months", id="six months"),
        pytest.param(4380.0, "One year", id="year"),
        pytest.param(None, "One year", id="null median"),
    ],
)
def test_long_buckets(hours: float | None, bucket: str) -> None:
    """Past three months: unreachable inside the window, kept as the SQL has them."""
    assert _bucket_hours(hours) == bucket


@pytest.mark.parametrize(
    ("rate_rows", "bucket"),
    [
        pytest.param(0, "0-15%", id="none"),
        pytest.param(1, "16-45%", id="one of three"),
    ],
)
def test_cfr_buckets(rate_rows: int, bucket: str) -> None:
    deployments = tuple(dep(f"d{n}", f"s{n}", t(11, 10 + n)) for n in range(3))
    commits = tuple(change(f"s{n}", t(11, 9)) for n in range(3))
    incidents = tuple(Incident(f"i{n}", t(11, 20), None, root_cause="s0") for n in range(rate_rows))
    fk = compute_fourkeys(Events(deployments, commits, incidents), AS_OF)
    assert fk.change_failure_bucket == bucket


def test_changes_by_push_head() -> None:
    pushes = changes_by_push(EXAMPLE)
    assert [c.sha for c in pushes["k2"]] == ["k1", "k2"]
    assert "k1" not in pushes  # k1 is not a push head


@pytest.mark.parametrize(
    ("days_deployed", "bucket"),
    [
        pytest.param({0, 1, 2}, "Daily", id="three days every week"),
        pytest.param({0}, "Weekly", id="one day every week"),
        pytest.param(set(), "Monthly", id="one week a month"),
        pytest.param(None, "Yearly", id="rarely"),
    ],
)
def test_frequency_buckets(days_deployed: set[int] | None, bucket: str) -> None:
    start, today = date(2026, 8, 30), date(2026, 11, 30)
    days = {start + timedelta(days=n) for n in range(93)}
    if days_deployed is None:
        deployed = {date(2026, 11, 2)}
    elif days_deployed:
        deployed = {d for d in days if (d - start).days % 7 in days_deployed}
    else:  # the first week of each month (by week start) deploys once
        deployed = {date(2026, 9, 7), date(2026, 10, 5), date(2026, 11, 2), date(2026, 8, 31)}
    assert _frequency_bucket(deployed, start, today, date(2026, 8, 1)) == bucket


def test_frequency_counts_only_days_after_the_first_event() -> None:
    start, today = date(2026, 8, 30), date(2026, 11, 30)
    assert _frequency_bucket({today}, start, today, today) == "Yearly"  # no day row at all
    assert _frequency_bucket({today}, start, today, None) == "Yearly"
    # the first event a day before the last week: one week row, deployed
    assert _frequency_bucket({today}, start, today, today - timedelta(days=1)) == "Weekly"


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        pytest.param(date(2026, 5, 31), 3, date(2026, 2, 28), id="clamps to february"),
        pytest.param(date(2026, 3, 15), 3, date(2025, 12, 15), id="across the year"),
        pytest.param(date(2028, 5, 29), 3, date(2028, 2, 29), id="leap day"),
        pytest.param(date(2026, 12, 31), 1, date(2026, 11, 30), id="november"),
    ],
)
def test_date_sub_months(day: date, months: int, expected: date) -> None:
    assert sub_months(day, months) == expected


def test_timestamp_diff_truncates_toward_zero() -> None:
    assert timestamp_diff(t(1, 1, 0, 1, 59), t(1, 1), 60) == 1
    assert timestamp_diff(t(1, 1), t(1, 1, 0, 1, 59), 60) == -1
    assert timestamp_diff(t(1, 1, 0, 0, 59), t(1, 1), 60) == 0


def test_weeks_start_on_sunday() -> None:
    assert week_start(date(2026, 11, 7)) == date(2026, 11, 1)  # Saturday → Sunday before
    assert week_start(date(2026, 11, 1)) == date(2026, 11, 1)
