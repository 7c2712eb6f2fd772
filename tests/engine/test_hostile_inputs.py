"""Hostile inputs (issue "Reliability and security"): no 5xx from any input, no write behind an error.

A corpus generated from each registered API's spec (every API `registry.names()` lists, plus the toy API):
for every operation, missing and unknown credentials, unknown query parameters, wrong and hostile
parameter values, bad path ids, and for every request body bad JSON, wrong media types, deep nesting,
lone surrogates, NaN/Infinity, huge numbers, oversized bodies, and one field at a time made wrong (wrong
type, NUL, far-out dates, too many items, unknown fields). Each case must answer a 4xx in the API's own
envelope (a code the spec declares for that operation and status, or an engine code) and leave the whole
state (GET /__mock/state, idempotency records) as it was. In-process through httpx.ASGITransport; the
HTTP layer's own errors are tested on a live server with raw sockets (test_raw_*).
"""
from __future__ import annotations

import asyncio
import json
import socket
import time
import uuid
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from typing import Any

import httpx
import pytest

from contract_spec import Operation, Spec, load_spec, response_problems
from mock_server import MockClock, create_app, serve
from mock_server import admin as admin_surface
from mock_server.errors import MAX_LISTED, MAX_TEXT
from state_machine import registry
from state_machine.plugin import ApiPlugin
from tests.helpers.live_server import live_mock

from .toy_api import plugin as toy

NOW = datetime(2026, 4, 25, 10, 0, tzinfo=timezone.utc)
MISSING_ID = "0badc0de-0000-4000-8000-00000000dead"
MIN_CASES = 150
MUTATION_STATUSES = {400, 413, 415}  # refused by the engine, before any model could be asked
LAST_RUN: dict[str, Any] = {}  # figures for docs/reliability.md (printed with -s)


def apis() -> list[str]:
    registry.register(toy)
    return registry.names()


@dataclass
class Case:
    name: str
    method: str
    path: str  # API-relative, already filled in
    op: Operation | None
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes | None = None
    params: list[tuple[str, str]] = field(default_factory=list)
    before_model: bool = True  # must be refused before the model (400/413/415), not e.g. 404 by it


# -- values from a schema
def minimal(spec: Spec, schema: Any, depth: int = 0) -> Any:
    """A small value valid for `schema` (best effort: the cases below only need one field wrong)."""
    schema = spec.resolve(schema) if isinstance(schema, dict) else {}
    if depth > 6:
        return None
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "oneOf" in schema or "anyOf" in schema:
        branches = schema.get("oneOf") or schema.get("anyOf")
        value = minimal(spec, branches[0], depth + 1)
        disc = schema.get("discriminator")
        if disc and isinstance(value, dict):
            mapping = disc.get("mapping") or {}
            for name, ref in mapping.items():
                if ref == branches[0].get("$ref"):
                    value[disc["propertyName"]] = name
        return value
    if "allOf" in schema:
        out: dict[str, Any] = {}
        for part in schema["allOf"]:
            v = minimal(spec, part, depth + 1)
            if isinstance(v, dict):
                out.update(v)
        return out
    kinds = schema.get("type", "object")
    kind = next((k for k in kinds if k != "null"), "null") if isinstance(kinds, list) else kinds
    fmt = schema.get("format")
    if kind == "string":
        if fmt == "uuid":
            return str(uuid.uuid4())
        if fmt == "date-time":
            return "2026-05-01T09:00:00Z"
        if fmt == "date":
            return "2026-05-01"
        return "x" * max(1, schema.get("minLength", 1))
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return False
    if kind == "array":
        return [minimal(spec, schema.get("items", {}), depth + 1) for _ in range(schema.get("minItems", 0))]
    if kind == "object":
        props = schema.get("properties", {})
        return {k: minimal(spec, props.get(k, {}), depth + 1) for k in schema.get("required", [])}
    return None


def body_schema(spec: Spec, op: Operation) -> dict[str, Any]:
    schema = spec.resolve(spec.at(op.body_pointer))
    if "oneOf" in schema:  # the first branch (minimal() names it in the discriminator)
        schema = spec.resolve(schema["oneOf"][0])
    return schema


def kinds_of(schema: dict[str, Any]) -> set[str]:
    kinds = schema.get("type")
    if kinds is None:
        return set()
    return set(kinds if isinstance(kinds, list) else [kinds])


WRONG_TYPE = {"string": 12345, "integer": "not-a-number", "number": "NaN?", "boolean": "true",
              "array": {"not": "an array"}, "object": "not an object"}


def bad_values(spec: Spec, schema: Any) -> list[tuple[str, Any]]:
    """Values `schema` must refuse: (label, value)."""
    schema = spec.resolve(schema) if isinstance(schema, dict) else {}
    out: list[tuple[str, Any]] = []
    kinds = kinds_of(schema)
    for kind, value in WRONG_TYPE.items():
        if kinds and kind in kinds:
            wrong = next((v for k, v in WRONG_TYPE.items() if k not in kinds and not
                          (k in ("integer", "number") and kinds & {"integer", "number"})
                          and not (isinstance(v, str) and "string" in kinds)), None)
            if wrong is not None:
                out.append(("wrong type", wrong))
            break
    if "string" in kinds and ("enum" in schema or "pattern" in schema or "format" in schema):
        out.append(("NUL", "\x00" + str(minimal(spec, schema))))
    if "string" in kinds and schema.get("maxLength", 10**9) < 5000:
        out.append(("long string", "y" * 5000))
    if schema.get("format") == "date-time":
        out += [("year 9999", "9999-12-31T23:59:59Z"), ("year 0001", "0001-01-01T00:00:00Z"),
                ("year 3000", "3000-01-01T00:00:00Z")]
    if schema.get("format") == "date":
        out += [("year 9999 date", "9999-12-31"), ("year 0001 date", "0001-01-01")]
    if kinds & {"integer", "number"}:
        if "maximum" in schema:
            out.append(("huge number", 10**30))
        if schema.get("minimum", -1) >= 0:
            out.append(("negative", -1))
    if "array" in kinds and "maxItems" in schema:
        item = minimal(spec, schema.get("items", {}))
        out.append(("too many items", [item] * (schema["maxItems"] + 1)))
    return out


def fill(path: str, op: Operation, spec: Spec, overrides: dict[str, str] | None = None) -> str:
    for p in op.parameters:
        if p.location == "path":
            value = (overrides or {}).get(p.name)
            if value is None:
                s = spec.resolve(p.schema)
                value = MISSING_ID if s.get("format") == "uuid" or "pattern" in s else str(minimal(spec, s))
            path = path.replace("{" + p.name + "}", value)
    return path


def cases_for(plugin: ApiPlugin, spec: Spec, token: str) -> list[Case]:
    auth = {"Authorization": f"Bearer {token}"}
    out: list[Case] = []
    paths: dict[str, list[str]] = {}
    for op in spec.operations.values():
        paths.setdefault(op.path, []).append(op.method)
    for op in spec.operations.values():
        tag = f"{plugin.name} {op.operation_id}"
        path = fill(op.path, op, spec)
        json_headers = {**auth, "Content-Type": "application/json"}
        base = minimal(spec, spec.at(op.body_pointer)) if op.body_pointer else None
        base_bytes = json.dumps(base).encode() if base is not None else None

        def add(name: str, **kw: Any) -> None:
            out.append(Case(f"{tag}: {name}", kw.pop("method", op.method), kw.pop("path", path), op, **kw))

        if op.secured:
            add("no token", headers={"Content-Type": "application/json"}, content=base_bytes)
            add("unknown token", headers={"Authorization": "Bearer no-such-token",
                                          "Content-Type": "application/json"}, content=base_bytes)
            add("not a bearer scheme", headers={"Authorization": "Basic dXNlcjpwYXNz"}, content=base_bytes)
        add("unknown query parameter", headers=json_headers, content=base_bytes, params=[("zz_unknown", "1")])
        for p in op.parameters:
            if p.location == "query":
                for label, value in bad_values(spec, p.schema):
                    if isinstance(value, str):
                        add(f"query {p.name} {label}", headers=json_headers, content=base_bytes,
                            params=[(p.name, value)])
                if kinds_of(spec.resolve(p.schema)) & {"integer"}:
                    for label, value in (("not an integer", "1.5"), ("huge integer", "9" * 5000),
                                         ("exponent", "1e999")):
                        add(f"query {p.name} {label}", headers=json_headers, content=base_bytes,
                            params=[(p.name, value)])
                add(f"query {p.name} given twice", headers=json_headers, content=base_bytes,
                    params=[(p.name, str(minimal(spec, p.schema)))] * 2)
            if p.location == "path":
                for label, value in (("not an id", "not-an-id"), ("NUL", "%00"), ("long", "a" * 3000),
                                     ("surrogate escape", "%ED%A0%80"), ("unicode", "%E2%80%AE")):
                    s = spec.resolve(p.schema)
                    if s.get("format") == "uuid" or "pattern" in s:
                        add(f"path {p.name} {label}", path=fill(op.path, op, spec, {p.name: value}),
                            headers=json_headers, content=base_bytes)
        if op.header("Idempotency-Key") is not None and plugin.idempotency is not None:
            key = str(uuid.uuid4())
            for label, value in (("two keys in a list", f"{key}, {uuid.uuid4()}"), ("unclosed sf-string", f'"{key}'),
                                 ("sf-string with parameters", f'"{key}";a=1'), ("empty", ""),
                                 ("control character", f'"{key}\x7f"')):
                add(f"Idempotency-Key {label}", headers={**json_headers, "Idempotency-Key": value},
                    content=base_bytes)
        other = [m for m in ("GET", "POST", "PUT", "PATCH", "DELETE") if m not in paths[op.path]]
        if other and op.method == paths[op.path][0]:
            add(f"method {other[0]} not allowed", method=other[0], headers=json_headers, content=base_bytes)
            if "GET" in paths[op.path]:
                add("HEAD not allowed", method="HEAD", headers=auth)
        if not op.body_pointer:
            continue
        raw = [
            ("bad JSON", b'{"a": ', "application/json"),
            ("trailing garbage", base_bytes + b" x", "application/json"),
            ("text/plain", base_bytes, "text/plain"),
            ("form encoded", b"a=1&b=2", "application/x-www-form-urlencoded"),
            ("no media type", base_bytes, None),
            ("deep nesting", b'{"a":' * 40 + b"1" + b"}" * 40, "application/json"),
            ("deep array nesting", b"[" * 5000 + b"]" * 5000, "application/json"),
            ("lone surrogate", b'{"x": "\\ud800"}', "application/json"),
            ("invalid UTF-8", b'{"x": "\xff\xfe"}', "application/json"),
            ("NaN", b'{"x": NaN}', "application/json"),
            ("Infinity", b'{"x": -Infinity}', "application/json"),
            ("float overflow", b'{"x": 1e400}', "application/json"),
            ("huge integer", b'{"x": ' + b"9" * 5000 + b"}", "application/json"),
            ("a JSON array", b"[]", "application/json"),
            ("a JSON string", b'"body"', "application/json"),
            ("null", b"null", "application/json"),
            ("body over 64 KB", b'{"x": "' + b"z" * 70_000 + b'"}', "application/json"),
            ("NUL byte outside strings", b'{"x"\x00: 1}', "application/json"),
            ("60 KB of wrong items", json.dumps({"zz": [{"q": i} for i in range(6000)], **{f"u{i}": i for i in
                                                                                         range(2000)}}).encode()[:60_000]
             + b"", "application/json"),
        ]
        if op.body_required:
            raw.append(("empty body", b"", "application/json"))
        for label, content, media in raw:
            headers = {**auth, **({"Content-Type": media} if media else {})}
            add(f"body {label}", headers=headers, content=content)
        schema = body_schema(spec, op)
        props = schema.get("properties", {})
        base_obj = base if isinstance(base, dict) else {}
        if schema.get("additionalProperties") is False:
            add("body unknown field", headers=json_headers, content=json.dumps({**base_obj, "zzUnknown": 1}).encode())
            add("body many unknown fields", headers=json_headers,
                content=json.dumps({**base_obj, **{f"zz{i}": "v" * 20 for i in range(2500)}}).encode())
        for name, prop in props.items():
            prop = spec.resolve(prop)
            for label, value in bad_values(spec, prop):
                add(f"body {name} {label}", headers=json_headers,
                    content=json.dumps({**base_obj, name: value}).encode())
            items = spec.resolve(prop.get("items", {})) if "array" in kinds_of(prop) else {}
            for inner, inner_schema in items.get("properties", {}).items():
                item = minimal(spec, items)
                for label, value in bad_values(spec, inner_schema):
                    add(f"body {name}[0].{inner} {label}", headers=json_headers,
                        content=json.dumps({**base_obj, name: [{**item, inner: value}]}).encode())
    return out


def declared_or_engine(plugin: ApiPlugin, spec: Spec, case: Case, response: httpx.Response) -> str | None:
    """None when the answer is an acceptable error answer, else what is wrong with it."""
    if case.method == "HEAD":
        return None if response.content == b"" else "HEAD answered with a body"
    try:
        body = response.json()
    except ValueError:
        return f"not JSON: {response.text[:200]!r}"
    code = plugin.envelope.error_code(body)
    if not isinstance(code, str) or not code:
        return f"no error code in {body!r:.200}"
    engine = {getattr(plugin.codes, f.name) for f in fields(plugin.codes)} | set(admin_surface.ENGINE_STATUS) \
        | {serve.SERVICE_UNAVAILABLE}
    problems = response_problems(spec, case.op, response.status_code, body, response.headers.get("content-type")) \
        if case.op is not None else ["no operation"]
    if problems and code not in engine:
        return f"code {code} is neither declared for this status nor an engine code: {problems[:2]}"
    return None


async def _run_corpus(api: str) -> dict[str, Any]:
    plugin = registry.get(api)
    app = create_app(api=api, clock=MockClock(NOW, frozen=True))
    spec = app.state.spec
    state = app.state.mock
    token = max((t for t in state.tokens.values() if t.requests_per_minute is None), key=lambda t: len(t.scopes))
    cases = cases_for(plugin, spec, token.token)
    failures: list[str] = []
    largest = 0
    started = time.perf_counter()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        async def export() -> tuple[bytes, Any]:
            return (await client.get("/__mock/state")).content, state.idempotency.export()

        before = await export()
        for case in cases:
            try:
                response = await client.request(case.method, spec.base_path + case.path, headers=case.headers,
                                                content=case.content, params=case.params or None)
            except Exception as exc:  # noqa: BLE001 - a transport-level failure is a finding too
                failures.append(f"{case.name}: {exc!r}")
                continue
            largest = max(largest, len(response.content))
            status = response.status_code
            if not 400 <= status < 500:
                failures.append(f"{case.name}: status {status}: {response.text[:300]}")
                continue
            if case.before_model and status not in MUTATION_STATUSES | {401, 403, 404, 405}:
                failures.append(f"{case.name}: status {status} (expected a refusal before the model)")
            if (problem := declared_or_engine(plugin, spec, case, response)) is not None:
                failures.append(f"{case.name}: {problem}")
            after = await export()
            if after != before:
                failures.append(f"{case.name}: the state changed")
                before = after
    return {"api": api, "cases": len(cases), "failures": failures, "largest_answer": largest,
            "seconds": time.perf_counter() - started}


@pytest.mark.parametrize("api", apis())
def test_hostile_corpus_answers_4xx_in_the_envelope_and_changes_nothing(api):
    result = asyncio.run(_run_corpus(api))
    LAST_RUN[api] = {k: v for k, v in result.items() if k != "failures"}
    print(f"\nhostile corpus {api}: {result['cases']} cases in {result['seconds']:.2f} s, largest answer "
          f"{result['largest_answer']} bytes")
    assert not result["failures"], f"{len(result['failures'])} of {result['cases']} cases:\n" + \
        "\n".join(result["failures"][:40])
    assert result["largest_answer"] < 16_000  # bounded error answers (MAX_LISTED entries of MAX_TEXT chars)


def test_the_corpus_covers_every_operation_of_every_api_with_enough_cases():
    total = 0
    for api in apis():
        plugin = registry.get(api)
        spec = load_spec(plugin.spec_path)
        cases = cases_for(plugin, spec, "t")
        assert {c.op.operation_id for c in cases if c.op} == set(spec.operations), api
        total += len(cases)
    assert total >= MIN_CASES


# -- the issue's own examples, on the Campaigns API
FULL = {"Authorization": "Bearer mock-token-full"}


async def _campaigns(*calls: tuple[str, str, Any]) -> list[httpx.Response]:
    app = create_app(clock=MockClock(NOW, frozen=True))
    out = []
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
        for method, path, body in calls:
            out.append(await c.request(method, "/public/v1" + path, json=body, headers=FULL))
    return out


def test_far_future_dates_are_refused_by_the_format_with_the_documented_range():
    dm = "4130bada-9264-465f-bc0c-a26bebcfcc81"
    answers = asyncio.run(_campaigns(
        ("PUT", f"/campaigns/{dm}/schedule", {"mode": "batch_on_date", "batchDate": "9999-12-31"}),
        ("PUT", "/campaigns/c0000000-0000-4000-8000-000000000001/schedule",
         {"mode": "at", "sendAt": "9999-12-31T23:59:59Z"}),
        ("PUT", "/campaigns/c0000000-0000-4000-8000-000000000001/schedule",
         {"mode": "at", "sendAt": "2999-12-31T23:00:00-05:00"}),  # 3000 in UTC
        ("GET", f"/campaigns/{dm}/summary", None), ("GET", f"/campaigns/{dm}/status", None)))
    for r in answers[:3]:
        assert r.status_code == 400, r.text
        assert "1970" in r.json()["error"]["message"] and "2999" in r.json()["error"]["message"]
    assert [r.status_code for r in answers[3:]] == [200, 200]


def test_a_60_kb_invalid_body_earns_a_bounded_answer_quickly():
    body = {"name": "x", "channel": "email", "tags": ["t" * 50] * 1000}
    started = time.perf_counter()
    (r,) = asyncio.run(_campaigns(("POST", "/campaigns", body)))
    elapsed = time.perf_counter() - started
    assert r.status_code == 400 and len(r.content) < 16_000, len(r.content)
    error = r.json()["error"]
    assert len(error["details"]["errors"]) <= MAX_LISTED and len(error["message"]) <= MAX_TEXT
    assert elapsed < 5  # generous: a few ms in practice, the bound keeps it from growing with the body


# -- the HTTP layer, on a live server (raw sockets)
def _exchange(port: int, data: bytes, *, timeout: float = 5.0, half_close: bool = False) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        if half_close:
            s.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            try:
                chunk = s.recv(65536)
            except (TimeoutError, ConnectionResetError):  # closed with our bytes unread: a reset may follow
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def _statuses(raw: bytes) -> list[int]:
    return [int(line.split()[1]) for line in raw.split(b"\r\n") if line.startswith(b"HTTP/1.1 ")]


def _json_tail(raw: bytes) -> Any:
    return json.loads(raw.split(b"\r\n\r\n", 1)[1])


@pytest.fixture(scope="module", params=["auto", "h11"])
def live(request: Any) -> Any:
    """The served mock as `python -m mock_server` serves it (auto: httptools + uvloop), and with --http h11."""
    app = create_app(clock=MockClock(NOW, frozen=True), body_timeout=1.0)
    with live_mock(app, **serve.options(http=request.param)) as origin:
        yield app, int(origin.rsplit(":", 1)[1])


def _state(app: Any) -> Any:
    return app.state.mock.plugin.world_to_data(app.state.mock.world)


def test_raw_unparsable_requests_answer_400_in_the_envelope(live):
    app, port = live
    before = _state(app)
    for data in (b"GARBAGE\r\n\r\n", b"GET /public/v1/campaigns HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
                 b"GET /public/v1/campaigns HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n",
                 b"POST /public/v1/campaigns HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"):
        raw = _exchange(port, data)
        assert _statuses(raw) == [400], raw[:300]
        assert _json_tail(raw)["error"]["code"] == "JOURNEY_API.PUBLIC.CAMPAIGNS.MALFORMED_BODY"
    # A request head over 16 KB: 400 and the connection closed (with 200 KB unread, the client may see a reset
    # before the answer); either way the server goes on serving.
    raw = _exchange(port, b"GET /public/v1/campaigns HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n")
    assert _statuses(raw) in ([], [400])
    assert _statuses(_exchange(port, b"GET /__mock/clock HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")) == [200]
    assert _state(app) == before


def test_raw_body_shorter_than_its_content_length_is_answered_not_hung(live):
    app, port = live
    before = _state(app)
    head = (b"POST /public/v1/campaigns HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer mock-token-full\r\n"
            b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n")
    started = time.monotonic()
    raw = _exchange(port, head + b'{"name": "short"', timeout=5.0)
    assert time.monotonic() - started < 4.0
    assert _statuses(raw) == [400] and b"did not arrive" in raw
    # and a client that hangs up half-way gets nothing written either
    _exchange(port, head + b'{"name"', half_close=True, timeout=3.0)
    assert _state(app) == before


def test_raw_body_longer_than_its_content_length_is_refused(live):
    app, port = live
    before = _state(app)
    body = b'{"name":"long","channel":"email"}'
    head = (b"POST /public/v1/campaigns HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer mock-token-full\r\n"
            b"Content-Type: application/json\r\nContent-Length: 10\r\n\r\n")
    raw = _exchange(port, head + body + b"\r\n\r\n", timeout=3.0)
    statuses = _statuses(raw)
    assert statuses and all(400 <= s < 500 for s in statuses), raw[:400]
    assert _state(app) == before


def test_raw_head_and_chunked_oversize(live):
    app, port = live
    raw = _exchange(port, b"HEAD /public/v1/campaigns HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                          b"Authorization: Bearer mock-token-full\r\n\r\n")
    assert _statuses(raw) == [405] and raw.endswith(b"\r\n\r\n")  # no body on HEAD (RFC 9110)
    chunk = b"z" * 8192
    body = b"".join(b"2000\r\n" + chunk + b"\r\n" for _ in range(10)) + b"0\r\n\r\n"  # 80 KB
    raw = _exchange(port, b"POST /public/v1/campaigns HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer mock-token-full\r\n"
                          b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + body, timeout=3.0)
    assert 413 in _statuses(raw), raw[:300]
