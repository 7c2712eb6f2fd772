"""No envelope (004 answers raw objects) and RFC 9457 problem details for errors (CLUB-ERR-001)."""
from __future__ import annotations

from typing import Any

from state_machine.kernel import ApiError, Decision

from . import codes

MEDIA_TYPE = "application/json"
ERROR_MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://errors.club-campaigns.example/"
_MEMBERS = ("type", "title", "status", "detail", "instance", "code")  # never overwritten by an extension


def render(decision: Decision) -> Any:
    """The body of a decided answer: the data itself ({"data": [...]} for the list, {data, meta} for
    interactions, the object elsewhere)."""
    if decision.error is not None:
        return render_error(decision.error)
    return decision.data


def problem_type(code: str) -> str:
    return TYPE_BASE + code.removeprefix("CLUB.").lower().replace("_", "-")


def render_error(error: ApiError) -> dict[str, Any]:
    body: dict[str, Any] = {"type": problem_type(error.code), "title": codes.TITLE.get(error.code, error.code),
                            "status": error.status, "detail": error.message, "code": error.code}
    body.update({k: v for k, v in error.details.items() if k not in _MEMBERS})
    return body


def error_code(body: Any) -> str | None:
    """The error code an answer carries, or None."""
    code = body.get("code") if isinstance(body, dict) else None
    return code if isinstance(code, str) else None


def data(body: Any) -> Any:
    """What a success answer carries: the body itself."""
    return body
