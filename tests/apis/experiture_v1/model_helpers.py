"""Shared fixtures for the unit tests of the lifecycle model (state_machine/model).

Everything here is written from the documents (seed files 000-003) and openapi/experiture-v1/decisions.md:
the error codes are spelled out literally (not imported from the model) so a typo in codes.py shows.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from state_machine.apis.experiture_v1.model import Audience, Call, Campaign, Decision, Template, Tenant, World, decide
from state_machine.apis.experiture_v1.model.envelope import render

NOW = datetime(2026, 4, 25, 10, 0, tzinfo=timezone.utc)

# --- error codes, as the documents spell them ------------------------------------------------------
_C = "JOURNEY_API.PUBLIC.CAMPAIGNS."
_S = "JOURNEY_API.SCHEDULE."
NOT_FOUND = _C + "NOT_FOUND"                                   # 001, 002
NOT_DRAFT = _C + "NOT_DRAFT"                                   # 001, 002
TYPE_UNSUPPORTED = _C + "TYPE_UNSUPPORTED"                     # 000, 001
SUMMARY_TYPE_UNSUPPORTED = _C + "SUMMARY_TYPE_UNSUPPORTED"     # 000, 003
SUMMARY_UNAVAILABLE = _C + "SUMMARY_UNAVAILABLE"               # 002
CONTENT_REQUIRED = _C + "CONTENT.REQUIRED"                     # 001
AUDIENCE_REQUIRED = _C + "AUDIENCE.REQUIRED"                   # 001
VERSION_MISSING = _C + "VERSION_MISSING"                       # 001
SEND_AT_REQUIRED = _S + "SEND_AT_REQUIRED"                     # 001
SEND_AT_INVALID = _S + "SEND_AT_INVALID"                       # 001
BATCH_DATE_REQUIRED = _S + "BATCH_DATE_REQUIRED"               # 001
BATCH_DATE_INVALID = _S + "BATCH_DATE_INVALID"                 # 001
INVALID_FOR_CHANNEL = _S + "INVALID_FOR_CHANNEL"               # 001
UNSUPPORTED_CHANNEL = _S + "UNSUPPORTED_CHANNEL"               # 001
PREFLIGHT_BLOCKERS = "JOURNEY_API.BROADCASTS.SCHEDULE.PREFLIGHT_BLOCKERS"  # 001
VALIDATION_FAILED = _C + "VALIDATION_FAILED"                   # decisions (inferred)
TEMPLATE_NOT_FOUND = _C + "CONTENT.TEMPLATE_NOT_FOUND"         # decisions (inferred)
CHANNEL_MISMATCH = _C + "CONTENT.CHANNEL_MISMATCH"             # decisions (inferred)
IDEMPOTENCY_KEY_INVALID = _C + "IDEMPOTENCY_KEY_INVALID"       # decisions (inferred)
IDEMPOTENCY_KEY_REUSED = _C + "IDEMPOTENCY_KEY_REUSED"         # decisions (inferred)
IDEMPOTENCY_KEY_IN_USE = _C + "IDEMPOTENCY_KEY_IN_USE"         # decisions (inferred)

# --- the world -------------------------------------------------------------------------------------
T1 = "tenant-one"   # has a default timezone
T2 = "tenant-two"   # has none
T1_ZONE = "America/Chicago"


def _uuid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


TPL_EMAIL = _uuid(101)
TPL_EMAIL_2 = _uuid(102)
TPL_EMAIL_DRAFT = _uuid(103)          # unpublished
TPL_EMAIL_NONCOMPLIANT = _uuid(104)   # published, with a compliance issue
TPL_SMS = _uuid(105)
TPL_PUSH = _uuid(106)
TPL_DM = _uuid(107)
TPL_T2_EMAIL = _uuid(108)             # other tenant's
TPL_T2_DM = _uuid(109)
TEMPLATE_FOR = {"email": TPL_EMAIL, "sms": TPL_SMS, "push": TPL_PUSH, "direct_mail": TPL_DM}

AUD_A = _uuid(201)            # segment, 1000 profiles
AUD_B = _uuid(202)            # audience, 400 profiles
AUD_C = _uuid(203)            # audience, 250 profiles
AUD_REACH_FAILS = _uuid(204)
AUD_EXEC_FAILS = _uuid(205)
AUD_T2 = _uuid(206)
AUD_UNKNOWN = _uuid(299)      # in no tenant


def make_world() -> World:
    w = World()
    w.tenants = {T1: Tenant(T1, default_timezone=T1_ZONE), T2: Tenant(T2)}
    for t in (
        Template(TPL_EMAIL, T1, "Spring email v1", "email"),
        Template(TPL_EMAIL_2, T1, "Spring email v2", "email"),
        Template(TPL_EMAIL_DRAFT, T1, "Email draft", "email", status="draft"),
        Template(TPL_EMAIL_NONCOMPLIANT, T1, "No unsubscribe", "email", compliance_issue="no unsubscribe link"),
        Template(TPL_SMS, T1, "Spring sms", "sms"),
        Template(TPL_PUSH, T1, "Spring push", "push"),
        Template(TPL_DM, T1, "Spring DM v3", "direct_mail"),
        Template(TPL_T2_EMAIL, T2, "T2 email", "email"),
        Template(TPL_T2_DM, T2, "T2 DM", "direct_mail"),
    ):
        w.templates[t.id] = t
    for a in (
        Audience(AUD_A, T1, "Lapsed buyers", "segment", 1000),
        Audience(AUD_B, T1, "VIP", "audience", 400),
        Audience(AUD_C, T1, "Newsletter", "audience", 250),
        Audience(AUD_REACH_FAILS, T1, "Broken reach", "segment", 300, reach_fails=True),
        Audience(AUD_EXEC_FAILS, T1, "Bounces", "audience", 600, execution_fails=True),
        Audience(AUD_T2, T2, "T2 audience", "audience", 500),
    ):
        w.audiences[a.id] = a
    return w


class Ids:
    """A deterministic `new_id`: campaign/version/... ids are UUID-shaped, touchpoints are integers."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, kind: str) -> str:
        self.n += 1
        if kind == "touchpoint":
            return str(100 + self.n)
        return f"{self.n:08d}-0000-4000-8000-{len(kind):012d}"


def entry(audience_id: str, type_: str = "audience") -> dict[str, str]:
    return {"audienceId": audience_id, "type": type_}


def at(seconds: float = 0, *, days: float = 0) -> datetime:
    return NOW + timedelta(seconds=seconds, days=days)


class Api:
    """A world plus a clock: `call` decides and (by default) applies the decision."""

    def __init__(self, tenant: str = T1, now: datetime = NOW) -> None:
        self.world = make_world()
        self.tenant = tenant
        self.now = now
        self.ids = Ids()

    def call(self, operation: str, campaign_id: str | None = None, body: dict[str, Any] | None = None, *,
             query: dict[str, Any] | None = None, tenant: str | None = None, when: datetime | None = None,
             apply: bool = True) -> Decision:
        d = decide(self.world, Call(operation, tenant or self.tenant, when or self.now, campaign_id,
                                    body or {}, query or {}, self.ids))
        if apply:
            self.world.apply(d.changes)
        return d

    def create(self, channel: str = "email", name: str = "Spring Re-engagement", **body: Any) -> str:
        d = self.call("createCampaign", body={"name": name, "channel": channel, **body})
        assert d.status == 201, render(d)
        return d.data["campaignId"]

    def ready(self, channel: str = "email", *, include: tuple[str, ...] = (AUD_A,), template: str | None = None,
              schedule: dict[str, Any] | None = None) -> str:
        """A draft with an included audience, a published template and (optionally) a schedule intent."""
        cid = self.create(channel)
        assert self.call("replaceCampaignAudience", cid, {"include": [entry(a) for a in include]}).status == 200
        d = self.call("replaceCampaignContent", cid, {"templateId": template or TEMPLATE_FOR[channel]})
        assert d.status == 200, render(d)
        if schedule is not None:
            d = self.call("setCampaignSchedule", cid, schedule)
            assert d.status == 200, render(d)
        return cid


def inject(api: "Api", **fields: Any) -> str:
    """Put a campaign record straight into the world (for states the API cannot create)."""
    values: dict[str, Any] = dict(id="c0ffee00-0000-4000-8000-000000000001", tenant=T1, name="Injected",
                                  channel="email", created_at=NOW, updated_at=NOW,
                                  version_id="c0ffee00-0000-4000-8000-0000000000aa")
    values.update(fields)
    c = Campaign(**values)
    api.world.campaigns[c.id] = c
    return c.id


def codes_of(d: Decision) -> set[str | None]:
    return {code for _, code in d.acceptable}


def assert_error(d: Decision, status: int, code: str) -> None:
    assert d.error is not None, f"expected {status} {code}, got success {d.status}: {d.data}"
    assert (d.status, d.error.code) == (status, code), f"expected {status} {code}, got {d.status} {d.error.code}"
    assert (status, code) in d.acceptable
    assert d.changes == {}, "a refused call must change nothing"
