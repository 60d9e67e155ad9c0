"""Kyverno's custom JMESPath functions (``pkg/engine/jmespath``) for the ``jmespath`` package.

``jmespath`` is imported lazily: :func:`search` compiles each expression once and caches it.
"""

from __future__ import annotations

import base64
import json
import math
import re
from functools import lru_cache
from typing import Any

from kyverno_validate.engine import wildcard
from kyverno_validate.engine.quantity import parse_duration, parse_quantity


@lru_cache(maxsize=1)
def _options() -> Any:
    import jmespath  # noqa: PLC0415 - heavy import kept lazy
    from jmespath import functions  # noqa: PLC0415

    sig = functions.signature

    class KyvernoFunctions(functions.Functions):  # type: ignore[misc]
        @sig({"types": ["string"]}, {"types": ["string"]})
        def _func_compare(self, a: str, b: str) -> int:
            return (a > b) - (a < b)

        @sig({"types": ["string"]}, {"types": ["string"]})
        def _func_equal_fold(self, a: str, b: str) -> bool:
            return a.casefold() == b.casefold()

        @sig({"types": ["string"]}, {"types": ["string"]}, {"types": ["string"]}, {"types": ["number"]})
        def _func_replace(self, s: str, old: str, new: str, n: float) -> str:
            return s.replace(old, new, int(n)) if n >= 0 else s.replace(old, new)

        @sig({"types": ["string"]}, {"types": ["string"]}, {"types": ["string"]})
        def _func_replace_all(self, s: str, old: str, new: str) -> str:
            return s.replace(old, new)

        @sig({"types": ["string"]})
        def _func_to_upper(self, s: str) -> str:
            return s.upper()

        @sig({"types": ["string"]})
        def _func_to_lower(self, s: str) -> str:
            return s.lower()

        @sig({"types": ["string"]}, {"types": ["string"]})
        def _func_trim(self, s: str, cut: str) -> str:
            return s.strip(cut)

        @sig({"types": ["string"]}, {"types": ["string"]})
        def _func_trim_prefix(self, s: str, prefix: str) -> str:
            return s.removeprefix(prefix)

        @sig({"types": ["string"]}, {"types": ["string"]})
        def _func_split(self, s: str, sep: str) -> list[str]:
            return list(s) if sep == "" else s.split(sep)

        @sig({"types": ["string"]}, {"types": ["string", "number"]}, {"types": ["string", "number"]})
        def _func_regex_replace_all(self, regex: str, src: Any, repl: Any) -> str:
            return re.sub(_go_regex(regex), _go_repl(str(repl)), _str(src))

        @sig({"types": ["string"]}, {"types": ["string", "number"]}, {"types": ["string", "number"]})
        def _func_regex_replace_all_literal(self, regex: str, src: Any, repl: Any) -> str:
            return re.sub(_go_regex(regex), lambda _m: _str(repl), _str(src))

        @sig({"types": ["string"]}, {"types": ["string", "number"]})
        def _func_regex_match(self, regex: str, src: Any) -> bool:
            return re.search(_go_regex(regex), _str(src)) is not None

        @sig({"types": ["string"]}, {"types": ["string", "number"]})
        def _func_pattern_match(self, pattern: str, src: Any) -> bool:
            return wildcard.match(pattern, _str(src))

        @sig({"types": ["object"]}, {"types": ["object"]})
        def _func_label_match(self, selector: dict[str, Any], labels: dict[str, Any]) -> bool:
            return all(labels.get(k) == v for k, v in selector.items())

        @sig({"types": ["string"]})
        def _func_to_boolean(self, s: str) -> bool:
            lowered = s.lower()
            if lowered not in ("true", "false"):
                raise ValueError(f"lowercase argument must be 'true' or 'false' (provided: '{s}')")
            return lowered == "true"

        @sig({"types": ["number", "string"]}, {"types": ["number", "string"]})
        def _func_add(self, a: Any, b: Any) -> Any:
            return _arith(a, b, "+")

        @sig({"types": ["number", "string"]}, {"types": ["number", "string"]})
        def _func_subtract(self, a: Any, b: Any) -> Any:
            return _arith(a, b, "-")

        @sig({"types": ["number", "string"]}, {"types": ["number", "string"]})
        def _func_multiply(self, a: Any, b: Any) -> Any:
            return _arith(a, b, "*")

        @sig({"types": ["number", "string"]}, {"types": ["number", "string"]})
        def _func_divide(self, a: Any, b: Any) -> Any:
            return _arith(a, b, "/")

        @sig({"types": ["number", "string"]}, {"types": ["number", "string"]})
        def _func_modulo(self, a: Any, b: Any) -> Any:
            return _arith(a, b, "%")

        @sig({"types": ["array"]})
        def _func_sum(self, items: list[Any]) -> Any:
            if not items:
                raise ValueError("at least one element in the array is required")
            total = items[0]
            for item in items[1:]:
                total = _arith(total, item, "+")
            return total

        @sig({"types": ["number"]}, {"types": ["number"]})
        def _func_round(self, value: float, digits: float) -> float:
            factor = 10 ** int(digits)
            return math.floor(value * factor + 0.5) / factor

        @sig({"types": ["string"]})
        def _func_base64_decode(self, s: str) -> str:
            return base64.b64decode(s).decode("utf-8", "replace")

        @sig({"types": ["string"]})
        def _func_base64_encode(self, s: str) -> str:
            return base64.b64encode(s.encode()).decode()

        @sig({"types": ["string"]}, {"types": ["number"]})
        def _func_truncate(self, s: str, length: float) -> str:
            return s[: max(int(length), 0)]

        @sig({"types": ["string"]})
        def _func_parse_json(self, s: str) -> Any:
            return json.loads(s)

        @sig({"types": ["string"]})
        def _func_parse_yaml(self, s: str) -> Any:
            from ruamel.yaml import YAML  # noqa: PLC0415 - heavy import kept lazy

            return YAML(typ="safe", pure=True).load(s)

        @sig({"types": ["object", "array"]}, {"types": ["string", "number"]})
        def _func_lookup(self, collection: Any, key: Any) -> Any:
            if isinstance(collection, dict):
                return collection.get(key) if isinstance(key, str) else None
            index = int(key) if not isinstance(key, str) else -1
            return collection[index] if 0 <= index < len(collection) else None

        @sig({"types": ["object", "array"]}, {"types": ["string"]}, {"types": ["string"]})
        def _func_items(self, obj: Any, key_name: str, value_name: str) -> list[Any]:
            if isinstance(obj, dict):
                return [{key_name: k, value_name: obj[k]} for k in sorted(obj)]
            return [{key_name: i, value_name: v} for i, v in enumerate(obj)]

        @sig({"types": ["array"]}, {"types": ["array"]})
        def _func_object_from_lists(self, keys: list[Any], values: list[Any]) -> dict[str, Any]:
            return {
                str(k): (values[i] if i < len(values) else None) for i, k in enumerate(keys)
            }

        @sig({"types": ["string"]}, {"types": ["string"]})
        def _func_semver_compare(self, version: str, constraint: str) -> bool:
            return _semver_satisfies(version, constraint)

        @sig({"types": ["string"]})
        def _func_path_canonicalize(self, path: str) -> str:
            import posixpath  # noqa: PLC0415

            return posixpath.normpath(path) if path else "."

        @sig({"types": ["string"]})
        def _func_sha256(self, s: str) -> str:
            import hashlib  # noqa: PLC0415

            return hashlib.sha256(s.encode()).hexdigest()

    return jmespath.Options(custom_functions=KyvernoFunctions())


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
        if left is None or right is None:
            raise ValueError(f"invalid operands for {op}: {a!r}, {b!r}")
        result = _apply(left[0], right[0], op)
        if left[1] == "duration" or right[1] == "duration":
            return f"{float(result):g}s"
        return _format_quantity(result)
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
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value, "number"
    duration = parse_duration(value) if isinstance(value, str) else None
    if duration is not None:
        return duration, "duration"
    quantity = parse_quantity(value) if isinstance(value, str) else None
    if quantity is not None:
        return quantity, "quantity"
    return None


def _format_quantity(value: Any) -> Any:
    if value == int(value):
        return str(int(value))
    return str(float(value))


def _semver_satisfies(version: str, constraint: str) -> bool:
    def parse(text: str) -> tuple[int, ...]:
        core = text.strip().lstrip("v").split("-")[0].split("+")[0]
        parts = [int(p) if p.isdigit() else 0 for p in core.split(".")]
        return tuple((parts + [0, 0, 0])[:3])

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
