"""Serve an ASGI app over real HTTP for tests that need a live origin (e.g. running the documents' examples).

    with live_mock(create_app()) as origin:      # origin == "http://127.0.0.1:<port>"
        httpx.get(origin + "/__mock/profile")

uvicorn runs in a daemon thread on 127.0.0.1 with an OS-assigned port. The listening socket is created with
IPPROTO_TCP so asyncio sets TCP_NODELAY (a plain socket.socket() costs ~45 ms per request;
shared/reference/libraries.md). Every wait is bounded, and the server is always asked to stop on exit.
"""
from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import uvicorn

STARTUP_TIMEOUT = 10.0   # seconds to wait for the server to answer
SHUTDOWN_TIMEOUT = 5.0   # seconds to wait for the server thread to end


@contextlib.contextmanager
def live_mock(app, *, probe_path: str = "/__mock/clock",
              startup_timeout: float = STARTUP_TIMEOUT,
              shutdown_timeout: float = SHUTDOWN_TIMEOUT, **config: object) -> Iterator[str]:
    """Serve `app` on 127.0.0.1:<free port> and yield its origin ("http://127.0.0.1:<port>").

    The server counts as up once `probe_path` answers any HTTP response (a 404 also proves it serves).
    `config` goes to uvicorn.Config (e.g. `**mock_server.serve.options()` to serve as python -m mock_server).
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        port = sock.getsockname()[1]
        origin = f"http://127.0.0.1:{port}"

        settings = {"log_level": "warning", "access_log": False, "timeout_graceful_shutdown": 1, **config,
                    "lifespan": "off"}
        server = uvicorn.Server(uvicorn.Config(app, **settings))
        server.install_signal_handlers = lambda: None  # not the main thread (older uvicorn calls this)
        errors: list[BaseException] = []

        def run() -> None:
            try:
                server.run(sockets=[sock])
            except BaseException as exc:  # noqa: BLE001 - reported to the test thread below
                errors.append(exc)

        thread = threading.Thread(target=run, name=f"live-mock-{port}", daemon=True)
        thread.start()
        try:
            _wait_until_serving(origin + probe_path, thread, errors, startup_timeout)
            yield origin
        finally:
            server.should_exit = True
            thread.join(shutdown_timeout)
            if thread.is_alive():
                server.force_exit = True
                thread.join(shutdown_timeout)
    finally:
        sock.close()


def _wait_until_serving(url: str, thread: threading.Thread, errors: list[BaseException], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if errors:
            raise RuntimeError(f"live server failed to start: {errors[0]!r}") from errors[0]
        if not thread.is_alive():
            raise RuntimeError("live server thread ended before it answered")
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.TransportError as exc:
            last = exc
            time.sleep(0.02)
    raise TimeoutError(f"live server at {url} did not answer within {timeout} s (last error: {last!r})")
