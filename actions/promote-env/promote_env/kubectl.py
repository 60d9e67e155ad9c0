"""``kubectl kustomize``: render an overlay, in place or in a scratch copy with edited files.

An adapter. kubectl is optional: :func:`find_kubectl` says whether it is on PATH.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping

from relkit.errors import ExternalError

TIMEOUT = 120.0
_KLOG_HEADER = re.compile(r"^[IWEF]\d{4} [\d:.]+\s+\d+ [\w.-]+:\d+\] ")


def find_kubectl(env: Mapping[str, str]) -> str | None:
    return shutil.which("kubectl", path=env.get("PATH", os.defpath))


def render(kubectl: str, root: str, overlay: str, env: Mapping[str, str]) -> str:
    """The YAML ``kubectl kustomize`` renders for ``overlay`` (relative to ``root``)."""
    try:
        done = subprocess.run(
            [kubectl, "kustomize", overlay],
            cwd=root,
            env=dict(env),
            capture_output=True,
            check=False,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        raise ExternalError(f"kubectl kustomize {overlay} timed out after {TIMEOUT:.0f}s") from None
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
        said = lines[-1].strip() if lines else f"exit code {done.returncode}"
        said = _KLOG_HEADER.sub("", said)  # "E1205 09:15:50.536106   32764 run.go:72] "
        said = said.replace(os.path.join(os.path.realpath(root), ""), "").replace(
            os.path.join(root, ""), ""
        )  # paths relative to the repository, also from a scratch copy
        raise ExternalError(
            f"kubectl kustomize {overlay} failed: {said}; fix the overlay (nothing was written)"
        )
    return done.stdout.decode("utf-8", errors="replace")


@contextlib.contextmanager
def scratch_copy(root: str, files: Mapping[str, str]) -> Iterator[str]:
    """A copy of the checkout (without ``.git``) with ``files`` (path → content) replaced."""
    with tempfile.TemporaryDirectory(prefix="relkit-render-") as scratch:
        copy = os.path.join(scratch, "repo")
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".git"), symlinks=True)
        for path, content in files.items():
            with open(os.path.join(copy, path), "w", encoding="utf-8", newline="") as handle:
                handle.write(content)
        yield copy
