"""How Go formats and coerces JSON values, which Kyverno's comparisons rely on."""

from __future__ import annotations

import json
import math
from typing import Any


def format_float(value: float) -> str:
    """Go's ``%v`` for a float64: shortest form, integers without a fraction."""
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if math.isnan(value):
        return "NaN"
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))
    text = repr(value)
    if "e" in text:
        mantissa, exponent = text.split("e")
        sign = "-" if exponent.startswith("-") else "+"
        digits = exponent.lstrip("+-").rjust(2, "0")
        text = f"{mantissa}e{sign}{digits}"
    return text


def sprint(value: Any) -> str:  # noqa: PLR0911 - type dispatch like Kyverno's Go switch
    """Go's ``fmt.Sprint`` of a decoded JSON value."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_float(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + " ".join(sprint(item) for item in value) + "]"
    # what is left of a decoded JSON value is an object
    items = " ".join(f"{key}:{sprint(value[key])}" for key in sorted(value))
    return f"map[{items}]"


def _go_numbers(value: Any) -> Any:
    """Integral floats as ints, as Go prints a float64 (``2``, not ``2.0``)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    if isinstance(value, dict):
        return {k: _go_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_go_numbers(v) for v in value]
    return value


def to_json_text(value: Any) -> str:
    """``json.Marshal`` of a value: the text a variable becomes inside a longer string."""
    if isinstance(value, str):
        return value
    return json.dumps(_go_numbers(value), separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def parse_int(text: str) -> int | None:
    """``strconv.ParseInt(text, 10, 64)``."""
    body = text[1:] if text[:1] in "+-" else text
    if not body.isdigit() or not body.isascii():
        return None
    return int(text)


def parse_float(text: str) -> float | None:
    """``strconv.ParseFloat(text, 64)`` (no surrounding spaces, no underscores in odd places)."""
    if not text or text != text.strip() or "_" in text:
        return None
    try:  # Python's float() takes Go's forms, "Inf", "+infinity" and "NaN" included
        return float(text)
    except ValueError:
        return None
