"""Idempotent requests through HTTP against the embedded mock: the four operations of 000 (create, clone,
schedule-jobs, send-jobs) replay the first response for the same Idempotency-Key and body for 24 hours.

Expected values come from 000 ("Idempotency") and openapi/experiture-v1/decisions.md (cross-cutting table:
422 on a reused key, 400 on an invalid key, `Idempotent-Replayed: true`, scoping by tenant, operation and
path, only validated requests stored). The mock clock is frozen; tests move it to expire keys.
"""
from __future__ import annotations

import threading
import uuid

import pytest

from contract_spec import load_spec
from state_machine.apis.experiture_v1 import plugin

IDEMPOTENCY_KEY_INVALID = "JOURNEY_API.PUBLIC.CAMPAIGNS.IDEMPOTENCY_KEY_INVALID"
IDEMPOTENCY_KEY_REUSED = "JOURNEY_API.PUBLIC.CAMPAIGNS.IDEMPOTENCY_KEY_REUSED"
IDEMPOTENCY_KEY_IN_USE = "JOURNEY_API.PUBLIC.CAMPAIGNS.IDEMPOTENCY_KEY_IN_USE"
NOT_DRAFT = "JOURNEY_API.PUBLIC.CAMPAIGNS.NOT_DRAFT"
TYPE_UNSUPPORTED = "JOURNEY_API.PUBLIC.CAMPAIGNS.TYPE_UNSUPPORTED"
AUDIENCE_REQUIRED = "JOURNEY_API.PUBLIC.CAMPAIGNS.AUDIENCE.REQUIRED"
VALIDATION_FAILED = "JOURNEY_API.PUBLIC.CAMPAIGNS.VALIDATION_FAILED"
REPLAYED = "Idempotent-Replayed"

FULL, READER, OTHER_TENANT = "mock-token-full", "mock-token-reader", "mock-token-other-tenant"
EMAIL_DRAFT = "c0000000-0000-4000-8000-000000000001"
DM_DRAFT = "4130bada-9264-465f-bc0c-a26bebcfcc81"
SEGMENT = "a1b2c3d4-0000-0000-0000-000000000001"
EMAIL_TEMPLATE = "5e3a1c2d-0000-4000-8000-000000000001"
SEND_AT = "2026-05-10T09:00:00Z"  # well after every clock move of these tests
DAY = 24 * 3600
IDEMPOTENT = {"createCampaign", "cloneCampaign", "createScheduleJob", "createSendJob"}  # 000


# --------------------------------------------------------------------------- helpers
def new_key() -> str:
    return str(uuid.uuid4())


def idem(key: str) -> dict:
    return {"Idempotency-Key": key}


def count(api, token: str = FULL) -> int:
    r = api.request("GET", "/campaigns", token=token)
    assert r.status_code == 200, r.text
    return r.json()["pagination"]["total"]


def create(api, key: str | None = None, body: dict | None = None, token: str = FULL):
    return api.request("POST", "/campaigns", token=token, json_body=body or {"name": "Idem", "channel": "email"},
                       headers=idem(key) if key else None)


def ready_draft(api) -> str:
    """A new email draft with an audience, a published template and a future schedule intent."""
    r = create(api)
    assert r.status_code == 201, r.text
    cid = r.json()["data"]["campaignId"]
    for path, body in (("audience", {"include": [{"audienceId": SEGMENT, "type": "segment"}]}),
                       ("content", {"templateId": EMAIL_TEMPLATE}),
                       ("schedule", {"mode": "at", "sendAt": SEND_AT})):
        assert api.request("PUT", f"/campaigns/{cid}/{path}", token=FULL, json_body=body).status_code == 200
    return cid


def job(api, cid: str, kind: str, key: str | None = None, body: dict | None = None, token: str = FULL):
    return api.request("POST", f"/campaigns/{cid}/{kind}", token=token, json_body=body if body is not None else {},
                       headers=idem(key) if key else None)


def clone(api, cid: str, key: str | None = None, body: dict | None = None, token: str = FULL):
    return api.request("POST", f"/campaigns/{cid}/clone", token=token, json_body=body if body is not None else {},
                       headers=idem(key) if key else None)


def get(api, cid: str, what: str = "") -> dict:
    r = api.request("GET", f"/campaigns/{cid}{what}", token=FULL)
    assert r.status_code == 200, r.text
    return r.json()["data"]


def advance(api, seconds: int) -> None:
    assert api.admin("POST", "/clock", {"advanceSeconds": seconds}).status_code == 200


def assert_first(r, status: int) -> None:
    assert r.status_code == status, r.text
    assert REPLAYED not in r.headers


def assert_replay_of(r, first) -> None:
    assert r.status_code == first.status_code, r.text
    assert r.json() == first.json()
    assert r.headers.get(REPLAYED) == "true"


def error_of(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["success"] is False and body["error"]["code"] == code, body
    return body["error"]


# --------------------------------------------------------------------------- replay (000)
@pytest.mark.req("CAMP-IDEM-001", "CAMP-IDEM-011")
def test_create_replays_the_first_response_and_creates_one_campaign(api):
    total, key = count(api), new_key()
    first = create(api, key, {"name": "Once", "channel": "sms", "category": "event"})
    assert_first(first, 201)
    for _ in range(2):
        assert_replay_of(create(api, key, {"name": "Once", "channel": "sms", "category": "event"}), first)
    assert count(api) == total + 1
    assert get(api, first.json()["data"]["campaignId"])["name"] == "Once"


@pytest.mark.req("CAMP-IDEM-002", "CAMP-IDEM-011")
def test_clone_replays_the_first_response_and_creates_one_clone(api):
    total, key = count(api), new_key()
    first = clone(api, EMAIL_DRAFT, key, {"name": "The clone"})
    assert_first(first, 201)
    assert_replay_of(clone(api, EMAIL_DRAFT, key, {"name": "The clone"}), first)
    assert count(api) == total + 1
    r = api.request("GET", "/campaigns", token=FULL, params={"search": "The clone"})
    assert [c["campaignId"] for c in r.json()["data"]] == [first.json()["data"]["campaignId"]]


@pytest.mark.req("CAMP-IDEM-003", "CAMP-IDEM-011")
def test_schedule_job_replay_commits_no_second_schedule(api):
    cid, key = ready_draft(api), new_key()
    first = job(api, cid, "schedule-jobs", key)
    assert_first(first, 201)
    schedule_id = first.json()["data"]["scheduleId"]
    assert_replay_of(job(api, cid, "schedule-jobs", key), first)
    status = get(api, cid, "/status")
    assert status["authoringStatus"] == "published"
    assert status["schedule"]["scheduleId"] == schedule_id and status["execution"]["state"] == "scheduled"
    # a genuinely new request is a second commit and is refused: the replay was not one
    error_of(job(api, cid, "schedule-jobs", new_key()), 409, NOT_DRAFT)
    assert get(api, cid, "/status")["schedule"]["scheduleId"] == schedule_id


@pytest.mark.req("CAMP-IDEM-004", "CAMP-IDEM-011")
def test_send_job_replay_triggers_no_second_send(api):
    cid, key = ready_draft(api), new_key()
    first = job(api, cid, "send-jobs", key)
    assert_first(first, 201)
    assert_replay_of(job(api, cid, "send-jobs", key), first)
    advance(api, 60)  # the send starts and completes (README: 2 s + 10 s)
    status = get(api, cid, "/status")
    assert status["execution"]["state"] == "completed"
    execution, metrics = status["execution"]["lastExecution"], get(api, cid, "/metrics")
    assert_replay_of(job(api, cid, "send-jobs", key), first)
    advance(api, 60)
    assert get(api, cid, "/status")["execution"]["lastExecution"] == execution
    assert get(api, cid, "/metrics") == metrics


# --------------------------------------------------------------------------- key form (000: UUID v4)
@pytest.mark.req("CAMP-IDEM-005")
def test_spec_declares_an_optional_uuid_v4_key_on_the_four_operations():
    spec = load_spec(plugin.spec_path)
    for op_id, op in spec.operations.items():
        header = op.header("Idempotency-Key")
        assert (header is not None) == (op_id in IDEMPOTENT), op_id
        if header is not None:
            assert header.required is False
            validator = spec.validator(header.pointer)
            assert validator.is_valid("9b2f0c4e-6a7d-4c1b-8e3f-2a5d7c9e1b40")
            assert not validator.is_valid("c232ab00-9414-11ec-b3c8-9f6bdeced846")  # a v1 UUID


@pytest.mark.req("CAMP-IDEM-005", "CAMP-IDEM-008")
@pytest.mark.parametrize("bad_key", ["123", "not-a-uuid", "c232ab00-9414-11ec-b3c8-9f6bdeced846",
                                     "00000000-0000-0000-0000-000000000000", "9b2f0c4e-6a7d-4c1b-8e3f-2a5d7c9e1b4"],
                         ids=["digits", "word", "uuid-v1", "nil-uuid", "short"])
@pytest.mark.parametrize("op", sorted(IDEMPOTENT))
def test_key_that_is_not_a_uuid_v4_is_400_and_nothing_happens(api, op, bad_key):
    cid = ready_draft(api)
    before = api.admin("GET", "/state").json()
    if op == "createCampaign":
        r = create(api, bad_key)
    elif op == "cloneCampaign":
        r = clone(api, cid, bad_key)
    else:
        r = job(api, cid, "schedule-jobs" if op == "createScheduleJob" else "send-jobs", bad_key)
    error_of(r, 400, IDEMPOTENCY_KEY_INVALID)
    assert api.admin("GET", "/state").json() == before
    assert get(api, cid)["authoringStatus"] == "draft"


@pytest.mark.req("CAMP-IDEM-006", "CAMP-IDEM-005")
def test_key_is_optional_and_a_v4_key_is_accepted(api):
    total = count(api)
    assert_first(create(api), 201)
    assert_first(create(api), 201)  # without a key nothing is deduplicated
    assert_first(clone(api, EMAIL_DRAFT), 201)
    assert count(api) == total + 3
    assert_first(job(api, ready_draft(api), "schedule-jobs"), 201)
    assert_first(job(api, ready_draft(api), "send-jobs"), 201)
    assert_first(create(api, "9b2f0c4e-6a7d-4c1b-8e3f-2a5d7c9e1b40"), 201)


# --------------------------------------------------------------------------- 24 hours (000)
@pytest.mark.req("CAMP-IDEM-007")
def test_create_key_replays_for_24_hours_then_is_forgotten(api):
    total, key = count(api), new_key()
    first = create(api, key)
    assert_first(first, 201)
    advance(api, DAY - 1)
    assert_replay_of(create(api, key), first)
    assert count(api) == total + 1
    advance(api, 2)  # now past 24 h
    later = create(api, key)
    assert_first(later, 201)
    assert later.json()["data"]["campaignId"] != first.json()["data"]["campaignId"]
    assert count(api) == total + 2


@pytest.mark.req("CAMP-IDEM-007")
def test_schedule_job_key_forgotten_after_24_hours_is_a_new_request(api):
    cid, key = ready_draft(api), new_key()
    first = job(api, cid, "schedule-jobs", key)
    assert_first(first, 201)
    advance(api, DAY - 60)
    assert_replay_of(job(api, cid, "schedule-jobs", key), first)
    advance(api, 120)
    r = job(api, cid, "schedule-jobs", key)  # the campaign is published now: a new request is refused
    error_of(r, 409, NOT_DRAFT)
    assert REPLAYED not in r.headers


# --------------------------------------------------------------------------- reuse with another body (422)
@pytest.mark.req("CAMP-IDEM-009")
def test_create_key_reused_with_another_body_is_422_and_creates_nothing(api):
    total, key = count(api), new_key()
    first = create(api, key, {"name": "Original", "channel": "email"})
    assert_first(first, 201)
    error_of(create(api, key, {"name": "Different", "channel": "email"}), 422, IDEMPOTENCY_KEY_REUSED)
    error_of(create(api, key, {"name": "Original", "channel": "sms"}), 422, IDEMPOTENCY_KEY_REUSED)
    assert count(api) == total + 1
    assert api.request("GET", "/campaigns", token=FULL, params={"search": "Different"}).json()["data"] == []
    assert_replay_of(create(api, key, {"name": "Original", "channel": "email"}), first)  # the key still replays


@pytest.mark.req("CAMP-IDEM-009")
def test_clone_key_reused_with_another_body_is_422(api):
    total, key = count(api), new_key()
    assert_first(clone(api, EMAIL_DRAFT, key, {}), 201)
    error_of(clone(api, EMAIL_DRAFT, key, {"name": "Renamed clone"}), 422, IDEMPOTENCY_KEY_REUSED)
    assert count(api) == total + 1


@pytest.mark.req("CAMP-IDEM-009")
@pytest.mark.parametrize("kind", ["schedule-jobs", "send-jobs"])
def test_job_key_reused_with_another_body_is_422_and_commits_nothing(api, kind):
    cid, key = ready_draft(api), new_key()
    dry = job(api, cid, kind, key, {"dryRun": True})
    assert dry.status_code == 200 and dry.json()["data"]["dryRun"] is True
    before = api.admin("GET", "/state").json()
    error_of(job(api, cid, kind, key, {}), 422, IDEMPOTENCY_KEY_REUSED)
    error_of(job(api, cid, kind, key, {"dryRun": False}), 422, IDEMPOTENCY_KEY_REUSED)
    assert api.admin("GET", "/state").json() == before
    status = get(api, cid, "/status")
    assert status["authoringStatus"] == "draft" and status["execution"]["state"] == "not_scheduled"


# --------------------------------------------------------------------------- concurrency
@pytest.mark.req("CAMP-IDEM-010", "CAMP-IDEM-001")
def test_concurrent_requests_with_one_key_create_one_campaign(api):
    total, rounds = count(api), 8
    for n in range(rounds):
        key, body = new_key(), {"name": f"Concurrent {n}", "channel": "email"}
        barrier, results, failures = threading.Barrier(2), [None, None], []

        def worker(i: int) -> None:
            try:
                barrier.wait(timeout=5)
                results[i] = create(api, key, body)
            except Exception as exc:  # reported below, not swallowed
                failures.append(exc)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=10)
        assert not failures and all(results), failures
        created = [r for r in results if r.status_code == 201]
        assert len(created) >= 1, [r.text for r in results]
        assert sum(REPLAYED not in r.headers for r in created) == 1  # exactly one original
        for r in results:
            if r.status_code == 201:
                assert r.json() == created[0].json()
            else:  # the only other acceptable answer: the key is still in flight
                error_of(r, 409, IDEMPOTENCY_KEY_IN_USE)
    assert count(api) == total + rounds


# --------------------------------------------------------------------------- scoping
@pytest.mark.req("CAMP-IDEM-012")
def test_same_key_in_another_tenant_is_a_new_request(api):
    key, body = new_key(), {"name": "Tenant scoped", "channel": "email"}
    t1_total, t2_total = count(api), count(api, OTHER_TENANT)
    first = create(api, key, body)
    assert_first(first, 201)
    other = create(api, key, body, token=OTHER_TENANT)
    assert_first(other, 201)
    assert other.json()["data"]["campaignId"] != first.json()["data"]["campaignId"]
    assert count(api) == t1_total + 1 and count(api, OTHER_TENANT) == t2_total + 1


@pytest.mark.req("CAMP-IDEM-012")
def test_same_key_on_another_operation_or_campaign_is_key_reused(api):
    """IETF draft and Stripe: a key stands for one request, its operation and resource included."""
    key, total = new_key(), count(api)
    assert_first(create(api, key, {"name": "Scoped", "channel": "email"}), 201)
    error_of(clone(api, EMAIL_DRAFT, key, {}), 422, IDEMPOTENCY_KEY_REUSED)  # other operation
    error_of(clone(api, DM_DRAFT, key, {}), 422, IDEMPOTENCY_KEY_REUSED)  # other campaign path
    assert count(api) == total + 1
    first_cid, second_cid, job_key = ready_draft(api), ready_draft(api), new_key()
    s1 = job(api, first_cid, "schedule-jobs", job_key)
    assert_first(s1, 201)
    error_of(job(api, second_cid, "schedule-jobs", job_key), 422, IDEMPOTENCY_KEY_REUSED)  # same body, other campaign
    assert get(api, second_cid)["authoringStatus"] == "draft"
    s3 = job(api, first_cid, "send-jobs", job_key)  # same key and body on send-jobs: another operation
    error_of(s3, 422, IDEMPOTENCY_KEY_REUSED)
    assert REPLAYED not in s3.headers


# --------------------------------------------------------------------------- what is stored
@pytest.mark.req("CAMP-IDEM-013")
def test_model_error_is_stored_and_replayed(api):
    total, key = count(api), new_key()
    body = {"name": "Journey", "channel": "email", "campaignType": "journey"}
    first = create(api, key, body)
    assert_first(first, 409)
    assert first.json()["error"]["code"] == TYPE_UNSUPPORTED
    assert first.json()["error"]["details"]["campaignType"] == "journey"
    assert_replay_of(create(api, key, body), first)
    assert count(api) == total


@pytest.mark.req("CAMP-IDEM-013")
def test_stored_job_refusal_is_replayed_even_after_the_campaign_becomes_ready(api):
    r = create(api)
    cid, key = r.json()["data"]["campaignId"], new_key()
    first = job(api, cid, "send-jobs", key)
    assert_first(first, 409)
    assert first.json()["error"]["code"] == AUDIENCE_REQUIRED
    for path, body in (("audience", {"include": [{"audienceId": SEGMENT, "type": "segment"}]}),
                       ("content", {"templateId": EMAIL_TEMPLATE})):
        assert api.request("PUT", f"/campaigns/{cid}/{path}", token=FULL, json_body=body).status_code == 200
    assert_replay_of(job(api, cid, "send-jobs", key), first)
    assert get(api, cid)["authoringStatus"] == "draft"
    assert_first(job(api, cid, "send-jobs", new_key()), 201)


@pytest.mark.req("CAMP-IDEM-013")
def test_validation_failure_is_not_stored(api):
    total, key = count(api), new_key()
    error_of(create(api, key, {"name": "No channel"}), 400, VALIDATION_FAILED)
    r = create(api, key, {"name": "Now valid", "channel": "email"})  # not 422: the 400 was not stored
    assert_first(r, 201)
    assert_replay_of(create(api, key, {"name": "Now valid", "channel": "email"}), r)
    assert count(api) == total + 1


@pytest.mark.req("CAMP-IDEM-013")
def test_unauthenticated_or_unauthorised_request_is_not_stored(api):
    total, key, body = count(api), new_key(), {"name": "After refusals", "channel": "email"}
    error_of(create(api, key, body, token=READER), 403, "JOURNEY_API.AUTH.INSUFFICIENT_SCOPE")
    r = api.request("POST", "/campaigns", json_body=body, headers=idem(key))
    error_of(r, 401, "JOURNEY_API.AUTH.UNAUTHENTICATED")
    first = create(api, key, body)
    assert_first(first, 201)
    assert count(api) == total + 1
