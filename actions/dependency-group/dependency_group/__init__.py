"""The dependency-group action."""
