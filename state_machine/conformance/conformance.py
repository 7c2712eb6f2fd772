"""Checking every exchange against the spec: declared status, media type, response schema."""
from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from contract_spec import Spec, response_problems


class SpecConformance:
    """An observer for `Target.observers` that records each response the spec does not allow."""

    def __init__(self, spec: Spec, base_path: str) -> None:
        self.spec, self.base_path = spec, base_path.rstrip("/")
        self.problems: list[str] = []
        self.seen = 0

    def __call__(self, response: httpx.Response) -> None:
        request = response.request
        path = urlsplit(str(request.url)).path[len(self.base_path):]
        op, _, allowed = self.spec.find(request.method, path)
        self.seen += 1
        if op is None:  # 404/405 for paths and methods the spec does not have: nothing to check against
            return
        try:
            body = response.json()
        except ValueError:
            body = None
        for problem in response_problems(self.spec, op, response.status_code, body,
                                         response.headers.get("content-type")):
            self.problems.append(f"{request.method} {request.url}: {problem}")
