"""The promote-env action."""
