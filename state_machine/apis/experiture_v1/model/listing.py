"""GET /campaigns: filters, search, sort and offset pagination (003; defaults and limits inferred)."""
from __future__ import annotations

import itertools
import sys
from collections.abc import Mapping
from typing import Any

from .index import Campaigns
from .records import Campaign

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
SORT_FIELDS = {"createdAt": "created_at", "updatedAt": "updated_at", "name": "name"}
DEFAULT_SORT, DEFAULT_DIRECTION = "createdAt", "desc"


def select(campaigns: Campaigns, tenant: str, query: Mapping[str, Any]) -> tuple[list[Campaign], dict[str, int]]:
    """The page of campaigns a list query asks for, and its pagination block `{total, limit, offset}`.

    A tenant sees its own campaigns that are not deleted. Without a text search the page is read from the
    world's indexes (index.py); a search filters while walking the same order."""
    status, channel = query.get("status"), query.get("channel")
    needle = str(query["search"]).casefold() if query.get("search") else None
    attr = SORT_FIELDS[query.get("sortBy") or DEFAULT_SORT]
    descending = (query.get("sortDirection") or DEFAULT_DIRECTION) == "desc"
    limit = int(query.get("limit") or DEFAULT_LIMIT)
    offset = int(query.get("offset") or 0)
    matching = (c for c in campaigns.ordered(tenant, attr, descending=descending)
                if (status is None or c.authoring_status == status) and (channel is None or c.channel == channel)
                and (needle is None or needle in c.name.casefold()))
    if needle is None:
        total = campaigns.count(tenant, status, channel)
        # An offset past any index (the spec sets no maximum) is an empty page, not an error.
        page = list(itertools.islice(matching, min(offset, sys.maxsize - limit), min(offset + limit, sys.maxsize)))
    else:
        rows = list(matching)
        total, page = len(rows), rows[offset:offset + limit]
    return page, {"total": total, "limit": limit, "offset": offset}
