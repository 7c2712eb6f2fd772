"""Frozen dataclass records as JSON-ready data and back: what a world's export and import are made of."""
from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime
from typing import Any

__all__ = ["decode", "encode", "record"]


def encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    return value


def decode(kind: Any, value: Any) -> Any:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        (inner,) = [a for a in typing.get_args(kind) if a is not type(None)]
        return decode(inner, value)
    if origin is tuple:
        inner = typing.get_args(kind)[0]
        return tuple(decode(inner, v) for v in value)
    if kind is datetime:
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError(f"timestamp without offset: {value!r}")
        return parsed
    if dataclasses.is_dataclass(kind):
        return record(typing.cast(type, kind), value)
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
        return cls(**{k: decode(hints[k], v) for k, v in data.items()})
    except TypeError as exc:
        raise ValueError(f"{cls.__name__}: {exc}") from None
