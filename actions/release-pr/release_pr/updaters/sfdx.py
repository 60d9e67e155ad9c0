"""Salesforce DX ``sfdx-project.json`` (release-please's ``sfdx`` / ``salesforce`` strategy): the
``versionNumber`` of each default package directory becomes ``X.Y.Z.NEXT``."""

from __future__ import annotations

from relkit.core.versions import Version

from release_pr.updaters.jsonedit import load_object, set_value


def update_sfdx_project_json(content: str, version: Version) -> str:
    directories = load_object(content, "sfdx-project.json").get("packageDirectories")
    if not isinstance(directories, list):
        return content
    for index, directory in enumerate(directories):
        if isinstance(directory, dict) and directory.get("default"):
            path: list[str | int] = ["packageDirectories", index, "versionNumber"]
            content = set_value(content, path, f"{version}.NEXT")
    return content
