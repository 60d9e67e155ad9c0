"""What a promotion changes and where two overlays drift apart. Pure.

A promotion copies the ``(newName, newTag, digest)`` triple of each selected image from the
source overlay to the target overlay; an image already equal is left alone. A move to an older
SemVer tag is a downgrade, refused unless the caller allows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from relkit.core.versions import Version, VersionError, parse_version
from relkit.errors import ConfigError

from promote_env.kustomize import Image, Triple, reference


@dataclass(frozen=True, slots=True)
class Change:
    """One image of a promotion: its triple before and after (``None``: no entry)."""

    name: str
    before: Triple | None
    after: Triple | None

    @property
    def from_ref(self) -> str:
        return reference(self.name, self.before)

    @property
    def to_ref(self) -> str:
        return reference(self.name, self.after)

    @property
    def pinned(self) -> bool:
        return self.after is not None and bool(self.after.digest)

    def as_json(self) -> dict[str, str]:
        return {"name": self.name, "from": self.from_ref, "to": self.to_ref}


@dataclass(frozen=True, slots=True)
class Drift:
    """An image whose triple differs between the overlays (``None``: absent on that side)."""

    name: str
    source: Triple | None
    target: Triple | None

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "source": self.source.as_json() if self.source else None,
            "target": self.target.as_json() if self.target else None,
        }


def plan_promotion(
    source: Sequence[Image],
    target: Sequence[Image],
    names: Sequence[str] = (),
    *,
    source_path: str = "source",
) -> list[Change]:
    """The changes that make ``target`` carry the source triple of each image (all of the
    source's images, or only ``names``); raises :class:`ConfigError` for a name the source lacks."""
    by_source = {image.name: image.triple for image in source}
    by_target = {image.name: image.triple for image in target}
    missing = [name for name in names if name not in by_source]
    if missing:
        known = ", ".join(by_source) or "none"
        raise ConfigError(
            f"input 'images' names {', '.join(repr(n) for n in missing)}, which the source "
            f"overlay {source_path} does not list under images (it has: {known}); fix the name"
        )
    wanted = list(dict.fromkeys(names)) if names else list(by_source)
    return [
        Change(name, by_target.get(name), by_source[name])
        for name in wanted
        if by_target.get(name) != by_source[name]
    ]


def plan_restore(
    current: Sequence[Image], wanted: Sequence[Image], names: Sequence[str]
) -> list[Change]:
    """The changes that give the ``names`` in ``current`` the triples they have in ``wanted``
    (an image ``wanted`` lacks is removed)."""
    by_current = {image.name: image.triple for image in current}
    by_wanted = {image.name: image.triple for image in wanted}
    return [
        Change(name, by_current.get(name), by_wanted.get(name))
        for name in dict.fromkeys(names)
        if by_current.get(name) != by_wanted.get(name)
    ]


def _semver(tag: str | None) -> Version | None:
    if not tag:
        return None
    try:
        return parse_version(tag)
    except VersionError:
        return None


def downgrades(changes: Sequence[Change]) -> list[str]:
    """``name: old → new`` for each change that moves to an older SemVer tag."""
    found = []
    for change in changes:
        old = _semver(change.before.new_tag if change.before else None)
        new = _semver(change.after.new_tag if change.after else None)
        if old is not None and new is not None and new < old:
            found.append(f"{change.name}: {change.from_ref} → {change.to_ref}")
    return found


def image_drift(source: Sequence[Image], target: Sequence[Image]) -> list[Drift]:
    """Every image whose triple differs, source order first, then images only in the target."""
    by_source = {image.name: image.triple for image in source}
    by_target = {image.name: image.triple for image in target}
    names = list(dict.fromkeys([*by_source, *by_target]))
    return [
        Drift(name, by_source.get(name), by_target.get(name))
        for name in names
        if by_source.get(name) != by_target.get(name)
    ]
