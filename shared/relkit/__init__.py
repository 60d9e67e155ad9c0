"""relkit: the shared library behind every relkit action."""

__version__ = "0.1.0"  # x-release-please-version
