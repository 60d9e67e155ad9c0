"""Go's ``time`` layouts for Kyverno's ``time_parse``/``time_since``, and RFC 3339 the Go way.

A Go layout spells the reference time ``Mon Jan 2 15:04:05 MST 2006``; each element becomes a
regular expression group here (``nextStdChunk`` in Go's ``time/format.go``). A parsed time keeps
its UTC offset, as Go's does, and formats back with it (``Z`` for a zero offset). A zone
abbreviation (``MST``) other than a known one has a zero offset, as in Go on a UTC machine.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ZONES = {"UTC": 0, "GMT": 0, "Z": 0}

# layout element → (regex, field); longest elements first, as Go's scanner prefers them
_ELEMENTS: tuple[tuple[str, str, str], ...] = (
    ("January", "|".join(_MONTHS), "month_name"),
    ("Monday", "|".join(_DAYS), "weekday"),
    ("Z07:00", r"Z|[+-]\d{2}:\d{2}", "offset"),
    ("-07:00", r"[+-]\d{2}:\d{2}", "offset"),
    ("Z0700", r"Z|[+-]\d{4}", "offset"),
    ("-0700", r"[+-]\d{4}", "offset"),
    ("Z07", r"Z|[+-]\d{2}", "offset"),
    ("-07", r"[+-]\d{2}", "offset"),
    ("2006", r"\d{4}", "year"),
    (".000000000", r"\.\d{9}", "fraction"),
    (".999999999", r"(?:\.\d{1,9})?", "fraction"),
    (".000000", r"\.\d{6}", "fraction"),
    (".999999", r"(?:\.\d{1,9})?", "fraction"),
    (".000", r"\.\d{3}", "fraction"),
    (".999", r"(?:\.\d{1,9})?", "fraction"),
    ("MST", r"[A-Z]{3,5}|[+-]\d{2,4}", "zone"),
    ("Jan", "|".join(m[:3] for m in _MONTHS), "month_name"),
    ("Mon", "|".join(d[:3] for d in _DAYS), "weekday"),
    ("002", r"\d{3}", "yday"),
    ("_2", r" ?\d{1,2}", "day"),
    ("01", r"\d{2}", "month"),
    ("02", r"\d{2}", "day"),
    ("03", r"\d{2}", "hour12"),
    ("04", r"\d{2}", "minute"),
    ("05", r"\d{2}", "second"),
    ("06", r"\d{2}", "year2"),
    ("15", r"\d{1,2}", "hour"),
    ("PM", "AM|PM", "ampm"),
    ("pm", "am|pm", "ampm"),
    ("1", r"\d{1,2}", "month"),
    ("2", r"\d{1,2}", "day"),
    ("3", r"\d{1,2}", "hour12"),
    ("4", r"\d{1,2}", "minute"),
    ("5", r"\d{1,2}", "second"),
)


@lru_cache(maxsize=64)
def _compile(layout: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    parts: list[str] = []
    fields: list[str] = []
    index = 0
    while index < len(layout):
        for element, regex, field in _ELEMENTS:
            if layout.startswith(element, index):
                parts.append(f"({regex})")
                fields.append(field)
                index += len(element)
                break
        else:
            parts.append(re.escape(layout[index]))
            index += 1
    return re.compile("".join(parts)), tuple(fields)


def _offset(text: str) -> timezone:
    if text in _ZONES:
        return timezone(timedelta(hours=_ZONES[text]))
    match = re.fullmatch(r"([+-])(\d{2}):?(\d{2})?", text)
    if match is None:
        return UTC  # an unknown abbreviation: a zero offset, as Go on a UTC machine
    sign = -1 if match.group(1) == "-" else 1
    minutes = int(match.group(2)) * 60 + int(match.group(3) or 0)
    return timezone(sign * timedelta(minutes=minutes))


def parse_layout(layout: str, text: str) -> datetime:  # noqa: PLR0912 - one branch per field
    """``time.Parse(layout, text)``; a ValueError names both when they do not agree."""
    pattern, fields = _compile(layout)
    match = pattern.fullmatch(text)
    if match is None:
        raise ValueError(f"parsing time {text!r} as {layout!r}: cannot parse")
    year, month, day, hour, minute, second, micro = 0, 1, 1, 0, 0, 0, 0
    pm: bool | None = None
    zone: timezone = UTC
    for field, value in zip(fields, match.groups(), strict=True):
        if field == "year":
            year = int(value)
        elif field == "year2":
            year = int(value) + (1900 if int(value) >= 69 else 2000)
        elif field == "month":
            month = int(value)
        elif field == "month_name":
            month = next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(value))
        elif field == "day":
            day = int(value.strip())
        elif field in ("hour", "hour12"):
            hour = int(value)
        elif field == "minute":
            minute = int(value)
        elif field == "second":
            second = int(value)
        elif field == "fraction" and value:
            micro = int((value[1:] + "000000")[:6])
        elif field == "ampm":
            pm = value.upper() == "PM"
        elif field in ("offset", "zone"):
            zone = _offset(value)
    if pm is not None:
        hour = hour % 12 + (12 if pm else 0)
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=zone)


def parse_rfc3339(text: str) -> datetime:
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def format_rfc3339(value: datetime) -> str:
    """Go's ``Format(time.RFC3339)``: whole seconds, the offset kept, ``Z`` when it is zero."""
    offset = value.utcoffset() or timedelta(0)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if not offset:
        return text + "Z"
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{text}{sign}{hours:02d}:{rest:02d}"
