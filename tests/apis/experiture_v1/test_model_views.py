"""Lifecycle model: response shapes: summary and status (003 examples), metrics (003), campaign object and
timestamps (decisions)."""
from __future__ import annotations

import re

from state_machine.apis.experiture_v1.model.envelope import render

from .model_helpers import AUD_A, AUD_B, TPL_DM, Api, at, entry

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")  # 003: 2026-05-01T09:00:00.000Z

SUMMARY_KEYS = {"campaignId", "name", "campaignType", "channel", "authoringStatus", "createdAt", "updatedAt",
                "schedule", "audience", "content", "preflight", "latestExecution", "links"}


def _configured() -> tuple[Api, str]:
    api = Api()
    cid = api.create("direct_mail", name="Spring Re-engagement Direct Mail")
    api.call("replaceCampaignAudience", cid, {"include": [entry(AUD_A, "segment")]}, when=at(600))
    api.call("replaceCampaignContent", cid, {"templateId": TPL_DM}, when=at(1200))
    api.call("setCampaignSchedule", cid, {"mode": "batch_on_date", "batchDate": "2026-05-01",
                                          "timezone": "America/New_York"}, when=at(1800))
    return api, cid


def test_summary_has_exactly_the_fields_of_the_003_example():
    """003: GET /summary example fields, nested blocks included."""
    api, cid = _configured()
    s = api.call("getCampaignSummary", cid, when=at(1800)).data
    assert set(s) == SUMMARY_KEYS
    assert set(s["audience"]) == {"included", "excluded", "reach"}
    assert set(s["audience"]["reach"]) == {"status", "evaluatedCount", "evaluatedAt", "isStale"}
    assert s["audience"]["included"] == [{"id": AUD_A, "name": "Lapsed buyers", "type": "segment",
                                          "memberCount": None}]
    assert s["content"] == {"template": {"id": TPL_DM, "name": "Spring DM v3", "status": "published",
                                         "channel": "direct_mail"}, "proofStatus": "unavailable"}
    assert s["preflight"] == {"status": "not_evaluated", "checks": []}
    assert s["latestExecution"] == {"status": "not_scheduled", "lastExecutionAt": None, "counts": None}
    assert s["links"] == {"self": f"/public/v1/campaigns/{cid}/summary"}


def test_summary_values_match_the_configuration():
    """003: summary example values: broadcast, channel, draft, createdAt/updatedAt, reach ok with count."""
    api, cid = _configured()
    s = api.call("getCampaignSummary", cid, when=at(1800)).data
    assert (s["campaignId"], s["name"], s["campaignType"], s["channel"], s["authoringStatus"]) == \
        (cid, "Spring Re-engagement Direct Mail", "broadcast", "direct_mail", "draft")
    assert s["createdAt"] == "2026-04-25T10:00:00.000Z"
    assert s["updatedAt"] == "2026-04-25T10:30:00.000Z"
    assert s["audience"]["reach"] == {"status": "ok", "evaluatedCount": 1000,
                                      "evaluatedAt": "2026-04-25T10:10:03.000Z", "isStale": False}
    assert s["schedule"]["batchDate"] == "2026-05-01" and s["schedule"]["timezone"] == "America/New_York"


def test_status_has_the_fields_of_the_003_example():
    """003: GET /status {campaignId, name, authoringStatus, schedule{scheduleId, sendAt, timezone, active},
    execution{state, lastExecution{executionId, startedAt, completedAt, status, counts}}}."""
    api = Api()
    cid = api.ready("email", schedule={"mode": "at", "sendAt": "2026-05-01T09:00:00.000Z",
                                       "timezone": "America/New_York"})
    api.call("createScheduleJob", cid, {})
    st = api.call("getCampaignStatus", cid, when=at(0, days=7)).data
    assert set(st) == {"campaignId", "name", "authoringStatus", "schedule", "execution"}
    assert st["authoringStatus"] == "published"
    assert set(st["schedule"]) == {"scheduleId", "sendAt", "timezone", "active"}
    assert st["schedule"]["sendAt"] == "2026-05-01T09:00:00.000Z" and st["schedule"]["active"] is False
    assert set(st["execution"]) == {"state", "lastExecution"}
    last = st["execution"]["lastExecution"]
    assert set(last) == {"executionId", "startedAt", "completedAt", "status", "counts"}
    assert isinstance(last["executionId"], str) and last["executionId"]
    assert set(last["counts"]) == {"scheduled", "hydrated", "composed", "injected", "sent", "failed"}


def test_status_of_direct_mail_job_carries_batch_date():
    """decisions: status schedule {scheduleId, sendAt, batchDate?, timezone, active}."""
    api = Api()
    cid = api.ready("direct_mail", schedule={"mode": "batch_on_date", "batchDate": "2026-05-01",
                                             "timezone": "America/New_York"})
    api.call("createScheduleJob", cid, {})
    sched = api.call("getCampaignStatus", cid).data["schedule"]
    assert sched["batchDate"] == "2026-05-01" and sched["timezone"] == "America/New_York"
    assert sched["active"] is True


def test_direct_mail_is_due_at_midnight_of_batch_date_in_its_timezone():
    """decisions: direct mail is due at 00:00 of batchDate in its timezone (New York is UTC-4 in May)."""
    api = Api()
    cid = api.ready("direct_mail", schedule={"mode": "batch_on_date", "batchDate": "2026-05-01",
                                             "timezone": "America/New_York"})
    api.call("createScheduleJob", cid, {})
    due = (5 * 24 + 18) * 3600  # 2026-04-25T10:00Z -> 2026-05-01T04:00Z
    assert api.call("getCampaignStatus", cid, when=at(due - 1)).data["execution"]["state"] == "scheduled"
    assert api.call("getCampaignStatus", cid, when=at(due)).data["execution"]["state"] == "pending_or_overdue"


def test_metrics_has_campaign_id_and_counts():
    """003: metrics data["campaignId"], data["counts"]; decisions: executionState and lastExecutionAt."""
    api = Api()
    cid = api.create("email")
    m = api.call("getCampaignMetrics", cid).data
    assert set(m) == {"campaignId", "counts", "executionState", "lastExecutionAt"}
    assert m["campaignId"] == cid
    assert m["counts"] == {"scheduled": 0, "hydrated": 0, "composed": 0, "injected": 0, "sent": 0, "failed": 0}
    assert (m["executionState"], m["lastExecutionAt"]) == ("not_scheduled", None)


def test_campaign_object_fields():
    """decisions: the campaign object is a superset of the summary with description, settings, tags,
    currentVersionId, archivedAt; links.self is the campaign path."""
    api = Api()
    cid = api.create("email", description="hello", category="retention")
    c = api.call("getCampaign", cid).data
    assert set(c) == {"campaignId", "name", "description", "campaignType", "channel", "authoringStatus",
                      "settings", "tags", "currentVersionId", "audience", "content", "schedule", "createdAt",
                      "updatedAt", "archivedAt", "links"}
    assert c["links"] == {"self": f"/public/v1/campaigns/{cid}"}
    assert c["archivedAt"] is None and c["description"] == "hello"
    assert isinstance(c["currentVersionId"], str)
    assert c["content"] == {"template": None, "proofStatus": "unavailable"}


def test_every_timestamp_has_the_documented_form():
    """003 examples: timestamps look like 2026-05-01T09:00:00.000Z (milliseconds, Z)."""
    api = Api()
    cid = api.ready("email", include=(AUD_A, AUD_B))
    api.call("createScheduleJob", cid, {"sendAt": "2026-04-25T12:00:01.123456+02:00"}, when=at(0.5))
    api.call("archiveCampaign", cid, when=at(7.25))
    later = at(3600)
    found = []

    def walk(value):
        if isinstance(value, dict):
            for k, v in value.items():
                if (k.endswith("At") or k in ("evaluatedAt",)) and v is not None:
                    found.append((k, v))
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for op in ("getCampaign", "getCampaignSummary", "getCampaignStatus", "getCampaignMetrics"):
        walk(api.call(op, cid, when=later).data)
    keys = {k for k, _ in found}
    assert {"createdAt", "updatedAt", "archivedAt", "sendAt", "startedAt", "completedAt", "evaluatedAt"} <= keys
    bad = [(k, v) for k, v in found if not TIMESTAMP.match(v)]
    assert not bad, bad
    assert ("sendAt", "2026-04-25T10:00:01.123Z") in found
    assert ("archivedAt", "2026-04-25T10:00:07.250Z") in found


def test_error_envelope_always_carries_details():
    """decisions: error {code, message, details}; details is {} when there is nothing to add."""
    api = Api()
    body = render(api.call("getCampaign", "deadbeef-0000-4000-8000-000000000000"))
    assert body["success"] is False
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == "JOURNEY_API.PUBLIC.CAMPAIGNS.NOT_FOUND"
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)


def test_success_envelope():
    """decisions (003's client reads body["data"]): {"success": true, "data": ...}."""
    api = Api()
    cid = api.create("email")
    body = render(api.call("getCampaignMetrics", cid))
    assert body["success"] is True and body["data"]["campaignId"] == cid
