"""GET /campaigns: filters, search, sort and offset pagination (003; defaults and limits inferred)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .records import Campaign

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
SORT_FIELDS = {"createdAt": "created_at", "updatedAt": "updated_at", "name": "name"}
DEFAULT_SORT, DEFAULT_DIRECTION = "createdAt", "desc"


def visible(campaigns: Iterable[Campaign], tenant: str) -> list[Campaign]:
    """A tenant sees its own campaigns that are not deleted."""
    return [c for c in campaigns if c.tenant == tenant and c.deleted_at is None]


def select(campaigns: Iterable[Campaign], tenant: str, query: Mapping[str, Any]) -> tuple[list[Campaign], dict[str, int]]:
    """The page of campaigns a list query asks for, and its pagination block `{total, limit, offset}`."""
    rows = visible(campaigns, tenant)
    if query.get("status") is not None:
        rows = [c for c in rows if c.authoring_status == query["status"]]
    if query.get("channel") is not None:
        rows = [c for c in rows if c.channel == query["channel"]]
    if query.get("search"):
        needle = str(query["search"]).casefold()
        rows = [c for c in rows if needle in c.name.casefold()]
    attr = SORT_FIELDS[query.get("sortBy") or DEFAULT_SORT]
    descending = (query.get("sortDirection") or DEFAULT_DIRECTION) == "desc"
    key = (lambda c: (c.name.casefold(), c.id)) if attr == "name" else (lambda c: (getattr(c, attr), c.id))
    rows.sort(key=key, reverse=descending)
    limit = int(query.get("limit") or DEFAULT_LIMIT)
    offset = int(query.get("offset") or 0)
    return rows[offset:offset + limit], {"total": len(rows), "limit": limit, "offset": offset}
