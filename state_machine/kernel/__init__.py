"""The shared kernel every API model builds on: standard library only, no I/O.

    calls.py        Call (one request as a model sees it), Decision (its answer), Outcome
    errors.py       ApiError: an error answer (status, code, message, details), envelope-free
    ids.py          random UUID v4 text and the test for one (no uuid.UUID objects per request)
    idempotency.py  the Idempotency-Key store: fingerprint, replay, reuse, expiry by time
    times.py        ISO 8601 timestamps and dates, IANA zones

A model imports only this package and the standard library (tests/engine/test_architecture.py).
"""
from .calls import Call, Decision, Outcome
from .errors import ApiError

__all__ = ["ApiError", "Call", "Decision", "Outcome"]
