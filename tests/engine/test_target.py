"""The suite's HTTP access to a target: profiles, 429 + Retry-After, pacing."""
from __future__ import annotations

import httpx
import pytest

from state_machine.conformance.target import Profile, ProfileError, Target

PROFILE = {"api": "experiture-v1", "base_url": "http://target.test/public/v1",
           "tokens": {"full": {"token": "t", "tenant": "t1", "scopes": []}},
           "capabilities": {"max_requests_per_second": 1000}}


def target_answering(*responses: httpx.Response) -> tuple[Target, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return queue.pop(0)

    client = httpx.Client(transport=httpx.MockTransport(handler))
    return Target(client, Profile.from_data(PROFILE)), seen


@pytest.mark.req("CAMP-RATE-001")
def test_429_with_retry_after_is_honoured_then_retried(monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr("state_machine.conformance.target.time.sleep", slept.append)
    target, seen = target_answering(httpx.Response(429, headers={"Retry-After": "2"}), httpx.Response(200, json={}))
    response = target.request("GET", "/campaigns", token="t")
    assert response.status_code == 200 and len(seen) == 2
    assert 2.0 in slept and target.waited_on_429 == 2.0


def test_429_with_a_long_retry_after_is_returned_not_waited(monkeypatch):
    monkeypatch.setattr("state_machine.conformance.target.time.sleep", lambda s: pytest.fail("slept"))
    target, seen = target_answering(httpx.Response(429, headers={"Retry-After": "3600"}))
    assert target.request("GET", "/campaigns").status_code == 429 and len(seen) == 1


def test_profile_errors_name_what_is_missing():
    with pytest.raises(ProfileError, match="tokens"):
        Profile.from_data({"api": "x", "base_url": "http://x"})
    with pytest.raises(ProfileError, match="mapping"):
        Profile.from_data(["not", "a", "mapping"])
    with pytest.raises(ProfileError, match="token"):
        Profile.from_data({"api": "x", "base_url": "http://x", "tokens": {"full": {"tenant": "t1"}}})
