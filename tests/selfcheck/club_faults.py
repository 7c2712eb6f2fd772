"""Deliberately faulty variants of the Club Campaigns mock, each breaking ONE behaviour 004 documents (or
the catalogue decides), and conformant variants that differ only where 004 leaves room.

Built here, in the tests, as faults.py builds the Campaigns API's: by wrapping the decisions of the mock's
request handler (its copy of the plug-in), by rewriting its JSON answers, or by rewriting requests before
they reach it; nothing in the mock knows about them. test_club_faulty_variants.py runs the stateful suite
against each: every fault must be caught with one of the catalogue ids in `catches`, no conformant variant
may be flagged. Each docstring quotes the sentence of 004 (or the catalogue entry) the variant breaks.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pytest

from state_machine.apis.club_campaigns.model import delivery
from state_machine.apis.club_campaigns.model.operations import success
from state_machine.apis.club_campaigns.model.records import Pause, World
from state_machine.apis.club_campaigns.model.values import (
    ACTIVE,
    CANCELLED,
    COMPLETED,
    DRAFT,
    PAUSED,
    SCHEDULED,
    SMS,
)
from state_machine.apis.club_campaigns.model.views import stamp
from state_machine.kernel import Call
from tests.helpers.rewrite_answers import RewriteAnswers

from .faults import wrap_decide

BASE = "/club/v1"
ITEM = re.compile(r"^/club/v1/campaigns/[^/]+$")


@dataclass(frozen=True)
class ClubFault:
    name: str
    catches: tuple[str, ...]  # the catalogue ids a violation must name (any of them)
    install: Callable[[pytest.MonkeyPatch, Any], Any]  # (monkeypatch, app) -> the app to test
    doc: str = ""

    @property
    def breaks(self) -> str:
        return self.doc


def _settled(world: World, call: Call):
    c = world.campaign(call.tenant, call.resource_id)
    return delivery.settle(world, c, call.now) if c is not None else None


def _with(world: World, campaign) -> World:
    return World(world.tenants, world.clubs, world.segments, world.templates, {**world.campaigns, campaign.id: campaign})


def rewrite(fn):
    def install(monkeypatch: pytest.MonkeyPatch, app):
        return RewriteAnswers(app, fn, prefix=BASE)
    return install


# --- decisions --------------------------------------------------------------------------------------

def resume_from_active(world, call, decide):
    """004's table: "| PAUSED | ACTIVE | POST /campaigns/:id/resume |" (resume only from PAUSED). This
    variant also answers resume on an ACTIVE campaign with 200."""
    c = _settled(world, call)
    if call.operation == "resumeCampaign" and c is not None and c.status == ACTIVE:
        return success(200, {"id": c.id, "status": ACTIVE, "resumedAt": stamp(call.now)})
    return decide(world, call)


def pause_from_scheduled(world, call, decide):
    """004: "Pauses an active campaign." (| ACTIVE | PAUSED | POST /campaigns/:id/pause |). This variant
    pauses a SCHEDULED campaign too."""
    c = _settled(world, call)
    if call.operation == "pauseCampaign" and c is not None and c.status == SCHEDULED:
        new = c.but(status=PAUSED, started_at=call.now, pauses=(Pause(call.now),), updated_at=call.now)
        return success(200, {"id": c.id, "status": PAUSED, "pausedAt": stamp(call.now), "sentCount": 0}, {c.id: new})
    return decide(world, call)


def execute_completes(world, call, decide):
    """004's table: "| DRAFT | ACTIVE | POST /campaigns/:id/execute |". This variant's execute moves a DRAFT
    straight to COMPLETED."""
    d = decide(world, call)
    if call.operation == "executeCampaign" and d.ok:
        changes = {k: v.but(status=COMPLETED, completed_at=call.now) for k, v in d.changes.items()}
        return replace(d, data={**d.data, "status": COMPLETED}, changes=changes)
    return d


def segment_change_on_scheduled(world, call, decide):
    """004: "Only DRAFT campaigns can have their segment or templates changed." This variant changes the
    segment (and templates) of a SCHEDULED campaign."""
    c = _settled(world, call)
    if call.operation == "updateCampaign" and c is not None and c.status == SCHEDULED:
        d = decide(_with(world, c.but(status=DRAFT)), call)
        return replace(d, changes={k: v.but(status=SCHEDULED) for k, v in d.changes.items()},
                       data={**d.data, "status": SCHEDULED} if isinstance(d.data, dict) else d.data)
    return decide(world, call)


def pause_does_not_freeze(world, call, decide):
    """004: "Pauses an active campaign." (a paused campaign sends nothing: CLUB-PAUSE-002). This variant
    marks it PAUSED, but its counts go on as if it were still sending."""
    d = decide(world, call)
    c = _settled(world, call)
    if call.operation in ("getCampaign", "getCampaignStats") and d.ok and c is not None and c.status == PAUSED:
        running = c.but(status=ACTIVE, pauses=c.pauses[:-1])
        shadow = decide(_with(world, running), call)
        counts = {k: v for k, v in shadow.data.items() if k.endswith("Count") or k.endswith("Rate")
                  or k in ("byChannel", "timeline")}
        return replace(d, data={**d.data, **counts})
    return d


def resume_resets_sent(world, call, decide):
    """004: "Resumes a paused campaign." (it continues from the count it had: CLUB-RESUME-002, sentCount
    never decreases: CLUB-DELIV-001). This variant starts the send over: sentCount back to 0."""
    d = decide(world, call)
    if call.operation == "resumeCampaign" and d.ok:
        # All the time since the start counts as paused: the active time, and so sentCount, restart at 0.
        return replace(d, changes={k: v.but(pauses=(Pause(v.started_at, v.pauses[-1].paused_at), *v.pauses))
                                   for k, v in d.changes.items()})
    return d


def clicked_total_off(world, call, decide):
    """004: the CLICKED interactions page has meta.total 89, the stats clickedCount 89 (CLUB-INTER-005).
    This variant's CLICKED total is one more than clickedCount."""
    d = decide(world, call)
    if call.operation == "getCampaignInteractions" and d.ok and call.query.get("type") == "CLICKED":
        return replace(d, data={**d.data, "meta": {**d.data["meta"], "total": d.data["meta"]["total"] + 1}})
    return d


def list_ignores_status(world, call, decide):
    """004: List Campaigns "status | string | DRAFT, SCHEDULED, ACTIVE, PAUSED, COMPLETED, CANCELLED" (a
    filter). This variant ignores it."""
    if call.operation == "listCampaigns" and "status" in call.query:
        return decide(world, replace(call, query={k: v for k, v in call.query.items() if k != "status"}))
    return decide(world, call)


def cancel_from_draft(world, call, decide):
    """004: "Cancels a scheduled or active campaign." (the table: from SCHEDULED or PAUSED). This variant
    cancels a DRAFT too."""
    c = _settled(world, call)
    if call.operation == "cancelCampaign" and c is not None and c.status == DRAFT:
        new = c.but(status=CANCELLED, cancelled_at=call.now, updated_at=call.now)
        return success(200, {"id": c.id, "status": CANCELLED, "cancelledAt": stamp(call.now), "sentCount": 0},
                       {c.id: new})
    return decide(world, call)


def other_tenant_visible(world, call, decide):
    """Catalogue CLUB-AUTH-004: another tenant's campaign answers 404 as an unknown one. This variant
    serves it to any tenant."""
    c = world.campaigns.get(call.resource_id or "")
    if c is not None and c.tenant != call.tenant:
        return decide(world, replace(call, tenant=c.tenant))
    return decide(world, call)


# --- answers ----------------------------------------------------------------------------------------

def _stats(method: str, path: str, status: int) -> bool:
    return method == "GET" and status == 200 and path.endswith("/stats")


def _item(method: str, path: str, status: int) -> bool:
    return method == "GET" and status == 200 and bool(ITEM.match(path))


def scheduled_never_active(method, path, status, body):
    """004's table: "| SCHEDULED | ACTIVE | Automatic at scheduled time |". This variant still shows a
    campaign that started at its scheduledAt as SCHEDULED."""
    if _item(method, path, status) and body.get("status") == ACTIVE and body.get("startedAt") \
            and body.get("startedAt") == body.get("scheduledAt"):
        body["status"] = SCHEDULED
    return status, body


def active_never_completes(method, path, status, body):
    """004's table: "| ACTIVE | COMPLETED | Automatic when all messages sent |". This variant shows a
    campaign that sent everything as ACTIVE."""
    if _item(method, path, status) and body.get("status") == COMPLETED:
        body["status"] = ACTIVE
    return status, body


def paused_shown_active(method, path, status, body):
    """004: "Pauses an active campaign." -> status PAUSED. This variant's Get Campaign shows a paused
    campaign as ACTIVE."""
    if _item(method, path, status) and body.get("status") == PAUSED:
        body["status"] = ACTIVE
    return status, body


def delivery_rate_of_target(method, path, status, body):
    """004's stats: "deliveryRate": 0.9856 = deliveredCount 478 / sentCount 485. This variant divides by
    targetCount."""
    if _stats(method, path, status) and body.get("targetCount"):
        body["deliveryRate"] = round(body["deliveredCount"] / body["targetCount"], 4)
    return status, body


def click_rate_of_delivered(method, path, status, body):
    """004's stats: "clickRate": 0.4140 = clickedCount 89 / openedCount 215. This variant divides by
    deliveredCount."""
    if _stats(method, path, status) and body.get("deliveredCount"):
        body["clickRate"] = round(body["clickedCount"] / body["deliveredCount"], 4)
    return status, body


def timeline_short(method, path, status, body):
    """004's stats timeline (100 + 385 sent = sentCount 485; CLUB-STATS-011). This variant's timeline
    leaves the last message out."""
    if _stats(method, path, status) and body.get("timeline"):
        body["timeline"][-1]["sent"] -= 1
    return status, body


def by_channel_missing_sms(method, path, status, body):
    """004's stats: "byChannel": {"EMAIL": {...}, "SMS": {...}} for a campaign on EMAIL and SMS (one entry per
    channel: CLUB-STATS-008). This variant leaves SMS out."""
    if _stats(method, path, status) and isinstance(body.get("byChannel"), dict) and len(body["byChannel"]) > 1:
        body["byChannel"].pop(SMS, None)
    return status, body


def create_answers_200(method, path, status, body):
    """004: Create Campaign "Response: 201 Created". This variant answers 200."""
    if method == "POST" and path == BASE + "/campaigns" and status == 201:
        return 200, body
    return status, body


class TenantFilled:
    """004: List Campaigns "tenantId | string | Required". This variant lists without it (the token's
    tenant is filled in before the request is validated)."""

    def __init__(self, app) -> None:
        self.app = app
        self.state = getattr(app, "state", None)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == BASE + "/campaigns" \
                and b"tenantId=" not in scope.get("query_string", b""):
            query = scope.get("query_string", b"")
            scope = {**scope, "query_string": (query + b"&" if query else b"") + b"tenantId=tenant_123"}
        await self.app(scope, receive, send)


def list_without_tenant(monkeypatch, app):
    return TenantFilled(app)


# --- conformant variants: 004 leaves room here, none may be flagged ------------------------------------

WHOLE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)Z$")


def _walk(node: Any, fn: Callable[[Any], Any]) -> Any:
    if isinstance(node, dict):
        return {k: _walk(v, fn) for k, v in node.items()}
    if isinstance(node, list):
        return [_walk(v, fn) for v in node]
    return fn(node)


def extra_fields(method, path, status, body):
    """Answers are open (CLUB-VAL-002): every object answer carries a field 004 does not name."""
    if isinstance(body, dict):
        body["serverVersion"] = "2.3.1"
        if isinstance(body.get("data"), list):
            for item in body["data"]:
                if isinstance(item, dict):
                    item["etag"] = "W/\"1\""
    return status, body


def other_detail(method, path, status, body):
    """Error wording is the server's: another `detail` text (the code and status stay)."""
    if status >= 400 and isinstance(body, dict) and "detail" in body:
        body["detail"] = "Request could not be processed."
    return status, body


def millisecond_timestamps(method, path, status, body):
    """Timestamp precision is not contract (CLUB-VAL-005): whole seconds written with .000."""
    return status, _walk(body, lambda v: WHOLE.sub(r"\1.000Z", v) if isinstance(v, str) else v)


FAULTS = [
    ClubFault("resume_from_active", ("CLUB-LIFE-011",), wrap_decide(resume_from_active), resume_from_active.__doc__),
    ClubFault("pause_from_scheduled", ("CLUB-LIFE-011",), wrap_decide(pause_from_scheduled),
              pause_from_scheduled.__doc__),
    ClubFault("execute_completes", ("CLUB-LIFE-003", "CLUB-EXEC-001"), wrap_decide(execute_completes),
              execute_completes.__doc__),
    ClubFault("segment_change_on_scheduled", ("CLUB-UPDATE-002", "CLUB-UPDATE-003"),
              wrap_decide(segment_change_on_scheduled), segment_change_on_scheduled.__doc__),
    ClubFault("scheduled_never_active", ("CLUB-LIFE-004",), rewrite(scheduled_never_active),
              scheduled_never_active.__doc__),
    ClubFault("active_never_completes", ("CLUB-LIFE-007",), rewrite(active_never_completes),
              active_never_completes.__doc__),
    ClubFault("pause_does_not_freeze", ("CLUB-PAUSE-002",), wrap_decide(pause_does_not_freeze),
              pause_does_not_freeze.__doc__),
    ClubFault("resume_resets_sent", ("CLUB-DELIV-001", "CLUB-RESUME-002"), wrap_decide(resume_resets_sent),
              resume_resets_sent.__doc__),
    ClubFault("delivery_rate_of_target", ("CLUB-STATS-002",), rewrite(delivery_rate_of_target),
              delivery_rate_of_target.__doc__),
    ClubFault("click_rate_of_delivered", ("CLUB-STATS-004",), rewrite(click_rate_of_delivered),
              click_rate_of_delivered.__doc__),
    ClubFault("timeline_short", ("CLUB-STATS-011",), rewrite(timeline_short), timeline_short.__doc__),
    ClubFault("clicked_total_off", ("CLUB-INTER-005",), wrap_decide(clicked_total_off), clicked_total_off.__doc__),
    ClubFault("list_ignores_status", ("CLUB-LIST-004",), wrap_decide(list_ignores_status),
              list_ignores_status.__doc__),
    ClubFault("create_answers_200", ("CLUB-CREATE-001",), rewrite(create_answers_200), create_answers_200.__doc__),
    ClubFault("list_without_tenant", ("CLUB-LIST-002",), list_without_tenant, TenantFilled.__doc__),
    ClubFault("cancel_from_draft", ("CLUB-LIFE-011",), wrap_decide(cancel_from_draft), cancel_from_draft.__doc__),
    ClubFault("by_channel_missing_sms", ("CLUB-STATS-008",), rewrite(by_channel_missing_sms),
              by_channel_missing_sms.__doc__),
    ClubFault("paused_shown_active", ("CLUB-LIFE-006", "CLUB-PAUSE-001"), rewrite(paused_shown_active),
              paused_shown_active.__doc__),
    ClubFault("other_tenant_visible", ("CLUB-AUTH-004",), wrap_decide(other_tenant_visible),
              other_tenant_visible.__doc__),
]

CONFORMANT = [
    ClubFault("extra_response_fields", (), rewrite(extra_fields), extra_fields.__doc__),
    ClubFault("other_detail_wording", (), rewrite(other_detail), other_detail.__doc__),
    ClubFault("millisecond_timestamps", (), rewrite(millisecond_timestamps), millisecond_timestamps.__doc__),
]
