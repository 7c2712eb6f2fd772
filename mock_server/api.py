"""Any registered API under its spec's base path, served from the spec and decided by its model.

Each request goes through, in order (the Campaigns decisions page, "Precedence in the mock"):
route (404/405) -> bearer token (401) and scope (403) where the spec gives the operation `security` ->
rate limit (429) -> media type, size and JSON (415/413/400) -> Idempotency-Key form (400) where the
operation declares the header -> parameters and body against the spec (400) -> idempotency replay or
refusal -> the model's decision, rendered, then committed: an answer that cannot be rendered commits
nothing.
"""
from __future__ import annotations

import asyncio
import json
import math
import re
from typing import Any

from starlette.datastructures import QueryParams
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from contract_spec import Operation, Spec, check_body, check_parameters
from state_machine.kernel import Call
from state_machine.kernel.idempotency import StoredResponse, request_fingerprint
from state_machine.plugin import ApiPlugin

from .auth import authenticate, authorize
from .errors import Refusal
from .state import MockState

try:
    import orjson
except ImportError:  # pragma: no cover - a dependency; without it the standard encoder renders everything
    orjson = None

MAX_BODY_BYTES = 64 * 1024
MAX_JSON_DEPTH = 32  # no request of any spec nests deeper; deeper input is refused before parsing
IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
BODY_TIMEOUT_SECONDS = 10.0  # a body must arrive within this (a short body must not hold a connection)


def render_json(payload: Any) -> bytes:
    """An answer's body: compact UTF-8 JSON, non-ASCII as is (`ensure_ascii=False`). orjson renders what it
    can; whatever it refuses (a lone surrogate, an integer beyond 64 bits, a non-string key) goes to the
    standard encoder, which renders it or refuses it exactly as before (a lone surrogate: UnicodeEncodeError).
    NaN and infinities never reach an answer (request bodies refuse them, the models compute none)."""
    if orjson is not None:
        try:
            return orjson.dumps(payload)
        except TypeError:  # orjson.JSONEncodeError
            pass
    return json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def _too_deep(raw: bytes) -> bool:
    """Nesting deeper than MAX_JSON_DEPTH, counted on the raw text (strings skipped), without recursion."""
    if raw.count(b"[") + raw.count(b"{") <= MAX_JSON_DEPTH:  # cannot nest deeper than it has brackets
        return False
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


_LONG_DIGITS = re.compile(rb"[0-9]{19}").search


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"number {text[:40]} is out of range")
    return value


async def read_body(request: Request, plugin: ApiPlugin, timeout: float) -> bytes:
    """The request body, at most MAX_BODY_BYTES, read within `timeout` seconds: a body longer than that is
    refused as soon as it is (413, whatever Content-Length says); one that stops short of its Content-Length
    is refused after `timeout` (400) instead of holding a connection and a task for ever."""
    codes = plugin.codes

    def too_large() -> Refusal:
        return Refusal(plugin.error(codes.payload_too_large, f"request body exceeds {MAX_BODY_BYTES} bytes"))

    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_large()

    async def read() -> bytes:
        # The ASGI messages themselves (what Request.stream() reads, without its generator per request).
        chunks, size, receive = [], 0, request.receive
        while True:
            message = await receive()
            kind = message["type"]
            if kind == "http.request":
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise too_large()
                chunks.append(chunk)
                if not message.get("more_body", False):
                    break
            elif kind == "http.disconnect":
                raise ClientDisconnect()
        request._stream_consumed = True
        body = request._body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        return body

    # One timer handle per request (asyncio.timeout builds a context manager, a Timeout and reschedules):
    # when it fires it cancels this task, and the cancellation it caused becomes the 400 below.
    task = asyncio.current_task()
    assert task is not None
    expired: list[bool] = []

    def expire() -> None:
        expired.append(True)
        task.cancel()

    timer = asyncio.get_running_loop().call_later(timeout, expire)
    try:
        return await read()
    except asyncio.CancelledError:
        if not expired:
            raise
        task.uncancel()
        raise Refusal(plugin.error(codes.malformed_body, f"the request body did not arrive within {timeout:g} s "
                                   "(shorter than its Content-Length?)"), {"Connection": "close"}) from None
    except ClientDisconnect:
        raise Refusal(plugin.error(codes.malformed_body, "the client went away before its body arrived"),
                      {"Connection": "close"}) from None
    finally:
        timer.cancel()


def parse_json_object(raw: bytes, plugin: ApiPlugin) -> dict[str, Any]:
    """A JSON object from a body, refusing (400 malformed) what is no JSON text: bad syntax, nesting deeper
    than MAX_JSON_DEPTH, lone surrogates, NaN/Infinity and numbers too large for a double (they could never
    be answered back as JSON), integers longer than Python's digit limit."""
    codes = plugin.codes
    if _too_deep(raw):
        raise Refusal(plugin.error(codes.malformed_body, f"request body nests deeper than {MAX_JSON_DEPTH} levels"))
    # orjson first: it accepts only RFC 8259 UTF-8 text with finite numbers and no lone surrogates, i.e. a
    # subset of what the standard parser below accepts, and gives the same values -- except that it turns
    # integers beyond 64 bits into floats, so text with a 19-digit run goes to the standard parser. Whatever
    # orjson refuses goes there too, and is accepted or refused (with its message) exactly as before.
    if orjson is not None and _LONG_DIGITS(raw) is None:
        try:
            parsed = orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
        else:
            if not isinstance(parsed, dict):
                raise Refusal(plugin.error(codes.malformed_body, "request body must be a JSON object"))
            return parsed
    try:
        body = json.loads(raw, parse_constant=_refuse_constant, parse_float=_finite)
        # A lone surrogate (e.g. "\ud800") is valid JSON but no Unicode text: refuse it before it is stored.
        # It can only come from a \u escape, UTF-8-encoded surrogate bytes (0xED ...) or a UTF-16/32 body.
        if b"\\u" in raw or b"\xed" in raw or b"\x00" in raw or raw[:1] in (b"\xff", b"\xfe"):
            json.dumps(body, ensure_ascii=False).encode("utf-8")
    except (ValueError, UnicodeError, RecursionError) as exc:
        raise Refusal(plugin.error(codes.malformed_body, f"request body is not valid JSON text: {exc}")) from None
    if not isinstance(body, dict):
        raise Refusal(plugin.error(codes.malformed_body, "request body must be a JSON object"))
    return body


def idempotency_key(request: Request, plugin: ApiPlugin) -> str | None:
    """The Idempotency-Key a request carries (IETF draft: an sf-string, `"..."`; the bare token is accepted
    too), or None. More than one key (two header lines, or a list) is refused with the API's
    idempotency_key_invalid code, as is a malformed sf-string; then the API judges the key itself."""
    values = request.headers.getlist(IDEMPOTENCY_HEADER)
    if not values:
        return None
    invalid = plugin.codes.idempotency_key_invalid or plugin.codes.validation_failed

    def refuse(message: str) -> Refusal:
        return Refusal(plugin.error(invalid, message, {"idempotencyKey": ", ".join(values)[:200]}))

    if len(values) > 1:
        raise refuse(f"send one {IDEMPOTENCY_HEADER}, not {len(values)}")
    value = values[0].strip(" \t")
    if value.startswith('"'):
        key = _sf_string(value)
        if key is None:
            raise refuse(f"{IDEMPOTENCY_HEADER} is not a valid structured-field string (RFC 8941) nor a token"
                         if "," not in value else f"send one {IDEMPOTENCY_HEADER}, not a list")
    elif "," in value:
        raise refuse(f"send one {IDEMPOTENCY_HEADER}, not a list")
    else:
        key = value
    if plugin.idempotency is not None and (problem := plugin.idempotency.key_problem(key)):
        raise Refusal(problem)
    return key


def _sf_string(value: str) -> str | None:
    """The text of an RFC 8941 sf-string (`"..."` with \\" and \\\\ escapes, printable ASCII), or None."""
    out, i = [], 1
    while i < len(value):
        ch = value[i]
        if ch == "\\":
            if i + 1 >= len(value) or value[i + 1] not in '"\\':
                return None
            out.append(value[i + 1])
            i += 2
            continue
        if ch == '"':
            return "".join(out) if i == len(value) - 1 else None
        if not " " <= ch <= "~":
            return None
        out.append(ch)
        i += 1
    return None


_PLAIN_PATH = re.compile(r"/[^?#\\\t\r\n]*").fullmatch
_PLAIN_HOST = re.compile(rb"[A-Za-z0-9.\-]+(:[0-9]{1,5})?").fullmatch


def url_path(request: Request) -> str:
    """`request.url.path` without building the URL (Starlette parses a whole URL for it): the scope's path
    where that is what the URL would give (a path without ?, #, \\, tab or line breaks, a plain Host)."""
    scope = request.scope
    path = scope["path"]
    if _PLAIN_PATH(path) and not path.startswith("//"):
        for name, value in scope["headers"]:
            if name == b"host":
                if _PLAIN_HOST(value):
                    return path
                break
    return request.url.path


_NO_QUERY: dict[str, str] = {}


def query_of(request: Request) -> Any:
    """`request.query_params`, without urllib's parse where there is nothing to decode: no query string gives
    an empty mapping (the checks read it the same), one without `%` or `+` is split as `parse_qsl(...,
    keep_blank_values=True)` splits it (empty parts skipped, a name without `=` has the value "")."""
    raw = request.scope["query_string"]
    if not raw:
        return _NO_QUERY
    if b"%" in raw or b"+" in raw:
        return request.query_params
    pairs = []
    for part in raw.decode("latin-1").split("&"):
        if part:
            name, _, value = part.partition("=")
            pairs.append((name, value))
    return QueryParams(pairs)


class Answer(Response):
    """A rendered JSON answer: Starlette's Response with its raw headers built directly (no header mapping
    lowered and re-encoded per request); sent by Response.__call__ as any other."""

    def __init__(self, content: bytes, status: int, media_type: str, headers: dict[str, str]) -> None:
        self.status_code, self.body, self.background, self.media_type = status, content, None, media_type
        raw = [(b"content-length", str(len(content)).encode()), (b"content-type", media_type.encode("latin-1"))]
        for name, value in headers.items():
            raw.append((name.lower().encode("latin-1"), value.encode("latin-1")))
        self.raw_headers = raw


class _KeyOverlay:
    """The request's headers as check_parameters reads them (`get`), with the Idempotency-Key unquoted."""

    __slots__ = ("headers", "key")

    def __init__(self, headers: Any, key: str) -> None:
        self.headers, self.key = headers, key

    def get(self, name: str, default: Any = None) -> Any:
        if name.lower() == IDEMPOTENCY_HEADER.lower():
            return self.key
        return self.headers.get(name, default)


class Handler:
    """The API's one endpoint: every path under the base path comes here."""

    def __init__(self, spec: Spec, state: MockState, *, body_timeout: float = BODY_TIMEOUT_SECONDS) -> None:
        self.spec, self.state, self.plugin = spec, state, state.plugin
        self.body_timeout = body_timeout
        self._takes_key: dict[str, bool] = {}  # operation id -> it declares an Idempotency-Key header

    def takes_key(self, op: Operation) -> bool:
        takes = self._takes_key.get(op.operation_id)
        if takes is None:
            takes = self._takes_key[op.operation_id] = op.header(IDEMPOTENCY_HEADER) is not None
        return takes

    def refuse(self, code: str | None, message: str, details: dict[str, Any] | None = None,
               headers: dict[str, str] | None = None) -> Refusal:
        assert code is not None, "the engine asked for an error code this API does not have"
        return Refusal(self.plugin.error(code, message, details), headers)

    async def read_json(self, request: Request, required: bool) -> Any:
        codes = self.plugin.codes
        raw = await read_body(request, self.plugin, self.body_timeout)
        if not raw.strip():
            if required:
                raise self.refuse(codes.validation_failed, "a JSON request body is required",
                                  {"errors": [{"location": "body", "field": "(body)", "message": "is required"}]})
            return {}
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media != "application/json" and not (media.startswith("application/") and media.endswith("+json")):
            raise self.refuse(codes.unsupported_media_type, f"Content-Type {media[:100] or '(none)'!r} is not "
                              "supported; send application/json")
        return parse_json_object(raw, self.plugin)

    def route(self, request: Request) -> tuple[Operation, dict[str, str], str]:
        path = url_path(request)[len(self.spec.base_path):] or "/"
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
            if state.rate_limiter.applies(token):
                with state.transaction(write=False):  # the window is the limiter's own (Redis: a script)
                    state.rate_limiter.check(token, state.clock.now())
            tenant = token.tenant
        body = await self.read_json(request, op.body_required) if op.body_pointer else {}

        idem_key = None
        if plugin.idempotency is not None and self.takes_key(op):
            idem_key = idempotency_key(request, plugin)
        headers: Any = request.headers
        if idem_key is not None:  # the spec's schema judges the key, not its sf-string quoting
            headers = _KeyOverlay(headers, idem_key)
        query = query_of(request)
        checked = check_parameters(self.spec, op, path_params, query, headers)
        if (problem := checked.error(plugin)) is not None:
            raise Refusal(problem)
        if (problem := check_body(self.spec, op, body, plugin)) is not None:
            raise Refusal(problem)

        # The whole decision, replay bookkeeping included, is atomic; a GET or HEAD changes nothing.
        with state.transaction(write=op.method not in ("GET", "HEAD")):
            now = state.clock.now()
            # A key is the tenant's; what it stands for is this operation on this resource with this body.
            scope = (tenant, idem_key) if idem_key is not None else None
            if scope is not None:
                begun = state.idempotency.begin(scope, request_fingerprint(op.operation_id, path, body), now)
                if begun.refusal == "reused":
                    raise self.refuse(plugin.codes.idempotency_key_reused, f"this {IDEMPOTENCY_HEADER} was already "
                                      "used with a different request (operation, resource or body); use a new key "
                                      "for a new request")
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
            state.apply(decision.changes)
            if scope is not None:
                state.idempotency.complete(scope, StoredResponse(decision.status, payload))
                state.recorded()
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
        return Answer(render_json(payload), status, media, headers)
