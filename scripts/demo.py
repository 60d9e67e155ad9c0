"""`make demo`: placeholder until the release-pr dry run exists."""
