"""``relkit release-pr --json-batch``: the conformance contract (a JSON list in, a list out).

Each case gives the commits of a range (newest first), the previous tag and version and the
release-please options in force; the answer is the next version and the changelog section, or
``null`` for both when the range has no commits. Contract:
``../shared/conformance/commits/README.md``.

The batch answers "which version and section would this range get", so a range whose commits
are all hidden still gets its version (release-please's strategy answers it; only the release PR
is skipped). It replays release-please as the corpus anchors it (17.9.0): footer references
render as ``, closes #N``; release PRs and dry runs use the newer ``, refs #N`` (17.10.4+).
A case with no release-please configuration on record is read with the ``gitmoji`` and
``conventional-changelog`` plugins (``release_pr.conventions``): the tools that cut those releases
read commits that way.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any, TextIO

from relkit.core.versions import Version, VersionError, parse_loose
from relkit.errors import ConfigError

from release_pr.commit_parser import RawCommit
from release_pr.compute import TagFormat, compute_release, sentence_case
from release_pr.conventions import read_commits
from release_pr.strategies import build_strategy, parse_sections, release_type

BATCH_REFERENCE_WORD = "closes"
# A case that records no release-please configuration comes from a repository that was not
# set up for release-please then: its releases were cut by a conventional-changelog tool
# (standard-version, lerna, semantic-release) or by python-semantic-release, so the batch reads
# its commits the way those tools did.
UNCONFIGURED_PLUGINS = ("gitmoji", "conventional-changelog")


def _tag_format(previous_tag: str | None, previous_version: str | None) -> TagFormat:
    """Keep the previous tag's shape: ``v1.2.3``, ``1.2.3``, ``pkg-v1.2.3``, ``pkg@v1.2.3``."""
    if not previous_tag or not previous_version or previous_version not in previous_tag:
        return TagFormat()
    prefix = previous_tag[: previous_tag.index(previous_version)]
    include_v = prefix.endswith("v")
    stem = prefix[:-1] if include_v else prefix
    if not stem:
        return TagFormat(include_v=include_v)
    separator = stem[-1] if stem[-1] in "-_@/" else ""
    component = stem[:-1] if separator else stem
    return TagFormat(component=component or None, include_v=include_v, separator=separator)


def answer_case(case: Mapping[str, Any], today: str) -> dict[str, str | None]:
    config: Mapping[str, Any] = case.get("config") or {}
    plugins = config.get("plugins") or []
    names = {
        p if isinstance(p, str) else p.get("type") for p in plugins if isinstance(p, str | dict)
    }
    if not config.get("source"):
        names.update(UNCONFIGURED_PLUGINS)
    commits = read_commits(
        (
            RawCommit(str(c.get("sha") or ""), str(c.get("message") or ""))
            for c in case.get("commits") or []
        ),
        {name for name in names if isinstance(name, str)},
    )
    previous: Version | None = None
    raw_previous = case.get("previous_version")
    if raw_previous:
        try:
            previous = parse_loose(str(raw_previous))
        except VersionError:
            previous = None
    kind = release_type(config.get("release_type"))
    strategy = build_strategy(
        config.get("versioning"),
        bump_minor_pre_major=bool(config.get("bump_minor_pre_major")),
        bump_patch_for_minor_pre_major=bool(config.get("bump_patch_for_minor_pre_major")),
        prerelease_type=config.get("prerelease_type"),
    )
    if "sentence-case" in names:
        commits = sentence_case(commits)
    if not case.get("commits"):
        return {"next_version": None, "changelog": None}
    outcome = compute_release(
        commits,
        previous=previous,
        previous_tag=case.get("previous_tag"),
        strategy=strategy,
        initial_version=kind.initial_version,
        sections=parse_sections(config.get("changelog_sections")) or kind.sections,
        tag_format=_tag_format(case.get("previous_tag"), raw_previous),
        date=today,
        owner=str(case.get("owner") or ""),
        repository=str(case.get("repository") or ""),
        host=str(case.get("host") or "https://github.com"),
        release_as=config.get("release_as"),
        prerelease=config.get("prerelease"),
        skip_empty=False,
        reference_word=BATCH_REFERENCE_WORD,
    )
    if outcome is None:
        return {"next_version": None, "changelog": None}
    return {"next_version": str(outcome.version), "changelog": outcome.changelog_entry}


def run_json_batch(stdin: TextIO, stdout: TextIO, *, today: date) -> int:
    """Read the list of cases, write the list of answers. Bad JSON → ConfigError (exit 2)."""
    try:
        cases = json.load(stdin)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"--json-batch expects a JSON list of release cases on stdin: {exc}"
        ) from None
    if not isinstance(cases, list):
        raise ConfigError("--json-batch expects a JSON list of release cases on stdin")
    stamp = today.isoformat()
    answers = [
        answer_case(case, stamp)
        if isinstance(case, dict)
        else {"next_version": None, "changelog": None}
        for case in cases
    ]
    json.dump(answers, stdout, ensure_ascii=False)
    stdout.write("\n")
    return 0


def main() -> int:  # pragma: no cover - `python -m release_pr.batch`, the CLI is the real path
    return run_json_batch(sys.stdin, sys.stdout, today=datetime.now(UTC).date())


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
