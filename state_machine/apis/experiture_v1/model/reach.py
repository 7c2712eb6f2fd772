"""Reach evaluation of a campaign's audience (002).

Binding an audience restarts evaluation: `pending` until it finishes, then `ok` with a fresh
evaluatedCount, or `failed` keeping the previous count ("Previous count (if any) is preserved").
Nothing runs in the background: the status is derived from when the audience was bound and `now`.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from state_machine.kernel.times import iso, seconds

from .records import AudienceEntry, Campaign, ReachSnapshot, World
from .timing import REACH_EVALUATION_SECONDS


def audience_size(world: World, campaign: Campaign) -> int:
    """Profiles the bindings reach: included sizes less half the excluded ones (a simulation; the
    documents give no formula). Audiences unknown to the tenant count as empty."""
    def size(entries: tuple[AudienceEntry, ...]) -> int:
        total = 0
        for e in entries:
            a = world.audience(campaign.tenant, e.audience_id)
            total += a.size if a else 0
        return total

    return max(0, size(campaign.include) - size(campaign.exclude) // 2)


def evaluation_fails(world: World, campaign: Campaign) -> bool:
    return any(
        (a := world.audience(campaign.tenant, e.audience_id)) is not None and a.reach_fails
        for e in campaign.include + campaign.exclude
    )


def finished_at(campaign: Campaign) -> datetime | None:
    if campaign.audience_bound_at is None:
        return None
    return campaign.audience_bound_at + seconds(REACH_EVALUATION_SECONDS)


def reach_status(world: World, campaign: Campaign, now: datetime) -> str:
    done = finished_at(campaign)
    if done is None or not campaign.include:
        return "idle"
    if now < done:
        return "pending"
    return "failed" if evaluation_fails(world, campaign) else "ok"


def snapshot_before_rebind(world: World, campaign: Campaign, now: datetime) -> ReachSnapshot | None:
    """The count a new binding's evaluation starts from: the current one if it finished ok."""
    if reach_status(world, campaign, now) == "ok":
        finished = finished_at(campaign)
        assert finished is not None  # an "ok" evaluation has finished
        return ReachSnapshot(audience_size(world, campaign), finished)
    return campaign.previous_reach


def reach_view(world: World, campaign: Campaign, now: datetime) -> dict[str, Any]:
    status = reach_status(world, campaign, now)
    if status == "ok":
        return {"status": "ok", "evaluatedCount": audience_size(world, campaign),
                "evaluatedAt": iso(finished_at(campaign)), "isStale": False}
    prev = campaign.previous_reach if status != "idle" or campaign.include else None
    return {
        "status": status,
        "evaluatedCount": prev.count if prev else None,
        "evaluatedAt": iso(prev.evaluated_at) if prev else None,
        "isStale": prev is not None,
    }
