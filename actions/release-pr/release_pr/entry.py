"""``relkit release-pr``: release-please-action v4 as a Docker action.

Inputs → settings → (1) tag and release merged release PRs, (2) open or refresh the release
PR(s) → outputs, job summary, optional webhook. The shape of release-please-action's
``src/index.ts``; the lifecycle is :mod:`release_pr.github_flow`, the plan comes from
``release_pr.plan`` (versions, changelog, file updates).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, NamedTuple

from relkit.actionspec import ActionSpec, InputSpec, ResolvedInputs, resolve_inputs
from relkit.adapters import gha
from relkit.errors import ConfigError, ExternalError

if TYPE_CHECKING:
    import logging
    from pathlib import Path

    from release_pr.config import ReleaseConfig
    from release_pr.github_flow import CreatedRelease, PullResult, ReleaseReader
    from release_pr.github_ops import PullRequest
    from release_pr.plan import CommitOverrides, ReleaseNotes, ReleasePullRequest


def _log() -> logging.Logger:
    # the local modes never log: logging is imported by the runs that do (relkit.cli)
    import logging  # noqa: PLC0415

    return logging.getLogger("relkit.release_pr")


PENDING_LABEL = "autorelease: pending"

MISSING_AUTH_HELP = (
    "input 'token' is empty: pass `token: ${{ secrets.GITHUB_TOKEN }}` (or a PAT) and grant the "
    "job `permissions: contents: write, pull-requests: write`"
)

SPEC = ActionSpec(
    name="release-pr",
    summary="Release PRs, changelogs, tags and GitHub Releases (release-please compatible)",
    inputs=(
        InputSpec(
            "token",
            "GitHub token that opens the release PR and creates tags and releases; needs "
            "contents: write and pull-requests: write",
            secret=True,
            env_fallback="GITHUB_TOKEN",
        ),
        InputSpec(
            "release-type",
            "Single-package mode: a release-please release type. simple, node, python, helm, "
            "go, rust, ruby, dart, elixir, php, bazel, julia, r, expo, ocaml, terraform-module, "
            "java, maven and sfdx update their version files as release-please does; its other "
            "types update only the changelog (with a warning), and an unknown type is an error. "
            "Without it the config and manifest files are read.",
        ),
        InputSpec("package-name", "Single-package mode: the package name (component and tags)"),
        InputSpec("path", "Single-package mode: the package's folder, relative to the repository"),
        InputSpec(
            "target-branch",
            "Branch the release PR targets and releases come from (default: the pushed branch)",
        ),
        InputSpec(
            "config-file",
            "Path of the release-please config file",
            default="release-please-config.json",
        ),
        InputSpec(
            "manifest-file",
            "Path of the release-please manifest file",
            default=".release-please-manifest.json",
        ),
        InputSpec("repo-url", "Repository as owner/name (default: GITHUB_REPOSITORY)"),
        InputSpec(
            "github-api-url",
            "GitHub REST API base URL (default: GITHUB_API_URL)",
            env_fallback="GITHUB_API_URL",
        ),
        InputSpec(
            "changelog-host",
            "Host used for links in changelogs",
            default="https://github.com",
        ),
        InputSpec(
            "include-component-in-tag",
            "Single-package mode: prefix tags with the component (pkg-v1.2.3)",
            kind="boolean",
        ),
        InputSpec("versioning-strategy", "Single-package mode: the versioning strategy"),
        InputSpec("release-as", "Single-package mode: force the next version"),
        InputSpec(
            "skip-github-release",
            "Do not tag or create GitHub Releases for merged release PRs",
            default="false",
            kind="boolean",
        ),
        InputSpec(
            "skip-github-pull-request",
            "Do not open or update the release PR",
            default="false",
            kind="boolean",
        ),
        InputSpec(
            "skip-labeling",
            "Do not add the 'autorelease: pending' label to release PRs",
            default="false",
            kind="boolean",
        ),
        InputSpec(
            "webhook-url",
            "Slack-compatible incoming webhook that announces each release (kept masked)",
            secret=True,
        ),
        InputSpec(
            "proxy-server",
            "HTTP(S) proxy for the GitHub API and the webhook, as host:port or a URL",
        ),
        InputSpec(
            "fork",
            "release-please-action's fork mode; not supported (the release PR branch lives in "
            "this repository), so it must stay false",
            default="false",
            kind="boolean",
        ),
        InputSpec(
            "github-graphql-url",
            "Accepted for release-please-action workflows; relkit uses only the REST API",
        ),
    ),
)


class Settings(NamedTuple):
    token: str
    repository: str
    api_url: str
    target_branch: str
    sha: str | None
    workspace: Path
    skip_release: bool
    skip_pull_request: bool
    skip_labeling: bool
    webhook_url: str
    proxy_server: str = ""
    # the checkout is the target branch (a push to it, or target-branch given): only then is
    # the release PR planned from it; other triggers (a pull request, a tag push, a schedule
    # on another branch) finish merged releases only
    on_target: bool = True


# compiled on first use (re's cache): the local modes never read it
_REPO = r"^(?:https?://[^/]+/)?(?P<repo>[\w.-]+/[\w.-]+?)(?:\.git)?/?$"


def event_target_branch(env: Mapping[str, str]) -> str:
    """The branch a run of any trigger releases from: the pushed branch, a pull request's base,
    else the repository's default branch from the event payload; "" when none says."""
    ref = env.get("GITHUB_REF", "")
    if ref.startswith("refs/heads/"):
        return ref.removeprefix("refs/heads/")
    if env.get("GITHUB_BASE_REF"):
        return env["GITHUB_BASE_REF"]
    import json  # noqa: PLC0415 - only runs off a branch read the payload

    try:
        with open(env.get("GITHUB_EVENT_PATH") or os.devnull, encoding="utf-8") as file:
            payload = json.loads(file.read() or "{}")
    except (OSError, ValueError):
        return ""
    repository = payload.get("repository") if isinstance(payload, dict) else None
    branch = repository.get("default_branch") if isinstance(repository, dict) else None
    return branch if isinstance(branch, str) else ""


def read_settings(inputs: ResolvedInputs, env: Mapping[str, str]) -> Settings:
    token = inputs.str("token")
    if not token:
        raise ConfigError(MISSING_AUTH_HELP)
    if inputs.bool("fork"):
        raise ConfigError(
            "input 'fork' is true, but relkit opens the release PR from a branch of this "
            "repository (the token needs contents: write); remove 'fork'"
        )
    raw_repo = inputs.str("repo-url") or env.get("GITHUB_REPOSITORY", "")
    match = re.match(_REPO, raw_repo)
    if not match:
        raise ConfigError(
            f"input 'repo-url' must be owner/name, got {raw_repo!r}; "
            "set it or run inside GitHub Actions (GITHUB_REPOSITORY)"
        )
    target = inputs.str("target-branch") or event_target_branch(env)
    if not target:
        raise ConfigError(
            "input 'target-branch' is not set and this run's event names no branch; "
            "set 'target-branch: main' (the branch releases are made from)"
        )
    from pathlib import Path  # noqa: PLC0415 - the dry run does without pathlib (~2.5 ms)

    workspace = Path(env.get("GITHUB_WORKSPACE") or Path.cwd())
    on_branch = env.get("GITHUB_REF") == f"refs/heads/{target}"
    return Settings(
        on_target=on_branch or bool(inputs.str("target-branch")),
        token=token,
        repository=match["repo"],
        api_url=inputs.str("github-api-url") or "https://api.github.com",
        target_branch=target,
        sha=env.get("GITHUB_SHA") or None,
        workspace=workspace,
        skip_release=inputs.bool("skip-github-release"),
        skip_pull_request=inputs.bool("skip-github-pull-request"),
        skip_labeling=inputs.bool("skip-labeling"),
        webhook_url=inputs.str("webhook-url"),
        proxy_server=inputs.str("proxy-server"),
    )


# single-package inputs handed to release_pr.config, under release-please's config key names
PACKAGE_INPUTS = {
    "release-type": "release-type",
    "package-name": "package-name",
    "path": "path",
    "changelog-host": "changelog-host",
    "include-component-in-tag": "include-component-in-tag",
    "versioning-strategy": "versioning",
    "release-as": "release-as",
}


def package_inputs(inputs: ResolvedInputs) -> dict[str, str]:
    return {key: inputs.str(name) for name, key in PACKAGE_INPUTS.items() if inputs.str(name)}


def load_release_config(inputs: ResolvedInputs, settings: Settings) -> ReleaseConfig:
    """Manifest mode (config + manifest files) or single-package mode from the inputs."""
    from release_pr.config import load_config  # noqa: PLC0415

    return load_config(
        settings.workspace,
        config_file=inputs.str("config-file"),
        manifest_file=inputs.str("manifest-file"),
        inputs=package_inputs(inputs),
    )


def make_reader(config: ReleaseConfig) -> ReleaseReader:
    """What a merged release PR released, placed by the config (release-core's mapping)."""
    from release_pr import plan  # noqa: PLC0415
    from release_pr.github_flow import ReleaseItem, ReleaseTarget  # noqa: PLC0415

    def read(pull: PullRequest) -> list[ReleaseItem]:
        items = []
        for released in plan.parse_release_pr_body(pull.body):
            package = plan.package_for_release(config, released, pull.head_ref)
            if package is None:
                raise ConfigError(
                    f"release PR #{pull.number} released {released.component or 'a package'} "
                    f"{released.version}, which no package of the release-please config matches; "
                    "fix 'component' in the config"
                )
            version = released.version
            target = ReleaseTarget(
                path=package.path,
                tag=plan.release_tag(package, version),
                name=plan.release_name(package, version),
                draft=package.draft,
                force_tag_creation=package.force_tag_creation,
                prerelease=plan.github_prerelease(package, version),
                skip_github_release=package.skip_github_release,
            )
            items.append(ReleaseItem(str(version), released.notes, target))
        return items

    return read


def use_proxy(server: str) -> None:
    """release-please-action's ``proxy-server``: requests (GitHub and the webhook) read it."""
    url = server if "://" in server else f"http://{server}"
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        os.environ[name] = url


def pull_request_labels(config: ReleaseConfig) -> tuple[str, ...]:
    """``label`` may list several labels, comma-separated; the first marks a pending release."""
    labels = tuple(label.strip() for label in config.label.split(",") if label.strip())
    return labels or (PENDING_LABEL,)


def plan_pull_requests(
    config: ReleaseConfig,
    inputs: ResolvedInputs,
    settings: Settings,
    now: datetime,
    release_notes: ReleaseNotes | None = None,
    *,
    overrides: CommitOverrides | None = None,
) -> Sequence[ReleasePullRequest]:
    """The release PRs release-core's plan wants for the checked-out branch (``release_notes``:
    GitHub's generator, for ``changelog-type: github``)."""
    from release_pr.plan import plan_release  # noqa: PLC0415

    repo_url = f"{inputs.str('changelog-host').rstrip('/')}/{settings.repository}"
    plan = plan_release(
        settings.workspace,
        config,
        target_branch=settings.target_branch,
        now=now,
        repo_url=repo_url,
        release_notes=release_notes,
        overrides=overrides,
    )
    for warning in plan.warnings:
        if warning not in config.warnings:  # those were logged when the config was read
            _log().warning("%s", warning)
    return plan.pull_requests


def write_outputs(outputs: Mapping[str, str], env: Mapping[str, str]) -> None:
    for key, value in outputs.items():
        gha.set_output(key, value, env)


def summary_markdown(releases: Sequence[CreatedRelease], pulls: Sequence[PullResult]) -> str:
    lines = ["## release-pr", ""]
    if releases:
        lines += ["| path | tag | release |", "|---|---|---|"]
        lines += [
            f"| `{r.path}` | `{r.tag_name}` | {r.release.html_url or r.release.name} |"
            for r in releases
        ]
        lines.append("")
    for r in releases:
        if r.resumed:
            lines.append(
                f"- finished {r.tag_name} of release PR #{r.pr_number}: its tag was made by an "
                "earlier run that stopped before the GitHub Release"
            )
    for result in pulls:
        lines.append(f"- release PR #{result.pull.number} {result.action}: {result.pull.html_url}")
    if not releases and not pulls:
        lines.append("Nothing to release.")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str], env: Mapping[str, str]) -> int:
    # the local modes (--dry-run [--json], --json-batch) run without a token or network
    from release_pr import local  # noqa: PLC0415 - the command line and the local modes

    args = local.parse(SPEC, argv)
    if args.json_batch:
        return local.run_json_batch(sys.stdin, sys.stdout)
    if args.dry_run:
        options = local.dry_run_options(SPEC, args, env)
        return local.run_dry_run(options, env, as_json=args.json)
    inputs = resolve_inputs(SPEC, args, env)
    settings = read_settings(inputs, env)  # secrets (token, webhook-url) are masked by now

    from relkit.adapters.github import GitHubClient  # noqa: PLC0415 - keeps --help fast

    from release_pr.github_flow import publish_merged_releases, sync_release_pull  # noqa: PLC0415
    from release_pr.outputs import pull_outputs, release_outputs  # noqa: PLC0415

    if settings.skip_release and settings.skip_pull_request:
        _log().info("skip-github-release and skip-github-pull-request are both set: nothing to do")
        return 0
    if settings.proxy_server:
        use_proxy(settings.proxy_server)
    config = load_release_config(inputs, settings)
    for warning in config.warnings:
        _log().warning("%s", warning)
    labels = pull_request_labels(config)
    gh = GitHubClient(settings.token, settings.repository, api_url=settings.api_url)
    releases: list[CreatedRelease] = []
    pulls: list[PullResult] = []
    if not settings.skip_release:
        releases = publish_merged_releases(
            gh,
            target_branch=settings.target_branch,
            sha=settings.sha,
            read=make_reader(config),
            pending=labels[0],
            tagged=config.release_label,
        )
        write_outputs(release_outputs(releases), env)
        mirror_tags(settings.workspace, releases, env)
    if not settings.skip_pull_request and not settings.on_target:
        _log().info(
            "this run is not on %s: the release PR is refreshed by the next push to it",
            settings.target_branch,
        )
    if not settings.skip_pull_request and settings.on_target:
        from release_pr.custom_version import with_edited_version  # noqa: PLC0415

        config = with_edited_version(gh, config, target_branch=settings.target_branch)
        now = datetime.now(UTC)

        def notes(tag: str, target: str, previous_tag: str | None) -> str:
            return gh.generate_release_notes(tag, target=target, previous_tag=previous_tag)

        from release_pr.pull_overrides import PullOverrides  # noqa: PLC0415

        overrides = PullOverrides(gh, settings.target_branch, tell=_log().info)
        for plan in plan_pull_requests(config, inputs, settings, now, notes, overrides=overrides):
            pulls.append(
                sync_release_pull(
                    gh,
                    plan,
                    target_branch=settings.target_branch,
                    labels=() if settings.skip_labeling else labels,
                )
            )
        write_outputs(pull_outputs(pulls), env)
    gha.write_summary(summary_markdown(releases, pulls), env)
    if releases and settings.webhook_url:
        announce(settings, releases)
    return 0


def mirror_tags(
    workspace: Path, releases: Sequence[CreatedRelease], env: Mapping[str, str]
) -> None:
    """Create the new tags in the checkout too: the plan reads release tags from local git, and
    must see this run's releases (else it would propose the same release again)."""
    from relkit.adapters.git import commit_exists, run_git  # noqa: PLC0415

    for created in releases:
        if not commit_exists(workspace, created.sha, env=env):
            continue  # not in this checkout: its history cannot hold the released commits
        if run_git(["tag", "--list", created.tag_name], workspace, env=env).strip():
            continue
        run_git(["tag", created.tag_name, created.sha], workspace, env=env)


def announce(settings: Settings, releases: Sequence[CreatedRelease]) -> None:
    from release_pr.webhook import post_webhook, slack_payload  # noqa: PLC0415

    try:
        post_webhook(settings.webhook_url, slack_payload(settings.repository, releases))
    except ExternalError as exc:  # the release is done: a failed announcement only warns
        _log().warning("release announcement failed: %s", exc)
