"""The mock's own surface under /__mock/ (for tests and developers; protected as docs/reliability.md says).

GET  /__mock/profile   the target profile describing this mock (tokens, fixture ids, capabilities)
POST /__mock/reset     restore the fixtures; optional {"now": "<ISO 8601>"} restarts the clock there
GET  /__mock/clock     {"now": ...}
POST /__mock/clock     {"advanceSeconds": N} or {"now": "<ISO 8601>"} (forward only) -> {"now": ...}
GET  /__mock/state     the whole state as JSON;  PUT /__mock/state imports such an export

Every call passes `AdminGuard` first: the Host (and a browser's Origin) must name an allowed host (DNS
rebinding and cross-site requests: 403), the admin token when one is set (401), and a body must be
`application/json` (a cross-site form or text/plain POST: 415).
"""
from __future__ import annotations

import asyncio
import hmac
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from contract_spec.document import in_range
from state_machine.kernel import ApiError
from state_machine.kernel.times import iso, parse_timestamp

from .api import BODY_TIMEOUT_SECONDS, parse_json_object, read_body, render_json
from .errors import Refusal
from .state import MockState
from .store import check_world

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
# Names only an in-process client uses (httpx's ASGITransport, the suite's asgi_target); accepted when
# create_app is given no allowed_hosts. A served mock (python -m mock_server) lists its hosts itself.
IN_PROCESS_HOSTS = ("testserver", "mock.local")
ADMIN_REALM = 'Bearer realm="mock-admin"'
# Engine codes: answers the API's own codes cannot give (rendered in the API's envelope all the same).
HOST_NOT_ALLOWED = "MOCK_ADMIN_HOST_NOT_ALLOWED"  # 403
ADMIN_UNAUTHENTICATED = "MOCK_ADMIN_UNAUTHENTICATED"  # 401, when the API has no 401 code of its own
ENGINE_STATUS = {HOST_NOT_ALLOWED: 403, ADMIN_UNAUTHENTICATED: 401}

EXPORT_CHUNK = 50  # records encoded per step of GET /__mock/state (a few ms at most)
MAX_ADVANCE_SECONDS = 10 * 366 * 24 * 3600


def _bad(state: MockState, message: str) -> Refusal:
    return Refusal(state.plugin.error(state.plugin.codes.validation_failed, message))


def _host_name(value: str) -> str:
    """`example.com:8080` -> `example.com`, `[::1]:80` -> `::1` (lower case)."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class AdminGuard:
    """Who may call /__mock/: requests naming an allowed host, with the admin token when one is set."""

    def __init__(self, state: MockState, *, token: str | None, allowed_hosts: Iterable[str] | None) -> None:
        self.state, self.plugin = state, state.plugin
        self.token = token or None
        hosts = IN_PROCESS_HOSTS if allowed_hosts is None else tuple(allowed_hosts)
        self.allowed = {_host_name(h) for h in (*LOOPBACK_HOSTS, *hosts) if h}

    def error(self, code: str | None, fallback: str, message: str) -> ApiError:
        if code is not None:
            return self.plugin.error(code, message)
        return ApiError(fallback, message, {}, status=ENGINE_STATUS[fallback])

    def check(self, request: Request) -> None:
        host = _host_name(request.headers.get("host", ""))
        if host not in self.allowed:
            raise Refusal(self.error(None, HOST_NOT_ALLOWED, f"the admin surface answers only requests to "
                                     f"{', '.join(sorted(self.allowed))} (Host {host[:100]!r} refused: DNS rebinding "
                                     "defence); start the mock with --allow-host to add a name"))
        origin = request.headers.get("origin")
        if origin is not None and _host_name(urlsplit(origin).netloc) not in self.allowed:
            raise Refusal(self.error(None, HOST_NOT_ALLOWED, "the admin surface refuses cross-site requests "
                                     f"(Origin {origin[:100]!r})"))
        if request.headers.get("sec-fetch-site") == "cross-site":
            raise Refusal(self.error(None, HOST_NOT_ALLOWED, "the admin surface refuses cross-site requests"))
        if self.token is not None:
            given = request.headers.get("x-admin-token")
            if given is None:
                scheme, _, value = request.headers.get("authorization", "").partition(" ")
                given = value.strip() if scheme.lower() == "bearer" else None
            if given is None or not hmac.compare_digest(given.encode("utf-8", "surrogateescape"),
                                                        self.token.encode("utf-8")):
                codes = self.plugin.codes
                code = codes.unauthenticated if given is None else (codes.invalid_token or codes.unauthenticated)
                raise Refusal(self.error(code, ADMIN_UNAUTHENTICATED, "this mock's admin surface needs its admin "
                                         "token: send 'Authorization: Bearer <token>' or 'X-Admin-Token: <token>'"),
                              {"WWW-Authenticate": ADMIN_REALM})
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            media = request.headers.get("content-type")
            if media is not None and media.split(";")[0].strip().lower() != "application/json":
                raise Refusal(self.plugin.error(self.plugin.codes.unsupported_media_type, "admin calls take "
                                                f"application/json, not {media[:100]!r}"))

    def wrap(self, endpoint: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
        async def guarded(request: Request) -> Response:
            self.check(request)
            return await endpoint(request)

        return guarded


async def _json_object(state: MockState, request: Request) -> dict[str, Any]:
    raw = await read_body(request, state.plugin, BODY_TIMEOUT_SECONDS)
    if not raw.strip():
        return {}
    if request.headers.get("content-type") is None:  # a body needs its media type (AdminGuard checked which)
        raise Refusal(state.plugin.error(state.plugin.codes.unsupported_media_type,
                                         "an admin call with a body needs Content-Type: application/json"))
    return parse_json_object(raw, state.plugin)


def _moment(state: MockState, value: Any, example: str) -> Any:
    moment = parse_timestamp(value)
    if moment is None or not in_range(moment):
        raise _bad(state, f"now must be an ISO 8601 timestamp with an offset from year 1970 to 2999, e.g. {example}")
    return moment


def profile(state: MockState, base_path: str, origin: str, admin_token: str | None = None) -> dict[str, Any]:
    plugin = state.plugin
    return {
        # A saved profile given back with --target-profile still reaches a token-protected admin surface.
        **({"admin_token": admin_token} if admin_token else {}),
        "api": plugin.name,
        "base_url": origin + base_path,
        "admin_url": origin + "/__mock",
        "tokens": {t.name: {"token": t.token, "tenant": t.tenant, "scopes": list(t.scopes),
                            **({"requests_per_minute": t.requests_per_minute} if t.requests_per_minute else {})}
                   for t in state.tokens.values()},
        "fixtures": state.fixture.profile_fixtures,
        "capabilities": {"clock_control": True, "clock_frozen": state.clock.frozen, "allow_sends": True,
                         **plugin.capabilities,
                         "max_requests_per_second": None},  # a local mock needs no pacing
        "timing": dict(plugin.timing),
    }


async def _export_stream(now: str | None, pairs: Iterator[tuple[str, Any]]) -> AsyncIterator[bytes]:
    """`{"now": ..., "world": {...}}` of a world snapshot, EXPORT_CHUNK records at a time, giving the event loop
    back between chunks: a large export never holds up other requests for long (docs/performance.md)."""
    yield b'{"now":' + render_json(now) + b',"world":{'
    sep = b""
    for key, value in pairs:
        yield sep + render_json(key) + b":"
        sep = b","
        if value is None or isinstance(value, (dict, list, tuple, str, int, float, bool)):
            yield render_json(value)
            continue
        items, inner = iter(value), b"["
        while chunk := list(itertools.islice(items, EXPORT_CHUNK)):
            yield inner + render_json(chunk)[1:-1]
            inner = b","
            await asyncio.sleep(0)
        yield b"[]" if inner == b"[" else b"]"
    yield b"}}"


def routes(state: MockState, base_path: str, *, token: str | None = None,
           allowed_hosts: Iterable[str] | None = None) -> list[Route]:
    guard = AdminGuard(state, token=token, allowed_hosts=allowed_hosts)

    def clock_body() -> dict[str, Any]:
        return {"now": iso(state.clock.now())}

    async def get_profile(request: Request) -> Response:
        origin = f"{request.url.scheme}://{request.url.netloc}"
        with state.transaction(write=False):
            return JSONResponse(profile(state, base_path, origin, token))

    async def reset(request: Request) -> Response:
        body = await _json_object(state, request)
        moment = _moment(state, body["now"], "2026-04-25T10:00:00Z") if "now" in body else None
        with state.transaction():
            state.reset(moment)
            return JSONResponse({"reset": True, **clock_body()})

    async def get_clock(request: Request) -> Response:
        with state.transaction(write=False):
            return JSONResponse(clock_body())

    async def set_clock(request: Request) -> Response:
        body = await _json_object(state, request)
        with state.transaction():
            try:
                if set(body) == {"advanceSeconds"}:
                    n = body["advanceSeconds"]
                    if isinstance(n, bool) or not isinstance(n, (int, float)) or not 0 <= n <= MAX_ADVANCE_SECONDS:
                        raise _bad(state, f"advanceSeconds must be a number from 0 to {MAX_ADVANCE_SECONDS}")
                    if not in_range(state.clock.now() + timedelta(seconds=n)):
                        raise _bad(state, "the mock clock stays before the year 3000")
                    state.clock.advance(n)
                elif set(body) == {"now"}:
                    state.clock.move_to(_moment(state, body["now"], "2026-05-01T09:00:00Z"))
                else:
                    raise _bad(state, 'send exactly one of {"advanceSeconds": N} or {"now": "<ISO 8601>"}')
            except ValueError as exc:
                raise _bad(state, str(exc)) from None
            state.changed()
            return JSONResponse(clock_body())

    async def export_state(request: Request) -> Response:
        plugin = state.plugin
        with state.transaction(write=False):
            now = iso(state.clock.now())
            if plugin.world_snapshot is None or plugin.world_stream is None:
                return JSONResponse({"now": now, "world": plugin.world_to_data(state.world)})
            snapshot = plugin.world_snapshot(state.world)  # cheap (shallow copies); encoded outside the lock
        return StreamingResponse(_export_stream(now, plugin.world_stream(snapshot)), media_type="application/json")

    async def import_state(request: Request) -> Response:
        body = await _json_object(state, request)
        try:
            world = check_world(state.plugin, body.get("world"))
        except (ValueError, RecursionError) as exc:
            raise _bad(state, f"not a state export: {exc}") from None
        with state.transaction():
            state.world = world
            state.idempotency.clear()
            state.changed()
            state.recorded()
        return JSONResponse({"imported": True, "campaigns": len(getattr(world, "campaigns", {}))})

    return [
        Route("/__mock/profile", guard.wrap(get_profile), methods=["GET"]),
        Route("/__mock/reset", guard.wrap(reset), methods=["POST"]),
        Route("/__mock/clock", guard.wrap(get_clock), methods=["GET"]),
        Route("/__mock/clock", guard.wrap(set_clock), methods=["POST"]),
        Route("/__mock/state", guard.wrap(export_state), methods=["GET"]),
        Route("/__mock/state", guard.wrap(import_state), methods=["PUT"]),
    ]
