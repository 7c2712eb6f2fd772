"""The mock's one exception hierarchy, rendered in one place (`render_refusal`, installed by create_app).

Every refusal the engine makes (route, auth, rate limit, body, parameters, idempotency) is a `Refusal`
carrying the API's own error; the API's envelope turns it into the answer.
"""
from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from state_machine.kernel import ApiError
from state_machine.plugin import ApiPlugin


class MockError(Exception):
    """Root of the mock's exceptions."""


class Refusal(MockError):
    """A request the mock answers with an error of the API, before or instead of the model's decision."""

    def __init__(self, error: ApiError, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(error.message)
        self.error = error
        self.headers = dict(headers or {})


# An error answer stays small whatever the request was (docs/reliability.md): a 60 KB body that fails its
# schema everywhere must not earn a megabyte-sized answer.
MAX_LISTED = 20  # entries of any list in `details` (e.g. details.errors)
MAX_TEXT = 300  # characters of the message and of any string in `details`
MAX_DEPTH = 6  # nesting of `details` kept


def _clip(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "\u2026"


def _bounded(value: Any, depth: int = 0) -> Any:
    if isinstance(value, str):
        return _clip(value)
    if depth >= MAX_DEPTH:
        return None
    if isinstance(value, Mapping):
        return {_clip(str(k)): _bounded(v, depth + 1) for k, v in itertools.islice(value.items(), MAX_LISTED)}
    if isinstance(value, (list, tuple)):
        return [_bounded(v, depth + 1) for v in value[:MAX_LISTED]]
    return value


def bounded(error: ApiError) -> ApiError:
    """The error with its message and details cut to MAX_TEXT / MAX_LISTED (the count of what was cut is
    said in the message)."""
    cut = [f"{len(v)} {k}" for k, v in error.details.items() if isinstance(v, (list, tuple)) and len(v) > MAX_LISTED]
    message = error.message + (f" (first {MAX_LISTED} of {', '.join(cut)} listed)" if cut else "")
    return dataclasses.replace(error, message=_clip(message), details=_bounded(dict(error.details)))


def error_response(plugin: ApiPlugin, error: ApiError, headers: Mapping[str, str] | None = None) -> Response:
    return JSONResponse(plugin.envelope.render_error(bounded(error)), status_code=error.status, headers=dict(headers or {}),
                        media_type=plugin.envelope.error_media_type)


def refusal_handler(plugin: ApiPlugin):
    async def render_refusal(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Refusal)
        return error_response(plugin, exc.error, exc.headers)

    return render_refusal
