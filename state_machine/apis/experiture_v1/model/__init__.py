"""The Campaigns v1 lifecycle model: pure Python, the standard library and state_machine.kernel only.

Where to find a rule:
    operations.py   one function per API operation, and the order checks are made in
    schedule.py     schedule intent per channel, timezone resolution, a schedule job's send time
    readiness.py    what a schedule/send job needs; preflight checks
    reach.py        audience reach evaluation (idle -> pending -> ok | failed)
    execution.py    execution states and pipeline counts
    listing.py      list filters, sort, pagination
    idempotency.py  which Idempotency-Keys are well formed; how long a replay lasts
    envelope.py     the success and error envelopes
    values.py       channels, categories, statuses; the category default
    views.py        the response shapes (campaign object, summary, status, metrics, job results)
    codes.py        the error code namespace and its HTTP statuses
"""
from state_machine.kernel import ApiError, Call, Decision

from .operations import OPERATIONS, decide, locate
from .records import Audience, Campaign, Template, Tenant, World

__all__ = ["ApiError", "Audience", "Call", "Campaign", "Decision", "OPERATIONS", "Template", "Tenant",
           "World", "decide", "locate"]
