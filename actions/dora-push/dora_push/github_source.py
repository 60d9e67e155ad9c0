"""The history from GitHub (an adapter): deployments or deploy-workflow runs, the commits each
successful deployment shipped, and incident issues.

- ``deployments``: ``GET /deployments?environment=`` and each one's statuses (newest first): a
  deployment with a ``success`` status succeeded (finished at that status), else its newest
  status ``failure``/``error`` failed it; others (pending, queued, in progress) are left out.
- ``workflow-runs``: runs of ``deploy-workflow`` on the default branch created since the start of
  the longest window (three months more, for the charts), listed 30 days at a time (a filtered
  listing stops at 1,000 results); conclusion ``success`` → success,
  ``failure`` → failure, ``timed_out``/``startup_failure`` → error, others left out; finished at
  the run's ``updated_at``.
- changes: the commits of ``compare/<previous successful sha>...<sha>``, paginated past GitHub's
  250 commits per comparison; the oldest deployment in the history compares from the last
  successful one listed before it, and has no changes when there is none.
- kind: ``rollback`` / ``hotfix`` when the deployment's ref, description (or the run's branch
  and name) or its head commit's subject matches a pattern; ``deploy`` otherwise.
- incidents: issues with ``incident-label``; the body's ``deployment: <id>`` names the failed
  deployment, ``root cause: <sha>`` the commit; opened at ``created_at``, resolved at
  ``closed_at``.

Every call is retried by :class:`relkit.adapters.github.GitHubClient`; comparisons and statuses
are cached for the run.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from relkit.adapters.github import ComparedCommit, GitHubClient
from relkit.errors import ConfigError

from dora_push.metrics import Commit, Deployment, Events, Incident

ROOT_CAUSE = re.compile(r"root cause:\s*([0-9a-fA-F]{7,64})", re.IGNORECASE)
DEPLOYMENT_REF = re.compile(r"deployment:\s*#?([A-Za-z0-9_.-]+)", re.IGNORECASE)
RUN_CONCLUSIONS = {
    "success": "success",
    "failure": "failure",
    "timed_out": "error",
    "startup_failure": "error",
}


@dataclass(frozen=True, slots=True)
class Source:
    repository: str
    environment: str
    deployment_source: str
    deploy_workflow: str
    incident_label: str
    rollback_patterns: tuple[str, ...]
    hotfix_patterns: tuple[str, ...]
    since: datetime
    until: datetime


def classify_kind(
    texts: Sequence[str], rollback_patterns: Sequence[str], hotfix_patterns: Sequence[str]
) -> str:
    """``rollback``, ``hotfix`` or ``deploy``: the first pattern family any text matches."""
    for kind, patterns in (("rollback", rollback_patterns), ("hotfix", hotfix_patterns)):
        for text in texts:
            if text and any(fnmatch.fnmatchcase(text, pattern) for pattern in patterns):
                return kind
    return "deploy"


def created_windows(since: datetime, until: datetime, days: int = 30) -> list[tuple[date, date]]:
    """Inclusive date ranges of ``days`` from ``since`` to ``until``: a filtered listing of
    workflow runs stops at 1,000 results, so each range is listed on its own."""
    windows = []
    start = since.date()
    while start <= until.date():
        end = min(start + timedelta(days=days - 1), until.date())
        windows.append((start, end))
        start = end + timedelta(days=1)
    return windows


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value)


@dataclass(frozen=True, slots=True)
class _Candidate:
    id: str
    sha: str
    status: str
    created_at: str
    finished_at: str
    texts: tuple[str, ...]


def _from_deployments(client: GitHubClient, source: Source) -> list[_Candidate]:
    found = []
    for deployment in client.list_deployments(environment=source.environment):
        statuses = client.list_deployment_statuses(deployment.id)
        successes = [s for s in statuses if s.state == "success"]
        if successes:
            status, finished = "success", successes[-1].created_at  # the first success
        elif statuses and statuses[0].state in {"failure", "error"}:
            status, finished = statuses[0].state, statuses[0].created_at
        else:
            continue
        found.append(
            _Candidate(
                id=str(deployment.id),
                sha=deployment.sha,
                status=status,
                created_at=deployment.created_at,
                finished_at=finished,
                texts=(deployment.ref, deployment.description),
            )
        )
    return found


def _from_runs(client: GitHubClient, source: Source) -> list[_Candidate]:
    if not source.deploy_workflow:
        raise ConfigError(
            "input 'deploy-workflow' is empty but deployment-source is workflow-runs: name the "
            "deploy workflow file, e.g. deploy.yml"
        )
    branch = client.default_branch()
    runs = []
    for start, end in created_windows(source.since, source.until):  # disjoint ranges
        runs += client.list_workflow_runs(
            source.deploy_workflow, branch=branch, created=f"{start:%Y-%m-%d}..{end:%Y-%m-%d}"
        )
    found = []
    for run in runs:
        status = RUN_CONCLUSIONS.get(run.conclusion or "")
        if status is None:
            continue
        found.append(
            _Candidate(
                id=str(run.id),
                sha=run.head_sha,
                status=status,
                created_at=run.created_at,
                finished_at=run.updated_at,
                texts=(run.head_branch, run.name),
            )
        )
    return found


def _changes(
    client: GitHubClient,
    ordered: Sequence[_Candidate],
    cache: dict[tuple[str, str], Any],
    previous: str | None = None,
) -> dict[str, list[ComparedCommit]]:
    """Successful deployment id → the commits since the previous successful deployment
    (``previous``: the sha of the last one before the fetched history, if any)."""
    shipped: dict[str, list[ComparedCommit]] = {}
    for candidate in ordered:
        if candidate.status != "success":
            continue
        if previous is not None and previous != candidate.sha:
            key = (previous, candidate.sha)
            if key not in cache:
                cache[key] = client.list_compare_commits(previous, candidate.sha)
            shipped[candidate.id] = cache[key]
        previous = candidate.sha
    return shipped


def _incidents(client: GitHubClient, source: Source) -> list[Incident]:
    incidents = []
    for issue in client.list_issues(labels=[source.incident_label], state="all"):
        cause = ROOT_CAUSE.search(issue.body)
        named = DEPLOYMENT_REF.search(issue.body)
        incidents.append(
            Incident(
                id=f"#{issue.number}",
                opened_at=_time(issue.created_at),
                resolved_at=_time(issue.closed_at) if issue.closed_at else None,
                deployment=named.group(1) if named else None,
                root_cause=cause.group(1).lower() if cause else None,
            )
        )
    return incidents


def load_from_github(
    source: Source, token: str, env: Mapping[str, str], options: Mapping[str, Any]
) -> Events:
    client = GitHubClient.from_env(token, env, repository=source.repository, **options)
    if source.deployment_source == "workflow-runs":
        candidates = _from_runs(client, source)
    else:
        candidates = _from_deployments(client, source)
    everything = sorted(candidates, key=lambda c: (_time(c.finished_at), c.id))
    ordered = [c for c in everything if _time(c.finished_at) >= source.since]
    before = [c for c in everything if _time(c.finished_at) < source.since]
    base = next((c.sha for c in reversed(before) if c.status == "success"), None)
    shipped = _changes(client, ordered, {}, base)
    deployments = []
    commits = []
    for candidate in ordered:
        changes = shipped.get(candidate.id, [])
        subject = changes[-1].message.split("\n", 1)[0] if changes else ""
        deployments.append(
            Deployment(
                id=candidate.id,
                environment=source.environment,
                sha=candidate.sha,
                status=candidate.status,
                created_at=_time(candidate.created_at),
                finished_at=_time(candidate.finished_at),
                kind=classify_kind(
                    (*candidate.texts, subject), source.rollback_patterns, source.hotfix_patterns
                ),
            )
        )
        for change in changes:
            committed = _time(change.committed_at)
            authored = _time(change.authored_at) if change.authored_at else committed
            # pushes are not in the REST API: for model fourkeys the commits since the previous
            # deployment stand for the push whose head is the deployed sha
            commits.append(Commit(change.sha, committed, authored, candidate.id, candidate.id))
    known = {d.id for d in deployments}
    incidents = [
        i if i.deployment is None or i.deployment in known else _drop_deployment(i)
        for i in _incidents(client, source)
    ]
    return Events(tuple(deployments), tuple(commits), tuple(incidents))


def _drop_deployment(incident: Incident) -> Incident:
    """An incident naming a deployment outside the fetched history keeps only its root cause."""
    return Incident(
        incident.id, incident.opened_at, incident.resolved_at, None, incident.root_cause
    )
