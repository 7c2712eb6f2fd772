"""The mock's built-in data: two tenants, their clubs, segments and templates, and campaigns in every
status and type 004 names, so every documented transition and refusal is reachable by a request.

Ids are fixed so a walkthrough or a test can name them; 004's own ids (tenant_123, club_456, segment_456,
template_email_123, template_sms_456, campaign_123, ...) are fixtures, so its examples run unchanged. Times
are set around `now`: built at DOC_EXAMPLE_NOW, campaign_123 reads exactly as 004's Get Campaign example.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from state_machine.plugin import Fixture, Token

from .model import delivery
from .model.records import Campaign, Club, Pause, RecurringSchedule, Segment, Template, Tenant, World
from .model.recurrence import next_occurrence
from .model.values import (
    ACTIVE,
    CANCELLED,
    COMPLETED,
    DRAFT,
    EMAIL,
    JOURNEY,
    ONE_TIME,
    PAUSED,
    RECURRING,
    SCHEDULED,
    SMS,
    TRIGGERED,
)

DOC_EXAMPLE_NOW = datetime(2025, 12, 14, 10, 0, tzinfo=timezone.utc)  # 004's createdAt, startedAt, cancelledAt
T1, T2 = "tenant_123", "tenant_456"
JOHANNESBURG = "Africa/Johannesburg"

TENANTS = [Tenant(T1, "user_123"), Tenant(T2, "user_456")]
CLUBS = [Club("club_456", T1, "Royal Fairways Golf Club", JOHANNESBURG),
         Club("club_789", T1, "Lakeside Bowls Club", JOHANNESBURG),
         Club("club_900", T2, "Northern Padel Club", "Europe/London")]
SEGMENTS = [Segment("segment_456", T1, "Active Golfers", 500),  # 004: segmentName, targetCount 500
            Segment("segment_123", T1, "Junior Members", 1200),
            Segment("segment_789", T1, "Lapsed Members", 80),
            Segment("segment_901", T2, "Padel Regulars", 300)]
TEMPLATES = [Template("template_email_123", T1, "Tournament email", EMAIL),
             Template("template_sms_456", T1, "Tournament SMS", SMS),
             Template("template_email_901", T2, "Padel email", EMAIL)]


def tokens() -> list[Token]:
    # 004 has no scopes: a token is a tenant (CLUB-AUTH-005).
    return [Token("full", "club-token-full", T1),
            Token("other_tenant", "club-token-other-tenant", T2),
            Token("rate_limited", "club-token-rate-limited", T1, requests_per_minute=5)]


def campaigns(now: datetime) -> list[tuple[str, Campaign]]:
    """(role, campaign) as of `now`."""
    hours = lambda n: timedelta(hours=n)  # noqa: E731
    both, email = (EMAIL, SMS), (EMAIL,)

    def campaign(cid: str, name: str, kind: str, status: str, created: datetime, **kw: Any) -> Campaign:
        kw.setdefault("tenant", T1)
        kw.setdefault("club", "club_456")
        kw.setdefault("created_by", "user_123" if kw["tenant"] == T1 else "user_456")
        kw.setdefault("timezone", JOHANNESBURG)
        kw.setdefault("channels", email)
        return Campaign(id=cid, name=name, type=kind, status=status, created_at=created,
                        updated_at=kw.pop("updated_at", created), **kw)

    weekly = RecurringSchedule("weekly", "09:00", JOHANNESBURG, day_of_week=1)  # 004's RECURRING example
    first_monday = next_occurrence(weekly, now - timedelta(days=14))
    return [
        # 004's Get Campaign example, to the field when now = DOC_EXAMPLE_NOW.
        ("doc_example", campaign(
            "campaign_123", "Summer Tournament Promo", ONE_TIME, SCHEDULED, now,
            description="Promotion for upcoming summer tournament", channels=both, segment_id="segment_456",
            email_template_id="template_email_123", sms_template_id="template_sms_456",
            scheduled_at=now + timedelta(days=5, hours=23), target_count=500)),
        ("draft", campaign("campaign_draft_001", "Winter League Kickoff", ONE_TIME, DRAFT, now - hours(2),
                           segment_id="segment_123", email_template_id="template_email_123")),
        ("draft_other_club", campaign("campaign_draft_002", "Bowls Night", ONE_TIME, DRAFT, now - hours(3),
                                      club="club_789", segment_id="segment_789", channels=(SMS,),
                                      sms_template_id="template_sms_456")),
        # Started 30 minutes ago: 250 of 500 sent, as in 004's pause example.
        ("active", campaign("campaign_active_001", "Club Championship Entries", ONE_TIME, ACTIVE, now - hours(24),
                            channels=both, segment_id="segment_456", email_template_id="template_email_123",
                            sms_template_id="template_sms_456", started_at=now - hours(0.5), target_count=500)),
        ("paused", campaign("campaign_paused_001", "Spring Social Mixer", ONE_TIME, PAUSED, now - hours(26),
                            segment_id="segment_789", email_template_id="template_email_123",
                            started_at=now - hours(2), target_count=80, pauses=(Pause(now - hours(1.5)),))),
        ("completed", campaign("campaign_completed_001", "Autumn Open Results", ONE_TIME, COMPLETED,
                               now - timedelta(days=4), channels=both, segment_id="segment_456",
                               email_template_id="template_email_123", sms_template_id="template_sms_456",
                               started_at=now - timedelta(days=3), target_count=500,
                               completed_at=now - timedelta(days=3) + hours(1))),
        ("cancelled", campaign("campaign_cancelled_001", "Members' Day Invite", ONE_TIME, CANCELLED, now - hours(48),
                               channels=(SMS,), segment_id="segment_123", sms_template_id="template_sms_456",
                               scheduled_at=now + hours(24), target_count=1200, cancelled_at=now - hours(1))),
        ("recurring", campaign("campaign_recurring_001", "Weekly Tee Times", RECURRING, ACTIVE,
                               first_monday - timedelta(days=1), segment_id="segment_789",
                               email_template_id="template_email_123", schedule=weekly,
                               scheduled_at=first_monday, started_at=first_monday, target_count=80)),
        ("triggered", campaign("campaign_triggered_001", "Tier Upgrade Congratulations", TRIGGERED, ACTIVE,
                               now - hours(30), email_template_id="template_email_123",
                               trigger_event="scl.member.tier.changed", trigger_conditions={"reason": "upgrade"},
                               started_at=now - hours(24), target_count=0)),
        ("journey", campaign("campaign_journey_001", "Welcome Journey: Day 1", JOURNEY, ACTIVE, now - hours(1),
                             segment_id="segment_123", email_template_id="template_email_123",
                             journey_id="journey_001", started_at=now - timedelta(minutes=20), target_count=1200)),
        ("other_tenant", campaign("campaign_other_001", "Padel Ladder Launch", ONE_TIME, DRAFT, now - hours(5),
                                  tenant=T2, club="club_900", timezone="Europe/London", segment_id="segment_901",
                                  email_template_id="template_email_901")),
    ]


def build(now: datetime) -> Fixture:
    """The fixtures as of `now`."""
    world = World(tenants={t.id: t for t in TENANTS}, clubs={c.id: c for c in CLUBS},
                  segments={s.id: s for s in SEGMENTS}, templates={t.id: t for t in TEMPLATES})
    roles = []
    for role, c in campaigns(now):
        world.campaigns[c.id] = c
        roles.append({"id": c.id, "role": role, "status": delivery.status(world, c, now), "type": c.type,
                      "tenant": c.tenant})
    return Fixture(world, tokens(), profile_fixtures(roles))


def profile_fixtures(campaign_roles: list[dict[str, Any]]) -> dict[str, Any]:
    """The `fixtures` block of a target profile: the ids a suite may use, with what each is for."""
    return {
        "tenants": [{"id": t.id, "user": t.user} for t in TENANTS],
        "clubs": [{"id": c.id, "tenant": c.tenant, "name": c.name, "timezone": c.timezone} for c in CLUBS],
        "segments": [{"id": s.id, "tenant": s.tenant, "name": s.name, "size": s.size} for s in SEGMENTS],
        "templates": [{"id": t.id, "tenant": t.tenant, "channel": t.channel} for t in TEMPLATES],
        "campaigns": campaign_roles,
    }


UNKNOWN_SIZE = 100  # a profile's segment without a size: counts are then never compared exactly


def world_from_profile(profile: Any) -> World:
    """The model's starting world from a target profile: its tenants, clubs, segments and templates.
    Campaigns come from the run itself (a machine adds a fixture campaign by role when it uses one)."""
    default_tenant = profile.tokens["full"].get("tenant", T1)
    fixtures = profile.fixtures
    world = World()
    for token in profile.tokens.values():
        tenant = token.get("tenant", default_tenant)
        world.tenants.setdefault(tenant, Tenant(tenant, f"user_{tenant}"))
    for t in fixtures.get("tenants", []):
        world.tenants[t["id"]] = Tenant(t["id"], t.get("user", f"user_{t['id']}"))
    for c in fixtures.get("clubs", []):
        world.clubs[c["id"]] = Club(c["id"], c.get("tenant", default_tenant), c.get("name", c["id"]),
                                    c.get("timezone", "UTC"))
    for s in fixtures.get("segments", []):
        world.segments[s["id"]] = Segment(s["id"], s.get("tenant", default_tenant), s.get("name", s["id"]),
                                          s.get("size", UNKNOWN_SIZE))
    for t in fixtures.get("templates", []):
        world.templates[t["id"]] = Template(t["id"], t.get("tenant", default_tenant), t.get("name", t["id"]),
                                            t["channel"])
    return world
