"""Target-agnostic scenarios of the Club Campaigns API (004), against the contract target.

Every expected value comes from 004 (or the catalogue entry named by the test's `req` marker): the
transition table, the action answers and their fields, "Only DRAFT campaigns can have their segment or
templates changed", 201 on create, the list's {data} and its filters, the stats funnel, the interactions
meta, tenant isolation. Ids come from the target's profile; each scenario makes its own campaigns. A
scenario that needs to move time runs only on a target whose profile grants clock control.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from state_machine.conformance.clock import TargetClock
from state_machine.kernel.times import parse_timestamp

API = "club-campaigns"
DECIDED_CODES = {"transition": "CLUB.INVALID_TRANSITION", "not_editable": "CLUB.NOT_EDITABLE"}


@pytest.fixture(scope="module")
def club(contract_target, contract_api, contract_record):
    if contract_api.name != API:
        pytest.skip(f"the Club scenarios run against {API}, not {contract_api.name}")
    return Club(contract_target, contract_record)


class Club:
    """The contract target seen through its profile: the full token's tenant and its fixtures."""

    def __init__(self, target, record=None) -> None:
        self.target, self.profile, self.record = target, target.profile, record
        self.token = self.profile.token("full")
        self.tenant = self.profile.tokens["full"].get("tenant")
        self.clock = TargetClock(target)

    def own(self, kind: str, **match: Any) -> list[dict[str, Any]]:
        return [f for f in self.profile.fixtures.get(kind, []) if f.get("tenant", self.tenant) == self.tenant
                and all(f.get(k) == v for k, v in match.items())]

    def call(self, method: str, path: str, body: Any = None, *, token: str | None = "full", params=None):
        return self.target.request(method, path, token=self.profile.token(token) if token else None,
                                   json_body=body, params=params)

    def create(self, **fields: Any) -> dict[str, Any]:
        segments = sorted(self.own("segments"), key=lambda s: s.get("size", 0))
        body = {"tenantId": self.tenant, "clubId": self.own("clubs")[0]["id"], "name": "scenario",
                "type": "ONE_TIME", "channels": ["EMAIL"], "segmentId": segments[0]["id"],
                "emailTemplateId": self.own("templates", channel="EMAIL")[0]["id"], **fields}
        response = self.call("POST", "/campaigns", body)
        if response.is_success and self.record is not None:  # 004 has no delete: the report counts what stays
            self.record.kept["the scenarios"] += 1
        # A precondition of every scenario that creates: its failure is CLUB-CREATE-001's row (004: "Response:
        # 201 Created"), and the scenario's own requirements are blocked by it, not failed.
        assert response.status_code == 201, f"[CLUB-CREATE-001] create answered {response.status_code}, not 201: " \
                                            f"{response.text[:600]}"
        return response.json()

    def act(self, cid: str, action: str, body: Any = None):
        return self.call("POST", f"/campaigns/{cid}/{action}", body)

    def get(self, cid: str) -> dict[str, Any]:
        response = self.call("GET", f"/campaigns/{cid}")
        assert response.status_code == 200, f"[CLUB-GET-001] GET /campaigns/{cid} answered {response.status_code}: " \
                                            f"{response.text[:600]}"
        return response.json()

    def now(self) -> datetime:
        return self.clock.now()

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)


def stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def rate(numerator: int, denominator: int) -> float | None:
    if denominator == 0:
        return None
    return float((Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"), ROUND_HALF_UP))


def needs_clock(club: Club) -> None:
    if not club.clock.control:
        pytest.skip("the target's profile grants no clock control")


def refused(response, code: str) -> None:
    """A transition or edit 004 does not allow: 409 (the catalogue's code, currentStatus when it says so)."""
    assert response.status_code == 409, response.text
    assert response.json().get("code") == code, response.text


# --- create and update -------------------------------------------------------------------------------

@pytest.mark.req("CLUB-CREATE-001", "CLUB-CREATE-002", "CLUB-CREATE-003")
def test_create_answers_201_with_a_draft(club):
    sms = club.own("templates", channel="SMS")
    fields = {"description": "Monthly member newsletter", "channels": ["EMAIL", "SMS"] if sms else ["EMAIL"],
              "timezone": "Africa/Johannesburg"}
    if sms:
        fields["smsTemplateId"] = sms[0]["id"]
    created = club.create(**fields)
    assert created["status"] == "DRAFT" and created["type"] == "ONE_TIME"
    assert club.get(created["id"])["status"] == "DRAFT"


@pytest.mark.req("CLUB-UPDATE-001", "CLUB-UPDATE-002", "CLUB-UPDATE-003")
def test_only_draft_campaigns_can_change_their_segment_or_templates(club):
    """004: "Only DRAFT campaigns can have their segment or templates changed." """
    segments = [s["id"] for s in club.own("segments")]
    draft = club.create()
    other = next(s for s in segments if s != draft["segmentId"])
    response = club.call("PATCH", f"/campaigns/{draft['id']}", {"name": "Updated Campaign Name",
                                                                 "description": "Updated description",
                                                                 "segmentId": other})
    assert response.status_code == 200, f"[CLUB-UPDATE-001] 004's update of a DRAFT answered " \
                                        f"{response.status_code}: {response.text[:300]}"
    assert club.get(draft["id"])["segmentId"] == other, "[CLUB-UPDATE-001] the DRAFT's segment did not change"
    assert club.act(draft["id"], "schedule", {"scheduledAt": stamp(club.now() + timedelta(days=3))}).status_code == 200
    for change in ({"segmentId": draft["segmentId"]},
                   {"emailTemplateId": club.own("templates", channel="SMS")[0]["id"]
                    if club.own("templates", channel="SMS") else "template_x"}):
        response = club.call("PATCH", f"/campaigns/{draft['id']}", change)
        # Refused at all: 004's rule (CLUB-UPDATE-002); with which status and code: the decided answer (003).
        assert not response.is_success, f"[CLUB-UPDATE-002] a SCHEDULED campaign accepted {change}"
        assert response.status_code == 409 and response.json().get("code") == DECIDED_CODES["not_editable"], \
            f"[CLUB-UPDATE-003] refused with {response.status_code} {response.text[:200]}"
    shown = club.get(draft["id"])
    assert shown["segmentId"] == other and shown["status"] == "SCHEDULED", \
        f"[CLUB-UPDATE-002] the refused change took effect: {shown['segmentId']}, {shown['status']}"
    club.act(draft["id"], "cancel")


# --- the transition table --------------------------------------------------------------------------------

@pytest.mark.req("CLUB-LIFE-003", "CLUB-EXEC-001", "CLUB-LIFE-006", "CLUB-PAUSE-001", "CLUB-LIFE-008",
                 "CLUB-RESUME-001", "CLUB-LIFE-009", "CLUB-CANCEL-001")
def test_execute_pause_resume_and_cancel_answer_as_004_shows(club):
    cid = club.create()["id"]
    # Each check names the one requirement it enforces (a transition refused is the table's row; a field missing
    # from an answer that succeeded is that action's row).
    started = club.act(cid, "execute")
    assert started.status_code == 200, f"[CLUB-LIFE-003] execute on a DRAFT answered {started.status_code}: " \
                                       f"{started.text[:300]}"
    body = started.json()
    assert body["id"] == cid and body["status"] == "ACTIVE" and parse_timestamp(body.get("startedAt")) is not None \
        and isinstance(body.get("targetCount"), int), f"[CLUB-EXEC-001] execute answered {body}"
    pausing = club.act(cid, "pause")
    assert pausing.status_code == 200, f"[CLUB-LIFE-006] pause on ACTIVE answered {pausing.status_code}"
    paused = pausing.json()
    assert paused["status"] == "PAUSED" and parse_timestamp(paused.get("pausedAt")) \
        and isinstance(paused.get("sentCount"), int), f"[CLUB-PAUSE-001] pause answered {paused}"
    assert club.get(cid)["status"] == "PAUSED", "[CLUB-LIFE-006] the campaign does not read PAUSED after pause"
    resuming = club.act(cid, "resume")
    assert resuming.status_code == 200, f"[CLUB-LIFE-008] resume on PAUSED answered {resuming.status_code}"
    resumed = resuming.json()
    assert resumed["status"] == "ACTIVE" and parse_timestamp(resumed.get("resumedAt")), \
        f"[CLUB-RESUME-001] resume answered {resumed}"
    assert club.act(cid, "pause").status_code == 200, "[CLUB-LIFE-006] a second pause on ACTIVE was refused"
    cancelling = club.act(cid, "cancel")  # | PAUSED | CANCELLED | POST /campaigns/:id/cancel |
    assert cancelling.status_code == 200, f"[CLUB-LIFE-009] cancel on PAUSED answered {cancelling.status_code}"
    cancelled = cancelling.json()
    assert cancelled["status"] == "CANCELLED" and parse_timestamp(cancelled.get("cancelledAt")) \
        and cancelled.get("sentCount", -1) >= paused["sentCount"], f"[CLUB-CANCEL-001] cancel answered {cancelled}"
    assert club.get(cid)["status"] == "CANCELLED", "[CLUB-LIFE-009] the campaign does not read CANCELLED"


@pytest.mark.req("CLUB-LIFE-002", "CLUB-SCHED-001", "CLUB-LIFE-005", "CLUB-CANCEL-002")
def test_schedule_then_cancel(club):
    cid = club.create()["id"]
    when = club.now() + timedelta(days=2)
    scheduled = club.act(cid, "schedule", {"scheduledAt": stamp(when)})
    assert scheduled.status_code == 200, scheduled.text
    body = scheduled.json()
    assert body["id"] == cid and body["status"] == "SCHEDULED" and parse_timestamp(body["scheduledAt"]) == \
        parse_timestamp(stamp(when)) and isinstance(body["targetCount"], int)
    cancelled = club.act(cid, "cancel").json()
    assert cancelled["status"] == "CANCELLED" and cancelled["sentCount"] == 0  # 004's cancel example


@pytest.mark.req("CLUB-LIFE-011", "CLUB-LIFE-013")
def test_actions_the_table_does_not_list_are_refused(club):
    draft = club.create()["id"]
    for action in ("pause", "resume", "cancel"):  # from DRAFT: only schedule and execute
        refused(club.act(draft, action), DECIDED_CODES["transition"])
    cancelled = club.create()["id"]
    club.act(cancelled, "schedule", {"scheduledAt": stamp(club.now() + timedelta(days=2))})
    assert club.act(cancelled, "cancel").status_code == 200
    for action in ("execute", "pause", "resume", "cancel"):  # CANCELLED is final
        refused(club.act(cancelled, action), DECIDED_CODES["transition"])
    active = club.create()["id"]
    assert club.act(active, "execute").status_code == 200
    refused(club.act(active, "resume"), DECIDED_CODES["transition"])  # resume only from PAUSED
    refused(club.act(active, "execute"), DECIDED_CODES["transition"])
    club.act(active, "pause")
    club.act(active, "cancel")


@pytest.mark.req("CLUB-LIFE-010")
def test_cancel_on_active_is_either_reading(club):
    """004's text ("Cancels a scheduled or active campaign") and its table disagree: both answers pass."""
    cid = club.create()["id"]
    club.act(cid, "execute")
    response = club.act(cid, "cancel")
    assert response.status_code in (200, 409), response.text
    assert club.get(cid)["status"] == ("CANCELLED" if response.status_code == 200 else "ACTIVE")
    if response.status_code == 409:
        club.act(cid, "pause")
        club.act(cid, "cancel")


@pytest.mark.req("CLUB-LIFE-004", "CLUB-LIFE-007", "CLUB-DELIV-002")
def test_automatic_transitions_at_the_scheduled_time_and_when_all_is_sent(club):
    needs_clock(club)
    cid = club.create()["id"]
    when = club.now().replace(microsecond=0) + timedelta(minutes=10)
    assert club.act(cid, "schedule", {"scheduledAt": stamp(when)}).status_code == 200
    club.advance((when - club.now()).total_seconds() - 1)
    assert club.get(cid)["status"] == "SCHEDULED"
    club.advance(1)
    assert club.get(cid)["status"] == "ACTIVE"  # | SCHEDULED | ACTIVE | Automatic at scheduled time |
    club.advance(2 * 86400)
    shown = club.get(cid)
    assert shown["status"] == "COMPLETED" and shown["sentCount"] == shown["targetCount"]


# --- reads ------------------------------------------------------------------------------------------

@pytest.mark.req("CLUB-LIST-001", "CLUB-LIST-002", "CLUB-LIST-003", "CLUB-LIST-004", "CLUB-LIST-005")
def test_list_answers_data_and_filters(club):
    draft = club.create()
    active = club.create()
    club.act(active["id"], "execute")
    listed = club.call("GET", "/campaigns", params={"tenantId": club.tenant})
    assert listed.status_code == 200 and isinstance(listed.json().get("data"), list), \
        f"[CLUB-LIST-001] the list answered {listed.status_code}: {listed.text[:300]}"
    ids = {i["id"] for i in listed.json()["data"]}
    assert {draft["id"], active["id"]} <= ids, "[CLUB-LIST-001] the tenant's new campaigns are not listed"
    item = next(i for i in listed.json()["data"] if i["id"] == draft["id"])
    fields = {"id", "name", "type", "status", "channels", "segmentId", "scheduledAt", "targetCount", "sentCount",
              "openRate", "createdAt"}
    assert fields <= set(item), f"[CLUB-LIST-001] a list item lacks {sorted(fields - set(item))}"
    # Each filter's check names its own requirement: one filter ignored is one row.
    for status in ("DRAFT", "ACTIVE", "CANCELLED"):
        rows = club.call("GET", "/campaigns", params={"tenantId": club.tenant, "status": status}).json()["data"]
        assert rows and all(r["status"] == status for r in rows) or status == "CANCELLED", \
            f"[CLUB-LIST-004] status={status} listed {sorted({r['status'] for r in rows})}"
    drafts = {r["id"] for r in club.call("GET", "/campaigns", params={"tenantId": club.tenant,
                                                                        "status": "DRAFT"}).json()["data"]}
    assert draft["id"] in drafts and active["id"] not in drafts, "[CLUB-LIST-004] status=DRAFT is not the drafts"
    rows = club.call("GET", "/campaigns", params={"tenantId": club.tenant, "type": "ONE_TIME"}).json()["data"]
    assert all(r["type"] == "ONE_TIME" for r in rows) and draft["id"] in {r["id"] for r in rows}, \
        f"[CLUB-LIST-005] type=ONE_TIME listed {sorted({r['type'] for r in rows})}"
    other_club = [c["id"] for c in club.own("clubs") if c["id"] != draft["clubId"]]
    if other_club:
        rows = club.call("GET", "/campaigns", params={"tenantId": club.tenant, "clubId": other_club[0]}).json()["data"]
        assert draft["id"] not in {r["id"] for r in rows}, f"[CLUB-LIST-003] clubId={other_club[0]} lists a " \
                                                          f"campaign of {draft['clubId']}"
    missing = club.call("GET", "/campaigns")  # 004: tenantId | Required
    assert missing.status_code == 400, f"[CLUB-LIST-002] a list without tenantId answered {missing.status_code}"
    club.act(active["id"], "pause")
    club.act(active["id"], "cancel")


@pytest.mark.req("CLUB-STATS-001", "CLUB-STATS-002", "CLUB-STATS-003", "CLUB-STATS-004", "CLUB-STATS-005",
                 "CLUB-STATS-007", "CLUB-STATS-008", "CLUB-STATS-011", "CLUB-INTER-001", "CLUB-INTER-004",
                 "CLUB-INTER-005")
def test_stats_funnel_and_interactions_agree(club):
    sms = club.own("templates", channel="SMS")
    fields = {"channels": ["EMAIL", "SMS"], "smsTemplateId": sms[0]["id"]} if sms else {}
    cid = club.create(**fields)["id"]
    club.act(cid, "execute")
    if club.clock.control:
        club.advance(1800)  # 004's pause example: half-way through the send
    club.act(cid, "pause")  # nothing moves while the figures are read
    answer = club.call("GET", f"/campaigns/{cid}/stats")
    assert answer.status_code == 200, f"[CLUB-STATS-001] stats answered {answer.status_code}: {answer.text[:400]}"
    stats = answer.json()
    # Each check names the one requirement it enforces: one wrong figure is one row, not the test's eleven.
    assert stats["campaignId"] == cid, f"[CLUB-STATS-001] campaignId {stats['campaignId']!r}, not {cid!r}"
    for field, numerator, denominator, rid in (("deliveryRate", "deliveredCount", "sentCount", "CLUB-STATS-002"),
                                               ("openRate", "openedCount", "deliveredCount", "CLUB-STATS-003"),
                                               ("clickRate", "clickedCount", "openedCount", "CLUB-STATS-004"),
                                               ("conversionRate", "convertedCount", "clickedCount", "CLUB-STATS-005")):
        expected = rate(stats[numerator], stats[denominator])
        assert stats[field] == expected, f"[{rid}] {field} {stats[field]!r}, not {numerator}/{denominator} = " \
                                         f"{stats[numerator]}/{stats[denominator]} = {expected!r}"
    funnel = [stats[k] for k in ("sentCount", "deliveredCount", "openedCount", "clickedCount", "convertedCount")]
    assert funnel == sorted(funnel, reverse=True), f"[CLUB-STATS-007] the counts do not follow the funnel: {funnel}"
    channels = club.get(cid)["channels"]
    assert set(stats["byChannel"]) == set(channels), \
        f"[CLUB-STATS-008] byChannel has {sorted(stats['byChannel'])}, the campaign's channels are {channels}"
    timeline_sent = sum(h["sent"] for h in stats["timeline"])
    assert timeline_sent == stats["sentCount"], \
        f"[CLUB-STATS-011] the timeline's sent figures add up to {timeline_sent}, sentCount is {stats['sentCount']}"
    for kind, count in (("CLICKED", "clickedCount"), ("SENT", "sentCount"), ("OPENED", "openedCount")):
        answer = club.call("GET", f"/campaigns/{cid}/interactions", params={"type": kind, "take": "5"})
        assert answer.status_code == 200, f"[CLUB-INTER-001] interactions answered {answer.status_code}"
        page = answer.json()
        assert page["meta"]["total"] == stats[count], \
            f"[CLUB-INTER-005] {kind} interactions total {page['meta']['total']}, {count} is {stats[count]}"
        assert page["meta"]["skip"] == 0 and page["meta"]["take"] == 5, f"[CLUB-INTER-004] meta {page['meta']}"
        assert len(page["data"]) == min(5, stats[count]), \
            f"[CLUB-INTER-004] {len(page['data'])} items on a page of 5 of {stats[count]}"
        assert all(i["type"] == kind for i in page["data"]), f"[CLUB-INTER-001] a {kind} page holds other types"
    club.act(cid, "cancel")


@pytest.mark.req("CLUB-RESUME-002", "CLUB-DELIV-001")
def test_resume_continues_from_the_count_it_had(club):
    """004: "Resumes a paused campaign." -- it continues from the sentCount it had at the pause (CLUB-RESUME-002)
    and sentCount never decreases while it sends (CLUB-DELIV-001)."""
    needs_clock(club)
    cid = club.create()["id"]
    assert club.act(cid, "execute").status_code == 200
    club.advance(1800)  # 004's pause example: half-way through the send
    paused = club.act(cid, "pause").json()
    at_pause = club.get(cid)["sentCount"]
    resumed = club.act(cid, "resume")
    assert resumed.status_code == 200, resumed.text
    after = club.get(cid)["sentCount"]
    assert after >= at_pause, f"[CLUB-RESUME-002] sentCount {at_pause} at the pause, {after} once resumed"
    club.advance(60)
    later = club.get(cid)["sentCount"]
    assert later >= after, f"[CLUB-DELIV-001] sentCount fell from {after} to {later} while ACTIVE"
    assert paused["sentCount"] <= at_pause, \
        f"[CLUB-DELIV-001] the pause answered sentCount {paused['sentCount']}, a read then {at_pause}"
    club.act(cid, "pause")
    club.act(cid, "cancel")


# --- tenants ---------------------------------------------------------------------------------------

@pytest.mark.req("CLUB-AUTH-003", "CLUB-AUTH-004")
def test_tenants_are_isolated(club):
    other = club.profile.tokens.get("other_tenant")
    if not other or other.get("tenant") == club.tenant:
        pytest.skip("the profile has no token of another tenant")
    cid = club.create()["id"]
    for method, path in (("GET", f"/campaigns/{cid}"), ("GET", f"/campaigns/{cid}/stats"),
                         ("POST", f"/campaigns/{cid}/execute")):
        response = club.call(method, path, token="other_tenant")
        assert response.status_code == 404, (path, response.text)
    rows = club.call("GET", "/campaigns", token="other_tenant", params={"tenantId": other["tenant"]}).json()["data"]
    assert cid not in {r["id"] for r in rows}
    assert club.call("GET", "/campaigns", params={"tenantId": other["tenant"]}).status_code == 403
    response = club.call("POST", "/campaigns", {"tenantId": other["tenant"], "clubId": "club_x", "name": "x",
                                                "type": "ONE_TIME", "channels": ["EMAIL"], "segmentId": "s"})
    assert response.status_code == 403, response.text
    assert club.get(cid)["status"] == "DRAFT"  # the other tenant's execute changed nothing
