"""What one rule (or one foreach element) came to, before it becomes a RuleResult."""

from __future__ import annotations

from dataclasses import dataclass

from kyverno_validate.engine.model import Result


@dataclass(frozen=True, slots=True)
class Outcome:
    result: Result
    message: str
    path: str | None = None
