"""The ruamel.yaml half of :mod:`kyverno_validate.yamlio` (imported lazily by it): nodes → data."""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from kyverno_validate.yamlio import Document, LoadedFile, YamlProblem

_PATH_TOKEN = re.compile(r"\[(\d+)\]|/?(\d+)(?=[./\[]|$)")


class _Resolver11(VersionedResolver):
    # ruamel resets the version at every `---`; Kubernetes reads every document as YAML 1.1
    @property
    def processing_version(self) -> tuple[int, int]:
        return (1, 1)


def _make_loader() -> Any:
    loader = YAML(typ="safe", pure=True)
    loader.Resolver = _Resolver11
    return loader


_LOADER = _make_loader()


def parse_text(text: str, label: str) -> LoadedFile:
    """See :func:`kyverno_validate.yamlio.parse_text`."""
    documents: list[Document] = []
    problems: list[YamlProblem] = []
    index = 0
    try:
        for node in _LOADER.compose_all(text):
            index += 1
            if node is None or _is_empty(node):
                continue
            builder = _Builder(label)
            value = builder.build(node)
            problems.extend(builder.problems)
            documents.append(Document(label, index, node.start_mark.line + 1, value, node))
    except MarkedYAMLError as exc:
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
    except YAMLError as exc:
        problems.append(YamlProblem(label, f"YAML error: {exc}"))
    except RecursionError:
        problems.append(YamlProblem(label, "YAML nested too deeply"))
    return LoadedFile(label, tuple(documents), tuple(problems))


def _is_empty(node: Any) -> bool:
    return bool(node.tag == "tag:yaml.org,2002:null" and node.value in ("", "~", "null"))


_SCALAR_TAGS = {
    "tag:yaml.org,2002:null": "construct_yaml_null",
    "tag:yaml.org,2002:bool": "construct_yaml_bool",
    "tag:yaml.org,2002:int": "construct_yaml_int",
    "tag:yaml.org,2002:float": "construct_yaml_float",
}


_NUMBERS = frozenset({"construct_yaml_int", "construct_yaml_float"})


class _Builder:
    """Nodes → plain data, collecting duplicate keys instead of stopping at the first."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.problems: list[YamlProblem] = []
        self._stack: set[int] = set()
        self._constructor = _LOADER.constructor

    def build(self, node: Any) -> Any:
        if isinstance(node, MappingNode):
            return self._mapping(node)
        if isinstance(node, SequenceNode):
            return self._nested(node, lambda: [self.build(child) for child in node.value])
        method = _SCALAR_TAGS.get(node.tag)
        if method is None:
            return str(node.value)  # str, timestamp, binary and custom tags stay text
        if method in _NUMBERS:
            text = str(node.value)
            if ":" in text:
                return text  # base 60 (1:30) is text for go-yaml, as for Kubernetes
            if method == "construct_yaml_float" and "." not in text:
                return float(text.replace("_", ""))  # 1e3: no YAML 1.1 "mantissa" warning
        return getattr(self._constructor, method)(node)

    def _nested(self, node: Any, build: Any) -> Any:
        if id(node) in self._stack:
            raise MarkedYAMLError(problem="recursive alias", problem_mark=node.start_mark)
        self._stack.add(id(node))
        try:
            return build()
        finally:
            self._stack.discard(id(node))

    def _mapping(self, node: Any) -> dict[str, Any]:
        def build() -> dict[str, Any]:
            result: dict[str, Any] = {}
            merged: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    merged.update(self._merge_source(value_node))
                    continue
                key = self._key(key_node)
                if key in result:
                    self.problems.append(
                        YamlProblem(
                            self.label,
                            f"duplicate key {key!r} (Kubernetes rejects duplicate keys)",
                            key_node.start_mark.line + 1,
                            key_node.start_mark.column + 1,
                        )
                    )
                result[key] = self.build(value_node)
            return {**merged, **result} if merged else result

        return self._nested(node, build)  # type: ignore[no-any-return]

    def _key(self, key_node: Any) -> str:
        if isinstance(key_node, ScalarNode):
            return str(key_node.value)  # `n:`, `on:` and `1:` are field names, not values
        return _key_text(self.build(key_node))

    def _merge_source(self, node: Any) -> dict[str, Any]:
        sources = node.value if isinstance(node, SequenceNode) else [node]
        merged: dict[str, Any] = {}
        for source in reversed(sources):
            value = self.build(source)
            if isinstance(value, dict):
                merged.update(value)
        return merged


def _key_text(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)


def line_of(node: Any, path: str) -> int | None:
    """Greedy walk of ``path`` through the node tree; the deepest node's 1-based line."""

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


def item_nodes(node: Any) -> list[Any]:
    """The element nodes of a mapping's ``items`` sequence (for ``kind: List``)."""
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == "items" and isinstance(value_node, SequenceNode):
                return list(value_node.value)
    return []
