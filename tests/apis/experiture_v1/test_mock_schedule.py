"""Content binding (PUT /content) and schedule intent (PUT /schedule), through HTTP against the mock.

Expected values come from the documents (001 schedule & send, 003 summary) and
openapi/experiture-v1/decisions.md ("Request bodies", "Schedule intent rules", "Jobs"). The mock clock is
frozen at 2026-04-25T10:00:00Z. Tenant t1 (mock-token-full) has the default timezone America/New_York;
tenant t2 (mock-token-other-tenant) has none.
"""
from __future__ import annotations

import uuid

import pytest

from contract_spec import load_spec
from state_machine.apis.experiture_v1 import plugin

VALIDATION_FAILED = "JOURNEY_API.PUBLIC.CAMPAIGNS.VALIDATION_FAILED"
NOT_DRAFT = "JOURNEY_API.PUBLIC.CAMPAIGNS.NOT_DRAFT"
NOT_FOUND = "JOURNEY_API.PUBLIC.CAMPAIGNS.NOT_FOUND"
SEND_AT_REQUIRED = "JOURNEY_API.SCHEDULE.SEND_AT_REQUIRED"
SEND_AT_INVALID = "JOURNEY_API.SCHEDULE.SEND_AT_INVALID"
BATCH_DATE_REQUIRED = "JOURNEY_API.SCHEDULE.BATCH_DATE_REQUIRED"
BATCH_DATE_INVALID = "JOURNEY_API.SCHEDULE.BATCH_DATE_INVALID"
UNSUPPORTED_CHANNEL = "JOURNEY_API.SCHEDULE.UNSUPPORTED_CHANNEL"
CONTENT_REQUIRED = "JOURNEY_API.PUBLIC.CAMPAIGNS.CONTENT.REQUIRED"
TEMPLATE_NOT_FOUND = "JOURNEY_API.PUBLIC.CAMPAIGNS.CONTENT.TEMPLATE_NOT_FOUND"
CHANNEL_MISMATCH = "JOURNEY_API.PUBLIC.CAMPAIGNS.CONTENT.CHANNEL_MISMATCH"

SEG_1 = "a1b2c3d4-0000-0000-0000-000000000001"
TEMPLATES = {  # published t1 templates per channel (README fixtures)
    "email": "5e3a1c2d-0000-4000-8000-000000000001", "sms": "5e3a1c2d-0000-4000-8000-000000000002",
    "push": "5e3a1c2d-0000-4000-8000-000000000003", "direct_mail": "5e3a1c2d-0000-4000-8000-000000000004",
}
UNPUBLISHED_EMAIL_TEMPLATE = "5e3a1c2d-0000-4000-8000-000000000005"
T2_EMAIL_TEMPLATE = "5e3a1c2d-0000-4000-8000-000000000007"
DOC_DM_TEMPLATE = "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb"        # 003: "Spring DM v3"
DOC_DM_CAMPAIGN = "4130bada-9264-465f-bc0c-a26bebcfcc81"         # 001/003's example campaign
PUBLISHED_CAMPAIGN = "c0000000-0000-4000-8000-000000000007"
T2_CAMPAIGN = "c0000000-0000-4000-8000-000000000201"
FUTURE = "2026-05-01T09:00:00.000Z"                              # 001's example
DIGITAL = ("email", "sms", "push")


# --------------------------------------------------------------------------- helpers
def tok(api, name: str = "full") -> str:
    return api.profile.token(name)


def create(api, channel: str = "email", token: str = "mock-token-full") -> str:
    r = api.request("POST", "/campaigns", token=token, json_body={"name": "Schedule test", "channel": channel})
    assert r.status_code == 201, r.text
    return r.json()["data"]["campaignId"]


def put(api, cid: str, what: str, body, token: str | None = None):
    return api.request("PUT", f"/campaigns/{cid}/{what}", token=token or tok(api), json_body=body)


def get(api, cid: str, token: str | None = None, sub: str = "") -> dict:
    r = api.request("GET", f"/campaigns/{cid}{sub}", token=token or tok(api))
    assert r.status_code == 200, r.text
    return r.json()["data"]


def summary(api, cid: str) -> dict:
    return get(api, cid, sub="/summary")


def ready(api, cid: str, channel: str) -> None:
    """Bind an included audience and the channel's published template."""
    assert put(api, cid, "audience", {"include": [{"audienceId": SEG_1, "type": "segment"}]}).status_code == 200
    assert put(api, cid, "content", {"templateId": TEMPLATES[channel]}).status_code == 200


def job(api, cid: str, kind: str = "schedule-jobs", body=None):
    return api.request("POST", f"/campaigns/{cid}/{kind}", token=tok(api), json_body=body if body is not None else {})


def refused(r, code: str, status: int = 400) -> dict:
    assert r.status_code == status, r.text
    assert r.json()["success"] is False and r.json()["error"]["code"] == code
    return r.json()["error"]


# --------------------------------------------------------------------------- content binding
@pytest.mark.req("CAMP-CONT-001", "CAMP-CONT-002")
def test_content_put_binds_the_template_and_answers_the_campaign_object(api):
    r = put(api, DOC_DM_CAMPAIGN, "content", {"templateId": DOC_DM_TEMPLATE})
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["campaignId"] == DOC_DM_CAMPAIGN and data["authoringStatus"] == "draft"
    expected = {"id": DOC_DM_TEMPLATE, "name": "Spring DM v3", "status": "published", "channel": "direct_mail"}
    assert data["content"]["template"] == expected
    assert isinstance(data["content"]["proofStatus"], str)
    assert set(data["content"]) == {"template", "proofStatus"}
    assert data == get(api, DOC_DM_CAMPAIGN)
    assert summary(api, DOC_DM_CAMPAIGN)["content"]["template"] == expected
    # a second PUT replaces the binding
    r = put(api, DOC_DM_CAMPAIGN, "content", {"templateId": TEMPLATES["direct_mail"]})
    assert r.status_code == 200
    assert get(api, DOC_DM_CAMPAIGN)["content"]["template"]["id"] == TEMPLATES["direct_mail"]


@pytest.mark.req("CAMP-CONT-002")
def test_content_template_is_null_until_bound(api):
    cid = create(api, "sms")
    for view in (get(api, cid), summary(api, cid)):
        assert view["content"]["template"] is None and isinstance(view["content"]["proofStatus"], str)
    assert put(api, cid, "content", {"templateId": TEMPLATES["sms"]}).status_code == 200
    t = get(api, cid)["content"]["template"]
    assert set(t) == {"id", "name", "status", "channel"}
    assert (t["id"], t["status"], t["channel"]) == (TEMPLATES["sms"], "published", "sms")


@pytest.mark.req("CAMP-CONT-003")
@pytest.mark.parametrize("body", [{}, {"templateId": "not-a-uuid"}, {"templateId": 42}, {"templateId": None},
                                  {"template": TEMPLATES["email"]}],
                         ids=["empty", "non-uuid", "number", "null", "wrong-field"])
def test_content_body_is_template_id_uuid(api, body):
    cid = create(api)
    assert put(api, cid, "content", {"templateId": TEMPLATES["email"]}).status_code == 200
    before = get(api, cid)
    refused(put(api, cid, "content", body), VALIDATION_FAILED)
    assert get(api, cid) == before


@pytest.mark.req("CAMP-CONT-004")
@pytest.mark.parametrize("template_id", [str(uuid.uuid4()), T2_EMAIL_TEMPLATE], ids=["unknown", "other-tenant"])
def test_unknown_template_in_the_tenant_is_template_not_found(api, template_id):
    cid = create(api)
    assert put(api, cid, "content", {"templateId": TEMPLATES["email"]}).status_code == 200
    before = get(api, cid)
    refused(put(api, cid, "content", {"templateId": template_id}), TEMPLATE_NOT_FOUND)
    assert get(api, cid) == before


@pytest.mark.req("CAMP-CONT-005")
@pytest.mark.parametrize("channel,template", [("email", "sms"), ("sms", "push"), ("push", "email"),
                                              ("direct_mail", "email"), ("email", "direct_mail")])
def test_template_of_another_channel_is_channel_mismatch(api, channel, template):
    cid = create(api, channel)
    assert put(api, cid, "content", {"templateId": TEMPLATES[channel]}).status_code == 200
    before = get(api, cid)
    refused(put(api, cid, "content", {"templateId": TEMPLATES[template]}), CHANNEL_MISMATCH)
    assert get(api, cid) == before


@pytest.mark.req("CAMP-CONT-006")
def test_unpublished_template_is_accepted_but_jobs_answer_content_required(api):
    cid = create(api)
    assert put(api, cid, "audience", {"include": [{"audienceId": SEG_1, "type": "segment"}]}).status_code == 200
    r = put(api, cid, "content", {"templateId": UNPUBLISHED_EMAIL_TEMPLATE})
    assert r.status_code == 200, r.text
    template = r.json()["data"]["content"]["template"]
    assert template["id"] == UNPUBLISHED_EMAIL_TEMPLATE and template["status"] != "published"
    refused(job(api, cid, "schedule-jobs", {"sendAt": FUTURE}), CONTENT_REQUIRED, 409)
    refused(job(api, cid, "send-jobs", {}), CONTENT_REQUIRED, 409)
    refused(job(api, cid, "send-jobs", {"dryRun": True}), CONTENT_REQUIRED, 409)
    assert get(api, cid)["authoringStatus"] == "draft"
    assert put(api, cid, "content", {"templateId": TEMPLATES["email"]}).status_code == 200
    assert job(api, cid, "send-jobs", {"dryRun": True}).status_code == 200


# --------------------------------------------------------------------------- schedule intent: digital
@pytest.mark.req("CAMP-SCHED-001", "CAMP-SCHED-011", "CAMP-SCHED-012", "CAMP-SCHED-018", "CAMP-TZ-001")
@pytest.mark.parametrize("channel", DIGITAL)
def test_digital_channels_take_mode_now_and_at(api, channel):
    cid = create(api, channel)
    r = put(api, cid, "schedule", {"mode": "now"})
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["campaignId"] == cid and data["channel"] == channel and data["authoringStatus"] == "draft"
    assert data["schedule"] == {"kind": "digital_send", "mode": "now", "sendAt": None, "timezone": "UTC",
                                "scheduled": False}
    assert data == get(api, cid)

    r = put(api, cid, "schedule", {"mode": "at", "sendAt": FUTURE})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["schedule"] == {"kind": "digital_send", "mode": "at", "sendAt": FUTURE,
                                            "timezone": "UTC", "scheduled": True}
    assert get(api, cid)["schedule"] == r.json()["data"]["schedule"]


@pytest.mark.req("CAMP-SCHED-012", "CAMP-SCHED-014", "CAMP-TZ-002")
def test_documented_email_example_is_stored_and_shown_in_the_summary(api):
    cid = create(api)
    r = put(api, cid, "schedule", {"mode": "at", "sendAt": FUTURE, "timezone": "America/New_York"})
    assert r.status_code == 200, r.text
    expected = {"kind": "digital_send", "mode": "at", "sendAt": "2026-05-01T09:00:00.000Z",
                "timezone": "America/New_York", "scheduled": True}  # 001's schedule object example
    assert r.json()["data"]["schedule"] == expected
    assert get(api, cid)["schedule"] == expected
    assert summary(api, cid)["schedule"] == expected


@pytest.mark.req("CAMP-SCHED-002", "CAMP-SCHED-016", "CAMP-SCHED-021")
@pytest.mark.parametrize("body", [{"mode": "at"}, {"mode": "at", "sendAt": None},
                                  {"mode": "at", "timezone": "America/New_York"}],
                         ids=["missing", "null", "missing-with-timezone"])
def test_mode_at_without_send_at_is_send_at_required(api, body):
    cid = create(api)
    assert put(api, cid, "schedule", {"mode": "now"}).status_code == 200
    before = get(api, cid)
    refused(put(api, cid, "schedule", body), SEND_AT_REQUIRED)
    assert get(api, cid) == before


@pytest.mark.req("CAMP-SCHED-003", "CAMP-SCHED-016", "CAMP-SCHED-021")
@pytest.mark.parametrize("send_at", ["tomorrow", "2026-13-01T09:00:00Z", "2026-05-01", "2026-05-01T09:00:00",
                                     "01/05/2026 09:00", "", 1777626000],
                         ids=["word", "month-13", "date-only", "no-offset", "us-format", "empty", "number"])
def test_malformed_send_at_is_send_at_invalid(api, send_at):
    cid = create(api, "push")
    before = get(api, cid)
    refused(put(api, cid, "schedule", {"mode": "at", "sendAt": send_at}), SEND_AT_INVALID)
    assert get(api, cid) == before


@pytest.mark.req("CAMP-SCHED-004", "CAMP-SCHED-016")
@pytest.mark.parametrize("send_at", ["2026-04-25T09:59:59.000Z", "2020-01-01T00:00:00Z",
                                     "2026-04-25T10:00:00.000Z", "2026-04-25T06:00:00-04:00"],
                         ids=["one-second-ago", "years-ago", "exactly-now", "now-with-offset"])
def test_send_at_not_in_the_future_is_send_at_invalid(api, send_at):
    cid = create(api, "sms")
    before = get(api, cid)
    refused(put(api, cid, "schedule", {"mode": "at", "sendAt": send_at}), SEND_AT_INVALID)
    assert get(api, cid) == before
    r = put(api, cid, "schedule", {"mode": "at", "sendAt": "2026-04-25T10:00:01.000Z"})  # one second ahead
    assert r.status_code == 200 and r.json()["data"]["schedule"]["sendAt"] == "2026-04-25T10:00:01.000Z"


@pytest.mark.req("CAMP-SCHED-015", "CAMP-SCHED-018")
def test_mode_now_ignores_send_at(api):
    cid = create(api)
    r = put(api, cid, "schedule", {"mode": "now", "sendAt": FUTURE})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["schedule"]["sendAt"] is None
    assert r.json()["data"]["schedule"]["scheduled"] is False
    assert get(api, cid)["schedule"]["sendAt"] is None


@pytest.mark.req("CAMP-SCHED-009")
@pytest.mark.parametrize("channel", DIGITAL)
def test_batch_on_date_on_a_digital_channel_is_unsupported_channel(api, channel):
    cid = create(api, channel)
    refused(put(api, cid, "schedule", {"mode": "batch_on_date", "batchDate": "2026-05-01"}), UNSUPPORTED_CHANNEL)
    assert get(api, cid)["schedule"] is None


# --------------------------------------------------------------------------- schedule intent: direct mail
@pytest.mark.req("CAMP-SCHED-005", "CAMP-SCHED-013", "CAMP-SCHED-014", "CAMP-SCHED-018", "CAMP-TZ-003")
def test_documented_direct_mail_example(api):
    r = put(api, DOC_DM_CAMPAIGN, "schedule",
            {"mode": "batch_on_date", "batchDate": "2026-05-01", "timezone": "America/New_York"})
    assert r.status_code == 200, r.text
    expected = {"kind": "direct_mail_batch", "mode": "batch_on_date", "batchDate": "2026-05-01",
                "timezone": "America/New_York", "timezoneSource": "request", "scheduled": True}  # 001
    data = r.json()["data"]
    assert data["campaignId"] == DOC_DM_CAMPAIGN and data["name"] == "Spring Re-engagement Direct Mail"
    assert data["schedule"] == expected
    assert get(api, DOC_DM_CAMPAIGN)["schedule"] == expected
    assert summary(api, DOC_DM_CAMPAIGN)["schedule"] == expected


@pytest.mark.req("CAMP-SCHED-010")
@pytest.mark.parametrize("body", [{"mode": "now"}, {"mode": "at", "sendAt": FUTURE},
                                  {"mode": "at", "sendAt": FUTURE, "timezone": "America/New_York"}],
                         ids=["now", "at", "at-with-timezone"])
def test_now_or_at_on_direct_mail_is_unsupported_channel(api, body):
    refused(put(api, DOC_DM_CAMPAIGN, "schedule", body), UNSUPPORTED_CHANNEL)
    assert get(api, DOC_DM_CAMPAIGN)["schedule"] is None


@pytest.mark.req("CAMP-SCHED-006", "CAMP-SCHED-021")
@pytest.mark.parametrize("body", [{"mode": "batch_on_date"}, {"mode": "batch_on_date", "timezone": "UTC"}],
                         ids=["bare", "with-timezone"])
def test_batch_on_date_without_batch_date_is_batch_date_required(api, body):
    assert put(api, DOC_DM_CAMPAIGN, "schedule", {"mode": "batch_on_date", "batchDate": "2026-05-01"}).status_code == 200
    before = get(api, DOC_DM_CAMPAIGN)
    refused(put(api, DOC_DM_CAMPAIGN, "schedule", body), BATCH_DATE_REQUIRED)
    assert get(api, DOC_DM_CAMPAIGN) == before


@pytest.mark.req("CAMP-SCHED-007", "CAMP-SCHED-021")
@pytest.mark.parametrize("batch_date", ["2026-05-01T09:00:00.000Z", "2026-05-01T00:00:00", "2026/05/01",
                                        "05-01-2026", "2026-02-30", "2026-5-1", "next week", 20260501],
                         ids=["with-time", "with-local-time", "slashes", "us-order", "feb-30", "no-padding",
                              "words", "number"])
def test_malformed_batch_date_is_batch_date_invalid(api, batch_date):
    before = get(api, DOC_DM_CAMPAIGN)
    refused(put(api, DOC_DM_CAMPAIGN, "schedule", {"mode": "batch_on_date", "batchDate": batch_date}),
            BATCH_DATE_INVALID)
    assert get(api, DOC_DM_CAMPAIGN) == before


@pytest.mark.req("CAMP-SCHED-008", "CAMP-SCHED-017")
def test_batch_date_before_today_in_the_resolved_timezone_is_batch_date_invalid(api):
    # 2026-04-25T10:00Z: 2026-04-25 in UTC and New York, already 2026-04-26 in Pacific/Kiritimati (UTC+14)
    for body in ({"batchDate": "2020-01-01"}, {"batchDate": "2026-04-24"},
                 {"batchDate": "2026-04-25", "timezone": "Pacific/Kiritimati"}):
        refused(put(api, DOC_DM_CAMPAIGN, "schedule", {"mode": "batch_on_date", **body}), BATCH_DATE_INVALID)
    assert get(api, DOC_DM_CAMPAIGN)["schedule"] is None
    # today is allowed
    for tz in ("UTC", "America/New_York", None):
        r = put(api, DOC_DM_CAMPAIGN, "schedule", {"mode": "batch_on_date", "batchDate": "2026-04-25", "timezone": tz})
        assert r.status_code == 200, r.text
        assert r.json()["data"]["schedule"]["batchDate"] == "2026-04-25"


@pytest.mark.req("CAMP-SCHED-017", "CAMP-TZ-004")
def test_today_is_judged_in_the_tenant_default_timezone(api):
    assert api.admin("POST", "/clock", {"now": "2026-04-26T02:00:00Z"}).status_code == 200  # 2026-04-25 22:00 in New York, 2026-04-26 in UTC
    r = put(api, DOC_DM_CAMPAIGN, "schedule", {"mode": "batch_on_date", "batchDate": "2026-04-25"})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["schedule"]["timezoneSource"] == "tenant_default"
    refused(put(api, DOC_DM_CAMPAIGN, "schedule", {"mode": "batch_on_date", "batchDate": "2026-04-25",
                                                    "timezone": "UTC"}), BATCH_DATE_INVALID)
    assert get(api, DOC_DM_CAMPAIGN)["schedule"]["timezone"] == "America/New_York"


@pytest.mark.req("CAMP-SCHED-017")
def test_schedule_job_accepts_a_batch_date_of_today_in_its_timezone(api):
    cid = create(api, "direct_mail")
    ready(api, cid, "direct_mail")
    assert api.admin("POST", "/clock", {"now": "2026-04-26T02:00:00Z"}).status_code == 200
    r = job(api, cid, body={"batchDate": "2026-04-25", "timezone": "America/New_York", "dryRun": True})
    assert r.status_code == 200, r.text
    refused(job(api, cid, body={"batchDate": "2026-04-25", "timezone": "UTC", "dryRun": True}), BATCH_DATE_INVALID)
    assert get(api, cid)["authoringStatus"] == "draft"


# --------------------------------------------------------------------------- shapes and validation
@pytest.mark.req("CAMP-SCHED-019")
@pytest.mark.parametrize("channel", ["email", "direct_mail"])
def test_schedule_is_null_until_an_intent_is_set(api, channel):
    r = api.request("POST", "/campaigns", token=tok(api), json_body={"name": "fresh", "channel": channel})
    assert r.status_code == 201 and r.json()["data"]["schedule"] is None
    cid = r.json()["data"]["campaignId"]
    assert get(api, cid)["schedule"] is None and summary(api, cid)["schedule"] is None


@pytest.mark.req("CAMP-SCHED-020")
@pytest.mark.parametrize("cid_kind,body", [
    ("email", {"mode": "now", "priority": "high"}),
    ("email", {"mode": "at", "sendAt": FUTURE, "batchDate": "2026-05-01"}),
    ("email", {"mode": "later", "sendAt": FUTURE}),
    ("email", {"mode": "NOW"}),
    ("email", {"sendAt": FUTURE}),
    ("direct_mail", {"mode": "batch_on_date", "batchDate": "2026-05-01", "sendAt": FUTURE}),
    ("direct_mail", {"mode": "batch", "batchDate": "2026-05-01"}),
], ids=["digital-unknown-field", "digital-batchDate", "unknown-mode", "upper-case-mode", "no-mode",
        "dm-unknown-field", "dm-unknown-mode"])
def test_unknown_fields_and_modes_are_validation_failed(api, cid_kind, body):
    cid = create(api, cid_kind)
    refused(put(api, cid, "schedule", body), VALIDATION_FAILED)
    assert get(api, cid)["schedule"] is None


@pytest.mark.req("CAMP-SCHED-021", "CAMP-TZ-006")
def test_spec_annotates_schedule_codes_and_timezone_sources(api):
    schemas = load_spec(plugin.spec_path).document["components"]["schemas"]
    assert sorted(schemas["TimezoneSource"]["enum"]) == ["request", "tenant_default", "utc_fallback"]
    assert schemas["DirectMailBatchSchedule"]["properties"]["timezoneSource"] == {
        "$ref": "#/components/schemas/TimezoneSource"}
    assert schemas["DigitalScheduleIntent"]["properties"]["sendAt"]["x-error-code"] == SEND_AT_INVALID
    assert schemas["DirectMailScheduleIntent"]["properties"]["batchDate"]["x-error-code"] == BATCH_DATE_INVALID
    assert schemas["DirectMailScheduleIntent"]["x-required-codes"] == {"batchDate": BATCH_DATE_REQUIRED}
    assert schemas["ScheduleJobRequest"]["properties"]["sendAt"]["x-error-code"] == SEND_AT_INVALID
    assert schemas["ScheduleJobRequest"]["properties"]["batchDate"]["x-error-code"] == BATCH_DATE_INVALID


@pytest.mark.req("CAMP-SCHED-021")
def test_schedule_job_answers_the_documented_time_codes(api):
    email, dm = create(api, "email"), create(api, "direct_mail")
    ready(api, email, "email")
    ready(api, dm, "direct_mail")
    refused(job(api, email, body={}), SEND_AT_REQUIRED)
    refused(job(api, email, body={"sendAt": "tomorrow"}), SEND_AT_INVALID)
    refused(job(api, email, body={"sendAt": "2026-04-25T09:00:00Z"}), SEND_AT_INVALID)
    assert put(api, email, "schedule", {"mode": "now"}).status_code == 200
    refused(job(api, email, body={}), SEND_AT_REQUIRED)  # a saved "now" names no time
    refused(job(api, dm, body={}), BATCH_DATE_REQUIRED)
    refused(job(api, dm, body={"batchDate": "05/01/2026"}), BATCH_DATE_INVALID)
    refused(job(api, dm, body={"batchDate": "2026-04-01"}), BATCH_DATE_INVALID)
    assert get(api, email)["authoringStatus"] == "draft" and get(api, dm)["authoringStatus"] == "draft"


# --------------------------------------------------------------------------- timezones
@pytest.mark.req("CAMP-TZ-001", "CAMP-TZ-002")
@pytest.mark.parametrize("given,stored", [(None, "UTC"), ("UTC", "UTC"), ("Europe/Paris", "Europe/Paris"),
                                          ("Asia/Kolkata", "Asia/Kolkata"), ("omit", "UTC")])
def test_digital_timezone_is_stored_as_given_else_utc(api, given, stored):
    cid = create(api, "email")
    body = {"mode": "at", "sendAt": FUTURE} | ({} if given == "omit" else {"timezone": given})
    r = put(api, cid, "schedule", body)
    assert r.status_code == 200, r.text
    assert r.json()["data"]["schedule"]["timezone"] == stored
    assert get(api, cid)["schedule"]["timezone"] == stored
    assert "timezoneSource" not in r.json()["data"]["schedule"]


@pytest.mark.req("CAMP-TZ-002", "CAMP-TZ-003", "CAMP-TZ-006")
@pytest.mark.parametrize("token_name", ["full", "other_tenant"])
@pytest.mark.parametrize("tz", ["Asia/Tokyo", "America/New_York", "UTC"])
def test_direct_mail_request_timezone_is_used_with_source_request(api, token_name, tz):
    token = tok(api, token_name)
    cid = create(api, "direct_mail", token=token)
    r = put(api, cid, "schedule", {"mode": "batch_on_date", "batchDate": "2026-05-01", "timezone": tz}, token=token)
    assert r.status_code == 200, r.text
    assert (r.json()["data"]["schedule"]["timezone"], r.json()["data"]["schedule"]["timezoneSource"]) == (tz, "request")
    assert get(api, cid, token=token)["schedule"]["timezoneSource"] == "request"


@pytest.mark.req("CAMP-TZ-004", "CAMP-TZ-006")
@pytest.mark.parametrize("body", [{}, {"timezone": None}], ids=["omitted", "null"])
def test_direct_mail_without_timezone_uses_the_tenant_default(api, body):
    r = put(api, DOC_DM_CAMPAIGN, "schedule", {"mode": "batch_on_date", "batchDate": "2026-05-01", **body})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["schedule"] == {
        "kind": "direct_mail_batch", "mode": "batch_on_date", "batchDate": "2026-05-01",
        "timezone": "America/New_York", "timezoneSource": "tenant_default", "scheduled": True}
    assert summary(api, DOC_DM_CAMPAIGN)["schedule"]["timezoneSource"] == "tenant_default"


@pytest.mark.req("CAMP-TZ-005", "CAMP-TZ-006")
@pytest.mark.parametrize("body", [{}, {"timezone": None}], ids=["omitted", "null"])
def test_direct_mail_without_timezone_in_a_tenant_without_default_falls_back_to_utc(api, body):
    token = tok(api, "other_tenant")
    cid = create(api, "direct_mail", token=token)
    r = put(api, cid, "schedule", {"mode": "batch_on_date", "batchDate": "2026-05-01", **body}, token=token)
    assert r.status_code == 200, r.text
    assert r.json()["data"]["schedule"] == {
        "kind": "direct_mail_batch", "mode": "batch_on_date", "batchDate": "2026-05-01",
        "timezone": "UTC", "timezoneSource": "utc_fallback", "scheduled": True}
    assert get(api, cid, token=token)["schedule"]["timezoneSource"] == "utc_fallback"
    # t1 cannot see it
    refused(api.request("GET", f"/campaigns/{cid}", token=tok(api)), NOT_FOUND, 404)



@pytest.mark.req("CAMP-TZ-007")
@pytest.mark.parametrize("channel,intent,body,expected", [
    ("email", {"mode": "at", "sendAt": FUTURE, "timezone": "Europe/Paris"}, {}, "Europe/Paris"),
    ("email", {"mode": "at", "sendAt": FUTURE, "timezone": "Europe/Paris"}, {"timezone": "Asia/Tokyo"}, "Asia/Tokyo"),
    ("sms", {"mode": "now", "timezone": "Asia/Tokyo"}, {"sendAt": FUTURE}, "Asia/Tokyo"),
    ("push", None, {"sendAt": FUTURE}, "UTC"),
    ("direct_mail", {"mode": "batch_on_date", "batchDate": "2026-05-01"}, {}, "America/New_York"),
    ("direct_mail", {"mode": "batch_on_date", "batchDate": "2026-05-01", "timezone": "Europe/Paris"}, {},
     "Europe/Paris"),
    ("direct_mail", None, {"batchDate": "2026-05-01"}, "UTC"),
], ids=["saved-at", "body-wins", "saved-now", "no-intent", "dm-saved-tenant-default", "dm-saved-request",
        "dm-no-intent"])
def test_schedule_job_timezone_is_body_then_saved_intent_then_utc(api, channel, intent, body, expected):
    cid = create(api, channel)
    ready(api, cid, channel)
    if intent is not None:
        assert put(api, cid, "schedule", intent).status_code == 200
    r = job(api, cid, body=body)
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    when = ("batchDate", "2026-05-01") if channel == "direct_mail" else ("sendAt", FUTURE)
    assert (data[when[0]], data["timezone"]) == (when[1], expected)
    assert get(api, cid)["authoringStatus"] == "published"


@pytest.mark.req("CAMP-TZ-008")
@pytest.mark.parametrize("tz", ["Mars/Olympus_Mons", "EST5EDT-nope", "", "america/new york"])
def test_unknown_timezone_is_validation_failed(api, tz):
    email = create(api, "email")
    refused(put(api, email, "schedule", {"mode": "at", "sendAt": FUTURE, "timezone": tz}), VALIDATION_FAILED)
    refused(put(api, DOC_DM_CAMPAIGN, "schedule", {"mode": "batch_on_date", "batchDate": "2026-05-01",
                                                    "timezone": tz}), VALIDATION_FAILED)
    assert get(api, email)["schedule"] is None and get(api, DOC_DM_CAMPAIGN)["schedule"] is None
    ready(api, email, "email")
    refused(job(api, email, body={"sendAt": FUTURE, "timezone": tz}), VALIDATION_FAILED)
    assert get(api, email)["authoringStatus"] == "draft"


# --------------------------------------------------------------------------- draft only, other errors
@pytest.mark.parametrize("case", ["published", "archived"])
def test_schedule_and_content_are_draft_only(api, case):
    cid = PUBLISHED_CAMPAIGN if case == "published" else create(api, "email")
    if case == "archived":
        assert api.request("POST", f"/campaigns/{cid}/archive", token=tok(api)).status_code == 200
    before = get(api, cid)
    refused(put(api, cid, "schedule", {"mode": "at", "sendAt": FUTURE}), NOT_DRAFT, 409)
    refused(put(api, cid, "content", {"templateId": TEMPLATES["email"]}), NOT_DRAFT, 409)
    assert get(api, cid) == before


def test_configuration_is_locked_once_a_schedule_job_is_committed(api):
    cid = create(api, "email")
    ready(api, cid, "email")
    assert put(api, cid, "schedule", {"mode": "at", "sendAt": FUTURE}).status_code == 200
    assert job(api, cid, body={}).status_code == 201
    before = get(api, cid)
    assert before["authoringStatus"] == "published"
    refused(put(api, cid, "schedule", {"mode": "at", "sendAt": "2026-05-02T09:00:00.000Z"}), NOT_DRAFT, 409)
    refused(put(api, cid, "content", {"templateId": TEMPLATES["email"]}), NOT_DRAFT, 409)
    assert get(api, cid) == before


@pytest.mark.parametrize("case", ["unknown", "other-tenant", "deleted"])
def test_schedule_on_a_missing_campaign_is_not_found(api, case):
    cid = {"unknown": str(uuid.uuid4()), "other-tenant": T2_CAMPAIGN}.get(case) or create(api)
    if case == "deleted":
        assert api.request("DELETE", f"/campaigns/{cid}", token=tok(api)).status_code == 200
    refused(put(api, cid, "schedule", {"mode": "now"}), NOT_FOUND, 404)
    if case == "other-tenant":
        assert get(api, T2_CAMPAIGN, token=tok(api, "other_tenant"))["schedule"] is None


def test_schedule_needs_the_campaigns_update_scope(api):
    cid = create(api)
    for name in ("reader", "scope_campaigns_schedule", "no_scopes"):
        error = refused(put(api, cid, "schedule", {"mode": "now"}, token=tok(api, name)),
                        "JOURNEY_API.AUTH.INSUFFICIENT_SCOPE", 403)
        assert error["details"]["requiredScope"] == "campaigns:update"
    assert get(api, cid)["schedule"] is None
    r = put(api, cid, "schedule", {"mode": "now"}, token=tok(api, "scope_campaigns_update"))
    assert r.status_code == 200 and r.json()["data"]["schedule"]["mode"] == "now"
