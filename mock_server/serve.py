"""Serving the mock over HTTP with uvicorn: connection hygiene, and the HTTP layer's own errors in the
API's envelope (docs/reliability.md).

    keep-alive        an idle connection is closed after TIMEOUT_KEEP_ALIVE seconds
    concurrency       past LIMIT_CONCURRENCY connections or requests per worker, 503 + Retry-After: 1
    request head      a head (request line + headers) larger than MAX_HEAD_BYTES is refused: 400
    body              64 KB, arriving within 10 s (mock_server.api.read_body)
    logs              no access log, warnings only
    speed             uvloop + httptools when importable (project dependencies), else asyncio + h11;
                      gc.freeze() after start-up and a larger young-generation threshold (`tune_gc`)

uvicorn writes its own answers for what never reaches the app: an unparsable request (plain-text 400)
and a concurrency overflow (plain-text 503 without Retry-After). `MockHttpToolsProtocol` (the default) and
`MockH11Protocol` write both in the API's envelope instead (the 503 by replacing uvicorn 0.54's
`service_unavailable` in both protocol modules, which look it up for each request; a later uvicorn without
it keeps its plain-text 503). h11 bounds the head itself (`h11_max_incomplete_event_size`); httptools has no
such bound, so `MockHttpToolsProtocol` counts the head's bytes and refuses past MAX_HEAD_BYTES.
"""
from __future__ import annotations

import gc
import importlib.util
import json
import logging
import time
from typing import Any

import h11
from uvicorn.protocols.http import h11_impl
from uvicorn.protocols.http.h11_impl import H11Protocol

try:
    import httptools
    from uvicorn.protocols.http import httptools_impl
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover - httptools is a dependency; without it the mock serves with h11
    httptools = None

from state_machine.kernel import ApiError
from state_machine.plugin import ApiPlugin

from .errors import bounded

TIMEOUT_KEEP_ALIVE = 5
LIMIT_CONCURRENCY = 200
MAX_HEAD_BYTES = 16 * 1024
RETRY_AFTER_SECONDS = 1
# gc.set_threshold after start-up (defaults: 700, 10, 10). Generation 1 is collected at every other young
# collection, then frozen (_freeze_survivors): it never holds more than two young collections' survivors. With
# (20_000, 20, 100) it held twenty, and each generation-1 collection walked ~1 M stored objects: 190-330 ms
# pauses every ~20,000 creates (60,000 in-process creates: max pause 332 ms; now 22 ms, bench notes in
# docs/performance.md).
GC_THRESHOLD = (5_000, 1, 100)
SERVICE_UNAVAILABLE = "MOCK_SERVICE_UNAVAILABLE"  # an engine code (503): no API declares one
APP_FACTORY = "mock_server.serve:worker_app"

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
if httptools is not None:
    httptools_impl.service_unavailable = service_unavailable  # type: ignore[assignment]


def _bad_request(plugin: ApiPlugin, msg: str) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    body, media = _render(plugin, plugin.error(plugin.codes.malformed_body, f"invalid HTTP request: {msg}"))
    return body, [(b"content-type", media), (b"content-length", str(len(body)).encode()), (b"connection", b"close")]


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
        body, headers = _bad_request(plugin, msg)
        try:
            for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"), h11.Data(data=body),
                          h11.EndOfMessage()):
                self.transport.write(self.conn.send(event))
        except h11.LocalProtocolError:
            pass  # h11 cannot answer in this state (e.g. a response already started): just close
        self.transport.close()


class _HeadTooLarge(Exception):
    pass


if httptools is not None:
    class MockHttpToolsProtocol(HttpToolsProtocol):
        """uvicorn's httptools protocol, answering what httptools cannot parse in the API's envelope (400), and
        refusing a request head larger than MAX_HEAD_BYTES as h11 does (httptools itself has no bound)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.plugin = _plugin_of(self.app)
            if self.plugin is not None:
                _serving["plugin"] = self.plugin
            self.head_bytes = 0  # bytes received while in a request head (-1: in a body, -2: a message ended)
            self.head_size = 0  # request line + headers of the current request, as parsed

        def data_received(self, data: bytes) -> None:
            self._unset_keepalive_if_required()
            try:
                self.parser.feed_data(data)
            except httptools.HttpParserUpgrade:
                if self._should_upgrade():
                    self.handle_websocket_upgrade()
                else:
                    self._unsupported_upgrade_warning()
                return
            except httptools.HttpParserError as exc:
                too_large = isinstance(exc.__context__, _HeadTooLarge)
                self.logger.warning("Invalid HTTP request received.")
                self.send_400_response(f"request head larger than {MAX_HEAD_BYTES} bytes" if too_large
                                       else (str(exc) or "unparsable request"))
                return
            if self.head_bytes == -2:  # a message ended in this chunk: what follows is bounded by head_size
                self.head_bytes = 0
            elif self.head_bytes >= 0:  # a head still incomplete: everything received so far is head
                self.head_bytes += len(data)
                if self.head_bytes > MAX_HEAD_BYTES:
                    self.logger.warning("Invalid HTTP request received.")
                    self.send_400_response(f"request head larger than {MAX_HEAD_BYTES} bytes")

        def _grow(self, n: int) -> None:
            self.head_size += n
            if self.head_size > MAX_HEAD_BYTES:
                raise _HeadTooLarge()

        def on_message_begin(self) -> None:
            self.head_size = 0
            super().on_message_begin()

        def on_url(self, url: bytes) -> None:
            self._grow(len(url) + 16)
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._grow(len(name) + len(value) + 4)
            super().on_header(name, value)

        def on_headers_complete(self) -> None:
            self.head_bytes = -1
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            super().on_message_complete()
            self.head_bytes = -2

        def send_400_response(self, msg: str) -> None:
            if self.plugin is None:
                super().send_400_response(msg)
                return
            body, headers = _bad_request(self.plugin, msg)
            content = [b"HTTP/1.1 400 Bad Request\r\n"]
            for name, value in [*self.server_state.default_headers, *headers]:
                content.extend([name, b": ", value, b"\r\n"])
            content.extend([b"\r\n", body])
            self.transport.write(b"".join(content))
            self.transport.close()


def fast_available() -> bool:
    """uvloop and httptools are importable (the default settings use them)."""
    return httptools is not None and importlib.util.find_spec("uvloop") is not None


def _freeze_survivors(phase: str, info: dict[str, Any]) -> None:
    if phase == "stop" and info.get("generation", 0) >= 1:
        gc.freeze()


def tune_gc() -> None:
    """After start-up: everything built so far (modules, the spec, validators, fixtures) moves to the
    permanent generation, so later collections never scan it; the young generation is collected less often
    (requests allocate many short-lived containers, which reference counting frees anyway). And as the store
    grows: what survives a generation-1 collection (records, stored answers: the state) is frozen too, so a
    full collection never walks the whole store. Without this, full collections paused the mock for
    0.1-0.4 s every few tens of thousands of writes (p99 of the 60 s POST run). The price: a reference cycle
    that became garbage only after surviving two collections is never freed (the mock's state has none;
    reference counting frees everything else as before)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD[0], GC_THRESHOLD[1], GC_THRESHOLD[2])
    if _freeze_survivors not in gc.callbacks:
        gc.callbacks.append(_freeze_survivors)


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


def worker_app() -> Any:
    """The app of one worker process (uvicorn `factory=True` with --workers N): built from MOCK_*, then
    tune_gc()."""
    from .app import app_from_env

    app = app_from_env()
    tune_gc()
    return app


def options(*, limit_concurrency: int = LIMIT_CONCURRENCY, timeout_keep_alive: int = TIMEOUT_KEEP_ALIVE,
            http: str = "auto", loop: str = "auto", **extra: Any) -> dict[str, Any]:
    """uvicorn's settings for a served mock (`uvicorn.run(app, host=..., port=..., **options())`).

    http   auto (httptools when importable, else h11) | httptools | h11
    loop   auto (uvloop when importable, else asyncio) | uvloop | asyncio"""
    quiet_logs()
    if http == "auto":
        http = "httptools" if httptools is not None else "h11"
    if loop == "auto":
        loop = "uvloop" if importlib.util.find_spec("uvloop") is not None else "asyncio"
    if http == "httptools" and httptools is None:
        raise ValueError("http=httptools: httptools is not importable")
    protocol = MockHttpToolsProtocol if http == "httptools" else MockH11Protocol
    return {"http": protocol, "loop": loop, "timeout_keep_alive": timeout_keep_alive,
            "limit_concurrency": limit_concurrency,
            "h11_max_incomplete_event_size": MAX_HEAD_BYTES, "access_log": False, "log_level": "warning",
            "lifespan": "on", "timeout_graceful_shutdown": 5,
            # A mock answers whoever calls it: no X-Forwarded-* rewriting of the client address (uvicorn's
            # ProxyHeadersMiddleware is one more ASGI layer per request, and nothing here reads the address).
            "proxy_headers": False, **extra}
