"""Read what a merged release PR released from its body (release-please's ``PullRequestBody``).

The body is ``header / --- / content / --- / footer``. The content is either one changelog
section, or one ``<details><summary>component: 1.3.0</summary>…</details>`` block per package.
Pure: text in, values out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DETAILS = re.compile(r"<details>\s*<summary>(.*?)</summary>(.*?)</details>", re.DOTALL)
_SUMMARY = re.compile(r"^(?:(?P<component>.*[^:]):? )?v?(?P<version>\d+\.\d+\.\d+\S*)$")
_HEADING_VERSION = re.compile(r"^#{1,3} \[?v?(?P<version>\d+\.\d+\.\d+[^\]\s]*)")


@dataclass(frozen=True, slots=True)
class ReleaseNote:
    component: str | None
    version: str
    notes: str


def _content(body: str) -> str:
    lines = body.replace("\r\n", "\n").strip().split("\n")
    starts = [i for i, line in enumerate(lines) if line.strip() == "---"]
    if len(starts) >= 2:
        return "\n".join(lines[starts[0] + 1 : starts[-1]]).strip()
    if len(starts) == 1:
        return "\n".join(lines[starts[0] + 1 :]).strip()
    return "\n".join(lines).strip()


def parse_release_pr_body(body: str) -> list[ReleaseNote]:
    """The (component, version, notes) a release PR body announces; [] when it holds none."""
    content = _content(body)
    blocks = _DETAILS.findall(content)
    if blocks:
        notes: list[ReleaseNote] = []
        for summary, section in blocks:
            match = _SUMMARY.match(summary.strip())
            if match:
                notes.append(
                    ReleaseNote(match["component"] or None, match["version"], section.strip())
                )
        return notes
    for line in content.split("\n"):
        match = _HEADING_VERSION.match(line.strip())
        if match:
            return [ReleaseNote(None, match["version"], content)]
    return []
