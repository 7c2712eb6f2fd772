"""Every Club error the README's table lists is reached over HTTP by the request the table names, and the
Club walkthrough of the README answers as it says (the mock of --api club-campaigns)."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from mock_server import MockClock, create_app
from state_machine.conformance.target import Target, asgi_target

FULL, RATE_LIMITED = "club-token-full", "club-token-rate-limited"
BODY = {"tenantId": "tenant_123", "clubId": "club_456", "name": "N", "type": "ONE_TIME", "segmentId": "segment_123",
        "channels": ["EMAIL"], "emailTemplateId": "template_email_123"}
NOW = datetime(2025, 12, 14, 10, tzinfo=timezone.utc)


@pytest.fixture
def club() -> Iterator[Target]:
    with asgi_target(create_app(api="club-campaigns", clock=MockClock(NOW, frozen=True))) as target:
        yield target


CASES = [
    ("CLUB.VALIDATION_FAILED", 400, "GET", "/campaigns", {}, None),
    ("CLUB.VALIDATION_FAILED", 400, "POST", "/campaigns", {}, {**BODY, "channels": []}),
    ("CLUB.TENANT_FORBIDDEN", 403, "GET", "/campaigns", {"tenantId": "tenant_456"}, None),
    ("CLUB.NOT_FOUND", 404, "GET", "/campaigns/campaign_other_001", {}, None),
    ("CLUB.METHOD_NOT_ALLOWED", 405, "DELETE", "/campaigns", {}, None),
    ("CLUB.INVALID_TRANSITION", 409, "POST", "/campaigns/campaign_draft_001/pause", {}, None),
    ("CLUB.NOT_EDITABLE", 409, "PATCH", "/campaigns/campaign_123", {}, {"segmentId": "segment_789"}),
    ("CLUB.MANAGED_BY_JOURNEY", 409, "POST", "/campaigns/campaign_journey_001/pause", {}, None),
    ("CLUB.UNKNOWN_REFERENCE", 422, "POST", "/campaigns", {}, {**BODY, "segmentId": "segment_901"}),
    ("CLUB.SCHEDULE_INVALID", 422, "POST", "/campaigns/campaign_draft_001/schedule", {},
     {"scheduledAt": "2020-01-01T00:00:00Z"}),
]


@pytest.mark.parametrize("code,status,method,path,params,body", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_the_readme_request_reaches_the_code(club, code, status, method, path, params, body):
    response = club.request(method, path, token=FULL, params=params or None, json_body=body)
    assert (response.status_code, response.json()["code"]) == (status, code), response.text
    assert response.headers["content-type"].startswith("application/problem+json")


def test_engine_errors_in_the_problem_envelope(club):
    assert club.request("GET", "/campaigns", params={"tenantId": "tenant_123"}).json()["code"] == "CLUB.UNAUTHENTICATED"
    assert club.request("GET", "/campaigns", token="nope").json()["code"] == "CLUB.INVALID_TOKEN"
    malformed = club.request("POST", "/campaigns", token=FULL, content=b"{",
                             headers={"Content-Type": "application/json"})
    assert (malformed.status_code, malformed.json()["code"]) == (400, "CLUB.MALFORMED_BODY")
    media = club.request("POST", "/campaigns", token=FULL, content=b"{}", headers={"Content-Type": "text/plain"})
    assert (media.status_code, media.json()["code"]) == (415, "CLUB.UNSUPPORTED_MEDIA_TYPE")
    large = club.request("POST", "/campaigns", token=FULL, content=b'{"a":"' + b"x" * 70000 + b'"}',
                         headers={"Content-Type": "application/json"})
    assert (large.status_code, large.json()["code"]) == (413, "CLUB.PAYLOAD_TOO_LARGE")
    answers = [club.request("GET", "/campaigns", token=RATE_LIMITED, params={"tenantId": "tenant_123"})
               for _ in range(6)]
    assert (answers[-1].status_code, answers[-1].json()["code"]) == (429, "CLUB.RATE_LIMITED")
    assert answers[-1].headers["retry-after"].isdigit()


def test_the_readme_walkthrough(club):
    """create -> schedule -> fast-forward -> ACTIVE -> pause -> resume -> COMPLETED -> stats -> interactions."""
    def advance(seconds: int) -> None:
        assert club.admin("POST", "/clock", {"advanceSeconds": seconds}).status_code == 200

    created = club.request("POST", "/campaigns", token=FULL, json_body={
        **BODY, "name": "December Newsletter", "channels": ["EMAIL", "SMS"], "smsTemplateId": "template_sms_456"})
    assert created.status_code == 201 and created.json()["status"] == "DRAFT"
    cid = created.json()["id"]
    at = (NOW + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    scheduled = club.request("POST", f"/campaigns/{cid}/schedule", token=FULL, json_body={"scheduledAt": at})
    assert scheduled.json()["status"] == "SCHEDULED"
    advance(3600)
    active = club.request("GET", f"/campaigns/{cid}", token=FULL).json()
    assert (active["status"], active["sentCount"], active["targetCount"]) == ("ACTIVE", 0, 1200)
    advance(1800)
    paused = club.request("POST", f"/campaigns/{cid}/pause", token=FULL).json()
    assert (paused["status"], paused["sentCount"]) == ("PAUSED", 600)
    advance(600)
    assert club.request("GET", f"/campaigns/{cid}", token=FULL).json()["sentCount"] == 600  # paused: frozen
    assert club.request("POST", f"/campaigns/{cid}/resume", token=FULL).json()["status"] == "ACTIVE"
    advance(3600)
    done = club.request("GET", f"/campaigns/{cid}", token=FULL).json()
    assert (done["status"], done["sentCount"]) == ("COMPLETED", 1200)
    stats = club.request("GET", f"/campaigns/{cid}/stats", token=FULL).json()
    assert stats["deliveryRate"] == round(stats["deliveredCount"] / stats["sentCount"], 4)
    assert sum(h["sent"] for h in stats["timeline"]) == stats["sentCount"] == 1200
    clicked = club.request("GET", f"/campaigns/{cid}/interactions", token=FULL,
                           params={"type": "CLICKED", "take": "2"}).json()
    assert clicked["meta"]["total"] == stats["clickedCount"] and len(clicked["data"]) == 2
    refused = club.request("POST", f"/campaigns/{cid}/pause", token=FULL)
    assert (refused.status_code, refused.json()["code"], refused.json()["currentStatus"]) == (
        409, "CLUB.INVALID_TRANSITION", "COMPLETED")
