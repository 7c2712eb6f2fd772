"""Idempotent requests: the same key and body return the first answer for as long as the API promises.

Keys are scoped by the caller: (tenant, key), a key is a client's, not global. What a key stands for is
the whole request, operation + resource path + body (`request_fingerprint`), as in the IETF
Idempotency-Key draft and Stripe: the same key with another body, or on another operation or resource,
is refused ("reused"); a key whose first request is still being processed is refused ("in_use"); an
answer is stored whatever its status once the request reached the model. Lookup is a dict access and
expiry pops from the front of an insertion-ordered dict, so both stay O(1) per request as keys pile up.
The store is plain data: its owner serializes access.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

Scope = tuple[str, str]  # (tenant, key)


# What json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False) builds per call, built once.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def fingerprint(body: Any) -> str:
    """A body's identity, independent of key order and whitespace."""
    return hashlib.sha256(_CANONICAL(body).encode("utf-8", "surrogatepass")).hexdigest()


def request_fingerprint(operation: str, path: str, body: Any) -> str:
    """A keyed request's identity: the operation, the resource path and the body."""
    return fingerprint({"operation": operation, "path": path, "body": body})


@dataclass
class StoredResponse:
    status: int
    body: Any


@dataclass
class Entry:
    fingerprint: str
    created_at: datetime
    response: StoredResponse | None = None  # None while the first request is in flight


@dataclass(frozen=True)
class Begin:
    """What to do with a keyed request: proceed (then `complete`), replay, or refuse."""

    replay: StoredResponse | None = None
    refusal: Literal["reused", "in_use"] | None = None

    @property
    def proceed(self) -> bool:
        return self.replay is None and self.refusal is None


class IdempotencyStore:
    def __init__(self, ttl_seconds: float) -> None:
        self.ttl = timedelta(seconds=ttl_seconds)
        self.entries: dict[Scope, Entry] = {}  # insertion order is creation order

    def begin(self, scope: Scope, body_fingerprint: str, now: datetime) -> Begin:
        self.expire(now)
        entry = self.entries.get(scope)
        if entry is None:
            self.entries[scope] = Entry(body_fingerprint, now)
            return Begin()
        if entry.fingerprint != body_fingerprint:
            return Begin(refusal="reused")
        if entry.response is None:
            return Begin(refusal="in_use")
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

    def clear(self) -> None:
        self.entries.clear()

    def export(self) -> list[dict[str, Any]]:
        """The answered entries as JSON-ready data, oldest first (in-flight ones are not promised yet)."""
        return [{"tenant": scope[0], "key": scope[1], "fingerprint": e.fingerprint, "createdAt": e.created_at.isoformat(),
                 "status": e.response.status, "body": e.response.body}
                for scope, e in self.entries.items() if e.response is not None]

    def load(self, rows: Any) -> None:
        """Replace the entries with an `export`; ValueError (and nothing changed) when it is not one."""
        entries: dict[Scope, Entry] = {}
        if not isinstance(rows, list):
            raise ValueError("idempotency: expected a list")
        for i, row in enumerate(rows):
            try:
                created = datetime.fromisoformat(row["createdAt"])
                if created.tzinfo is None or not all(isinstance(row[k], str) for k in ("tenant", "key", "fingerprint")) \
                        or isinstance(row["status"], bool) or not isinstance(row["status"], int):
                    raise ValueError
                entries[(row["tenant"], row["key"])] = Entry(row["fingerprint"], created,
                                                             StoredResponse(row["status"], row["body"]))
            except (KeyError, TypeError, ValueError):
                raise ValueError(f"idempotency[{i}]: expected tenant, key, fingerprint, createdAt (with an offset), "
                                 "status and body") from None
        self.entries = dict(sorted(entries.items(), key=lambda item: item[1].created_at))

    def expire(self, now: datetime) -> None:
        while self.entries:
            scope, entry = next(iter(self.entries.items()))
            if now - entry.created_at < self.ttl:
                return
            del self.entries[scope]
