"""The Idempotency-Key header per the IETF draft (an RFC 8941 sf-string) and Stripe, for any API (here the
toy API): the quoted and the bare form are the same key; two keys are refused with the API's
idempotency_key_invalid code; a key reused on another operation or resource is the API's "reused"."""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import httpx

from mock_server import MockClock, create_app
from state_machine import registry

from .toy_api import plugin as toy

AUTH = {"Authorization": "Bearer toy-token", "Content-Type": "application/json"}


def run(*requests: tuple[str, str, bytes, list[tuple[str, str]]]) -> list[httpx.Response]:
    registry.register(toy)
    app = create_app(api="toy-notes", clock=MockClock(datetime(2026, 4, 25, tzinfo=timezone.utc), frozen=True))

    async def go() -> list[httpx.Response]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
            return [await c.request(m, "/toy/v1" + p, content=b, headers=[*AUTH.items(), *h])
                    for m, p, b, h in requests]

    return asyncio.run(go())


def test_the_sf_string_and_the_bare_token_are_the_same_key():
    body = b'{"text": "a"}'
    first, quoted, bare = run(("POST", "/notes", body, [("Idempotency-Key", '"key-00001"')]),
                              ("POST", "/notes", body, [("Idempotency-Key", '"key-00001"')]),
                              ("POST", "/notes", body, [("Idempotency-Key", "key-00001")]))
    assert first.status_code == 201 and "idempotent-replayed" not in first.headers
    assert quoted.json() == bare.json() == first.json()
    assert quoted.headers["idempotent-replayed"] == bare.headers["idempotent-replayed"] == "true"


def test_more_than_one_key_is_invalid():
    body = b'{"text": "a"}'
    answers = run(("POST", "/notes", body, [("Idempotency-Key", "key-00001"), ("Idempotency-Key", "key-00002")]),
                  ("POST", "/notes", body, [("Idempotency-Key", "key-00001, key-00002")]),
                  ("POST", "/notes", body, [("Idempotency-Key", '"key-00001", "key-00002"')]),
                  ("POST", "/notes", body, [("Idempotency-Key", '"key-00001')]))
    assert [(r.status_code, r.json()["error"]) for r in answers] == [(400, "KEY_BAD")] * 4


def test_a_key_on_another_request_is_reused():
    key = [("Idempotency-Key", "key-00001")]
    first, other_body = run(("POST", "/notes", b'{"text": "a"}', key), ("POST", "/notes", b'{"text": "b"}', key))
    assert first.status_code == 201
    assert other_body.status_code == 422 and other_body.json()["error"] == "KEY_REUSED"
