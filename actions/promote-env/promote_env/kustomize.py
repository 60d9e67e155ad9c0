"""A kustomization's ``images:`` entries: read with positions, edited byte by byte. Pure.

ruamel.yaml *composes* the text (no re-dump): each scalar node carries its start and end index,
so an edit splices the new scalar into the original text. Comments, blank lines, key order,
indentation, quote styles, Flux ``# {"$imagepolicy": …}`` markers, ``---`` separators and the
other documents of the file stay byte-identical. Facts: ../shared/reference/promotion-kustomize.md
§2 and §4.

Kustomize's rules: ``name`` selects containers, ``newName`` / ``newTag`` / ``digest`` replace the
parts. A promotion copies the whole triple, so a ``newTag`` without ``digest`` drops the digest and
vice versa. Kustomize reads YAML 1.1: numeric-, boolean- and null-looking tags are written quoted.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from relkit.errors import ConfigError

if TYPE_CHECKING:
    from ruamel.yaml.nodes import MappingNode, Node, ScalarNode

FIELDS = ("newName", "newTag", "digest")
KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")

# YAML 1.1 implicit types (go-yaml v2, which kustomize reads with): a plain scalar like these
# is not a string, so a tag or name holding one must be quoted
_YAML11 = re.compile(
    r"""^(?:~|null|Null|NULL
    |y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF
    |[-+]?0b[01_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+
    |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+
    |[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+
    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
    |[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|=|<<)$""",
    re.VERBOSE,
)
_SAFE_PLAIN = re.compile(r"^[A-Za-z0-9_./][A-Za-z0-9_./:@+=-]*$")


@dataclass(frozen=True, slots=True)
class Triple:
    """What kustomize replaces in a container image: ``newName``, ``newTag``, ``digest``."""

    new_name: str | None = None
    new_tag: str | None = None
    digest: str | None = None

    def get(self, field: str) -> str | None:
        return {"newName": self.new_name, "newTag": self.new_tag, "digest": self.digest}[field]

    def as_json(self) -> dict[str, str | None]:
        return {field: self.get(field) for field in FIELDS}


@dataclass(frozen=True, slots=True)
class Image:
    """One ``images:`` entry: its ``name``, its triple and its 1-based line."""

    name: str
    triple: Triple
    line: int


def reference(name: str, triple: Triple | None) -> str:
    """The image kustomize renders for a container named ``name``: ``name[:tag][@digest]``
    (``newName`` replacing the name); an empty string for no entry."""
    if triple is None:
        return ""
    text = triple.new_name or name
    if triple.new_tag:
        text += f":{triple.new_tag}"
    if triple.digest:
        text += f"@{triple.digest}"
    return text


def needs_quotes(value: str) -> bool:
    """Whether a plain scalar would not read back as this string in YAML 1.1 (kustomize)."""
    return not _SAFE_PLAIN.match(value) or bool(_YAML11.match(value)) or value.endswith(":")


def format_scalar(value: str, style: str | None) -> str:
    """``value`` as a YAML scalar in ``style`` (``"``, ``'`` or plain, quoted when needed)."""
    if style == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    if style in {'"', "'"} or needs_quotes(value):
        return json.dumps(value, ensure_ascii=False)
    return value


# --- locating ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    node: MappingNode
    pairs: Mapping[str, tuple[ScalarNode, Node]]


@dataclass(frozen=True, slots=True)
class _Located:
    root: MappingNode
    images_key: ScalarNode | None
    images: Node | None
    entries: tuple[_Entry, ...]


def _compose(content: str, path: str) -> list[Node]:
    from ruamel.yaml import YAML  # noqa: PLC0415 - heavy, only when a kustomization is read
    from ruamel.yaml.error import MarkedYAMLError, YAMLError  # noqa: PLC0415

    try:
        return [doc for doc in YAML(typ="rt").compose_all(content) if doc is not None]
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = exc.problem or exc.context or "invalid YAML"
        raise ConfigError(f"{path}{line}: invalid YAML: {problem}; fix the file") from None
    except YAMLError as exc:  # a reader error (a control character): one line, with its line
        position = getattr(exc, "position", None)
        line = f":{content.count(chr(10), 0, position) + 1}" if isinstance(position, int) else ""
        problem = (str(exc).strip().splitlines() or ["not YAML text"])[0]
        raise ConfigError(f"{path}{line}: invalid YAML: {problem}; fix the file") from None


def _scalar_text(node: Node) -> str | None:
    from ruamel.yaml.nodes import ScalarNode  # noqa: PLC0415

    if not isinstance(node, ScalarNode):
        return None
    if node.tag == "tag:yaml.org,2002:null" or (node.value == "" and node.style is None):
        return None
    return str(node.value)


def _locate(content: str, path: str) -> _Located:
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode  # noqa: PLC0415

    docs = [doc for doc in _compose(content, path) if isinstance(doc, MappingNode)]
    if not docs:
        raise ConfigError(f"{path}: not a kustomization (no YAML mapping); fix the file")
    root = next((d for d in docs if any(k.value == "images" for k, _ in d.value)), docs[0])
    images_key: ScalarNode | None = None
    images: Node | None = None
    for key, value in root.value:
        if key.value == "images":
            images_key, images = key, value
    entries: list[_Entry] = []
    if isinstance(images, SequenceNode):
        seen: set[str] = set()
        for item in images.value:
            line = item.start_mark.line + 1
            if not isinstance(item, MappingNode):
                raise ConfigError(f"{path}:{line}: an images entry must be a mapping; fix the file")
            pairs = {str(k.value): (k, v) for k, v in item.value if isinstance(k, ScalarNode)}
            name = _scalar_text(pairs["name"][1]) if "name" in pairs else None
            if not name:
                raise ConfigError(f"{path}:{line}: an images entry has no 'name'; fix the file")
            if name in seen:
                raise ConfigError(
                    f"{path}:{line}: image {name!r} is listed twice under images; keep one entry"
                )
            seen.add(name)
            entries.append(_Entry(name, item, pairs))
    elif images is not None and _scalar_text(images) is not None:
        raise ConfigError(
            f"{path}:{images.start_mark.line + 1}: 'images' must be a list; fix the file"
        )
    return _Located(root, images_key, images, tuple(entries))


def read_images(content: str, path: str = "kustomization.yaml") -> list[Image]:
    """The ``images:`` entries of a kustomization, in file order."""
    located = _locate(content, path)
    images = []
    for entry in located.entries:
        values = {f: _scalar_text(entry.pairs[f][1]) if f in entry.pairs else None for f in FIELDS}
        triple = Triple(values["newName"], values["newTag"], values["digest"])
        images.append(Image(entry.name, triple, entry.node.start_mark.line + 1))
    return images


# --- editing ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Splice:
    start: int
    end: int
    text: str


def _after_line(content: str, index: int) -> int:
    """The index just after the line holding ``index - 1`` (its line break included)."""
    if index > 0 and content[index - 1] == "\n":
        return index
    found = content.find("\n", index)
    return len(content) if found < 0 else found + 1


def _line_start(content: str, index: int) -> int:
    return content.rfind("\n", 0, index) + 1


def _last_end(node: Node) -> int:
    """Where the last scalar inside ``node`` ends (a block collection's own end mark lies past
    the comments that follow it)."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode  # noqa: PLC0415

    if isinstance(node, MappingNode) and node.value and not node.flow_style:
        return _last_end(node.value[-1][1])
    if isinstance(node, SequenceNode) and node.value and not node.flow_style:
        return _last_end(node.value[-1])
    return int(node.end_mark.index)


def _refuse(path: str, node: Node, name: str, why: str) -> ConfigError:
    return ConfigError(
        f"{path}:{node.start_mark.line + 1}: cannot edit image {name!r} safely: {why}; "
        "edit that entry by hand into plain block style, then promote again"
    )


def _check_editable(path: str, entry: _Entry, images: Node | None) -> None:
    anchored = [entry.node, *(v for _, v in entry.pairs.values()), *([images] if images else [])]
    if any(getattr(node, "anchor", None) for node in anchored):
        raise _refuse(path, entry.node, entry.name, "it uses YAML anchors or aliases")


def _replace_value(path: str, content: str, entry: _Entry, field: str, value: str) -> _Splice:
    from ruamel.yaml.nodes import ScalarNode  # noqa: PLC0415

    node = entry.pairs[field][1]
    if not isinstance(node, ScalarNode):
        raise _refuse(path, node, entry.name, f"its {field} is not a scalar")
    if node.style in {"|", ">"} or node.start_mark.line != node.end_mark.line:
        raise _refuse(path, node, entry.name, f"its {field} is a multi-line scalar")
    start, end = int(node.start_mark.index), int(node.end_mark.index)
    if start == end:  # an empty value (`newTag:`): write after the colon
        colon = content.index(":", entry.pairs[field][0].end_mark.index) + 1
        stop = colon
        while stop < len(content) and content[stop] in " \t":
            stop += 1
        return _Splice(colon, stop, " " + format_scalar(value, None))
    return _Splice(start, end, format_scalar(value, node.style))


def _remove_field(content: str, entry: _Entry, field: str) -> _Splice:
    keys = list(entry.pairs)
    index = keys.index(field)
    key, value = entry.pairs[field]
    if entry.node.flow_style:
        if index == 0:
            return _Splice(key.start_mark.index, entry.pairs[keys[1]][0].start_mark.index, "")
        previous = entry.pairs[keys[index - 1]][1]
        return _Splice(previous.end_mark.index, value.end_mark.index, "")
    start = _line_start(content, key.start_mark.index)
    if content[start : key.start_mark.index].strip():  # the key shares the `- ` line
        return _Splice(key.start_mark.index, entry.pairs[keys[index + 1]][0].start_mark.index, "")
    return _Splice(start, _after_line(content, _last_end(value)), "")


def _newline(content: str) -> str:
    return "\r\n" if "\r\n" in content else "\n"


def _insert_fields(
    path: str, content: str, entry: _Entry, fields: Sequence[tuple[str, str]], quote: str | None
) -> _Splice:
    if entry.node.flow_style:
        raise _refuse(path, entry.node, entry.name, f"it is a flow mapping without {fields[0][0]}")
    last = _last_end(list(entry.pairs.values())[-1][1])
    at = _after_line(content, last)
    column = min(key.start_mark.column for key, _ in entry.pairs.values())
    nl = _newline(content)
    lead = nl if at == len(content) and not content.endswith("\n") else ""
    text = "".join(f"{' ' * column}{f}: {_format_new(f, v, quote)}{nl}" for f, v in fields)
    return _Splice(at, at, lead + text)


def _format_new(field: str, value: str, quote: str | None) -> str:
    """A value for a new line: a tag in the quote style of its neighbours' tags."""
    return format_scalar(value, quote if field == "newTag" else None)


def _entry_quote(entry: _Entry) -> str | None:
    """The quote style of an entry's ``newTag`` (for values written into a new line)."""
    if "newTag" in entry.pairs:
        style = getattr(entry.pairs["newTag"][1], "style", None)
        return style if style in {'"', "'"} else None
    return None


def _remove_entry(content: str, entry: _Entry, images: Node) -> _Splice:
    if getattr(images, "flow_style", False):
        raise ConfigError(
            f"cannot remove image {entry.name!r} from a flow-style images list; "
            "rewrite the list in block style"
        )
    start = _line_start(content, entry.node.start_mark.index)
    return _Splice(start, _after_line(content, _last_end(entry.node)), "")


def _new_entry_text(name: str, triple: Triple, dash: int, column: int, quote: str | None) -> str:
    fields = [("name", name)] + [(f, v) for f in FIELDS if (v := triple.get(f)) is not None]
    lines = []
    for index, (field, value) in enumerate(fields):
        head = " " * dash + "-" + " " * (column - dash - 1) if index == 0 else " " * column
        lines.append(f"{head}{field}: {_format_new(field, value, quote)}")
    return "".join(line + "\n" for line in lines)


def _append_entries(
    path: str, content: str, located: _Located, items: Sequence[tuple[str, Triple]]
) -> _Splice:
    from ruamel.yaml.nodes import SequenceNode  # noqa: PLC0415

    images = located.images
    names = ", ".join(repr(name) for name, _ in items)
    if isinstance(images, SequenceNode) and images.flow_style:
        raise ConfigError(
            f"{path}:{images.start_mark.line + 1}: cannot add image {names} to a flow-style "
            "images list; rewrite the list in block style"
        )
    if images is not None and getattr(images, "anchor", None):
        raise ConfigError(f"{path}: cannot add image {names}: the images list has an anchor")
    if located.entries:
        last = located.entries[-1]
        column = last.node.start_mark.column
        first = _line_start(content, last.node.start_mark.index)
        dash = content.rfind("-", first, last.node.start_mark.index) - first
        at = _after_line(content, _last_end(last.node))
        if last.node.flow_style:
            text = "".join(_flow_entry_text(name, triple, dash) for name, triple in items)
        else:
            quote = _entry_quote(last)
            text = "".join(
                _new_entry_text(name, triple, dash, column, quote) for name, triple in items
            )
    else:
        base = located.root.value[0][0].start_mark.column
        text = "".join(
            _new_entry_text(name, triple, base, base + 2, None) for name, triple in items
        )
        if located.images_key is None:
            at = _after_line(content, _last_end(located.root))
            text = " " * base + "images:\n" + text
        else:
            at = _after_line(content, located.images_key.end_mark.index)
    nl = _newline(content)
    lead = nl if at == len(content) and content and not content.endswith("\n") else ""
    return _Splice(at, at, lead + text.replace("\n", nl))


def _flow_entry_text(name: str, triple: Triple, dash: int) -> str:
    parts = [f"name: {format_scalar(name, None)}"] + [
        f"{f}: {format_scalar(v, None)}" for f in FIELDS if (v := triple.get(f)) is not None
    ]
    return " " * dash + "- {" + ", ".join(parts) + "}\n"


def _entry_splices(path: str, content: str, entry: _Entry, triple: Triple) -> list[_Splice]:
    splices: list[_Splice] = []
    inserts: list[tuple[str, str]] = []
    for field in FIELDS:
        old, new = (
            _scalar_text(entry.pairs[field][1]) if field in entry.pairs else None,
            triple.get(field),
        )
        if old == new:
            continue
        if new is None:
            splices.append(_remove_field(content, entry, field))
        elif field in entry.pairs:
            splices.append(_replace_value(path, content, entry, field, new))
        else:
            inserts.append((field, new))
    if inserts:
        splices.append(_insert_fields(path, content, entry, inserts, _entry_quote(entry)))
    return splices


def update(
    content: str, changes: Mapping[str, Triple | None], *, path: str = "kustomization.yaml"
) -> str:
    """``content`` with each named image set to its triple (``None`` removes the entry); an image
    the file lacks gets a new entry in the list's style. Only the changed scalars move.

    Raises :class:`ConfigError` (nothing returned) for a shape that cannot be edited safely.
    """
    located = _locate(content, path)
    by_name = {entry.name: entry for entry in located.entries}
    splices: list[_Splice] = []
    appended: list[tuple[str, Triple]] = []
    for name, triple in changes.items():
        entry = by_name.get(name)
        if entry is None:
            if triple is not None:
                appended.append((name, triple))
            continue
        _check_editable(path, entry, located.images)
        if triple is None:
            assert located.images is not None  # noqa: S101 - an entry lives in a list
            splices.append(_remove_entry(content, entry, located.images))
        else:
            splices.extend(_entry_splices(path, content, entry, triple))
    if appended:  # new entries at one point: one splice, in the order given
        splices.append(_append_entries(path, content, located, appended))
    return _apply(content, splices)


def _apply(content: str, splices: Sequence[_Splice]) -> str:
    ordered = sorted(splices, key=lambda s: (s.start, s.end))
    for before, after in itertools.pairwise(ordered):
        if after.start < before.end:  # pragma: no cover - fields of one entry never overlap
            raise ConfigError("overlapping edits in the kustomization; please report")
    out = content
    for splice in reversed(ordered):
        out = out[: splice.start] + splice.text + out[splice.end :]
    return out
