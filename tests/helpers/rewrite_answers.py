"""ASGI middleware that rewrites an app's answers under the API base path, for building faulty and
conformant-but-different variants of the mock in tests (tests/selfcheck/faults.py, variants.py,
broken_apps.py): nothing in the mock knows about them.

`RewriteExchange`: `fn(method, path, status, json_body, headers) -> (status, json_body, headers)` for every
answer (`json_body` None when the answer is not JSON: its body is then sent as it was).
`RewriteAnswers`: `fn(method, path, status, body) -> (status, body)`, for JSON answers only.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

Headers = list[tuple[bytes, bytes]]
ExchangeRewrite = Callable[[str, str, int, Any, Headers], tuple[int, Any, Headers]]
Rewrite = Callable[[str, str, int, Any], tuple[int, Any]]


class RewriteExchange:
    """ASGI middleware: `fn(method, path, status, json_body, headers) -> (status, json_body, headers)` for
    every JSON answer under `prefix` (a non-JSON answer keeps its body; its status and headers still pass)."""

    def __init__(self, app, fn: ExchangeRewrite, prefix: str = "/public/v1") -> None:
        self.app, self.fn, self.prefix = app, fn, prefix
        self.state = getattr(app, "state", None)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            return await self.app(scope, receive, send)
        start: dict = {}
        chunks: list[bytes] = []

        async def capture(message):
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] != "http.response.body":
                return await send(message)
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body, status = b"".join(chunks), start["status"]
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            try:
                payload = json.loads(body) if body else None
            except ValueError:
                payload = None
            if payload is not None:
                status, payload, headers = self.fn(scope["method"], scope["path"], status, payload, headers)
                body = json.dumps(payload).encode()
            else:
                status, _, headers = self.fn(scope["method"], scope["path"], status, None, headers)
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)


class RewriteAnswers(RewriteExchange):
    def __init__(self, app, fn: Rewrite, prefix: str = "/public/v1") -> None:
        def exchange(method: str, path: str, status: int, body: Any, headers: Headers) -> tuple[int, Any, Headers]:
            if body is None:  # not JSON: sent as it was
                return status, body, headers
            status, body = fn(method, path, status, body)
            return status, body, headers

        super().__init__(app, exchange, prefix)
