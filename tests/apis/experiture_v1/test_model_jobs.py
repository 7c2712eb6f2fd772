"""Lifecycle model: POST /schedule-jobs and /send-jobs (001 "Create Schedule Job", "Create Send Job",
"Execution Errors"); readiness order as documented in state_machine/model/readiness.py."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from state_machine.apis.experiture_v1.model.records import AudienceEntry, ScheduleIntent

from .model_helpers import (
    AUD_A,
    AUDIENCE_REQUIRED,
    BATCH_DATE_INVALID,
    BATCH_DATE_REQUIRED,
    CONTENT_REQUIRED,
    INVALID_FOR_CHANNEL,
    NOT_DRAFT,
    PREFLIGHT_BLOCKERS,
    SEND_AT_INVALID,
    SEND_AT_REQUIRED,
    TPL_DM,
    TPL_EMAIL,
    TPL_EMAIL_2,
    TPL_EMAIL_DRAFT,
    TPL_EMAIL_NONCOMPLIANT,
    UNSUPPORTED_CHANNEL,
    VALIDATION_FAILED,
    VERSION_MISSING,
    Api,
    assert_error,
    at,
    codes_of,
    entry,
    inject,
)

SEND_AT = "2026-05-01T09:00:00.000Z"
AT_INTENT = {"mode": "at", "sendAt": SEND_AT, "timezone": "America/New_York"}
DM_INTENT = {"mode": "batch_on_date", "batchDate": "2026-05-01", "timezone": "America/New_York"}
JOBS = [("createScheduleJob", {"sendAt": SEND_AT}), ("createSendJob", {})]
BINDING_KEYS = {"journey_version_id", "node_key", "manifest_id", "placeholder_manifest_id", "touchpoint_id",
                "channel"}


# --- single missing prerequisite -------------------------------------------------------------------

@pytest.mark.parametrize("operation, body", JOBS)
def test_no_included_audience_is_audience_required(operation, body):
    """001: AUDIENCE.REQUIRED, at least one included audience is required."""
    api = Api()
    cid = api.create("email")
    api.call("replaceCampaignContent", cid, {"templateId": TPL_EMAIL})
    assert_error(api.call(operation, cid, body), 409, AUDIENCE_REQUIRED)


@pytest.mark.parametrize("operation, body", JOBS)
def test_no_template_is_content_required(operation, body):
    """001: CONTENT.REQUIRED, published template/content is not configured."""
    api = Api()
    cid = api.create("email")
    api.call("replaceCampaignAudience", cid, {"include": [entry(AUD_A)]})
    assert_error(api.call(operation, cid, body), 409, CONTENT_REQUIRED)


@pytest.mark.parametrize("operation, body", JOBS)
def test_no_current_version_is_version_missing(operation, body):
    """001: VERSION_MISSING, campaign has no current version."""
    api = Api()
    cid = inject(api, version_id=None, include=(AudienceEntry(AUD_A, "segment"),), audience_bound_at=at(-60),
                 template_id=TPL_EMAIL)
    assert_error(api.call(operation, cid, body), 409, VERSION_MISSING)


@pytest.mark.parametrize("operation, body", JOBS)
def test_job_after_a_committed_job_is_not_draft(operation, body):
    """000: once a send job is created the campaign moves out of draft; 001: NOT_DRAFT."""
    api = Api()
    cid = api.ready("email")
    assert api.call("createScheduleJob", cid, {"sendAt": SEND_AT}).status == 201
    assert_error(api.call(operation, cid, body, when=at(1)), 409, NOT_DRAFT)


@pytest.mark.parametrize("operation, body", JOBS)
def test_job_on_archived_campaign_is_not_draft(operation, body):
    """001: the campaign must be a draft; decisions: archived is not."""
    api = Api()
    cid = api.ready("email")
    api.call("archiveCampaign", cid)
    assert_error(api.call(operation, cid, body), 409, NOT_DRAFT)


@pytest.mark.parametrize("operation, body", JOBS)
def test_template_compliance_issue_is_preflight_blockers(operation, body):
    """001: PREFLIGHT_BLOCKERS, preflight found blocking issues (a non-compliant template)."""
    api = Api()
    cid = api.ready("email", template=TPL_EMAIL_NONCOMPLIANT)
    d = api.call(operation, cid, body)
    assert_error(d, 400, PREFLIGHT_BLOCKERS)
    assert codes_of(d) == {PREFLIGHT_BLOCKERS}


def test_send_job_on_direct_mail_is_invalid_for_channel():
    """001: send-jobs returns 400 INVALID_FOR_CHANNEL when the channel is direct_mail."""
    api = Api()
    cid = api.ready("direct_mail", schedule=DM_INTENT)
    assert_error(api.call("createSendJob", cid), 400, INVALID_FOR_CHANNEL)
    assert_error(api.call("createSendJob", cid, {"dryRun": True}), 400, INVALID_FOR_CHANNEL)


# --- several missing at once -----------------------------------------------------------------------

# The ladder: each step fixes the first problem; (expected first code, codes that must be acceptable).
LADDER = [
    ({"authoring_status": "published", "version_id": None}, NOT_DRAFT,
     {NOT_DRAFT, VERSION_MISSING, AUDIENCE_REQUIRED, CONTENT_REQUIRED, SEND_AT_REQUIRED}),
    ({"version_id": None}, VERSION_MISSING, {VERSION_MISSING, AUDIENCE_REQUIRED, CONTENT_REQUIRED, SEND_AT_REQUIRED}),
    ({}, AUDIENCE_REQUIRED, {AUDIENCE_REQUIRED, CONTENT_REQUIRED, SEND_AT_REQUIRED}),
    ({"include": (AudienceEntry(AUD_A, "segment"),)}, CONTENT_REQUIRED, {CONTENT_REQUIRED, SEND_AT_REQUIRED}),
    ({"include": (AudienceEntry(AUD_A, "segment"),), "template_id": TPL_EMAIL_NONCOMPLIANT}, SEND_AT_REQUIRED,
     {SEND_AT_REQUIRED, PREFLIGHT_BLOCKERS}),
]


@pytest.mark.parametrize("fields, first, applicable", LADDER, ids=[s[1].rsplit(".", 1)[1] for s in LADDER])
def test_schedule_job_answers_first_problem_in_order_and_accepts_all(fields, first, applicable):
    """001 lists the codes without precedence; readiness.py fixes the order NOT_DRAFT -> VERSION_MISSING ->
    AUDIENCE.REQUIRED -> CONTENT.REQUIRED -> send time -> PREFLIGHT_BLOCKERS and accepts every applicable code."""
    api = Api()
    cid = inject(api, audience_bound_at=at(-60), **fields)
    d = api.call("createScheduleJob", cid, {})
    assert d.error is not None and d.error.code == first
    assert applicable <= codes_of(d), f"missing from acceptable: {applicable - codes_of(d)}"
    fixed = {NOT_DRAFT, VERSION_MISSING, AUDIENCE_REQUIRED, CONTENT_REQUIRED, SEND_AT_REQUIRED} - applicable
    assert not fixed & codes_of(d), f"codes that no longer apply are acceptable: {fixed & codes_of(d)}"
    assert d.changes == {}


def test_send_job_on_direct_mail_with_everything_missing_answers_invalid_for_channel_first():
    """001 + readiness.py: INVALID_FOR_CHANNEL comes first; every other applicable code is acceptable."""
    api = Api()
    cid = inject(api, channel="direct_mail", authoring_status="published", version_id=None)
    d = api.call("createSendJob", cid)
    assert d.error.code == INVALID_FOR_CHANNEL
    assert {INVALID_FOR_CHANNEL, NOT_DRAFT, VERSION_MISSING, AUDIENCE_REQUIRED, CONTENT_REQUIRED} <= codes_of(d)


def test_only_missing_send_time_accepts_exactly_send_at_required():
    """001: SEND_AT_REQUIRED, future schedule execution has no send time (and nothing else applies)."""
    api = Api()
    cid = api.ready("email")
    d = api.call("createScheduleJob", cid, {})
    assert_error(d, 400, SEND_AT_REQUIRED)
    assert d.acceptable == frozenset({(400, SEND_AT_REQUIRED)})


def test_unpublished_template_with_no_audience_answers_audience_first():
    """001 + readiness order: AUDIENCE.REQUIRED before CONTENT.REQUIRED, both acceptable."""
    api = Api()
    cid = api.create("email")
    api.call("replaceCampaignContent", cid, {"templateId": TPL_EMAIL_DRAFT})
    d = api.call("createSendJob", cid)
    assert d.error.code == AUDIENCE_REQUIRED and {AUDIENCE_REQUIRED, CONTENT_REQUIRED} <= codes_of(d)


# --- schedule-jobs send time -----------------------------------------------------------------------

def test_schedule_job_uses_saved_intent_when_body_omits_send_at():
    """001: if sendAt is omitted the API uses the saved schedule intent (and its timezone)."""
    api = Api()
    cid = api.ready("email", schedule=AT_INTENT)
    d = api.call("createScheduleJob", cid, {})
    assert d.status == 201
    assert (d.data["sendAt"], d.data["timezone"]) == (SEND_AT, "America/New_York")


def test_schedule_job_body_send_at_overrides_the_saved_intent():
    """001: sendAt in the body is used; timezone defaults to the saved schedule timezone."""
    api = Api()
    cid = api.ready("email", schedule=AT_INTENT)
    d = api.call("createScheduleJob", cid, {"sendAt": "2026-05-02T12:30:00Z"})
    assert (d.data["sendAt"], d.data["timezone"]) == ("2026-05-02T12:30:00.000Z", "America/New_York")


def test_schedule_job_timezone_defaults_to_utc_without_intent():
    """001: timezone "Defaults to saved schedule timezone or "UTC""."""
    api = Api()
    cid = api.ready("email")
    d = api.call("createScheduleJob", cid, {"sendAt": SEND_AT})
    assert d.data["timezone"] == "UTC"


def test_saved_mode_now_gives_no_send_time():
    """decisions: saved mode "now" (or no intent) -> SEND_AT_REQUIRED for a schedule job."""
    api = Api()
    cid = api.ready("email", schedule={"mode": "now"})
    assert_error(api.call("createScheduleJob", cid, {}), 400, SEND_AT_REQUIRED)


@pytest.mark.parametrize("send_at", ["not-a-time", "2026-04-25T09:00:00Z"], ids=["malformed", "past"])
def test_schedule_job_bad_send_at_is_send_at_invalid(send_at):
    """001: SEND_AT_INVALID, sendAt is malformed or in the past."""
    api = Api()
    cid = api.ready("email")
    assert_error(api.call("createScheduleJob", cid, {"sendAt": send_at}), 400, SEND_AT_INVALID)


def test_saved_send_at_that_has_passed_is_send_at_invalid():
    """001: sendAt in the past (the saved intent was future when saved)."""
    api = Api()
    cid = api.ready("email", schedule={"mode": "at", "sendAt": "2026-04-25T11:00:00Z"})
    assert_error(api.call("createScheduleJob", cid, {}, when=at(7200)), 400, SEND_AT_INVALID)


def test_direct_mail_schedule_job_uses_saved_batch_date():
    """001: for direct mail use batchDate; if omitted, the saved schedule intent."""
    api = Api()
    cid = api.ready("direct_mail", schedule=DM_INTENT)
    d = api.call("createScheduleJob", cid, {})
    assert d.status == 201
    assert (d.data["batchDate"], d.data["timezone"]) == ("2026-05-01", "America/New_York")
    assert "sendAt" not in d.data


def test_direct_mail_body_batch_date_overrides_saved_intent():
    """001: batchDate in the body is the fulfillment date."""
    api = Api()
    cid = api.ready("direct_mail", schedule=DM_INTENT)
    assert api.call("createScheduleJob", cid, {"batchDate": "2026-05-07"}).data["batchDate"] == "2026-05-07"


def test_direct_mail_without_batch_date_is_batch_date_required():
    """001: BATCH_DATE_REQUIRED, direct mail schedule has no batch date."""
    api = Api()
    cid = api.ready("direct_mail")
    assert_error(api.call("createScheduleJob", cid, {}), 400, BATCH_DATE_REQUIRED)


@pytest.mark.parametrize("batch_date", ["2026/05/01", "2026-04-01"], ids=["malformed", "past"])
def test_direct_mail_bad_batch_date_is_batch_date_invalid(batch_date):
    """001: BATCH_DATE_INVALID, batchDate is malformed or in the past."""
    api = Api()
    cid = api.ready("direct_mail")
    assert_error(api.call("createScheduleJob", cid, {"batchDate": batch_date}), 400, BATCH_DATE_INVALID)


def test_direct_mail_schedule_job_timezone_defaults_to_utc_without_intent():
    """001 Create Schedule Job: timezone defaults to saved schedule timezone or "UTC"."""
    api = Api()  # tenant T1 has a default timezone
    cid = api.ready("direct_mail")
    d = api.call("createScheduleJob", cid, {"batchDate": "2026-05-01"})
    assert d.status == 201
    assert d.data["timezone"] == "UTC", f"expected UTC, model answered {d.data['timezone']!r}"


def test_batch_date_for_digital_is_ignored_when_another_problem_is_answered():
    """001: batchDate is "Not used for digital channels"; decisions: UNSUPPORTED_CHANNEL also acceptable."""
    api = Api()
    cid = api.ready("email")
    d = api.call("createScheduleJob", cid, {"batchDate": "2026-05-01"})
    assert d.error.code == SEND_AT_REQUIRED
    assert (400, UNSUPPORTED_CHANNEL) in d.acceptable


def test_batch_date_for_digital_is_ignored_on_success():
    """001: batchDate is not used for digital channels; the job is created from sendAt."""
    api = Api()
    cid = api.ready("email")
    d = api.call("createScheduleJob", cid, {"sendAt": SEND_AT, "batchDate": "2026-05-01"})
    assert d.status == 201 and "batchDate" not in d.data and d.data["sendAt"] == SEND_AT


@pytest.mark.parametrize("channel, body", [("email", {"sendAt": SEND_AT, "batchDate": "2026-05-01"}),
                                           ("direct_mail", {"batchDate": "2026-05-01", "sendAt": SEND_AT})])
def test_ignored_schedule_field_keeps_unsupported_channel_acceptable_on_success(channel, body):
    """decisions (Jobs, 8): a batchDate for digital (sendAt for direct mail) is ignored; UNSUPPORTED_CHANNEL
    is also acceptable."""
    api = Api()
    cid = api.ready(channel)
    d = api.call("createScheduleJob", cid, {**body, "dryRun": True})
    assert d.status == 200
    assert (400, UNSUPPORTED_CHANNEL) in d.acceptable, f"acceptable is {set(d.acceptable)}"


# --- dry run and commit ----------------------------------------------------------------------------

@pytest.mark.parametrize("operation, body", JOBS)
def test_dry_run_answers_200_and_changes_nothing(operation, body):
    """001: dryRun validates and returns 200 without committing execution artifacts."""
    api = Api()
    cid = api.ready("email")
    d = api.call(operation, cid, {**body, "dryRun": True})
    assert d.status == 200 and d.changes == {}
    assert d.data["dryRun"] is True and d.data["journeyId"] == cid and d.data["status"] == "published"
    assert set(d.data) == {"journeyId", "versionId", "status", "dryRun", "warnings", "bindings"}
    assert api.call("getCampaign", cid).data["authoringStatus"] == "draft"
    assert api.call(operation, cid, body).status == 201  # still a draft: the real job can follow


@pytest.mark.parametrize("operation, body", JOBS)
def test_commit_publishes_and_locks_the_configuration(operation, body):
    """000: once a job is created the campaign moves out of draft and configuration is locked (409 NOT_DRAFT)."""
    api = Api()
    cid = api.ready("email")
    d = api.call(operation, cid, body)
    assert d.status == 201 and d.changes[cid].authoring_status == "published"
    assert api.call("getCampaign", cid).data["authoringStatus"] == "published"
    assert_error(api.call("replaceCampaignAudience", cid, {"include": [entry(AUD_A)]}), 409, NOT_DRAFT)
    assert_error(api.call("replaceCampaignContent", cid, {"templateId": TPL_EMAIL_2}), 409, NOT_DRAFT)
    assert_error(api.call("setCampaignSchedule", cid, {"mode": "now"}), 409, NOT_DRAFT)
    for second, second_body in JOBS:
        assert_error(api.call(second, cid, second_body), 409, NOT_DRAFT)


def test_committed_schedule_job_body_digital():
    """001: committed 201 (digital): journeyId, versionId, status, warnings, bindings, manifestId, scheduleId,
    touchpointId, sendAt, timezone."""
    api = Api()
    cid = api.ready("email", schedule=AT_INTENT)
    version = api.call("getCampaign", cid).data["currentVersionId"]
    d = api.call("createScheduleJob", cid, {})
    data = d.data
    assert set(data) == {"journeyId", "versionId", "status", "warnings", "bindings", "manifestId", "scheduleId",
                         "touchpointId", "sendAt", "timezone"}
    assert data["journeyId"] == cid and data["versionId"] == version and data["status"] == "published"
    assert isinstance(data["warnings"], list)
    (binding,) = data["bindings"]
    assert set(binding) == BINDING_KEYS
    assert binding["journey_version_id"] == version and binding["channel"] == "email"
    assert binding["manifest_id"] == data["manifestId"] and binding["placeholder_manifest_id"] is None
    assert isinstance(data["touchpointId"], int) and binding["touchpoint_id"] == data["touchpointId"]
    assert isinstance(data["scheduleId"], str) and data["scheduleId"]
    assert (data["sendAt"], data["timezone"]) == (SEND_AT, "America/New_York")


def test_committed_schedule_job_body_direct_mail():
    """001: committed 201 (direct mail): batchDate + timezone instead of sendAt."""
    api = Api()
    cid = api.ready("direct_mail", schedule=DM_INTENT)
    data = api.call("createScheduleJob", cid, {}).data
    assert set(data) == {"journeyId", "versionId", "status", "warnings", "bindings", "manifestId", "scheduleId",
                         "touchpointId", "batchDate", "timezone"}
    assert data["bindings"][0]["channel"] == "direct_mail"
    assert (data["batchDate"], data["timezone"]) == ("2026-05-01", "America/New_York")


def test_committed_send_job_sends_now_in_utc():
    """001: send-jobs commits to immediate execution; decisions: sendAt is the commit time, timezone "UTC"."""
    api = Api()
    cid = api.ready("sms")
    d = api.call("createSendJob", cid, {}, when=at(90))
    assert d.status == 201
    assert (d.data["sendAt"], d.data["timezone"]) == ("2026-04-25T10:01:30.000Z", "UTC")
    assert d.data["journeyId"] == cid


def test_direct_mail_schedule_job_works_with_dm_template():
    """001: schedule-jobs supports all channels including direct_mail."""
    api = Api()
    cid = api.ready("direct_mail", template=TPL_DM)
    assert api.call("createScheduleJob", cid, {"batchDate": "2026-04-25", "timezone": "UTC"}).status == 201


def test_job_due_time_is_the_saved_send_at():
    """001/003: the schedule's sendAt is when execution is due (status.schedule.sendAt)."""
    api = Api()
    cid = api.ready("email", schedule=AT_INTENT)
    api.call("createScheduleJob", cid, {})
    sched = api.call("getCampaignStatus", cid).data["schedule"]
    assert sched["sendAt"] == SEND_AT and sched["timezone"] == "America/New_York" and sched["active"] is True
    assert api.world.campaigns[cid].job.due_at == datetime(2026, 5, 1, 9, tzinfo=timezone.utc)


def test_ready_campaign_with_saved_schedule_intent_object():
    """Sanity: an injected saved intent behaves like one set through PUT /schedule (001)."""
    api = Api()
    cid = inject(api, include=(AudienceEntry(AUD_A, "segment"),), audience_bound_at=at(-60), template_id=TPL_EMAIL,
                 schedule=ScheduleIntent(mode="at", timezone="UTC",
                                         send_at=datetime(2026, 5, 1, 9, tzinfo=timezone.utc)))
    assert api.call("createScheduleJob", cid, {}).data["sendAt"] == SEND_AT


# --- found by mutation testing (docs/mutation-testing.md) ------------------------------------------

@pytest.mark.req("CAMP-TZ-007")
@pytest.mark.parametrize("channel, body", [("email", {"sendAt": SEND_AT}), ("direct_mail", {"batchDate": "2026-05-01"})])
def test_schedule_job_timezone_in_the_body_wins_over_the_saved_one(channel, body):
    """001 (Create Schedule Job): timezone "IANA timezone string. Defaults to saved schedule timezone or
    "UTC"." -- so a timezone in the body is the job's timezone, whatever the saved intent says."""
    api = Api()
    cid = api.ready(channel, schedule=AT_INTENT if channel == "email" else DM_INTENT)
    d = api.call("createScheduleJob", cid, {**body, "timezone": "Europe/Paris"})
    assert d.status == 201
    assert d.data["timezone"] == "Europe/Paris"


@pytest.mark.req("CAMP-TZ-007")
def test_direct_mail_batch_date_is_read_in_the_job_timezone():
    """001: timezone is the "IANA timezone used to interpret the date": a batchDate starts at midnight
    of that zone (the due time the status reports)."""
    api = Api()
    cid = api.ready("direct_mail")
    assert api.call("createScheduleJob", cid, {"batchDate": "2026-05-01", "timezone": "Asia/Tokyo"}).status == 201
    assert api.world.campaigns[cid].job.due_at == datetime(2026, 4, 30, 15, tzinfo=timezone.utc)


@pytest.mark.req("CAMP-TZ-008")
@pytest.mark.parametrize("channel, body", [("email", {"sendAt": SEND_AT}), ("direct_mail", {"batchDate": "2026-05-01"})])
def test_schedule_job_unknown_timezone_is_validation_failed(channel, body):
    """Inferred (CAMP-TZ-008): 001 asks for an "IANA timezone string"; an unknown zone is a validation failure."""
    api = Api()
    cid = api.ready(channel)
    assert_error(api.call("createScheduleJob", cid, {**body, "timezone": "Mars/Olympus_Mons"}), 400,
                 VALIDATION_FAILED)


@pytest.mark.req("CAMP-JOB-011")
def test_direct_mail_job_without_send_at_has_no_unsupported_channel_alternative():
    """001: sendAt is "Not used for direct mail"; UNSUPPORTED_CHANNEL is an acceptable other answer only
    when a sendAt was actually sent."""
    api = Api()
    cid = api.ready("direct_mail")
    assert api.call("createScheduleJob", cid, {"batchDate": "2026-05-01"}, apply=False).acceptable == {(201, None)}
    d = api.call("createScheduleJob", cid, {"batchDate": "2026-05-01", "sendAt": SEND_AT}, apply=False)
    assert d.acceptable == {(201, None), (400, UNSUPPORTED_CHANNEL)}


@pytest.mark.req("CAMP-DRY-001", "CAMP-DRY-003")
@pytest.mark.parametrize("operation, body", JOBS)
def test_a_dry_run_accepts_only_200(operation, body):
    """001: "If true, validates and returns 200 without committing execution artifacts" (201 is for
    committed jobs)."""
    api = Api()
    cid = api.ready("email")
    d = api.call(operation, cid, {**body, "dryRun": True})
    assert d.status == 200 and d.acceptable == {(200, None)}


@pytest.mark.req("CAMP-LIFE-007", "CAMP-LIFE-008")
@pytest.mark.parametrize("operation, body, kind", [(*JOBS[0], "schedule"), (*JOBS[1], "send")])
def test_the_committed_job_records_which_endpoint_made_it(operation, body, kind):
    """001 "Schedule vs Send": POST /schedule-jobs is a future execution, POST /send-jobs an immediate one;
    the record keeps which (the conformance checks read it to name CAMP-LIFE-007 or -008)."""
    api = Api()
    cid = api.ready("email")
    assert api.call(operation, cid, body).status == 201
    assert api.world.campaigns[cid].job.kind == kind


@pytest.mark.req("CAMP-JOB-013", "CAMP-JOB-021")
@pytest.mark.parametrize("operation, body", JOBS)
def test_job_warnings_are_the_warning_checks_only(operation, body):
    """001's committed example has "warnings": []; inferred (CAMP-JOB-021): warnings are the preflight
    checks that warn, so a campaign whose reach is ok and whose schedule intent is saved has none, and one
    without a schedule intent has exactly the schedule_intent warning."""
    api = Api()
    cid = api.ready("email", schedule=AT_INTENT)
    assert api.call(operation, cid, body, when=at(60)).data["warnings"] == []
    cid = api.ready("email")
    warnings = api.call(operation, cid, body, when=at(60)).data["warnings"]
    assert [w["code"] for w in warnings] == ["schedule_intent"]
