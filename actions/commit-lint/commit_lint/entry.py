"""``relkit commit-lint``: lint commit messages of a pull request, a push, a range or a message.

Reads the inputs (flags or ``INPUT_*``), finds the commitlint config, collects the messages to
lint (from the event, ``--from/--to``, ``--message``, ``--edit`` or ``--json-batch`` on stdin),
lints them, and reports: text inside ``stop-commands``, one annotation per violation, a job
summary table, outputs ``valid``/``error-count``/``warning-count``/``report``. Exit 1 when an
error-level rule fails (or a warning with ``fail-on-warnings``), 2 for bad config or input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from relkit.actionspec import ActionSpec, InputSpec, build_parser, resolve_inputs
from relkit.adapters import gha
from relkit.errors import ConfigError

SPEC = ActionSpec(
    name="commit-lint",
    summary="Lint commit messages with commitlint's rules and configs (Conventional Commits).",
    inputs=(
        InputSpec(
            "config-file",
            "Path of the commitlint config, relative to working-directory (default: found like "
            "commitlint does; @commitlint/config-conventional when there is none)",
        ),
        InputSpec(
            "lint-pr-title",
            "Also lint the pull request title as a commit header (for squash-merge repositories)",
            default="false",
            kind="boolean",
        ),
        InputSpec(
            "fail-on-warnings",
            "Fail when a warning-level rule fails, not only on errors",
            default="false",
            kind="boolean",
        ),
        InputSpec("help-url", "URL shown with failures (default: the config's helpUrl)"),
        InputSpec(
            "working-directory",
            "The git repository to lint (default: the current directory, the workspace)",
        ),
        InputSpec(
            "report-file",
            "Where to write the JSON report (default: commit-lint-report.json in RUNNER_TEMP)",
        ),
        InputSpec(
            "token",
            "GitHub token, used to list a pull request's commits when the clone lacks them",
            secret=True,
            env_fallback="GITHUB_TOKEN",
        ),
    ),
)


def build_cli() -> argparse.ArgumentParser:
    parser = build_parser(SPEC)
    group = parser.add_argument_group("what to lint (locally; in Actions the event decides)")
    group.add_argument("--message", "-m", help="lint this message text")
    group.add_argument(
        "--edit",
        "-e",
        nargs="?",
        const="",
        metavar="FILE",
        help="lint a commit message file (the commit-msg hook; default .git/COMMIT_EDITMSG)",
    )
    group.add_argument("--from", dest="from_rev", metavar="REV", help="lint commits after REV")
    group.add_argument("--to", dest="to_rev", metavar="REV", help="... up to REV (default HEAD)")
    group.add_argument(
        "--json-batch",
        action="store_true",
        help="read a JSON list of messages on stdin, print a JSON list of verdicts",
    )
    return parser


def _read_stdin() -> bytes:
    return sys.stdin.buffer.read()


def run_json_batch(start: Path, config_file: str) -> int:
    """The conformance contract: JSON list of messages in, list of verdicts out."""
    from commit_lint.config_files import load_config  # noqa: PLC0415
    from commit_lint.lint import lint_verdict  # noqa: PLC0415

    raw = _read_stdin()
    try:
        messages = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"--json-batch needs a JSON list of strings on stdin: {exc}") from None
    if not isinstance(messages, list) or not all(isinstance(m, str) for m in messages):
        raise ConfigError("--json-batch needs a JSON list of strings on stdin")
    config = load_config(start, config_file)
    out = [lint_verdict(message, config) for message in messages]
    gha.info(json.dumps(out, separators=(",", ":")))
    return 0


def main(argv: Sequence[str], env: Mapping[str, str]) -> int:
    parser = build_cli()
    namespace = parser.parse_args(list(argv))
    inputs = resolve_inputs(SPEC, namespace, env)
    start = Path(inputs.str("working-directory") or ".")
    if inputs.str("working-directory"):
        from relkit.adapters.git import folder_error  # noqa: PLC0415

        problem = folder_error(start)
        if problem is not None:
            raise problem
    if namespace.json_batch:
        return run_json_batch(start, inputs.str("config-file"))
    from commit_lint.run import Request, run  # noqa: PLC0415 - keeps --json-batch start-up lean

    request = Request(
        start=start,
        config_file=inputs.str("config-file"),
        lint_pr_title=inputs.bool("lint-pr-title"),
        fail_on_warnings=inputs.bool("fail-on-warnings"),
        help_url=inputs.str("help-url"),
        report_file=inputs.str("report-file"),
        token=inputs.str("token"),
        message=namespace.message,
        edit=namespace.edit,
        from_rev=namespace.from_rev,
        to_rev=namespace.to_rev,
    )
    given = [
        flag
        for flag, value in (
            ("--message", request.message is not None),
            ("--edit", request.edit is not None),
            ("--from", request.from_rev is not None),
        )
        if value
    ]
    if len(given) > 1:
        raise ConfigError(
            f"{' and '.join(given)} given together: lint one source: --message, --edit or "
            "--from/--to"
        )
    if request.to_rev and not request.from_rev:
        raise ConfigError("--to needs --from: give the range as --from REV --to REV")
    return run(request, env)
