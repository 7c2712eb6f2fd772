"""The enumerations of 004, in its own words."""
from __future__ import annotations

DRAFT, SCHEDULED, ACTIVE, PAUSED, COMPLETED, CANCELLED = (
    "DRAFT", "SCHEDULED", "ACTIVE", "PAUSED", "COMPLETED", "CANCELLED")
STATUSES = (DRAFT, SCHEDULED, ACTIVE, PAUSED, COMPLETED, CANCELLED)

ONE_TIME, RECURRING, TRIGGERED, JOURNEY = "ONE_TIME", "RECURRING", "TRIGGERED", "JOURNEY"
TYPES = (ONE_TIME, RECURRING, TRIGGERED, JOURNEY)

EMAIL, SMS = "EMAIL", "SMS"
CHANNELS = (EMAIL, SMS)  # closed to 004's two (decisions.md, CLUB-VAL-004)

# Lifecycle actions, named by the last segment of their path (POST /campaigns/{id}/<action>).
SCHEDULE, EXECUTE, PAUSE, RESUME, CANCEL = "schedule", "execute", "pause", "resume", "cancel"
ACTIONS = (SCHEDULE, EXECUTE, PAUSE, RESUME, CANCEL)

# Interaction types in 004's order, which is also the tie order of interactions at one moment.
SENT, DELIVERED, OPENED, CLICKED, CONVERTED, UNSUBSCRIBED, BOUNCED = (
    "SENT", "DELIVERED", "OPENED", "CLICKED", "CONVERTED", "UNSUBSCRIBED", "BOUNCED")
INTERACTION_TYPES = (SENT, DELIVERED, OPENED, CLICKED, CONVERTED, UNSUBSCRIBED, BOUNCED)
