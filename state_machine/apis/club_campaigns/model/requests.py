"""Reading request values the schema cannot fully judge: timestamps, zones, the tenant's references."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from state_machine.kernel import ApiError
from state_machine.kernel.times import parse_timestamp, zone

from . import codes
from .records import RecurringSchedule, World
from .values import EMAIL, SMS
from .views import stamp


def timestamp(body: Mapping[str, Any], field: str) -> datetime | ApiError | None:
    """The body's timestamp `field`: None when absent, a 400 when it is not RFC 3339 with an offset."""
    if body.get(field) is None:
        return None
    moment = parse_timestamp(body[field])
    return moment if moment is not None else codes.invalid(field, f"{field} must be an RFC 3339 date-time")


def zone_problem(field: str, name: Any) -> ApiError | None:
    if name is None or zone(name) is not None:
        return None
    return codes.invalid(field, f"{field} {name!r} is not an IANA time zone")


def schedule(raw: Mapping[str, Any], default_zone: str | None) -> RecurringSchedule:
    return RecurringSchedule(frequency=raw["frequency"], time=raw["time"],
                             timezone=raw.get("timezone") or default_zone or "UTC",
                             day_of_week=raw.get("dayOfWeek"))


def future_problem(field: str, moment: datetime, now: datetime) -> ApiError | None:
    """A send time must be strictly after the request's moment (CLUB-CREATE-007, CLUB-SCHED-002)."""
    if moment > now:
        return None
    return codes.error(codes.SCHEDULE_INVALID, f"{field} must be in the future",
                       {"field": field, "scheduledAt": stamp(moment)})


# field -> (what it names, the template channel it must have)
REFERENCES: dict[str, tuple[str, str | None]] = {
    "clubId": ("club", None), "segmentId": ("segment", None),
    "emailTemplateId": ("template", EMAIL), "smsTemplateId": ("template", SMS),
}


def reference_problems(world: World, tenant: str, values: Mapping[str, Any]) -> list[ApiError]:
    """422 UNKNOWN_REFERENCE for each id that names nothing of the tenant (CLUB-CREATE-006). Another
    tenant's record is as unknown as a missing one, so ids do not leak across tenants."""
    problems = []
    for field, (kind, channel) in REFERENCES.items():
        ref = values.get(field)
        if ref is None:
            continue
        row = {"club": world.club, "segment": world.segment, "template": world.template}[kind](tenant, ref)
        if row is None or (channel is not None and getattr(row, "channel", None) != channel):
            why = f"a {channel} template" if channel else f"a {kind}"
            problems.append(codes.error(codes.UNKNOWN_REFERENCE, f"{field} {ref!r} is not {why} of this tenant",
                                        {"field": field, "id": ref}))
    return problems
