"""``logging`` records as workflow commands: the handler :func:`gha.install_logging` adds.

A module of its own so that ``relkit.adapters.gha`` (imported by every run) does not import
``logging``; only a run that installs the handler loads it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from relkit.adapters import gha


class WorkflowCommandHandler(logging.Handler):
    """DEBUG → ::debug::, INFO → plain line, WARNING → ::warning::, ERROR+ → ::error::.

    ``env`` is the run's environment: it tells whether a runner reads the commands."""

    def __init__(self, env: Mapping[str, str]) -> None:
        super().__init__()
        self.env = env

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = self.format(record)
            if record.levelno >= logging.ERROR:
                gha.issue_command("error", message)
            elif record.levelno >= logging.WARNING:
                gha.issue_command("warning", message)
            elif record.levelno >= logging.INFO:
                gha._print_maybe_untrusted(message, self.env)
            else:
                gha.debug(message)
        except BrokenPipeError:  # the reader of stdout is gone: the CLI's boundary ends the run
            raise
        except Exception:  # pragma: no cover - logging must never raise
            self.handleError(record)
