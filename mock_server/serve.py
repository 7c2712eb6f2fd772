"""Serving the mock over HTTP with uvicorn: connection hygiene, and the HTTP layer's own errors in the
API's envelope (docs/reliability.md).

    keep-alive        an idle connection is closed after TIMEOUT_KEEP_ALIVE seconds
    concurrency       past LIMIT_CONCURRENCY connections or requests per worker, 503 + Retry-After: 1
    request head      h11 refuses a head (request line + headers) larger than MAX_HEAD_BYTES: 400
    body              64 KB, arriving within 10 s (mock_server.api.read_body)
    logs              no access log, warnings only

uvicorn writes its own answers for what never reaches the app: an unparsable request (plain-text 400)
and a concurrency overflow (plain-text 503 without Retry-After). `MockH11Protocol` writes both in the
API's envelope instead (the 503 by replacing uvicorn 0.54's `h11_impl.service_unavailable`, which that
protocol module looks up for each request; a later uvicorn without it keeps its plain-text 503).
"""
from __future__ import annotations

import json
import logging
import time
from typing import Any

import h11
from uvicorn.protocols.http import h11_impl
from uvicorn.protocols.http.h11_impl import H11Protocol

from state_machine.kernel import ApiError
from state_machine.plugin import ApiPlugin

from .errors import bounded

TIMEOUT_KEEP_ALIVE = 5
LIMIT_CONCURRENCY = 200
MAX_HEAD_BYTES = 16 * 1024
RETRY_AFTER_SECONDS = 1
SERVICE_UNAVAILABLE = "MOCK_SERVICE_UNAVAILABLE"  # an engine code (503): no API declares one
APP_FACTORY = "mock_server.app:app_from_env"

_serving: dict[str, ApiPlugin] = {}  # the plug-in this process serves (one app per worker process)
_plain_service_unavailable = h11_impl.service_unavailable


def _plugin_of(app: Any) -> ApiPlugin | None:
    for _ in range(8):  # through uvicorn's middleware wrappers to the Starlette app
        plugin = getattr(getattr(app, "state", None), "plugin", None)
        if isinstance(plugin, ApiPlugin):
            return plugin
        app = getattr(app, "app", None)
    return None


def _render(plugin: ApiPlugin, error: ApiError) -> tuple[bytes, bytes]:
    body = json.dumps(plugin.envelope.render_error(bounded(error)), ensure_ascii=False, separators=(",", ":"))
    return body.encode("utf-8"), plugin.envelope.error_media_type.encode("latin-1")


async def service_unavailable(scope: Any, receive: Any, send: Any) -> None:
    plugin = _serving.get("plugin")
    if plugin is None:
        await _plain_service_unavailable(scope, receive, send)
        return
    body, media = _render(plugin, ApiError(SERVICE_UNAVAILABLE, "the mock is serving as many requests as it "
                                           f"takes; retry after {RETRY_AFTER_SECONDS} s", {}, status=503))
    await send({"type": "http.response.start", "status": 503,
                "headers": [(b"content-type", media), (b"content-length", str(len(body)).encode()),
                            (b"retry-after", str(RETRY_AFTER_SECONDS).encode()), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body, "more_body": False})


h11_impl.service_unavailable = service_unavailable  # type: ignore[assignment]


class MockH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, answering what h11 cannot parse in the API's envelope."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plugin = _plugin_of(self.app)
        if plugin is not None:
            _serving["plugin"] = plugin

    def send_400_response(self, msg: str) -> None:
        plugin = _plugin_of(self.app)
        if plugin is None:
            super().send_400_response(msg)
            return
        body, media = _render(plugin, plugin.error(plugin.codes.malformed_body, f"invalid HTTP request: {msg}"))
        headers = [(b"content-type", media), (b"content-length", str(len(body)).encode()), (b"connection", b"close")]
        try:
            for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"), h11.Data(data=body),
                          h11.EndOfMessage()):
                self.transport.write(self.conn.send(event))
        except h11.LocalProtocolError:
            pass  # h11 cannot answer in this state (e.g. a response already started): just close
        self.transport.close()


class OncePer(logging.Filter):
    """At most one record of each message per `seconds` (then a count of those held back): hostile clients
    cannot flood the log with uvicorn's per-request warnings ("Invalid HTTP request received.",
    "Exceeded concurrency limit.")."""

    def __init__(self, seconds: float = 10.0) -> None:
        super().__init__()
        self.seconds = seconds
        self.last: dict[str, float] = {}
        self.held: dict[str, int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key, now = str(record.msg), time.monotonic()
        if now - self.last.get(key, -1e9) < self.seconds:
            self.held[key] = self.held.get(key, 0) + 1
            return False
        self.last[key] = now
        if held := self.held.pop(key, 0):
            record.msg = f"{record.msg} (and {held} more in the last {self.seconds:g} s)"
        return True


def quiet_logs() -> None:
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, OncePer) for f in logger.filters):
        logger.addFilter(OncePer())


def options(*, limit_concurrency: int = LIMIT_CONCURRENCY, timeout_keep_alive: int = TIMEOUT_KEEP_ALIVE,
            **extra: Any) -> dict[str, Any]:
    """uvicorn's settings for a served mock (`uvicorn.run(app, host=..., port=..., **options())`)."""
    quiet_logs()
    return {"http": MockH11Protocol, "timeout_keep_alive": timeout_keep_alive, "limit_concurrency": limit_concurrency,
            "h11_max_incomplete_event_size": MAX_HEAD_BYTES, "access_log": False, "log_level": "warning",
            "lifespan": "on", "timeout_graceful_shutdown": 5, **extra}
