"""The mock's delivery pace (not contract: CLUB-DELIV-001 holds only monotony and the bounds).

One hour per send, from 004's own examples: execute at 10:00, pause at 10:30 with 250 of 500 sent.
"""
from __future__ import annotations

DELIVERY_SECONDS = 3600  # a send (ONE_TIME, JOURNEY, one RECURRING occurrence) spreads targetCount over this
PERIOD_SECONDS = {"daily": 86_400, "weekly": 7 * 86_400}  # RECURRING: active time between occurrences
