"""Reading and writing the API's time values: ISO 8601 timestamps, YYYY-MM-DD dates, IANA zones."""
from __future__ import annotations

import functools
import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = timezone.utc
# RFC 3339 (the profile of ISO 8601 that OpenAPI's date-time format names): an offset is required,
# so a timestamp cannot be read two ways.
_TIMESTAMP = re.compile(
    r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_timestamp(value: object) -> datetime | None:
    """The aware datetime an ISO 8601 timestamp names, or None when it is malformed."""
    if not isinstance(value, str):
        return None
    m = _TIMESTAMP.match(value)
    if not m:
        return None
    whole, fraction, offset = m.groups()
    text = whole + ("." + fraction[:6].ljust(6, "0") if fraction else "")
    text += "+00:00" if offset == "Z" else offset
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def parse_date(value: object) -> date | None:
    """The calendar date a YYYY-MM-DD string names, or None when it is malformed."""
    if not isinstance(value, str) or not _DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def zone(name: object) -> ZoneInfo | None:
    """The IANA zone of that name, or None when there is none."""
    if not isinstance(name, str) or not name or len(name) > 64:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def iso(moment: datetime | None) -> str | None:
    """The API's timestamp form, as in the documents' examples: `2026-05-01T09:00:00.000Z`."""
    if moment is None:
        return None
    return _iso(moment)


@functools.lru_cache(maxsize=4096)  # answers render the same few instants again and again (createdAt, ...)
def _iso(moment: datetime) -> str:
    # Equal instants in other zones hash and compare equal, and give the same text: a shared entry is right.
    utc = moment.astimezone(UTC)
    if utc.year >= 1000:  # isoformat truncates to milliseconds as the form wants, and is C (strftime is slow)
        return utc.isoformat(timespec="milliseconds")[:-6] + "Z"
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def start_of_day(day: date, tz: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=tz)


def seconds(n: float) -> timedelta:
    return timedelta(seconds=n)
