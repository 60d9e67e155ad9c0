"""Kyverno's custom JMESPath functions (``pkg/engine/jmespath``) for the ``jmespath`` package.

:data:`FUNCTIONS` is the explicit registry (name → implementation and argument types);
``jmespath`` is imported lazily and each expression is compiled once and cached.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import posixpath
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from kyverno_validate.engine import wildcard
from kyverno_validate.engine.quantity import parse_duration, parse_quantity

Function = Callable[..., Any]
S, N, A, OBJ = ("string",), ("number",), ("array",), ("object",)
SN = ("string", "number")


def compare(a: str, b: str) -> int:
    return (a > b) - (a < b)


def equal_fold(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def replace(s: str, old: str, new: str, n: float) -> str:
    return s.replace(old, new, int(n)) if n >= 0 else s.replace(old, new)


def replace_all(s: str, old: str, new: str) -> str:
    return s.replace(old, new)


def to_upper(s: str) -> str:
    return s.upper()


def to_lower(s: str) -> str:
    return s.lower()


def trim(s: str, cut: str) -> str:
    return s.strip(cut)


def trim_prefix(s: str, prefix: str) -> str:
    return s.removeprefix(prefix)


def split(s: str, sep: str) -> list[str]:
    return list(s) if sep == "" else s.split(sep)


def regex_replace_all(regex: str, src: Any, repl: Any) -> str:
    return _go_regex(regex).sub(_go_repl(_str(repl)), _str(src))


def regex_replace_all_literal(regex: str, src: Any, repl: Any) -> str:
    return _go_regex(regex).sub(lambda _m: _str(repl), _str(src))


def regex_match(regex: str, src: Any) -> bool:
    return _go_regex(regex).search(_str(src)) is not None


def pattern_match(pattern: str, src: Any) -> bool:
    return wildcard.match(pattern, _str(src))


def label_match(selector: dict[str, Any], labels: dict[str, Any]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


def to_boolean(s: str) -> bool:
    lowered = s.lower()
    if lowered not in ("true", "false"):
        raise ValueError(f"lowercase argument must be 'true' or 'false' (provided: '{s}')")
    return lowered == "true"


def add(a: Any, b: Any) -> Any:
    return _arith(a, b, "+")


def subtract(a: Any, b: Any) -> Any:
    return _arith(a, b, "-")


def multiply(a: Any, b: Any) -> Any:
    return _arith(a, b, "*")


def divide(a: Any, b: Any) -> Any:
    return _arith(a, b, "/")


def modulo(a: Any, b: Any) -> Any:
    return _arith(a, b, "%")


def sum_(items: list[Any]) -> Any:
    if not items:
        raise ValueError("at least one element in the array is required")
    total = items[0]
    for item in items[1:]:
        total = _arith(total, item, "+")
    return total


def round_(value: float, digits: float) -> float:
    factor = 10 ** int(digits)
    return float(math.floor(value * factor + 0.5) / factor)


def base64_decode(s: str) -> str:
    return base64.b64decode(s).decode("utf-8", "replace")


def base64_encode(s: str) -> str:
    return base64.b64encode(s.encode()).decode()


def truncate(s: str, length: float) -> str:
    return s[: max(int(length), 0)]


def parse_json(s: str) -> Any:
    return json.loads(s)


def parse_yaml(s: str) -> Any:
    from kyverno_validate.engine.yamlload import load_all  # noqa: PLC0415

    documents = load_all(s)
    return documents[0] if documents else None


def lookup(collection: Any, key: Any) -> Any:
    if isinstance(collection, dict):
        return collection.get(key) if isinstance(key, str) else None
    index = int(key) if not isinstance(key, str) else -1
    return collection[index] if 0 <= index < len(collection) else None


def items(obj: Any, key_name: str, value_name: str) -> list[Any]:
    if isinstance(obj, dict):
        return [{key_name: k, value_name: obj[k]} for k in sorted(obj)]
    return [{key_name: i, value_name: v} for i, v in enumerate(obj)]


def object_from_lists(keys: list[Any], values: list[Any]) -> dict[str, Any]:
    return {str(k): (values[i] if i < len(values) else None) for i, k in enumerate(keys)}


def semver_compare(version: str, constraint: str) -> bool:
    return _semver_satisfies(version, constraint)


def path_canonicalize(path: str) -> str:
    return posixpath.normpath(path) if path else "."


def sha256(s: str) -> str:
    return hashlib.sha256(s.encode()).hexdigest()


def _rfc3339(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _format_rfc3339(value: datetime) -> str:
    text = value.astimezone(UTC).isoformat()
    return text.replace("+00:00", "Z")


_GO_LAYOUT = (
    ("2006", "%Y"), ("01", "%m"), ("02", "%d"), ("15", "%H"), ("04", "%M"), ("05", "%S"),
    ("Jan", "%b"), ("Mon", "%a"), ("MST", "%Z"), ("Z07:00", "%z"), ("-0700", "%z"),
)  # fmt: skip


def time_parse(layout: str, text: str) -> str:
    if layout in ("", "2006-01-02T15:04:05Z07:00"):
        return _format_rfc3339(_rfc3339(text))
    if layout.isdigit() or text.isdigit():
        return _format_rfc3339(datetime.fromtimestamp(int(text), UTC))
    pattern = layout
    for go, py in _GO_LAYOUT:
        pattern = pattern.replace(go, py)
    parsed = datetime.strptime(text, pattern)  # noqa: DTZ007 - zone handled just below
    return _format_rfc3339(parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC))


def time_utc(text: str) -> str:
    return _format_rfc3339(_rfc3339(text))


def time_add(text: str, duration: str) -> str:
    seconds = parse_duration(duration)
    if seconds is None:
        raise ValueError(f"invalid duration {duration!r}")
    return _format_rfc3339(_rfc3339(text) + timedelta(seconds=float(seconds)))


def time_after(a: str, b: str) -> bool:
    return _rfc3339(a) > _rfc3339(b)


def time_before(a: str, b: str) -> bool:
    return _rfc3339(a) < _rfc3339(b)


def time_between(value: str, start: str, end: str) -> bool:
    return _rfc3339(start) < _rfc3339(value) < _rfc3339(end)


def _go_duration(seconds: float) -> str:
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{secs:g}s" if secs or not (hours or minutes) else "0s"
    if hours:
        return f"{sign}{int(hours)}h{int(minutes)}m{text}"
    if minutes:
        return f"{sign}{int(minutes)}m{text}"
    return sign + text


def time_diff(a: str, b: str) -> str:
    return _go_duration((_rfc3339(b) - _rfc3339(a)).total_seconds())


def time_truncate(text: str, duration: str) -> str:
    step = parse_duration(duration)
    if not step:
        raise ValueError(f"invalid duration {duration!r}")
    value = _rfc3339(text)
    epoch = value.timestamp()
    return _format_rfc3339(datetime.fromtimestamp(epoch - epoch % float(step), UTC))


def time_to_cron(text: str) -> str:
    value = _rfc3339(text)
    return f"{value.minute} {value.hour} {value.day} {value.month} {(value.weekday() + 1) % 7}"


def image_normalize(image: str) -> str:
    first, _, rest = image.partition("/")
    if not rest or not ("." in first or ":" in first or first == "localhost"):
        image = f"docker.io/{image if rest else 'library/' + image}"
    name = image.rsplit("/", 1)[-1]
    if "@" not in name and ":" not in name:
        image += ":latest"
    return image


# name -> (implementation, allowed JMESPath types of each argument)
FUNCTIONS: dict[str, tuple[Function, tuple[tuple[str, ...], ...]]] = {
    "compare": (compare, (S, S)),
    "equal_fold": (equal_fold, (S, S)),
    "replace": (replace, (S, S, S, N)),
    "replace_all": (replace_all, (S, S, S)),
    "to_upper": (to_upper, (S,)),
    "to_lower": (to_lower, (S,)),
    "trim": (trim, (S, S)),
    "trim_prefix": (trim_prefix, (S, S)),
    "split": (split, (S, S)),
    "regex_replace_all": (regex_replace_all, (S, SN, SN)),
    "regex_replace_all_literal": (regex_replace_all_literal, (S, SN, SN)),
    "regex_match": (regex_match, (S, SN)),
    "pattern_match": (pattern_match, (S, SN)),
    "label_match": (label_match, (OBJ, OBJ)),
    "to_boolean": (to_boolean, (S,)),
    "add": (add, (SN, SN)),
    "subtract": (subtract, (SN, SN)),
    "multiply": (multiply, (SN, SN)),
    "divide": (divide, (SN, SN)),
    "modulo": (modulo, (SN, SN)),
    "sum": (sum_, (A,)),
    "round": (round_, (N, N)),
    "base64_decode": (base64_decode, (S,)),
    "base64_encode": (base64_encode, (S,)),
    "truncate": (truncate, (S, N)),
    "parse_json": (parse_json, (S,)),
    "parse_yaml": (parse_yaml, (S,)),
    "lookup": (lookup, (("object", "array"), SN)),
    "items": (items, (("object", "array"), S, S)),
    "object_from_lists": (object_from_lists, (A, A)),
    "semver_compare": (semver_compare, (S, S)),
    "path_canonicalize": (path_canonicalize, (S,)),
    "sha256": (sha256, (S,)),
    "time_parse": (time_parse, (S, S)),
    "time_utc": (time_utc, (S,)),
    "time_add": (time_add, (S, S)),
    "time_after": (time_after, (S, S)),
    "time_before": (time_before, (S, S)),
    "time_between": (time_between, (S, S, S)),
    "time_diff": (time_diff, (S, S)),
    "time_truncate": (time_truncate, (S, S)),
    "time_to_cron": (time_to_cron, (S,)),
    "image_normalize": (image_normalize, (S,)),
}


@lru_cache(maxsize=1)
def _options() -> Any:
    import jmespath  # noqa: PLC0415 - heavy import kept lazy
    from jmespath import functions  # noqa: PLC0415

    attributes: dict[str, Any] = {}
    for name, (implementation, arg_types) in FUNCTIONS.items():

        def method(self: Any, *args: Any, _impl: Function = implementation) -> Any:
            del self
            return _impl(*args)

        method.signature = [{"types": list(types)} for types in arg_types]  # type: ignore[attr-defined]
        attributes[f"_func_{name}"] = method
    registry = type("KyvernoFunctions", (functions.Functions,), attributes)
    return jmespath.Options(custom_functions=registry())


def _str(value: Any) -> str:
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


@lru_cache(maxsize=512)
def _go_regex(regex: str) -> re.Pattern[str]:
    return re.compile(regex.replace("(?P<", "(?P<").replace("\\z", "\\Z"))


def _go_repl(repl: str) -> str:
    # Go's ${1} / $1 -> Python's \g<1>
    return re.sub(r"\$\{?(\w+)\}?", r"\\g<\1>", repl.replace("\\", "\\\\"))


def _arith(a: Any, b: Any, op: str) -> Any:
    if isinstance(a, str) or isinstance(b, str):
        left = _unit_value(a)
        right = _unit_value(b)
        if left is None or right is None or {left[1], right[1]} == {"quantity", "duration"}:
            raise ValueError(f"invalid operands for {op}: {a!r}, {b!r}")
        result = _apply(left[0], right[0], op)
        if left[1] == "duration" or right[1] == "duration":
            return _go_duration(float(result))
        binary = any(isinstance(x, str) and x.endswith("i") for x in (a, b))
        return _format_quantity(result, binary=binary)
    return _apply(a, b, op)


def _apply(a: Any, b: Any, op: str) -> Any:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0:
        raise ValueError("division by zero")
    if op == "/":
        return a / b
    return a % b


def _unit_value(value: Any) -> tuple[Any, str] | None:
    """A number, else a quantity, else a duration (Kyverno's order)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value, "number"
    quantity = parse_quantity(value) if isinstance(value, str) else None
    if quantity is not None:
        return quantity, "quantity"
    duration = parse_duration(value) if isinstance(value, str) else None
    if duration is not None:
        return duration, "duration"
    return None


def _format_quantity(value: Any, *, binary: bool) -> str:
    """A quantity's canonical text (``2Gi``, ``1500m``), as ``resource.Quantity.String``."""
    units = (
        (("Ei", 2**60), ("Pi", 2**50), ("Ti", 2**40), ("Gi", 2**30), ("Mi", 2**20), ("Ki", 2**10))
        if binary
        else (("E", 10**18), ("P", 10**15), ("T", 10**12), ("G", 10**9), ("M", 10**6), ("k", 10**3))
    )
    if value == int(value):
        number = int(value)
        for suffix, size in units:
            if number and number % size == 0:
                return f"{number // size}{suffix}"
        return str(number)
    milli = value * 1000
    if milli == int(milli):
        return f"{int(milli)}m"
    return str(float(value))


def _semver_satisfies(version: str, constraint: str) -> bool:
    def parse(text: str) -> tuple[int, ...]:
        core = text.strip().lstrip("v").split("-")[0].split("+")[0]
        if not all(p.isdigit() for p in core.split(".")):
            raise ValueError(f"invalid semantic version {text!r}")
        parts = [int(p) for p in core.split(".")]
        return tuple([*parts, 0, 0, 0][:3])

    current = parse(version)
    for clause in constraint.replace(",", " ").split():
        found = re.match(r"^(>=|<=|!=|==|=|>|<|\^|~)?(.+)$", clause)
        if found is None:
            return False
        op, target = found.group(1) or "=", parse(found.group(2))
        ok = {
            ">=": current >= target,
            "<=": current <= target,
            ">": current > target,
            "<": current < target,
            "!=": current != target,
            "=": current == target,
            "==": current == target,
            "^": current >= target and current[0] == target[0],
            "~": current >= target and current[:2] == target[:2],
        }[op]
        if not ok:
            return False
    return True


@lru_cache(maxsize=4096)
def compile_expression(expression: str) -> Any:
    import jmespath  # noqa: PLC0415 - heavy import kept lazy

    return jmespath.compile(expression).parsed


@lru_cache(maxsize=1)
def _interpreter() -> Any:
    from jmespath import visitor  # noqa: PLC0415 - heavy import kept lazy

    class Interpreter(visitor.TreeInterpreter):  # type: ignore[misc]
        """Kyverno's JMESPath: a sub-expression whose left side is null is null."""

        def visit_subexpression(self, node: Any, value: Any) -> Any:
            result = value
            for child in node["children"]:
                result = self.visit(child, result)
                if result is None:
                    return None
            return result

    return Interpreter(_options())


def search(expression: str, data: Any) -> Any:
    """Evaluate a JMESPath expression with Kyverno's functions (raises on a bad expression)."""
    return _interpreter().visit(compile_expression(expression), data)
