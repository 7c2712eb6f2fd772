"""Connection and resource hygiene of a served mock (mock_server.serve): idle keep-alive connections are
closed, past the concurrency limit the answer is 503 + Retry-After in the API's envelope, no access log,
and uvicorn's per-request warnings are rate-limited."""
from __future__ import annotations

import json
import logging
import socket
import time
from datetime import datetime, timezone

from mock_server import MockClock, create_app, serve
from tests.helpers.live_server import live_mock

NOW = datetime(2026, 4, 25, 10, tzinfo=timezone.utc)
GET = b"GET /public/v1/campaigns?limit=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer mock-token-full\r\n\r\n"


def _port(origin: str) -> int:
    return int(origin.rsplit(":", 1)[1])


def _read_response(s: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(65536)
    head, _, rest = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
    while len(rest) < length:
        rest += s.recv(65536)
    return head + b"\r\n\r\n" + rest


def test_an_idle_keep_alive_connection_is_closed():
    app = create_app(clock=MockClock(NOW, frozen=True))
    with live_mock(app, **serve.options(timeout_keep_alive=1)) as origin:
        with socket.create_connection(("127.0.0.1", _port(origin)), timeout=5) as s:
            s.sendall(GET)
            assert _read_response(s).startswith(b"HTTP/1.1 200")
            started = time.monotonic()
            assert s.recv(1) == b""  # the server closed the idle connection
            assert 0.5 < time.monotonic() - started < 4


def test_past_the_concurrency_limit_503_with_retry_after_in_the_envelope():
    app = create_app(clock=MockClock(NOW, frozen=True))
    with live_mock(app, **serve.options(limit_concurrency=3)) as origin:
        idle = [socket.create_connection(("127.0.0.1", _port(origin)), timeout=5) for _ in range(3)]
        try:
            time.sleep(0.2)
            with socket.create_connection(("127.0.0.1", _port(origin)), timeout=5) as s:
                s.sendall(GET)
                raw = _read_response(s)
        finally:
            for s in idle:
                s.close()
        head, _, body = raw.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 503") and b"retry-after: 1" in head.lower()
        assert json.loads(body)["error"]["code"] == serve.SERVICE_UNAVAILABLE
        time.sleep(0.2)
        with socket.create_connection(("127.0.0.1", _port(origin)), timeout=5) as s:  # and it recovers
            s.sendall(GET)
            assert _read_response(s).startswith(b"HTTP/1.1 200")


def test_warnings_are_rate_limited_and_there_is_no_access_log():
    options = serve.options()
    assert options["access_log"] is False and options["log_level"] == "warning"
    assert options["h11_max_incomplete_event_size"] == serve.MAX_HEAD_BYTES
    once = next(f for f in logging.getLogger("uvicorn.error").filters if isinstance(f, serve.OncePer))
    once.last.clear()
    records = [logging.LogRecord("uvicorn.error", logging.WARNING, __file__, 1, "Invalid HTTP request received.",
                                 None, None) for _ in range(1000)]
    assert sum(once.filter(r) for r in records) == 1


def test_the_default_server_uses_uvloop_and_httptools_when_importable():
    options = serve.options()
    if serve.fast_available():
        assert options["loop"] == "uvloop" and options["http"] is serve.MockHttpToolsProtocol
    assert serve.options(http="h11", loop="asyncio")["http"] is serve.MockH11Protocol
