"""Java and Maven (release-please's ``java`` and ``maven`` strategies): every ``pom.xml`` of the
package gets ``project/version`` (else ``project/parent/version``, release-please's ``PomXml``)
and its ``x-release-please-*`` markers.

The XML is edited in place: a small scanner finds the element's text and only that changes, so
comments, namespaces and layout stay. relkit opens no SNAPSHOT pull requests (release-please's
java strategies do after each release, unless ``skip-snapshot``): both types say so.
"""

from __future__ import annotations

import posixpath
import re

from relkit.core.versions import Version
from relkit.errors import ConfigError

from release_pr.updaters import Found, Package, Updater

_TOKEN = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<![^>]*>"
    r"|<(?P<close>/?)(?P<name>[\w:.-]+)(?:\s[^>]*?)?(?P<empty>/?)>",
    re.S,
)

SNAPSHOT_WARNING = (
    "release-type {kind}: relkit opens no SNAPSHOT pull requests after a release (release-please "
    "does unless skip-snapshot is set); the versions written are the released ones"
)


def _text_spans(content: str, path: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where the texts of the elements at ``path`` (local names from the root) are."""
    stack: list[str] = []
    start: int | None = None
    spans: list[tuple[int, int]] = []
    for token in _TOKEN.finditer(content):
        name = token["name"]
        if name is None:
            continue  # comment, CDATA, processing instruction, doctype
        local = name.rsplit(":", 1)[-1]
        if token["close"]:
            if start is not None and tuple(stack) == path:
                spans.append((start, token.start()))
                start = None
            if stack:
                stack.pop()
        elif not token["empty"]:
            stack.append(local)
            if tuple(stack) == path:
                start = token.end()
    return spans


def _text_span(content: str, path: tuple[str, ...]) -> tuple[int, int] | None:
    """Where the text of the first element at ``path`` is."""
    spans = _text_spans(content, path)
    return spans[0] if spans else None


_XPATH = re.compile(r"^(?:/[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)+$")


def update_xml(content: str, version: Version, xpath: str) -> str:
    """extra-files ``type: xml``: the text of every element at an absolute ``xpath`` such as
    ``/project/version`` (namespace prefixes ignored), edited in place."""
    if not _XPATH.match(xpath):
        raise ConfigError(
            f"xpath {xpath!r} is not supported; use an absolute element path such as "
            "/project/version"
        )
    path = tuple(step.rsplit(":", 1)[-1] for step in xpath.strip("/").split("/"))
    spans = _text_spans(content, path)
    if not spans:
        raise ConfigError(f"xpath {xpath!r} matches no element of the XML file")
    for start, end in reversed(spans):
        content = content[:start] + str(version) + content[end:]
    return content


def update_pom_xml(content: str, version: Version) -> str:
    for path in (("project", "version"), ("project", "parent", "version")):
        span = _text_span(content, path)
        if span is not None:
            start, end = span
            return content[:start] + str(version) + content[end:]
    return content


def update_pom_extra_file(content: str, version: Version) -> str:
    """extra-files ``type: pom``: release-please's ``PomXml`` and the markers."""
    return _pom(content, version)


def _pom(content: str, version: Version) -> str:
    from release_pr.updaters import generic  # noqa: PLC0415 - the marker updater

    return generic.update_markers(update_pom_xml(content, version), version)


def discover_java(package: Package) -> Found:  # noqa: ARG001 - java updates no file itself
    return Found(warnings=(SNAPSHOT_WARNING.format(kind="java"),))


def discover_maven(package: Package) -> Found:
    files: tuple[tuple[str, Updater], ...] = tuple(
        (path, _pom) for path in package.listing() if posixpath.basename(path) == "pom.xml"
    )
    return Found(files, (SNAPSHOT_WARNING.format(kind="maven"),))
