"""GET /campaigns: the tenant's campaigns, filtered on club, effective status and type (CLUB-LIST-*)."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from . import delivery
from .records import Campaign, World


def select(world: World, tenant: str, query: Mapping[str, Any], now: datetime) -> list[Campaign]:
    """Every match, newest createdAt first, ties by id (CLUB-LIST-007). An unknown club matches nothing."""
    rows = [c for c in world.campaigns.values() if c.tenant == tenant]
    if query.get("clubId") is not None:
        rows = [c for c in rows if c.club == query["clubId"]]
    if query.get("type") is not None:
        rows = [c for c in rows if c.type == query["type"]]
    if query.get("status") is not None:  # the effective status (CLUB-LIST-006)
        rows = [c for c in rows if delivery.status(world, c, now) == query["status"]]
    rows.sort(key=lambda c: c.id)
    rows.sort(key=lambda c: c.created_at, reverse=True)
    return rows
