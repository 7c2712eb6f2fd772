"""API name -> plug-in. The engine asks here; it never imports an API package by name.

Built-in APIs are listed by module path and imported on first use; installed packages add theirs with
an entry point in the group `campaigns_contract.apis` (`name = "package.module:plugin"`); tests add
one with `register()`.
"""
from __future__ import annotations

import importlib
import importlib.util
from importlib.metadata import entry_points

from .plugin import ApiPlugin

DEFAULT_API = "experiture-v1"
ENTRY_POINT_GROUP = "campaigns_contract.apis"
BUILT_IN = {
    "experiture-v1": "state_machine.apis.experiture_v1:plugin",
    "club-campaigns": "state_machine.apis.club_campaigns:plugin",
}

_registered: dict[str, ApiPlugin] = {}


class UnknownApi(LookupError):
    """No plug-in has that name."""


def register(plugin: ApiPlugin) -> ApiPlugin:
    _registered[plugin.name] = plugin
    return plugin


def _sources() -> dict[str, str]:
    found = {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}
    return {**found, **BUILT_IN}


def names() -> list[str]:
    """Every API that can be asked for."""
    return sorted({*_registered, *(n for n, ref in _sources().items() if _importable(ref))})


def _importable(ref: str) -> bool:
    return importlib.util.find_spec(ref.partition(":")[0]) is not None


def get(name: str | None = None) -> ApiPlugin:
    """The plug-in of `name` (default: the Campaigns v1 API)."""
    name = name or DEFAULT_API
    if name in _registered:
        return _registered[name]
    ref = _sources().get(name)
    if ref is None or not _importable(ref):
        raise UnknownApi(f"unknown api {name!r}; known: {', '.join(names())}")
    module, _, attribute = ref.partition(":")
    plugin = getattr(importlib.import_module(module), attribute)
    if not isinstance(plugin, ApiPlugin):
        raise UnknownApi(f"{ref} is not an ApiPlugin")
    return register(plugin)
