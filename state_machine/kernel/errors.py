"""An error answer as models and the engine pass it around; each API renders it in its own envelope."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ApiError:
    """A refusal: the HTTP status it travels with, the API's error code, a message and details."""

    code: str
    message: str
    details: Mapping[str, Any] = field(default_factory=dict)
    status: int = field(kw_only=True)
