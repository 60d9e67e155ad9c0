"""Adapters: every piece of I/O relkit does, one module per outside system."""
