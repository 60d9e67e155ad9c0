"""The dora-push action."""
