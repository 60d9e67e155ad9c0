"""GeneratingPolicy ``generate[].template``: the resources a YAML template describes.

``value`` holds one or more YAML documents, each a mapping describing one resource. With
``interpolate: cel`` the ``(( … ))`` placeholders of its scalar values are CEL expressions over
the policy's bindings (``object``, ``variables``, …), as in Kyverno's template package
(``pkg/cel/policies/gpol/…/template``): a placeholder that is the whole scalar is replaced by
its value (a map, a list or a scalar); placeholders inside a longer string are interpolated and
must be scalars. ``\\((`` and ``\\))`` stand for literal parentheses. Without interpolation the
template is taken literally. Mapping keys are never interpolated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from kyverno_validate.engine.outcome import Outcome

# evaluates one CEL expression: its value, or an Outcome error
Evaluate = Callable[[str], Any]


class TemplateError(ValueError):
    """A template that cannot be read or rendered."""


@lru_cache(maxsize=1)
def _yaml12() -> Any:
    """Kyverno decodes templates with go-yaml v3: YAML 1.2, where ``n``/``on``/``yes`` are
    strings (timestamps stay strings too)."""
    from ruamel.yaml import YAML  # noqa: PLC0415 - heavy import kept lazy
    from ruamel.yaml.constructor import SafeConstructor  # noqa: PLC0415

    class _Constructor(SafeConstructor):
        pass

    _Constructor.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)
    yaml = YAML(typ="safe", pure=True)
    yaml.Constructor = _Constructor
    return yaml


def load_documents(text: str) -> list[Any]:
    """The YAML 1.2 documents of a template's ``value``; ValueError on a syntax error."""
    from ruamel.yaml.error import YAMLError  # noqa: PLC0415

    try:
        return list(_yaml12().load_all(text))
    except YAMLError as exc:
        raise ValueError(" ".join(str(exc).split())) from exc


def segments(text: str) -> list[tuple[bool, str]]:
    """``text`` as (is a placeholder?, literal text or expression) pieces."""
    found: list[tuple[bool, str]] = []
    literal: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith(("\\((", "\\))"), i):
            literal.append(text[i + 1 : i + 3])
            i += 3
        elif text.startswith("((", i):
            end = _closing(text, i + 2)
            if literal:
                found.append((False, "".join(literal)))
                literal = []
            found.append((True, text[i + 2 : end].strip()))
            i = end + 2
        else:
            literal.append(text[i])
            i += 1
    if literal:
        found.append((False, "".join(literal)))
    return found


def _closing(text: str, start: int) -> int:
    """Where the ``))`` closing a placeholder opened before ``start`` is (parentheses of the
    expression balanced, quoted strings skipped)."""
    depth = 0
    quote = ""
    i = start
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif depth == 0 and text.startswith("))", i):
            return i
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        i += 1
    raise TemplateError(f"unclosed placeholder in {text!r}")


def _scalar_text(value: Any, expression: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise TemplateError(
        f"placeholder {expression!r} embedded in a string must evaluate to a scalar; "
        "use a whole-value placeholder for structured results"
    )


def _render_string(text: str, evaluate: Evaluate) -> Any:
    pieces = segments(text)
    if not any(is_expression for is_expression, _ in pieces):
        return "".join(piece for _, piece in pieces)
    values = []
    for is_expression, piece in pieces:
        if not is_expression:
            values.append(piece)
            continue
        value = evaluate(piece)
        if isinstance(value, Outcome):
            raise TemplateError(value.message)
        if len(pieces) == 1:
            return value
        values.append(_scalar_text(value, piece))
    return "".join(values)


def _render(node: Any, evaluate: Evaluate | None) -> Any:
    """Plain maps and lists; placeholders rendered when ``evaluate`` is given."""
    if isinstance(node, Mapping):
        return {str(key): _render(value, evaluate) for key, value in node.items()}
    if isinstance(node, list):
        return [_render(item, evaluate) for item in node]
    if isinstance(node, str) and evaluate is not None:
        return _render_string(node, evaluate)
    return node


def render_template(template: Mapping[str, Any], evaluate: Evaluate) -> list[Mapping[str, Any]]:
    """The resources of one ``template`` entry; TemplateError when it cannot be rendered."""
    try:
        documents = [d for d in load_documents(str(template.get("value") or "")) if d is not None]
    except ValueError as exc:
        raise TemplateError(f"failed to parse YAML: {exc}") from exc
    if not documents:
        raise TemplateError("template must contain at least one YAML document")
    interpolate = str(template.get("interpolate") or "") == "cel"
    resources = []
    for index, document in enumerate(documents):
        rendered = _render(document, evaluate if interpolate else None)
        if not isinstance(rendered, Mapping):
            raise TemplateError(f"document {index}: expected a mapping describing a resource")
        resources.append(rendered)
    return resources
