"""Scenario tests through HTTP against the embedded mock: schedule jobs and send jobs (001).

Readiness codes (each reached singly, then precedence when several apply), the saved schedule intent,
dry runs, committed 201 bodies, direct mail, and the configuration lock after a commit.
Expected statuses, codes and values come from the documents (000-003) and openapi/experiture-v1/decisions.md.
The mock's precedence among several applicable codes is the order in state_machine/model/readiness.py.
"""
from __future__ import annotations

import json
import re

import pytest

from contract_spec import load_spec
from state_machine.apis.experiture_v1 import plugin

NOW = "2026-04-25T10:00:00.000Z"  # the frozen mock clock (conftest)
FUTURE = "2026-05-01T09:00:00.000Z"  # 001's example sendAt
PAST = "2026-04-24T09:00:00.000Z"
TPL = {"email": "5e3a1c2d-0000-4000-8000-000000000001", "sms": "5e3a1c2d-0000-4000-8000-000000000002",
       "push": "5e3a1c2d-0000-4000-8000-000000000003", "direct_mail": "5e3a1c2d-0000-4000-8000-000000000004"}
TPL_UNPUBLISHED = "5e3a1c2d-0000-4000-8000-000000000005"
TPL_SPRING_DM = "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb"
SEG = "a1b2c3d4-0000-0000-0000-000000000001"
DM_SEG = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa"
DOC_DM = "4130bada-9264-465f-bc0c-a26bebcfcc81"
UNKNOWN = "c0000000-0000-4000-8000-00000000dead"
OTHER_TENANT = "c0000000-0000-4000-8000-000000000201"

P = "JOURNEY_API.PUBLIC.CAMPAIGNS."
NOT_FOUND, TYPE_UNSUPPORTED, NOT_DRAFT = P + "NOT_FOUND", P + "TYPE_UNSUPPORTED", P + "NOT_DRAFT"
VERSION_MISSING, AUDIENCE_REQUIRED, CONTENT_REQUIRED = P + "VERSION_MISSING", P + "AUDIENCE.REQUIRED", \
    P + "CONTENT.REQUIRED"
SEND_AT_REQUIRED, SEND_AT_INVALID = "JOURNEY_API.SCHEDULE.SEND_AT_REQUIRED", "JOURNEY_API.SCHEDULE.SEND_AT_INVALID"
BATCH_DATE_REQUIRED, BATCH_DATE_INVALID = "JOURNEY_API.SCHEDULE.BATCH_DATE_REQUIRED", \
    "JOURNEY_API.SCHEDULE.BATCH_DATE_INVALID"
INVALID_FOR_CHANNEL = "JOURNEY_API.SCHEDULE.INVALID_FOR_CHANNEL"
UNSUPPORTED_CHANNEL = "JOURNEY_API.SCHEDULE.UNSUPPORTED_CHANNEL"
UNSUPPORTED_TYPE = "JOURNEY_API.SCHEDULE.UNSUPPORTED_TYPE"
PREFLIGHT_BLOCKERS = "JOURNEY_API.BROADCASTS.SCHEDULE.PREFLIGHT_BLOCKERS"
STATUS = {NOT_FOUND: 404, TYPE_UNSUPPORTED: 409, NOT_DRAFT: 409, VERSION_MISSING: 409, AUDIENCE_REQUIRED: 409,
          CONTENT_REQUIRED: 409, SEND_AT_REQUIRED: 400, SEND_AT_INVALID: 400, BATCH_DATE_REQUIRED: 400,
          BATCH_DATE_INVALID: 400, INVALID_FOR_CHANNEL: 400, UNSUPPORTED_CHANNEL: 400, UNSUPPORTED_TYPE: 500,
          PREFLIGHT_BLOCKERS: 400, "JOURNEY_API.AUTH.INSUFFICIENT_SCOPE": 403}  # 001 "Execution Errors"

COMMITTED_DIGITAL_KEYS = {"journeyId", "versionId", "status", "warnings", "bindings", "manifestId", "scheduleId",
                          "touchpointId", "sendAt", "timezone"}
COMMITTED_DM_KEYS = COMMITTED_DIGITAL_KEYS - {"sendAt"} | {"batchDate"}
DRY_RUN_KEYS = {"journeyId", "versionId", "status", "dryRun", "warnings", "bindings"}
BINDING_KEYS = {"journey_version_id", "node_key", "manifest_id", "placeholder_manifest_id", "touchpoint_id",
                "channel"}


# --- helpers ---------------------------------------------------------------------------------------

def call(api, method, path, body=None, token="full"):
    return api.request(method, path, token=api.profile.token(token), json_body=body)


def ok(r, status=200):
    assert r.status_code == status, r.text
    return r.json()["data"]


def create(api, channel="email", name="Scenario") -> str:
    return ok(call(api, "POST", "/campaigns", {"name": name, "channel": channel}), 201)["campaignId"]


bind_audience = lambda api, cid, aud=SEG, kind="segment": ok(call(  # noqa: E731
    api, "PUT", f"/campaigns/{cid}/audience", {"include": [{"audienceId": aud, "type": kind}]}))
bind_template = lambda api, cid, tpl: ok(call(api, "PUT", f"/campaigns/{cid}/content", {"templateId": tpl}))  # noqa: E731
set_intent = lambda api, cid, body: ok(call(api, "PUT", f"/campaigns/{cid}/schedule", body))  # noqa: E731
job = lambda api, cid, kind, body=None: call(api, "POST", f"/campaigns/{cid}/{kind}-jobs", body)  # noqa: E731
campaign = lambda api, cid: ok(call(api, "GET", f"/campaigns/{cid}"))  # noqa: E731
status = lambda api, cid: ok(call(api, "GET", f"/campaigns/{cid}/status"))  # noqa: E731
role = lambda api, name: api.profile.campaigns_with_role(name)[0]["id"]  # noqa: E731


def ready(api, channel="email") -> str:
    """A draft with an included audience and a published template of its channel (001's readiness)."""
    cid = create(api, channel)
    bind_audience(api, cid)
    bind_template(api, cid, TPL[channel])
    return cid


def assert_error(r, status_code, code):
    assert r.status_code == status_code, r.text
    body = r.json()
    assert body["success"] is False and body["error"]["code"] == code, body


def assert_refused_unchanged(api, cid, r, status_code, code, before):
    assert_error(r, status_code, code)
    assert campaign(api, cid) == before
    assert status(api, cid)["execution"] == {"state": "not_scheduled", "lastExecution": None}


KINDS = ["schedule", "send"]
SCHEDULE_BODY = {"schedule": {"sendAt": FUTURE}, "send": {}}  # a body that is fine for each kind


# --- readiness codes, each reached singly (001 "Execution Errors") ---------------------------------

@pytest.mark.req("CAMP-JOB-001")
@pytest.mark.parametrize("kind", KINDS)
def test_no_included_audience_is_audience_required(api, kind):
    cid = create(api)
    bind_template(api, cid, TPL["email"])
    before = campaign(api, cid)
    assert_refused_unchanged(api, cid, job(api, cid, kind, SCHEDULE_BODY[kind]), 409, AUDIENCE_REQUIRED, before)


@pytest.mark.req("CAMP-JOB-002")
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("template", [None, TPL_UNPUBLISHED], ids=["no-template", "unpublished-template"])
def test_no_published_template_is_content_required(api, kind, template):
    cid = create(api)
    bind_audience(api, cid)
    if template:
        bind_template(api, cid, template)
    before = campaign(api, cid)
    assert_refused_unchanged(api, cid, job(api, cid, kind, SCHEDULE_BODY[kind]), 409, CONTENT_REQUIRED, before)


@pytest.mark.req("CAMP-JOB-003")
@pytest.mark.parametrize("kind", KINDS)
def test_no_current_version_is_version_missing(api, kind):
    cid = role(api, "version_missing")
    before = campaign(api, cid)
    assert before["currentVersionId"] is None
    assert_refused_unchanged(api, cid, job(api, cid, kind, SCHEDULE_BODY[kind]), 409, VERSION_MISSING, before)


@pytest.mark.req("CAMP-JOB-004", "CAMP-PREF-007")
@pytest.mark.parametrize("kind", KINDS)
def test_blocking_preflight_check_is_preflight_blockers(api, kind):
    cid = role(api, "preflight_blockers")
    before = campaign(api, cid)
    pre = ok(call(api, "POST", f"/campaigns/{cid}/preflight"))
    assert pre["status"] == "blocked"
    assert [c["id"] for c in pre["checks"] if c["status"] == "block"] == ["template_compliance"]
    r = job(api, cid, kind, SCHEDULE_BODY[kind])
    assert_error(r, 400, PREFLIGHT_BLOCKERS)
    after = campaign(api, cid)
    assert after["authoringStatus"] == "draft" and after == before
    assert status(api, cid)["execution"]["state"] == "not_scheduled"


@pytest.mark.req("CAMP-PREF-007")
def test_preflight_blockers_only_while_the_blocking_check_remains(api):
    """Rebinding a compliant template removes the one blocker: the same job is then committed."""
    cid = role(api, "preflight_blockers")
    assert_error(job(api, cid, "send", {"dryRun": True}), 400, PREFLIGHT_BLOCKERS)
    bind_template(api, cid, TPL["email"])
    pre = ok(call(api, "POST", f"/campaigns/{cid}/preflight"))
    assert pre["status"] == "passed" and not [c for c in pre["checks"] if c["status"] == "block"]
    assert job(api, cid, "send", {}).status_code == 201


@pytest.mark.req("CAMP-JOB-007", "CAMP-JOB-018")
@pytest.mark.parametrize("intent", [None, {"mode": "now"}], ids=["no-intent", "intent-now"])
@pytest.mark.parametrize("body", [{}, {"sendAt": None}], ids=["empty", "null-sendAt"])
def test_schedule_job_without_any_send_time_is_send_at_required(api, intent, body):
    cid = ready(api)
    if intent:
        set_intent(api, cid, intent)
    before = campaign(api, cid)
    assert_refused_unchanged(api, cid, job(api, cid, "schedule", body), 400, SEND_AT_REQUIRED, before)


@pytest.mark.req("CAMP-JOB-008")
@pytest.mark.parametrize("send_at", [PAST, NOW, "tomorrow", "2026-05-01 09:00"], ids=["past", "now", "word", "no-T"])
def test_schedule_job_body_send_at_malformed_or_not_future_is_send_at_invalid(api, send_at):
    cid = ready(api)
    before = campaign(api, cid)
    assert_refused_unchanged(api, cid, job(api, cid, "schedule", {"sendAt": send_at}), 400, SEND_AT_INVALID, before)


@pytest.mark.req("CAMP-JOB-008", "CAMP-JOB-005")
def test_saved_send_at_that_has_passed_is_send_at_invalid(api):
    cid = ready(api)
    set_intent(api, cid, {"mode": "at", "sendAt": "2026-04-25T11:00:00.000Z"})
    api.admin("POST", "/clock", {"advanceSeconds": 2 * 3600})
    before = campaign(api, cid)
    assert_refused_unchanged(api, cid, job(api, cid, "schedule", {}), 400, SEND_AT_INVALID, before)


@pytest.mark.req("CAMP-JOB-009")
@pytest.mark.parametrize("body", [{}, {"batchDate": None}], ids=["empty", "null-batchDate"])
def test_direct_mail_schedule_job_without_batch_date_is_batch_date_required(api, body):
    cid = ready(api, "direct_mail")
    before = campaign(api, cid)
    assert_refused_unchanged(api, cid, job(api, cid, "schedule", body), 400, BATCH_DATE_REQUIRED, before)


@pytest.mark.req("CAMP-JOB-010")
@pytest.mark.parametrize("batch_date", ["2020-01-01", "2026-04-24", "2026/05/01", "2026-02-30"],
                         ids=["long-past", "yesterday", "slashes", "no-such-day"])
def test_direct_mail_batch_date_malformed_or_past_is_batch_date_invalid(api, batch_date):
    cid = ready(api, "direct_mail")
    before = campaign(api, cid)
    r = job(api, cid, "schedule", {"batchDate": batch_date})
    assert_refused_unchanged(api, cid, r, 400, BATCH_DATE_INVALID, before)


@pytest.mark.req("CAMP-JOB-010", "CAMP-JOB-006")
def test_saved_batch_date_that_has_passed_is_batch_date_invalid(api):
    cid = ready(api, "direct_mail")
    set_intent(api, cid, {"mode": "batch_on_date", "batchDate": "2026-04-26"})
    api.admin("POST", "/clock", {"now": "2026-04-28T12:00:00Z"})
    before = campaign(api, cid)
    assert_refused_unchanged(api, cid, job(api, cid, "schedule", {}), 400, BATCH_DATE_INVALID, before)


@pytest.mark.req("CAMP-SEND-001")
@pytest.mark.parametrize("body", [{}, {"dryRun": True}], ids=["commit", "dry-run"])
def test_send_job_on_direct_mail_is_invalid_for_channel(api, body):
    """A direct-mail draft ready in every other way: only the channel rule applies."""
    cid = ready(api, "direct_mail")
    set_intent(api, cid, {"mode": "batch_on_date", "batchDate": "2026-05-01"})
    before = campaign(api, cid)
    assert_refused_unchanged(api, cid, job(api, cid, "send", body), 400, INVALID_FOR_CHANNEL, before)
    assert job(api, cid, "schedule", {}).status_code == 201  # 001: "Use POST /schedule-jobs with a batchDate"


@pytest.mark.req("CAMP-JOB-017")
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("cid", [UNKNOWN, OTHER_TENANT], ids=["unknown", "other-tenant"])
def test_missing_campaign_is_not_found(api, kind, cid):
    assert_error(job(api, cid, kind, SCHEDULE_BODY[kind]), 404, NOT_FOUND)


# --- precedence when several codes apply (mock order: readiness.py; any applicable code is allowed) ---

def _dm_committed(api):
    cid = ready(api, "direct_mail")
    assert job(api, cid, "schedule", {"batchDate": "2026-05-01"}).status_code == 201
    return cid


PRECEDENCE = [  # (id, setup -> campaign id, kind, body, the mock's first code, every code whose condition holds)
    ("deleted", lambda api: ok(call(api, "DELETE", f"/campaigns/{create(api)}"))["campaignId"], "send", {},
     NOT_FOUND, {NOT_FOUND, AUDIENCE_REQUIRED, CONTENT_REQUIRED, PREFLIGHT_BLOCKERS}),
    ("other-tenant", lambda api: OTHER_TENANT, "schedule", {},
     NOT_FOUND, {NOT_FOUND, AUDIENCE_REQUIRED, CONTENT_REQUIRED, SEND_AT_REQUIRED, PREFLIGHT_BLOCKERS}),
    ("journey", lambda api: role(api, "unsupported_type"), "schedule", {},
     TYPE_UNSUPPORTED, {TYPE_UNSUPPORTED, AUDIENCE_REQUIRED, CONTENT_REQUIRED, SEND_AT_REQUIRED, PREFLIGHT_BLOCKERS}),
    ("fresh-direct-mail", lambda api: DOC_DM, "send", {},
     INVALID_FOR_CHANNEL, {INVALID_FOR_CHANNEL, AUDIENCE_REQUIRED, CONTENT_REQUIRED, PREFLIGHT_BLOCKERS}),
    ("published-direct-mail", _dm_committed, "send", {}, INVALID_FOR_CHANNEL, {INVALID_FOR_CHANNEL, NOT_DRAFT}),
    ("completed-past-intent", lambda api: role(api, "completed"), "schedule", {},
     NOT_DRAFT, {NOT_DRAFT, SEND_AT_INVALID}),
    ("no-version-unpublished",
     lambda api: bind_template(api, role(api, "version_missing"), TPL_UNPUBLISHED)["campaignId"], "schedule", {},
     VERSION_MISSING, {VERSION_MISSING, CONTENT_REQUIRED, SEND_AT_REQUIRED, PREFLIGHT_BLOCKERS}),
    ("fresh-past-send-at", create, "schedule", {"sendAt": PAST},
     AUDIENCE_REQUIRED, {AUDIENCE_REQUIRED, CONTENT_REQUIRED, SEND_AT_INVALID, PREFLIGHT_BLOCKERS}),
    ("unpublished-no-time",
     lambda api: bind_template(api, bind_audience(api, create(api))["campaignId"], TPL_UNPUBLISHED)["campaignId"],
     "schedule", {}, CONTENT_REQUIRED, {CONTENT_REQUIRED, SEND_AT_REQUIRED, PREFLIGHT_BLOCKERS}),
    ("blocked-no-time", lambda api: role(api, "preflight_blockers"), "schedule", {},
     SEND_AT_REQUIRED, {SEND_AT_REQUIRED, PREFLIGHT_BLOCKERS}),
    ("blocked-bad-time", lambda api: role(api, "preflight_blockers"), "schedule", {"sendAt": "tomorrow"},
     SEND_AT_INVALID, {SEND_AT_INVALID, PREFLIGHT_BLOCKERS}),
]


@pytest.mark.req("CAMP-JOB-017")
@pytest.mark.parametrize("setup,kind,body,first,applicable", [p[1:] for p in PRECEDENCE],
                         ids=[p[0] for p in PRECEDENCE])
def test_readiness_precedence_when_several_codes_apply(api, setup, kind, body, first, applicable):
    cid = setup(api)
    read_back = lambda: (lambda r: (r.status_code, r.json()))(call(api, "GET", f"/campaigns/{cid}/status"))  # noqa
    before = read_back()
    r = job(api, cid, kind, body)
    assert r.json()["error"]["code"] in applicable
    assert_error(r, STATUS[first], first)
    if first == TYPE_UNSUPPORTED:
        assert r.json()["error"]["details"]["campaignType"] == "journey"
    assert read_back() == before  # the refusal changed nothing


@pytest.mark.req("CAMP-JOB-020")
def test_mock_never_answers_500_on_job_operations(api):
    for c in api.profile.fixtures["campaigns"]:
        for kind in KINDS:
            for body in ({}, {"dryRun": True}, {"sendAt": FUTURE, "dryRun": True}):
                r = job(api, c["id"], kind, body)
                assert r.status_code < 500, (c["role"], kind, body, r.text)


# --- saved intent (001: "if sendAt is omitted the API uses the saved schedule intent") --------------

@pytest.mark.req("CAMP-JOB-005", "CAMP-JOB-016")
@pytest.mark.parametrize("body", [None, {}], ids=["no-body", "empty-object"])
def test_digital_schedule_job_uses_saved_send_at_and_timezone(api, body):
    cid = ready(api)
    set_intent(api, cid, {"mode": "at", "sendAt": FUTURE, "timezone": "America/New_York"})
    data = ok(job(api, cid, "schedule", body), 201)
    assert data["sendAt"] == FUTURE and data["timezone"] == "America/New_York"
    assert status(api, cid)["schedule"]["sendAt"] == FUTURE


@pytest.mark.req("CAMP-JOB-005")
def test_body_send_at_and_timezone_override_the_saved_intent(api):
    cid = ready(api, "sms")
    set_intent(api, cid, {"mode": "at", "sendAt": FUTURE, "timezone": "America/New_York"})
    data = ok(job(api, cid, "schedule", {"sendAt": "2026-05-02T12:30:00.000Z", "timezone": "Europe/Paris"}), 201)
    assert data["sendAt"] == "2026-05-02T12:30:00.000Z" and data["timezone"] == "Europe/Paris"
    assert ok(job(api, ready(api, "push"), "schedule", {"sendAt": FUTURE}), 201)["timezone"] == "UTC"  # default


@pytest.mark.req("CAMP-JOB-006", "CAMP-JOB-016")
@pytest.mark.parametrize("body", [None, {}], ids=["no-body", "empty-object"])
def test_direct_mail_schedule_job_uses_saved_batch_date(api, body):
    cid = ready(api, "direct_mail")
    set_intent(api, cid, {"mode": "batch_on_date", "batchDate": "2026-05-01", "timezone": "America/Chicago"})
    data = ok(job(api, cid, "schedule", body), 201)
    assert data["batchDate"] == "2026-05-01" and data["timezone"] == "America/Chicago"
    assert status(api, cid)["schedule"]["batchDate"] == "2026-05-01"


@pytest.mark.req("CAMP-JOB-011", "CAMP-JOB-019")
def test_batch_date_is_not_used_for_a_digital_campaign(api):
    cid = ready(api)
    set_intent(api, cid, {"mode": "at", "sendAt": FUTURE})
    r = job(api, cid, "schedule", {"batchDate": "2026-05-03"})
    data = ok(r, 201)  # the mock ignores it; UNSUPPORTED_CHANNEL would also be allowed (decisions)
    assert data["sendAt"] == FUTURE and "batchDate" not in data


@pytest.mark.req("CAMP-JOB-011", "CAMP-JOB-019", "CAMP-JOB-014", "CAMP-TZ-007")
def test_send_at_is_not_used_for_direct_mail_and_timezone_defaults_to_utc(api):
    """001: sendAt is "Not used for direct mail"; the job timezone "Defaults to saved schedule timezone or
    "UTC"" (no saved intent here, so UTC, not the tenant default)."""
    cid = ready(api, "direct_mail")
    data = ok(job(api, cid, "schedule", {"batchDate": "2026-05-01", "sendAt": "2026-05-03T09:00:00.000Z"}), 201)
    assert data["batchDate"] == "2026-05-01" and "sendAt" not in data and data["timezone"] == "UTC"


# --- committed bodies (001) ------------------------------------------------------------------------

def _assert_bindings(data, channel):
    assert len(data["bindings"]) >= 1
    for b in data["bindings"]:
        assert set(b) == BINDING_KEYS
        assert b["channel"] == channel
        assert isinstance(b["touchpoint_id"], int) and not isinstance(b["touchpoint_id"], bool)
        assert b["placeholder_manifest_id"] is None or isinstance(b["placeholder_manifest_id"], str)
        assert b["journey_version_id"] == data["versionId"]


@pytest.mark.req("CAMP-JOB-013", "CAMP-JOB-015", "CAMP-JOB-021")
def test_committed_digital_schedule_job_body(api):
    cid = ready(api)
    version = campaign(api, cid)["currentVersionId"]
    r = job(api, cid, "schedule", {"sendAt": FUTURE, "timezone": "America/New_York"})
    data = ok(r, 201)
    assert r.json()["success"] is True
    assert set(data) == COMMITTED_DIGITAL_KEYS
    assert data["journeyId"] == cid and data["versionId"] == version and data["status"] == "published"
    assert data["sendAt"] == FUTURE and data["timezone"] == "America/New_York"
    _assert_bindings(data, "email")
    assert campaign(api, cid)["authoringStatus"] == "published"


@pytest.mark.req("CAMP-JOB-014", "CAMP-JOB-015")
def test_committed_direct_mail_schedule_job_body_on_the_documents_example(api):
    """001's direct-mail example on the documents' campaign, template and segment."""
    bind_audience(api, DOC_DM, DM_SEG)
    bind_template(api, DOC_DM, TPL_SPRING_DM)
    data = ok(job(api, DOC_DM, "schedule", {"batchDate": "2026-05-01", "timezone": "America/New_York"}), 201)
    assert set(data) == COMMITTED_DM_KEYS
    assert data["journeyId"] == DOC_DM and data["status"] == "published"
    assert data["batchDate"] == "2026-05-01" and data["timezone"] == "America/New_York"
    _assert_bindings(data, "direct_mail")
    st = status(api, DOC_DM)
    assert st["authoringStatus"] == "published" and st["schedule"]["batchDate"] == "2026-05-01"


@pytest.mark.req("CAMP-SEND-002", "CAMP-SEND-005", "CAMP-JOB-015", "CAMP-JOB-021")
@pytest.mark.parametrize("channel", ["email", "sms", "push"])
def test_committed_send_job_body(api, channel):
    cid = ready(api, channel)
    set_intent(api, cid, {"mode": "at", "sendAt": FUTURE, "timezone": "America/New_York"})
    data = ok(job(api, cid, "send", {}), 201)
    assert set(data) == COMMITTED_DIGITAL_KEYS  # "Same shape as Create Schedule Job"
    assert data["journeyId"] == cid and data["status"] == "published"
    assert data["sendAt"] == NOW and data["timezone"] == "UTC"
    _assert_bindings(data, channel)


@pytest.mark.req("CAMP-SEND-003", "CAMP-SEND-004")
def test_send_job_ignores_the_saved_future_intent(api):
    cid = ready(api)
    set_intent(api, cid, {"mode": "at", "sendAt": FUTURE})
    data = ok(api.request("POST", f"/campaigns/{cid}/send-jobs", token=api.profile.token("full")), 201)
    assert data["sendAt"] == NOW
    st = status(api, cid)
    assert st["schedule"]["sendAt"] == NOW
    assert st["execution"]["state"] == "pending_or_overdue"  # not scheduled for 2026-05-01


@pytest.mark.req("CAMP-JOB-021")
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("dry", [True, False], ids=["dry-run", "commit"])
def test_job_journey_id_is_campaign_id_and_warnings_are_code_message(api, kind, dry):
    cid = ready(api)  # reach still pending and no intent: things a job may warn about
    body = {**SCHEDULE_BODY[kind], "dryRun": dry}
    data = ok(job(api, cid, kind, body), 200 if dry else 201)
    assert data["journeyId"] == cid
    assert isinstance(data["warnings"], list)
    for w in data["warnings"]:
        assert set(w) == {"code", "message"} and isinstance(w["code"], str) and isinstance(w["message"], str)


# --- dry runs (001: "validates and returns 200 without committing execution artifacts") ------------

@pytest.mark.req("CAMP-DRY-001", "CAMP-DRY-002", "CAMP-DRY-005", "CAMP-DRY-007")
def test_schedule_job_dry_run_answers_200_and_commits_nothing(api):
    cid = ready(api)
    before = campaign(api, cid)
    r = job(api, cid, "schedule", {"sendAt": FUTURE, "dryRun": True})
    data = ok(r, 200)
    assert set(data) == DRY_RUN_KEYS and data["dryRun"] is True
    assert data["journeyId"] == cid and data["status"] == "published"
    assert "manifestId" not in data and "scheduleId" not in data
    assert campaign(api, cid) == before and before["authoringStatus"] == "draft"
    st = status(api, cid)
    assert st["schedule"] is None and st["execution"] == {"state": "not_scheduled", "lastExecution": None}
    api.admin("POST", "/clock", {"now": "2026-05-01T10:00:00Z"})  # past the dry run's sendAt
    assert status(api, cid)["execution"]["state"] == "not_scheduled"
    assert job(api, cid, "schedule", {"sendAt": "2026-05-02T09:00:00.000Z"}).status_code == 201


@pytest.mark.req("CAMP-DRY-003", "CAMP-DRY-004", "CAMP-DRY-005", "CAMP-DRY-007")
def test_send_job_dry_run_answers_200_and_sends_nothing(api):
    cid = ready(api, "sms")
    before = campaign(api, cid)
    data = ok(job(api, cid, "send", {"dryRun": True}), 200)
    assert set(data) == DRY_RUN_KEYS and data["dryRun"] is True
    assert "manifestId" not in data and "scheduleId" not in data
    _assert_bindings(data, "sms")
    assert campaign(api, cid) == before  # a dry run changes nothing
    api.admin("POST", "/clock", {"advanceSeconds": 3600})
    assert campaign(api, cid)["authoringStatus"] == "draft"
    assert status(api, cid)["execution"] == {"state": "not_scheduled", "lastExecution": None}
    m = ok(call(api, "GET", f"/campaigns/{cid}/metrics"))
    assert m["counts"] == dict.fromkeys(["scheduled", "hydrated", "composed", "injected", "sent", "failed"], 0)
    assert job(api, cid, "send", {}).status_code == 201


@pytest.mark.req("CAMP-DRY-005")
def test_direct_mail_dry_run_body(api):
    cid = ready(api, "direct_mail")
    data = ok(job(api, cid, "schedule", {"batchDate": "2026-05-01", "dryRun": True}), 200)
    assert set(data) == DRY_RUN_KEYS and "batchDate" not in data
    _assert_bindings(data, "direct_mail")
    assert campaign(api, cid)["authoringStatus"] == "draft"


@pytest.mark.req("CAMP-DRY-006")
@pytest.mark.parametrize("kind", KINDS)
def test_dry_run_validates_like_a_commit(api, kind):
    cid = create(api)
    bind_template(api, cid, TPL["email"])
    body = {**SCHEDULE_BODY[kind], "dryRun": True}
    assert_error(job(api, cid, kind, body), 409, AUDIENCE_REQUIRED)
    cid2 = create(api)
    bind_audience(api, cid2)
    assert_error(job(api, cid2, kind, body), 409, CONTENT_REQUIRED)
    assert_error(job(api, role(api, "preflight_blockers"), kind, body), 400, PREFLIGHT_BLOCKERS)
    if kind == "schedule":
        assert_error(job(api, ready(api), kind, {"dryRun": True}), 400, SEND_AT_REQUIRED)


# --- commit locks the configuration (000: "configuration is locked") --------------------------------

@pytest.mark.req("CAMP-LIFE-009", "CAMP-LIFE-010", "CAMP-JOB-013")
@pytest.mark.parametrize("kind", KINDS)
def test_commit_publishes_and_locks_configuration(api, kind):
    cid = ready(api)
    ok(job(api, cid, kind, SCHEDULE_BODY[kind]), 201)
    after = campaign(api, cid)
    assert after["authoringStatus"] == "published"
    refusals = [
        call(api, "PUT", f"/campaigns/{cid}/audience", {"include": [{"audienceId": DM_SEG, "type": "segment"}]}),
        call(api, "PUT", f"/campaigns/{cid}/content", {"templateId": TPL_UNPUBLISHED}),
        call(api, "PUT", f"/campaigns/{cid}/schedule", {"mode": "at", "sendAt": "2026-05-09T09:00:00.000Z"}),
        job(api, cid, "schedule", {"sendAt": "2026-05-09T09:00:00.000Z"}),
        job(api, cid, "send", {}),
        job(api, cid, "send", {"dryRun": True}),
    ]
    for r in refusals:
        assert_error(r, 409, NOT_DRAFT)
    assert campaign(api, cid) == after
    assert status(api, cid)["schedule"]["sendAt"] == (FUTURE if kind == "schedule" else NOW)


# --- the spec document ------------------------------------------------------------------------------

def _codes(op, status_code):
    """Every error code the spec declares for that operation and status."""
    response = load_spec(plugin.spec_path).resolve(op.responses.get(str(status_code)) or {})
    return set(re.findall(r'"(JOURNEY_API\.[A-Z_.]+)"', json.dumps(response.get("content", {}))))


@pytest.mark.req("CAMP-JOB-022", "CAMP-JOB-012", "CAMP-JOB-020")
@pytest.mark.parametrize("op_id", ["createScheduleJob", "createSendJob"])
def test_spec_documents_the_whole_execution_error_table_on_both_jobs(op_id):
    op = load_spec(plugin.spec_path).operations[op_id]
    for code, http in STATUS.items():
        assert code in _codes(op, http), (op_id, code, http)
    assert _codes(op, 500) == {UNSUPPORTED_TYPE}


@pytest.mark.req("CAMP-SEND-004", "CAMP-JOB-016", "CAMP-DRY-007")
def test_spec_job_request_bodies():
    spec = load_spec(plugin.spec_path)
    for op_id, fields in (("createScheduleJob", {"sendAt", "batchDate", "timezone", "dryRun"}),
                          ("createSendJob", {"dryRun"})):
        raw = spec.at(spec.operations[op_id].body_pointer.rsplit("/content", 1)[0])
        assert raw.get("required", False) is False  # the body may be omitted
        schema = spec.resolve(spec.at(spec.operations[op_id].body_pointer))
        assert set(schema["properties"]) == fields
        assert not schema.get("required")
        assert schema["properties"]["dryRun"]["type"] == "boolean"
