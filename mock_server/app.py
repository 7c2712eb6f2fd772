"""`create_app()`: the mock of a registered API as a Starlette application; `app_from_env()`: the same,
configured by MOCK_* environment variables (the factory each uvicorn worker process calls)."""
from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from contract_spec import load_spec
from state_machine import registry
from state_machine.kernel.times import parse_timestamp

from . import admin as admin_surface
from .api import BODY_TIMEOUT_SECONDS, Handler
from .clock import MockClock
from .errors import Refusal, error_response, refusal_handler
from .state import MockState
from .store import Store, open_store

API_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


class MockApp(Starlette):
    """The Starlette app, with the API's requests (under the spec's base path) sent straight to the Handler:
    no middleware layers and no route matching per request (docs/performance.md), the same answers: a
    Refusal is rendered by its handler, any other exception answers 500 in the envelope and is re-raised
    (as Starlette's ServerErrorMiddleware does). Everything else (/__mock/, lifespan, other paths) goes
    through Starlette as before."""

    api_prefix: str = "\x00"  # set by create_app: base path + "/" (a base path of "" is never short-cut)
    api_handler: Callable[[Request], Awaitable[Response]] | None = None
    on_refusal: Callable[[Request, Exception], Awaitable[Response]] | None = None
    on_error: Callable[[Request, Exception], Awaitable[Response]] | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if (scope["type"] == "http" and scope["path"].startswith(self.api_prefix) and not scope.get("root_path")
                and scope["method"] in _API_METHOD_SET and self.api_handler is not None):
            scope["app"] = self
            request = Request(scope, receive, send)
            try:
                try:
                    response = await self.api_handler(request)
                except Refusal as exc:
                    response = await self.on_refusal(request, exc)  # type: ignore[misc]
            except Exception as exc:
                await (await self.on_error(request, exc))(scope, receive, send)  # type: ignore[misc]
                raise
            await response(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


_API_METHOD_SET = frozenset(API_METHODS)


def create_app(spec_path: str | Path | None = None, clock: MockClock | None = None, *,
               api: str | None = None, admin: bool = True, admin_token: str | None = None,
               allowed_hosts: Iterable[str] | None = None, store: Store | str | None = None,
               state_file: str | Path | None = None, body_timeout: float = BODY_TIMEOUT_SECONDS) -> Starlette:
    """A fresh mock of `api` (default: the Campaigns v1 API) with its fixtures loaded.

    admin          serve /__mock/ (False: those paths answer 404 in the API's envelope)
    admin_token    required on every /__mock/ call (Authorization: Bearer or X-Admin-Token) when set
    allowed_hosts  Host names /__mock/ answers besides the loopback ones (None: also the in-process names
                   testserver and mock.local; python -m mock_server passes its bound host)
    store          a Store, "memory" (default) or "redis://HOST:PORT/DB"
    state_file     load the state from it at start, save it after every change and at shutdown (memory)
    body_timeout   seconds a request body may take to arrive

    `app.state.mock` is its `MockState` (world, clock, ...), `app.state.spec` its spec."""
    plugin = registry.get(api)
    spec = load_spec(spec_path or plugin.spec_path)
    if not isinstance(store, Store):
        store = open_store(store, state_file)
    elif state_file:
        raise ValueError("give state_file to the store, or a store URL")
    state = MockState(plugin, clock or MockClock(), store)
    codes = plugin.codes

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 405:
            return error_response(plugin, plugin.error(codes.method_not_allowed,
                                                       f"{request.method} is not allowed here"), exc.headers)
        return error_response(plugin, plugin.error(codes.not_found,
                                                   f"no such endpoint: {request.method} {request.url.path[:200]}"))

    async def server_error(request: Request, exc: Exception) -> Response:
        # A bug in the mock: still answer in the API's envelope so clients and the suite can report it.
        return error_response(plugin, plugin.error(codes.internal, f"mock internal error: {exc!r}"))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            state.store.close(state)  # a state file gets its last save (SIGTERM, Ctrl-C)

    admin_routes = admin_surface.routes(state, spec.base_path, token=admin_token,
                                        allowed_hosts=allowed_hosts) if admin else []
    handler = Handler(spec, state, body_timeout=body_timeout).handle
    on_refusal = refusal_handler(plugin)
    app = MockApp(
        routes=[
            *admin_routes,
            Route(spec.base_path + "/{rest:path}", handler, methods=API_METHODS),
        ],
        exception_handlers={Refusal: on_refusal, HTTPException: http_error, Exception: server_error},
        lifespan=lifespan,
    )
    if spec.base_path and not spec.base_path.startswith("/__mock"):
        app.api_prefix, app.api_handler = spec.base_path + "/", handler
        app.on_refusal, app.on_error = on_refusal, server_error
    app.state.mock = state
    app.state.spec = spec
    app.state.plugin = plugin
    app.state.admin = admin
    return app


# -- configuration by environment (uvicorn workers import the app by name)
ENV_OPTIONS = {
    "MOCK_API": "the API to serve",
    "MOCK_SPEC": "its OpenAPI document",
    "MOCK_STORE": "memory or redis://HOST:PORT/DB",
    "MOCK_STATE_FILE": "the state file (memory store)",
    "MOCK_ADMIN": "0 to disable /__mock/",
    "MOCK_ADMIN_TOKEN": "the admin token",
    "MOCK_ALLOWED_HOSTS": "comma-separated Host names /__mock/ answers besides the loopback ones",
    "MOCK_NOW": "start the clock at this ISO 8601 instant",
    "MOCK_FROZEN": "1 to freeze the clock (moves only when told)",
}


def app_from_env() -> Starlette:
    """The app `python -m mock_server` describes in MOCK_* variables (uvicorn `factory=True`)."""
    env = os.environ
    now = parse_timestamp(env["MOCK_NOW"]) if env.get("MOCK_NOW") else None
    clock = MockClock(now, frozen=env.get("MOCK_FROZEN") == "1")
    hosts = [h.strip() for h in env.get("MOCK_ALLOWED_HOSTS", "").split(",") if h.strip()]
    return create_app(env.get("MOCK_SPEC") or None, clock, api=env.get("MOCK_API") or None,
                      admin=env.get("MOCK_ADMIN", "1") != "0", admin_token=env.get("MOCK_ADMIN_TOKEN") or None,
                      allowed_hosts=hosts, store=env.get("MOCK_STORE") or None,
                      state_file=env.get("MOCK_STATE_FILE") or None)


__all__ = ["ENV_OPTIONS", "app_from_env", "create_app"]
