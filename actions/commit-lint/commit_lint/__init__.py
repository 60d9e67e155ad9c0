"""The commit-lint action."""
