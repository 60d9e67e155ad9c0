"""Stage 1: multi-document YAML with line numbers, duplicate keys and encoding checks.

``parse_bytes``/``parse_text`` are pure: bytes or text in, a :class:`LoadedFile` out (every
non-empty document as plain JSON-like data, plus every problem with its line and column).
``load_file`` is the one function here that reads a file. PyYAML (libyaml) is imported lazily.

YAML is read as version 1.1, like Kubernetes and Kyverno (go-yaml v2 through sigs.k8s.io/yaml):
``yes``/``on`` are booleans, ``0777`` is octal, ``1:30`` (base 60) stays text. Timestamps stay
strings (as JSON has no dates), keys are their text (``on:`` is the key ``"on"``), and duplicate
keys are errors because the API server rejects them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

BINARY_SNIFF = 8192
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True, slots=True)
class YamlProblem:
    """A stage-1 problem: the file cannot be (fully) read as YAML."""

    file: str
    message: str
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based

    def render(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True, eq=False)
class Document:
    """One non-empty YAML document: its data, where it starts, and (lazily) where its fields are."""

    file: str
    index: int  # 1-based position among the file's documents (empty ones counted)
    line: int  # 1-based line of the document's first node
    data: Any
    # where the fields are, for line lookups: the backend's flat line positions (or node tree),
    # or the source document of an object rendered by kustomize
    lines: Any = field(default=None, repr=False)

    @property
    def source(self) -> str:
        """A label such as ``k8s/app.yaml#2`` (the engine's ``load_policies`` takes these)."""
        return f"{self.file}#{self.index}"

    def line_of(self, field_path: str | None) -> int:
        """The line of ``field_path`` (``spec.containers[0].image`` or ``/spec/containers/0/``).

        Falls back to the deepest part of the path that exists, then to the document's start.
        """
        if not field_path or self.lines is None:
            return self.line
        if isinstance(self.lines, Document):  # a rendered object placed at its source document
            return self.lines.line_of(field_path)
        line: int | None = _backend().line_of(self.data, self.lines, field_path.strip("/"))
        return line or self.line


@dataclass(frozen=True, slots=True)
class LoadedFile:
    path: str
    documents: tuple[Document, ...]
    problems: tuple[YamlProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def load_file(path: Path, label: str | None = None) -> LoadedFile:
    """Read and parse one file; an unreadable file is a problem, not an exception."""
    name = label or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return LoadedFile(name, (), (YamlProblem(name, f"cannot read file: {exc.strerror}"),))
    return parse_bytes(data, name)


def decode(data: bytes, label: str) -> str | YamlProblem:
    """UTF-8 (with or without BOM) or BOM-marked UTF-16 text; binary and other encodings fail."""
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return YamlProblem(label, "file starts with a UTF-16 mark but is not valid UTF-16")
    if b"\x00" in data[:BINARY_SNIFF]:
        return YamlProblem(label, "binary file (contains NUL bytes), expected YAML text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return YamlProblem(
            label,
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            line,
            column,
        )


def parse_bytes(data: bytes, label: str) -> LoadedFile:
    text = decode(data, label)
    if isinstance(text, YamlProblem):
        return LoadedFile(label, (), (text,))
    return parse_text(text, label)


def parse_text(text: str, label: str) -> LoadedFile:
    """Every non-empty document of ``text``; a syntax error stops the file (problems say where)."""
    loaded: LoadedFile = _backend().parse_text(text, label)
    return loaded


def iter_objects(loaded: LoadedFile) -> Iterator[Document]:
    """The documents that are mappings (what Kubernetes and Kyverno read)."""
    return (doc for doc in loaded.documents if isinstance(doc.data, Mapping))


def expand_list(doc: Document) -> list[Document]:
    """A ``kind: List`` (``kubectl get -o yaml``) as its items, each with its own line; any
    other document as itself. Items that are not objects are kept in the list."""
    data = doc.data
    items = data.get("items") if isinstance(data, Mapping) else None
    if not isinstance(items, list) or data.get("kind") != "List":
        return [doc]
    where = list(_backend().items(data, doc.lines)) if doc.lines is not None else []
    expanded = []
    for position, item in enumerate(items):
        if isinstance(item, Mapping):
            line, lines = where[position] if position < len(where) else (doc.line, None)
            expanded.append(Document(doc.file, doc.index, line or doc.line, item, lines))
    return expanded


def _backend() -> ModuleType:
    """The libyaml-based half, imported on first use so that ``--help`` stays fast."""
    from kyverno_validate import yamlnodes  # noqa: PLC0415 - heavy import on first use

    return yamlnodes
