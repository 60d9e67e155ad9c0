"""The file-system side of kyverno-validate: which files to read, and ``kubectl kustomize``.

This is the action's adapter module (file and subprocess I/O); the stages themselves are pure.
"""

from __future__ import annotations

import glob
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from relkit.errors import ConfigError

from kyverno_validate import builtin_policies, yamlio
from kyverno_validate.pipeline import PolicyText

YAML_SUFFIXES = (".yaml", ".yml")
KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
KUSTOMIZE_TIMEOUT = 120
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True, slots=True)
class Matched:
    files: tuple[Path, ...]
    unmatched: tuple[str, ...]  # patterns that matched nothing (warned about)


def relative_label(path: Path, root: Path) -> str:
    """The path as shown in reports and annotations: relative to the workspace when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def expand_paths(patterns: Sequence[str], root: Path) -> Matched:
    """Files, folders (every ``*.yaml``/``*.yml`` below) and globs (``**`` recursive)."""
    seen: dict[Path, None] = {}
    unmatched: list[str] = []
    for pattern in patterns:
        found = _expand_one(pattern, root)
        if not found:
            unmatched.append(pattern)
        for path in found:
            seen.setdefault(path, None)
    return Matched(tuple(seen), tuple(unmatched))


def _expand_one(pattern: str, root: Path) -> list[Path]:
    candidate = Path(pattern) if Path(pattern).is_absolute() else root / pattern
    if _GLOB_CHARS & set(pattern):
        matches = sorted(glob.glob(str(candidate), recursive=True, include_hidden=True))
        return [Path(match) for match in matches if Path(match).is_file()]
    if candidate.is_dir():
        return sorted(
            path for path in candidate.rglob("*") if path.suffix in YAML_SUFFIXES and path.is_file()
        )
    if candidate.is_file():
        return [candidate]
    return []


def _visible(path: Path, folder: Path) -> bool:
    """Not inside a hidden file or folder below ``folder`` (``.kyverno-test/``,
    ``.chainsaw-test/``): ``kyverno apply DIR`` skips those."""
    return not any(part.startswith(".") for part in path.relative_to(folder).parts)


def resolve_policies(items: Sequence[str], root: Path) -> list[PolicyText]:
    """Policy files and folders, or built-in policy names; unknown items are a ConfigError.

    A folder loads like ``kyverno apply DIR``: every ``*.yaml``/``*.yml`` below it except in
    hidden files and folders (the test assertions kyverno/policies keeps beside a policy)."""
    sources: list[PolicyText] = []
    for item in items:
        found = _expand_one(item, root)
        folder = Path(item) if Path(item).is_absolute() else root / item
        if folder.is_dir() and not _GLOB_CHARS & set(item):
            found = [path for path in found if _visible(path, folder)]
            if not found:
                raise ConfigError(
                    f"input 'policies': folder {item!r} holds no policy file outside hidden "
                    "folders; point it at Kyverno policy files"
                )
        if found:
            sources.extend(
                PolicyText(relative_label(path, root), _read(path, root)) for path in found
            )
            continue
        if item in builtin_policies.NAMES:
            data = builtin_policies.read_builtin(item)
            sources.append(PolicyText(f"builtin:{item}", data, item))
            continue
        raise ConfigError(
            f"input 'policies': {item!r} is neither a policy file or folder nor a built-in "
            f"policy ({', '.join(builtin_policies.NAMES)}); fix the path or the name"
        )
    return sources


def _read(path: Path, root: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            f"cannot read policy file {relative_label(path, root)}: {exc.strerror}"
        ) from None


def load_manifests(files: Iterable[Path], root: Path) -> list[yamlio.LoadedFile]:
    return [yamlio.load_file(path, relative_label(path, root)) for path in files]


# --- kustomize ------------------------------------------------------------------------------


def kustomization_files(files: Iterable[Path]) -> list[Path]:
    """The kustomization files among the matched files (their folders get rendered)."""
    return sorted(path for path in files if path.name in KUSTOMIZATION_NAMES)


def split_kustomize(files: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """(kustomization files to render, the matched files outside any of their folders)."""
    kustomizations = kustomization_files(files)
    dirs = [path.parent for path in kustomizations]
    plain = [path for path in files if not any(path.is_relative_to(d) for d in dirs)]
    return kustomizations, plain


def find_kubectl(env_path: str | None) -> str:
    kubectl = shutil.which("kubectl", path=env_path)
    if kubectl is None:
        raise ConfigError(
            "input 'kustomize' is true but kubectl is not on PATH; install kubectl "
            "(it bundles kustomize) or set 'kustomize: false'"
        )
    return kubectl


def render_kustomization(kubectl: str, directory: Path, label: str) -> yamlio.LoadedFile:
    """``kubectl kustomize DIR`` parsed as one multi-document file labelled ``label``."""
    try:
        done = subprocess.run(
            [kubectl, "kustomize", str(directory)],
            capture_output=True,
            timeout=KUSTOMIZE_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        problem = yamlio.YamlProblem(label, f"kubectl kustomize failed: {exc}")
        return yamlio.LoadedFile(label, (), (problem,))
    if done.returncode != 0:
        stderr = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        detail = stderr[-1] if stderr else f"exit {done.returncode}"
        problem = yamlio.YamlProblem(label, f"kubectl kustomize failed: {detail}")
        return yamlio.LoadedFile(label, (), (problem,))
    return yamlio.parse_bytes(done.stdout, label)
