"""One request as a model sees it, and the model's answer to it."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .errors import ApiError

Outcome = tuple[int, "str | None"]  # (HTTP status, error code or None for success)


def _no_ids(kind: str) -> str:
    return f"{kind}-id"


@dataclass(frozen=True)
class Call:
    """A request that is already authenticated, authorized and valid for the spec."""

    operation: str  # operationId
    tenant: str
    now: datetime
    resource_id: str | None = None  # the path's resource id (the API names the parameter, e.g. campaign_id)
    body: Mapping[str, Any] = field(default_factory=dict)
    query: Mapping[str, Any] = field(default_factory=dict)
    # Fresh identifiers, new_id(kind) -> str: injected so a model stays deterministic.
    new_id: Callable[[str], str] = _no_ids


@dataclass(frozen=True)
class Decision:
    """The answer to a call: status and data (or an error), every answer the documents allow instead
    (`acceptable`), and the records that replace the old ones when the answer is committed."""

    status: int
    data: Any = None
    error: ApiError | None = None
    acceptable: frozenset[Outcome] = frozenset()
    changes: Mapping[str, Any] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)  # beside the data, e.g. pagination

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def outcome(self) -> Outcome:
        return (self.status, self.error.code if self.error else None)
