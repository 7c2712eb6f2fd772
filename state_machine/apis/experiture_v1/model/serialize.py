"""The world as JSON-ready data and back (the mock's GET/PUT /__mock/state, its --state-file, its Redis store).

An import is checked whole before it is used (`world_from_data` raises ValueError naming the first
problem): the record shapes (kernel serialize), unique ids, the enumerations, and the references (a
template, audience or campaign belongs to a tenant that exists; a campaign's template and audiences exist
in its own tenant), and the times a model computes with (years 1970-2999, as the spec's formats).
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timezone
from typing import Any

from state_machine.kernel.serialize import encode, record
from state_machine.kernel.times import parse_date, zone

from . import values
from .index import Campaigns
from .records import Audience, Campaign, Template, Tenant, World

FORMAT_VERSION = 1


def world_to_data(world: World) -> dict[str, Any]:
    return {
        "formatVersion": FORMAT_VERSION,
        "tenants": [encode(t) for t in world.tenants.values()],
        "templates": [encode(t) for t in world.templates.values()],
        "audiences": [encode(a) for a in world.audiences.values()],
        "campaigns": [encode(c) for c in world.campaigns.values()],
    }


def world_snapshot(world: World) -> tuple[dict[str, Any], ...]:
    """The world's records as of now: shallow copies of its dicts (records are frozen and replaced, never
    mutated), cheap enough to take under the mock's lock; `world_stream` encodes it afterwards."""
    return (dict(world.tenants), dict(world.templates), dict(world.audiences), dict.copy(world.campaigns))


def world_stream(snapshot: tuple[dict[str, Any], ...]) -> Iterator[tuple[str, Any]]:
    """`world_to_data` of a snapshot, key by key, each list a lazy sequence of encoded records."""
    tenants, templates, audiences, campaigns = snapshot
    yield "formatVersion", FORMAT_VERSION
    for key, records in (("tenants", tenants), ("templates", templates), ("audiences", audiences),
                         ("campaigns", campaigns)):
        yield key, (encode(r) for r in records.values())


def world_from_data(data: dict[str, Any]) -> World:
    """The world a `world_to_data` export describes. Raises ValueError on anything else."""
    if not isinstance(data, dict) or data.get("formatVersion") != FORMAT_VERSION:
        raise ValueError(f"expected an object with formatVersion {FORMAT_VERSION}")

    unknown = set(data) - {"formatVersion", "tenants", "templates", "audiences", "campaigns"}
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")

    def many(cls: type, key: str) -> dict[str, Any]:
        rows = data.get(key, [])
        if not isinstance(rows, list):
            raise ValueError(f"{key} must be a list")
        out = {}
        for i, row in enumerate(rows):
            try:
                r = record(cls, row)
            except ValueError as exc:
                raise ValueError(f"{key}[{i}]: {exc}") from None
            if not isinstance(r.id, str) or not r.id:
                raise ValueError(f"{key}[{i}]: id must be a non-empty string")
            if r.id in out:
                raise ValueError(f"{key}[{i}]: duplicate id {r.id!r}")
            out[r.id] = r
        return out

    world = World(tenants=many(Tenant, "tenants"), templates=many(Template, "templates"),
                  audiences=many(Audience, "audiences"), campaigns=Campaigns(many(Campaign, "campaigns")))
    problem = next(world_problems(world), None)
    if problem is not None:
        raise ValueError(problem)
    return world


def world_problems(world: World) -> Iterator[str]:
    """Every inconsistency of a world, as messages naming the record at fault."""
    for tenant in world.tenants.values():
        if tenant.default_timezone is not None and not valid_zone(tenant.default_timezone):
            yield f"tenant {tenant.id}: default_timezone {tenant.default_timezone!r} is not an IANA zone"
    for t in world.templates.values():
        if t.tenant not in world.tenants:
            yield f"template {t.id}: tenant {t.tenant!r} does not exist"
        if t.channel not in values.CHANNELS:
            yield f"template {t.id}: channel {t.channel!r} is not one of {', '.join(values.CHANNELS)}"
        if t.status not in ("published", "draft"):
            yield f"template {t.id}: status {t.status!r} is not published or draft"
    for a in world.audiences.values():
        if a.tenant not in world.tenants:
            yield f"audience {a.id}: tenant {a.tenant!r} does not exist"
        if a.type not in values.AUDIENCE_ENTRY_TYPES:
            yield f"audience {a.id}: type {a.type!r} is not audience or segment"
        if isinstance(a.size, bool) or not isinstance(a.size, int) or a.size < 0:
            yield f"audience {a.id}: size must be a non-negative integer"
    for c in world.campaigns.values():
        where = f"campaign {c.id}"
        if c.tenant not in world.tenants:
            yield f"{where}: tenant {c.tenant!r} does not exist"
        if c.channel not in values.CHANNELS:
            yield f"{where}: channel {c.channel!r} is not one of {', '.join(values.CHANNELS)}"
        if c.authoring_status not in values.AUTHORING_STATUSES:
            yield f"{where}: authoring_status {c.authoring_status!r} is not one of {', '.join(values.AUTHORING_STATUSES)}"
        if c.category not in values.CATEGORIES:
            yield f"{where}: category {c.category!r} is not a category"
        if not isinstance(c.campaign_type, str):
            yield f"{where}: campaign_type must be a string"
        if c.template_id is not None and world.template(c.tenant, c.template_id) is None:
            yield f"{where}: template {c.template_id!r} does not exist in tenant {c.tenant!r}"
        for side, entries in (("include", c.include), ("exclude", c.exclude)):
            for e in entries:
                if world.audience(c.tenant, e.audience_id) is None:
                    yield f"{where}: {side} audience {e.audience_id!r} does not exist in tenant {c.tenant!r}"
                if e.type not in values.AUDIENCE_ENTRY_TYPES:
                    yield f"{where}: {side} entry type {e.type!r} is not audience or segment"
        if c.schedule is not None:
            if c.schedule.mode not in ("now", "at", "batch_on_date"):
                yield f"{where}: schedule mode {c.schedule.mode!r} is not now, at or batch_on_date"
            if not valid_zone(c.schedule.timezone):
                yield f"{where}: schedule timezone {c.schedule.timezone!r} is not an IANA zone"
            if c.schedule.batch_date is not None and not _valid_date(c.schedule.batch_date):
                yield f"{where}: schedule batch_date {c.schedule.batch_date!r} is not a date from 1970 to 2999"
        if c.job is not None:
            if c.job.kind not in ("schedule", "send"):
                yield f"{where}: job kind {c.job.kind!r} is not schedule or send"
            if not valid_zone(c.job.timezone):
                yield f"{where}: job timezone {c.job.timezone!r} is not an IANA zone"
            if c.job.batch_date is not None and not _valid_date(c.job.batch_date):
                yield f"{where}: job batch_date {c.job.batch_date!r} is not a date from 1970 to 2999"
        moments = [c.created_at, c.updated_at, c.audience_bound_at, c.archived_at, c.deleted_at,
                   c.schedule.send_at if c.schedule else None,
                   *((c.job.created_at, c.job.due_at, c.job.send_at) if c.job else ()),
                   c.preflight.evaluated_at if c.preflight else None,
                   c.previous_reach.evaluated_at if c.previous_reach else None]
        if not all(in_years(m) for m in moments if m is not None):
            yield f"{where}: a timestamp is outside the years 1970-2999"


def valid_zone(name: object) -> bool:
    return zone(name) is not None


def _valid_date(value: object) -> bool:
    parsed = parse_date(value)
    return parsed is not None and in_years(parsed)


def in_years(moment: date | datetime) -> bool:
    """Within the years 1970-2999, as the spec's date and date-time formats (contract_spec) accept."""
    try:
        utc_year = moment.astimezone(timezone.utc).year if isinstance(moment, datetime) else moment.year
    except OverflowError:
        return False
    return 1970 <= moment.year <= 2999 and 1970 <= utc_year <= 2999
