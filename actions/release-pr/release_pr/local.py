"""Local modes of ``relkit release-pr``: ``--dry-run [--json]`` and ``--json-batch``.

No token and no network: the dry run reads git and the working tree and prints what the release
PR would carry. ``entry.py`` calls ``run_dry_run`` / ``run_json_batch``; until the full action
entry lands, ``main`` parses the local flags itself.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TextIO

from relkit.actionspec import ActionSpec, build_parser, input_dest
from relkit.adapters import gha
from relkit.errors import ConfigError

from release_pr import history

if TYPE_CHECKING:
    from release_pr.plan import CommitOverrides, ReleasePlan


PLACEHOLDER_URL = "https://github.com/OWNER/REPO"  # links of a dry run that knows no repository

# single-package inputs accepted by the dry run (release-please-action's names)
PACKAGE_INPUTS = (
    "path",
    "release-type",
    "package-name",
    "component",
    "versioning",
    "bump-minor-pre-major",
    "bump-patch-for-minor-pre-major",
    "prerelease",
    "prerelease-type",
    "release-as",
    "initial-version",
    "changelog-path",
    "changelog-host",
    "include-v-in-tag",
    "include-component-in-tag",
    "tag-separator",
    "pull-request-title-pattern",
    "pull-request-header",
    "pull-request-footer",
    "extra-files",
    "exclude-paths",
    "draft",
    "skip-github-release",
    "changelog-sections",
)


def _given_repo_url(options: Mapping[str, str], env: Mapping[str, str]) -> str | None:
    if options.get("repo-url"):
        return options["repo-url"]
    if env.get("GITHUB_REPOSITORY"):
        server = env.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
        return f"{server}/{env['GITHUB_REPOSITORY']}"
    return None


def event_branch(env: Mapping[str, str]) -> str | None:
    """The branch a detached checkout of a workflow run stands for: a pull request's base
    branch, else the pushed branch."""
    if env.get("GITHUB_BASE_REF"):
        return env["GITHUB_BASE_REF"]
    ref = env.get("GITHUB_REF", "")
    return ref.removeprefix("refs/heads/") if ref.startswith("refs/heads/") else None


def build_plan(options: Mapping[str, str], env: Mapping[str, str], *, now: datetime) -> ReleasePlan:
    workspace = options.get("workspace") or env.get("GITHUB_WORKSPACE") or os.getcwd()
    if not os.path.isdir(workspace):
        raise ConfigError(
            f"workspace {workspace!r} is not a directory; pass --workspace to a checkout"
        )
    # the git reads start at once and run side by side while the plan's modules load: HEAD's
    # branch and shallowness, the tag walk (the slowest) and, unless given, the remote's URL
    toplevel = history.start_toplevel(workspace)
    head = history.start_head_state(workspace)
    tags = history.start_reachable_tags(workspace)
    repo_url = _given_repo_url(options, env)
    remote = history.start_remote_url(workspace) if repo_url is None else None
    try:
        from release_pr.config import (  # noqa: PLC0415 - loads while git reads
            DEFAULT_CONFIG_FILE,
            DEFAULT_MANIFEST_FILE,
            load_config,
        )
        from release_pr.plan import parse_repo_url, plan_release  # noqa: PLC0415 - loads while git reads

        workspace = toplevel() or workspace  # a subfolder: the config files are at the root
        state = head()
        # the checked-out branch, else the event's; a ConfigError outside git
        target_branch = options.get("target-branch") or (
            state.branch if state is not None else history.current_branch(workspace)
        )
        warnings: tuple[str, ...] = ()
        if not target_branch:
            target_branch = event_branch(env)
        if not target_branch:
            target_branch = "main"
            warnings = (
                "HEAD is detached, so the target branch is assumed to be 'main'; "
                "pass --target-branch to name it",
            )
        config = load_config(
            workspace,
            config_file=options.get("config-file") or DEFAULT_CONFIG_FILE,
            manifest_file=options.get("manifest-file") or DEFAULT_MANIFEST_FILE,
            # as the action: without a config file or a release type, exit 2 saying so
            inputs={k: v for k, v in options.items() if k in PACKAGE_INPUTS},
        )
        if repo_url is not None and not parse_repo_url(repo_url)[1]:
            raise ConfigError(
                f"--repo-url must be owner/name or the repository's URL, got {repo_url!r}"
            )
        # the given URL, else the origin remote's when it names a hosted repository
        url = repo_url or (remote and remote()) or None
        if url is None or not parse_repo_url(url)[1]:
            if url is not None:
                warnings += (
                    f"origin {url!r} names no hosted repository, so links say OWNER/REPO; "
                    "pass --repo-url owner/name",
                )
            url = PLACEHOLDER_URL
        plan = plan_release(
            workspace,
            config,
            target_branch=target_branch,
            now=now,
            repo_url=url,
            tags=tags,
            head=state,
            overrides=_pull_overrides(options, env, url, target_branch),
        )
        return plan._replace(warnings=(*plan.warnings, *warnings))
    finally:  # a read that was not needed after all (no commits, an error) is stopped
        for read in (toplevel, head, tags, remote):
            if read is not None:
                read.close()


def _pull_overrides(
    options: Mapping[str, str], env: Mapping[str, str], repo_url: str, target_branch: str
) -> CommitOverrides | None:
    """With a token (``--token`` or ``INPUT_TOKEN``) and a GitHub repository, the dry run reads
    merged pull requests' override blocks as the action does; without, none (the plan says so)."""
    token = options.get("token")
    if not token or repo_url == PLACEHOLDER_URL:  # no repository known: the plan says so
        return None
    from release_pr.plan import parse_repo_url  # noqa: PLC0415 - loaded by build_plan already

    _, owner, name = parse_repo_url(repo_url)
    if env.get("GITHUB_ACTIONS") == "true":
        gha.add_mask(token)
    from relkit.adapters.github import GitHubClient  # noqa: PLC0415 - only with a token

    from release_pr.pull_overrides import PullOverrides  # noqa: PLC0415 - only with a token

    api_url = options.get("github-api-url") or env.get("GITHUB_API_URL") or "https://api.github.com"
    return PullOverrides(GitHubClient(token, f"{owner}/{name}", api_url=api_url), target_branch)


def plan_to_json(plan: ReleasePlan) -> dict[str, object]:
    return {
        "target_branch": plan.target_branch,
        "releases": [
            {
                "path": p.path,
                "component": p.component,
                "package_name": p.package_name,
                "previous_version": str(p.previous_version) if p.previous_version else None,
                "version": str(p.version),
                "previous_tag": p.previous_tag,
                "tag": p.tag,
                "changelog_path": p.changelog_path,
                "changelog": p.changelog_entry,
                "prerelease": p.prerelease,
                "draft": p.draft,
            }
            for p in plan.packages
        ],
        "pull_requests": [
            {
                "branch": pr.branch,
                "title": pr.title,
                "body": pr.body,
                "files": [path for path, _ in pr.file_updates],
            }
            for pr in plan.pull_requests
        ],
        "warnings": list(plan.warnings),
    }


def render_text(plan: ReleasePlan) -> str:
    if not plan.packages:
        return f"release-pr: nothing to release on {plan.target_branch} (no user-facing commits)"
    lines = []
    for package in plan.packages:
        previous = (
            f"{package.previous_version} ({package.previous_tag})"
            if package.previous_tag
            else "none"
        )
        lines += [
            f"package {package.path}: {previous} -> {package.version} (tag {package.tag})",
            "",
            package.changelog_entry,
            "",
        ]
    for pr in plan.pull_requests:
        lines.append(f"release PR: {pr.title!r} on {pr.branch}")
        lines += [f"  updates {path}" for path, _ in pr.file_updates]
    return "\n".join(lines)


def run_dry_run(
    options: Mapping[str, str], env: Mapping[str, str], *, as_json: bool = False
) -> int:
    """Print the next version(s) and changelog section(s); exit 0 whether or not one is due."""
    plan = build_plan(options, env, now=datetime.now(UTC))
    for warning in plan.warnings:
        gha.annotate("warning", warning, env, title="release-pr")
    if as_json:
        gha.info(json.dumps(plan_to_json(plan), indent=2, ensure_ascii=False))
    else:
        gha.print_untrusted(render_text(plan), env)
    return 0


def run_json_batch(stdin: TextIO, stdout: TextIO) -> int:
    from release_pr.batch import run_json_batch as run_batch  # noqa: PLC0415 - only this mode

    return run_batch(stdin, stdout, today=datetime.now(UTC).date())


def parser(spec: ActionSpec) -> argparse.ArgumentParser:
    """The one command line of ``relkit release-pr``: the local modes, the action's inputs
    (``spec``) and the package settings only a dry run takes."""
    # argparse builds a formatter per add_argument (to check metavars) and each asks shutil for
    # the terminal width; shutil loads zlib, bz2 and lzma (~1.5 ms). The width matters only for
    # help and usage text: a fixed one while the flags are added, the terminal's afterwards.
    building = True

    def formatter(*, prog: str) -> argparse.HelpFormatter:
        return argparse.HelpFormatter(prog, width=80) if building else argparse.HelpFormatter(prog)

    p = argparse.ArgumentParser(
        prog=f"relkit {spec.name}",
        description=spec.summary,
        allow_abbrev=False,
        formatter_class=formatter,
    )
    modes = p.add_argument_group("local modes (no token, no network)")
    modes.add_argument("--dry-run", action="store_true", help="print the next release")
    modes.add_argument("--json", action="store_true", help="with --dry-run: machine-readable")
    modes.add_argument("--json-batch", action="store_true", help="conformance batch (stdin→stdout)")
    modes.add_argument("--workspace", help="the checkout (default: GITHUB_WORKSPACE or the cwd)")
    build_parser(spec, p)
    given = {item.name for item in spec.inputs}
    extra = p.add_argument_group("with --dry-run: single-package settings (release-please keys)")
    for name in PACKAGE_INPUTS:
        if name not in given:
            extra.add_argument(f"--{name}", dest=input_dest(name), metavar="VALUE")
    building = False
    return p


def parse(spec: ActionSpec, argv: Sequence[str]) -> argparse.Namespace:
    """``argv`` read by :func:`parser`; ``--help`` exits 0, a usage error exits 2 after
    argparse's usage and its one error line, as for every action."""
    return parser(spec).parse_args(list(argv))


def dry_run_options(
    spec: ActionSpec, args: argparse.Namespace, env: Mapping[str, str]
) -> dict[str, str]:
    """The settings a dry run was given, by flag or ``INPUT_<NAME>`` (defaults left out: the
    config files and the remote fill those in), under release-please's config key names."""
    options: dict[str, str] = {}
    names = ("workspace", *(item.name for item in spec.inputs), *PACKAGE_INPUTS)
    for name in dict.fromkeys(names):
        value = getattr(args, "workspace" if name == "workspace" else input_dest(name), None)
        if isinstance(value, bool):
            value = "true" if value else "false"
        if value is None and name != "workspace":
            value = env.get(gha.input_env_name(name))
        if value:
            options["versioning" if name == "versioning-strategy" else name] = value
    return options
