"""``relkit dependency-group``: Renovate-compatible grouped dependency updates with a licence gate.

Reads the inputs, the repository's Renovate / Dependabot config, finds dependencies (managers),
looks their versions up (datasources), decides updates and branches (Renovate's packageRules),
checks each proposed version's licence, writes the ``plan`` JSON and the job summary, then (unless
``dry-run`` or there is no token) edits the files in place on one branch + pull request per group.
Exit 1 when a licence blocks an update and ``fail-on-license`` is true, or GitHub fails after
retries; 2 for bad input or config.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from relkit.actionspec import ActionSpec, InputSpec, ResolvedInputs, parse_args
from relkit.adapters import gha
from relkit.adapters.http import HttpClient
from relkit.errors import CheckFailed, ConfigError

from dependency_group import config_files, plan, report, scan
from dependency_group.datasources import Datasources
from dependency_group.licenses import Policy
from dependency_group.managers import MANAGERS

log = logging.getLogger(__name__)

SPEC = ActionSpec(
    name="dependency-group",
    summary="Grouped dependency-update pull requests (Renovate packageRules) with a licence policy",
    inputs=(
        InputSpec(
            "token",
            "GitHub token for pushing update branches and opening pull requests",
            secret=True,
            env_fallback="GITHUB_TOKEN",
        ),
        InputSpec(
            "config-file",
            "path of the grouping config, relative to the repository root (default: "
            "renovate.json, renovate.json5, .github/renovate.json(5), .github/dependabot.yml)",
        ),
        InputSpec(
            "managers",
            "package managers to scan (comma-separated)",
            default="pip_requirements,pep621,dockerfile,github-actions,docker-compose",
        ),
        InputSpec(
            "license-deny",
            "SPDX licence ids or globs that block an update (comma-separated)",
            default="GPL-*,AGPL-*",
        ),
        InputSpec(
            "license-allow",
            "if set, only these SPDX licence ids or globs are allowed (comma-separated)",
        ),
        InputSpec("allow-lgpl", "allow LGPL licences", default="true", kind="boolean"),
        InputSpec(
            "allow-unknown-license",
            "allow updates whose licence is unknown",
            default="false",
            kind="boolean",
        ),
        InputSpec(
            "fail-on-license",
            "exit 1 when the licence policy blocks an update",
            default="false",
            kind="boolean",
        ),
        InputSpec("pypi-url", "base URL of the PyPI JSON API", default="https://pypi.org"),
        InputSpec(
            "docker-registry-url",
            "base URL of the Docker Registry v2 API for Docker Hub images",
            default="https://registry-1.docker.io",
        ),
        InputSpec(
            "github-server-url",
            "server that action repositories are cloned from (default: GITHUB_SERVER_URL)",
        ),
        InputSpec("base-branch", "target branch (default: the repository's default branch)"),
        InputSpec("branch-prefix", "prefix of the update branches", default="relkit/deps/"),
        InputSpec("dry-run", "compute and report, push nothing", default="false", kind="boolean"),
    ),
)


def _policy(inputs: ResolvedInputs) -> Policy:
    return Policy(
        deny=tuple(inputs.lines("license-deny")),
        allow=tuple(inputs.lines("license-allow")),
        allow_lgpl=inputs.bool("allow-lgpl"),
        allow_unknown=inputs.bool("allow-unknown-license"),
    )


def main(argv: Sequence[str], env: Mapping[str, str]) -> int:
    _, inputs = parse_args(SPEC, argv, env)
    enabled = inputs.lines("managers")
    for name in enabled:
        if name not in MANAGERS:
            raise ConfigError(
                f"input 'managers' names an unknown manager {name!r}; use some of "
                f"{', '.join(MANAGERS)}"
            )
    prefix = inputs.str("branch-prefix")
    root = Path(gha.workspace(env))
    config = config_files.load(root, inputs.str("config-file"))
    for warning in config.warnings:
        log.warning("%s", warning)
    policy = _policy(inputs)
    server = inputs.str("github-server-url") or env.get("GITHUB_SERVER_URL") or "https://github.com"
    token = inputs.str("token")
    sources = Datasources(
        pypi_url=inputs.str("pypi-url"),
        docker_registry_url=inputs.str("docker-registry-url"),
        github_server_url=server,
        http=HttpClient(timeout=20.0),
    )
    dry_run = inputs.bool("dry-run") or not token
    writer = None
    if token and (not dry_run or env.get("GITHUB_REPOSITORY")):
        from dependency_group.writer import Writer  # noqa: PLC0415 - only with a token

        github = Writer.from_env(token, env, base=inputs.str("base-branch"), root=root)
        sources.repo_license = github.repo_license  # a read: also in a dry run
        writer = None if dry_run else github
    found = scan.find_dependencies(root, enabled, config)
    updates, lookup_skips = scan.find_updates(found.dependencies, sources, config, policy)
    branches = plan.group(updates, config, prefix)
    skipped = [*found.skipped, *lookup_skips]
    for item in lookup_skips:
        log.warning("%s %s (%s): %s", item.manager, item.package, item.file, item.reason)
    data = plan.to_json(branches, skipped)
    plan_path = _plan_path(env)
    plan_path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    blocked = [u for b in branches for u in b.updates if not u.license_ok]
    gha.set_output("plan", str(plan_path), env)
    gha.set_output(
        "groups",
        json.dumps(
            [
                {
                    "name": b.group,
                    "branch": b.name,
                    "updates": [
                        {"package": u.dependency.package, "from": u.dependency.current,
                         "to": u.new, "update_type": u.update_type}
                        for u in b.updates
                    ],
                }
                for b in branches
            ]
        ),
        env,
    )  # fmt: skip
    gha.set_output(
        "denied",
        json.dumps(
            [
                {"package": u.dependency.package, "version": u.new, "license": u.license,
                 "reason": u.license_reason}
                for u in blocked
            ]
        ),
        env,
    )  # fmt: skip
    gha.write_summary(report.summary(branches, skipped, config.warnings), env)
    pulls: list[dict[str, object]] = []
    if writer is not None:
        pulls = writer.write(branches, prefix)
    gha.set_output("pull-requests", json.dumps(pulls), env)
    gha.print_untrusted(
        f"dependency-group: {sum(len(b.updates) for b in branches)} update(s) on "
        f"{len(branches)} branch(es), {len(skipped)} skipped, {len(blocked)} blocked by the "
        f"licence policy; plan: {plan_path}"
        + ("" if writer is not None else " (dry run: nothing pushed)"),
        env,
    )
    if blocked and inputs.bool("fail-on-license"):
        for update in blocked:
            log.error(
                "%s %s → %s: %s",
                update.dependency.package, update.dependency.current, update.new,
                update.license_reason,
            )  # fmt: skip
        raise CheckFailed(f"{len(blocked)} update(s) blocked by the licence policy")
    return 0


def _plan_path(env: Mapping[str, str]) -> Path:
    folder = env.get("RUNNER_TEMP") or tempfile.mkdtemp(prefix="dependency-group-")
    return Path(folder) / "dependency-group-plan.json"
