"""The world as JSON-ready data and back (the mock's GET/PUT /__mock/state)."""
from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime
from typing import Any

from .records import Audience, Campaign, Template, Tenant, World

FORMAT_VERSION = 1


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode(kind: Any, value: Any) -> Any:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        (inner,) = [a for a in typing.get_args(kind) if a is not type(None)]
        return _decode(inner, value)
    if origin is tuple:
        inner = typing.get_args(kind)[0]
        return tuple(_decode(inner, v) for v in value)
    if kind is datetime:
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError(f"timestamp without offset: {value!r}")
        return parsed
    if dataclasses.is_dataclass(kind):
        return record(kind, value)
    if kind in (str, int, bool) and not isinstance(value, kind):
        raise ValueError(f"expected {kind.__name__}, got {value!r}")
    return value


def record(cls: type, data: dict[str, Any]) -> Any:
    """One record from its JSON form; unknown or missing required fields raise ValueError."""
    if not isinstance(data, dict):
        raise ValueError(f"{cls.__name__}: expected an object")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = set(data) - names
    if unknown:
        raise ValueError(f"{cls.__name__}: unknown fields {sorted(unknown)}")
    try:
        return cls(**{k: _decode(hints[k], v) for k, v in data.items()})
    except TypeError as exc:
        raise ValueError(f"{cls.__name__}: {exc}") from None


def world_to_data(world: World) -> dict[str, Any]:
    return {
        "formatVersion": FORMAT_VERSION,
        "tenants": [_encode(t) for t in world.tenants.values()],
        "templates": [_encode(t) for t in world.templates.values()],
        "audiences": [_encode(a) for a in world.audiences.values()],
        "campaigns": [_encode(c) for c in world.campaigns.values()],
    }


def world_from_data(data: dict[str, Any]) -> World:
    """The world a `world_to_data` export describes. Raises ValueError on anything else."""
    if not isinstance(data, dict) or data.get("formatVersion") != FORMAT_VERSION:
        raise ValueError(f"expected an object with formatVersion {FORMAT_VERSION}")

    def many(cls, key):
        rows = data.get(key, [])
        if not isinstance(rows, list):
            raise ValueError(f"{key} must be a list")
        return {r.id: r for r in (record(cls, row) for row in rows)}

    return World(tenants=many(Tenant, "tenants"), templates=many(Template, "templates"),
                 audiences=many(Audience, "audiences"), campaigns=many(Campaign, "campaigns"))
