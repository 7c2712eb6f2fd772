"""The mock's one exception hierarchy, rendered in one place (`render_refusal`, installed by create_app).

Every refusal the engine makes (route, auth, rate limit, body, parameters, idempotency) is a `Refusal`
carrying the API's own error; the API's envelope turns it into the answer.
"""
from __future__ import annotations

from collections.abc import Mapping

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


def error_response(plugin: ApiPlugin, error: ApiError, headers: Mapping[str, str] | None = None) -> Response:
    return JSONResponse(plugin.envelope.render_error(error), status_code=error.status, headers=dict(headers or {}),
                        media_type=plugin.envelope.error_media_type)


def refusal_handler(plugin: ApiPlugin):
    async def render_refusal(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Refusal)
        return error_response(plugin, exc.error, exc.headers)

    return render_refusal
