"""Error answers in the documented envelope (000: JOURNEY_API.* codes; `{success, error}` shape)."""
from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

from state_machine.model.codes import ApiError


def error_response(error: ApiError, headers: dict[str, str] | None = None, status: int | None = None) -> JSONResponse:
    return JSONResponse(error.envelope(), status_code=status or error.status, headers=headers)


def envelope(code: str, message: str, **details: Any) -> ApiError:
    return ApiError(code, message, details)
