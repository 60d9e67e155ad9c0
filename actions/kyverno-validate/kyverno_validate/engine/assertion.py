"""``validate.assert``: a kyverno-json assertion tree checked against Kyverno's payload
(``validate_assert.go`` with ``kyverno-json`` ``pkg/engine/assert``).

The tree is walked as ``parseMap``/``parseSlice``/``parseScalar`` do:

- a map projects each key from the value: a plain key is a field name (missing: ``Required
  value: field not found in the input object``), ``(expr)`` is JMESPath over the value,
  ``\\(x)\\`` escapes a parenthesised field name; ``~.key``/``~name.(expr)`` iterate over the
  projected list (or map) and bind ``$name`` to the index (key); ``key -> name`` binds ``$name``
  to the projection; an empty map only asks for a value that is not null;
- a list compares lengths, then element by element;
- a leaf compares the value with the expected one, itself JMESPath over the value when it
  is ``(expr)``: numbers by value, other types by equality, unlike types are an error.

Each mismatch is a ``k8s.io/apimachinery`` field error (``<path>: Invalid value: <v>:
Expected value: <e>``); the rule fails with all of them. An expression that cannot be
evaluated, or values that cannot be compared, is the rule's error ("failed to apply
assertion"). Context entries are bound as ``$<name>``. Kyverno walks maps in Go's random
order; this walks them in document order.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kyverno_validate.engine.conditions import ConditionError, evaluate_conditions
from kyverno_validate.engine.jmespath_functions import search
from kyverno_validate.engine.model import Rule
from kyverno_validate.engine.outcome import Outcome
from kyverno_validate.engine.variables import NOW_KEY, lenient_resolver

_FOREACH = re.compile(r"^~(\w+)?\.(.*)", re.ASCII)
_BINDING = re.compile(r"(.*)\s*->\s*(\w+)$", re.ASCII)
_ESCAPE = re.compile(r"^\\(.+)\\$")
_ENGINE = re.compile(r"^\((?:(\w+);)?(.+)\)$", re.ASCII)
_VARIABLE = re.compile(r"\$(\w*)", re.ASCII)

Bindings = Mapping[str, Callable[[], Any]]


class AssertionFailure(Exception):
    """The tree could not be applied (Kyverno: ``failed to apply assertion``)."""


@dataclass(frozen=True, slots=True)
class Expression:
    """A key or leaf of the tree: ``~name.`` foreach, ``-> name`` binding, engine, statement."""

    statement: str
    foreach: bool = False
    foreach_name: str = ""
    binding: str = ""
    engine: str = ""


def parse_expression(text: str) -> Expression | None:
    """kyverno-json's ``parseExpressionRegex``; None for an empty statement."""
    foreach, foreach_name, binding, engine = False, "", "", ""
    found = _FOREACH.match(text)
    if found:
        foreach, foreach_name, text = True, found.group(1) or "", found.group(2)
    found = _BINDING.match(text)
    if found:
        binding, text = found.group(2), found.group(1)
    escaped = _ESCAPE.match(text)
    if escaped:
        text = escaped.group(1)
    else:
        found = _ENGINE.match(text)
        if found:
            engine, text = found.group(1) or "jp", found.group(2)
    if not text:
        return None
    return Expression(text, foreach, foreach_name, binding, engine)


# ---------------------------------------------------------------------------------------------
# Go formatting of values, as ``field.Error`` prints them


def _go_float(value: float) -> str:
    """Go's ``%v`` of a float64: the shortest digits, ``%e`` form below 1e-4 or from 1e+06."""
    if math.isnan(value) or math.isinf(value):
        return "NaN" if math.isnan(value) else ("+Inf" if value > 0 else "-Inf")
    if value == 0:
        return "0"
    sign, digit_tuple, exponent = Decimal(repr(value)).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    exponent = int(exponent) + len(digit_tuple) - len(digits)
    point = len(digits) + exponent  # the decimal point's place after the first digit
    prefix = "-" if sign else ""
    if point - 1 < -4 or point - 1 >= 6:  # Go's shortest %g threshold
        head = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        power = point - 1
        return f"{prefix}{head}e{'+' if power >= 0 else '-'}{abs(power):02d}"
    if point <= 0:
        return f"{prefix}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return prefix + digits + "0" * (point - len(digits))
    return f"{prefix}{digits[:point]}.{digits[point:]}"


def _go_quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def go_value(value: Any) -> str:  # noqa: PLR0911 - one return per Go kind
    """Go's ``%#v`` of a decoded JSON value (``interface {}`` elements)."""
    if value is None:
        return "interface {}(nil)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _go_float(value)
    if isinstance(value, str):
        return _go_quote(value)
    if isinstance(value, Mapping):
        items = ", ".join(
            f"{_go_quote(str(k))}:{go_value(value[k])}" for k in sorted(value, key=str)
        )
        return f"map[string]interface {{}}{{{items}}}"
    if isinstance(value, list | tuple):
        return f"[]interface {{}}{{{', '.join(go_value(v) for v in value)}}}"
    return repr(value)


def _bad_value(value: Any) -> str:
    """How ``field.Error.ErrorBody`` prints a bad value: null as ``"null"``, simple types with
    ``%v``, strings quoted, anything else with ``%#v``."""
    return '"null"' if value is None else go_value(value)


def _expected(value: Any) -> str:
    """kyverno-json's ``expectValueMessage``."""
    if value is None:
        return "Expected value: <nil>"
    return f"Expected value: {go_value(value)}"


_PROJECTION_OR_LOOP = re.compile(r"[(~]")


@dataclass(frozen=True, slots=True)
class FieldError:
    """One ``k8s.io/apimachinery`` field error of the tree."""

    path: str
    type: str
    detail: str
    value: Any = None
    shows_value: bool = True

    def __str__(self) -> str:
        body = f"{self.type}: {_bad_value(self.value)}" if self.shows_value else self.type
        return f"{self.path}: {body}: {self.detail}" if self.detail else f"{self.path}: {body}"


def _invalid(path: str, value: Any, detail: str) -> FieldError:
    return FieldError(path, "Invalid value", detail, value)


def _internal(path: str, detail: str) -> AssertionFailure:
    return AssertionFailure(str(FieldError(path, "Internal error", detail, shows_value=False)))


def _type_invalid(path: str, value: Any, detail: str) -> AssertionFailure:
    return AssertionFailure(str(_invalid(path, value, detail)))


def _child(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


# ---------------------------------------------------------------------------------------------
# JMESPath with bindings


def _literal(value: Any) -> str:
    return "`" + json.dumps(value).replace("`", "\\`") + "`"


def _with_bindings(statement: str, current: Any, bindings: Bindings) -> str:
    """The statement with each ``$name`` (and the bare root ``$``) outside string literals
    replaced by its value as a JSON literal: the ``jmespath`` package has no variables."""
    out: list[str] = []
    index, size = 0, len(statement)
    while index < size:
        char = statement[index]
        if char in "'\"`":
            end = index + 1
            while end < size and statement[end] != char:
                end += 2 if statement[end] == "\\" else 1
            out.append(statement[index : end + 1])
            index = end + 1
            continue
        if char == "$":
            found = _VARIABLE.match(statement, index)
            name = found.group(1) if found else ""
            if name:
                if "$" + name not in bindings:
                    raise AssertionFailure(f"variable not defined: ${name}")
                out.append(_literal(bindings["$" + name]()))
            else:
                out.append(_literal(current))
            index += 1 + len(name)
            continue
        out.append(char)
        index += 1
    return "".join(out)


def _execute(statement: str, value: Any, bindings: Bindings, now: Any) -> Any:
    try:
        return search(_with_bindings(statement, value, bindings), value, now)
    except AssertionFailure:
        raise
    except Exception as exc:  # jmespath raises many error types (parse, type, unknown function)
        raise AssertionFailure(str(exc)) from exc


# ---------------------------------------------------------------------------------------------
# comparisons (``match.Match`` and ``MatchScalar``)


def _kind(value: Any) -> str:  # noqa: PLR0911 - one return per Go kind
    if value is None:
        return "invalid"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "map"
    if isinstance(value, list | tuple):
        return "slice"
    return type(value).__name__


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def matches(expected: Any, actual: Any) -> bool:
    """kyverno-json's ``match.Match``: maps as subsets, lists element-wise, scalars by value;
    raises :class:`AssertionFailure` when the types cannot be compared."""
    if isinstance(expected, list | tuple):
        if not isinstance(actual, list | tuple):
            raise AssertionFailure(f"invalid actual value, must be a slice, found {_kind(actual)}")
        return len(expected) == len(actual) and all(
            matches(e, a) for e, a in zip(expected, actual, strict=True)
        )
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            raise AssertionFailure(f"invalid actual value, must be a map, found {_kind(actual)}")
        return all(key in actual and matches(value, actual[key]) for key, value in expected.items())
    if expected is None or actual is None:
        return expected is None and actual is None
    if _is_number(expected) and _is_number(actual):
        return bool(expected == actual)
    if _kind(expected) == _kind(actual):
        return bool(expected == actual)
    raise AssertionFailure(f"types are not comparable, {_kind(expected)} - {_kind(actual)}")


# ---------------------------------------------------------------------------------------------
# the tree


@dataclass(frozen=True, slots=True)
class _Walk:
    bindings: Bindings
    now: Any

    def node(self, tree: Any, path: str, value: Any) -> list[FieldError]:
        if isinstance(tree, Mapping):
            return self.map_node(tree, path, value)
        if isinstance(tree, list):
            return self.list_node(tree, path, value)
        return self.leaf(tree, path, value)

    def list_node(self, tree: list[Any], path: str, value: Any) -> list[FieldError]:
        if value is None:
            return [_invalid(path, value, "value is null")]
        if not isinstance(value, list | tuple):
            raise _type_invalid(path, value, "expected a slice")
        if len(value) != len(tree):
            return [_invalid(path, value, "lengths of slices don't match")]
        errors: list[FieldError] = []
        for index, (sub, item) in enumerate(zip(tree, value, strict=True)):
            errors += self.node(sub, f"{path}[{index}]", item)
        return errors

    def map_node(self, tree: Mapping[Any, Any], path: str, value: Any) -> list[FieldError]:
        if not tree:
            return (
                []
                if value is not None
                else [_invalid(path, value, "invalid value, must not be null")]
            )
        errors: list[FieldError] = []
        walk = self
        for key, sub in tree.items():
            name = _go_key(key)
            here = _child(path, name)
            projected = walk.project(key, value, here)
            if projected is None:
                errors.append(
                    FieldError(here, "Required value", "field not found in the input object",
                               shows_value=False)
                )  # fmt: skip
                continue
            expression, result = projected
            if expression is not None and expression.binding:
                # registered on the walk for this key and the keys after it, as Go does
                walk = _Walk(
                    {**walk.bindings, "$" + expression.binding: _constant(result)}, walk.now
                )
            if expression is None or not expression.foreach:
                errors += walk.node(sub, here, result)
                continue
            for label, bound, item in _elements(result, here):
                inner = walk
                if expression.foreach_name:
                    inner = _Walk(
                        {**walk.bindings, "$" + expression.foreach_name: _constant(bound)}, walk.now
                    )
                errors += inner.node(sub, label, item)
        return errors

    def project(self, key: Any, value: Any, path: str) -> tuple[Expression | None, Any] | None:
        """kyverno-json's ``project``: None when a plain field is missing."""
        expression = parse_expression(key) if isinstance(key, str) else None
        if expression is not None:
            if expression.engine == "jp":
                try:
                    return expression, _execute(
                        expression.statement, value, self.bindings, self.now
                    )
                except AssertionFailure as exc:
                    raise _internal(path, str(exc)) from exc
            if expression.engine:
                raise _internal(path, f"engine not supported: {expression.engine}")
            if value is None:
                return None
            if isinstance(value, Mapping):
                if expression.statement not in value:
                    return None
                return expression, value[expression.statement]
        if isinstance(value, Mapping):
            return (None, value[key]) if key in value else None
        raise _internal(path, "projection not recognized")

    def leaf(self, expected: Any, path: str, value: Any) -> list[FieldError]:
        if isinstance(expected, str):
            expression = parse_expression(expected)
            if expression is not None and expression.engine:
                if expression.foreach_name:
                    raise _type_invalid(path, expected, "foreach is not supported on the RHS")
                if expression.binding:
                    raise _type_invalid(path, expected, "binding is not supported on the RHS")
                if expression.engine != "jp":
                    raise _internal(path, f"engine not supported: {expression.engine}")
                try:
                    expected = _execute(expression.statement, value, self.bindings, self.now)
                except AssertionFailure as exc:
                    raise _internal(path, str(exc)) from exc
        try:
            same = matches(expected, value)
        except AssertionFailure as exc:
            raise _internal(path, str(exc)) from exc
        return [] if same else [_invalid(path, value, _expected(expected))]


def _go_key(key: Any) -> str:
    """``fmt.Sprint`` of a map key."""
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, float):
        return _go_float(key)
    return str(key)


def _constant(value: Any) -> Callable[[], Any]:
    return lambda: value


def _elements(result: Any, path: str) -> Iterator[tuple[str, Any, Any]]:
    """(path, bound value, element) of a foreach projection: index for a list, key for a map."""
    if isinstance(result, list | tuple):
        for index, item in enumerate(result):
            yield f"{path}[{index}]", index, item
    elif isinstance(result, Mapping):
        for key, item in result.items():
            yield f"{path}[{_go_key(key)}]", key, item
    else:
        raise _type_invalid(path, result, "expected a slice or a map")


def assert_tree(tree: Any, payload: Any, bindings: Bindings, now: Any = None) -> list[FieldError]:
    """The field errors of ``tree`` over ``payload`` (empty: it holds); raises
    :class:`AssertionFailure` when it cannot be applied."""
    return _Walk(bindings, now).node(tree, "", payload)


# ---------------------------------------------------------------------------------------------
# the rule


def _resource_kind(obj: Any) -> dict[str, str]:
    api_version = str(obj.get("apiVersion") or "") if isinstance(obj, Mapping) else ""
    group, _, version = api_version.rpartition("/")
    kind = str(obj.get("kind") or "") if isinstance(obj, Mapping) else ""
    return {"group": group, "version": version, "kind": kind, "subResource": ""}


def assertion_payload(data: Mapping[str, Any], resource: Mapping[str, Any]) -> dict[str, Any]:
    """What Kyverno asserts on: ``object``, ``oldObject``, ``operation``, ``admissionInfo``,
    ``namespaceLabels``, ``admissionOperation``, ``requestResource``, ``resourceKind``."""
    request = data.get("request") or {}
    info: dict[str, Any] = {"userInfo": dict(request.get("userInfo") or {})}
    for key in ("roles", "clusterRoles"):
        if request.get(key):
            info[key] = list(request[key])
    new = request.get("object")
    return {
        "object": new or None,
        "oldObject": request.get("oldObject") or None,
        "admissionInfo": info,
        "operation": request.get("operation") or "CREATE",
        "namespaceLabels": None,
        "admissionOperation": False,
        "requestResource": {"group": "", "version": "", "resource": ""},
        "resourceKind": _resource_kind(new or resource),
    }


def _context_bindings(rule: Rule, data: Mapping[str, Any]) -> dict[str, Callable[[], Any]]:
    bindings: dict[str, Callable[[], Any]] = {}
    for entry in rule.raw.get("context") or []:
        name = entry.get("name") if isinstance(entry, Mapping) else None
        if isinstance(name, str) and name:
            bindings["$" + name] = _constant(data.get(name))
    return bindings


def evaluate_assert(  # noqa: PLR0911 - one return per outcome
    rule: Rule, data: dict[str, Any], resource: Mapping[str, Any]
) -> Outcome:
    """A ``validate.assert`` rule: preconditions, then the tree over the payload; for an
    enforced UPDATE whose old object fails too (``allowExistingViolations``, default true) the
    rule is skipped."""
    try:
        if not evaluate_conditions(rule.raw.get("preconditions"), lenient_resolver(data)):
            return Outcome("skip", "preconditions not met")
    except ConditionError as exc:
        return Outcome("error", f"failed to evaluate preconditions: {exc}")
    validate = rule.validate or {}
    tree = validate.get("assert")
    bindings = _context_bindings(rule, data)
    payload = assertion_payload(data, resource)
    now = data.get(NOW_KEY)
    try:
        errors = assert_tree(tree, payload, bindings, now)
    except AssertionFailure as exc:
        return Outcome("error", f"failed to apply assertion: {exc}")
    if not errors:
        return Outcome("pass", f"Validation rule '{rule.name}' passed.")
    old = payload["oldObject"]
    if (
        rule.action == "Enforce"
        and payload["operation"] == "UPDATE"
        and validate.get("allowExistingViolations", True) is not False
        and old is not None
    ):
        before = {**payload, "object": old, "oldObject": None, "operation": "CREATE"}
        try:
            old_errors = assert_tree(tree, before, bindings, now)
        except AssertionFailure:
            return Outcome("skip", "failed to validate old object")
        if old_errors:
            return Outcome(
                "skip", "skipping the rule evaluation as pre-existing violations are allowed"
            )
    return Outcome("fail", "; ".join(str(error) for error in errors), failing_field(errors[0].path))


def failing_field(path: str) -> str | None:
    """The resource field of an error path, up to its first projection or loop, for the row's
    line: ``object.spec.containers[0].(image)`` → ``spec.containers[0]``; None outside
    ``object``."""
    if not path.startswith("object."):
        return None
    field = _PROJECTION_OR_LOOP.split(path[len("object.") :], maxsplit=1)[0].rstrip(".")
    return field or None
