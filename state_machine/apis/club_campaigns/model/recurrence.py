"""A RECURRING schedule's next occurrence: the default first send time (CLUB-SCHED-002)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from state_machine.kernel.times import UTC, zone

from .records import RecurringSchedule


def next_occurrence(schedule: RecurringSchedule, after: datetime) -> datetime | None:
    """The first local `time` (on `day_of_week` for weekly) strictly after `after`, in UTC; None when the
    schedule's zone is unknown."""
    tz = zone(schedule.timezone)
    if tz is None:
        return None
    hours, minutes = (int(x) for x in schedule.time.split(":"))
    local = after.astimezone(tz)
    day: date = local.date()
    if schedule.frequency == "weekly" and schedule.day_of_week is not None:
        day += timedelta(days=(schedule.day_of_week - day.isoweekday()) % 7)
    step = timedelta(days=7 if schedule.frequency == "weekly" else 1)
    while True:
        candidate = datetime.combine(day, time(hours, minutes), tzinfo=tz).astimezone(UTC)
        if candidate > after:
            return candidate
        day += step
