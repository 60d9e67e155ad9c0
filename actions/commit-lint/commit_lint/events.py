"""What to lint for a GitHub event: pull request base..head, push before..after, … Pure.

The entry turns an :class:`EventPlan` into git ranges (checking which commits the clone has).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, NamedTuple

from relkit.errors import ConfigError

ZERO_SHA = "0" * 40
PlanKind = Literal["pull_request", "push", "head"]


class EventPlan(NamedTuple):
    kind: PlanKind
    head: str | None = None
    base: str | None = None
    created: bool = False  # a push that created the branch (``before`` is all zeros)
    deleted: bool = False  # a push that deleted the branch (nothing to lint)
    forced: bool = False
    default_branch: str | None = None
    ref: str | None = None
    pr_number: int | None = None
    pr_title: str | None = None
    repository: str | None = None
    commit_count: int | None = None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def plan_for_event(event_name: str, payload: object, sha: str | None = None) -> EventPlan:
    """Read the event payload (``GITHUB_EVENT_PATH``) into a plan; ConfigError if malformed."""
    event = _mapping(payload)
    repository = _str(_mapping(event.get("repository")).get("full_name"))
    default_branch = _str(_mapping(event.get("repository")).get("default_branch"))
    if event_name in {"pull_request", "pull_request_target"}:
        pull = _mapping(event.get("pull_request"))
        base = _str(_mapping(pull.get("base")).get("sha"))
        head = _str(_mapping(pull.get("head")).get("sha"))
        if not base or not head:
            raise ConfigError(
                f"the {event_name} event payload has no pull_request.base.sha/head.sha; "
                "run commit-lint on pull_request or pull_request_target events"
            )
        number = pull.get("number")
        commits = pull.get("commits")
        return EventPlan(
            kind="pull_request",
            head=head,
            base=base,
            pr_number=number if isinstance(number, int) else None,
            pr_title=pull.get("title") if isinstance(pull.get("title"), str) else None,
            repository=repository,
            default_branch=default_branch,
            commit_count=commits if isinstance(commits, int) else None,
        )
    if event_name == "merge_group":
        group = _mapping(event.get("merge_group"))
        return EventPlan(
            kind="push",
            head=_str(group.get("head_sha")) or sha,
            base=_str(group.get("base_sha")),
            repository=repository,
            default_branch=default_branch,
        )
    if event_name == "push":
        before = _str(event.get("before"))
        after = _str(event.get("after")) or sha
        return EventPlan(
            kind="push",
            head=None if after == ZERO_SHA else after,
            base=None if before in {None, ZERO_SHA} else before,
            created=bool(event.get("created")) or before == ZERO_SHA,
            deleted=bool(event.get("deleted")) or after == ZERO_SHA,
            forced=bool(event.get("forced")),
            default_branch=default_branch,
            ref=_str(event.get("ref")),
            repository=repository,
        )
    return EventPlan(kind="head", head=sha, repository=repository, default_branch=default_branch)
