"""The Slack-compatible release announcement: payload and delivery."""

from __future__ import annotations

import pytest
import responses
from release_pr.github_flow import CreatedRelease
from release_pr.github_ops import Release
from release_pr.webhook import (
    BLOCK_LIMIT,
    SECTION_LIMIT,
    post_webhook,
    slack_payload,
    to_mrkdwn,
)
from relkit.errors import ExternalError

URL = "https://hooks.slack.test/services/x"


@pytest.mark.parametrize(
    ("markdown", "mrkdwn"),
    [
        pytest.param(
            "## [1.3.0](https://c) (2026-07-28)", "*<https://c|1.3.0> (2026-07-28)*", id="heading"
        ),
        pytest.param("* **api:** add x", "• *api:* add x", id="bullet-scope"),
        pytest.param("### Features\n\n\n\n* x", "*Features*\n\n• x", id="blank-lines"),
    ],
)
def test_to_mrkdwn(markdown: str, mrkdwn: str) -> None:
    assert to_mrkdwn(markdown) == mrkdwn


def created(notes: str, url: str = "https://r/v1") -> CreatedRelease:
    release = Release(
        id=1,
        tag_name="v1.0.0",
        name="v1.0.0",
        body=notes,
        draft=False,
        prerelease=False,
        html_url=url,
        target_commitish="abc",
    )
    return CreatedRelease(".", "1.0.0", "v1.0.0", "v1.0.0", "abc", notes, 3, release)


def test_payload_has_text_and_blocks() -> None:
    payload = slack_payload("octo/demo", [created("### Features\n\n* x")])

    assert payload["text"] == "Released octo/demo v1.0.0"
    assert [block["type"] for block in payload["blocks"]] == ["header", "section", "context"]
    assert payload["blocks"][2]["elements"][0]["text"] == "<https://r/v1|v1.0.0>"


def test_long_notes_are_clipped_to_slack_limits() -> None:
    payload = slack_payload("octo/demo", [created("x" * 10_000, url="")])

    assert len(payload["blocks"][1]["text"]["text"]) == SECTION_LIMIT
    assert len(payload["blocks"]) == 2


@responses.activate
def test_post_retries_5xx_then_succeeds() -> None:
    responses.add(responses.POST, URL, status=500)
    responses.add(responses.POST, URL, status=429, headers={"Retry-After": "5"})
    responses.add(responses.POST, URL, status=200)
    waits: list[float] = []

    post_webhook(URL, {"text": "t"}, sleep=waits.append)

    assert waits == [1.0, 5.0]
    assert len(responses.calls) == 3


@responses.activate
def test_post_failure_does_not_name_the_url() -> None:
    responses.add(responses.POST, URL, status=403)

    with pytest.raises(ExternalError) as caught:
        post_webhook(URL, {"text": "t"}, sleep=lambda _s: None)

    assert "HTTP 403" in str(caught.value)
    assert URL not in str(caught.value)
    assert len(responses.calls) == 1


def test_many_releases_stay_within_slack_block_limit() -> None:
    payload = slack_payload("octo/demo", [created(f"notes {n}") for n in range(40)])

    assert len(payload["blocks"]) == BLOCK_LIMIT
    assert payload["blocks"][-1]["elements"][0]["text"] == "… and more"
