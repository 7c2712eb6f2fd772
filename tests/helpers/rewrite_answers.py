"""ASGI middleware that rewrites an app's JSON answers under the API base path, for building broken
variants of the mock in tests (tests/selfcheck/faults.py, tests/contract/probes_support.py).

`fn(method, path, status, body) -> (status, body)` sees each JSON answer; what it returns is sent.
Importable from the test packages as `rewrite_answers` (pytest puts tests/ on sys.path for them).
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

Rewrite = Callable[[str, str, int, Any], tuple[int, Any]]


class RewriteAnswers:
    def __init__(self, app, fn: Rewrite, prefix: str = "/public/v1") -> None:
        self.app, self.fn, self.prefix = app, fn, prefix
        self.state = getattr(app, "state", None)  # the mock's state stays reachable through the wrapper

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            return await self.app(scope, receive, send)
        start: dict = {}
        chunks: list[bytes] = []

        async def capture(message):
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    body, status = b"".join(chunks), start["status"]
                    try:
                        status, payload = self.fn(scope["method"], scope["path"], status, json.loads(body))
                        body = json.dumps(payload).encode()
                    except ValueError:
                        pass  # not JSON: sent as it was
                    headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
                    headers.append((b"content-length", str(len(body)).encode()))
                    await send({**start, "status": status, "headers": headers})
                    await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)
