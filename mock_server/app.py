"""`create_app()`: the mock Campaigns API as a Starlette application."""
from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from contract_spec import load_spec
from state_machine.model import codes
from state_machine.model.codes import ApiError

from . import admin
from .api import make_handler
from .clock import MockClock
from .errors import error_response
from .state import MockState

API_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def create_app(spec_path: str | Path | None = None, clock: MockClock | None = None) -> Starlette:
    """A fresh mock with its fixtures loaded. `app.state.mock` is its `MockState` (world, clock, ...)."""
    spec = load_spec(spec_path)
    state = MockState(clock or MockClock())
    handler = make_handler(spec, state)

    async def not_found(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 405:
            return error_response(ApiError(codes.METHOD_NOT_ALLOWED, f"{request.method} is not allowed here"),
                                  dict(exc.headers or {}))
        return error_response(ApiError(codes.NOT_FOUND, f"no such endpoint: {request.method} {request.url.path}"),
                              status=exc.status_code if exc.status_code >= 400 else 404)

    async def server_error(request: Request, exc: Exception) -> Response:
        # A bug in the mock: still answer in the envelope so clients and the suite can report it.
        return error_response(ApiError("JOURNEY_API.PUBLIC.CAMPAIGNS.INTERNAL", f"mock internal error: {exc!r}"),
                              status=500)

    app = Starlette(
        routes=[
            *admin.routes(state, spec.base_path),
            Route(spec.base_path + "/{rest:path}", handler, methods=API_METHODS),
        ],
        exception_handlers={HTTPException: not_found, Exception: server_error},
    )
    app.state.mock = state
    app.state.spec = spec
    return app
