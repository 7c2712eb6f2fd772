"""Schedule intent (PUT /schedule) and the send time of a schedule job (001).

Digital channels (email, sms, push) use the timestamp model: mode "now" or "at" + sendAt, timezone
defaulting to "UTC". Direct mail uses the batch-date model: mode "batch_on_date" + batchDate, timezone
resolved request -> tenant default -> UTC and recorded as timezoneSource.

Each function returns its result or the list of problems that apply, most important first: a malformed
or missing field, then an unknown timezone, then a mode the channel does not support, then a time in
the past. Callers take the first as their answer and the whole list as what another implementation
may answer instead.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from state_machine.kernel import ApiError
from state_machine.kernel.times import parse_date, parse_timestamp, start_of_day, zone

from . import codes
from .records import Campaign, ScheduleIntent, Tenant
from .values import DIRECT_MAIL

DIGITAL_MODES = ("now", "at")
DIRECT_MAIL_MODE = "batch_on_date"


def _err(code: str, message: str, **details: Any) -> ApiError:
    return codes.error(code, message, details)


def _timezone_problem(value: object) -> ApiError | None:
    if value is None or zone(value) is not None:
        return None
    return _err(codes.VALIDATION_FAILED, f"timezone {value!r} is not an IANA time zone name",
                errors=[{"location": "body", "field": "timezone", "message": "unknown IANA time zone"}])


def _send_at_problem(raw: object, now: datetime, *, required: bool) -> tuple[list[ApiError], list[ApiError]]:
    """(field problems, past problems) for a sendAt value."""
    if raw is None:
        if required:
            return [_err(codes.SEND_AT_REQUIRED, "sendAt is required when mode is \"at\"")], []
        return [], []
    when = parse_timestamp(raw)
    if when is None:
        return [_err(codes.SEND_AT_INVALID, "sendAt must be an ISO 8601 timestamp with an offset, "
                     "e.g. 2026-05-01T09:00:00.000Z", sendAt=raw)], []
    if when <= now:
        return [], [_err(codes.SEND_AT_INVALID, "sendAt must be in the future", sendAt=raw)]
    return [], []


def _batch_date_problem(raw: object, today_in_zone: date | None, *, required: bool) -> tuple[list[ApiError], list[ApiError]]:
    if raw is None:
        if required:
            return [_err(codes.BATCH_DATE_REQUIRED, "batchDate is required when mode is \"batch_on_date\"")], []
        return [], []
    day = parse_date(raw)
    if day is None:
        return [_err(codes.BATCH_DATE_INVALID, "batchDate must be a date in YYYY-MM-DD format",
                     batchDate=raw)], []
    if today_in_zone is not None and day < today_in_zone:
        return [], [_err(codes.BATCH_DATE_INVALID, "batchDate must not be in the past", batchDate=raw)]
    return [], []


def direct_mail_zone(requested: object, tenant: Tenant) -> tuple[str, str]:
    """(timezone, timezoneSource) for direct mail (001)."""
    if requested is not None:
        return str(requested), "request"
    if tenant.default_timezone:
        return tenant.default_timezone, "tenant_default"
    return "UTC", "utc_fallback"


def _today(tz_name: str, now: datetime) -> date | None:
    tz = zone(tz_name)
    return now.astimezone(tz).date() if tz is not None else None


def intent_from_request(campaign: Campaign, body: Mapping[str, Any], tenant: Tenant,
                        now: datetime) -> ScheduleIntent | list[ApiError]:
    """The schedule intent PUT /schedule stores, or the problems with the request."""
    mode = body.get("mode")
    tz_raw = body.get("timezone")
    fields: list[ApiError] = []
    past: list[ApiError] = []
    if mode == "at":
        f, p = _send_at_problem(body.get("sendAt"), now, required=True)
        fields += f
        past += p
    elif mode == DIRECT_MAIL_MODE:
        tz_name, _ = direct_mail_zone(tz_raw, tenant)
        f, p = _batch_date_problem(body.get("batchDate"), _today(tz_name, now), required=True)
        fields += f
        past += p
    elif mode != "now":
        fields.append(_err(codes.VALIDATION_FAILED, "mode must be one of now, at, batch_on_date",
                           errors=[{"location": "body", "field": "mode", "message": "unknown mode"}]))
    tz_problem = _timezone_problem(tz_raw)
    allowed = (DIRECT_MAIL_MODE,) if campaign.channel == DIRECT_MAIL else DIGITAL_MODES
    channel = [] if mode not in (*DIGITAL_MODES, DIRECT_MAIL_MODE) or mode in allowed else [
        _err(codes.UNSUPPORTED_CHANNEL,
             f"mode {mode!r} is not supported for {campaign.channel} campaigns; use "
             + " or ".join(repr(m) for m in allowed), channel=campaign.channel, mode=mode)]
    problems = fields + ([tz_problem] if tz_problem else []) + channel + past
    if problems:
        return problems
    if mode == DIRECT_MAIL_MODE:
        tz_name, source = direct_mail_zone(tz_raw, tenant)
        return ScheduleIntent(mode=str(mode), timezone=tz_name, batch_date=body["batchDate"],
                              timezone_source=source)
    send_at = parse_timestamp(body.get("sendAt")) if mode == "at" else None  # "now" ignores sendAt
    return ScheduleIntent(mode=str(mode), timezone=str(tz_raw) if tz_raw is not None else "UTC", send_at=send_at)


@dataclass(frozen=True)
class JobTiming:
    due_at: datetime
    timezone: str
    send_at: datetime | None = None
    batch_date: str | None = None


def job_timing(campaign: Campaign, body: Mapping[str, Any], now: datetime) -> tuple[JobTiming | None, list[ApiError], list[ApiError]]:
    """When a schedule job sends (001): the body's sendAt/batchDate, else the saved intent.

    Returns (timing, problems, alternatives): alternatives are answers another implementation may give
    although the model does not (a batchDate sent for a digital campaign is "not used" by the documents,
    but refusing it as UNSUPPORTED_CHANNEL is a fair reading too).
    """
    intent = campaign.schedule
    tz_raw = body.get("timezone")
    tz_problem = _timezone_problem(tz_raw)
    if campaign.channel == DIRECT_MAIL:
        alternatives = [_err(codes.UNSUPPORTED_CHANNEL, "sendAt is not used for direct mail")] \
            if body.get("sendAt") is not None else []
        raw = body.get("batchDate")
        if raw is None and intent is not None:
            raw = intent.batch_date
        # 001 (Create Schedule Job): timezone "Defaults to saved schedule timezone or UTC".
        tz_name = str(tz_raw) if tz_raw is not None else (intent.timezone if intent is not None else "UTC")
        f, p = _batch_date_problem(raw, _today(tz_name, now), required=True)
        problems = f + ([tz_problem] if tz_problem else []) + p
        if problems:
            return None, problems, alternatives
        day, tz = parse_date(raw), zone(tz_name)
        assert day is not None and tz is not None  # both validated above
        due = start_of_day(day, tz)
        return JobTiming(due_at=due, timezone=tz_name, batch_date=raw), [], alternatives

    alternatives = [_err(codes.UNSUPPORTED_CHANNEL, "batchDate is not used for digital channels")] \
        if body.get("batchDate") is not None else []
    raw = body.get("sendAt")
    if raw is None and intent is not None and intent.mode == "at" and intent.send_at is not None:
        raw = intent.send_at.isoformat()
    tz_name = str(tz_raw) if tz_raw is not None else (intent.timezone if intent is not None else "UTC")
    f, p = _send_at_problem(raw, now, required=True)
    if f and f[0].code == codes.SEND_AT_REQUIRED:
        f = [_err(codes.SEND_AT_REQUIRED, "no send time: give sendAt or save a schedule intent with "
                  "mode \"at\" (PUT /schedule)")]
    problems = f + ([tz_problem] if tz_problem else []) + p
    if problems:
        return None, problems, alternatives
    when = parse_timestamp(raw)
    assert when is not None  # validated above
    return JobTiming(due_at=when, timezone=tz_name, send_at=when), [], alternatives
