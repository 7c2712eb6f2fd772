"""The error codes of the Campaigns v1 namespace, and the error value the model returns.

Documented codes come from the seed documents (000 overview, 001 schedule & send, 002 audience,
003 reporting); the ones marked inferred are ours (docs/contract-decisions.md) and are recorded as
such in openapi/requirements.yaml.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_C = "JOURNEY_API.PUBLIC.CAMPAIGNS."
_S = "JOURNEY_API.SCHEDULE."

# Documented.
NOT_FOUND = _C + "NOT_FOUND"
NOT_DRAFT = _C + "NOT_DRAFT"
TYPE_UNSUPPORTED = _C + "TYPE_UNSUPPORTED"
SUMMARY_TYPE_UNSUPPORTED = _C + "SUMMARY_TYPE_UNSUPPORTED"
SUMMARY_UNAVAILABLE = _C + "SUMMARY_UNAVAILABLE"
CONTENT_REQUIRED = _C + "CONTENT.REQUIRED"
AUDIENCE_REQUIRED = _C + "AUDIENCE.REQUIRED"
VERSION_MISSING = _C + "VERSION_MISSING"
SEND_AT_REQUIRED = _S + "SEND_AT_REQUIRED"
SEND_AT_INVALID = _S + "SEND_AT_INVALID"
BATCH_DATE_REQUIRED = _S + "BATCH_DATE_REQUIRED"
BATCH_DATE_INVALID = _S + "BATCH_DATE_INVALID"
INVALID_FOR_CHANNEL = _S + "INVALID_FOR_CHANNEL"
UNSUPPORTED_CHANNEL = _S + "UNSUPPORTED_CHANNEL"
UNSUPPORTED_TYPE = _S + "UNSUPPORTED_TYPE"  # 500, internal: never produced by the model
PREFLIGHT_BLOCKERS = "JOURNEY_API.BROADCASTS.SCHEDULE.PREFLIGHT_BLOCKERS"
INSUFFICIENT_SCOPE = "JOURNEY_API.AUTH.INSUFFICIENT_SCOPE"

# Inferred (see docs/contract-decisions.md, cross-cutting table).
UNAUTHENTICATED = "JOURNEY_API.AUTH.UNAUTHENTICATED"
INVALID_TOKEN = "JOURNEY_API.AUTH.INVALID_TOKEN"
VALIDATION_FAILED = _C + "VALIDATION_FAILED"
MALFORMED_BODY = _C + "MALFORMED_BODY"
UNSUPPORTED_MEDIA_TYPE = _C + "UNSUPPORTED_MEDIA_TYPE"
PAYLOAD_TOO_LARGE = _C + "PAYLOAD_TOO_LARGE"
METHOD_NOT_ALLOWED = _C + "METHOD_NOT_ALLOWED"
RATE_LIMITED = _C + "RATE_LIMITED"
IDEMPOTENCY_KEY_INVALID = _C + "IDEMPOTENCY_KEY_INVALID"
IDEMPOTENCY_KEY_REUSED = _C + "IDEMPOTENCY_KEY_REUSED"
IDEMPOTENCY_KEY_IN_USE = _C + "IDEMPOTENCY_KEY_IN_USE"
TEMPLATE_NOT_FOUND = _C + "CONTENT.TEMPLATE_NOT_FOUND"
CHANNEL_MISMATCH = _C + "CONTENT.CHANNEL_MISMATCH"

# The HTTP status each code travels with.
STATUS: dict[str, int] = {
    NOT_FOUND: 404,
    NOT_DRAFT: 409,
    TYPE_UNSUPPORTED: 409,
    SUMMARY_TYPE_UNSUPPORTED: 409,
    SUMMARY_UNAVAILABLE: 409,
    CONTENT_REQUIRED: 409,
    AUDIENCE_REQUIRED: 409,
    VERSION_MISSING: 409,
    SEND_AT_REQUIRED: 400,
    SEND_AT_INVALID: 400,
    BATCH_DATE_REQUIRED: 400,
    BATCH_DATE_INVALID: 400,
    INVALID_FOR_CHANNEL: 400,
    UNSUPPORTED_CHANNEL: 400,
    UNSUPPORTED_TYPE: 500,
    PREFLIGHT_BLOCKERS: 400,
    INSUFFICIENT_SCOPE: 403,
    UNAUTHENTICATED: 401,
    INVALID_TOKEN: 401,
    VALIDATION_FAILED: 400,
    MALFORMED_BODY: 400,
    UNSUPPORTED_MEDIA_TYPE: 415,
    PAYLOAD_TOO_LARGE: 413,
    METHOD_NOT_ALLOWED: 405,
    RATE_LIMITED: 429,
    IDEMPOTENCY_KEY_INVALID: 400,
    IDEMPOTENCY_KEY_REUSED: 422,
    IDEMPOTENCY_KEY_IN_USE: 409,
    TEMPLATE_NOT_FOUND: 400,
    CHANNEL_MISMATCH: 400,
}


@dataclass(frozen=True)
class ApiError:
    """An error answer in the documented envelope: `{"code", "message", "details"}`."""

    code: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> int:
        return STATUS[self.code]

    def envelope(self) -> dict[str, Any]:
        return {
            "success": False,
            "error": {"code": self.code, "message": self.message, "details": dict(self.details)},
        }
