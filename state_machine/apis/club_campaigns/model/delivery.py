"""Delivery as a pure function of a campaign record and the clock (CLUB-LIFE-012, CLUB-DELIV-*).

A campaign's *active time* at a moment is the time since it started, less its pauses. Every count is a
function of active time, so PAUSED freezes progress and resume continues where it stopped, with the rest of
the schedule shifted by the pause (CLUB-RESUME-002). All arithmetic is on integer microseconds, so the n-th
message has one exact moment and reads never disagree by rounding.

    ONE_TIME, JOURNEY  sentCount = floor(targetCount x active / DELIVERY), COMPLETED when it reaches targetCount
    RECURRING          the same per occurrence, one occurrence every period of active time; never completes
    TRIGGERED          no event source is modelled: sends nothing, never completes (CLUB-TYPE-007)
"""
from __future__ import annotations

from datetime import datetime, timedelta

from .records import Campaign, World
from .timing import DELIVERY_SECONDS, PERIOD_SECONDS
from .values import ACTIVE, CANCELLED, COMPLETED, EMAIL, JOURNEY, ONE_TIME, RECURRING, SCHEDULED, SMS

_US = 1_000_000
_DELIVERY_US = DELIVERY_SECONDS * _US
FINITE = frozenset({ONE_TIME, JOURNEY})  # types whose send ends: they complete by themselves


def _us(delta: timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * _US + delta.microseconds


def target_count(world: World, c: Campaign) -> int:
    """Fixed once scheduled or executed; before that, the segment's current size (CLUB-GET-002)."""
    if c.target_count is not None:
        return c.target_count
    segment = world.segment(c.tenant, c.segment_id)
    return segment.size if segment is not None else 0


def primary_channel(c: Campaign) -> str:
    """The channel the top-level counts describe (CLUB-STATS-009)."""
    return EMAIL if EMAIL in c.channels or not c.channels else SMS


# --- active time -----------------------------------------------------------------------------------

def _frozen_at(c: Campaign, now: datetime) -> datetime:
    """The last moment progress can have reached: a cancel or completion stops the clock for good."""
    stop = c.cancelled_at if c.status == CANCELLED else c.completed_at if c.status == COMPLETED else None
    return min(now, stop) if stop is not None else now


def active_us(c: Campaign, moment: datetime) -> int:
    """Microseconds of sending time the campaign had by `moment` (0 before it started)."""
    if c.started_at is None or moment <= c.started_at:
        return 0
    paused = 0
    for p in c.pauses:
        if p.paused_at < moment:
            end = moment if p.resumed_at is None else min(p.resumed_at, moment)
            paused += _us(end - p.paused_at)
    return _us(moment - c.started_at) - paused


def moment_of(c: Campaign, offset_us: int) -> datetime:
    """The wall-clock moment at which the campaign reaches `offset_us` of active time."""
    assert c.started_at is not None
    moment = c.started_at + timedelta(microseconds=offset_us)
    for p in c.pauses:  # oldest first: each earlier pause pushes the moment later
        if p.paused_at < moment:
            if p.resumed_at is None:
                return datetime.max.replace(tzinfo=moment.tzinfo)  # not before the resume
            moment += p.resumed_at - p.paused_at
    return moment


# --- counts ----------------------------------------------------------------------------------------

def sent_by_offset(c: Campaign, target: int, offset: int) -> int:
    """sentCount after `offset` microseconds of active time."""
    if target <= 0 or offset <= 0:
        return 0
    if c.type in FINITE:
        return min(target, target * offset // _DELIVERY_US)
    if c.type == RECURRING and c.schedule is not None:
        period = PERIOD_SECONDS[c.schedule.frequency] * _US
        done, within = divmod(offset, period)
        return done * target + min(target, target * within // _DELIVERY_US)
    return 0  # TRIGGERED


def offset_of_send(c: Campaign, target: int, n: int) -> int:
    """The active time at which the n-th message (1-based) is sent: the least offset with sent >= n."""
    occurrence, index = divmod(n - 1, target)
    first = -(-(index + 1) * _DELIVERY_US // target)  # ceil: sent_by_offset rises to index+1 exactly here
    if c.type == RECURRING and c.schedule is not None:
        return occurrence * PERIOD_SECONDS[c.schedule.frequency] * _US + first
    return first


def sent_count(world: World, c: Campaign, now: datetime) -> int:
    c = settle(world, c, now)
    return sent_by_offset(c, target_count(world, c), active_us(c, _frozen_at(c, now)))


def send_moments(world: World, c: Campaign, now: datetime) -> list[datetime]:
    """When each message sent by `now` was sent, oldest first (n-th at index n-1)."""
    c = settle(world, c, now)
    target = target_count(world, c)
    return [moment_of(c, offset_of_send(c, target, n)) for n in range(1, sent_count(world, c, now) + 1)]


# --- status ----------------------------------------------------------------------------------------

def completion(world: World, c: Campaign) -> datetime | None:
    """When a started finite campaign sends its last message (at its start when there is nobody to send to)."""
    if c.type not in FINITE or c.started_at is None:
        return None
    target = target_count(world, c)
    return moment_of(c, offset_of_send(c, target, target) if target > 0 else 0)


def settle(world: World, c: Campaign, now: datetime) -> Campaign:
    """The record with the automatic transitions up to `now` applied (004's table): SCHEDULED -> ACTIVE at
    scheduledAt, ACTIVE -> COMPLETED at the last message. Reads show it; actions commit it."""
    if c.status == SCHEDULED and c.scheduled_at is not None and now >= c.scheduled_at:
        c = c.but(status=ACTIVE, started_at=c.scheduled_at, target_count=target_count(world, c))
    if c.status == ACTIVE:
        done = completion(world, c)
        if done is not None and done <= now:
            c = c.but(status=COMPLETED, completed_at=done)
    return c


def status(world: World, c: Campaign, now: datetime) -> str:
    return settle(world, c, now).status

