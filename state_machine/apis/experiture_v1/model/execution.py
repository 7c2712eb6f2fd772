"""Execution of a committed job (003): states and pipeline counts, derived from the job and `now`.

    scheduled --(due time)--> pending_or_overdue --(start)--> running --(end)--> completed | failed

A send job is due when it is created, so it starts at pending_or_overdue. Counts never increase along
scheduled -> hydrated -> composed -> injected -> sent, and never decrease over time.
"""
from __future__ import annotations

from datetime import datetime

from state_machine.kernel.times import seconds

from .records import Job
from .timing import EXECUTION_RUN_SECONDS, EXECUTION_START_SECONDS
from .values import COUNT_NAMES, PIPELINE


def started_at(job: Job) -> datetime:
    return job.due_at + seconds(EXECUTION_START_SECONDS)


def ended_at(job: Job) -> datetime:
    return started_at(job) + seconds(EXECUTION_RUN_SECONDS)


def execution_state(job: Job | None, now: datetime) -> str:
    if job is None:
        return "not_scheduled"
    if now < job.due_at:
        return "scheduled"
    if now < started_at(job):
        return "pending_or_overdue"
    if now < ended_at(job):
        return "running"
    return "failed" if job.fails else "completed"


def final_counts(planned: int, fails: bool) -> dict[str, int]:
    """Where the records end up. A failing execution loses half of what it injects."""
    hydrated = planned - planned // 500
    composed = hydrated - hydrated // 1000
    injected = composed
    sent = injected // 2 if fails else injected - injected // 1000
    return {"scheduled": planned, "hydrated": hydrated, "composed": composed,
            "injected": injected, "sent": sent, "failed": planned - sent}


def zero_counts() -> dict[str, int]:
    return dict.fromkeys(COUNT_NAMES, 0)


def counts(job: Job | None, now: datetime) -> dict[str, int]:
    """Pipeline counts of the job's execution at `now` (all zero before it starts)."""
    if job is None or now < started_at(job):
        return zero_counts()
    final = final_counts(job.planned, job.fails)
    if now >= ended_at(job):
        return final
    progress = (now - started_at(job)) / seconds(EXECUTION_RUN_SECONDS)
    # Each later stage lags the one before it, so the pipeline never increases along its stages.
    out = {}
    for k, stage in enumerate(PIPELINE):
        share = min(1.0, max(0.0, progress * 1.25 - 0.05 * k))
        out[stage] = int(final[stage] * share)
    out["failed"] = int(final["failed"] * progress)
    return out
