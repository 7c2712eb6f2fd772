"""The API's enumerated values (000, 002, 003) and the category rule (000)."""
from __future__ import annotations

from collections.abc import Iterable

SUPPORTED_CAMPAIGN_TYPE = "broadcast"  # 000: "Public Campaigns v1 supports broadcast campaign type only"

CHANNELS = ("email", "sms", "push", "direct_mail")
DIGITAL_CHANNELS = ("email", "sms", "push")
DIRECT_MAIL = "direct_mail"

CATEGORIES = (
    "acquisition", "nurturing", "retention", "reactivation", "seasonal",
    "product", "event", "template", "updates", "general",
)
DEFAULT_CATEGORY = "general"

AUTHORING_STATUSES = ("draft", "published", "archived")  # archived is inferred
DRAFT, PUBLISHED, ARCHIVED = AUTHORING_STATUSES

AUDIENCE_ENTRY_TYPES = ("audience", "segment")
MAX_INCLUDE, MAX_EXCLUDE = 25, 25  # 002

REACH_STATUSES = ("idle", "pending", "ok", "failed")  # 002
EXECUTION_STATES = ("not_scheduled", "scheduled", "pending_or_overdue", "running", "completed", "failed")
TERMINAL_EXECUTION_STATES = ("completed", "failed")
PIPELINE = ("scheduled", "hydrated", "composed", "injected", "sent")  # counts never increase along it
COUNT_NAMES = PIPELINE + ("failed",)


def normalize_category(value: object) -> str:
    """000: "Invalid or omitted categories default to general"."""
    return value if isinstance(value, str) and value in CATEGORIES else DEFAULT_CATEGORY


def tags_with_category(tags: Iterable[str], category: str) -> tuple[str, ...]:
    """000: "The category is also automatically added to the campaign's tags array"."""
    kept = tuple(dict.fromkeys(tags))
    return kept if category in kept else kept + (category,)
