"""The state the model reasons about: tenants, their clubs, segments and templates, and campaigns.

Records are frozen: an operation returns replacements (`Decision.changes`), so a refused request leaves
nothing half-written. Progress is not stored: status, counts, stats and interactions are derived from a
campaign record and the injected `now` (delivery.py), so no background job is needed (CLUB-LIFE-012).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol, TypeVar


@dataclass(frozen=True)
class Tenant:
    id: str
    user: str  # the user its tokens act for: a created campaign's createdBy (CLUB-GET-004)


@dataclass(frozen=True)
class Club:
    id: str
    tenant: str
    name: str
    timezone: str  # a new campaign's default timezone (CLUB-CREATE-005)


@dataclass(frozen=True)
class Segment:
    id: str
    tenant: str
    name: str
    size: int  # a campaign's targetCount (CLUB-GET-002)


@dataclass(frozen=True)
class Template:
    id: str
    tenant: str
    name: str
    channel: str  # EMAIL | SMS: the campaign field that may name it (emailTemplateId / smsTemplateId)


@dataclass(frozen=True)
class RecurringSchedule:
    """004's RECURRING schedule object."""

    frequency: str  # daily | weekly
    time: str  # HH:MM local
    timezone: str
    day_of_week: int | None = None  # ISO 8601, 1 = Monday; weekly only


@dataclass(frozen=True)
class Pause:
    paused_at: datetime
    resumed_at: datetime | None = None  # None while the campaign is PAUSED


@dataclass(frozen=True)
class Campaign:
    id: str
    tenant: str
    club: str
    name: str
    type: str
    status: str  # as stored; the effective status is delivery.settle(...)'s
    channels: tuple[str, ...]
    created_by: str
    created_at: datetime
    updated_at: datetime
    description: str | None = None
    segment_id: str | None = None
    email_template_id: str | None = None
    sms_template_id: str | None = None
    timezone: str | None = None
    scheduled_at: datetime | None = None  # ONE_TIME send time, RECURRING first occurrence, TRIGGERED arming
    schedule: RecurringSchedule | None = None
    trigger_event: str | None = None
    trigger_conditions: dict[str, Any] | None = None
    journey_id: str | None = None
    # Fixed when the campaign is scheduled or executed; None while DRAFT (the segment's live size shows).
    target_count: int | None = None
    started_at: datetime | None = None
    # Every pause, oldest first. The sentCount at a pause is not stored: it is the count at paused_at.
    pauses: tuple[Pause, ...] = ()
    cancelled_at: datetime | None = None
    completed_at: datetime | None = None

    def but(self, **changes: Any) -> "Campaign":
        return replace(self, **changes)

    @property
    def paused_at(self) -> datetime | None:
        return self.pauses[-1].paused_at if self.pauses else None

    @property
    def resumed_at(self) -> datetime | None:
        return self.pauses[-1].resumed_at if self.pauses else None


@dataclass
class World:
    """Everything one deployment holds. Campaign records are replaced, never mutated."""

    tenants: dict[str, Tenant] = field(default_factory=dict)
    clubs: dict[str, Club] = field(default_factory=dict)
    segments: dict[str, Segment] = field(default_factory=dict)
    templates: dict[str, Template] = field(default_factory=dict)
    campaigns: dict[str, Campaign] = field(default_factory=dict)

    def apply(self, changes: dict[str, Campaign]) -> None:
        self.campaigns.update(changes)

    # Look-ups scoped by tenant: another tenant's record is as absent as an unknown one.
    def club(self, tenant: str, club_id: str | None) -> Club | None:
        return _own(self.clubs, tenant, club_id)

    def segment(self, tenant: str, segment_id: str | None) -> Segment | None:
        return _own(self.segments, tenant, segment_id)

    def template(self, tenant: str, template_id: str | None) -> Template | None:
        return _own(self.templates, tenant, template_id)

    def campaign(self, tenant: str, campaign_id: str | None) -> Campaign | None:
        return _own(self.campaigns, tenant, campaign_id)


class _Owned(Protocol):
    @property
    def tenant(self) -> str: ...


R = TypeVar("R", bound=_Owned)


def _own(table: Mapping[str, R], tenant: str, key: str | None) -> R | None:
    row = table.get(key) if key else None
    return row if row is not None and row.tenant == tenant else None
