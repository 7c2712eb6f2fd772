"""`create_app()`: the mock of a registered API as a Starlette application."""
from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from contract_spec import load_spec
from state_machine import registry

from . import admin
from .api import Handler
from .clock import MockClock
from .errors import Refusal, error_response, refusal_handler
from .state import MockState

API_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def create_app(spec_path: str | Path | None = None, clock: MockClock | None = None, *,
               api: str | None = None) -> Starlette:
    """A fresh mock of `api` (default: the Campaigns v1 API) with its fixtures loaded.
    `app.state.mock` is its `MockState` (world, clock, ...), `app.state.spec` its spec."""
    plugin = registry.get(api)
    spec = load_spec(spec_path or plugin.spec_path)
    state = MockState(plugin, clock or MockClock())
    codes = plugin.codes

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 405:
            return error_response(plugin, plugin.error(codes.method_not_allowed,
                                                       f"{request.method} is not allowed here"), exc.headers)
        return error_response(plugin, plugin.error(codes.not_found,
                                                   f"no such endpoint: {request.method} {request.url.path}"))

    async def server_error(request: Request, exc: Exception) -> Response:
        # A bug in the mock: still answer in the API's envelope so clients and the suite can report it.
        return error_response(plugin, plugin.error(codes.internal, f"mock internal error: {exc!r}"))

    app = Starlette(
        routes=[
            *admin.routes(state, spec.base_path),
            Route(spec.base_path + "/{rest:path}", Handler(spec, state).handle, methods=API_METHODS),
        ],
        exception_handlers={Refusal: refusal_handler(plugin), HTTPException: http_error, Exception: server_error},
    )
    app.state.mock = state
    app.state.spec = spec
    app.state.plugin = plugin
    return app
