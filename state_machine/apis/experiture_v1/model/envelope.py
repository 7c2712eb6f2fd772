"""The documented envelopes (000): `{"success": true, "data": ...}` and
`{"success": false, "error": {"code", "message", "details"}}`; the list adds `pagination` beside data."""
from __future__ import annotations

from typing import Any

from state_machine.kernel import ApiError, Decision

MEDIA_TYPE = "application/json"


def render(decision: Decision) -> dict[str, Any]:
    """The body of a decided answer."""
    if decision.error is not None:
        return render_error(decision.error)
    return {"success": True, "data": decision.data, **decision.extra}


def render_error(error: ApiError) -> dict[str, Any]:
    return {"success": False, "error": {"code": error.code, "message": error.message, "details": dict(error.details)}}


def error_code(body: Any) -> str | None:
    """The error code an answer carries, or None."""
    error = body.get("error") if isinstance(body, dict) else None
    return error.get("code") if isinstance(error, dict) else None


def data(body: Any) -> Any:
    """What a success answer carries."""
    return body.get("data") if isinstance(body, dict) else None
