"""The exception classes that the error boundary in :mod:`relkit.cli` maps to exit codes.

A subclass exists only where the boundary treats it differently.
"""

from __future__ import annotations


class RelkitError(Exception):
    """An expected failure: one line for the user, no traceback."""

    exit_code = 1


class ConfigError(RelkitError):
    """Bad input, config or usage: name the value and the fix. Exit 2."""

    exit_code = 2


class ExternalError(RelkitError):
    """An outside system (git, GitHub, a registry, the Pushgateway) failed after retries. Exit 1."""

    exit_code = 1


class CheckFailed(RelkitError):
    """A check found violations that were already reported. Exit 1, no extra message."""

    exit_code = 1
