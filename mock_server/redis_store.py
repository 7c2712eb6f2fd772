"""The whole mock state in Redis, so N worker processes behave as one mock (`--store redis://HOST:PORT/DB`).

Keys, under `mock:<api>` (or the namespace given):

    :version    the shared state's version, incremented by every commit
    :state      the base snapshot (mock_server.store.snapshot without the records: clock, world, id sequence)
                as of the last *full* commit (start, reset, import, clock, any change other than a decision's)
    :changed    a hash: every record a decision changed since that full commit, its key -> its latest data
                (the plug-in's change_to_data); base + these = the world now (changes replace by key)
    :order      a list: the keys of :changed in the order they first changed (so a reloaded world holds
                new records in the order the writers' worlds do: listings keep one order across workers)
    :ids        the id sequence (draws per kind) as of the latest commit
    :log:<v>    what commit <v> changed, {"changes": {key: data}, "ids": {...}}; expires after LOG_TTL
    :lock       the write lock (SET NX PX with a random token, released by a compare-and-delete script:
                redis-py's Lock), held around a transaction that may write: its whole decision
    :idem:<h>   one Idempotency-Key record each, claimed with SET NX and expiring after the API's TTL
    :rate:<h>   a token's rate-limit window: a sorted set of request instants (mock clock), checked and
                appended by one script

Every transaction first brings the worker's copy up to date, without the lock: one GET of :version; when
it moved, the log entries since the worker's version are fetched (one MGET) and applied in order, and
when one is missing, expired, garbled or there are too many (MAX_CATCH_UP), the worker reloads the whole
state (base + :changed + :ids in one MULTI). So a read after a write on another worker sees the write
(read-your-writes) and a decision is never made on a stale world. A read (`write=False`) takes no lock; a
write takes the lock first, so writes are serialized, and commits with one script that checks the version
is still the one the decision saw (compare-and-set: it cannot be otherwise under the lock, and a read that
changed something after all is refused rather than committed over another worker's write). A commit costs
the records it changed, not the world: the whole snapshot is written only by full commits.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import math
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import redis

from state_machine.kernel.idempotency import Begin, Scope, StoredResponse
from state_machine.plugin import ApiPlugin, Token

from .auth import rate_limited
from .store import Store, StoreError, restore, snapshot

if TYPE_CHECKING:
    from .state import MockState

LOCK_TIMEOUT = 30.0  # seconds a held lock lives if its holder dies (a transaction takes milliseconds)
LOCK_WAIT = 30.0  # seconds a transaction waits for the lock before answering 500
LOCK_POLL = 0.02  # seconds a waiter waits for a release before it tries again anyway
BATCH = 500


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:40]


class RedisIdempotency:
    """The kernel store's begin / complete / abandon over Redis keys (same answers, shared by workers)."""

    def __init__(self, client: redis.Redis, prefix: str, ttl_seconds: float) -> None:
        self.redis, self.prefix, self.ttl = client, prefix, timedelta(seconds=ttl_seconds)
        self.pending: dict[Scope, dict[str, Any]] = {}
        # Inside a RedisStore transaction, completed records wait here and go with its commit (one round trip)
        self.deferring = False
        self.outbox: list[tuple[str, str]] = []
        self.nx_get = True  # SET NX GET (Redis >= 7.0): claim and read in one round trip

    def _key(self, scope: Scope) -> str:
        return f"{self.prefix}:idem:{_hash(*scope)}"

    def begin(self, scope: Scope, body_fingerprint: str, now: datetime) -> Begin:
        key = self._key(scope)
        entry = {"fingerprint": body_fingerprint, "createdAt": now.isoformat(), "response": None}
        content = json.dumps(entry)
        # Real-time expiry as well, so keys do not pile up: the API's TTL (mock time can only run ahead).
        px = max(1000, int(self.ttl.total_seconds() * 1000))
        claimed = False
        if self.nx_get:
            try:  # claimed when there was none; else the record there
                raw = self.redis.set(key, content, px=px, nx=True, get=True)
                claimed = raw is None
            except redis.ResponseError:  # Redis < 7.0
                self.nx_get = False
        if not self.nx_get:
            raw = self.redis.get(key)
        if raw is not None:
            old = json.loads(raw)
            if now - datetime.fromisoformat(old["createdAt"]) < self.ttl:
                if old["fingerprint"] != body_fingerprint:
                    return Begin(refusal="reused")
                if old["response"] is None:
                    return Begin(refusal="in_use")
                return Begin(replay=StoredResponse(**old["response"]))
            # expired on the mock clock (which a test may have moved on): forgotten
        if not claimed and not self.redis.set(key, content, px=px, nx=raw is None):
            return Begin(refusal="in_use")  # claimed by another worker between GET and SET
        self.pending[scope] = entry
        return Begin()

    def complete(self, scope: Scope, response: StoredResponse) -> None:
        entry = self.pending.pop(scope, None)
        if entry is not None:
            entry["response"] = {"status": response.status, "body": response.body}
            content = json.dumps(entry, ensure_ascii=False)
            if self.deferring:
                self.outbox.append((self._key(scope), content))
            else:
                self.redis.set(self._key(scope), content, keepttl=True, xx=True)

    def abandon(self, scope: Scope) -> None:
        if self.pending.pop(scope, None) is not None:
            self.redis.delete(self._key(scope))

    def clear(self) -> None:
        _delete_matching(self.redis, f"{self.prefix}:idem:*")

    def export(self) -> list[dict[str, Any]]:
        return []  # kept in Redis, not in a state file


# KEYS[1] the window; ARGV: now (ms of mock time), limit, a unique member. Returns -1 when the request is
# admitted (and counted), else the instant (ms) of the oldest request in the window.
RATE_SCRIPT = """
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 60000)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return tonumber(oldest[2])
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
return -1
"""


class RedisRateLimiter:
    """The one-minute window per token (mock_server.auth.RateLimiter), as sorted sets in Redis."""

    def __init__(self, client: redis.Redis, prefix: str, plugin: ApiPlugin) -> None:
        self.redis, self.prefix, self.plugin = client, prefix, plugin
        self.script = client.register_script(RATE_SCRIPT)

    def applies(self, token: Token) -> bool:
        return token.requests_per_minute is not None and self.plugin.codes.rate_limited is not None

    def check(self, token: Token, now: datetime) -> None:
        if not self.applies(token):
            return
        now_ms = int(now.timestamp() * 1000)
        oldest = int(self.script(keys=[f"{self.prefix}:rate:{_hash(token.token)}"],
                                 args=[now_ms, token.requests_per_minute, f"{now_ms}:{uuid.uuid4().hex}"]))
        if oldest >= 0:
            raise rate_limited(self.plugin, token, max(1, math.ceil((oldest + 60000 - now_ms) / 1000)))

    def clear(self) -> None:
        _delete_matching(self.redis, f"{self.prefix}:rate:*")

    def export(self) -> dict[str, list[str]]:
        return {}


def _delete_matching(client: redis.Redis, pattern: str) -> None:
    batch = []
    for key in client.scan_iter(match=pattern, count=BATCH):
        batch.append(key)
        if len(batch) >= BATCH:
            client.delete(*batch)
            batch = []
    if batch:
        client.delete(*batch)


# Sent with EVAL (Redis caches the compiled script; EVALSHA in a redis-py pipeline costs a SCRIPT EXISTS
# round trip per execute).
# KEYS: version, changed, ids, log:<expected + 1>, order, log:<expected + 1 - MAX_CATCH_UP>; ARGV: expected
# version, ids, log entry, log TTL (s), then key/data pairs of the changed records. It deletes the entry
# MAX_CATCH_UP versions back (nobody reads it: a worker that far behind reloads everything), so the log holds
# at most MAX_CATCH_UP entries. Returns the new version, or -1 when the version is not `expected`.
COMMIT_CHANGES = """
if tonumber(redis.call('GET', KEYS[1]) or '-1') ~= tonumber(ARGV[1]) then return -1 end
for i = 5, #ARGV, 2 do
  if redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) == 1 then redis.call('RPUSH', KEYS[5], ARGV[i]) end
end
redis.call('SET', KEYS[3], ARGV[2])
redis.call('SET', KEYS[4], ARGV[3], 'EX', tonumber(ARGV[4]))
redis.call('DEL', KEYS[6])
return redis.call('INCR', KEYS[1])
"""

# KEYS: version, state, changed, ids, order; ARGV: expected version (-1: none yet), the snapshot. Same answers.
COMMIT_FULL = """
if tonumber(redis.call('GET', KEYS[1]) or '-1') ~= tonumber(ARGV[1]) then return -1 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[3], KEYS[4], KEYS[5])
return redis.call('INCR', KEYS[1])
"""

# KEYS: the lock, :version, then log entries; ARGV: a token, the lock's expiry (ms). Takes the lock if it is free
# (SET NX PX) and then answers {1, version, entries...} ('' for a missing key), else {0}.
LOCK = """
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {0} end
local out = {1, redis.call('GET', KEYS[2]) or ''}
for i = 3, #KEYS do out[#out + 1] = redis.call('GET', KEYS[i]) or '' end
return out
"""

# KEYS: the lock, its wake list; ARGV: the holder's token. Deletes the lock only if it is still that holder's,
# and wakes one waiter (a list of at most one element: a release nobody waited for wakes the next one early).
UNLOCK = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('RPUSH', KEYS[2], '1')
redis.call('LTRIM', KEYS[2], 0, 0)
redis.call('PEXPIRE', KEYS[2], 60000)
return 1
"""

LOG_TTL = 600  # seconds a log entry lives at most (a worker further behind reloads the whole state)
MAX_CATCH_UP = 200  # log entries a worker applies one by one; further behind, it reloads the whole state
AHEAD = 4  # log entries fetched with :version, in case they are there (a catch-up without a round trip)


class StaleState(Exception):
    """The log cannot bring this copy up to date (an entry missing, expired or garbled): reload it all."""


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


class RedisStore(Store):
    name = "redis"

    def __init__(self, url: str, *, namespace: str | None = None) -> None:
        self.url, self.namespace = url, namespace
        self.redis = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5)
        self.local = threading.RLock()  # one transaction at a time in this process too
        self.depth = 0
        self.prefix = f"mock:{namespace}" if namespace else ""
        self.reloads = 0  # whole-state loads
        self.caught_up = 0  # log entries applied
        self.writes = 0  # commits of a decision's changes
        self.full_writes = 0  # commits of the whole snapshot

    def _prefix(self, plugin: ApiPlugin) -> str:
        if not self.prefix:
            self.prefix = f"mock:{plugin.name}"
        return self.prefix

    def _key(self, name: str) -> str:
        return f"{self.prefix}:{name}"

    def idempotency(self, plugin: ApiPlugin, ttl_seconds: float) -> RedisIdempotency:
        return RedisIdempotency(self.redis, self._prefix(plugin), ttl_seconds)

    def rate_limiter(self, plugin: ApiPlugin) -> RedisRateLimiter:
        return RedisRateLimiter(self.redis, self._prefix(plugin), plugin)

    def open(self, state: MockState) -> None:
        self._prefix(state.plugin)
        try:
            self.redis.ping()
        except redis.RedisError as exc:
            raise StoreError(f"--store {self.url}: Redis does not answer ({exc})") from None
        try:
            with self.transaction(state):
                pass  # the first worker writes its fixtures; the others load them
        except ValueError as exc:
            raise StoreError(f"--store {self.url}: the state in Redis cannot be loaded: {exc}") from None

    @contextmanager
    def transaction(self, state: MockState, *, write: bool = True) -> Iterator[None]:
        with self.local:
            if self.depth:
                self.depth += 1
                try:
                    yield
                finally:
                    self.depth -= 1
                return
            token = uuid.uuid4().hex.encode() if write else None
            version, ahead = self._begin(state, token)
            self.depth = 1
            state.dirty = state.records_dirty = False
            state.applied.clear()
            idem = state.idempotency if isinstance(state.idempotency, RedisIdempotency) else None
            if idem is not None:
                idem.deferring, idem.outbox = True, []
            sent = False
            try:
                self._refresh(state, version, ahead)
                yield
                committing = state.dirty or bool(state.applied)
                outbox = idem.outbox if idem is not None else []
                if committing or outbox or token is not None:
                    # The commit, the completed Idempotency-Key records and the unlock: one round trip.
                    pipe = self.redis.pipeline(transaction=False)
                    if committing:
                        self._commit(state, pipe)
                    for key, content in outbox:
                        pipe.set(key, content, keepttl=True, xx=True)
                    if token is not None:
                        pipe.eval(UNLOCK, 2, self._key("lock"), self._key("wake"), token)
                    results = pipe.execute()
                    sent, token = True, None
                    if committing:
                        self._settle(state, int(results[0]), [key for key, _ in outbox])
            except BaseException:
                if state.dirty or state.applied:
                    state.version = None  # our copy may hold a change that was not committed: reload it
                if idem is not None and idem.outbox and not sent:  # answers not committed: forget their keys
                    with contextlib.suppress(redis.RedisError):
                        self.redis.delete(*[key for key, _ in idem.outbox])
                raise
            finally:
                self.depth = 0
                state.dirty = state.records_dirty = False
                state.applied.clear()
                if idem is not None:
                    idem.deferring, idem.outbox = False, []
                if token is not None:
                    with contextlib.suppress(redis.RedisError):  # else it expires after LOCK_TIMEOUT
                        self.redis.eval(UNLOCK, 2, self._key("lock"), self._key("wake"), token)

    def _begin(self, state: MockState, token: bytes | None) -> tuple[bytes | None, list[Any]]:
        """A read: :version. A write, in one round trip: the lock (waiting up to LOCK_WAIT for it), :version and
        the next AHEAD log entries after this copy's version (most catch-ups need no round trip of their own)."""
        if token is None:  # a read: a plain GET costs less than a pipeline; the log only when it moved
            return self.redis.get(self._key("version")), []
        deadline = time.monotonic() + LOCK_WAIT
        keys = [self._key("lock"), self._key("version")]
        if state.version is not None:
            keys += [self._key(f"log:{v}") for v in range(state.version + 1, state.version + 1 + AHEAD)]
        while True:
            answer = self.redis.eval(LOCK, len(keys), *keys, token, int(LOCK_TIMEOUT * 1000))
            if answer[0]:
                return answer[1] or None, [entry or None for entry in answer[2:]]
            if time.monotonic() > deadline:
                raise StoreError(f"the mock's Redis lock was not free within {LOCK_WAIT:g} s")
            # Wait for a release (it pushes onto :wake; one waiter is woken per release, first come first
            # served), or LOCK_POLL at most: a holder that died leaves its lock to expire.
            self.redis.blpop([self._key("wake")], timeout=LOCK_POLL)

    # -- bringing this worker's copy up to date
    def _refresh(self, state: MockState, raw: bytes | None, ahead: list[Any]) -> None:
        if raw is None:  # a new (or flushed) Redis: this worker's state is the mock's
            state.idempotency.clear()
            state.rate_limiter.clear()
            state.version = None
            state.changed()  # committed at the end of this transaction (a full commit from no version)
            return
        version = int(raw)
        if version == state.version:
            return
        if state.version is not None and state.version < version <= state.version + MAX_CATCH_UP:
            try:
                self._catch_up(state, version, ahead)
                return
            except StaleState:
                pass
        self._reload(state)

    def _catch_up(self, state: MockState, version: int, ahead: list[Any]) -> None:
        assert state.version is not None
        plugin = state.plugin
        if plugin.change_from_data is None:
            raise StaleState
        behind = version - state.version
        if behind <= len(ahead):
            entries = ahead[:behind]
        else:
            entries = self.redis.mget([self._key(f"log:{v}") for v in range(state.version + 1, version + 1)])
        decoded = []
        try:  # every entry decoded before any is applied: a bad one changes nothing
            for raw in entries:
                if raw is None:
                    raise StaleState
                entry = json.loads(raw)
                changes = {str(k): plugin.change_from_data(v) for k, v in entry["changes"].items()}
                ids = entry["ids"]
                if not isinstance(ids, dict) or not all(isinstance(k, str) and type(n) is int and 0 <= n < 10**7
                                                        for k, n in ids.items()):
                    raise StaleState  # (as restore checks them: a garbled count must not draw ids for ever)
                decoded.append((changes, ids))
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeError):
            raise StaleState from None
        try:
            for changes, ids in decoded:
                plugin.world_apply(state.world, changes)
                state.sync_ids(ids)
        except Exception:
            state.version = None
            raise StaleState from None
        state.version = version
        self.caught_up += len(decoded)

    def _reload(self, state: MockState) -> None:
        pipe = self.redis.pipeline(transaction=True)  # one consistent read (MULTI/EXEC)
        for name in ("version", "state", "ids"):
            pipe.get(self._key(name))
        pipe.hgetall(self._key("changed"))
        pipe.lrange(self._key("order"), 0, -1)
        raw_version, raw_state, raw_ids, changed, order = pipe.execute()
        if raw_version is None or raw_state is None:
            raise ValueError("the version is there but the state is not")
        data = json.loads(raw_state)
        if raw_ids is not None and isinstance(data, dict):
            data["ids"] = json.loads(raw_ids)
        state.version = None
        restore(state, data, records=False)  # all or nothing
        if changed:
            plugin = state.plugin
            if plugin.change_from_data is None:
                raise ValueError("changed records in Redis, but the API has no change_from_data")
            try:
                keys = [k for k in dict.fromkeys(order) if k in changed]
                listed = set(keys)
                keys += [k for k in changed if k not in listed]  # (none: every key is in :order)
                changes = {k.decode("utf-8", "surrogatepass"): plugin.change_from_data(json.loads(changed[k]))
                           for k in keys}
            except (KeyError, TypeError, AttributeError, UnicodeError) as exc:
                raise ValueError(f"a changed record in Redis cannot be loaded: {exc!r}") from None
            plugin.world_apply(state.world, changes)
        state.version = int(raw_version)
        self.reloads += 1

    # -- committing this transaction's changes
    def _commit(self, state: MockState, pipe: Any) -> None:
        """Queue the commit script on `pipe`: the changed records (a log entry) or, for any other change, the
        whole snapshot; both only if :version is still the one this copy reflects."""
        plugin, expected = state.plugin, state.version
        if state.dirty or plugin.change_to_data is None or expected is None:
            content = _json(snapshot(state, records=False))
            pipe.eval(COMMIT_FULL, 5, *[self._key(n) for n in ("version", "state", "changed", "ids", "order")],
                      -1 if expected is None else expected, content)
            self.full_writes += 1
            return
        merged: dict[str, Any] = {}
        for changes in state.applied:
            merged.update(changes)
        encoded = {str(k): plugin.change_to_data(v) for k, v in merged.items()}
        pairs: list[Any] = []
        for k, v in encoded.items():
            pairs += [k, _json(v)]
        pipe.eval(COMMIT_CHANGES, 6, self._key("version"), self._key("changed"), self._key("ids"),
                  self._key(f"log:{expected + 1}"), self._key("order"), self._key(f"log:{expected + 1 - MAX_CATCH_UP}"),
                  expected, _json(state.id_counts), _json({"changes": encoded, "ids": state.id_counts}), LOG_TTL, *pairs)
        self.writes += 1

    def _settle(self, state: MockState, version: int, records: list[str]) -> None:
        if version < 0:  # another worker wrote since this copy was brought up to date: nothing was committed
            state.version = None  # reload it
            if records:  # (under the lock this cannot happen, unless it expired): answers not to replay
                self.redis.delete(*records)
            raise StoreError("the mock's state changed in Redis during a transaction that was to change nothing; "
                             "retry the request")
        state.version = version

    def close(self, state: MockState) -> None:
        self.redis.close()
