"""The answers' shapes: the campaign object, the list item, the action results (004's examples).

Every view reads the campaign as settled at `now` (effective status and counts, CLUB-LIFE-012).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from state_machine.kernel.times import UTC

from . import delivery, funnel
from .records import Campaign, RecurringSchedule, World
from .values import JOURNEY, RECURRING, TRIGGERED


def stamp(moment: datetime | None) -> str | None:
    """RFC 3339 in UTC, whole seconds as 004 writes them (`2025-12-20T09:00:00Z`); a fraction only when there
    is one, to the microsecond, so a time read back is the time sent (CLUB-VAL-005)."""
    if moment is None:
        return None
    utc = moment.astimezone(UTC)
    text = utc.strftime("%Y-%m-%dT%H:%M:%S")
    if utc.microsecond:
        text += "." + f"{utc.microsecond:06d}".rstrip("0")
    return text + "Z"


def schedule_view(s: RecurringSchedule) -> dict[str, Any]:
    out: dict[str, Any] = {"frequency": s.frequency}
    if s.day_of_week is not None:
        out["dayOfWeek"] = s.day_of_week
    return {**out, "time": s.time, "timezone": s.timezone}


def campaign_object(world: World, c: Campaign, now: datetime) -> dict[str, Any]:
    """004's Get Campaign shape, plus the lifecycle moments and the type's own fields (CLUB-GET-003)."""
    c = delivery.settle(world, c, now)
    counts = funnel.counts(delivery.sent_count(world, c, now), delivery.primary_channel(c))
    segment = world.segment(c.tenant, c.segment_id)
    out: dict[str, Any] = {
        "id": c.id, "tenantId": c.tenant, "clubId": c.club, "name": c.name, "description": c.description,
        "type": c.type, "status": c.status, "channels": list(c.channels), "segmentId": c.segment_id,
        "segmentName": segment.name if segment else None, "emailTemplateId": c.email_template_id,
        "smsTemplateId": c.sms_template_id, "scheduledAt": stamp(c.scheduled_at), "timezone": c.timezone,
        "targetCount": delivery.target_count(world, c), "sentCount": counts.sent,
        "deliveredCount": counts.delivered, "openedCount": counts.opened, "clickedCount": counts.clicked,
        "createdBy": c.created_by, "createdAt": stamp(c.created_at), "updatedAt": stamp(c.updated_at),
        "startedAt": stamp(c.started_at), "pausedAt": stamp(c.paused_at), "resumedAt": stamp(c.resumed_at),
        "cancelledAt": stamp(c.cancelled_at), "completedAt": stamp(c.completed_at),
    }
    if c.type == RECURRING and c.schedule is not None:
        out["schedule"] = schedule_view(c.schedule)
    if c.type == TRIGGERED:
        out["triggerEvent"] = c.trigger_event
        out["triggerConditions"] = dict(c.trigger_conditions or {})
    if c.type == JOURNEY:
        out["journeyId"] = c.journey_id
    return out


def list_item(world: World, c: Campaign, now: datetime) -> dict[str, Any]:
    """004's List Campaigns item."""
    c = delivery.settle(world, c, now)
    counts = funnel.counts(delivery.sent_count(world, c, now), delivery.primary_channel(c))
    return {"id": c.id, "name": c.name, "type": c.type, "status": c.status, "channels": list(c.channels),
            "segmentId": c.segment_id, "scheduledAt": stamp(c.scheduled_at),
            "targetCount": delivery.target_count(world, c), "sentCount": counts.sent,
            "openRate": funnel.rate(counts.opened, counts.delivered), "createdAt": stamp(c.created_at)}
