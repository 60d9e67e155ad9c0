"""The DORA definitions, each against a hand-computed case (times in UTC, as_of fixed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from dora_push.metrics import (
    Commit,
    Deployment,
    Events,
    Incident,
    Level,
    analyse,
    compute,
    incident_deployments,
    level_of,
    quantile,
    window_metrics,
)

AS_OF = datetime(2026, 11, 30, tzinfo=UTC)
HOUR = 3600.0


def at(day: int, hour: int = 0, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def dep(
    ident: str, finished: datetime, status: str = "success", kind: str = "deploy", sha: str = ""
) -> Deployment:
    return Deployment(
        id=ident,
        environment="production",
        sha=sha or f"{ident}000000",
        status=status,
        created_at=finished - timedelta(minutes=10),
        finished_at=finished,
        kind=kind,
    )


def commit(sha: str, when: datetime, deployment: str | None, authored: datetime | None = None):
    return Commit(sha, when, authored or when, deployment)


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        pytest.param([], 0.5, None, id="empty"),
        pytest.param([7.0], 0.9, 7.0, id="one value"),
        pytest.param([1.0, 2.0, 3.0, 4.0], 0.5, 2.5, id="even median interpolates"),
        pytest.param([3.0, 1.0, 2.0], 0.5, 2.0, id="odd median, unsorted input"),
        pytest.param([1.0, 2.0, 3.0, 4.0, 5.0, 10.0], 0.9, 7.5, id="p90 between ranks 5 and 6"),
        pytest.param([10.0, 20.0], 0.0, 10.0, id="q=0"),
        pytest.param([10.0, 20.0], 1.0, 20.0, id="q=1"),
    ],
)
def test_quantile_is_percentile_cont(values: list[float], q: float, expected: float | None) -> None:
    assert quantile(values, q) == expected


@pytest.mark.parametrize(
    ("metric", "value", "level"),
    [
        pytest.param("deployment_frequency", 1.0, Level.ELITE, id="df daily is elite"),
        pytest.param("deployment_frequency", 0.99, Level.HIGH, id="df just under daily"),
        pytest.param("deployment_frequency", 1 / 7, Level.HIGH, id="df weekly is high"),
        pytest.param("deployment_frequency", 1 / 30, Level.MEDIUM, id="df monthly is medium"),
        pytest.param("deployment_frequency", 0.03, Level.LOW, id="df rarer is low"),
        pytest.param("lead_time", 86399.0, Level.ELITE, id="lt under a day"),
        pytest.param("lead_time", 86400.0, Level.HIGH, id="lt a day is high"),
        pytest.param("lead_time", 7 * 86400.0, Level.MEDIUM, id="lt a week is medium"),
        pytest.param("lead_time", 30 * 86400.0, Level.LOW, id="lt 30 days is low"),
        pytest.param("change_failure_ratio", 0.05, Level.ELITE, id="cfr 5%"),
        pytest.param("change_failure_ratio", 0.1, Level.HIGH, id="cfr 10%"),
        pytest.param("change_failure_ratio", 0.15, Level.MEDIUM, id="cfr 15%"),
        pytest.param("change_failure_ratio", 0.16, Level.LOW, id="cfr 16%"),
        pytest.param("failed_deployment_recovery", 3599.0, Level.ELITE, id="fdrt under an hour"),
        pytest.param("failed_deployment_recovery", 3600.0, Level.HIGH, id="fdrt an hour"),
        pytest.param("failed_deployment_recovery", 86400.0, Level.MEDIUM, id="fdrt a day"),
        pytest.param("failed_deployment_recovery", 7 * 86400.0, Level.LOW, id="fdrt a week"),
    ],
)
def test_performance_levels(metric: str, value: float, level: Level) -> None:
    assert level_of(metric, value) is level


def test_rework_has_no_bands() -> None:
    with pytest.raises(ValueError, match="no performance bands"):
        level_of("deployment_rework", 0.1)
    assert max(Level.LOW, Level.ELITE).label == "elite"


def test_no_deployments() -> None:
    [w] = compute(Events(), AS_OF, [30])
    assert (w.deployments, w.all_deployments, w.frequency_per_day) == (0, 0, 0.0)
    assert w.lead_time(0.5) is None
    assert w.change_failure_ratio is None
    assert w.recovery(0.5) is None
    assert w.rework_ratio is None
    assert w.levels() == {"deployment_frequency": Level.LOW}
    assert w.label == "30d"


def test_no_failures() -> None:
    events = Events(
        deployments=(dep("d1", at(10, 12)), dep("d2", at(20, 12))),
        commits=(commit("c1", at(10, 10), "d1"), commit("c2", at(20, 6), "d2")),
    )
    [w] = compute(events, AS_OF, [30])
    assert (w.deployments, w.failed, w.change_failure_ratio) == (2, 0, 0.0)
    assert w.recovery(0.5) is None
    assert w.unrecovered == 0
    assert w.lead_time(0.5) == 4 * HOUR  # 2 h and 6 h
    assert w.lead_time(0.9) == pytest.approx(5.6 * HOUR)


def test_window_bounds_are_start_exclusive_end_inclusive() -> None:
    events = Events(
        deployments=(
            dep("on-start", AS_OF - timedelta(days=7)),
            dep("inside", AS_OF - timedelta(days=7) + timedelta(seconds=1)),
            dep("at-end", AS_OF),
            dep("after", AS_OF + timedelta(seconds=1)),
        )
    )
    [w] = compute(events, AS_OF, [7])
    assert w.deployments == 2
    assert w.frequency_per_day == 2 / 7


def test_several_windows_in_order() -> None:
    events = Events(deployments=(dep("a", at(29, 1)), dep("b", at(25)), dep("c", at(1))))
    windows = compute(events, AS_OF, [1, 7, 30])
    assert [w.deployments for w in windows] == [1, 2, 3]
    with pytest.raises(ValueError, match="at least one day"):
        window_metrics(analyse(events, AS_OF), 0)


def test_lead_time_drops_non_positive_and_can_start_at_authoring() -> None:
    events = Events(
        deployments=(dep("d1", at(10, 12)),),
        commits=(
            commit("early", at(10, 9), "d1", authored=at(9, 12)),  # 3 h / 24 h
            commit("same", at(10, 12), "d1"),  # 0: dropped
            commit("later", at(10, 13), "d1"),  # negative: dropped
            commit("unshipped", at(10, 8), None),
            commit("unknown", at(10, 8), "nope"),
        ),
    )
    [w] = compute(events, AS_OF, [30])
    assert w.lead_times == (3 * HOUR,)
    [authored] = compute(events, AS_OF, [30], lead_time_start="authored")
    assert authored.lead_times == (24 * HOUR,)


def test_commits_of_a_failed_deployment_are_shipped_by_the_next_successful_one() -> None:
    events = Events(
        deployments=(dep("bad", at(10, 12), status="failure"), dep("good", at(10, 14))),
        commits=(commit("c1", at(10, 11), "bad"), commit("c2", at(10, 13), "good")),
    )
    [w] = compute(events, AS_OF, [30])
    assert sorted(w.lead_times) == [1 * HOUR, 3 * HOUR]  # c1: 11:00 → 14:00
    assert (w.failed, w.all_deployments) == (1, 2)
    assert w.recoveries == (2 * HOUR,)  # next successful deployment


def test_a_failed_deployment_with_no_later_success_ships_nothing() -> None:
    events = Events(
        deployments=(dep("bad", at(10, 12), status="error"),),
        commits=(commit("c1", at(10, 11), "bad"),),
    )
    [w] = compute(events, AS_OF, [30])
    assert w.lead_times == ()
    assert (w.failed, w.unrecovered, w.recoveries) == (1, 1, ())


def test_failure_still_open_at_as_of() -> None:
    events = Events(
        deployments=(dep("d1", at(20)), dep("d2", at(21))),
        incidents=(
            Incident("i1", at(20, 1), resolved_at=AS_OF + timedelta(hours=1), deployment="d1"),
        ),
    )
    [w] = compute(events, AS_OF, [30])
    assert (w.failed, w.unrecovered, w.recovery(0.5)) == (1, 1, None)
    # later, the incident is resolved: recovery = resolved - opened
    [later] = compute(events, AS_OF + timedelta(days=1), [30])
    assert later.recoveries == (240 * HOUR,)  # 11-20 01:00 → 11-30 01:00


def test_incident_recovery_spans_all_incidents_of_the_deployment() -> None:
    events = Events(
        deployments=(dep("d1", at(20)),),
        incidents=(
            Incident("i1", at(20, 2), at(20, 4), deployment="d1"),
            Incident("i2", at(20, 1), at(20, 6), deployment="d1"),
            Incident("future", AS_OF + timedelta(days=1), None, deployment="d1"),
        ),
    )
    [w] = compute(events, AS_OF, [30])
    assert w.recoveries == (5 * HOUR,)


def test_incident_open_is_unrecovered_even_with_a_later_deployment() -> None:
    events = Events(
        deployments=(dep("d1", at(20)), dep("d2", at(21))),
        incidents=(Incident("i1", at(20, 1), None, deployment="d1"),),
    )
    [w] = compute(events, AS_OF, [30])
    assert (w.failed, w.unrecovered) == (1, 1)


def test_root_cause_names_the_deployment_that_shipped_the_commit() -> None:
    events = Events(
        deployments=(
            dep("d1", at(20), status="failure"),
            dep("d2", at(21)),
            dep("d3", at(22), sha="feedface1234"),
        ),
        commits=(commit("abcdef1234567", at(19), "d1"),),
        incidents=(
            Incident("by-commit", at(21, 2), at(21, 5), root_cause="abcdef1"),
            Incident("by-sha", at(22, 1), at(22, 2), root_cause="feedface1234"),
            Incident("too-short", at(22, 1), at(22, 2), root_cause="abc"),
            Incident("nothing", at(22, 1), at(22, 2)),
        ),
    )
    history = analyse(events, AS_OF)
    assert set(history.failures) == {"d1", "d2", "d3"}
    assert history.failures["d2"].recovery_seconds == 3 * HOUR
    assert history.failures["d3"].recovery_seconds == 1 * HOUR
    order, target = history.deployments, {"d1": "d2", "d2": "d2", "d3": "d3"}
    assert incident_deployments(events.incidents[2], order, events.commits, target) == set()
    unknown = Incident("x", at(1), deployment="not-there")
    assert incident_deployments(unknown, order, events.commits, target) == set()


def test_a_deployment_followed_by_a_rollback_or_hotfix_failed() -> None:
    events = Events(
        deployments=(
            dep("d1", at(20, 8)),
            dep("r1", at(20, 9, 30), kind="rollback"),
            dep("d2", at(22, 8)),
            dep("h1", at(22, 10), kind="hotfix"),
            dep("d3", at(24, 8)),
        )
    )
    [w] = compute(events, AS_OF, [30])
    assert (w.failed, w.all_deployments) == (2, 5)
    assert w.change_failure_ratio == pytest.approx(0.4)
    assert sorted(w.recoveries) == [1.5 * HOUR, 2 * HOUR]
    assert w.rework_ratio == pytest.approx(0.4)
    assert w.levels()["change_failure_ratio"] is Level.LOW
