"""The kyverno-validate action."""
