"""The GitHub source against the OpenAPI-validated fake GitHub on a loopback port: deployments
over several pages, a comparison past 250 commits, statuses, incident issues, workflow runs,
and 502 / 429 faults retried without sleeping."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from dora_push import entry
from dora_push.github_source import Source, classify_kind, created_windows, load_from_github
from dora_push.metrics import quantile
from github_activity_fake import ActivityFakeGitHub
from github_api_fake import serve
from harness import parse_env_file
from relkit.errors import ConfigError

START = datetime(2026, 11, 1, tzinfo=UTC)
AS_OF = datetime(2026, 11, 20, 23, 0, tzinfo=UTC)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def sha(index: int) -> str:
    return hashlib.sha1(f"c{index}".encode()).hexdigest()  # noqa: S324


def committed(index: int) -> datetime:
    return START + timedelta(minutes=30 * index)


def build() -> ActivityFakeGitHub:
    """Commits c0…c562 every 30 minutes from 11-01. Deployments (production):

    - 1 at c10, success 11-10 10:00;
    - 2 at c300, success 11-20 10:00 (ships c11…c300: 290 commits, past 250);
    - 3 at c320, failure 11-20 11:00 (ships nothing; its commits ride with 4);
    - 4 at c330, ref hotfix/login, success 11-20 12:00 (ships c301…c330);
    - 5…120 at c332, c334, …, success every hour from 11-21 00:00 (116 more: three pages);
    - 900 in staging (left out by the environment filter);
    - 121 only queued (left out), 122 a redeploy of 120's sha (no changes).
    Incidents: #1 names deployment 2 (10:30 → 12:30), #2 is a pull request (left out), #3 has
    another label.
    """
    fake = ActivityFakeGitHub()
    for index in range(563):
        moment = committed(index)
        message = f"feat: change {index}\n\nbody"
        fake.add_commit(sha(index), message, iso(moment - timedelta(hours=1)), iso(moment))

    def deploy(ident: int, index: int, states: list[tuple[str, datetime]], **kw: Any) -> None:
        created = iso(states[0][1] - timedelta(minutes=5))
        timeline = [("in_progress", created)] + [(s, iso(t)) for s, t in states]
        fake.add_deployment(ident, sha(index), timeline, created_at=created, **kw)

    deploy(1, 10, [("success", datetime(2026, 11, 10, 10, tzinfo=UTC))])
    deploy(2, 300, [("success", datetime(2026, 11, 20, 10, tzinfo=UTC))])
    deploy(3, 320, [("failure", datetime(2026, 11, 20, 11, tzinfo=UTC))])
    deploy(4, 330, [("success", datetime(2026, 11, 20, 12, tzinfo=UTC))], ref="hotfix/login")
    for n in range(116):
        finished = datetime(2026, 11, 21, tzinfo=UTC) + timedelta(hours=n)
        deploy(5 + n, 332 + 2 * n, [("success", finished), ("inactive", finished)])
    deploy(900, 5, [("success", datetime(2026, 11, 20, 9, tzinfo=UTC))], environment="staging")
    deploy(121, 562, [("queued", datetime(2026, 11, 25, 23, tzinfo=UTC))])  # never finished
    deploy(122, 562, [("success", datetime(2026, 11, 26, tzinfo=UTC))])  # a redeploy
    incident = {"state": "closed", "labels": [{"name": "Incident"}], "title": "outage"}
    fake.issues = [
        {
            **incident,
            "number": 1,
            "body": "Login broken.\n\ndeployment: 2",
            "created_at": "2026-11-20T10:30:00Z",
            "closed_at": "2026-11-20T12:30:00Z",
        },
        {
            **incident,
            "number": 2,
            "body": "a PR",
            "created_at": "2026-11-20T10:30:00Z",
            "closed_at": None,
            "pull_request": {"url": "https://api.github.test/x"},
        },
        {
            **incident,
            "number": 3,
            "labels": [{"name": "bug"}],
            "body": "root cause: " + sha(5),
            "created_at": "2026-11-20T10:30:00Z",
            "closed_at": None,
        },
    ]
    return fake


@pytest.fixture
def github() -> Iterator[tuple[ActivityFakeGitHub, str]]:
    fake = build()
    with serve(fake) as url:
        yield fake, url


def source(**overrides: Any) -> Source:
    values: dict[str, Any] = {
        "repository": "octo/demo",
        "environment": "production",
        "deployment_source": "deployments",
        "deploy_workflow": "",
        "incident_label": "Incident",
        "rollback_patterns": ("revert:*", "Revert *"),
        "hotfix_patterns": ("hotfix/*",),
        "since": datetime(2026, 8, 1, tzinfo=UTC),
        "until": datetime(2026, 12, 1, tzinfo=UTC),
    }
    return Source(**{**values, **overrides})


def test_deployments_commits_and_incidents(github: tuple[ActivityFakeGitHub, str]) -> None:
    fake, url = github
    fake.fault("repos/list-deployments", status=502)
    fake.fault("repos/compare-commits", status=429)
    waits: list[float] = []
    events = load_from_github(
        source(), "t0ken", {"GITHUB_API_URL": url}, {"sleep": waits.append, "jitter": lambda: 0}
    )
    assert len(events.deployments) == 121
    assert "121" not in {d.id for d in events.deployments}
    by_id = {d.id: d for d in events.deployments}
    assert by_id["3"].status == "failure"
    assert by_id["4"].kind == "hotfix"
    assert by_id["2"].kind == "deploy"
    assert by_id["2"].finished_at == datetime(2026, 11, 20, 10, tzinfo=UTC)
    assert "900" not in by_id
    shipped: dict[str, list[str]] = {}
    for commit in events.commits:
        shipped.setdefault(commit.deployment or "", []).append(commit.sha)
    assert shipped["2"] == [sha(i) for i in range(11, 301)]  # 290: past 250
    assert shipped["4"] == [sha(i) for i in range(301, 331)]
    assert {c.push for c in events.commits if c.deployment == "4"} == {"4"}
    assert "1" not in shipped  # the oldest deployment fetched has no base
    assert "3" not in shipped
    assert "122" not in shipped  # the same sha again ships nothing
    assert [(i.id, i.deployment, i.resolved_at is not None) for i in events.incidents] == [
        ("#1", "2", True)
    ]
    compare_calls = [c for c in fake.calls if c.op == "repos/compare-commits"]
    assert any(c.status == 599 for c in fake.calls if c.op == "repos/list-deployments")
    assert any(c.status == 599 for c in compare_calls)
    assert len(waits) == 2
    pages = [c for c in fake.calls if c.op == "repos/compare-commits" and c.status == 200]
    assert len(pages) == 3 + 1 + 116  # 2: pages of 100, 100, 90; 4 and 5…120: one each


def test_the_action_on_github_data(tmp_path: Path, github: tuple[ActivityFakeGitHub, str]) -> None:
    """The 1-day window before 11-20 23:00 holds deployments 2, 3 and 4, by hand:

    successful 2 and 4 → 2; failed: 2 (incident #1, 10:30 → 12:30: 7200 s) and 3 (status;
    recovered by 4 at 12:00: 3600 s) of 3 → 2/3, recovery p50 5400; rework: 4 is a hotfix → 1/3.
    Lead times: c11…c300 to 11-20 10:00 and c301…c330 to 11-20 12:00.
    """
    _, url = github
    env = {
        "GITHUB_API_URL": url,
        "GITHUB_REPOSITORY": "octo/demo",
        "GITHUB_OUTPUT": str(tmp_path / "out.txt"),
        "GITHUB_TOKEN": "t0ken",
    }
    argv = ["--dry-run", "--window-days", "1", "--metrics-file", str(tmp_path / "m.prom")]
    _, inputs = entry.parse_args(entry.SPEC, argv, env)
    assert entry.run(inputs, env, now=AS_OF) == 0
    outputs = parse_env_file((tmp_path / "out.txt").read_text("utf-8"))
    assert outputs["deployments"] == "2"
    assert float(outputs["change-failure-ratio"]) == pytest.approx(2 / 3)
    assert outputs["recovery-seconds"] == "5400"
    assert float(outputs["rework-ratio"]) == pytest.approx(1 / 3)
    d2, d4 = datetime(2026, 11, 20, 10, tzinfo=UTC), datetime(2026, 11, 20, 12, tzinfo=UTC)
    leads = [(d2 - committed(i)).total_seconds() for i in range(11, 301)]
    leads += [(d4 - committed(i)).total_seconds() for i in range(301, 331)]
    assert float(outputs["lead-time-seconds"]) == quantile(leads, 0.5)


def test_workflow_runs_source(github: tuple[ActivityFakeGitHub, str]) -> None:
    fake, url = github

    def run(ident: int, index: int, conclusion: str | None, finished: datetime, **kw: Any):
        return {
            "id": ident,
            "name": kw.get("name", "deploy"),
            "head_sha": sha(index),
            "head_branch": kw.get("branch", "main"),
            "event": "push",
            "status": "completed" if conclusion else "in_progress",
            "conclusion": conclusion,
            "created_at": iso(finished - timedelta(minutes=10)),
            "updated_at": iso(finished),
            "html_url": f"https://github.test/octo/demo/actions/runs/{ident}",
        }

    day = datetime(2026, 11, 20, tzinfo=UTC)
    fake.runs = [
        run(15, 40, "cancelled", day + timedelta(hours=5)),
        run(14, 40, "timed_out", day + timedelta(hours=4)),
        run(13, 30, "success", day + timedelta(hours=3)),
        run(12, 20, "failure", day + timedelta(hours=2)),
        run(11, 10, "success", day + timedelta(hours=1)),
        run(10, 5, "success", day, branch="feature"),  # not the default branch
        run(9, 1, "success", datetime(2026, 5, 1, tzinfo=UTC)),  # before `since`
    ]
    fake.history[30]["message"] = 'Revert "feat: change 20"'
    events = load_from_github(
        source(deployment_source="workflow-runs", deploy_workflow="deploy.yml"),
        "t0ken",
        {"GITHUB_API_URL": url},
        {},
    )
    assert [(d.id, d.status, d.kind) for d in events.deployments] == [
        ("11", "success", "deploy"),
        ("12", "failure", "deploy"),
        ("13", "success", "rollback"),
        ("14", "error", "deploy"),
    ]
    assert len([c for c in events.commits if c.deployment == "13"]) == 20
    queries = [c for c in fake.calls if c.op == "actions/list-workflow-runs"]
    assert queries[0].path.endswith("/actions/workflows/deploy.yml/runs")
    assert len(queries) == 5  # 08-01 … 12-01 in 30-day ranges


def test_created_windows_cover_every_day_once() -> None:
    windows = created_windows(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 3, 2, tzinfo=UTC))
    assert [(str(a), str(b)) for a, b in windows] == [
        ("2026-01-01", "2026-01-30"),
        ("2026-01-31", "2026-03-01"),
        ("2026-03-02", "2026-03-02"),
    ]


def test_the_first_deployment_compares_from_one_before_the_history(
    github: tuple[ActivityFakeGitHub, str],
) -> None:
    _, url = github
    since = datetime(2026, 11, 15, tzinfo=UTC)  # deployment 1 (11-10) is only the base
    events = load_from_github(source(since=since), "t0ken", {"GITHUB_API_URL": url}, {})
    assert "1" not in {d.id for d in events.deployments}
    assert len([c for c in events.commits if c.deployment == "2"]) == 290


def test_workflow_runs_need_the_workflow(github: tuple[ActivityFakeGitHub, str]) -> None:
    _, url = github
    with pytest.raises(ConfigError, match="'deploy-workflow' is empty"):
        load_from_github(
            source(deployment_source="workflow-runs"), "t", {"GITHUB_API_URL": url}, {}
        )


@pytest.mark.parametrize(
    ("texts", "kind"),
    [
        pytest.param(("main", "", "feat: x"), "deploy", id="plain"),
        pytest.param(("hotfix/login", "", ""), "hotfix", id="hotfix branch"),
        pytest.param(("main", "", "revert: feat: x"), "rollback", id="revert commit"),
        pytest.param(("main", "", "fix!: drop it"), "hotfix", id="breaking fix"),
        pytest.param(("main", "rollback to v1", ""), "rollback", id="description"),
    ],
)
def test_classify_kind(texts: tuple[str, ...], kind: str) -> None:
    rollback = ("revert:*", "Revert *", "rollback*")
    hotfix = ("hotfix/*", "fix!:*")
    assert classify_kind(texts, rollback, hotfix) == kind
