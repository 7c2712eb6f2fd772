"""The world as JSON-ready data and back (the mock's GET/PUT /__mock/state)."""
from __future__ import annotations

from typing import Any

from state_machine.kernel.serialize import encode, record

from .index import Campaigns
from .records import Audience, Campaign, Template, Tenant, World

FORMAT_VERSION = 1


def world_to_data(world: World) -> dict[str, Any]:
    return {
        "formatVersion": FORMAT_VERSION,
        "tenants": [encode(t) for t in world.tenants.values()],
        "templates": [encode(t) for t in world.templates.values()],
        "audiences": [encode(a) for a in world.audiences.values()],
        "campaigns": [encode(c) for c in world.campaigns.values()],
    }


def world_from_data(data: dict[str, Any]) -> World:
    """The world a `world_to_data` export describes. Raises ValueError on anything else."""
    if not isinstance(data, dict) or data.get("formatVersion") != FORMAT_VERSION:
        raise ValueError(f"expected an object with formatVersion {FORMAT_VERSION}")

    def many(cls: type, key: str) -> dict[str, Any]:
        rows = data.get(key, [])
        if not isinstance(rows, list):
            raise ValueError(f"{key} must be a list")
        return {r.id: r for r in (record(cls, row) for row in rows)}

    return World(tenants=many(Tenant, "tenants"), templates=many(Template, "templates"),
                 audiences=many(Audience, "audiences"), campaigns=Campaigns(many(Campaign, "campaigns")))
