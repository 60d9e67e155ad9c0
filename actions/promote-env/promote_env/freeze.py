"""Freeze windows: when promotions and rollbacks are blocked. Pure (the clock is a parameter).

One window a line, the zone an IANA name (``zoneinfo``; UTC when omitted)::

    2026-12-20T00:00/2027-01-04T00:00 Europe/Berlin     an absolute interval
    Fri 16:00 - Mon 08:00 Europe/Berlin                  every week

Times are wall-clock times in the zone, start included, end excluded. Blank lines and lines
starting with ``#`` are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from relkit.errors import ConfigError

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_ABSOLUTE = re.compile(
    r"^(?P<start>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)\s*/\s*"
    r"(?P<end>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\s+(?P<zone>\S+))?$"
)
_WEEKLY = re.compile(
    r"^(?P<d1>[A-Za-z]{3})\s+(?P<t1>\d{1,2}:\d{2})\s*-\s*"
    r"(?P<d2>[A-Za-z]{3})\s+(?P<t2>\d{1,2}:\d{2})(?:\s+(?P<zone>\S+))?$"
)
_FORMS = (
    "'2026-12-20T00:00/2027-01-04T00:00 Europe/Berlin' or 'Fri 16:00 - Mon 08:00 Europe/Berlin'"
)


@dataclass(frozen=True, slots=True)
class Window:
    """One freeze window as written (``text``), parsed."""

    text: str
    zone: tzinfo
    start: datetime | None = None  # absolute: naive wall-clock times in ``zone``
    end: datetime | None = None
    week_start: int = 0  # weekly: minutes since Monday 00:00
    week_end: int = 0

    def contains(self, now: datetime) -> bool:
        local = now.astimezone(self.zone).replace(tzinfo=None)
        if self.start is not None and self.end is not None:
            return self.start <= local < self.end
        minute = local.weekday() * 24 * 60 + local.hour * 60 + local.minute
        if self.week_start <= self.week_end:
            return self.week_start <= minute < self.week_end
        return minute >= self.week_start or minute < self.week_end


def _zone(name: str | None, line: str) -> tzinfo:
    if not name:
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"freeze window {line!r}: unknown time zone {name!r}; use an IANA name such as "
            "Europe/Berlin or UTC"
        ) from None


def _minutes(day: str, clock: str, line: str) -> int:
    names = [d.lower() for d in DAYS]
    if day.lower() not in names:
        raise ConfigError(f"freeze window {line!r}: unknown day {day!r}; use {', '.join(DAYS)}")
    hours, minutes = (int(part) for part in clock.split(":"))
    if hours > 23 or minutes > 59:
        raise ConfigError(f"freeze window {line!r}: {clock!r} is not a time of day (00:00-23:59)")
    return names.index(day.lower()) * 24 * 60 + hours * 60 + minutes


def parse_window(line: str) -> Window:
    text = line.strip()
    absolute = _ABSOLUTE.match(text)
    if absolute:
        zone = _zone(absolute["zone"], text)
        try:
            start = datetime.fromisoformat(absolute["start"])
            end = datetime.fromisoformat(absolute["end"])
        except ValueError as exc:
            raise ConfigError(f"freeze window {text!r}: {exc}; expected {_FORMS}") from None
        if end <= start:
            raise ConfigError(f"freeze window {text!r}: the end must come after the start")
        return Window(text, zone, start=start, end=end)
    weekly = _WEEKLY.match(text)
    if weekly:
        zone = _zone(weekly["zone"], text)
        first = _minutes(weekly["d1"], weekly["t1"], text)
        last = _minutes(weekly["d2"], weekly["t2"], text)
        if first == last:
            raise ConfigError(f"freeze window {text!r}: start and end are the same moment")
        return Window(text, zone, week_start=first, week_end=last)
    raise ConfigError(f"freeze window {text!r} is malformed; expected one a line: {_FORMS}")


def parse_windows(text: str) -> list[Window]:
    """Every window of the ``freeze-windows`` input; ConfigError naming a malformed line."""
    windows = []
    for line in text.splitlines():
        if line.strip() and not line.strip().startswith("#"):
            windows.append(parse_window(line))
    return windows


def active_window(windows: list[Window], now: datetime) -> Window | None:
    """The first window that contains ``now`` (an aware datetime), or None."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return next((window for window in windows if window.contains(now)), None)
