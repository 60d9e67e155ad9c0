"""GitHub event payloads → what to lint."""

from __future__ import annotations

import pytest
from commit_lint.events import ZERO_SHA, EventPlan, plan_for_event
from relkit.errors import ConfigError

REPO = {"full_name": "o/r", "default_branch": "main"}


@pytest.mark.parametrize(
    ("name", "payload", "plan"),
    [
        pytest.param(
            "pull_request",
            {
                "pull_request": {
                    "number": 3,
                    "title": "feat: t",
                    "commits": 2,
                    "base": {"sha": "b" * 40},
                    "head": {"sha": "h" * 40},
                },
                "repository": REPO,
            },
            EventPlan(
                "pull_request",
                head="h" * 40,
                base="b" * 40,
                pr_number=3,
                pr_title="feat: t",
                repository="o/r",
                default_branch="main",
                commit_count=2,
            ),
            id="pull-request",
        ),
        pytest.param(
            "pull_request_target",
            {"pull_request": {"base": {"sha": "b"}, "head": {"sha": "h"}, "title": 5}},
            EventPlan("pull_request", head="h", base="b"),
            id="target-odd-fields",
        ),
        pytest.param(
            "push",
            {"before": "a", "after": "c", "ref": "refs/heads/x", "forced": True},
            EventPlan("push", head="c", base="a", forced=True, ref="refs/heads/x"),
            id="push",
        ),
        pytest.param(
            "push",
            {"before": ZERO_SHA, "after": "c", "repository": REPO},
            EventPlan("push", head="c", created=True, default_branch="main", repository="o/r"),
            id="new-branch",
        ),
        pytest.param(
            "push",
            {"before": "a", "after": ZERO_SHA, "deleted": True},
            EventPlan("push", base="a", deleted=True),
            id="deleted",
        ),
        pytest.param(
            "merge_group",
            {"merge_group": {"base_sha": "b", "head_sha": "h"}},
            EventPlan("push", head="h", base="b"),
            id="merge-group",
        ),
        pytest.param("schedule", [], EventPlan("head", head="s"), id="other"),
    ],
)
def test_plan(name: str, payload: object, plan: EventPlan):
    assert plan_for_event(name, payload, "s") == plan


def test_pull_request_without_shas_is_config_error():
    with pytest.raises(ConfigError, match=r"pull_request\.base\.sha"):
        plan_for_event("pull_request", {"pull_request": {}})
