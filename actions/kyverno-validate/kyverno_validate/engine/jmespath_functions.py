"""Kyverno's custom JMESPath functions (``pkg/engine/jmespath``) for the ``jmespath`` package.

:data:`FUNCTIONS` is the explicit registry (name → implementation and argument types);
``jmespath`` is imported lazily and each expression is compiled once and cached.
"""

from __future__ import annotations

import base64
import hashlib
import json
import posixpath
import re
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache, partial
from typing import Any

from kyverno_validate.engine import wildcard
from kyverno_validate.engine.arithmetic import (
    add,
    divide,
    modulo,
    multiply,
    round_,
    semver_satisfies,
    subtract,
    sum_,
)
from kyverno_validate.engine.timefuncs import (
    image_normalize,
    time_add,
    time_after,
    time_before,
    time_between,
    time_diff,
    time_now,
    time_now_utc,
    time_parse,
    time_since,
    time_to_cron,
    time_truncate,
    time_utc,
)

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
    template = _str(repl)
    return _go_regex(regex).sub(lambda found: _go_expand(template, found), _str(src))


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
    """An object takes a string key, an array an integer index; a missing one gives null."""
    if isinstance(collection, dict):
        if not isinstance(key, str):
            raise ValueError("lookup: an object's key must be a string")
        return collection.get(key)
    if isinstance(key, str) or key != int(key):
        raise ValueError("lookup: an array's index must be an integer number")
    index = int(key)
    return collection[index] if 0 <= index < len(collection) else None


def items(obj: Any, key_name: str, value_name: str) -> list[Any]:
    if isinstance(obj, dict):
        return [{key_name: k, value_name: obj[k]} for k in sorted(obj)]
    return [{key_name: i, value_name: v} for i, v in enumerate(obj)]


def object_from_lists(keys: list[Any], values: list[Any]) -> dict[str, Any]:
    return {str(k): (values[i] if i < len(values) else None) for i, k in enumerate(keys)}


def semver_compare(version: str, constraint: str) -> bool:
    return semver_satisfies(version, constraint)


def path_canonicalize(path: str) -> str:
    """Go's ``filepath.Join(path)``: cleaned, ``""`` stays empty, ``//a`` becomes ``/a``."""
    if not path:
        return ""
    cleaned = posixpath.normpath(path)
    return "/" + cleaned.lstrip("/") if cleaned.startswith("//") else cleaned


def sha256(s: str) -> str:
    return hashlib.sha256(s.encode()).hexdigest()


def md5(s: str) -> str:
    return hashlib.md5(s.encode(), usedforsecurity=False).hexdigest()


def random_(pattern: str) -> str:
    from kyverno_validate.engine.regexgen import random_string  # noqa: PLC0415

    return random_string(pattern)


def x509_decode(text: str) -> dict[str, Any]:
    from kyverno_validate.engine.x509 import x509_decode as decode  # noqa: PLC0415

    return decode(text)


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
    "md5": (md5, (S,)),
    "random": (random_, (S,)),
    "x509_decode": (x509_decode, (S,)),
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


# functions that read the evaluation time: the time is bound per interpreter (see ``search``)
CLOCK_FUNCTIONS: dict[str, tuple[Function, tuple[tuple[str, ...], ...]]] = {
    "time_now": (time_now, ()),
    "time_now_utc": (time_now_utc, ()),
    "time_since": (time_since, (S, S, S)),
}


@lru_cache(maxsize=8)
def _options(now: datetime | None) -> Any:
    import jmespath  # noqa: PLC0415 - heavy import kept lazy
    from jmespath import functions  # noqa: PLC0415

    bound: dict[str, tuple[Function, tuple[tuple[str, ...], ...]]] = {
        name: (partial(implementation, now), arg_types)
        for name, (implementation, arg_types) in CLOCK_FUNCTIONS.items()
    }
    attributes: dict[str, Any] = {}
    for name, (implementation, arg_types) in {**FUNCTIONS, **bound}.items():

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


_TEMPLATE = re.compile(r"\$(?:\$|\{(\w+)\}|(\w+))")


def _go_expand(template: str, found: re.Match[str]) -> str:
    """Go's ``Regexp.Expand``: ``$1``/``${1}``/``$name`` (the longest name), ``$$``; a group
    that does not exist is empty."""

    def group(ref: re.Match[str]) -> str:
        name = ref.group(1) or ref.group(2)
        if name is None:
            return "$"
        try:
            value = found.group(int(name) if name.isdigit() else name)
        except IndexError:  # no such group
            return ""
        return value or ""

    return _TEMPLATE.sub(group, template)


@lru_cache(maxsize=4096)
def compile_expression(expression: str) -> Any:
    import jmespath  # noqa: PLC0415 - heavy import kept lazy

    return jmespath.compile(expression).parsed


@lru_cache(maxsize=8)
def _interpreter(now: datetime | None) -> Any:
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

    return Interpreter(_options(now))


def search(expression: str, data: Any, now: datetime | None = None) -> Any:
    """Evaluate a JMESPath expression with Kyverno's functions (raises on a bad expression);
    ``now`` is the evaluation time the ``time_now*``/``time_since`` functions see. The
    expression runs compiled to closures (:mod:`jmespath_plan`), with the interpreter's answers."""
    from kyverno_validate.engine.jmespath_plan import compiled  # noqa: PLC0415 - it imports this module

    return compiled(expression, now)(data)
