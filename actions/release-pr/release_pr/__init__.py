"""The release-pr action."""
