"""Any registered API under its spec's base path, served from the spec and decided by its model.

Each request goes through, in order (the Campaigns decisions page, "Precedence in the mock"):
route (404/405) -> bearer token (401) and scope (403) where the spec gives the operation `security` ->
rate limit (429) -> media type, size and JSON (415/413/400) -> Idempotency-Key form (400) where the
operation declares the header -> parameters and body against the spec (400) -> idempotency replay or
refusal -> the model's decision, rendered, then committed: an answer that cannot be rendered commits
nothing.
"""
from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from contract_spec import Operation, Spec, check_body, check_parameters
from state_machine.kernel import Call
from state_machine.kernel.idempotency import StoredResponse, fingerprint

from .auth import authenticate, authorize
from .errors import Refusal
from .state import MockState

MAX_BODY_BYTES = 64 * 1024
MAX_JSON_DEPTH = 32  # no request of any spec nests deeper; deeper input is refused before parsing
IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"


def _too_deep(raw: bytes) -> bool:
    """Nesting deeper than MAX_JSON_DEPTH, counted on the raw text (strings skipped), without recursion."""
    depth, in_string, escaped = 0, False, False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


class Handler:
    """The API's one endpoint: every path under the base path comes here."""

    def __init__(self, spec: Spec, state: MockState) -> None:
        self.spec, self.state, self.plugin = spec, state, state.plugin

    def refuse(self, code: str | None, message: str, details: dict[str, Any] | None = None,
               headers: dict[str, str] | None = None) -> Refusal:
        assert code is not None, "the engine asked for an error code this API does not have"
        return Refusal(self.plugin.error(code, message, details), headers)

    async def read_json(self, request: Request, required: bool) -> Any:
        codes = self.plugin.codes
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            raise self.refuse(codes.payload_too_large, f"request body exceeds {MAX_BODY_BYTES} bytes")
        raw = await request.body()
        if len(raw) > MAX_BODY_BYTES:
            raise self.refuse(codes.payload_too_large, f"request body exceeds {MAX_BODY_BYTES} bytes")
        if not raw.strip():
            if required:
                raise self.refuse(codes.validation_failed, "a JSON request body is required",
                                  {"errors": [{"location": "body", "field": "(body)", "message": "is required"}]})
            return {}
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media != "application/json" and not (media.startswith("application/") and media.endswith("+json")):
            raise self.refuse(codes.unsupported_media_type, f"Content-Type {media or '(none)'!r} is not "
                              "supported; send application/json")
        if _too_deep(raw):
            raise self.refuse(codes.malformed_body, f"request body nests deeper than {MAX_JSON_DEPTH} levels")
        try:
            body = json.loads(raw)
            # A lone surrogate (e.g. "\ud800") is valid JSON but no Unicode text: refuse it before it is stored.
            json.dumps(body, ensure_ascii=False).encode("utf-8")
        except (ValueError, UnicodeError) as exc:
            raise self.refuse(codes.malformed_body, f"request body is not valid JSON text: {exc}") from None
        if not isinstance(body, dict):
            raise self.refuse(codes.malformed_body, "request body must be a JSON object")
        return body

    def route(self, request: Request) -> tuple[Operation, dict[str, str], str]:
        path = request.url.path[len(self.spec.base_path):] or "/"
        op, path_params, allowed = self.spec.find(request.method, path)
        if op is None:
            codes = self.plugin.codes
            if allowed:
                raise self.refuse(codes.method_not_allowed, f"{request.method} is not allowed on {path}; "
                                  f"allowed: {', '.join(allowed)}", headers={"Allow": ", ".join(allowed)})
            raise self.refuse(codes.not_found, f"no such endpoint: {request.method} {request.url.path}")
        return op, path_params, path

    async def handle(self, request: Request) -> Response:
        state, plugin = self.state, self.plugin
        op, path_params, path = self.route(request)
        tenant = ""
        if op.secured:
            token = authenticate(plugin, state.tokens, request.headers.get("authorization"))
            authorize(plugin, token, op.scope)
            state.rate_limiter.check(token, state.clock.now())
            tenant = token.tenant
        body = await self.read_json(request, op.body_required) if op.body_pointer else {}

        idem_key = None
        if plugin.idempotency is not None and op.header(IDEMPOTENCY_HEADER) is not None:
            idem_key = request.headers.get(IDEMPOTENCY_HEADER)
            if idem_key is not None and (problem := plugin.idempotency.key_problem(idem_key)):
                raise Refusal(problem)
        checked = check_parameters(self.spec, op, path_params, request.query_params, request.headers)
        if (problem := checked.error(plugin)) is not None:
            raise Refusal(problem)
        if (problem := check_body(self.spec, op, body, plugin)) is not None:
            raise Refusal(problem)

        with state.lock:  # the whole decision, replay bookkeeping included, is atomic
            now = state.clock.now()
            scope = (tenant, op.operation_id, path, idem_key) if idem_key else None
            if scope is not None:
                begun = state.idempotency.begin(scope, fingerprint(body), now)
                if begun.refusal == "reused":
                    raise self.refuse(plugin.codes.idempotency_key_reused, f"this {IDEMPOTENCY_HEADER} was already "
                                      "used with a different request; use a new key for a new request")
                if begun.refusal == "in_use":
                    raise self.refuse(plugin.codes.idempotency_key_in_use, f"a request with this "
                                      f"{IDEMPOTENCY_HEADER} is still being processed; retry later")
                if begun.replay is not None:
                    return self.respond(begun.replay.status, begun.replay.body, replayed=True)
            call = Call(op.operation_id, tenant, now, resource_id=path_params.get(plugin.resource.path_param),
                        body=body, query=checked.values["query"], new_id=state.new_id)
            try:
                decision = plugin.decide(state.world, call)
                payload = plugin.envelope.render(decision)
                response = self.respond(decision.status, payload, replayed=False)
            except BaseException:
                if scope is not None:
                    state.idempotency.abandon(scope)
                raise
            plugin.world_apply(state.world, decision.changes)
            if scope is not None:
                state.idempotency.complete(scope, StoredResponse(decision.status, payload))
        return response

    def respond(self, status: int, payload: Any, *, replayed: bool) -> Response:
        headers = {}
        if status == 201:
            created = self.plugin.resource.id_of(self.plugin.envelope.data(payload))
            if created:
                headers["Location"] = f"{self.spec.base_path}{self.plugin.resource.collection_path}/{created}"
        if replayed:
            headers[REPLAY_HEADER] = "true"
        media = self.plugin.envelope.error_media_type if status >= 400 else "application/json"
        # Rendered here, inside the caller's try: a body that cannot be encoded is an error before any commit.
        content = json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
        return Response(content, status_code=status, headers=headers, media_type=media)
