"""The libyaml half of :mod:`kyverno_validate.yamlio` (imported lazily by it): nodes → data.

PyYAML's C parser (``CSafeLoader``'s parser and composer, libyaml) turns text into nodes; a small
builder turns the nodes into plain data as Kubernetes reads it, checks what the API server would
reject (duplicate keys) and refuses what Kubernetes' YAML decoder refuses (excessive alias
expansion, documents over the API server's request size, nesting deeper than libyaml's limit).

Nodes are not kept: while building, every mapping key and sequence item records two numbers in
document order into a flat ``array`` (8 bytes a node): its 1-based line and how many entries its
value holds. :func:`line_of` finds a field's line by walking the built data beside that array,
skipping siblings in one step, so a 10 MB manifest keeps a few hundred kB of positions instead of
a node tree. A document whose data and nodes do not line up one to one
(merge keys, duplicate keys, collection keys) keeps its node tree instead.
"""

from __future__ import annotations

import re
import sys
from array import array
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from kyverno_validate.yamlio import Document, LoadedFile, YamlProblem

_PATH_TOKEN = re.compile(r"\[(\d+)\]|/?(\d+)(?=[./\[]|$)")

# Kubernetes' API server refuses request bodies over 3 MiB, so no object can be larger.
MAX_DOCUMENT_BYTES = 3 * 1024 * 1024
# sigs.k8s.io/yaml → go-yaml: "document contains excessive aliasing" (decode.go). Up to 400,000
# decoded nodes, 99 % may come from alias expansion; from 4,000,000 only 10 %; linear between.
_ALIAS_LOW = 400_000
_ALIAS_HIGH = 4_000_000
# No Kubernetes object nests this deep (a CRD's schema reaches a few dozen levels); deeper data
# would only exhaust the recursion of every later stage. libyaml itself stops at 1,000.
MAX_DEPTH = 256
_RECURSION = 4 * MAX_DEPTH + 200  # building takes two Python frames a level


class _Resolver(Resolver):
    """YAML 1.1 as go-yaml v2 resolves it: also ``1e3`` (no dot) is a float."""


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)

_PARSER: Any
try:
    from yaml._yaml import CParser as _PARSER
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _PARSER = None
if _PARSER is not None:

    class _Loader(_PARSER, _Resolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            _PARSER.__init__(self, stream)
            _Resolver.__init__(self)

else:  # pragma: no cover - PyYAML built without libyaml: the same nodes, more slowly

    class _Loader(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        _Resolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _Resolver.__init__(self)


_CONSTRUCTOR = SafeConstructor()
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_MERGE = "tag:yaml.org,2002:merge"
_TRUE = frozenset({"yes", "true", "on"})


class ExcessiveAliasing(Exception):
    pass


class TooDeep(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def parse_text(text: str, label: str) -> LoadedFile:
    """See :func:`kyverno_validate.yamlio.parse_text`."""
    documents: list[Document] = []
    problems: list[YamlProblem] = []
    index = 0
    loader = _Loader(text)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, _RECURSION))
    try:
        while loader.check_node():
            node = loader.get_node()
            index += 1
            if node is None or _is_empty(node):
                continue
            size = node.end_mark.index - node.start_mark.index
            if size > MAX_DOCUMENT_BYTES:
                problems.append(
                    YamlProblem(
                        label,
                        f"document {index} is {size / 1048576:.1f} MiB; the Kubernetes API server "
                        "accepts at most 3 MiB per object: split it",
                        node.start_mark.line + 1,
                    )
                )
                continue
            builder = _Builder(label)
            try:
                value = builder.build(node)
            except TooDeep as exc:
                problems.append(
                    YamlProblem(
                        label,
                        f"YAML error: document {index} nests deeper than {MAX_DEPTH} levels; "
                        "no Kubernetes object does",
                        exc.line,
                    )
                )
                continue
            except ExcessiveAliasing:
                problems.append(
                    YamlProblem(
                        label,
                        f"YAML error: document {index} contains excessive aliasing (more alias "
                        "expansion than Kubernetes' YAML decoder allows); expand fewer aliases",
                        node.start_mark.line + 1,
                    )
                )
                continue
            problems.extend(builder.problems)
            lines: Any = builder.lines if builder.exact else node
            documents.append(Document(label, index, node.start_mark.line + 1, value, lines))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(part for part in (exc.context, exc.problem) if part) or str(exc)
        problems.append(
            YamlProblem(
                label,
                f"YAML syntax error: {message}",
                mark.line + 1 if mark else None,
                mark.column + 1 if mark else None,
            )
        )
    except yaml.YAMLError as exc:
        problems.append(YamlProblem(label, f"YAML error: {exc}"))
    except RecursionError:
        problems.append(YamlProblem(label, "YAML nested too deeply"))
    finally:
        sys.setrecursionlimit(limit)
        loader.dispose()
    return LoadedFile(label, tuple(documents), tuple(problems))


def _is_empty(node: Node) -> bool:
    return bool(node.tag == _NULL and node.value in ("", "~", "null"))


def _allowed_alias_ratio(decoded: int) -> float:
    if decoded <= _ALIAS_LOW:
        return 0.99
    if decoded >= _ALIAS_HIGH:
        return 0.10
    return 0.99 - 0.89 * (decoded - _ALIAS_LOW) / (_ALIAS_HIGH - _ALIAS_LOW)


class _Builder:
    """Nodes → plain data, collecting duplicate keys instead of stopping at the first."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.problems: list[YamlProblem] = []
        self.lines = array("I")
        self.exact = True  # the data and ``lines`` line up node for node
        self._stack: set[int] = set()
        self._seen: set[int] = set()
        self._decoded = 0
        self._aliased = 0
        self._alias_depth = 0

    def build(self, node: Node) -> Any:
        self._decoded += 1
        if self._alias_depth:
            self._aliased += 1
            if (
                self._aliased > 100
                and self._decoded > 1000
                and self._aliased / self._decoded > _allowed_alias_ratio(self._decoded)
            ):
                raise ExcessiveAliasing
        if isinstance(node, ScalarNode):
            return _scalar(node)
        key = id(node)
        if key in self._stack:
            raise yaml.MarkedYAMLError(problem="recursive alias", problem_mark=node.start_mark)
        alias = key in self._seen
        self._seen.add(key)
        self._stack.add(key)
        if len(self._stack) > MAX_DEPTH:
            raise TooDeep(node.start_mark.line + 1)
        self._alias_depth += alias
        try:
            if isinstance(node, MappingNode):
                return self._mapping(node)
            return self._sequence(node)  # type: ignore[arg-type]
        finally:
            self._alias_depth -= alias
            self._stack.discard(key)

    def _entry(self, line: int, node: Node) -> Any:
        """Build ``node``, recording its entry: ``line`` and the size of what it holds."""
        lines = self.lines
        at = len(lines)
        lines.append(line)
        lines.append(0)
        value = self.build(node)
        lines[at + 1] = (len(lines) - at - 2) >> 1
        return value

    def _sequence(self, node: SequenceNode) -> list[Any]:
        entry = self._entry
        return [entry(child.start_mark.line + 1, child) for child in node.value]

    def _mapping(self, node: MappingNode) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        entry = self._entry
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                self.exact = False
                merged.update(self._merge_source(value_node))
                continue
            key = self._key(key_node)
            if key in result:
                self.exact = False
                self.problems.append(
                    YamlProblem(
                        self.label,
                        f"duplicate key {key!r} (Kubernetes rejects duplicate keys)",
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                    )
                )
            result[key] = entry(key_node.start_mark.line + 1, value_node)
        return {**merged, **result} if merged else result

    def _key(self, key_node: Node) -> str:
        if isinstance(key_node, ScalarNode):
            # `n:`, `on:` and `1:` are field names, not values; one object per distinct name
            # across documents (20,000 Deployments repeat the same few dozen)
            return sys.intern(str(key_node.value))
        self.exact = False
        return _key_text(self.build(key_node))

    def _merge_source(self, node: Node) -> dict[str, Any]:
        sources = node.value if isinstance(node, SequenceNode) else [node]
        merged: dict[str, Any] = {}
        for source in reversed(sources):
            value = self.build(source)
            if isinstance(value, dict):
                merged.update(value)
        return merged


def _scalar(node: ScalarNode) -> Any:
    tag = node.tag
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return node.value.lower() in _TRUE
    if tag in (_INT, _FLOAT):
        return _number(node)
    return node.value  # str, timestamp, binary and custom tags stay text


def _number(node: ScalarNode) -> Any:
    text: str = node.value
    if ":" in text:
        return text  # base 60 (1:30) is text for go-yaml, as for Kubernetes
    if node.tag == _INT:
        return _CONSTRUCTOR.construct_yaml_int(node)
    if "." not in text:
        return float(text.replace("_", ""))  # 1e3
    return _CONSTRUCTOR.construct_yaml_float(node)


def _key_text(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)


# --- lines ------------------------------------------------------------------------------------


def line_of(data: Any, lines: Any, path: str) -> int | None:
    """Greedy walk of ``path`` through the document; the deepest field's 1-based line."""
    if isinstance(lines, Node):
        return _node_line_of(lines, path)
    best: int | None = None
    position = 0  # where ``data``'s own entries start in ``lines``
    rest = path
    while rest:
        if isinstance(data, dict):
            found = None
            at = position
            for key, value in data.items():
                fits = rest.startswith(key) and (len(rest) == len(key) or rest[len(key)] in "./[")
                if fits and (found is None or len(key) > len(found[0])):
                    found = (key, value, at)
                at += 2 + 2 * lines[at + 1]
            if found is None:
                return best
            key, data, at = found
            rest = rest[len(key) :].lstrip("./")
        elif isinstance(data, list):
            match = _PATH_TOKEN.match(rest)
            if match is None:
                return best
            wanted = int(match.group(1) or match.group(2))
            if wanted >= len(data):
                return best
            at = position
            for _ in range(wanted):
                at += 2 + 2 * lines[at + 1]
            data = data[wanted]
            rest = rest[match.end() :].lstrip("./")
        else:
            return best
        best = lines[at]
        position = at + 2
    return best


def items(data: Any, lines: Any) -> Iterator[tuple[int | None, Any]]:
    """``(line, lines)`` of each element of a document's ``items`` list (``kind: List``)."""
    if isinstance(lines, Node):
        for node in _item_nodes(lines):
            yield node.start_mark.line + 1, node
        return
    at = 0
    for key, value in data.items():
        if key == "items" and isinstance(value, list):
            at += 2
            for _ in value:
                end = at + 2 + 2 * lines[at + 1]
                yield lines[at], lines[at + 2 : end]
                at = end
            return
        at += 2 + 2 * lines[at + 1]


def _node_line_of(node: Node, path: str) -> int | None:
    best: int | None = None
    rest = path
    while rest:
        if isinstance(node, MappingNode):
            found = None
            for key_node, value_node in node.value:
                key = str(key_node.value)
                fits = rest.startswith(key) and (len(rest) == len(key) or rest[len(key)] in "./[")
                if fits and (found is None or len(key) > len(found[0])):
                    found = (key, key_node, value_node)
            if found is None:
                return best
            key, key_node, node = found
            best = key_node.start_mark.line + 1
            rest = rest[len(key) :].lstrip("./")
        elif isinstance(node, SequenceNode):
            match = _PATH_TOKEN.match(rest)
            if match is None:
                return best
            position = int(match.group(1) or match.group(2))
            if position >= len(node.value):
                return best
            node = node.value[position]
            best = node.start_mark.line + 1
            rest = rest[match.end() :].lstrip("./")
        else:
            return best
    return best


def _item_nodes(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == "items" and isinstance(value_node, SequenceNode):
                return list(value_node.value)
    return []
