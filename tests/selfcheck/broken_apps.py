"""Deliberately broken variants of the mock that the schemathesis probes must fail on, and a recorder of
the job bodies the probes send (tests/selfcheck/test_probes_catch_faults.py)."""
from __future__ import annotations

import json

from tests.helpers.rewrite_answers import RewriteAnswers

# --- deliberately broken apps (the probes must fail on them) -------------------------------------------------

class _Middleware:
    def __init__(self, app) -> None:
        self.app = app
        self.state = getattr(app, "state", None)


def _summary_keeps_only_its_id(method, path, status, body):
    if method == "GET" and path.endswith("/summary") and status == 200:
        return status, {"success": True, "data": {"campaignId": body["data"]["campaignId"]}}
    return status, body


def SummaryMissingFields(app):  # noqa: N802 - reads like the other broken-app classes here
    """The summary answer loses its required fields: a 200 to GET .../campaigns/{id}/summary keeps only
    `data.campaignId` (auth, validation and every other answer are the mock's own)."""
    return RewriteAnswers(app, _summary_keeps_only_its_id)


class NamelessCreateAccepted(_Middleware):
    """POST .../campaigns with a JSON object body that has no `name` creates an untitled email draft (201)
    instead of answering 400: the server fills the gap and ignores the rest of the body."""

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST" or not scope.get("path", "").endswith("/campaigns"):
            return await self.app(scope, receive, send)
        raw = await _read_body(receive)
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        if isinstance(body, dict) and "name" not in body:
            raw = json.dumps({"name": "Untitled", "channel": "email"}).encode()
            scope = {**scope, "headers": [(k, v) for k, v in scope["headers"]
                                          if k.lower() not in (b"content-length", b"content-type")]
                     + [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode())]}
        await self.app(scope, _replay(raw), send)


class ReadsLagBehindWrites(_Middleware):
    """Every read of one campaign (GET .../campaigns/{id} and below) answers 404 NOT_FOUND, as if what was
    just created had not arrived yet."""

    async def __call__(self, scope, receive, send):
        parts = scope.get("path", "").rstrip("/").split("/")
        if scope["type"] == "http" and scope["method"] == "GET" and "campaigns" in parts[:-1]:
            body = json.dumps({"success": False, "error": {"code": "JOURNEY_API.PUBLIC.CAMPAIGNS.NOT_FOUND",
                                                           "message": "campaign not found", "details": {}}}).encode()
            await send({"type": "http.response.start", "status": 404,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


class JobRecorder(_Middleware):
    """Records the body of every request to a job operation that reaches the app."""

    def __init__(self, app) -> None:
        super().__init__(app)
        self.job_bodies: list[bytes] = []

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope.get("path", "").endswith(("/schedule-jobs", "/send-jobs")):
            return await self.app(scope, receive, send)
        raw = await _read_body(receive)
        self.job_bodies.append(raw)
        await self.app(scope, _replay(raw), send)


async def _read_body(receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def _replay(raw: bytes):
    sent = False

    async def receive():
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": raw, "more_body": False}
    return receive
