"""The state the model reasons about: tenants, their templates and audiences, and campaigns.

Records are frozen: an operation never mutates one, it returns replacements (see `Decision.changes`),
so a rejected request cannot leave anything half-written. Reach and execution progress are not stored:
they are derived from these records and the injected `now` (see reach.py, execution.py).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from .index import Campaigns


@dataclass(frozen=True)
class Tenant:
    id: str
    default_timezone: str | None = None  # 001: direct mail falls back to it, then to UTC


@dataclass(frozen=True)
class Template:
    id: str
    tenant: str
    name: str
    channel: str
    status: str = "published"  # "published" or "draft" (unpublished)
    compliance_issue: str | None = None  # a preflight blocker carried by the template, e.g. no unsubscribe link

    @property
    def published(self) -> bool:
        return self.status == "published"


@dataclass(frozen=True)
class Audience:
    id: str
    tenant: str
    name: str
    type: str  # "audience" | "segment"
    size: int
    reach_fails: bool = False  # its reach evaluation always ends "failed"
    execution_fails: bool = False  # an execution that targets it ends "failed"


@dataclass(frozen=True)
class AudienceEntry:
    audience_id: str
    type: str


@dataclass(frozen=True)
class ScheduleIntent:
    """What PUT /schedule stored (001): the timestamp model or the direct-mail batch-date model."""

    mode: str  # now | at | batch_on_date
    timezone: str
    send_at: datetime | None = None
    batch_date: str | None = None  # YYYY-MM-DD
    timezone_source: str | None = None  # direct mail only: request | tenant_default | utc_fallback

    @property
    def kind(self) -> str:
        return "direct_mail_batch" if self.mode == "batch_on_date" else "digital_send"


@dataclass(frozen=True)
class Job:
    """A committed schedule or send job (001). One per campaign: after it the campaign is not a draft."""

    kind: str  # "schedule" | "send"
    created_at: datetime
    due_at: datetime  # when execution is due to start
    timezone: str
    version_id: str
    schedule_id: str
    manifest_id: str
    execution_id: str
    touchpoint_id: int
    planned: int  # records that will enter the pipeline
    fails: bool  # the execution will end "failed"
    send_at: datetime | None = None
    batch_date: str | None = None


@dataclass(frozen=True)
class PreflightCheck:
    id: str
    status: str  # pass | warn | block
    message: str


@dataclass(frozen=True)
class PreflightResult:
    status: str  # passed | blocked
    checks: tuple[PreflightCheck, ...]
    evaluated_at: datetime


@dataclass(frozen=True)
class ReachSnapshot:
    """The last completed "ok" evaluation, kept so a later failure can show the previous count (002)."""

    count: int
    evaluated_at: datetime


@dataclass(frozen=True)
class Campaign:
    id: str
    tenant: str
    name: str
    channel: str
    created_at: datetime
    updated_at: datetime
    campaign_type: str = "broadcast"
    description: str | None = None
    category: str = "general"
    tags: tuple[str, ...] = ("general",)
    authoring_status: str = "draft"
    version_id: str | None = None
    include: tuple[AudienceEntry, ...] = ()
    exclude: tuple[AudienceEntry, ...] = ()
    audience_bound_at: datetime | None = None
    previous_reach: ReachSnapshot | None = None
    template_id: str | None = None
    schedule: ScheduleIntent | None = None
    job: Job | None = None
    preflight: PreflightResult | None = None
    archived_at: datetime | None = None
    deleted_at: datetime | None = None
    state_missing: bool = False  # "missing required persisted state" (002: SUMMARY_UNAVAILABLE)

    def but(self, **changes: Any) -> "Campaign":
        return replace(self, **changes)


@dataclass
class World:
    """Everything one API deployment holds. Campaign records are replaced, never mutated."""

    tenants: dict[str, Tenant] = field(default_factory=dict)
    templates: dict[str, Template] = field(default_factory=dict)
    audiences: dict[str, Audience] = field(default_factory=dict)
    campaigns: Campaigns = field(default_factory=Campaigns)

    def __post_init__(self) -> None:
        if not isinstance(self.campaigns, Campaigns):  # a plain dict of records: index it
            self.campaigns = Campaigns(self.campaigns)

    def apply(self, changes: Mapping[str, Campaign]) -> None:
        self.campaigns.update(changes)

    def template(self, tenant: str, template_id: str | None) -> Template | None:
        t = self.templates.get(template_id) if template_id else None
        return t if t is not None and t.tenant == tenant else None

    def audience(self, tenant: str, audience_id: str) -> Audience | None:
        a = self.audiences.get(audience_id)
        return a if a is not None and a.tenant == tenant else None
