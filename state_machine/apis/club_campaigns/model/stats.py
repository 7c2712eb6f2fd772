"""GET /campaigns/{id}/stats: counts, rates, byChannel and the hourly timeline (004, CLUB-STATS-*)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from . import delivery, funnel
from .records import Campaign, World
from .views import stamp


def timeline(world: World, c: Campaign, now: datetime) -> list[dict[str, Any]]:
    """One entry per UTC hour in which something was sent, oldest first. Each send counts in the hour it
    happened, and so does each open it brings (the funnel's opened count rises with sentCount), so the
    sent figures add up to sentCount and the opened ones to openedCount (CLUB-STATS-011)."""
    primary = delivery.primary_channel(c)
    hours: dict[datetime, list[int]] = {}
    opened_before = 0
    for n, moment in enumerate(delivery.send_moments(world, c, now), start=1):
        hour = moment.replace(minute=0, second=0, microsecond=0)
        opened = funnel.counts(n, primary).opened
        bucket = hours.setdefault(hour, [0, 0])
        bucket[0] += 1
        bucket[1] += opened - opened_before
        opened_before = opened
    return [{"hour": stamp(h), "sent": s, "opened": o} for h, (s, o) in sorted(hours.items())]


def stats(world: World, c: Campaign, now: datetime) -> dict[str, Any]:
    c = delivery.settle(world, c, now)
    counts = funnel.counts(delivery.sent_count(world, c, now), delivery.primary_channel(c))
    return {
        "campaignId": c.id, "targetCount": delivery.target_count(world, c),
        "sentCount": counts.sent, "deliveredCount": counts.delivered, "openedCount": counts.opened,
        "clickedCount": counts.clicked, "convertedCount": counts.converted,
        "unsubscribedCount": counts.unsubscribed, "bouncedCount": counts.bounced,
        **funnel.rates(counts),
        "byChannel": funnel.by_channel(counts, c.channels),
        "timeline": timeline(world, c, now),
    }
