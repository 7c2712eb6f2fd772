"""Frozen dataclass records as JSON-ready data and back: what a world's export and import are made of."""
from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime
from typing import Any

__all__ = ["decode", "encode", "record"]


_NAMES: dict[type, tuple[str, ...]] = {}  # a dataclass's field names (dataclasses.fields is slow per call)
_HINTS: dict[type, tuple[dict[str, Any], frozenset[str]]] = {}  # a record class's type hints and field names


_PLAIN = frozenset({str, int, float, bool, type(None)})


def encode(value: Any) -> Any:
    kind = type(value)
    if kind in _PLAIN:
        return value
    names = _NAMES.get(kind)
    if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _NAMES[kind] = tuple(f.name for f in dataclasses.fields(value))
    if names is not None:
        return {name: encode(getattr(value, name)) for name in names}
    if dataclasses.is_dataclass(value):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    return value


def decode(kind: Any, value: Any) -> Any:
    """`value` read as `kind` (ValueError when it is not one): a decoder built once per kind."""
    try:
        fn = _DECODERS.get(kind)
    except TypeError:  # an unhashable kind
        return _decode(kind, value)
    if fn is None:
        fn = _DECODERS[kind] = _decoder(kind)
    return fn(value)


_DECODERS: dict[Any, Any] = {}


def _decoder(kind: Any) -> Any:
    """A function doing what `_decode(kind, value)` does, with the type inspection done once."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(kind) if a is not type(None)]
        if len(inner) != 1:
            return lambda value: _decode(kind, value)
        return lambda value, inner=inner[0]: None if value is None else decode(inner, value)
    if origin is tuple:
        item = typing.get_args(kind)[0]
        return lambda value: tuple(decode(item, v) for v in value)
    if kind is datetime:
        return lambda value: _decode(datetime, value)
    if dataclasses.is_dataclass(kind):
        return lambda value: record(typing.cast(type, kind), value)
    if kind in (str, int, bool):
        def check(value: Any) -> Any:
            if not isinstance(value, kind):
                raise ValueError(f"expected {kind.__name__}, got {value!r}")
            return value
        return check
    return lambda value: value


def _decode(kind: Any, value: Any) -> Any:
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
    cached = _HINTS.get(cls)
    if cached is None:
        cached = _HINTS[cls] = (typing.get_type_hints(cls), frozenset(f.name for f in dataclasses.fields(cls)))
    hints, names = cached
    unknown = set(data) - names
    if unknown:
        raise ValueError(f"{cls.__name__}: unknown fields {sorted(unknown)}")
    try:
        return cls(**{k: decode(hints[k], v) for k, v in data.items()})
    except TypeError as exc:
        raise ValueError(f"{cls.__name__}: {exc}") from None
