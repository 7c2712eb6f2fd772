"""The delivery funnel: counts derived from sentCount, and the rates 004's stats show.

The rates are contract (CLUB-STATS-002..006): each follows the funnel step before it, rounded half up to
4 decimals, null on a zero denominator. The fractions are the mock's: integer floors of fixed fractions, so
every count is monotone in sentCount and each step a subset of the one before (CLUB-STATS-007). They were
chosen so that sentCount 485 gives 004's example exactly: 478 delivered, 215 opened, 89 clicked,
12 converted, 3 unsubscribed, 7 bounced; SMS beside EMAIL 380 sent, 375 delivered, 5 failed.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .values import EMAIL

Fraction = tuple[int, int]
DELIVERED: Fraction = (986, 1000)
OPENED: Fraction = (45, 100)  # of delivered
CLICKED: Fraction = (415, 1000)  # of opened
CONVERTED: Fraction = (14, 100)  # of clicked
UNSUBSCRIBED: Fraction = (7, 1000)  # of delivered
SMS_REACH: Fraction = (784, 1000)  # recipients with a mobile number, when SMS goes beside EMAIL
SMS_DELIVERED: Fraction = (987, 1000)


def part(n: int, fraction: Fraction) -> int:
    return n * fraction[0] // fraction[1]


@dataclass(frozen=True)
class Counts:
    sent: int
    delivered: int
    opened: int
    clicked: int
    converted: int
    unsubscribed: int
    bounced: int


def counts(sent: int, primary: str) -> Counts:
    """The top-level counts of a campaign whose primary channel is `primary` (CLUB-STATS-009)."""
    if primary == EMAIL:
        delivered = part(sent, DELIVERED)
        opened = part(delivered, OPENED)
        clicked = part(opened, CLICKED)
        converted = part(clicked, CONVERTED)
    else:  # SMS has no open tracking, so nothing further down the funnel is measured
        delivered = part(sent, SMS_DELIVERED)
        opened = clicked = converted = 0
    return Counts(sent, delivered, opened, clicked, converted, part(delivered, UNSUBSCRIBED), sent - delivered)


def by_type(c: Counts) -> dict[str, int]:
    """The count each interaction type matches (CLUB-INTER-005)."""
    return {"SENT": c.sent, "DELIVERED": c.delivered, "OPENED": c.opened, "CLICKED": c.clicked,
            "CONVERTED": c.converted, "UNSUBSCRIBED": c.unsubscribed, "BOUNCED": c.bounced}


def rate(numerator: int, denominator: int) -> float | None:
    """numerator / denominator rounded half up to 4 decimals; None when the denominator is 0."""
    if denominator == 0:
        return None
    return float((Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"), ROUND_HALF_UP))


def rates(c: Counts) -> dict[str, float | None]:
    return {"deliveryRate": rate(c.delivered, c.sent), "openRate": rate(c.opened, c.delivered),
            "clickRate": rate(c.clicked, c.opened), "conversionRate": rate(c.converted, c.clicked)}


def sms_sent(sent: int, channels: tuple[str, ...]) -> int:
    return part(sent, SMS_REACH) if EMAIL in channels else sent


def by_channel(c: Counts, channels: tuple[str, ...]) -> dict[str, dict[str, int]]:
    """One entry per channel of the campaign (CLUB-STATS-008)."""
    out: dict[str, dict[str, int]] = {}
    for channel in channels:
        if channel == EMAIL:
            out[EMAIL] = {"sent": c.sent, "delivered": c.delivered, "opened": c.opened, "clicked": c.clicked,
                          "bounced": c.bounced}
        else:
            sent = sms_sent(c.sent, channels)
            delivered = part(sent, SMS_DELIVERED)
            out[channel] = {"sent": sent, "delivered": delivered, "failed": sent - delivered}
    return out
