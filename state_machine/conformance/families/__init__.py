"""Generic rule families: each module's `rules_for(spec, plugin, target)` returns a mixin of Hypothesis rules
for the engine, or None when the spec (or the target's profile) gives it nothing to do.

    access.py       credentials: none, unknown, lacking the scope, another tenant's (operations with security)
    idempotency.py  Idempotency-Key replays, reuse and concurrent creates (operations declaring the header)
    clock.py        moving the target's clock (profiles granting clock_control)
    replay.py       replays after a change and at both sides of the promised replay time (keyed operations)
    pagination.py   pages tile the list exactly, whatever the page size (lists with offset paging)
    readback.py     every write read back through every view; replacements replace (reads of a resource)
"""
from . import access, clock, idempotency, pagination, readback, replay

FAMILIES = (access.rules_for, idempotency.rules_for, clock.rules_for, replay.rules_for, pagination.rules_for,
            readback.rules_for)

__all__ = ["FAMILIES"]
