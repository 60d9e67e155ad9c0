"""Kyverno's ``time_*`` JMESPath functions on RFC 3339 timestamps, and ``image_normalize``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kyverno_validate.engine.gotime import format_rfc3339, parse_layout, parse_rfc3339
from kyverno_validate.engine.quantity import parse_duration


def _now(now: datetime | None) -> datetime:
    """The engine is pure: "now" is an input (``EvaluationContext.now``), bound per evaluation."""
    if now is None:
        raise ValueError("time_now/time_since need the evaluation time (EvaluationContext.now)")
    return now


def _trim(number: str) -> str:
    return number.rstrip("0").rstrip(".") if "." in number else number


_SMALL_UNITS = (
    (1_000, 1, "ns", 0),
    (1_000_000, 1_000, "\u00b5s", 3),
    (1_000_000_000, 1_000_000, "ms", 6),
)


def go_duration(seconds: float) -> str:
    """Go's ``time.Duration.String`` (``1h2m3.5s``, ``1.5ms``, ``0s``)."""
    nanos = round(seconds * 1e9)
    if nanos == 0:
        return "0s"
    sign = "-" if nanos < 0 else ""
    nanos = abs(nanos)
    for limit, size, unit, digits in _SMALL_UNITS:
        if nanos < limit:
            return f"{sign}{_trim(f'{nanos / size:.{digits}f}')}{unit}"
    hours, rest = divmod(nanos, 3_600_000_000_000)
    minutes, rest = divmod(rest, 60_000_000_000)
    secs = _trim(f"{rest / 1e9:.9f}")
    if hours:
        return f"{sign}{hours}h{minutes}m{secs}s"
    if minutes:
        return f"{sign}{minutes}m{secs}s"
    return f"{sign}{secs}s"


def time_now(now: datetime | None) -> str:
    return _format_rfc3339(_now(now))


def time_now_utc(now: datetime | None) -> str:
    return _format_rfc3339(_now(now).astimezone(UTC))


def time_since(now: datetime | None, layout: str, start: str, end: str) -> str:
    """The duration from ``start`` to ``end`` (now when empty), both parsed with ``layout``."""

    def parse(text: str) -> datetime:
        return _rfc3339(time_parse(layout, text)) if layout else _rfc3339(text)

    finish = parse(end) if end else _now(now)
    return go_duration((finish - parse(start)).total_seconds())


def _rfc3339(text: str) -> datetime:
    return parse_rfc3339(text)


def _format_rfc3339(value: datetime) -> str:
    return format_rfc3339(value)


def time_parse(layout: str, text: str) -> str:
    """``time.Parse(layout, text)`` as RFC 3339 (the offset kept); a numeric layout reads Unix
    seconds."""
    if layout.isdigit():
        return _format_rfc3339(datetime.fromtimestamp(int(text), UTC))
    if layout in ("", "2006-01-02T15:04:05Z07:00"):
        return _format_rfc3339(_rfc3339(text))
    return _format_rfc3339(parse_layout(layout, text))


def time_utc(text: str) -> str:
    return _format_rfc3339(_rfc3339(text).astimezone(UTC))


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


def time_diff(a: str, b: str) -> str:
    return go_duration((_rfc3339(b) - _rfc3339(a)).total_seconds())


def time_truncate(text: str, duration: str) -> str:
    step = parse_duration(duration)
    if not step:
        raise ValueError(f"invalid duration {duration!r}")
    value = _rfc3339(text)
    epoch = value.timestamp()
    truncated = datetime.fromtimestamp(epoch - epoch % float(step), UTC)
    return _format_rfc3339(truncated.astimezone(value.tzinfo))


def time_to_cron(text: str) -> str:
    value = _rfc3339(text)
    return f"{value.minute} {value.hour} {value.day} {value.month} {(value.weekday() + 1) % 7}"


def image_normalize(image: str) -> str:
    """Kyverno's ``GetImageInfo(...).String()``: ``docker.io/`` added to a name without a
    registry (no ``library/``), ``:latest`` without a tag; a digest replaces the tag."""
    if not image.strip():
        raise ValueError(f"bad image: docker.io/{image}: invalid reference format")
    first, _, rest = image.partition("/")
    if not rest or not ("." in first or ":" in first or first == "localhost"):
        image = f"docker.io/{image}"
    name, at, digest = image.partition("@")
    if at:
        last = name.rsplit("/", 1)[-1]
        if ":" in last:
            name = name[: len(name) - len(last)] + last.split(":", 1)[0]
        return f"{name}@{digest}"
    if ":" not in image.rsplit("/", 1)[-1]:
        image += ":latest"
    return image
