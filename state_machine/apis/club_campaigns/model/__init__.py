"""The Club Campaigns lifecycle model (004): pure Python, the standard library and state_machine.kernel.

Where to find a rule:
    operations.py    one function per operation (decide, locate) and the order checks are made in
    transitions.py   004's transition table, exactly; INVALID_TRANSITION with currentStatus, allowedActions
    delivery.py      status and sentCount as a function of the record and the clock (automatic transitions)
    funnel.py        counts derived from sentCount; the rates (4 decimals, null on a 0 denominator)
    stats.py         the stats answer: byChannel, hourly timeline
    interactions.py  one interaction per counted event; skip/take paging
    listing.py       list filters and order
    recurrence.py    a RECURRING schedule's next occurrence
    requests.py      timestamps, zones and references the schema cannot judge
    views.py         the campaign object and list item; timestamps
    envelope.py      raw answers and RFC 9457 problem details
    codes.py         the CLUB. error codes, statuses and titles
    records.py       the frozen records and the World
    serialize.py     the world as JSON data and back
    timing.py        the mock's delivery pace
"""
from state_machine.kernel import ApiError, Call, Decision

from .operations import OPERATIONS, decide, locate
from .records import Campaign, Club, Pause, RecurringSchedule, Segment, Template, Tenant, World

__all__ = ["ApiError", "Call", "Campaign", "Club", "Decision", "OPERATIONS", "Pause", "RecurringSchedule",
           "Segment", "Template", "Tenant", "World", "decide", "locate"]
