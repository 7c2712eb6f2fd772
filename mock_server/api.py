"""The Campaigns API under /public/v1, served from the spec and decided by the lifecycle model.

Each request goes through, in order (docs/contract-decisions.md, "Precedence in the mock"):
route (404/405) -> bearer token (401) -> scope (403) -> rate limit (429) -> media type, size and JSON
(415/413/400) -> Idempotency-Key form (400) -> parameters and body against the spec (400) ->
idempotency replay or refusal -> the model's decision, committed whole or not at all.
"""
from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from contract_spec import Spec, check_body, check_parameters
from state_machine.model import codes
from state_machine.model.codes import ApiError
from state_machine.model.idempotency import IDEMPOTENT_OPERATIONS, StoredResponse, fingerprint, key_problem
from state_machine.model.operations import Call, decide

from .auth import AuthError, authenticate, authorize
from .errors import error_response
from .state import MockState

MAX_BODY_BYTES = 64 * 1024
REPLAY_HEADER = "Idempotent-Replayed"


class Refusal(Exception):
    def __init__(self, error: ApiError, headers: dict[str, str] | None = None) -> None:
        super().__init__(error.message)
        self.error, self.headers = error, headers


async def _read_json(request: Request, required: bool) -> Any:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise Refusal(ApiError(codes.PAYLOAD_TOO_LARGE, f"request body exceeds {MAX_BODY_BYTES} bytes"))
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise Refusal(ApiError(codes.PAYLOAD_TOO_LARGE, f"request body exceeds {MAX_BODY_BYTES} bytes"))
    if not raw.strip():
        if required:
            raise Refusal(ApiError(codes.VALIDATION_FAILED, "a JSON request body is required",
                                   {"errors": [{"location": "body", "field": "(body)", "message": "is required"}]}))
        return {}
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json" and not (media.startswith("application/") and media.endswith("+json")):
        raise Refusal(ApiError(codes.UNSUPPORTED_MEDIA_TYPE, f"Content-Type {media or '(none)'!r} is not "
                               "supported; send application/json"))
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Refusal(ApiError(codes.MALFORMED_BODY, f"request body is not valid JSON: {exc}")) from None
    if not isinstance(body, dict):
        raise Refusal(ApiError(codes.MALFORMED_BODY, "request body must be a JSON object"))
    return body


def make_handler(spec: Spec, state: MockState):
    async def handle(request: Request) -> Response:
        try:
            return await _handle(request)
        except AuthError as exc:
            return error_response(exc.error, exc.headers)
        except Refusal as exc:
            return error_response(exc.error, exc.headers)

    async def _handle(request: Request) -> Response:
        path = request.url.path[len(spec.base_path):] or "/"
        op, path_params, allowed = spec.find(request.method, path)
        if op is None:
            if allowed:
                raise Refusal(ApiError(codes.METHOD_NOT_ALLOWED, f"{request.method} is not allowed on {path}; "
                                       f"allowed: {', '.join(allowed)}"), {"Allow": ", ".join(allowed)})
            raise Refusal(ApiError(codes.NOT_FOUND, f"no such endpoint: {request.method} {request.url.path}"))
        token = authenticate(state.tokens, request.headers.get("authorization"))
        authorize(token, op.scope)
        state.rate_limiter.check(token, state.clock.now())
        body = await _read_json(request, op.body_required) if op.body_pointer else {}

        idem_key = request.headers.get("idempotency-key") if op.operation_id in IDEMPOTENT_OPERATIONS else None
        if idem_key is not None and (problem := key_problem(idem_key)):
            raise Refusal(problem)
        checked = check_parameters(spec, op, path_params, request.query_params, request.headers)
        if (problem := checked.error()) is not None:
            raise Refusal(problem)
        if (problem := check_body(spec, op, body)) is not None:
            raise Refusal(problem)

        with state.lock:  # the whole decision, replay bookkeeping included, is atomic
            now = state.clock.now()
            scope = (token.tenant, op.operation_id, path, idem_key) if idem_key else None
            if scope is not None:
                begun = state.idempotency.begin(scope, fingerprint(body), now)
                if begun.refusal is not None:
                    raise Refusal(begun.refusal)
                if begun.replay is not None:
                    return _respond(begun.replay.status, begun.replay.body, replayed=True)
            call = Call(op.operation_id, token.tenant, now, campaign_id=checked.values["path"].get("campaign_id"),
                        body=body, query=checked.values["query"], new_id=state.new_id)
            try:
                decision = decide(state.world, call)
            except Exception:
                if scope is not None:
                    state.idempotency.abandon(scope)
                raise
            state.world.apply(decision.changes)
            payload = decision.body()
            if scope is not None:
                state.idempotency.complete(scope, StoredResponse(decision.status, payload))
        return _respond(decision.status, payload, replayed=False)

    def _respond(status: int, payload: dict, *, replayed: bool) -> JSONResponse:
        headers = {}
        if status == 201 and isinstance(payload.get("data"), dict) and "campaignId" in payload["data"]:
            headers["Location"] = f"{spec.base_path}/campaigns/{payload['data']['campaignId']}"
        if replayed:
            headers[REPLAY_HEADER] = "true"
        return JSONResponse(payload, status_code=status, headers=headers)

    return handle
