"""The kernel's Idempotency-Key store (state_machine.kernel.idempotency): replay, reuse, in-flight, expiry.

What each API promises on top (its key form, how long a replay lasts, its codes) is tested with the API.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from state_machine.kernel.idempotency import IdempotencyStore, StoredResponse, fingerprint, request_fingerprint

KEY = "9b2f0c4e-6a7d-4c1b-8e3f-2a5d7c9e1b40"
T1, T2 = "tenant-one", "tenant-two"
SCOPE = (T1, KEY)  # a key is the tenant's: the operation and path are part of what it stands for
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


def test_keys_are_scoped_by_tenant():
    """Keys are looked up per client identity (IETF draft): another tenant's identical key is its own."""
    store = _store_with_completed_first_request()
    assert store.begin((T2, KEY), fingerprint({"x": 1}), at(1)).proceed


def test_a_key_reused_on_another_operation_or_resource_is_reused():
    """IETF draft and Stripe: a key stands for one request, operation and resource included."""
    store = IdempotencyStore(TTL)
    first = request_fingerprint("createThing", "/things", BODY)
    assert store.begin(SCOPE, first, at(0)).proceed
    store.complete(SCOPE, RESPONSE)
    assert store.begin(SCOPE, request_fingerprint("createThing", "/things", dict(BODY)), at(1)).replay == RESPONSE
    assert store.begin(SCOPE, request_fingerprint("cloneThing", "/things", BODY), at(1)).refusal == "reused"
    assert store.begin(SCOPE, request_fingerprint("createThing", "/things/c-2", BODY), at(1)).refusal == "reused"


def test_export_and_load_keep_answered_entries_in_order():
    """The store survives a restart (--state-file) and a move between workers: what was answered replays."""
    store = _store_with_completed_first_request()
    store.begin((T1, "in-flight"), fingerprint({}), at(5))  # not answered: not promised, not exported
    copy = IdempotencyStore(TTL)
    copy.load(store.export())
    assert list(copy.entries) == [SCOPE]
    assert copy.begin(SCOPE, fingerprint(BODY), at(60)).replay == RESPONSE
    for bad in ("x", [{"tenant": T1}], [{**store.export()[0], "createdAt": "2026-04-25T10:00:00"}]):
        try:
            copy.load(bad)
        except ValueError:
            pass
        else:
            raise AssertionError(f"accepted {bad!r}")
    assert list(copy.entries) == [SCOPE]  # a refused load changes nothing


def test_lookup_cost_does_not_grow_with_the_number_of_keys():
    """O(1) per request: with 100k live keys a begin touches one entry and expiry pops only what expired
    (counted on the store's dict, not timed)."""

    class CountingDict(dict):
        reads = 0

        def get(self, key, default=None):
            CountingDict.reads += 1
            return super().get(key, default)

        def items(self):
            CountingDict.reads += 1
            return super().items()

    def reads_for_one_begin(n: int) -> int:
        store = IdempotencyStore(TTL)
        store.entries = CountingDict()
        for i in range(n):
            store.entries[(T1, f"k{i}")] = _entry(i)
        CountingDict.reads = 0
        store.begin((T1, "new-key"), fingerprint(BODY), at(n / 1000))
        return CountingDict.reads

    assert reads_for_one_begin(100_000) == reads_for_one_begin(10) <= 3


def _entry(i: int):
    from state_machine.kernel.idempotency import Entry

    return Entry(fingerprint(BODY), at(i / 1000), RESPONSE)


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
    old, young = SCOPE, (T1, "other-key")
    store.begin(old, fingerprint(BODY), at(0))
    store.begin(young, fingerprint(BODY), at(3600))
    store.expire(at(TTL + 1))
    assert list(store.entries) == [young]


def test_fingerprint_survives_lone_surrogates():
    """A body the API refuses as text must still be fingerprinted without an exception."""
    assert fingerprint({"name": "x \ud800"}) != fingerprint({"name": "x"})
