"""Idempotent requests (000): the same Idempotency-Key and body return the cached response for 24 hours.

Keys are scoped to a tenant, an operation and the resource path (a key is a client's, not global).
What the documents leave open follows the IETF Idempotency-Key draft and Stripe (inferred):
the same key with a different body is refused (422 IDEMPOTENCY_KEY_REUSED); a key whose first request
is still being processed is refused (409 IDEMPOTENCY_KEY_IN_USE); answers are stored whatever their
status once the request reached the model. The store is plain data: its owner serializes access.
"""
from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import codes
from .codes import ApiError
from .times import seconds
from .timing import IDEMPOTENCY_TTL_SECONDS

IDEMPOTENT_OPERATIONS = frozenset({"createCampaign", "cloneCampaign", "createScheduleJob", "createSendJob"})


def key_problem(key: str) -> ApiError | None:
    """000: the key is a UUID v4."""
    try:
        parsed = uuid.UUID(key)
    except (ValueError, AttributeError, TypeError):
        parsed = None
    if parsed is None or parsed.version != 4 or str(parsed) != key.lower():
        return ApiError(codes.IDEMPOTENCY_KEY_INVALID, "Idempotency-Key must be a UUID v4, "
                        "e.g. 9b2f0c4e-6a7d-4c1b-8e3f-2a5d7c9e1b40", {"idempotencyKey": key})
    return None


def fingerprint(body: Any) -> str:
    """A body's identity, independent of key order and whitespace."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class StoredResponse:
    status: int
    body: Any


@dataclass
class _Entry:
    fingerprint: str
    created_at: datetime
    response: StoredResponse | None = None  # None while the first request is in flight


Scope = tuple[str, str, str, str]  # (tenant, operation, path, key)


@dataclass(frozen=True)
class Begin:
    """What to do with an idempotent request: proceed (and later `complete`), replay, or refuse."""

    replay: StoredResponse | None = None
    refusal: ApiError | None = None

    @property
    def proceed(self) -> bool:
        return self.replay is None and self.refusal is None


class IdempotencyStore:
    def __init__(self) -> None:
        self.entries: dict[Scope, _Entry] = {}

    def begin(self, scope: Scope, body_fingerprint: str, now: datetime) -> Begin:
        self._expire(now)
        entry = self.entries.get(scope)
        if entry is None:
            self.entries[scope] = _Entry(body_fingerprint, now)
            return Begin()
        if entry.fingerprint != body_fingerprint:
            return Begin(refusal=ApiError(codes.IDEMPOTENCY_KEY_REUSED, "this Idempotency-Key was already used "
                                          "with a different request body; use a new key for a new request"))
        if entry.response is None:
            return Begin(refusal=ApiError(codes.IDEMPOTENCY_KEY_IN_USE, "a request with this Idempotency-Key "
                                          "is still being processed; retry later"))
        return Begin(replay=entry.response)

    def complete(self, scope: Scope, response: StoredResponse) -> None:
        entry = self.entries.get(scope)
        if entry is not None:
            entry.response = response

    def abandon(self, scope: Scope) -> None:
        """Forget a key whose request never reached a decision (nothing to replay)."""
        entry = self.entries.get(scope)
        if entry is not None and entry.response is None:
            del self.entries[scope]

    def _expire(self, now: datetime) -> None:
        ttl = seconds(IDEMPOTENCY_TTL_SECONDS)
        for scope in [s for s, e in self.entries.items() if now - e.created_at >= ttl]:
            del self.entries[scope]
