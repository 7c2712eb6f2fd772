"""The kernel's Idempotency-Key store (state_machine.kernel.idempotency): replay, reuse, in-flight, expiry.

What each API promises on top (its key form, how long a replay lasts, its codes) is tested with the API.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from state_machine.kernel.idempotency import IdempotencyStore, StoredResponse, fingerprint

KEY = "9b2f0c4e-6a7d-4c1b-8e3f-2a5d7c9e1b40"
T1, T2 = "tenant-one", "tenant-two"
SCOPE = (T1, "createThing", "/v1/things", KEY)
BODY = {"name": "Spring", "channel": "email"}
RESPONSE = StoredResponse(201, {"id": "c-1"})
TTL = 24 * 3600
START = datetime(2026, 4, 25, 10, 0, tzinfo=timezone.utc)


def at(seconds: float = 0, *, days: float = 0) -> datetime:
    return START + timedelta(seconds=seconds, days=days)


def _store_with_completed_first_request() -> IdempotencyStore:
    store = IdempotencyStore(TTL)
    assert store.begin(SCOPE, fingerprint(BODY), at(0)).proceed
    store.complete(SCOPE, RESPONSE)
    return store


def test_first_request_proceeds():
    """000: a new key is processed normally."""
    begin = IdempotencyStore(TTL).begin(SCOPE, fingerprint(BODY), at(0))
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
    assert begin.refusal == "reused"


def test_same_key_while_the_first_is_in_flight_is_key_in_use():
    """decisions (IETF draft): same key while the first request is in flight -> 409 IDEMPOTENCY_KEY_IN_USE."""
    store = IdempotencyStore(TTL)
    store.begin(SCOPE, fingerprint(BODY), at(0))
    begin = store.begin(SCOPE, fingerprint(BODY), at(1))
    assert begin.refusal == "in_use"


def test_replay_lasts_its_ttl_then_the_key_expires():
    """The first answer is replayed until the TTL runs out, then the key is new again."""
    store = _store_with_completed_first_request()
    assert store.begin(SCOPE, fingerprint(BODY), at(24 * 3600 - 1)).replay == RESPONSE
    begin = store.begin(SCOPE, fingerprint(BODY), at(24 * 3600 + 1))
    assert begin.proceed


def test_expired_key_may_be_reused_with_another_body():
    """After the TTL the key is no longer remembered (no reuse refusal)."""
    store = _store_with_completed_first_request()
    assert store.begin(SCOPE, fingerprint({"name": "other", "channel": "sms"}), at(0, days=2)).proceed


def test_keys_are_scoped_by_tenant_and_operation():
    """decisions: keys are scoped to (tenant, operation, campaign path)."""
    store = _store_with_completed_first_request()
    assert store.begin((T2, *SCOPE[1:]), fingerprint({"x": 1}), at(1)).proceed
    assert store.begin((T1, "cloneThing", "/v1/things/c-1/clone", KEY), fingerprint({}), at(1)).proceed


def test_abandoned_request_frees_the_key():
    """decisions: only responses of requests that reached a decision are stored."""
    store = IdempotencyStore(TTL)
    store.begin(SCOPE, fingerprint(BODY), at(0))
    store.abandon(SCOPE)
    assert store.begin(SCOPE, fingerprint({"other": True}), at(1)).proceed


def test_error_responses_are_stored_and_replayed():
    """decisions: errors from the model are stored and replayed like successes."""
    store = IdempotencyStore(TTL)
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


def test_expiry_keeps_younger_keys():
    """Expiry drops only keys older than the TTL, oldest first."""
    store = IdempotencyStore(TTL)
    old, young = SCOPE, (T1, "createThing", "/v1/things", "other-key")
    store.begin(old, fingerprint(BODY), at(0))
    store.begin(young, fingerprint(BODY), at(3600))
    store.expire(at(TTL + 1))
    assert list(store.entries) == [young]


def test_fingerprint_survives_lone_surrogates():
    """A body the API refuses as text must still be fingerprinted without an exception."""
    assert fingerprint({"name": "x \ud800"}) != fingerprint({"name": "x"})
