"""Request validation through HTTP against the embedded mock: VALIDATION_FAILED with its error list,
the createCampaign body, malformed JSON, media type (415), body size (413), non-UUID campaign ids,
unknown query parameters, and the rate limit (429) of mock-token-rate-limited.

Expected values come from openapi/experiture-v1/decisions.md ("Request bodies", "List", cross-cutting table)
and the documents (000: broadcast is the only supported type; 002/003: campaign_id is a UUID).
"""
from __future__ import annotations

import json

import pytest

VALIDATION_FAILED = "JOURNEY_API.PUBLIC.CAMPAIGNS.VALIDATION_FAILED"
MALFORMED_BODY = "JOURNEY_API.PUBLIC.CAMPAIGNS.MALFORMED_BODY"
UNSUPPORTED_MEDIA_TYPE = "JOURNEY_API.PUBLIC.CAMPAIGNS.UNSUPPORTED_MEDIA_TYPE"
PAYLOAD_TOO_LARGE = "JOURNEY_API.PUBLIC.CAMPAIGNS.PAYLOAD_TOO_LARGE"
RATE_LIMITED = "JOURNEY_API.PUBLIC.CAMPAIGNS.RATE_LIMITED"

FULL = "mock-token-full"
RATE_LIMITED_TOKEN = "mock-token-rate-limited"
EMAIL_DRAFT = "c0000000-0000-4000-8000-000000000001"
SEGMENT = "a1b2c3d4-0000-0000-0000-000000000001"
EMAIL_TEMPLATE = "5e3a1c2d-0000-4000-8000-000000000001"
LIMIT = 64 * 1024

# Operations that take a JSON body (decisions page, "Request bodies"), with a body valid on EMAIL_DRAFT.
BODY_OPERATIONS = {
    "createCampaign": ("POST", "/campaigns", {"name": "Valid", "channel": "email"}),
    "updateCampaign": ("PATCH", "/campaigns/{id}", {"name": "Renamed"}),
    "cloneCampaign": ("POST", "/campaigns/{id}/clone", {"name": "Copy"}),
    "replaceCampaignAudience": ("PUT", "/campaigns/{id}/audience",
                                {"include": [{"audienceId": SEGMENT, "type": "segment"}]}),
    "replaceCampaignContent": ("PUT", "/campaigns/{id}/content", {"templateId": EMAIL_TEMPLATE}),
    "setCampaignSchedule": ("PUT", "/campaigns/{id}/schedule", {"mode": "at", "sendAt": "2026-05-01T09:00:00Z"}),
    "createScheduleJob": ("POST", "/campaigns/{id}/schedule-jobs", {"sendAt": "2026-05-01T09:00:00Z"}),
    "createSendJob": ("POST", "/campaigns/{id}/send-jobs", {"dryRun": False}),
}
ITEM_OPERATIONS = {  # operationId -> (method, path suffix)
    "getCampaign": ("GET", ""), "updateCampaign": ("PATCH", ""), "deleteCampaign": ("DELETE", ""),
    "archiveCampaign": ("POST", "/archive"), "cloneCampaign": ("POST", "/clone"),
    "replaceCampaignAudience": ("PUT", "/audience"), "replaceCampaignContent": ("PUT", "/content"),
    "setCampaignSchedule": ("PUT", "/schedule"), "runCampaignPreflight": ("POST", "/preflight"),
    "createScheduleJob": ("POST", "/schedule-jobs"), "createSendJob": ("POST", "/send-jobs"),
    "getCampaignSummary": ("GET", "/summary"), "getCampaignStatus": ("GET", "/status"),
    "getCampaignMetrics": ("GET", "/metrics"),
}


# --------------------------------------------------------------------------- helpers
def state(api) -> dict:
    return api.admin("GET", "/state").json()


def campaign_count(api) -> int:
    r = api.request("GET", "/campaigns", token=FULL)
    assert r.status_code == 200
    return r.json()["pagination"]["total"]


def error_of(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["success"] is False and body["error"]["code"] == code, body
    return body["error"]


def validation_errors(r) -> list[dict]:
    err = error_of(r, 400, VALIDATION_FAILED)
    errors = err["details"]["errors"]
    assert errors and all(set(e) == {"location", "field", "message"} for e in errors), errors
    assert all(isinstance(e["message"], str) and e["message"] for e in errors)
    return errors


def send_raw(api, op: str, raw: bytes, content_type: str | None = "application/json", token: str = FULL):
    method, path, _ = BODY_OPERATIONS[op]
    headers = {"Content-Type": content_type} if content_type else {}
    return api.request(method, path.replace("{id}", EMAIL_DRAFT), token=token, content=raw, headers=headers)


def padded(body: dict, size: int) -> bytes:
    """`body` as JSON padded with trailing whitespace to exactly `size` bytes (still the same JSON)."""
    raw = json.dumps(body).encode()
    assert len(raw) <= size
    return raw + b" " * (size - len(raw))


def make_ready(api) -> None:
    for op in ("replaceCampaignAudience", "replaceCampaignContent", "setCampaignSchedule"):
        method, path, body = BODY_OPERATIONS[op]
        assert api.request(method, path.replace("{id}", EMAIL_DRAFT), token=FULL, json_body=body).status_code == 200


# --------------------------------------------------------------------------- VALIDATION_FAILED
@pytest.mark.req("CAMP-VAL-001")
@pytest.mark.parametrize("params, field", [
    ({"limit": 500}, "limit"), ({"limit": 101}, "limit"), ({"limit": 0}, "limit"), ({"limit": "abc"}, "limit"),
    ({"offset": -1}, "offset"), ({"sortBy": "priority"}, "sortBy"), ({"sortDirection": "up"}, "sortDirection"),
    ({"status": "sent"}, "status"), ({"channel": "fax"}, "channel"),
    ({"foo": "1"}, "foo"), ({"page": "2"}, "page"),  # unknown query parameters
])
def test_invalid_or_unknown_list_query_is_400_validation_failed(api, params, field):
    errors = validation_errors(api.request("GET", "/campaigns", token=FULL, params=params))
    assert {"location": "query", "field": field} in [{"location": e["location"], "field": e["field"]} for e in errors]


@pytest.mark.req("CAMP-VAL-001")
def test_list_query_limits_in_range_are_accepted(api):
    for params in ({"limit": 1}, {"limit": 100}, {"offset": 0}, {"sortBy": "name", "sortDirection": "asc"}):
        r = api.request("GET", "/campaigns", token=FULL, params=params)
        assert r.status_code == 200, (params, r.text)


@pytest.mark.req("CAMP-VAL-001")
@pytest.mark.parametrize("op", ["getCampaign", "getCampaignSummary", "getCampaignStatus", "getCampaignMetrics",
                                "runCampaignPreflight", "deleteCampaign"])
def test_unknown_query_parameter_on_an_item_operation_is_400(api, op):
    method, suffix = ITEM_OPERATIONS[op]
    before = state(api)
    r = api.request(method, f"/campaigns/{EMAIL_DRAFT}{suffix}", token=FULL, params={"expand": "all"})
    errors = validation_errors(r)
    assert errors[0]["location"] == "query" and errors[0]["field"] == "expand"
    assert state(api) == before


@pytest.mark.req("CAMP-VAL-001")
def test_body_failing_the_schema_is_400_with_error_list_and_changes_nothing(api):
    before = state(api)
    r = api.request("PUT", f"/campaigns/{EMAIL_DRAFT}/audience", token=FULL, json_body={"include": []})
    errors = validation_errors(r)
    assert errors[0]["location"] == "body" and errors[0]["field"] == "include"
    r = api.request("PUT", f"/campaigns/{EMAIL_DRAFT}/audience", token=FULL,
                    json_body={"include": [{"audienceId": "not-a-uuid", "type": "segment"}]})
    assert validation_errors(r)[0]["location"] == "body"
    r = api.request("PATCH", f"/campaigns/{EMAIL_DRAFT}", token=FULL, json_body={})  # minProperties: 1
    assert validation_errors(r)[0]["location"] == "body"
    assert state(api) == before


# --------------------------------------------------------------------------- createCampaign body
@pytest.mark.req("CAMP-VAL-002", "CAMP-VAL-001")
@pytest.mark.parametrize("body, field", [
    ({"channel": "email"}, "name"),
    ({"name": "No channel"}, "channel"),
    ({"name": "", "channel": "email"}, "name"),
    ({"name": "n" * 201, "channel": "email"}, "name"),
    ({"name": 42, "channel": "email"}, "name"),
    ({"name": "Fax", "channel": "fax"}, "channel"),
    ({"name": "D", "channel": "email", "description": "d" * 2001}, "description"),
    ({"name": "D", "channel": "email", "description": 5}, "description"),
    ({"name": "C", "channel": "email", "category": 5}, "category"),
    ({"name": "T", "channel": "email", "campaignType": 5}, "campaignType"),
    ({"name": "T", "channel": "email", "tags": [f"t{i}" for i in range(21)]}, "tags"),
    ({"name": "T", "channel": "email", "tags": [""]}, "tags.0"),
    ({"name": "T", "channel": "email", "tags": ["t" * 51]}, "tags.0"),
    ({"name": "T", "channel": "email", "tags": "promo"}, "tags"),
    ({"name": "X", "channel": "email", "status": "published"}, None),  # no other fields
], ids=lambda v: None if isinstance(v, dict) else str(v))
def test_create_body_outside_the_schema_is_400_and_creates_nothing(api, body, field):
    total = campaign_count(api)
    errors = validation_errors(api.request("POST", "/campaigns", token=FULL, json_body=body))
    assert all(e["location"] == "body" for e in errors)
    if field is not None:
        assert field in [e["field"] for e in errors]
    assert campaign_count(api) == total


@pytest.mark.req("CAMP-VAL-002")
def test_create_body_at_its_limits_is_accepted(api):
    body = {"name": "n" * 200, "channel": "push", "description": "d" * 2000, "category": "retention",
            "tags": [f"{i:02d}" + "t" * 48 for i in range(20)]}
    r = api.request("POST", "/campaigns", token=FULL, json_body=body)
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    assert data["name"] == "n" * 200 and data["description"] == "d" * 2000
    r = api.request("POST", "/campaigns", token=FULL, json_body={"name": "N", "channel": "sms", "description": None})
    assert r.status_code == 201 and r.json()["data"]["description"] is None


@pytest.mark.req("CAMP-VAL-003")
def test_create_without_campaign_type_is_a_broadcast(api):
    r = api.request("POST", "/campaigns", token=FULL, json_body={"name": "Default type", "channel": "email"})
    assert r.status_code == 201, r.text
    cid = r.json()["data"]["campaignId"]
    assert r.json()["data"]["campaignType"] == "broadcast"
    assert api.request("GET", f"/campaigns/{cid}", token=FULL).json()["data"]["campaignType"] == "broadcast"
    r = api.request("POST", "/campaigns", token=FULL,
                    json_body={"name": "Explicit", "channel": "email", "campaignType": "broadcast"})
    assert r.status_code == 201 and r.json()["data"]["campaignType"] == "broadcast"


# --------------------------------------------------------------------------- malformed JSON
@pytest.mark.req("CAMP-VAL-004")
@pytest.mark.parametrize("op", list(BODY_OPERATIONS))
def test_body_that_is_not_a_json_object_is_400_malformed_body(api, op):
    make_ready(api)
    before = state(api)
    for raw in (b"{", b'{"name": "x",}', b"not json", b"[]", b'["name"]', b'"text"', b"42", b"true", b"null"):
        r = send_raw(api, op, raw)
        error_of(r, 400, MALFORMED_BODY)
    assert state(api) == before


# --------------------------------------------------------------------------- 415
@pytest.mark.req("CAMP-VAL-005")
@pytest.mark.parametrize("op", list(BODY_OPERATIONS))
def test_body_not_sent_as_application_json_is_415(api, op):
    make_ready(api)
    before = state(api)
    raw = json.dumps(BODY_OPERATIONS[op][2]).encode()
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml", "text/json", None):
        error_of(send_raw(api, op, raw, content_type), 415, UNSUPPORTED_MEDIA_TYPE)
    assert state(api) == before


@pytest.mark.req("CAMP-VAL-005")
def test_application_json_with_charset_parameter_is_accepted(api):
    raw = json.dumps({"name": "Charset", "channel": "email"}).encode()
    r = send_raw(api, "createCampaign", raw, "application/json; charset=utf-8")
    assert r.status_code == 201, r.text


# --------------------------------------------------------------------------- 413
@pytest.mark.req("CAMP-VAL-006")
@pytest.mark.parametrize("op", list(BODY_OPERATIONS))
def test_body_over_64_kib_is_413(api, op):
    make_ready(api)
    before = state(api)
    r = send_raw(api, op, padded(BODY_OPERATIONS[op][2], LIMIT + 1))
    error_of(r, 413, PAYLOAD_TOO_LARGE)
    r = send_raw(api, op, json.dumps({"description": "x" * (LIMIT * 2)}).encode())
    error_of(r, 413, PAYLOAD_TOO_LARGE)
    assert state(api) == before


@pytest.mark.req("CAMP-VAL-006")
def test_body_of_exactly_64_kib_is_not_too_large(api):
    total = campaign_count(api)
    r = send_raw(api, "createCampaign", padded({"name": "Big but fine", "channel": "email"}, LIMIT))
    assert r.status_code == 201, r.text
    assert campaign_count(api) == total + 1


# --------------------------------------------------------------------------- campaign_id is a UUID
@pytest.mark.req("CAMP-VAL-007", "CAMP-ENV-003", "CAMP-VAL-001")
@pytest.mark.parametrize("op", list(ITEM_OPERATIONS))
def test_campaign_id_that_is_not_a_uuid_is_400_validation_failed(api, op):
    method, suffix = ITEM_OPERATIONS[op]
    body = BODY_OPERATIONS[op][2] if op in BODY_OPERATIONS else None
    before = state(api)
    for bad in ("not-a-uuid", "12345", "c0000000-0000-4000-8000-00000000000", "c0000000-0000-4000-8000-00000000000g",
                "c0000000-0000-4000-8000-0000000000011"):
        r = api.request(method, f"/campaigns/{bad}{suffix}", token=FULL, json_body=body)
        errors = validation_errors(r)
        assert errors[0]["location"] == "path" and errors[0]["field"] == "campaign_id", errors
    assert state(api) == before


# --------------------------------------------------------------------------- rate limit
@pytest.mark.req("CAMP-RATE-001")
def test_sixth_request_in_a_minute_is_429_with_retry_after(api):
    for _ in range(5):  # 5 requests per minute of mock time (README, profile)
        assert api.request("GET", "/campaigns", token=RATE_LIMITED_TOKEN).status_code == 200
    total = campaign_count(api)  # another token: its own budget
    r = api.request("POST", "/campaigns", token=RATE_LIMITED_TOKEN, json_body={"name": "Limited", "channel": "email"})
    err = error_of(r, 429, RATE_LIMITED)
    assert isinstance(err["message"], str) and err["message"]
    retry = r.headers["Retry-After"]
    assert retry.isdigit() and 1 <= int(retry) <= 60, retry
    assert campaign_count(api) == total  # the refused create did nothing
    error_of(api.request("GET", "/campaigns", token=RATE_LIMITED_TOKEN), 429, RATE_LIMITED)

    # waiting as told restores service
    assert api.admin("POST", "/clock", {"advanceSeconds": int(retry)}).status_code == 200
    r = api.request("POST", "/campaigns", token=RATE_LIMITED_TOKEN, json_body={"name": "Later", "channel": "email"})
    assert r.status_code == 201, r.text
    assert campaign_count(api) == total + 1


@pytest.mark.req("CAMP-RATE-001")
def test_rate_limit_counts_every_operation_and_spares_other_tokens(api):
    calls = [("GET", "/campaigns"), ("GET", f"/campaigns/{EMAIL_DRAFT}"), ("GET", f"/campaigns/{EMAIL_DRAFT}/summary"),
             ("GET", f"/campaigns/{EMAIL_DRAFT}/status"), ("GET", f"/campaigns/{EMAIL_DRAFT}/metrics")]
    for method, path in calls:
        assert api.request(method, path, token=RATE_LIMITED_TOKEN).status_code == 200
    r = api.request("POST", f"/campaigns/{EMAIL_DRAFT}/preflight", token=RATE_LIMITED_TOKEN)
    error_of(r, 429, RATE_LIMITED)
    assert "Retry-After" in r.headers
    assert api.request("POST", f"/campaigns/{EMAIL_DRAFT}/preflight", token=FULL).status_code == 200


UNKNOWN_FIELD_BODIES = [
    ("POST", "/campaigns", {"name": "x", "channel": "email", "colour": "red"}),
    ("PATCH", "/campaigns/{cid}", {"name": "x", "owner": "me"}),
    ("POST", "/campaigns/{cid}/clone", {"name": "x", "copies": 2}),
    ("PUT", "/campaigns/{cid}/audience", {"include": [{"audienceId": "a1b2c3d4-0000-0000-0000-000000000001",
                                                       "type": "segment"}], "includes": []}),
    ("PUT", "/campaigns/{cid}/audience", {"include": [{"audienceId": "a1b2c3d4-0000-0000-0000-000000000001",
                                                       "type": "segment", "weight": 1}]}),
    ("PUT", "/campaigns/{cid}/content", {"templateId": "5e3a1c2d-0000-4000-8000-000000000001", "version": 2}),
    ("PUT", "/campaigns/{cid}/schedule", {"mode": "now", "when": "soon"}),
    ("POST", "/campaigns/{cid}/schedule-jobs", {"dryrun": True}),
    ("POST", "/campaigns/{cid}/send-jobs", {"dryrun": True}),
]


@pytest.mark.req("CAMP-VAL-008")
@pytest.mark.parametrize("method,path,body", UNKNOWN_FIELD_BODIES,
                         ids=[f"{m} {p} {sorted(b)[-1]}" for m, p, b in UNKNOWN_FIELD_BODIES])
def test_unknown_body_fields_are_refused_and_nothing_happens(api, method, path, body):
    """A misspelt dryRun must not become a committed send: every body is closed (inferred)."""
    token = api.profile.token("full")
    cid = api.request("POST", "/campaigns", token=token,
                      json_body={"name": "closed bodies", "channel": "email"}).json()["data"]["campaignId"]
    api.request("PUT", f"/campaigns/{cid}/audience", token=token, json_body={
        "include": [{"audienceId": "a1b2c3d4-0000-0000-0000-000000000001", "type": "segment"}]})
    api.request("PUT", f"/campaigns/{cid}/content", token=token,
                json_body={"templateId": "5e3a1c2d-0000-4000-8000-000000000001"})
    before = api.request("GET", "/campaigns", token=token).json()["pagination"]["total"]
    r = api.request(method, path.format(cid=cid), token=token, json_body=body)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "JOURNEY_API.PUBLIC.CAMPAIGNS.VALIDATION_FAILED"
    assert "unknown field" in r.json()["error"]["message"]
    status = api.request("GET", f"/campaigns/{cid}/status", token=token).json()["data"]
    assert status["authoringStatus"] == "draft" and status["execution"]["state"] == "not_scheduled"
    assert api.request("GET", "/campaigns", token=token).json()["pagination"]["total"] == before
