"""Lifecycle model: idempotency.py (000 "Idempotency"; the rest per the decisions page's cross-cutting table)."""
from __future__ import annotations

import pytest

from model_helpers import IDEMPOTENCY_KEY_IN_USE, IDEMPOTENCY_KEY_INVALID, IDEMPOTENCY_KEY_REUSED, T1, T2, at
from state_machine.apis.experiture_v1.model.idempotency import IDEMPOTENT_OPERATIONS, IdempotencyStore, StoredResponse, fingerprint, \
    key_problem

KEY = "9b2f0c4e-6a7d-4c1b-8e3f-2a5d7c9e1b40"  # a UUID v4
SCOPE = (T1, "createCampaign", "/public/v1/campaigns", KEY)
BODY = {"name": "Spring", "channel": "email"}
RESPONSE = StoredResponse(201, {"success": True, "data": {"campaignId": "c-1"}})


def _store_with_completed_first_request() -> IdempotencyStore:
    store = IdempotencyStore()
    assert store.begin(SCOPE, fingerprint(BODY), at(0)).proceed
    store.complete(SCOPE, RESPONSE)
    return store


def test_idempotent_operations_are_create_clone_schedule_and_send_jobs():
    """000: create, clone, schedule-jobs, and send-jobs support the Idempotency-Key header."""
    assert IDEMPOTENT_OPERATIONS == {"createCampaign", "cloneCampaign", "createScheduleJob", "createSendJob"}


@pytest.mark.parametrize("key", [KEY, KEY.upper(), "00000000-0000-4000-8000-000000000000"])
def test_key_problem_accepts_a_uuid_v4(key):
    """000: the Idempotency-Key header is a UUID v4 (hex digits are case-insensitive, RFC 9562)."""
    assert key_problem(key) is None


@pytest.mark.parametrize("key", [
    "6ba7b810-9dad-11d1-80b4-00c04fd430c8",   # v1
    "6ba7b811-9dad-31d1-80b4-00c04fd430c8",   # v3
    "not-a-uuid", "", "9b2f0c4e-6a7d-4c1b-8e3f-2a5d7c9e1b4", "{9b2f0c4e-6a7d-4c1b-8e3f-2a5d7c9e1b40}",
])
def test_key_problem_refuses_other_versions_and_garbage(key):
    """000: UUID v4 only; decisions: otherwise 400 IDEMPOTENCY_KEY_INVALID."""
    problem = key_problem(key)
    assert problem is not None and problem.code == IDEMPOTENCY_KEY_INVALID and problem.status == 400


def test_first_request_proceeds():
    """000: a new key is processed normally."""
    begin = IdempotencyStore().begin(SCOPE, fingerprint(BODY), at(0))
    assert begin.proceed and begin.replay is None and begin.refusal is None


def test_same_key_and_same_body_replays_the_cached_response():
    """000: duplicate requests with the same key and body return the cached response."""
    store = _store_with_completed_first_request()
    begin = store.begin(SCOPE, fingerprint(dict(BODY)), at(60))
    assert not begin.proceed and begin.replay == RESPONSE


def test_same_key_with_a_different_body_is_key_reused():
    """decisions (IETF draft): same key, different body -> 422 IDEMPOTENCY_KEY_REUSED."""
    store = _store_with_completed_first_request()
    begin = store.begin(SCOPE, fingerprint({**BODY, "name": "Autumn"}), at(60))
    assert begin.refusal is not None and begin.refusal.code == IDEMPOTENCY_KEY_REUSED
    assert begin.refusal.status == 422


def test_same_key_while_the_first_is_in_flight_is_key_in_use():
    """decisions (IETF draft): same key while the first request is in flight -> 409 IDEMPOTENCY_KEY_IN_USE."""
    store = IdempotencyStore()
    store.begin(SCOPE, fingerprint(BODY), at(0))
    begin = store.begin(SCOPE, fingerprint(BODY), at(1))
    assert begin.refusal is not None and begin.refusal.code == IDEMPOTENCY_KEY_IN_USE
    assert begin.refusal.status == 409


def test_replay_lasts_24_hours_then_the_key_expires():
    """000: the cached response is returned for 24 hours."""
    store = _store_with_completed_first_request()
    assert store.begin(SCOPE, fingerprint(BODY), at(24 * 3600 - 1)).replay == RESPONSE
    begin = store.begin(SCOPE, fingerprint(BODY), at(24 * 3600 + 1))
    assert begin.proceed


def test_expired_key_may_be_reused_with_another_body():
    """000: after 24 hours the key is no longer remembered (no REUSED refusal)."""
    store = _store_with_completed_first_request()
    assert store.begin(SCOPE, fingerprint({"name": "other", "channel": "sms"}), at(0, days=2)).proceed


def test_keys_are_scoped_by_tenant_and_operation():
    """decisions: keys are scoped to (tenant, operation, campaign path)."""
    store = _store_with_completed_first_request()
    assert store.begin((T2, *SCOPE[1:]), fingerprint({"x": 1}), at(1)).proceed
    assert store.begin((T1, "cloneCampaign", "/public/v1/campaigns/c-1/clone", KEY), fingerprint({}), at(1)).proceed


def test_abandoned_request_frees_the_key():
    """decisions: only responses of requests that reached a decision are stored."""
    store = IdempotencyStore()
    store.begin(SCOPE, fingerprint(BODY), at(0))
    store.abandon(SCOPE)
    assert store.begin(SCOPE, fingerprint({"other": True}), at(1)).proceed


def test_error_responses_are_stored_and_replayed():
    """decisions: errors from the model are stored and replayed like successes."""
    store = IdempotencyStore()
    store.begin(SCOPE, fingerprint(BODY), at(0))
    error = StoredResponse(409, {"success": False, "error": {"code": "X", "message": "m", "details": {}}})
    store.complete(SCOPE, error)
    assert store.begin(SCOPE, fingerprint(BODY), at(5)).replay == error


def test_fingerprint_ignores_key_order():
    """decisions: the body's identity is independent of key order (and whitespace)."""
    a = {"name": "Spring", "channel": "email", "tags": ["x", "y"], "nested": {"b": 1, "a": 2}}
    b = {"nested": {"a": 2, "b": 1}, "tags": ["x", "y"], "channel": "email", "name": "Spring"}
    assert fingerprint(a) == fingerprint(b)


def test_fingerprint_distinguishes_different_bodies():
    """000: only the *same* body is a duplicate (list order and values count)."""
    assert fingerprint({"tags": ["x", "y"]}) != fingerprint({"tags": ["y", "x"]})
    assert fingerprint({"dryRun": True}) != fingerprint({"dryRun": False})
    assert fingerprint({}) != fingerprint({"dryRun": False})
