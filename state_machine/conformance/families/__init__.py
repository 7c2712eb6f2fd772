"""Generic rule families: each module's `rules_for(spec, plugin, target)` returns a mixin of Hypothesis rules
for the engine, or None when the spec (or the target's profile) gives it nothing to do.

    access.py       credentials: none, unknown, lacking the scope, another tenant's (operations with security)
    idempotency.py  Idempotency-Key replays, reuse and concurrent creates (operations declaring the header)
    clock.py        moving the target's clock (profiles granting clock_control)
"""
from . import access, clock, idempotency

FAMILIES = (access.rules_for, idempotency.rules_for, clock.rules_for)

__all__ = ["FAMILIES"]
