"""The lifecycle, one function per operation of the Campaigns API v1 (000).

Each function takes the world and a `Call` and returns a `Decision`: the answer (status and data, or
an error) plus the campaign records that replace the old ones. Nothing is mutated here, so a caller
that rejects the decision (or a request that fails) leaves no trace.

Order of checks on an existing campaign's operations, the same everywhere:

    NOT_FOUND (404: missing, deleted, another tenant's)
    -> TYPE_UNSUPPORTED / SUMMARY_TYPE_UNSUPPORTED (409, non-broadcast; 000, 003)
    -> SUMMARY_UNAVAILABLE (409, the campaign's persisted state is missing; 002)
    -> NOT_DRAFT (409, configuration is draft-only; 000, 002, 001): a locked campaign is refused whatever
       the request says
    -> the operation's own rules (400: overlap, template, schedule intent)

Schema problems (400 VALIDATION_FAILED and the codes the spec maps) are found before any of these by the
spec layer, so they do not appear here.

Jobs have their own readiness order (readiness.py). `Decision.acceptable` is the set of (status, code)
answers the documents allow: every problem that applies, since the documents give no precedence.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from state_machine.kernel import ApiError, Call, Decision
from state_machine.kernel.times import iso

from . import codes, listing, reach, views
from .readiness import job_problems, preflight
from .records import AudienceEntry, Campaign, Job, Tenant, World
from .schedule import intent_from_request
from .values import (
    ARCHIVED,
    DRAFT,
    MAX_EXCLUDE,
    MAX_INCLUDE,
    PUBLISHED,
    SUPPORTED_CAMPAIGN_TYPE,
    normalize_category,
    tags_with_category,
)


def success(status: int, data: Any, changes: dict[str, Campaign] | None = None, **extra: Any) -> Decision:
    return Decision(status, data=data, acceptable=frozenset({(status, None)}), changes=changes or {},
                    extra=extra)


def refuse(problems: list[ApiError], alternatives: list[ApiError] | tuple[()] = ()) -> Decision:
    first = problems[0]
    allowed = frozenset((p.status, p.code) for p in [*problems, *alternatives])
    return Decision(first.status, error=first, acceptable=allowed)


# Operations that answer the campaign object or its summary, and so need its persisted state (002).
PROJECTING = frozenset({
    "getCampaign", "getCampaignSummary", "updateCampaign", "archiveCampaign", "cloneCampaign",
    "replaceCampaignAudience", "replaceCampaignContent", "setCampaignSchedule",
})
# 000/003: "summary/object reads ... return 409 SUMMARY_TYPE_UNSUPPORTED"; the rest TYPE_UNSUPPORTED.
OBJECT_READS = frozenset({"getCampaign", "getCampaignSummary"})


def locate(world: World, call: Call) -> Campaign | Decision:
    """The campaign the call names, or the refusal every item operation starts with."""
    c = world.campaigns.get(call.resource_id or "")
    if c is None or c.tenant != call.tenant or c.deleted_at is not None:
        return refuse([codes.error(codes.NOT_FOUND, f"campaign {call.resource_id} not found in this tenant")])
    if c.campaign_type != SUPPORTED_CAMPAIGN_TYPE:
        code = codes.SUMMARY_TYPE_UNSUPPORTED if call.operation in OBJECT_READS else codes.TYPE_UNSUPPORTED
        return refuse([codes.error(code, f"campaign type {c.campaign_type!r} is not supported by the public v1 "
                                "API; only broadcast campaigns are", {"campaignType": c.campaign_type})])
    if c.state_missing and call.operation in PROJECTING:
        return refuse([codes.error(codes.SUMMARY_UNAVAILABLE, "campaign is missing required persisted state")])
    return c


def _not_draft(c: Campaign) -> ApiError | None:
    if c.authoring_status == DRAFT:
        return None
    return codes.error(codes.NOT_DRAFT, f"campaign is {c.authoring_status}; configuration is locked once a job "
                    "is created", {"authoringStatus": c.authoring_status})


def _tenant(world: World, call: Call) -> Tenant:
    return world.tenants.get(call.tenant) or Tenant(call.tenant)


# --- Campaign object -------------------------------------------------------------------------------

def create_campaign(world: World, call: Call) -> Decision:
    body = call.body
    campaign_type = body.get("campaignType") or SUPPORTED_CAMPAIGN_TYPE
    if campaign_type != SUPPORTED_CAMPAIGN_TYPE:
        return refuse([codes.error(codes.TYPE_UNSUPPORTED, f"campaign type {campaign_type!r} is not supported by "
                                "the public v1 API; only broadcast campaigns are", {"campaignType": campaign_type})])
    category = normalize_category(body.get("category"))
    c = Campaign(
        id=call.new_id("campaign"), tenant=call.tenant, name=body["name"], channel=body["channel"],
        created_at=call.now, updated_at=call.now, description=body.get("description"),
        category=category, tags=tags_with_category(body.get("tags") or (), category),
        version_id=call.new_id("version"),
    )
    return success(201, views.campaign_object(world, c, call.now), {c.id: c})


def list_campaigns(world: World, call: Call) -> Decision:
    rows, pagination = listing.select(world.campaigns, call.tenant, call.query)
    return success(200, [views.list_item(c) for c in rows], pagination=pagination)


def _read(project: Callable[[World, Campaign, datetime], Any]) -> Callable[[World, Call], Decision]:
    """A read operation: the located campaign, projected by a view."""
    def read(world: World, call: Call) -> Decision:
        return _read_one(project, world, call)
    return read


def _read_one(project: Callable[[World, Campaign, datetime], Any], world: World, call: Call) -> Decision:
    # Module-level, not inside _read's closure: the factory runs at import, so a mutation testing tool
    # that swaps function bodies per test (docs/mutation-testing.md) can only reach a body called per call.
    c = locate(world, call)
    if isinstance(c, Decision):
        return c
    return success(200, project(world, c, call.now))


get_campaign = _read(views.campaign_object)


def update_campaign(world: World, call: Call) -> Decision:
    c = locate(world, call)
    if isinstance(c, Decision):
        return c
    body = call.body
    changes: dict[str, Any] = {"updated_at": call.now}
    for key in ("name", "description"):
        if key in body:
            changes[key] = body[key]
    category = normalize_category(body["category"]) if "category" in body else c.category
    changes["category"] = category
    changes["tags"] = tags_with_category(body["tags"] if "tags" in body else c.tags, category)
    new = c.but(**changes)
    return success(200, views.campaign_object(world, new, call.now), {new.id: new})


def delete_campaign(world: World, call: Call) -> Decision:
    c = locate(world, call)
    if isinstance(c, Decision):
        return c
    new = c.but(deleted_at=call.now)
    return success(200, {"campaignId": c.id, "deleted": True, "deletedAt": iso(call.now)}, {c.id: new})


def archive_campaign(world: World, call: Call) -> Decision:
    c = locate(world, call)
    if isinstance(c, Decision):
        return c
    if c.authoring_status == ARCHIVED:  # archiving again changes nothing
        return success(200, views.campaign_object(world, c, call.now))
    new = c.but(authoring_status=ARCHIVED, archived_at=call.now, updated_at=call.now)
    return success(200, views.campaign_object(world, new, call.now), {c.id: new})


def clone_campaign(world: World, call: Call) -> Decision:
    c = locate(world, call)
    if isinstance(c, Decision):
        return c
    name = call.body.get("name") or (c.name + " (copy)")[:200]
    clone = Campaign(
        id=call.new_id("campaign"), tenant=c.tenant, name=name, channel=c.channel,
        created_at=call.now, updated_at=call.now, campaign_type=c.campaign_type,
        description=c.description, category=c.category, tags=c.tags, version_id=call.new_id("version"),
        include=c.include, exclude=c.exclude, audience_bound_at=call.now if c.include else None,
        template_id=c.template_id, schedule=c.schedule,
    )
    return success(201, views.campaign_object(world, clone, call.now), {clone.id: clone})


# --- Configuration (draft only) --------------------------------------------------------------------

def _entries(raw: Any) -> tuple[AudienceEntry, ...]:
    return tuple(AudienceEntry(e["audienceId"], e["type"]) for e in (raw or ()))


def audience_problems(include: tuple[AudienceEntry, ...], exclude: tuple[AudienceEntry, ...]) -> list[ApiError]:
    """002's constraints that a schema cannot state (the schema holds 1-25 / 0-25 and the entry shape)."""
    problems = []

    def invalid(field_name: str, message: str, **details: Any) -> ApiError:
        return codes.error(codes.VALIDATION_FAILED, message,
                        {"errors": [{"location": "body", "field": field_name, "message": message}], **details})

    if not 1 <= len(include) <= MAX_INCLUDE:
        problems.append(invalid("include", f"include must have 1 to {MAX_INCLUDE} entries"))
    if len(exclude) > MAX_EXCLUDE:
        problems.append(invalid("exclude", f"exclude must have at most {MAX_EXCLUDE} entries"))
    for name, entries in (("include", include), ("exclude", exclude)):
        ids = [e.audience_id for e in entries]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            problems.append(invalid(name, f"{name} names the same audience more than once", reason="duplicate",
                                    audienceIds=repeated))
    overlap = sorted({e.audience_id for e in include} & {e.audience_id for e in exclude})
    if overlap:
        problems.append(invalid("exclude", "the same audience cannot be both included and excluded",
                                reason="overlap", audienceIds=overlap))
    return problems


def replace_audience(world: World, call: Call) -> Decision:
    c = locate(world, call)
    if isinstance(c, Decision):
        return c
    include, exclude = _entries(call.body.get("include")), _entries(call.body.get("exclude"))
    problems = [e for e in [_not_draft(c)] if e] + audience_problems(include, exclude)
    if problems:
        return refuse(problems)
    # 002: a full replacement, and reach evaluation restarts.
    new = c.but(include=include, exclude=exclude, audience_bound_at=call.now,
                previous_reach=reach.snapshot_before_rebind(world, c, call.now), preflight=None,
                updated_at=call.now)
    return success(200, views.campaign_object(world, new, call.now), {c.id: new})


def replace_content(world: World, call: Call) -> Decision:
    c = locate(world, call)
    if isinstance(c, Decision):
        return c
    template_id = call.body.get("templateId")
    template = world.template(c.tenant, template_id)
    problems = [e for e in [_not_draft(c)] if e]
    if template is None:
        problems.append(codes.error(codes.TEMPLATE_NOT_FOUND, f"template {template_id} not found in this tenant",
                                 {"templateId": template_id}))
    elif template.channel != c.channel:
        problems.append(codes.error(codes.CHANNEL_MISMATCH, f"template {template_id} is for {template.channel}, "
                                 f"the campaign's channel is {c.channel}",
                                 {"templateId": template_id, "templateChannel": template.channel,
                                  "channel": c.channel}))
    if problems:
        return refuse(problems)
    assert template is not None  # a missing template is a problem above
    new = c.but(template_id=template.id, preflight=None, updated_at=call.now)
    return success(200, views.campaign_object(world, new, call.now), {c.id: new})


def set_schedule(world: World, call: Call) -> Decision:
    c = locate(world, call)
    if isinstance(c, Decision):
        return c
    intent = intent_from_request(c, call.body, _tenant(world, call), call.now)
    problems = [e for e in [_not_draft(c)] if e] + (intent if isinstance(intent, list) else [])
    if problems:
        return refuse(problems)
    new = c.but(schedule=intent, preflight=None, updated_at=call.now)
    return success(200, views.campaign_object(world, new, call.now), {c.id: new})


# --- Execution -------------------------------------------------------------------------------------

def run_preflight(world: World, call: Call) -> Decision:
    c = locate(world, call)
    if isinstance(c, Decision):
        return c
    result = preflight(world, c, call.now)
    new = c.but(preflight=result)
    return success(200, views.preflight_view(c, result), {c.id: new})


def _create_job(world: World, call: Call, *, send: bool) -> Decision:
    c = locate(world, call)
    if isinstance(c, Decision):
        return c
    timing, problems, alternatives = job_problems(world, c, _tenant(world, call), call.body, call.now, send=send)
    if problems:
        return refuse(problems, alternatives)
    assert timing is not None and c.version_id is not None  # both are problems above when missing
    dry_run = bool(call.body.get("dryRun"))
    ids = call.new_id
    job = Job(
        kind="send" if send else "schedule", created_at=call.now, due_at=timing.due_at,
        timezone=timing.timezone, version_id=c.version_id, schedule_id=ids("schedule"),
        manifest_id=ids("manifest"), execution_id=ids("execution"), touchpoint_id=int(ids("touchpoint")),
        planned=reach.audience_size(world, c), fails=_execution_fails(world, c),
        send_at=timing.send_at, batch_date=timing.batch_date,
    )
    data = views.job_result(c, job, dry_run=dry_run)
    data["warnings"] = [{"code": check.id, "message": check.message}
                        for check in preflight(world, c, call.now).checks if check.status == "warn"]
    # An ignored field (001: "Not used") might be refused by another implementation instead.
    also = frozenset((a.status, a.code) for a in alternatives)
    if dry_run:  # 001: "validates and returns 200 without committing execution artifacts"
        return replace(success(200, data), acceptable=frozenset({(200, None)}) | also)
    new = c.but(job=job, authoring_status=PUBLISHED, updated_at=call.now)
    return replace(success(201, data, {c.id: new}), acceptable=frozenset({(201, None)}) | also)


def _execution_fails(world: World, c: Campaign) -> bool:
    return any((a := world.audience(c.tenant, e.audience_id)) is not None and a.execution_fails
               for e in c.include)


def create_schedule_job(world: World, call: Call) -> Decision:
    return _create_job(world, call, send=False)


def create_send_job(world: World, call: Call) -> Decision:
    return _create_job(world, call, send=True)


# --- Observability ---------------------------------------------------------------------------------

get_summary = _read(views.summary)
get_status = _read(views.status)
get_metrics = _read(lambda world, c, now: views.metrics(c, now))


OPERATIONS: dict[str, Callable[[World, Call], Decision]] = {
    "createCampaign": create_campaign,
    "listCampaigns": list_campaigns,
    "getCampaign": get_campaign,
    "updateCampaign": update_campaign,
    "deleteCampaign": delete_campaign,
    "archiveCampaign": archive_campaign,
    "cloneCampaign": clone_campaign,
    "replaceCampaignAudience": replace_audience,
    "replaceCampaignContent": replace_content,
    "setCampaignSchedule": set_schedule,
    "runCampaignPreflight": run_preflight,
    "createScheduleJob": create_schedule_job,
    "createSendJob": create_send_job,
    "getCampaignSummary": get_summary,
    "getCampaignStatus": get_status,
    "getCampaignMetrics": get_metrics,
}


def decide(world: World, call: Call) -> Decision:
    """The answer the API gives to `call` in `world`. Pure: apply `Decision.changes` to commit it."""
    return OPERATIONS[call.operation](world, call)
