"""The world as JSON-ready data and back (a mock's state export and import)."""
from __future__ import annotations

from typing import Any

from state_machine.kernel.serialize import encode, record

from .records import Campaign, Club, Segment, Template, Tenant, World

FORMAT_VERSION = 1
_TABLES = {"tenants": Tenant, "clubs": Club, "segments": Segment, "templates": Template, "campaigns": Campaign}


def world_to_data(world: World) -> dict[str, Any]:
    return {"formatVersion": FORMAT_VERSION,
            **{key: [encode(row) for row in getattr(world, key).values()] for key in _TABLES}}


def world_from_data(data: Any) -> World:
    """The world a `world_to_data` export describes. Raises ValueError on anything else."""
    if not isinstance(data, dict) or data.get("formatVersion") != FORMAT_VERSION:
        raise ValueError(f"expected an object with formatVersion {FORMAT_VERSION}")
    unknown = set(data) - {"formatVersion", *_TABLES}
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")
    tables: dict[str, dict[str, Any]] = {}
    for key, cls in _TABLES.items():
        rows = data.get(key, [])
        if not isinstance(rows, list):
            raise ValueError(f"{key} must be a list")
        tables[key] = {r.id: r for r in (record(cls, row) for row in rows)}
    return World(**tables)
