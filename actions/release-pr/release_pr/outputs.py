"""release-please-action v4's outputs from what the lifecycle did. Pure: values in, strings out.

Per release the fields of release-please's ``CreatedRelease`` (``tag_name``, ``upload_url``,
``body``, ``html_url`` under their historic names), set bare for the root package ``.`` and as
``<path>--<key>`` for the others; ``releases_created``, ``paths_released``, ``prs_created``,
``pr`` (the first PR as JSON) and ``prs``. Values are stringified like ``core.setOutput``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from release_pr.github_flow import CreatedRelease, PullResult


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


def _key(path: str, key: str) -> str:
    return key if path == "." else f"{path}--{key}"


def release_fields(created: CreatedRelease) -> dict[str, object]:
    release = created.release
    return {
        "id": release.id,
        "name": release.name or created.name,
        "tag_name": created.tag_name,
        "sha": created.sha,
        "body": created.notes,
        "html_url": release.html_url,
        "draft": release.draft,
        "upload_url": release.upload_url,
        "path": created.path,
        "version": created.version,
        "major": created.major,
        "minor": created.minor,
        "patch": created.patch,
        "prNumber": created.pr_number,
    }


def release_outputs(releases: Sequence[CreatedRelease]) -> dict[str, str]:
    outputs = {"releases_created": _text(bool(releases))}
    paths: list[str] = []
    for created in releases:
        path = created.path or "."
        paths.append(path)
        outputs[_key(path, "release_created")] = "true"
        for key, value in release_fields(created).items():
            outputs[_key(path, key)] = _text(value)
    outputs["paths_released"] = json.dumps(paths)
    return outputs


def pull_json(result: PullResult) -> dict[str, object]:
    """release-please's ``PullRequest`` object."""
    pull = result.pull
    return {
        "headBranchName": pull.head_ref,
        "baseBranchName": pull.base_ref,
        "number": pull.number,
        "title": pull.title,
        "body": pull.body,
        "labels": list(pull.labels),
        "files": list(result.files),
    }


def pull_outputs(results: Sequence[PullResult]) -> dict[str, str]:
    """``prs_created``, ``pr`` and ``prs`` count the PRs this run opened or changed: a re-run
    that left the release PR as it was creates none (release-please-action v4)."""
    results = [result for result in results if result.action != "unchanged"]
    outputs = {"prs_created": _text(bool(results))}
    if results:
        prs = [pull_json(result) for result in results]
        outputs["pr"] = json.dumps(prs[0])
        outputs["prs"] = json.dumps(prs)
    return outputs
