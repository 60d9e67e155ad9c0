"""Edit one value of a JSON document in place: the rest of the text stays byte for byte.

``set_value`` finds the value at a key path with a small scanner over the (already validated)
text and replaces only its span, so indentation, one-line arrays, key order and the final
newline are kept, unlike a parse-and-dump round trip.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from relkit.errors import ConfigError

_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_SCALAR = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")


def load_object(content: str, name: str) -> dict[str, object]:
    """The document as a dict; invalid JSON is a ConfigError naming the file."""
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{name} is not valid JSON ({exc}); fix it before releasing") from None
    return data if isinstance(data, dict) else {}


def _skip(text: str, pos: int) -> int:
    match = _WS.match(text, pos)
    return match.end() if match else pos


def _string_end(text: str, pos: int) -> int:
    match = _STRING.match(text, pos)
    if match is None:  # pragma: no cover - the text was validated by json.loads
        raise ValueError(pos)
    return match.end()


def _value_end(text: str, pos: int) -> int:
    char = text[pos]
    if char == '"':
        return _string_end(text, pos)
    if char in "{[":
        close = "}" if char == "{" else "]"
        pos = _skip(text, pos + 1)
        while text[pos] != close:
            if char == "{":
                pos = _skip(text, _skip(text, _string_end(text, pos)) + 1)  # key, colon
            pos = _skip(text, _value_end(text, pos))
            if text[pos] == ",":
                pos = _skip(text, pos + 1)
        return pos + 1
    match = _SCALAR.match(text, pos)
    if match is None:  # pragma: no cover - the text was validated by json.loads
        raise ValueError(pos)
    return match.end()


def _child(text: str, pos: int, part: str | int) -> int | None:
    """The start of member ``part`` of the object / array starting at ``pos``."""
    char = text[pos]
    if (char == "{") != isinstance(part, str) or char not in "{[":
        return None
    close = "}" if char == "{" else "]"
    pos = _skip(text, pos + 1)
    index = 0
    while text[pos] != close:
        if char == "{":
            key_end = _string_end(text, pos)
            key = json.loads(text[pos:key_end])
            pos = _skip(text, _skip(text, key_end) + 1)
            if key == part:
                return pos
        elif index == part:
            return pos
        pos = _skip(text, _value_end(text, pos))
        if text[pos] == ",":
            pos = _skip(text, pos + 1)
        index += 1
    return None


def value_span(text: str, path: Sequence[str | int]) -> tuple[int, int] | None:
    """Where the value at ``path`` (keys and indexes) is in valid JSON ``text``; None if absent."""
    pos: int | None = _skip(text, 0)
    for part in path:
        pos = _child(text, pos, part) if pos is not None else None
    return None if pos is None else (pos, _value_end(text, pos))


def set_value(text: str, path: Sequence[str | int], value: object) -> str:
    """``text`` with the value at ``path`` replaced by ``value`` (JSON-encoded); unchanged when
    the path does not exist (keys are never invented)."""
    span = value_span(text, path)
    if span is None:
        return text
    start, end = span
    return text[:start] + json.dumps(value, ensure_ascii=False) + text[end:]
