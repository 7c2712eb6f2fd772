"""Create, read, list and update (004's first four sections) and the campaign types."""
from __future__ import annotations

from datetime import timedelta

import pytest

from .support import NOW, body, decide, read, spec, world

# 004's examples, verbatim.
DOC_LIST_ITEM = {"id": "campaign_123", "name": "Summer Tournament Promo", "type": "ONE_TIME", "status": "SCHEDULED",
                 "channels": ["EMAIL", "SMS"], "segmentId": "segment_456", "scheduledAt": "2025-12-20T09:00:00Z",
                 "targetCount": 500, "sentCount": 0, "openRate": None, "createdAt": "2025-12-14T10:00:00Z"}
DOC_GET = spec()["components"]["schemas"]["Campaign"]["examples"][0]
DOC_CREATE = {"tenantId": "tenant_123", "clubId": "club_456", "name": "December Newsletter",
              "description": "Monthly member newsletter", "type": "ONE_TIME", "segmentId": "segment_123",
              "channels": ["EMAIL", "SMS"], "emailTemplateId": "template_email_123",
              "smsTemplateId": "template_sms_456", "timezone": "Africa/Johannesburg"}
DOC_PATCH = {"name": "Updated Campaign Name", "description": "Updated description", "segmentId": "segment_789"}
BASE = {"tenantId": "tenant_123", "clubId": "club_456", "name": "x", "channels": ["EMAIL"]}


def _ids(d):
    return [c["id"] for c in d.data["data"]]


@pytest.mark.req("CLUB-LIST-001", "CLUB-STATS-006")
def test_list_shows_004s_example_item():
    d = decide(world(), "listCampaigns", query={"tenantId": "tenant_123"})
    assert d.status == 200 and set(d.data) == {"data"}
    (item,) = [c for c in d.data["data"] if c["id"] == "campaign_123"]
    assert item == DOC_LIST_ITEM


@pytest.mark.req("CLUB-GET-001", "CLUB-GET-002", "CLUB-GET-004")
def test_get_shows_004s_example_campaign():
    c = read(world(), "campaign_123", NOW)
    assert {k: c[k] for k in DOC_GET} == DOC_GET


@pytest.mark.req("CLUB-GET-003")
def test_get_carries_lifecycle_moments_and_the_types_own_fields():
    w = world()
    assert {"startedAt", "pausedAt", "resumedAt", "cancelledAt", "completedAt"} <= set(read(w, "campaign_123", NOW))
    recurring = read(w, "campaign_recurring_001", NOW)
    assert recurring["schedule"] == {"frequency": "weekly", "dayOfWeek": 1, "time": "09:00",
                                     "timezone": "Africa/Johannesburg"}
    triggered = read(w, "campaign_triggered_001", NOW)
    assert (triggered["triggerEvent"], triggered["triggerConditions"]) == ("scl.member.tier.changed",
                                                                           {"reason": "upgrade"})
    assert read(w, "campaign_journey_001", NOW)["journeyId"] == "journey_001"
    assert "schedule" not in read(w, "campaign_123", NOW)


@pytest.mark.req("CLUB-LIST-003", "CLUB-LIST-008")
def test_list_filters_by_club():
    w = world()
    assert _ids(decide(w, "listCampaigns", query={"tenantId": "tenant_123", "clubId": "club_789"})) == [
        "campaign_draft_002"]
    assert "campaign_draft_002" not in _ids(decide(w, "listCampaigns",
                                                   query={"tenantId": "tenant_123", "clubId": "club_456"}))
    assert _ids(decide(w, "listCampaigns", query={"tenantId": "tenant_123", "clubId": "club_900"})) == []


@pytest.mark.req("CLUB-LIST-004")
@pytest.mark.parametrize("status", ["DRAFT", "SCHEDULED", "ACTIVE", "PAUSED", "COMPLETED", "CANCELLED"])
def test_list_filters_by_status(status):
    d = decide(world(), "listCampaigns", query={"tenantId": "tenant_123", "status": status})
    assert d.data["data"] and all(c["status"] == status for c in d.data["data"])


@pytest.mark.req("CLUB-LIST-005", "CLUB-TYPE-004")
@pytest.mark.parametrize("kind", ["ONE_TIME", "RECURRING", "TRIGGERED", "JOURNEY"])
def test_list_filters_by_type(kind):
    d = decide(world(), "listCampaigns", query={"tenantId": "tenant_123", "type": kind})
    assert d.data["data"] and all(c["type"] == kind for c in d.data["data"])
    if kind == "JOURNEY":
        assert _ids(d) == ["campaign_journey_001"]


@pytest.mark.req("CLUB-LIST-007")
def test_list_is_complete_and_newest_first():
    d = decide(world(), "listCampaigns", query={"tenantId": "tenant_123"})
    created = [c["createdAt"] for c in d.data["data"]]
    assert created == sorted(created, reverse=True) and len(created) == 10


@pytest.mark.req("CLUB-CREATE-001", "CLUB-CREATE-002", "CLUB-CREATE-003", "CLUB-GET-004")
def test_create_with_004s_body_makes_a_draft():
    w = world()
    d = decide(w, "createCampaign", body=DOC_CREATE)
    assert d.status == 201
    c = d.data
    assert {k: c[k] for k in DOC_CREATE} == DOC_CREATE
    assert (c["status"], c["segmentName"], c["targetCount"], c["createdBy"]) == ("DRAFT", "Junior Members", 1200,
                                                                                "user_123")
    assert read(w, c["id"], NOW) == c


@pytest.mark.req("CLUB-CREATE-005")
def test_create_without_timezone_takes_the_clubs():
    body_ = {k: v for k, v in DOC_CREATE.items() if k != "timezone"}
    assert decide(world(), "createCampaign", body=body_).data["timezone"] == "Africa/Johannesburg"


@pytest.mark.req("CLUB-CREATE-006")
@pytest.mark.parametrize("field,value", [("clubId", "club_900"), ("segmentId", "segment_901"),
                                         ("segmentId", "segment_nope"), ("emailTemplateId", "template_sms_456"),
                                         ("smsTemplateId", "template_email_123"),
                                         ("emailTemplateId", "template_email_901")])
def test_create_refuses_ids_the_tenant_does_not_have(field, value):
    d = decide(world(), "createCampaign", body={**DOC_CREATE, field: value})
    assert (d.status, body(d)["code"], body(d)["field"]) == (422, "CLUB.UNKNOWN_REFERENCE", field)


@pytest.mark.req("CLUB-CREATE-007", "CLUB-TYPE-001")
def test_create_refuses_a_send_time_that_is_not_in_the_future():
    w = world()
    one_time = {**BASE, "type": "ONE_TIME", "segmentId": "segment_123"}
    assert decide(w, "createCampaign", body={**one_time, "scheduledAt": "2025-12-14T10:00:00Z"}).status == 422
    ok = decide(w, "createCampaign", body={**one_time, "scheduledAt": "2025-12-20T09:00:00Z"})
    assert ok.status == 201 and ok.data["scheduledAt"] == "2025-12-20T09:00:00Z" and ok.data["status"] == "DRAFT"


@pytest.mark.req("CLUB-VAL-003")
def test_create_refuses_an_unknown_time_zone():
    d = decide(world(), "createCampaign", body={**DOC_CREATE, "timezone": "Mars/Olympus_Mons"})
    assert (d.status, body(d)["code"], body(d)["errors"][0]["field"]) == (400, "CLUB.VALIDATION_FAILED", "timezone")


@pytest.mark.req("CLUB-TYPE-002", "CLUB-TYPE-003", "CLUB-CREATE-002")
def test_create_each_types_variant():
    w = world()
    weekly = {"frequency": "weekly", "dayOfWeek": 1, "time": "09:00", "timezone": "Africa/Johannesburg"}
    recurring = decide(w, "createCampaign", body={**BASE, "type": "RECURRING", "segmentId": "segment_123",
                                                  "schedule": weekly})
    assert recurring.status == 201 and recurring.data["schedule"] == weekly
    triggered = decide(w, "createCampaign", body={**BASE, "type": "TRIGGERED",
                                                  "triggerEvent": "scl.member.tier.changed",
                                                  "triggerConditions": {"reason": "upgrade"}})
    assert triggered.status == 201 and triggered.data["triggerConditions"] == {"reason": "upgrade"}
    assert triggered.data["targetCount"] == 0


@pytest.mark.req("CLUB-TYPE-005")
def test_journey_campaigns_are_read_here_but_managed_by_the_journeys_api():
    w = world()
    created = decide(w, "createCampaign", body={**BASE, "type": "JOURNEY"})
    assert (created.status, body(created)["code"]) == (409, "CLUB.MANAGED_BY_JOURNEY")
    for op, kw in [("updateCampaign", {"body": {"name": "n"}}), ("scheduleCampaign", {}), ("executeCampaign", {}),
                   ("pauseCampaign", {}), ("resumeCampaign", {}), ("cancelCampaign", {})]:
        d = decide(w, op, "campaign_journey_001", **kw)
        assert (d.status, body(d)["code"]) == (409, "CLUB.MANAGED_BY_JOURNEY"), op
        assert (409, "CLUB.MANAGED_BY_JOURNEY") in d.acceptable
    for op in ("getCampaign", "getCampaignStats", "getCampaignInteractions"):
        assert decide(w, op, "campaign_journey_001").status == 200


@pytest.mark.req("CLUB-UPDATE-001", "CLUB-UPDATE-007")
def test_patch_a_draft_with_004s_body():
    w = world()
    d = decide(w, "updateCampaign", "campaign_draft_001", body=DOC_PATCH, now=NOW + timedelta(minutes=5))
    assert d.status == 200
    assert {k: d.data[k] for k in DOC_PATCH} == DOC_PATCH
    assert (d.data["segmentName"], d.data["targetCount"]) == ("Lapsed Members", 80)
    assert d.data["updatedAt"] == "2025-12-14T10:05:00Z"
    same = decide(w, "updateCampaign", "campaign_draft_001", body=DOC_PATCH, now=NOW + timedelta(hours=1))
    assert same.data["updatedAt"] == "2025-12-14T10:05:00Z"  # nothing changed


NOT_DRAFT = {"SCHEDULED": "campaign_123", "ACTIVE": "campaign_active_001", "PAUSED": "campaign_paused_001",
             "COMPLETED": "campaign_completed_001", "CANCELLED": "campaign_cancelled_001"}


@pytest.mark.req("CLUB-UPDATE-002", "CLUB-UPDATE-003")
@pytest.mark.parametrize("status", list(NOT_DRAFT))
@pytest.mark.parametrize("field,value", [("segmentId", "segment_789"), ("emailTemplateId", None),
                                         ("smsTemplateId", None)])
def test_only_draft_campaigns_can_change_segment_or_templates(status, field, value):
    w = world()
    before = read(w, NOT_DRAFT[status], NOW)
    if before[field] == value:
        value = "template_email_123" if field == "emailTemplateId" else "template_sms_456"
    d = decide(w, "updateCampaign", NOT_DRAFT[status], body={field: value})
    problem = body(d)
    assert (d.status, problem["code"], problem["currentStatus"], problem["fields"]) == (
        409, "CLUB.NOT_EDITABLE", status, [field])
    assert read(w, NOT_DRAFT[status], NOW) == before


@pytest.mark.req("CLUB-UPDATE-002")
@pytest.mark.parametrize("field,value", [("segmentId", "segment_456"), ("emailTemplateId", None),
                                         ("smsTemplateId", "template_sms_456")])
def test_a_draft_can_change_segment_and_templates(field, value):
    d = decide(world(), "updateCampaign", "campaign_draft_001", body={field: value})
    assert d.status == 200 and d.data[field] == value


@pytest.mark.req("CLUB-UPDATE-004")
@pytest.mark.parametrize("field,value", [("channels", ["SMS"]), ("timezone", "Europe/London"),
                                         ("scheduledAt", "2025-12-21T09:00:00Z")])
def test_the_rest_of_the_definition_is_draft_only_too(field, value):
    w = world()
    assert decide(w, "updateCampaign", "campaign_123", body={field: value}).status == 409
    assert decide(w, "updateCampaign", "campaign_draft_001", body={field: value}).status == 200


@pytest.mark.req("CLUB-UPDATE-005")
@pytest.mark.parametrize("status", list(NOT_DRAFT))
def test_name_and_description_change_until_the_campaign_is_finished(status):
    d = decide(world(), "updateCampaign", NOT_DRAFT[status], body={"name": "Renamed", "description": None})
    if status in ("COMPLETED", "CANCELLED"):
        assert (d.status, body(d)["code"]) == (409, "CLUB.NOT_EDITABLE")
    else:
        assert d.status == 200 and (d.data["name"], d.data["description"]) == ("Renamed", None)


@pytest.mark.req("CLUB-UPDATE-006")
def test_resending_a_locked_fields_current_value_is_not_a_change():
    d = decide(world(), "updateCampaign", "campaign_123", body={"segmentId": "segment_456", "name": "New"})
    assert d.status == 200 and d.acceptable == {(200, None), (409, "CLUB.NOT_EDITABLE")}


@pytest.mark.req("CLUB-UPDATE-008")
def test_a_field_of_another_type_is_refused():
    weekly = {"frequency": "weekly", "dayOfWeek": 1, "time": "09:00"}
    d = decide(world(), "updateCampaign", "campaign_draft_001", body={"schedule": weekly})
    assert (d.status, body(d)["errors"][0]["field"]) == (400, "schedule")


@pytest.mark.req("CLUB-CREATE-006", "CLUB-CREATE-007", "CLUB-ERR-009")
def test_update_checks_references_and_times_and_holds_every_problem_acceptable():
    w = world()
    d = decide(w, "updateCampaign", "campaign_123", body={"segmentId": "segment_nope",
                                                          "scheduledAt": "2025-01-01T00:00:00Z"})
    assert d.status == 409 and d.acceptable == {(409, "CLUB.NOT_EDITABLE"), (422, "CLUB.UNKNOWN_REFERENCE"),
                                                (422, "CLUB.SCHEDULE_INVALID")}
    d = decide(w, "updateCampaign", "campaign_draft_001", body={"segmentId": "segment_901"})
    assert (d.status, body(d)["code"]) == (422, "CLUB.UNKNOWN_REFERENCE")


@pytest.mark.req("CLUB-SCHED-001", "CLUB-SCHED-002")
def test_schedule_needs_a_future_time_from_the_body_or_the_campaign():
    w = world()
    no_time = decide(w, "scheduleCampaign", "campaign_draft_001")
    assert (no_time.status, body(no_time)["code"]) == (422, "CLUB.SCHEDULE_INVALID")
    past = decide(w, "scheduleCampaign", "campaign_draft_001", body={"scheduledAt": "2025-12-14T10:00:00Z"})
    assert (past.status, body(past)["code"]) == (422, "CLUB.SCHEDULE_INVALID")  # now is not the future
    decide(w, "updateCampaign", "campaign_draft_001", body={"scheduledAt": "2025-12-20T09:00:00Z"})
    d = decide(w, "scheduleCampaign", "campaign_draft_001")
    assert d.data == {"id": "campaign_draft_001", "status": "SCHEDULED", "scheduledAt": "2025-12-20T09:00:00Z",
                      "targetCount": 1200}


@pytest.mark.req("CLUB-SCHED-003", "CLUB-TYPE-006", "CLUB-SCHED-002")
def test_a_recurring_campaign_schedules_its_next_occurrence_by_default():
    w = world()
    weekly = {"frequency": "weekly", "dayOfWeek": 1, "time": "09:00", "timezone": "Africa/Johannesburg"}
    created = decide(w, "createCampaign", body={**BASE, "type": "RECURRING", "segmentId": "segment_789",
                                                "schedule": weekly}).data
    d = decide(w, "scheduleCampaign", created["id"])
    # 2025-12-14 is a Sunday: the next Monday 09:00 in Johannesburg (UTC+2) is 2025-12-15T07:00Z.
    assert d.status == 200 and d.data["scheduledAt"] == "2025-12-15T07:00:00Z"
    at = NOW + timedelta(hours=21)
    assert read(w, created["id"], at)["status"] == "ACTIVE"
    # Weekly: the second occurrence sends again 7 days later; the campaign never completes by itself.
    week = read(w, created["id"], at + timedelta(days=7, hours=2))
    assert (week["status"], week["sentCount"]) == ("ACTIVE", 160)


@pytest.mark.req("CLUB-TYPE-007")
def test_a_triggered_campaign_can_be_armed_and_sends_nothing_by_itself():
    w = world()
    created = decide(w, "createCampaign", body={**BASE, "type": "TRIGGERED", "triggerEvent": "e"}).data
    d = decide(w, "scheduleCampaign", created["id"], body={"scheduledAt": "2025-12-20T09:00:00Z"})
    assert d.status == 200 and d.acceptable == {(200, None), (409, "CLUB.INVALID_TRANSITION")}
    later = read(w, created["id"], NOW + timedelta(days=30))
    assert (later["status"], later["sentCount"]) == ("ACTIVE", 0)


# --- found by mutation testing (docs/mutation-testing.md) ------------------------------------------

@pytest.mark.req("CLUB-CREATE-002", "CLUB-GET-001")
def test_create_keeps_the_timezone_it_is_given():
    """004: the create body carries "timezone": "Africa/Johannesburg" and Get Campaign shows "timezone"; a
    timezone other than the club's (Africa/Johannesburg) is the campaign's."""
    w = world()
    d = decide(w, "createCampaign", body={**DOC_CREATE, "timezone": "Europe/London"})
    assert d.status == 201 and d.data["timezone"] == "Europe/London"
    assert read(w, d.data["id"], NOW)["timezone"] == "Europe/London"


@pytest.mark.req("CLUB-TYPE-002", "CLUB-TYPE-006")
def test_a_recurring_schedule_keeps_its_timezone_else_takes_the_campaigns():
    """004: a RECURRING schedule is {frequency, dayOfWeek, time, timezone}; inferred (CLUB-TYPE-006): time is
    in the schedule's timezone, default the campaign's -- on create and on update."""
    w = world()
    weekly = {"frequency": "weekly", "dayOfWeek": 1, "time": "09:00"}
    new = {**BASE, "type": "RECURRING", "segmentId": "segment_123", "timezone": "Europe/London"}
    own = decide(w, "createCampaign", body={**new, "schedule": {**weekly, "timezone": "Asia/Tokyo"}}).data
    assert own["schedule"]["timezone"] == "Asia/Tokyo"
    default = decide(w, "createCampaign", body={**new, "schedule": weekly}).data
    assert default["schedule"]["timezone"] == "Europe/London"
    d = decide(w, "updateCampaign", default["id"], body={"schedule": {**weekly, "time": "10:00"}})
    assert d.status == 200 and d.data["schedule"]["timezone"] == "Europe/London"
    d = decide(w, "updateCampaign", default["id"], body={"timezone": "Asia/Tokyo", "schedule": weekly})
    assert d.status == 200 and d.data["schedule"]["timezone"] == "Asia/Tokyo"


@pytest.mark.req("CLUB-VAL-005", "CLUB-ERR-002")
@pytest.mark.parametrize("operation, campaign_id, fields", [
    ("createCampaign", None, {**BASE, "type": "ONE_TIME", "segmentId": "segment_123"}),
    ("updateCampaign", "campaign_draft_001", {}),
    ("scheduleCampaign", "campaign_draft_001", {})])
def test_a_malformed_scheduled_at_is_validation_failed(operation, campaign_id, fields):
    """Inferred (CLUB-VAL-005): timestamps are RFC 3339 with an offset (004 writes 2025-12-20T09:00:00Z); another
    value is a body that fails the schema (CLUB-ERR-002: 400 CLUB.VALIDATION_FAILED) and changes nothing."""
    w = world()
    d = decide(w, operation, campaign_id, body={**fields, "scheduledAt": "next Friday"})
    assert (d.status, body(d)["code"]) == (400, "CLUB.VALIDATION_FAILED")
    assert d.changes == {}


@pytest.mark.req("CLUB-CREATE-001", "CLUB-VAL-005")
def test_times_are_written_in_utc_whatever_the_machine_zone(monkeypatch):
    """004 writes every time in UTC with a Z (`"createdAt": "2025-12-14T10:00:00Z"`): the model's answers are
    the same on a machine whose local zone is not UTC (a conversion to the local zone would shift them)."""
    import time

    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is not available here")
    expected = decide(world(), "createCampaign", body=DOC_CREATE).data
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    try:
        shown = decide(world(), "createCampaign", body=DOC_CREATE).data
    finally:
        monkeypatch.undo()
        time.tzset()
    assert shown["createdAt"] == expected["createdAt"] == "2025-12-14T10:00:00Z"
    assert shown == expected
