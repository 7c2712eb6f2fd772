"""The whole mock state in Redis, so N worker processes behave as one mock (`--store redis://HOST:PORT/DB`).

Keys, under `mock:<api>` (or the namespace given):

    :lock       one lock per mock (SET NX PX with a random token, released by a compare-and-delete script:
                redis-py's Lock) held around every transaction: each request's whole decision
    :state      the snapshot (mock_server.store.snapshot without the records): clock, world, id sequence
    :version    incremented with every write of :state; a worker reloads :state only when it changed
    :idem:<h>   one Idempotency-Key record each, claimed with SET NX and expiring after the API's TTL
    :rate:<h>   a token's rate-limit window: a sorted set of request instants (mock clock), checked and
                appended by one script

A worker keeps its own copy of the state and, inside the lock, compares versions before deciding, so a
read after a write on another worker sees the write (read-your-writes), and a decision is never made on
a stale world.
"""
from __future__ import annotations

import hashlib
import json
import math
import threading
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
BATCH = 500


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:40]


class RedisIdempotency:
    """The kernel store's begin / complete / abandon over Redis keys (same answers, shared by workers)."""

    def __init__(self, client: redis.Redis, prefix: str, ttl_seconds: float) -> None:
        self.redis, self.prefix, self.ttl = client, prefix, timedelta(seconds=ttl_seconds)
        self.pending: dict[Scope, dict[str, Any]] = {}

    def _key(self, scope: Scope) -> str:
        return f"{self.prefix}:idem:{_hash(*scope)}"

    def begin(self, scope: Scope, body_fingerprint: str, now: datetime) -> Begin:
        key = self._key(scope)
        raw = self.redis.get(key)
        if raw is not None:
            entry = json.loads(raw)
            if now - datetime.fromisoformat(entry["createdAt"]) < self.ttl:
                if entry["fingerprint"] != body_fingerprint:
                    return Begin(refusal="reused")
                if entry["response"] is None:
                    return Begin(refusal="in_use")
                return Begin(replay=StoredResponse(**entry["response"]))
            # expired on the mock clock (which a test may have moved on): forgotten
        entry = {"fingerprint": body_fingerprint, "createdAt": now.isoformat(), "response": None}
        # Real-time expiry as well, so keys do not pile up: the API's TTL (mock time can only run ahead).
        px = max(1000, int(self.ttl.total_seconds() * 1000))
        if not self.redis.set(key, json.dumps(entry), px=px, nx=raw is None):
            return Begin(refusal="in_use")  # claimed by another worker between GET and SET
        self.pending[scope] = entry
        return Begin()

    def complete(self, scope: Scope, response: StoredResponse) -> None:
        entry = self.pending.pop(scope, None)
        if entry is not None:
            entry["response"] = {"status": response.status, "body": response.body}
            self.redis.set(self._key(scope), json.dumps(entry, ensure_ascii=False), keepttl=True, xx=True)

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


class RedisStore(Store):
    name = "redis"

    def __init__(self, url: str, *, namespace: str | None = None) -> None:
        self.url, self.namespace = url, namespace
        self.redis = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5)
        self.local = threading.RLock()  # one transaction at a time in this process too
        self.depth = 0
        self.prefix = f"mock:{namespace}" if namespace else ""
        self.reloads = 0
        self.writes = 0

    def _prefix(self, plugin: ApiPlugin) -> str:
        if not self.prefix:
            self.prefix = f"mock:{plugin.name}"
        return self.prefix

    def idempotency(self, plugin: ApiPlugin, ttl_seconds: float) -> RedisIdempotency:
        return RedisIdempotency(self.redis, self._prefix(plugin), ttl_seconds)

    def rate_limiter(self, plugin: ApiPlugin) -> RedisRateLimiter:
        return RedisRateLimiter(self.redis, self._prefix(plugin), plugin)

    def open(self, state: MockState) -> None:
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
    def transaction(self, state: MockState) -> Iterator[None]:
        with self.local:
            if self.depth:
                self.depth += 1
                try:
                    yield
                finally:
                    self.depth -= 1
                return
            lock = self.redis.lock(f"{self.prefix}:lock", timeout=LOCK_TIMEOUT, blocking_timeout=LOCK_WAIT,
                                   sleep=0.0005, thread_local=False)
            if not lock.acquire():
                raise StoreError(f"the mock's Redis lock was not free within {LOCK_WAIT:g} s")
            self.depth = 1
            state.dirty = state.records_dirty = False
            try:
                self._refresh(state)
                yield
                if state.dirty:
                    self._publish(state)
            except BaseException:
                if state.dirty:
                    state.version = None  # our copy may hold half a change: reload it next time
                raise
            finally:
                self.depth = 0
                state.dirty = state.records_dirty = False
                try:
                    lock.release()
                except redis.exceptions.LockError:
                    pass  # expired while held (a transaction of more than LOCK_TIMEOUT): nothing to release

    def _refresh(self, state: MockState) -> None:
        version = self.redis.get(f"{self.prefix}:version")
        if version is None:  # a new (or flushed) Redis: this worker's state is the mock's
            state.idempotency.clear()
            state.rate_limiter.clear()
            self._publish(state)
        elif int(version) != state.version:
            raw = self.redis.get(f"{self.prefix}:state")
            if raw is None:
                raise ValueError("the version is there but the state is not")
            restore(state, json.loads(raw), records=False)
            state.version = int(version)
            self.reloads += 1

    def _publish(self, state: MockState) -> None:
        content = json.dumps(snapshot(state, records=False), ensure_ascii=False, separators=(",", ":"))
        pipe = self.redis.pipeline(transaction=True)
        pipe.set(f"{self.prefix}:state", content.encode("utf-8", "surrogatepass"))
        pipe.incr(f"{self.prefix}:version")
        state.version = int(pipe.execute()[1])
        self.writes += 1

    def close(self, state: MockState) -> None:
        self.redis.close()
