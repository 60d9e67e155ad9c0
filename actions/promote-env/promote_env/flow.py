"""The three modes: read the overlays, plan, verify by rendering, then commit (or only report).

Everything is checked before anything is written: bad input raises :class:`ConfigError` (exit
2), a failed render :class:`ExternalError` (exit 1), a freeze window :class:`CheckFailed`.
"""

from __future__ import annotations

import difflib
import logging
import os
import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from relkit.adapters import gha
from relkit.errors import CheckFailed, ConfigError, ExternalError

from promote_env import freeze, kubectl, record, rendered
from promote_env.gitops import Repo
from promote_env.kustomize import KUSTOMIZATION_FILES, Triple, read_images, reference, update
from promote_env.promotion import (
    Change,
    Drift,
    downgrades,
    image_drift,
    plan_promotion,
    plan_restore,
)
from promote_env.report import Report
from promote_env.revert import revert

if TYPE_CHECKING:
    from promote_env.entry import Inputs

log = logging.getLogger("relkit.promote_env")


@dataclass(frozen=True, slots=True)
class Overlay:
    folder: str  # relative to the repository root
    file: str  # the kustomization file, relative to the root
    content: str

    @property
    def env_name(self) -> str:
        return posixpath.basename(self.folder) or self.folder


def find_kustomization(root: str, folder: str, what: str) -> str:
    directory = os.path.join(root, folder)
    if not os.path.isdir(directory):
        raise ConfigError(
            f"{what} overlay {folder!r} does not exist in the repository; check the '{what}' input"
        )
    for name in KUSTOMIZATION_FILES:
        if os.path.isfile(os.path.join(directory, name)):
            return posixpath.join(folder, name) if folder != "." else name
    raise ConfigError(
        f"{what} overlay {folder!r} has no kustomization.yaml, kustomization.yml or "
        "Kustomization; point the input at a Kustomize overlay folder"
    )


def read_overlay(root: str, folder: str, what: str) -> Overlay:
    file = find_kustomization(root, folder, what)
    try:
        with open(os.path.join(root, file), encoding="utf-8", newline="") as handle:
            content = handle.read()
    except UnicodeDecodeError:
        raise ConfigError(f"{file} is not UTF-8 text; fix the file") from None
    return Overlay(folder, file, content)


def check_freeze(inputs: Inputs, now: datetime) -> None:
    window = freeze.active_window(freeze.parse_windows(inputs.freeze_windows), now)
    if window is None:
        return
    if inputs.override_freeze:
        log.warning("inside freeze window %r: overridden (%s)", window.text, inputs.override_freeze)
        return
    raise CheckFailed(
        f"{inputs.mode} blocked by the freeze window {window.text!r} (now "
        f"{now.astimezone(window.zone):%Y-%m-%d %H:%M %Z}); wait until it ends, or give "
        "'override-freeze: <reason>' (recorded in the commit)"
    )


# --- rendering ----------------------------------------------------------------------------------


def _kubectl(inputs: Inputs, env: Mapping[str, str]) -> str | None:
    if not inputs.render:
        return None
    found = kubectl.find_kubectl(env)
    if found is None:
        log.info("kubectl is not on PATH: the overlays are not rendered (render check skipped)")
    return found


def verify_render(
    tool: str,
    *,
    root: str,
    overlay: Overlay,
    content: str,
    changes: Sequence[Change],
    env: Mapping[str, str],
) -> None:
    """Render the target with the edit (in a scratch copy): every promoted image must be used."""
    with kubectl.scratch_copy(root, {overlay.file: content}) as copy:
        text = kubectl.render(tool, copy, overlay.folder, env)
    images = set(rendered.container_images(rendered.load_documents(text, overlay.folder)))
    missing = [c for c in changes if c.after is not None and c.to_ref not in images]
    if missing:
        names = ", ".join(f"{c.name} → {c.to_ref}" for c in missing)
        raise ExternalError(
            f"kubectl kustomize {overlay.folder}: after the edit no container uses {names}; "
            "check the image names (kustomize matches name without tag or digest) — nothing "
            "was written"
        )
    log.info("kubectl kustomize %s renders the promoted images", overlay.folder)


# --- promote and rollback -----------------------------------------------------------------------


def _diff(overlay: Overlay, new: str) -> str:
    lines = difflib.unified_diff(
        overlay.content.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"a/{overlay.file}",
        tofile=f"b/{overlay.file}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


@dataclass(frozen=True, slots=True)
class Plan:
    """What a promotion or rollback will write, and what its commit says."""

    changes: list[Change]
    content: str  # the target kustomization afterwards
    promoted_from: str
    rolled_back_from: str = ""
    drift: tuple[Drift, ...] = ()  # source vs the edited target (promote only)


def _plan_promote(inputs: Inputs, repo: Repo, target: Overlay) -> Plan:
    source = read_overlay(repo.root, inputs.source, "source")
    source_images = read_images(source.content, source.file)
    target_images = read_images(target.content, target.file)
    changes = plan_promotion(source_images, target_images, inputs.images, source_path=source.folder)
    older = downgrades(changes)
    if older and not inputs.allow_downgrade:
        raise ConfigError(
            f"promotion to {target.folder} would downgrade {'; '.join(older)}; "
            "set 'allow-downgrade: true' if that is intended"
        )
    new = update(target.content, {c.name: c.after for c in changes}, path=target.file)
    drift = tuple(image_drift(source_images, read_images(new, target.file)))
    return Plan(changes, new, f"{source.folder}@{repo.head()}", drift=drift)


def _images(content: str, path: str) -> dict[str, Triple]:
    return {image.name: image.triple for image in read_images(content, path)}


def _only_images_differ(before: str, target: Overlay, changes: list[Change]) -> bool:
    """Whether ``before`` is the current file with only these images' values changed: then
    promoting the current values into it gives the current file back, byte for byte."""
    try:
        again = update(before, {c.name: c.before for c in changes}, path=target.file)
    except ConfigError:
        return False
    return again == target.content


def _plan_rollback(inputs: Inputs, repo: Repo, target: Overlay) -> Plan:
    current = read_images(target.content, target.file)
    if inputs.to:
        sha = repo.resolve(inputs.to)
        before = repo.show(sha, target.file)
        if before is None:
            raise ConfigError(f"{target.file} does not exist at {inputs.to!r}; pick another 'to'")
        wanted = read_images(before, target.file)
        names = [*(i.name for i in current), *(i.name for i in wanted)]
        changes = plan_restore(current, wanted, names)
        new = update(target.content, {c.name: c.after for c in changes}, path=target.file)
        if changes and _only_images_differ(before, target, changes):
            new = before  # the earlier file itself: byte for byte
        return Plan(changes, new, f"{target.folder}@{sha}", repo.head())
    found = repo.last_promotion(target.file)
    if found is None:
        from relkit.adapters.git import is_shallow  # noqa: PLC0415

        hint = (
            "this clone is shallow: check out with 'fetch-depth: 0'"
            if is_shallow(repo.root, env=repo.env)
            else "give 'to: <git ref>' to restore the images of an earlier state"
        )
        raise ConfigError(
            f"no commit with a 'Promoted-Images' trailer changed {target.file}: nothing to roll "
            f"back; {hint}"
        )
    sha, message = found
    parent = f"{sha}^"
    before = repo.show(parent, target.file) if repo.has_parent(sha) else None
    after = repo.show(sha, target.file)
    if before is None or after is None:
        raise ConfigError(
            f"promotion commit {sha[:12]} created or deleted {target.file}: nothing to restore; "
            "give 'to: <git ref>'"
        )
    wanted = read_images(before, target.file)
    changed = set(_images(before, target.file).items()) ^ set(_images(after, target.file).items())
    names = [*record.promoted_images(message), *sorted({name for name, _ in changed})]
    changes = plan_restore(current, wanted, names)
    restored = {i.name: i.triple for i in current} | {c.name: c.after for c in changes}
    expected = {name: triple for name, triple in restored.items() if triple is not None}
    merged = revert(target.content, before, after)
    if merged is not None and _images(merged, target.file) == expected:
        new = merged
    else:
        new = update(target.content, {c.name: c.after for c in changes}, path=target.file)
    return Plan(changes, new, f"{target.folder}@{repo.resolve(parent)}", sha)


def run_change(inputs: Inputs, env: Mapping[str, str], now: datetime) -> Report:
    """Promote (copy source images to the target) or roll back the target."""
    workspace = env.get("GITHUB_WORKSPACE") or os.getcwd()
    repo = Repo.open(workspace, env, inputs.token)
    target = read_overlay(repo.root, inputs.target, "target")
    if not inputs.dry_run and not gha.in_actions(env):
        repo.check_unchanged(target.file)
    check_freeze(inputs, now)
    if inputs.mode == "rollback":
        plan = _plan_rollback(inputs, repo, target)
    else:
        plan = _plan_promote(inputs, repo, target)
    changes, new = plan.changes, plan.content
    report = Report(
        inputs.mode, target.env_name, tuple(changes), plan.drift, dry_run=inputs.dry_run
    )
    if not changes:
        log.info("%s already has these images: nothing to change", target.file)
        return report
    for change in changes:
        log.info("%s: %s → %s", change.name, change.from_ref or "(none)", change.to_ref or "(none)")
    tool = _kubectl(inputs, env)
    if tool is not None:
        verify_render(tool, root=repo.root, overlay=target, content=new, changes=changes, env=env)
    if inputs.dry_run:
        gha.print_untrusted(_diff(target, new).rstrip("\n"), env)
        return report
    message = record.commit_message(
        record.Record(
            target_env=target.env_name,
            changes=tuple(changes),
            promoted_from=plan.promoted_from,
            rolled_back_from=plan.rolled_back_from,
            freeze_override=inputs.override_freeze,
        )
    )
    if not gha.in_actions(env):
        if inputs.pull_request:
            log.info("outside Actions: committing on the current branch, pushing nothing")
        sha = repo.commit_here(target.file, new, message)
        log.info("committed %s", sha)
        if not repo.on_branch():
            log.warning(
                "HEAD is detached: commit %s is on no branch; keep it with 'git branch <name> %s'",
                sha,
                sha,
            )
        return replace(report, commit_sha=sha)
    from promote_env.deliver import deliver  # noqa: PLC0415 - only Actions talks to GitHub

    def rebuild(content: str) -> str:
        if content == target.content:
            return new
        return update(content, {c.name: c.after for c in changes}, path=target.file)

    delivered = deliver(
        inputs,
        repo=repo,
        env=env,
        path=target.file,
        target_env=target.env_name,
        rebuild=rebuild,
        message=message,
    )
    if not delivered.sha:
        return replace(report, changes=())
    return replace(
        report,
        commit_sha=delivered.sha,
        pull_number=delivered.pull_number,
        pull_url=delivered.pull_url,
    )


# --- drift --------------------------------------------------------------------------------------


def run_drift(inputs: Inputs, env: Mapping[str, str]) -> Report:
    workspace = env.get("GITHUB_WORKSPACE") or os.getcwd()
    repo = Repo.open(workspace, env)
    source = read_overlay(repo.root, inputs.source, "source")
    target = read_overlay(repo.root, inputs.target, "target")
    drift = image_drift(
        read_images(source.content, source.file), read_images(target.content, target.file)
    )
    found: list[rendered.ResourceDrift] = []
    tool = _kubectl(inputs, env)
    if tool is not None:
        docs = [
            rendered.load_documents(kubectl.render(tool, repo.root, o.folder, env), o.folder)
            for o in (source, target)
        ]
        found = rendered.rendered_drift(docs[0], docs[1], inputs.ignore_drift)
    for item in drift:
        log.info(
            "drift %s: source %s, target %s",
            item.name,
            reference(item.name, item.source) or "(absent)",
            reference(item.name, item.target) or "(absent)",
        )
    for resource in found:
        log.info("rendered drift %s %s", resource.resource, resource.path)
    exit_code = 0
    if (drift or found) and inputs.fail_on_drift:
        exit_code = 1
        gha.annotate(
            "error",
            f"{len(drift)} drifting image(s) and {len(found)} rendered difference(s) between "
            f"{source.folder} and {target.folder} (fail-on-drift is set)",
            env,
            title="promote-env",
        )
    elif not drift and not found:
        log.info("%s and %s are in sync", source.folder, target.folder)
    return Report(
        "drift", target.env_name, drift=tuple(drift), rendered=tuple(found), exit_code=exit_code
    )
