"""The mock's built-in data: tenants, tokens, templates, audiences and campaigns in every state the
documents name, so that every documented error code is reachable by a documented request.

Ids are fixed, so a README walkthrough or a test can name them. The ids of the documents' own examples
(001, 002, 003) are fixtures too, so those examples run unchanged but for base URL and token.
Campaign times are set around the clock's `now` when the fixtures are (re)built.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from state_machine.plugin import Fixture, Token

from .model.records import (
    Audience,
    AudienceEntry,
    Campaign,
    Job,
    ScheduleIntent,
    Template,
    Tenant,
    World,
)

ALL_SCOPES = ("campaigns:read", "campaigns:create", "campaigns:update", "campaigns:delete",
              "campaigns:schedule", "campaigns:send", "analytics:read")

T1, T2 = "t1", "t2"


def tokens() -> list[Token]:
    out = [
        Token("full", "mock-token-full", T1, ALL_SCOPES),
        Token("reader", "mock-token-reader", T1, ("campaigns:read", "analytics:read")),
        Token("no_scopes", "mock-token-no-scopes", T1, ()),
        Token("other_tenant", "mock-token-other-tenant", T2, ALL_SCOPES),
        Token("rate_limited", "mock-token-rate-limited", T1, ALL_SCOPES, requests_per_minute=5),
    ]
    out += [Token("scope_" + s.replace(":", "_"), "mock-token-scope-" + s.replace(":", "-"), T1, (s,))
            for s in ALL_SCOPES]
    return out


# Templates: (id, tenant, name, channel, status, compliance issue, role)
TEMPLATES = [
    ("5e3a1c2d-0000-4000-8000-000000000001", T1, "Welcome email", "email", "published", None, "published"),
    ("5e3a1c2d-0000-4000-8000-000000000002", T1, "Flash sale SMS", "sms", "published", None, "published"),
    ("5e3a1c2d-0000-4000-8000-000000000003", T1, "App push", "push", "published", None, "published"),
    ("5e3a1c2d-0000-4000-8000-000000000004", T1, "Postcard", "direct_mail", "published", None, "published"),
    ("bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb", T1, "Spring DM v3", "direct_mail", "published", None,
     "doc_example"),  # 003 summary example
    ("5e3a1c2d-0000-4000-8000-000000000005", T1, "Unfinished email", "email", "draft", None, "unpublished"),
    ("5e3a1c2d-0000-4000-8000-000000000006", T1, "Email without unsubscribe link", "email", "published",
     "the email has no unsubscribe link", "compliance_blocker"),
    ("5e3a1c2d-0000-4000-8000-000000000007", T2, "Globex email", "email", "published", None, "published"),
]

# Audiences: (id, tenant, name, type, size, reach fails, execution fails, role)
AUDIENCES = [
    ("a1b2c3d4-0000-0000-0000-000000000001", T1, "Spring lapsed buyers", "segment", 12000, False, False, "ok"),
    ("a1b2c3d4-0000-0000-0000-000000000002", T1, "Newsletter subscribers", "audience", 6432, False, False, "ok"),
    ("a1b2c3d4-0000-0000-0000-000000000099", T1, "Do not contact", "audience", 800, False, False, "ok"),
    ("aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa", T1, "Direct mail responders", "segment", 18432, False, False, "ok"),
    ("a1b2c3d4-0000-4000-8000-0000000000f1", T1, "Segment whose evaluation fails", "segment", 5000, True, False,
     "reach_fails"),
    ("a1b2c3d4-0000-4000-8000-0000000000f2", T1, "Audience whose delivery fails", "audience", 2000, False, True,
     "execution_fails"),
    ("a1b2c3d4-0000-4000-8000-000000000201", T2, "Globex customers", "audience", 900, False, False, "ok"),
]

DOC_EXAMPLE_CAMPAIGN = "4130bada-9264-465f-bc0c-a26bebcfcc81"  # 001, 002, 003


def build(now: datetime) -> Fixture:
    """The fixtures as of `now`."""
    world = World(tenants={T1: Tenant(T1, default_timezone="America/New_York"), T2: Tenant(T2)})
    for tid, tenant, name, channel, status, issue, _ in TEMPLATES:
        world.templates[tid] = Template(tid, tenant, name, channel, status, issue)
    for aid, tenant, name, kind, size, reach_fails, exec_fails, _ in AUDIENCES:
        world.audiences[aid] = Audience(aid, tenant, name, kind, size, reach_fails, exec_fails)

    roles: list[dict] = []
    days = lambda n: now - timedelta(days=n)  # noqa: E731
    seg = (AudienceEntry("a1b2c3d4-0000-0000-0000-000000000001", "segment"),)
    email_tpl = "5e3a1c2d-0000-4000-8000-000000000001"

    def add(role: str, c: Campaign, **extra) -> None:
        world.campaigns[c.id] = c
        roles.append({"id": c.id, "role": role, "tenant": c.tenant, "channel": c.channel,
                      "campaignType": c.campaign_type, "authoringStatus": c.authoring_status, **extra})

    def campaign(cid: str, name: str, channel: str, age_days: int, **kw) -> Campaign:
        created = days(age_days)
        kw.setdefault("version_id", cid[:-12] + "00000000ffff")
        return Campaign(id=cid, tenant=kw.pop("tenant", T1), name=name, channel=channel, created_at=created,
                        updated_at=created, **kw)

    def job(cid: str, due: datetime, planned: int, fails: bool = False, **kw) -> Job:
        return Job(kind="schedule", created_at=due - timedelta(days=1), due_at=due, timezone="UTC",
                   version_id=cid[:-12] + "00000000ffff", schedule_id=cid[:-12] + "00000000aaaa",
                   manifest_id=cid[:-12] + "00000000bbbb", execution_id=cid[:-12] + "00000000cccc",
                   touchpoint_id=100, planned=planned, fails=fails, **kw)

    add("draft_direct_mail", campaign(DOC_EXAMPLE_CAMPAIGN, "Spring Re-engagement Direct Mail", "direct_mail", 1))
    add("draft_email", campaign("c0000000-0000-4000-8000-000000000001", "Autumn newsletter", "email", 2))
    add("unsupported_type", campaign("c0000000-0000-4000-8000-000000000002", "Onboarding journey", "email", 30,
                                     campaign_type="journey"))
    add("unsupported_type", campaign("c0000000-0000-4000-8000-000000000003", "Cart abandonment", "sms", 30,
                                     campaign_type="triggered"))
    add("summary_unavailable", campaign("c0000000-0000-4000-8000-000000000004", "Half-migrated campaign",
                                        "email", 40, state_missing=True))
    add("version_missing", campaign("c0000000-0000-4000-8000-000000000005", "Campaign without a version",
                                    "email", 5, version_id=None, include=seg, audience_bound_at=days(5),
                                    template_id=email_tpl))
    add("preflight_blockers", campaign("c0000000-0000-4000-8000-000000000006", "Email missing unsubscribe link",
                                       "email", 4, include=seg, audience_bound_at=days(4),
                                       template_id="5e3a1c2d-0000-4000-8000-000000000006"))
    cid = "c0000000-0000-4000-8000-000000000007"
    add("completed", campaign(cid, "Summer sale", "email", 20, authoring_status="published", include=seg,
                              audience_bound_at=days(20), template_id=email_tpl,
                              schedule=ScheduleIntent("at", "UTC", send_at=days(10)),
                              job=job(cid, days(10), 12000, send_at=days(10))))
    cid = "c0000000-0000-4000-8000-000000000008"
    failing = (AudienceEntry("a1b2c3d4-0000-4000-8000-0000000000f2", "audience"),)
    add("failed", campaign(cid, "Flash sale SMS blast", "sms", 15, authoring_status="published", include=failing,
                           audience_bound_at=days(15), template_id="5e3a1c2d-0000-4000-8000-000000000002",
                           job=job(cid, days(8), 2000, fails=True, send_at=days(8))))
    cid = "c0000000-0000-4000-8000-000000000009"
    due = now + timedelta(days=7)
    add("scheduled", campaign(cid, "Black Friday preview", "email", 3, authoring_status="published", include=seg,
                              audience_bound_at=days(3), template_id=email_tpl,
                              schedule=ScheduleIntent("at", "UTC", send_at=due),
                              job=job(cid, due, 12000, send_at=due)))
    add("other_tenant", campaign("c0000000-0000-4000-8000-000000000201", "Globex welcome", "email", 2, tenant=T2))
    return Fixture(world, tokens(), profile_fixtures(roles))


def profile_fixtures(campaign_roles: list[dict]) -> dict:
    """The `fixtures` block of the target profile: ids the suite may use, with what each is for."""
    return {
        "templates": [{"id": t[0], "tenant": t[1], "channel": t[3], "status": t[4], "role": t[6]}
                      for t in TEMPLATES],
        "audiences": [{"id": a[0], "tenant": a[1], "type": a[3], "reach": "fails" if a[5] else "ok",
                       "execution": "fails" if a[6] else "ok", "role": a[7]} for a in AUDIENCES],
        "campaigns": campaign_roles,
        "tenants": [{"id": T1, "defaultTimezone": "America/New_York"}, {"id": T2, "defaultTimezone": None}],
    }


UNKNOWN_SIZE = 1000  # a profile's audiences have no size; counts are never compared exactly


def world_from_profile(profile: Any) -> World:
    """The model's starting world: the target's fixture templates and audiences (campaigns come from
    the run itself; fixture campaigns are added per role by the machine when it uses them)."""
    default_tenant = profile.tokens["full"].get("tenant", "t1")
    fixtures = profile.fixtures
    world = World()
    for t in fixtures.get("tenants", []):
        world.tenants[t["id"]] = Tenant(t["id"], t.get("defaultTimezone"))
    for t in fixtures.get("templates", []):
        world.templates[t["id"]] = Template(
            t["id"], t.get("tenant", default_tenant), t.get("name", t["id"]), t["channel"], t.get("status", "published"),
            "blocked by the target's compliance check" if t.get("role") == "compliance_blocker" else None)
    for a in fixtures.get("audiences", []):
        world.audiences[a["id"]] = Audience(a["id"], a.get("tenant", default_tenant), a.get("name", a["id"]),
                                            a.get("type", "audience"), a.get("size", UNKNOWN_SIZE),
                                            a.get("reach") == "fails", a.get("execution") == "fails")
    return world
