"""The error codes of the CLUB. namespace, their HTTP statuses and titles, and the error value.

004 names no error at all: every code, status and title here is inferred (openapi/club-campaigns/
decisions.md, the errors table).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from state_machine.kernel import ApiError

_NS = "CLUB."

VALIDATION_FAILED = _NS + "VALIDATION_FAILED"
MALFORMED_BODY = _NS + "MALFORMED_BODY"
UNAUTHENTICATED = _NS + "UNAUTHENTICATED"
INVALID_TOKEN = _NS + "INVALID_TOKEN"
TENANT_FORBIDDEN = _NS + "TENANT_FORBIDDEN"
NOT_FOUND = _NS + "NOT_FOUND"
METHOD_NOT_ALLOWED = _NS + "METHOD_NOT_ALLOWED"
INVALID_TRANSITION = _NS + "INVALID_TRANSITION"
NOT_EDITABLE = _NS + "NOT_EDITABLE"
MANAGED_BY_JOURNEY = _NS + "MANAGED_BY_JOURNEY"
PAYLOAD_TOO_LARGE = _NS + "PAYLOAD_TOO_LARGE"
UNSUPPORTED_MEDIA_TYPE = _NS + "UNSUPPORTED_MEDIA_TYPE"
UNKNOWN_REFERENCE = _NS + "UNKNOWN_REFERENCE"
SCHEDULE_INVALID = _NS + "SCHEDULE_INVALID"
RATE_LIMITED = _NS + "RATE_LIMITED"
INTERNAL = _NS + "INTERNAL"  # a fault of the server itself, never decided by the model

# code -> (HTTP status, RFC 9457 title: the same for every occurrence of the code)
_TABLE: dict[str, tuple[int, str]] = {
    VALIDATION_FAILED: (400, "Validation failed"),
    MALFORMED_BODY: (400, "Malformed body"),
    UNAUTHENTICATED: (401, "Unauthenticated"),
    INVALID_TOKEN: (401, "Invalid token"),
    TENANT_FORBIDDEN: (403, "Tenant forbidden"),
    NOT_FOUND: (404, "Not found"),
    METHOD_NOT_ALLOWED: (405, "Method not allowed"),
    INVALID_TRANSITION: (409, "Invalid transition"),
    NOT_EDITABLE: (409, "Not editable"),
    MANAGED_BY_JOURNEY: (409, "Managed by journey"),
    PAYLOAD_TOO_LARGE: (413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE: (415, "Unsupported media type"),
    UNKNOWN_REFERENCE: (422, "Unknown reference"),
    SCHEDULE_INVALID: (422, "Schedule invalid"),
    RATE_LIMITED: (429, "Rate limited"),
    INTERNAL: (500, "Internal error"),
}
STATUS: dict[str, int] = {code: status for code, (status, _) in _TABLE.items()}
TITLE: dict[str, str] = {code: title for code, (_, title) in _TABLE.items()}
ALL = tuple(_TABLE)


def error(code: str, message: str, details: Mapping[str, Any] | None = None) -> ApiError:
    """An error of this namespace, with the HTTP status its code travels with."""
    return ApiError(code, message, dict(details or {}), status=STATUS[code])


def invalid(field: str, message: str) -> ApiError:
    """A 400 VALIDATION_FAILED naming one field, in the `errors: [{field, message}]` extension."""
    return error(VALIDATION_FAILED, message, {"errors": [{"field": field, "message": message}]})
