"""Lint one commit message with a :class:`LintConfig`: ``@commitlint/lint``'s flow. Pure.

Ignored messages (default wildcards and configured patterns) and empty messages are valid with no
rule run; otherwise the message is parsed and every enabled rule runs in configuration order.
"""

from __future__ import annotations

from typing import NamedTuple

from relkit.core.commits import ConventionalCommit, parse_message

from commit_lint.config import LintConfig
from commit_lint.ignores import is_default_ignored, is_ignored


class Violation(NamedTuple):
    rule: str
    level: int  # 1 warning, 2 error
    message: str


class LintResult(NamedTuple):
    raw: str
    valid: bool
    ignored: bool
    errors: tuple[Violation, ...]
    warnings: tuple[Violation, ...]
    commit: ConventionalCommit | None

    @property
    def header(self) -> str:
        return self.commit.header if self.commit is not None else self.raw.split("\n", 1)[0]


def _mask(commit: ConventionalCommit) -> int:
    """Which commit parts are non-empty (bit i = PARTS[i]): it picks the rules that can fail."""
    return (
        (1 if commit.header else 0)
        | (2 if commit.type else 0)
        | (4 if commit.scope else 0)
        | (8 if commit.subject else 0)
        | (16 if commit.body else 0)
        | (32 if commit.footer else 0)
    )


def _failures(commit: ConventionalCommit, config: LintConfig) -> list[Violation]:
    """Run the enabled rules that can fail on this commit's non-empty parts."""
    failures: list[Violation] = []
    for check, when, value, name, level in config.plans[_mask(commit)]:
        passed, text = check(commit, when, value)
        if not passed:
            failures.append(Violation(name, level, text))
    return failures


def _ignored(message: str, config: LintConfig) -> bool:
    if config.default_ignores and is_default_ignored(message):
        return True
    return bool(config.ignores) and is_ignored(message, defaults=False, patterns=config.ignores)


def lint_message(message: str, config: LintConfig) -> LintResult:
    if _ignored(message, config):
        return LintResult(message, True, True, (), (), None)
    commit = parse_message(message, config.parser_options, details=config.needs_details)
    if commit.is_empty:
        return LintResult(message, True, False, (), (), commit)
    failures = _failures(commit, config)
    if not failures:
        return LintResult(message, True, False, (), (), commit)
    errors = tuple(v for v in failures if v.level == 2)
    warnings = tuple(v for v in failures if v.level != 2)
    return LintResult(message, not errors, False, errors, warnings, commit)


def lint_verdict(message: str, config: LintConfig) -> dict[str, object]:
    """The ``--json-batch`` verdict: ``{valid, errors: [rule], warnings: [rule]}``."""
    if _ignored(message, config):
        return {"valid": True, "errors": [], "warnings": []}
    commit = parse_message(message, config.parser_options, details=config.needs_details)
    if commit.is_empty:
        return {"valid": True, "errors": [], "warnings": []}
    errors: list[str] = []
    warnings: list[str] = []
    for check, when, value, name, level in config.plans[_mask(commit)]:
        if not check(commit, when, value)[0]:
            (errors if level == 2 else warnings).append(name)
    return {"valid": not errors, "errors": errors, "warnings": warnings}
