"""Every function the git adapter offers has a caller in the product, or is kept for an open
issue that is building it now (named here): nothing dead stays."""

from __future__ import annotations

import re
from pathlib import Path

from relkit.adapters import git

ROOT = Path(__file__).resolve().parents[3]

# kept without a caller on this branch: the actions being built need them (issue numbers)
KEPT = {
    "is_ancestor": "issue 9 promote-env (drift and rollback), issue 10 dora-push (lead time)",
    "merge_base": "issue 9 promote-env, issue 10 dora-push",
    "show_file": "issue 9 promote-env reads kustomization files at a ref (its gitops.py)",
    "show_file_bytes": "issue 9 promote-env reads overlays at a ref (show_file's bytes form)",
    "head_state": "the one-process form of start_head_state, for callers without a pending read",
    "explain_failure": "git's stderr into advice, for actions that run git themselves",
}


def test_every_git_adapter_function_has_a_caller_or_a_reason() -> None:
    sources = [
        p.read_text(encoding="utf-8")
        for folder in ("shared", "actions", "bench", "scripts")
        for p in (ROOT / folder).rglob("*.py")
        if "adapters/git/" not in p.as_posix()
    ]
    internal = "\n".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "shared/relkit/adapters/git").glob("*.py")
    )
    unused = [
        name
        for name in git.__all__
        if name[0].islower()
        and name not in KEPT
        and not any(re.search(rf"\b{name}\b", text) for text in sources)
        and len(re.findall(rf"\b{name}\b", internal)) <= 3  # def, import, __all__
    ]
    assert unused == []
