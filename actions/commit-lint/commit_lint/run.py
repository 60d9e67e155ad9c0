"""The commit-lint run: collect the messages, lint them, report. Called by :mod:`entry`."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from relkit.adapters import gha, git
from relkit.errors import ConfigError, ExternalError

# The linter's modules are imported in run(), while git already reads a --from/--to range.
if TYPE_CHECKING:
    from relkit.adapters.github import PullCommit

    from commit_lint.config import LintConfig
    from commit_lint.events import EventPlan
    from commit_lint.report import Checked

log = logging.getLogger("relkit.commit-lint")

MAX_MESSAGE_BYTES = 1024 * 1024


class Request(NamedTuple):
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


class Target(NamedTuple):
    label: str
    sha: str | None
    message: str


def check_message(label: str, text: str) -> str:
    """``text`` unless it is no commit message to lint (NUL bytes, over 1 MiB): ConfigError."""
    if len(text) * 4 > MAX_MESSAGE_BYTES and len(text.encode("utf-8")) > MAX_MESSAGE_BYTES:
        raise ConfigError(
            f"{label}: the message is {len(text.encode('utf-8'))} bytes, over the 1 MiB limit; "
            "rewrite the commit with a shorter message"
        )
    if "\0" in text:
        raise ConfigError(f"{label}: the message contains NUL bytes; rewrite the commit")
    return text


def _commit_target(sha: str, message: str) -> Target:
    return Target(sha[:7], sha, check_message(f"commit {sha[:7]}", message))


def _commits(commits: Sequence[PullCommit]) -> list[Target]:
    """The API's commits (oldest first), newest first as commitlint lists them."""
    return [_commit_target(commit.sha, commit.message) for commit in reversed(commits)]


def _log(cwd: Path, revs: str | list[str]) -> list[Target]:
    """Commits of ``revs``, newest first (commitlint's order), messages read strictly
    (undecodable: ConfigError)."""
    messages = git.log_messages(cwd, revs, reverse=False, strict=True)
    return [_commit_target(sha, message) for sha, message in messages]


def _read(cwd: Path, sha: str) -> list[Target]:
    return [
        _commit_target(sha, message) for sha, message in git.read_messages(cwd, [sha], strict=True)
    ]


def _try_git(args: list[str], cwd: Path) -> str | None:
    try:
        return git.run_git(args, cwd)
    except (ConfigError, ExternalError):
        return None


def comment_char(cwd: Path) -> str:
    """``core.commentChar`` (``#`` when unset or ``auto``), for ``--edit``."""
    value = (_try_git(["config", "core.commentChar"], cwd) or "").strip()
    return value if value and value != "auto" else "#"


def top_level(cwd: Path) -> Path | None:
    out = _try_git(["rev-parse", "--show-toplevel"], cwd)
    return Path(out.strip()) if out else None


def _range_targets(
    cwd: Path, from_rev: str, to_rev: str, pending: git.PendingMessages | None
) -> tuple[list[Target], str]:
    if pending is None:
        commits = _log(cwd, f"{from_rev}..{to_rev}")
    else:
        commits = [_commit_target(sha, message) for sha, message in pending.result()]
    if not commits:
        raise ConfigError(
            f"the range {from_rev}..{to_rev} has no commits: {to_rev} is {from_rev} or behind it"
        )
    return commits, f"commits {from_rev}..{to_rev}"


def _edit_target(cwd: Path, edit: str) -> Target:
    if edit:
        path = Path(edit)
    else:
        path = Path(git.run_git(["rev-parse", "--absolute-git-dir"], cwd).strip())
        path /= "COMMIT_EDITMSG"
    if not path.is_absolute():
        path = (top_level(cwd) or cwd) / path
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read commit message file {path}: {exc.strerror}") from None
    if len(data) > MAX_MESSAGE_BYTES:
        raise ConfigError(
            f"{path.name}: the message is {len(data)} bytes, over the 1 MiB limit; "
            "write a shorter message"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(
            f"{path.name}: the message is not valid utf-8 text; save it as UTF-8"
        ) from None
    return Target(path.name, None, check_message(path.name, text) + "\n")


def _pull_request_targets(
    cwd: Path, plan: EventPlan, token: str, env: Mapping[str, str]
) -> list[Target]:
    base, head = plan.base or "", plan.head or ""  # plan_for_event guarantees both
    if git.commit_exists(cwd, base) and git.commit_exists(cwd, head):
        return _log(cwd, f"{base}..{head}")
    if token and plan.repository and plan.pr_number is not None:
        from relkit.adapters.github import GitHubClient  # noqa: PLC0415 - only this fallback

        log.info("the clone lacks the pull request's commits: reading them from the GitHub API")
        client = GitHubClient.from_env(token, env, repository=plan.repository)
        return _commits(client.list_pull_commits(plan.pr_number))
    raise ConfigError(
        f"the pull request's commits {base[:7]}..{head[:7]} are not in this clone: "
        "use actions/checkout with fetch-depth: 0 (or pass a token to read them from the API)"
    )


def _push_targets(cwd: Path, plan: EventPlan) -> tuple[list[Target], str]:
    if plan.deleted or not plan.head:
        return [], "the push deleted the branch: nothing to lint"
    head = plan.head
    if not git.commit_exists(cwd, head):
        raise ConfigError(
            f"the pushed commit {head[:7]} is not in this clone: check out the pushed ref"
        )
    if plan.created or not plan.base:
        default = f"refs/remotes/origin/{plan.default_branch}" if plan.default_branch else ""
        on_default = plan.ref == f"refs/heads/{plan.default_branch}"
        if default and not on_default and git.commit_exists(cwd, default):
            commits = _log(cwd, [head, f"^{default}"])
            return commits, f"new branch: commits not on {plan.default_branch}"
        log.info("new branch without a default branch to compare with: linting the head commit")
        return _read(cwd, head), "new branch: head commit"
    if not git.commit_exists(cwd, plan.base):
        if plan.forced or not git.is_shallow(cwd):
            log.warning(
                "forced push: the previous head %s is not in this clone; "
                "linting the head commit only",
                plan.base[:7],
            )
            return _read(cwd, head), "forced push: head commit"
        raise ConfigError(
            f"the push's previous head {plan.base[:7]} is not in this shallow clone: "
            "use actions/checkout with fetch-depth: 0"
        )
    return _log(cwd, f"{plan.base}..{head}"), f"push {plan.base[:7]}..{head[:7]}"


def _read_event(env: Mapping[str, str]) -> object:
    path = Path(env["GITHUB_EVENT_PATH"])
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"cannot read the event payload {path}: {exc}") from None


def collect(
    request: Request, env: Mapping[str, str], pending: git.PendingMessages | None = None
) -> tuple[list[Target], str]:
    """The messages to lint and a one-line description of where they came from (``pending``:
    the ``--from/--to`` range already being read)."""
    cwd = request.start.resolve()  # git trusts this folder (safe.directory) by its full path
    if request.message is not None:
        return [Target("message", None, request.message)], "--message"
    if request.edit is not None:
        return [_edit_target(cwd, request.edit)], "--edit"
    if request.from_rev:
        return _range_targets(cwd, request.from_rev, request.to_rev or "HEAD", pending)
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
        return _read(cwd, git.rev_parse(cwd, head)), f"{name}: {head}"
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


def verdict_line(items: Sequence[Checked], help_url: str, *, fail_on_warnings: bool) -> str:
    """The last console line: ✔ pass, ⚠ pass with warnings, ✖ the run fails (errors, or
    warnings with ``fail-on-warnings``)."""
    from commit_lint.report import counts  # noqa: PLC0415

    errors, warnings = counts(items)
    passed = sum(1 for item in items if not item.result.errors)
    text = f"{passed} of {len(items)} message(s) pass"
    if errors:
        mark = "✖"
    elif warnings and fail_on_warnings:
        mark = "✖"
        text += f", but {warnings} warning(s) fail the run (fail-on-warnings)"
    else:
        mark = "⚠" if warnings else "✔"
    return f"{mark}   {text}; ⓘ   Get help: {help_url}"


def _emit(
    items: list[Checked], config: LintConfig, env: Mapping[str, str], *, fail_on_warnings: bool
) -> None:
    from commit_lint.report import annotation_message, annotation_title, format_text  # noqa: PLC0415

    in_actions = gha.in_actions(env)
    problems = [item for item in items if item.result.errors or item.result.warnings]
    with gha.stop_commands(env):  # like commitlint, print the messages that have problems
        gha.info("\n\n".join(format_text(item) for item in problems))
    verdict = verdict_line(items, config.help_url, fail_on_warnings=fail_on_warnings)
    if not in_actions:
        gha.info(verdict)
        return
    for item in items:
        for violation in item.result.errors:
            gha.annotate(
                "error",
                annotation_message(item, violation),
                env,
                title=annotation_title(item, violation),
            )
        for violation in item.result.warnings:
            gha.annotate(
                "warning",
                annotation_message(item, violation),
                env,
                title=annotation_title(item, violation),
            )
    gha.info(verdict)  # last, after the annotations


def run(request: Request, env: Mapping[str, str]) -> int:
    with contextlib.ExitStack() as stack:
        pending = None
        if request.message is None and request.edit is None and request.from_rev:
            # git reads the range on the other core while the linter is imported and configured
            revs = f"{request.from_rev}..{request.to_rev or 'HEAD'}"
            pending = stack.enter_context(
                git.start_log_messages(request.start.resolve(), revs, reverse=False, strict=True)
            )
        return _run(request, env, pending)


def _run(request: Request, env: Mapping[str, str], pending: git.PendingMessages | None) -> int:
    from commit_lint.config_files import load_config  # noqa: PLC0415
    from commit_lint.lint import lint_message  # noqa: PLC0415
    from commit_lint.report import Checked, counts, report_data, summary_markdown  # noqa: PLC0415

    config = load_config(request.start, request.config_file)
    if request.edit is not None:
        cwd = request.start.resolve()
        char = comment_char(cwd) if top_level(cwd) else "#"
        config = config.replace(parser_options=config.parser_options._replace(comment_char=char))
    if request.help_url:
        config = config.replace(help_url=request.help_url)
    targets, context = collect(request, env, pending)
    items = [
        Checked(target.label, target.sha, lint_message(target.message, config))
        for target in targets
    ]
    errors, warnings = counts(items)
    if not items:
        log.info("commit-lint: %s", context)
    fail_on_warnings = request.fail_on_warnings
    failed = errors > 0 or (fail_on_warnings and warnings > 0)
    _emit(items, config, env, fail_on_warnings=fail_on_warnings)
    if env.get("GITHUB_STEP_SUMMARY"):
        summary = summary_markdown(
            items, config.help_url, context, fail_on_warnings=fail_on_warnings
        )
        gha.write_summary(summary, env)
    report = _report_path(request, env)
    if report is not None:
        try:
            report.parent.mkdir(parents=True, exist_ok=True)
            data = report_data(
                items, config.help_url, config.source, fail_on_warnings=fail_on_warnings
            )
            report.write_text(json.dumps(data, indent=2) + "\n", "utf-8")
        except OSError as exc:
            raise ExternalError(f"cannot write the report {report}: {exc.strerror}") from None
    gha.set_output("valid", "false" if failed else "true", env)
    gha.set_output("error-count", str(errors), env)
    gha.set_output("warning-count", str(warnings), env)
    gha.set_output("report", str(report) if report else "", env)
    return 1 if failed else 0
