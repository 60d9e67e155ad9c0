"""The values dependency-group passes between its stages: dependencies, lookups, updates.

Pure data (frozen dataclasses), no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """Where a piece of a dependency's version text sits in its file (``content[start:end]``).

    ``kind`` is ``version`` (the version or specifier text) or ``digest`` (an image digest or
    an action's commit sha)."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Dependency:
    """One dependency as a manager found it in one file.

    ``value`` is the version text as written (``==2.0.0``, ``3.18``, ``v2.2.0``, ``22.04``);
    ``digest`` the pinned digest or commit sha, if any; ``spans`` where both sit in the file.
    ``lookup_name`` is what the datasource is asked for (the image without its tag, the
    ``owner/repo`` of an action, the runner's OS); ``skip_reason`` is set when the dependency
    cannot be updated (the reason is reported)."""

    manager: str
    file: str
    package: str
    datasource: str
    dep_type: str
    value: str
    spans: tuple[Span, ...] = ()
    digest: str = ""
    lookup_name: str = ""
    registry: str = ""
    line: int = 0
    skip_reason: str = ""
    versioning: str = ""  # set when the manager decides it (poetry constraints)

    @property
    def current(self) -> str:
        """The text in the file, as the plan shows it (``3.18@sha256:…``, ``v2.2.0@<sha>``)."""
        return f"{self.value}@{self.digest}" if self.digest else self.value


@dataclass(frozen=True, slots=True)
class Release:
    """One version a datasource offers; ``digest`` is filled for the proposed ones only."""

    version: str
    digest: str = ""
    license: str | None = None


@dataclass(frozen=True, slots=True)
class Update:
    """One proposed change of one dependency."""

    dependency: Dependency
    update_type: str
    new_value: str
    new_digest: str = ""
    new_version: str = ""
    new_major: int = 0
    new_minor: int = 0
    license: str | None = None
    license_ok: bool = True
    license_reason: str = ""

    @property
    def new(self) -> str:
        return f"{self.new_value}@{self.new_digest}" if self.new_digest else self.new_value
