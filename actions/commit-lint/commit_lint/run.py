"""The commit-lint run: collect the messages, lint them, report. Called by :mod:`entry`."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from relkit.adapters import gha
from relkit.errors import ConfigError, ExternalError

from commit_lint import gitlog
from commit_lint.config import LintConfig
from commit_lint.config_files import load_config
from commit_lint.lint import lint_message
from commit_lint.report import (
    Checked,
    annotation_message,
    annotation_title,
    counts,
    format_text,
    report_data,
    summary_markdown,
)

if TYPE_CHECKING:
    from commit_lint.events import EventPlan

log = logging.getLogger("relkit.commit-lint")


@dataclass(frozen=True, slots=True)
class Request:
    start: Path
    config_file: str = ""
    lint_pr_title: bool = False
    fail_on_warnings: bool = False
    help_url: str = ""
    report_file: str = ""
    token: str = ""
    message: str | None = None
    edit: str | None = None
    from_rev: str | None = None
    to_rev: str | None = None


@dataclass(frozen=True, slots=True)
class Target:
    label: str
    sha: str | None
    message: str


def _commits(commits: list[gitlog.RawCommit]) -> list[Target]:
    return [Target(commit.sha[:7], commit.sha, commit.message) for commit in commits]


def _range_targets(cwd: Path, from_rev: str, to_rev: str) -> tuple[list[Target], str]:
    for rev in (from_rev, to_rev):
        if rev.startswith("-"):
            raise ConfigError(f"revision {rev!r} must not start with '-'")
    try:
        commits = gitlog.commit_messages(cwd, ["--end-of-options", f"{from_rev}..{to_rev}"])
    except ExternalError:
        gitlog.resolve(cwd, from_rev)  # a ConfigError that names the bad revision
        gitlog.resolve(cwd, to_rev)
        raise
    if not commits:
        raise ConfigError(
            f"the range {from_rev}..{to_rev} has no commits: {to_rev} is {from_rev} or behind it"
        )
    return _commits(commits), f"commits {from_rev}..{to_rev}"


def _edit_target(cwd: Path, edit: str) -> Target:
    path = Path(edit) if edit else gitlog.git_dir(cwd) / "COMMIT_EDITMSG"
    if not path.is_absolute():
        top = gitlog.top_level(cwd) or cwd
        path = top / path
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read commit message file {path}: {exc.strerror}") from None
    text = gitlog.decode_message(path.name, data)
    return Target(path.name, None, text + "\n")


def _pull_request_targets(
    cwd: Path, plan: EventPlan, token: str, env: Mapping[str, str]
) -> list[Target]:
    base, head = plan.base or "", plan.head or ""  # plan_for_event guarantees both
    if gitlog.has_commit(cwd, base) and gitlog.has_commit(cwd, head):
        return _commits(gitlog.commit_messages(cwd, [f"{base}..{head}"]))
    if token and plan.repository and plan.pr_number is not None:
        from commit_lint.pulls import pull_request_commits  # noqa: PLC0415

        api = env.get("GITHUB_API_URL", "https://api.github.com")
        log.info("the clone lacks the pull request's commits: reading them from the GitHub API")
        commits = pull_request_commits(api, plan.repository, plan.pr_number, token)
        return _commits(commits)
    raise ConfigError(
        f"the pull request's commits {base[:7]}..{head[:7]} are not in this clone: "
        "use actions/checkout with fetch-depth: 0 (or pass a token to read them from the API)"
    )


def _push_targets(cwd: Path, plan: EventPlan) -> tuple[list[Target], str]:
    if plan.deleted or not plan.head:
        return [], "the push deleted the branch: nothing to lint"
    head = plan.head
    if not gitlog.has_commit(cwd, head):
        raise ConfigError(
            f"the pushed commit {head[:7]} is not in this clone: check out the pushed ref"
        )
    if plan.created or not plan.base:
        default = f"refs/remotes/origin/{plan.default_branch}" if plan.default_branch else ""
        on_default = plan.ref == f"refs/heads/{plan.default_branch}"
        if default and not on_default and gitlog.has_commit(cwd, default):
            commits = gitlog.commit_messages(cwd, [head, "--not", default])
            return _commits(commits), f"new branch: commits not on {plan.default_branch}"
        log.info("new branch without a default branch to compare with: linting the head commit")
        return _commits(gitlog.read_messages(cwd, [head])), "new branch: head commit"
    if not gitlog.has_commit(cwd, plan.base):
        if plan.forced or not gitlog.is_shallow(cwd):
            log.warning(
                "forced push: the previous head %s is not in this clone; "
                "linting the head commit only",
                plan.base[:7],
            )
            return _commits(gitlog.read_messages(cwd, [head])), "forced push: head commit"
        raise ConfigError(
            f"the push's previous head {plan.base[:7]} is not in this shallow clone: "
            "use actions/checkout with fetch-depth: 0"
        )
    commits = gitlog.commit_messages(cwd, [f"{plan.base}..{head}"])
    return _commits(commits), f"push {plan.base[:7]}..{head[:7]}"


def _read_event(env: Mapping[str, str]) -> object:
    path = Path(env["GITHUB_EVENT_PATH"])
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"cannot read the event payload {path}: {exc}") from None


def collect(request: Request, env: Mapping[str, str]) -> tuple[list[Target], str]:
    """The messages to lint and a one-line description of where they came from."""
    cwd = request.start
    if request.message is not None:
        return [Target("message", None, request.message)], "--message"
    if request.edit is not None:
        return [_edit_target(cwd, request.edit)], "--edit"
    if request.from_rev:
        return _range_targets(cwd, request.from_rev, request.to_rev or "HEAD")
    if env.get("GITHUB_EVENT_PATH") and env.get("GITHUB_EVENT_NAME"):
        from commit_lint.events import plan_for_event  # noqa: PLC0415 - only in Actions

        name = env["GITHUB_EVENT_NAME"]
        plan = plan_for_event(name, _read_event(env), env.get("GITHUB_SHA"))
        targets: list[Target]
        if plan.kind == "pull_request":
            targets = _pull_request_targets(cwd, plan, request.token, env)
            where = f"pull request #{plan.pr_number}" if plan.pr_number else "pull request"
            if request.lint_pr_title and plan.pr_title is not None:
                targets.append(Target("PR title", None, plan.pr_title))
            return targets, where
        if plan.kind == "push":
            return _push_targets(cwd, plan)
        head = plan.head or "HEAD"
        return _commits(gitlog.read_messages(cwd, [gitlog.resolve(cwd, head)])), f"{name}: {head}"
    raise ConfigError(
        "nothing to lint: pass --message TEXT, --edit [FILE], --from REV [--to REV] or "
        "--json-batch (in GitHub Actions the event payload decides)"
    )


def _report_path(request: Request, env: Mapping[str, str]) -> Path | None:
    if request.report_file:
        return request.start / request.report_file
    if env.get("RUNNER_TEMP"):
        return Path(env["RUNNER_TEMP"]) / "commit-lint-report.json"
    return None


def _emit(items: list[Checked], config: LintConfig, env: Mapping[str, str]) -> None:
    in_actions = gha.in_actions(env)
    problems = [item for item in items if item.result.errors or item.result.warnings]
    with gha.stop_commands():  # like commitlint, print the messages that have problems
        gha.info("\n\n".join(format_text(item) for item in problems))
    passed = sum(1 for item in items if not item.result.errors)
    gha.info(f"✔   {passed} of {len(items)} message(s) pass; ⓘ   Get help: {config.help_url}")
    if not in_actions:
        return
    for item in items:
        for violation in item.result.errors:
            gha.annotate(
                "error",
                annotation_message(item, violation),
                title=annotation_title(item, violation),
            )
        for violation in item.result.warnings:
            gha.annotate(
                "warning",
                annotation_message(item, violation),
                title=annotation_title(item, violation),
            )


def run(request: Request, env: Mapping[str, str]) -> int:
    config = load_config(request.start, request.config_file)
    if request.edit is not None:
        char = gitlog.comment_char(request.start) if gitlog.top_level(request.start) else "#"
        config = replace(config, parser_options=replace(config.parser_options, comment_char=char))
    if request.help_url:
        config = replace(config, help_url=request.help_url)
    targets, context = collect(request, env)
    items = [
        Checked(target.label, target.sha, lint_message(target.message, config))
        for target in targets
    ]
    errors, warnings = counts(items)
    if not items:
        log.info("commit-lint: %s", context)
    _emit(items, config, env)
    if env.get("GITHUB_STEP_SUMMARY"):
        gha.write_summary(summary_markdown(items, config.help_url, context), env)
    report = _report_path(request, env)
    if report is not None:
        try:
            report.parent.mkdir(parents=True, exist_ok=True)
            data = report_data(items, config.help_url, config.source)
            report.write_text(json.dumps(data, indent=2) + "\n", "utf-8")
        except OSError as exc:
            raise ExternalError(f"cannot write the report {report}: {exc.strerror}") from None
    gha.set_output("valid", "true" if errors == 0 else "false", env)
    gha.set_output("error-count", str(errors), env)
    gha.set_output("warning-count", str(warnings), env)
    gha.set_output("report", str(report) if report else "", env)
    failed = errors > 0 or (request.fail_on_warnings and warnings > 0)
    return 1 if failed else 0
