"""GET /campaigns/{id}/interactions: one interaction per counted event (CLUB-INTER-005), paged.

Interactions are derived, never stored: the n-th send goes to segment member (n-1) mod targetCount, and
each funnel count that rises at the n-th send adds one interaction of its type at that send's moment. So
the total per type equals the stats count at the same moment, occurredAt lies in the delivery window, and
the order (moment, then 004's type order) is stable for paging (CLUB-INTER-006).
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from . import delivery, funnel
from .records import Campaign, World
from .values import CLICKED, INTERACTION_TYPES
from .views import stamp

DEFAULT_TAKE = 25  # 004's example meta
MAX_TAKE = 100

_FIRST = ("John", "Thandi", "Pieter", "Aisha", "Sipho", "Megan", "Ravi", "Lerato", "David", "Naledi")
_LAST = ("Smith", "Nkosi", "Botha", "Patel", "Dlamini", "Jacobs", "Naidoo", "Mokoena", "Fourie", "Khumalo")


def customer(population: str, index: int) -> dict[str, str]:
    """The index-th member (0-based) of a segment (or of a campaign without one): a fixed, readable person."""
    first, last = _FIRST[index % 10], _LAST[(index // 10) % 10]
    return {"customerId": f"customer_{population}_{index + 1}",
            "customerEmail": f"{first.lower()}.{last.lower()}.{index + 1}@example.com",
            "customerName": f"{first} {last}"}


def _metadata(c: Campaign, kind: str, index: int) -> dict[str, Any]:
    if kind == CLICKED:
        return {"linkId": f"link_{c.id}_1", "linkUrl": f"https://example.com/offer/{c.id}"}
    return {}


def interactions(world: World, c: Campaign, now: datetime, kind: str | None = None) -> Iterator[dict[str, Any]]:
    """Every interaction by `now` (of one type when `kind` is given), oldest first."""
    c = delivery.settle(world, c, now)
    primary = delivery.primary_channel(c)
    target = delivery.target_count(world, c)
    population = c.segment_id or c.id
    kinds = [k for k in INTERACTION_TYPES if kind in (None, k)]
    before = funnel.by_type(funnel.counts(0, primary))
    for n, moment in enumerate(delivery.send_moments(world, c, now), start=1):
        after = funnel.by_type(funnel.counts(n, primary))
        person = customer(population, (n - 1) % target)
        for k in kinds:
            for index in range(before[k] + 1, after[k] + 1):
                yield {"id": f"interaction_{c.id}_{k.lower()}_{index}", **person, "type": k, "channel": primary,
                       "occurredAt": stamp(moment), "metadata": _metadata(c, k, index)}
        before = after


def page(world: World, c: Campaign, now: datetime, kind: str | None, skip: int, take: int) -> dict[str, Any]:
    """004's `{data, meta {total, skip, take}}`; take above MAX_TAKE is served as MAX_TAKE (CLUB-INTER-004)."""
    take = min(take, MAX_TAKE)
    everything = list(interactions(world, c, now, kind))
    return {"data": everything[skip:skip + take], "meta": {"total": len(everything), "skip": skip, "take": take}}
