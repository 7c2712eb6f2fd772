"""Idempotency-Key rules of this API (000): which keys are well formed, and how long a replay lasts.

The store itself (replay, reuse, in-flight, expiry) is the kernel's (state_machine.kernel.idempotency);
which operations take a key is the spec's (the operations that declare an Idempotency-Key header).
"""
from __future__ import annotations

from state_machine.kernel import ApiError
from state_machine.kernel.ids import is_uuid4

from . import codes
from .timing import IDEMPOTENCY_TTL_SECONDS

__all__ = ["IDEMPOTENCY_TTL_SECONDS", "key_problem"]


def key_problem(key: str) -> ApiError | None:
    """000: the key is a UUID v4."""
    if not (isinstance(key, str) and is_uuid4(key)):
        return codes.error(codes.IDEMPOTENCY_KEY_INVALID, "Idempotency-Key must be a UUID v4, "
                           "e.g. 9b2f0c4e-6a7d-4c1b-8e3f-2a5d7c9e1b40", {"idempotencyKey": key})
    return None
