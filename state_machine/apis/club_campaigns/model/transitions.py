"""004's transition table, exactly, and the refusal of everything it does not list (CLUB-LIFE-011)."""
from __future__ import annotations

from state_machine.kernel import ApiError

from . import codes
from .values import (
    ACTIONS,
    ACTIVE,
    CANCEL,
    CANCELLED,
    DRAFT,
    EXECUTE,
    PAUSE,
    PAUSED,
    RESUME,
    SCHEDULE,
    SCHEDULED,
)

# (from, action) -> to. The automatic SCHEDULED -> ACTIVE and ACTIVE -> COMPLETED are delivery.settle's.
TABLE: dict[tuple[str, str], str] = {
    (DRAFT, SCHEDULE): SCHEDULED,
    (DRAFT, EXECUTE): ACTIVE,
    (SCHEDULED, CANCEL): CANCELLED,
    (ACTIVE, PAUSE): PAUSED,
    (PAUSED, RESUME): ACTIVE,
    (PAUSED, CANCEL): CANCELLED,
}

# 004's text ("Cancels a scheduled or active campaign") also allows this one; its table does not.
# Both answers are acceptable (CLUB-LIFE-010); the model follows the table.
TEXT_ONLY: dict[tuple[str, str], str] = {(ACTIVE, CANCEL): CANCELLED}


def allowed_actions(status: str) -> list[str]:
    return [a for a in ACTIONS if (status, a) in TABLE]


def target(status: str, action: str) -> str | None:
    return TABLE.get((status, action))


def refusal(campaign_id: str, status: str, action: str) -> ApiError:
    return codes.error(codes.INVALID_TRANSITION,
                       f"campaign {campaign_id} is {status}; {action} is not a transition from {status}",
                       {"currentStatus": status, "allowedActions": allowed_actions(status)})
