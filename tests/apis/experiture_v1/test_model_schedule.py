"""Lifecycle model: PUT /schedule, the schedule intent (001 "Set Schedule Intent", "Schedule Object Variants")."""
from __future__ import annotations

import pytest

from .model_helpers import (
    BATCH_DATE_INVALID,
    BATCH_DATE_REQUIRED,
    NOT_DRAFT,
    SEND_AT_INVALID,
    SEND_AT_REQUIRED,
    T1_ZONE,
    T2,
    UNSUPPORTED_CHANNEL,
    VALIDATION_FAILED,
    Api,
    assert_error,
)

DIGITAL = ["email", "sms", "push"]


def _set(channel: str, body: dict, *, tenant: str | None = None):
    api = Api(tenant=tenant) if tenant else Api()
    cid = api.create(channel)
    return api, cid, api.call("setCampaignSchedule", cid, body)


# --- digital (timestamp model) ---------------------------------------------------------------------

@pytest.mark.parametrize("channel", DIGITAL)
def test_digital_mode_now_is_stored_without_send_time(channel):
    """001: mode "now"; timezone defaults to "UTC"; decisions: sendAt null, scheduled false."""
    api, cid, d = _set(channel, {"mode": "now"})
    assert d.status == 200
    assert d.data["schedule"] == {"kind": "digital_send", "mode": "now", "sendAt": None, "timezone": "UTC",
                                  "scheduled": False}
    assert d.changes[cid].schedule is not None


def test_digital_mode_at_matches_the_documented_schedule_object():
    """001: the digital schedule object example (kind digital_send)."""
    _, _, d = _set("email", {"mode": "at", "sendAt": "2026-05-01T09:00:00.000Z", "timezone": "America/New_York"})
    assert d.status == 200
    assert d.data["schedule"] == {"kind": "digital_send", "mode": "at", "sendAt": "2026-05-01T09:00:00.000Z",
                                  "timezone": "America/New_York", "scheduled": True}


def test_digital_send_at_with_offset_is_shown_in_utc():
    """001: ISO 8601 timestamp; shown in the documents' form 2026-05-01T09:00:00.000Z."""
    _, _, d = _set("sms", {"mode": "at", "sendAt": "2026-05-01T05:00:00-04:00"})
    assert d.data["schedule"]["sendAt"] == "2026-05-01T09:00:00.000Z"


@pytest.mark.parametrize("channel", DIGITAL)
def test_digital_timezone_defaults_to_utc_even_with_a_tenant_default(channel):
    """001: digital timezone "Defaults to "UTC"" (the tenant default is for direct mail)."""
    _, _, d = _set(channel, {"mode": "at", "sendAt": "2026-05-01T09:00:00.000Z"})
    assert d.data["schedule"]["timezone"] == "UTC"


@pytest.mark.parametrize("body", [{"mode": "at"}, {"mode": "at", "sendAt": None}], ids=["missing", "null"])
def test_mode_at_requires_send_at(body):
    """001: SEND_AT_REQUIRED, mode is "at" but sendAt is missing."""
    _, _, d = _set("email", body)
    assert_error(d, 400, SEND_AT_REQUIRED)


@pytest.mark.parametrize("send_at", ["tomorrow", "2026-05-01", "2026-05-01T09:00:00", "2026-13-01T09:00:00Z", 5])
def test_malformed_send_at_is_send_at_invalid(send_at):
    """001: SEND_AT_INVALID, sendAt is present but malformed."""
    _, _, d = _set("email", {"mode": "at", "sendAt": send_at})
    assert_error(d, 400, SEND_AT_INVALID)


@pytest.mark.parametrize("send_at", ["2026-04-25T09:59:59.000Z", "2025-01-01T00:00:00Z", "2026-04-25T10:00:00.000Z"],
                         ids=["a-second-ago", "last-year", "now"])
def test_past_send_at_is_send_at_invalid(send_at):
    """001: SEND_AT_INVALID, sendAt is in the past (decisions: must be after now)."""
    _, _, d = _set("email", {"mode": "at", "sendAt": send_at})
    assert_error(d, 400, SEND_AT_INVALID)


# --- direct mail (batch-date model) ----------------------------------------------------------------

def test_direct_mail_batch_on_date_matches_the_documented_schedule_object():
    """001: the direct mail schedule object example (kind direct_mail_batch, timezoneSource request)."""
    _, _, d = _set("direct_mail", {"mode": "batch_on_date", "batchDate": "2026-05-01",
                                   "timezone": "America/New_York"})
    assert d.status == 200
    assert d.data["schedule"] == {"kind": "direct_mail_batch", "mode": "batch_on_date", "batchDate": "2026-05-01",
                                  "timezone": "America/New_York", "timezoneSource": "request", "scheduled": True}


def test_direct_mail_timezone_falls_back_to_tenant_default():
    """001: timezone defaults to tenant default (timezoneSource "tenant_default")."""
    _, _, d = _set("direct_mail", {"mode": "batch_on_date", "batchDate": "2026-05-01"})
    s = d.data["schedule"]
    assert (s["timezone"], s["timezoneSource"]) == (T1_ZONE, "tenant_default")


def test_direct_mail_timezone_falls_back_to_utc_without_tenant_default():
    """001: no request timezone and no tenant default -> "UTC", timezoneSource "utc_fallback"."""
    _, _, d = _set("direct_mail", {"mode": "batch_on_date", "batchDate": "2026-05-01"}, tenant=T2)
    s = d.data["schedule"]
    assert (s["timezone"], s["timezoneSource"]) == ("UTC", "utc_fallback")


def test_direct_mail_request_timezone_wins_over_tenant_default():
    """001: "request": timezone was explicitly supplied."""
    _, _, d = _set("direct_mail", {"mode": "batch_on_date", "batchDate": "2026-05-01", "timezone": "Europe/Paris"})
    s = d.data["schedule"]
    assert (s["timezone"], s["timezoneSource"]) == ("Europe/Paris", "request")


@pytest.mark.parametrize("body", [{"mode": "batch_on_date"}, {"mode": "batch_on_date", "batchDate": None}],
                         ids=["missing", "null"])
def test_batch_on_date_requires_batch_date(body):
    """001: BATCH_DATE_REQUIRED, mode is "batch_on_date" but batchDate is missing."""
    _, _, d = _set("direct_mail", body)
    assert_error(d, 400, BATCH_DATE_REQUIRED)


@pytest.mark.parametrize("batch_date", ["05/01/2026", "2026-02-30", "2026-05-01T00:00:00Z", "2026-5-1", "soon"])
def test_malformed_batch_date_is_batch_date_invalid(batch_date):
    """001: BATCH_DATE_INVALID, batchDate is present but malformed (YYYY-MM-DD)."""
    _, _, d = _set("direct_mail", {"mode": "batch_on_date", "batchDate": batch_date})
    assert_error(d, 400, BATCH_DATE_INVALID)


def test_past_batch_date_is_batch_date_invalid():
    """001: BATCH_DATE_INVALID, batchDate is in the past."""
    _, _, d = _set("direct_mail", {"mode": "batch_on_date", "batchDate": "2026-04-24", "timezone": "UTC"})
    assert_error(d, 400, BATCH_DATE_INVALID)


def test_batch_date_today_is_accepted():
    """decisions: today (in the resolved timezone) is not in the past."""
    _, _, d = _set("direct_mail", {"mode": "batch_on_date", "batchDate": "2026-04-25", "timezone": "UTC"})
    assert d.status == 200


def test_batch_date_past_is_judged_in_the_resolved_timezone():
    """001: the timezone is used to interpret the date; at 10:00 UTC it is already 04-26 in Kiritimati
    (UTC+14) and still 04-24 in Pago Pago (UTC-11)."""
    _, _, d = _set("direct_mail", {"mode": "batch_on_date", "batchDate": "2026-04-25",
                                   "timezone": "Pacific/Kiritimati"})
    assert_error(d, 400, BATCH_DATE_INVALID)
    _, _, d = _set("direct_mail", {"mode": "batch_on_date", "batchDate": "2026-04-24",
                                   "timezone": "Pacific/Pago_Pago"})
    assert d.status == 200


# --- mode vs channel, timezone, draft --------------------------------------------------------------

@pytest.mark.parametrize("channel", DIGITAL)
def test_batch_on_date_on_a_digital_channel_is_unsupported_channel(channel):
    """001: UNSUPPORTED_CHANNEL, channel is not supported for the requested schedule mode."""
    _, _, d = _set(channel, {"mode": "batch_on_date", "batchDate": "2026-05-01"})
    assert_error(d, 400, UNSUPPORTED_CHANNEL)


@pytest.mark.parametrize("body", [{"mode": "now"}, {"mode": "at", "sendAt": "2026-05-01T09:00:00.000Z"}],
                         ids=["now", "at"])
def test_digital_mode_on_direct_mail_is_unsupported_channel(body):
    """001: direct mail "Must be batch_on_date"; otherwise UNSUPPORTED_CHANNEL."""
    _, _, d = _set("direct_mail", body)
    assert_error(d, 400, UNSUPPORTED_CHANNEL)


@pytest.mark.parametrize("channel, body", [
    ("email", {"mode": "at", "sendAt": "2026-05-01T09:00:00.000Z", "timezone": "Mars/Olympus_Mons"}),
    ("email", {"mode": "now", "timezone": "EST5EDT-nope"}),
    ("direct_mail", {"mode": "batch_on_date", "batchDate": "2026-05-01", "timezone": "Not/AZone"}),
], ids=["digital-at", "digital-now", "direct-mail"])
def test_unknown_iana_timezone_is_validation_failed(channel, body):
    """001: timezone is an IANA timezone string; decisions: unknown zone -> 400 VALIDATION_FAILED."""
    _, _, d = _set(channel, body)
    assert_error(d, 400, VALIDATION_FAILED)


@pytest.mark.parametrize("channel, body", [
    ("email", {"mode": "at", "sendAt": "2026-05-01T09:00:00.000Z"}),
    ("direct_mail", {"mode": "batch_on_date", "batchDate": "2026-05-01"}),
])
def test_schedule_intent_is_draft_only(channel, body):
    """001: schedule intent can only be updated while the campaign is in draft status -> 409 NOT_DRAFT."""
    api = Api()
    cid = api.ready(channel, schedule=body)
    assert api.call("createScheduleJob", cid).status == 201
    assert_error(api.call("setCampaignSchedule", cid, body), 409, NOT_DRAFT)


def test_schedule_intent_does_not_publish_or_schedule():
    """001: storing the intent does not publish, schedule, or send the campaign."""
    api = Api()
    cid = api.ready("email", schedule={"mode": "at", "sendAt": "2026-04-25T10:00:05.000Z"})
    assert api.call("getCampaign", cid).data["authoringStatus"] == "draft"
    status = api.call("getCampaignStatus", cid, when=api.now.replace(hour=11)).data
    assert status["execution"]["state"] == "not_scheduled" and status["schedule"] is None


def test_schedule_intent_is_replaced_by_a_later_put():
    """001: PUT /schedule sets (replaces) the intent while draft."""
    api = Api()
    cid = api.create("email")
    api.call("setCampaignSchedule", cid, {"mode": "at", "sendAt": "2026-05-01T09:00:00.000Z"})
    d = api.call("setCampaignSchedule", cid, {"mode": "now"})
    assert d.data["schedule"]["mode"] == "now" and d.data["schedule"]["sendAt"] is None


def test_schedule_is_null_until_an_intent_is_set():
    """decisions: schedule is null until an intent is set."""
    api = Api()
    cid = api.create("email")
    assert api.call("getCampaign", cid).data["schedule"] is None
    assert api.call("getCampaignSummary", cid).data["schedule"] is None


# --- found by mutation testing (docs/mutation-testing.md) ------------------------------------------

@pytest.mark.req("CAMP-SCHED-015")
def test_mode_now_ignores_a_send_at():
    """001: sendAt is "Required when mode is "at""; inferred (CAMP-SCHED-015): mode "now" ignores a sendAt,
    the stored intent has sendAt null."""
    api, cid, d = _set("email", {"mode": "now", "sendAt": "2026-05-01T09:00:00.000Z"})
    assert d.status == 200
    assert d.data["schedule"]["sendAt"] is None and d.data["schedule"]["scheduled"] is False
    assert d.changes[cid].schedule.send_at is None
