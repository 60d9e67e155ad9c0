"""Announce releases to a Slack-compatible incoming webhook (``{"text": …, "blocks": […]}``).

:func:`slack_payload` is pure; :func:`post_webhook` does the HTTP with retries, and never puts
the URL (a secret: it is masked as an input) in a message.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from typing import Any

from relkit.errors import ExternalError

from release_pr.github_flow import CreatedRelease

log = logging.getLogger("relkit.release_pr")

SECTION_LIMIT = 3000  # Slack's limit for a section block's text
BLOCK_LIMIT = 50  # Slack's limit of blocks per message
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_HEADING = re.compile(r"^#{1,6}\s+(.*)$", re.MULTILINE)


def to_mrkdwn(markdown: str) -> str:
    """GitHub Markdown → Slack mrkdwn: links, bold, headings, bullets."""
    text = _LINK.sub(lambda m: f"<{m[2]}|{m[1]}>", markdown)
    text = _BOLD.sub(r"*\1*", text)
    text = _HEADING.sub(r"*\1*", text)
    text = re.sub(r"^\* ", "• ", text, flags=re.MULTILINE)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _clip(text: str) -> str:
    return text if len(text) <= SECTION_LIMIT else text[: SECTION_LIMIT - 1] + "…"


def slack_payload(repository: str, releases: Sequence[CreatedRelease]) -> dict[str, Any]:
    tags = ", ".join(created.tag_name for created in releases)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": f"{repository} {tags}"[:150]}}
    ]
    for created in releases:
        link = created.release.html_url
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": _clip(to_mrkdwn(created.notes) or tags)},
            }
        )
        if link:
            blocks.append(
                {
                    "type": "context",
                    "elements": [{"type": "mrkdwn", "text": f"<{link}|{created.tag_name}>"}],
                }
            )
    if len(blocks) > BLOCK_LIMIT:
        more = {"type": "context", "elements": [{"type": "mrkdwn", "text": "… and more"}]}
        blocks = [*blocks[: BLOCK_LIMIT - 1], more]
    return {"text": f"Released {repository} {tags}", "blocks": blocks}


def post_webhook(
    url: str,
    payload: dict[str, Any],
    *,
    attempts: int = 3,
    timeout: float = 10.0,
    sleep: Callable[[float], None] | None = None,
) -> None:
    pause = time.sleep if sleep is None else sleep
    import requests  # noqa: PLC0415 - only when a webhook is configured

    failure = ""
    for attempt in range(attempts):
        try:
            response = requests.post(url, json=payload, timeout=timeout)
        except (requests.Timeout, requests.ConnectionError) as exc:
            failure = type(exc).__name__
        else:
            if response.status_code < 300:
                log.info("release announcement posted to the webhook")
                return
            failure = f"HTTP {response.status_code}"
            if response.status_code < 500 and response.status_code != 429:
                break
            retry_after = response.headers.get("Retry-After", "")
            if retry_after.isdigit() and attempt + 1 < attempts:
                pause(min(float(retry_after), 60.0))
                continue
        if attempt + 1 < attempts:
            pause(float(2**attempt))
    raise ExternalError(
        f"the 'webhook-url' endpoint failed ({failure}); the release itself succeeded, "
        "check the webhook URL secret"
    )
