"""The protected admin surface (issue "Reliability and security"): Host/Origin check (DNS rebinding,
cross-site), media type, the admin token, --no-admin, and refusing to serve a token-less admin surface
beyond loopback."""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Any

import httpx

from mock_server import MockClock, create_app
from tests.helpers.processes import run_mock

NOW = datetime(2026, 4, 25, 10, tzinfo=timezone.utc)
TOKEN = "s3cret-admin-token"
CODES = "JOURNEY_API.PUBLIC.CAMPAIGNS."


def calls(app: Any, *requests: tuple[str, str, dict[str, str], bytes | None],
          base: str = "http://127.0.0.1:8080") -> list[httpx.Response]:
    async def run() -> list[httpx.Response]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base) as c:
            return [await c.request(m, p, headers=h, content=b) for m, p, h, b in requests]

    return asyncio.run(run())


def app_(**kw: Any) -> Any:
    return create_app(clock=MockClock(NOW, frozen=True), **kw)


def test_the_host_must_be_loopback_or_allowed():
    app = app_(allowed_hosts=["mock.example"])
    ok = calls(app, ("GET", "/__mock/clock", {"host": "127.0.0.1:8080"}, None),
               ("GET", "/__mock/clock", {"host": "localhost"}, None),
               ("GET", "/__mock/clock", {"host": "[::1]:8080"}, None),
               ("GET", "/__mock/clock", {"host": "mock.example:8080"}, None))
    assert [r.status_code for r in ok] == [200] * 4
    bad = calls(app, ("GET", "/__mock/profile", {"host": "attacker.example"}, None),
                ("POST", "/__mock/reset", {"host": "127.0.0.1.attacker.example"}, None),
                ("GET", "/__mock/state", {"host": "testserver"}, None))  # in-process names only by default
    for r in bad:
        assert r.status_code == 403 and r.json()["error"]["code"] == "MOCK_ADMIN_HOST_NOT_ALLOWED", r.text
    # the API itself answers any Host (admin only: documented)
    api = calls(app, ("GET", "/public/v1/campaigns", {"host": "attacker.example",
                                                    "authorization": "Bearer mock-token-full"}, None))
    assert api[0].status_code == 200


def test_cross_site_requests_and_non_json_bodies_are_refused():
    app = app_()
    before = calls(app, ("GET", "/__mock/state", {}, None))[0].json()
    answers = calls(app,
                    ("POST", "/__mock/reset", {"origin": "https://evil.example"}, None),
                    ("POST", "/__mock/reset", {"sec-fetch-site": "cross-site"}, None),
                    ("POST", "/__mock/clock", {"content-type": "text/plain"}, b'{"advanceSeconds": 60}'),
                    ("POST", "/__mock/reset", {"content-type": "application/x-www-form-urlencoded"}, b"now=x"),
                    ("PUT", "/__mock/state", {"content-type": "multipart/form-data; boundary=x"}, b"--x--"),
                    ("POST", "/__mock/clock", {}, b'{"advanceSeconds": 60}'))  # a body without its media type
    assert [r.status_code for r in answers] == [403, 403, 415, 415, 415, 415]
    assert answers[2].json()["error"]["code"] == CODES + "UNSUPPORTED_MEDIA_TYPE"
    assert calls(app, ("GET", "/__mock/state", {}, None))[0].json() == before
    fine = calls(app, ("POST", "/__mock/clock", {"content-type": "application/json",
                                                 "origin": "http://localhost:8080"}, b'{"advanceSeconds": 60}'),
                 ("POST", "/__mock/reset", {}, None))  # no body, no media type: as curl -X POST sends it
    assert [r.status_code for r in fine] == [200, 200]


def test_the_admin_token_is_required_on_every_admin_call_when_set():
    app = app_(admin_token=TOKEN)
    paths = [("GET", "/__mock/profile"), ("POST", "/__mock/reset"), ("GET", "/__mock/clock"),
             ("POST", "/__mock/clock"), ("GET", "/__mock/state"), ("PUT", "/__mock/state")]
    for headers in ({}, {"authorization": "Bearer wrong"}, {"x-admin-token": TOKEN + "x"},
                    {"authorization": "Basic " + TOKEN}):
        for (method, path), r in zip(paths, calls(app, *[(m, p, headers, None) for m, p in paths])):
            assert r.status_code == 401, (method, path, headers)
            assert r.json()["error"]["code"] in (CODES.replace("PUBLIC.CAMPAIGNS.", "AUTH.") + "UNAUTHENTICATED",
                                                 "JOURNEY_API.AUTH.INVALID_TOKEN")
            assert r.headers["www-authenticate"] == 'Bearer realm="mock-admin"'
    bearer, header = calls(app, ("GET", "/__mock/profile", {"authorization": f"Bearer {TOKEN}"}, None),
                           ("GET", "/__mock/clock", {"x-admin-token": TOKEN}, None))
    assert bearer.status_code == 200 and bearer.json()["admin_token"] == TOKEN  # a saved profile keeps working
    assert header.status_code == 200
    # API tokens are not admin tokens, and the admin token is no API token
    r1, r2 = calls(app, ("GET", "/__mock/state", {"authorization": "Bearer mock-token-full"}, None),
                   ("GET", "/public/v1/campaigns", {"authorization": f"Bearer {TOKEN}"}, None))
    assert (r1.status_code, r2.status_code) == (401, 401)


def test_no_admin_means_404_in_the_api_envelope():
    app = app_(admin=False)
    for r in calls(app, ("GET", "/__mock/profile", {}, None), ("POST", "/__mock/reset", {}, None)):
        assert r.status_code == 404 and r.json()["error"]["code"] == CODES + "NOT_FOUND"


def test_serving_beyond_loopback_without_a_token_refuses_to_start():
    done = run_mock("--host", "0.0.0.0", "--port", "1")
    assert done.returncode == 2 and "--admin-token" in done.stderr and "--no-admin" in done.stderr
    done = run_mock("--workers", "2", "--port", "1")
    assert done.returncode == 2 and "redis://" in done.stderr
