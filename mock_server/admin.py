"""The mock's own surface under /__mock/ (unauthenticated; for loopback use by tests and developers).

GET  /__mock/profile   the target profile describing this mock (tokens, fixture ids, capabilities)
POST /__mock/reset     restore the fixtures; optional {"now": "<ISO 8601>"} restarts the clock there
GET  /__mock/clock     {"now": ...}
POST /__mock/clock     {"advanceSeconds": N} or {"now": "<ISO 8601>"} (forward only) -> {"now": ...}
GET  /__mock/state     the whole state as JSON;  PUT /__mock/state imports such an export
"""
from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from state_machine.kernel.times import iso, parse_timestamp

from .errors import Refusal
from .state import MockState

MAX_ADVANCE_SECONDS = 10 * 366 * 24 * 3600


def _bad(state: MockState, message: str) -> Refusal:
    return Refusal(state.plugin.error(state.plugin.codes.validation_failed, message))


async def _json_object(state: MockState, request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    codes = state.plugin.codes
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise Refusal(state.plugin.error(codes.malformed_body, f"request body is not valid JSON: {exc}")) from None
    if not isinstance(body, dict):
        raise Refusal(state.plugin.error(codes.malformed_body, "request body must be a JSON object"))
    return body


def profile(state: MockState, base_path: str, origin: str) -> dict[str, Any]:
    plugin = state.plugin
    return {
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


def routes(state: MockState, base_path: str) -> list[Route]:
    def clock_body() -> dict[str, Any]:
        return {"now": iso(state.clock.now())}

    async def get_profile(request: Request) -> Response:
        origin = f"{request.url.scheme}://{request.url.netloc}"
        return JSONResponse(profile(state, base_path, origin))

    async def reset(request: Request) -> Response:
        body = await _json_object(state, request)
        moment = None
        if "now" in body:
            moment = parse_timestamp(body["now"])
            if moment is None:
                raise _bad(state, "now must be an ISO 8601 timestamp with an offset, e.g. 2026-04-25T10:00:00Z")
        with state.lock:
            state.reset(moment)
        return JSONResponse({"reset": True, **clock_body()})

    async def get_clock(request: Request) -> Response:
        return JSONResponse(clock_body())

    async def set_clock(request: Request) -> Response:
        body = await _json_object(state, request)
        try:
            if set(body) == {"advanceSeconds"}:
                n = body["advanceSeconds"]
                if isinstance(n, bool) or not isinstance(n, (int, float)) or not 0 <= n <= MAX_ADVANCE_SECONDS:
                    raise _bad(state, f"advanceSeconds must be a number from 0 to {MAX_ADVANCE_SECONDS}")
                state.clock.advance(n)
            elif set(body) == {"now"}:
                moment = parse_timestamp(body["now"])
                if moment is None:
                    raise _bad(state, "now must be an ISO 8601 timestamp with an offset, e.g. 2026-05-01T09:00:00Z")
                state.clock.move_to(moment)
            else:
                raise _bad(state, 'send exactly one of {"advanceSeconds": N} or {"now": "<ISO 8601>"}')
        except ValueError as exc:
            raise _bad(state, str(exc))
        return JSONResponse(clock_body())

    async def export_state(request: Request) -> Response:
        with state.lock:
            return JSONResponse({"now": iso(state.clock.now()), "world": state.plugin.world_to_data(state.world)})

    async def import_state(request: Request) -> Response:
        body = await _json_object(state, request)
        try:
            world = state.plugin.world_from_data(body.get("world"))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise _bad(state, f"not a state export: {exc}")
        with state.lock:
            state.world = world
            state.idempotency.entries.clear()
        return JSONResponse({"imported": True, "campaigns": len(getattr(world, "campaigns", {}))})

    return [
        Route("/__mock/profile", get_profile, methods=["GET"]),
        Route("/__mock/reset", reset, methods=["POST"]),
        Route("/__mock/clock", get_clock, methods=["GET"]),
        Route("/__mock/clock", set_clock, methods=["POST"]),
        Route("/__mock/state", export_state, methods=["GET"]),
        Route("/__mock/state", import_state, methods=["PUT"]),
    ]
