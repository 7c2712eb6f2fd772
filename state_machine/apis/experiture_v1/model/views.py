"""What the API shows of a campaign: the campaign object, summary (003), status (003), metrics (003),
list items, job results (001) and preflight results. Pure projections of records and `now`."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from state_machine.kernel.times import iso

from .execution import counts, ended_at, execution_state, started_at
from .reach import reach_view
from .records import AudienceEntry, Campaign, Job, PreflightResult, ScheduleIntent, World

BASE_PATH = "/public/v1"


def _self_link(campaign: Campaign, suffix: str = "") -> dict[str, str]:
    return {"self": f"{BASE_PATH}/campaigns/{campaign.id}{suffix}"}


def schedule_object(intent: ScheduleIntent | None) -> dict[str, Any] | None:
    """001 "Schedule Object Variants", discriminated by kind."""
    if intent is None:
        return None
    if intent.kind == "direct_mail_batch":
        return {"kind": intent.kind, "mode": intent.mode, "batchDate": intent.batch_date,
                "timezone": intent.timezone, "timezoneSource": intent.timezone_source, "scheduled": True}
    return {"kind": intent.kind, "mode": intent.mode, "sendAt": iso(intent.send_at),
            "timezone": intent.timezone, "scheduled": intent.mode == "at"}


def _bindings(world: World, campaign: Campaign, entries: tuple[AudienceEntry, ...]) -> list[dict[str, Any]]:
    out = []
    for e in entries:
        a = world.audience(campaign.tenant, e.audience_id)
        # 003: "Audience member counts are intentionally redacted in public summaries".
        out.append({"id": e.audience_id, "name": a.name if a else None, "type": e.type, "memberCount": None})
    return out


def audience_block(world: World, campaign: Campaign, now: datetime) -> dict[str, Any]:
    return {"included": _bindings(world, campaign, campaign.include),
            "excluded": _bindings(world, campaign, campaign.exclude),
            "reach": reach_view(world, campaign, now)}


def content_block(world: World, campaign: Campaign) -> dict[str, Any]:
    t = world.template(campaign.tenant, campaign.template_id)
    template = None if t is None else {"id": t.id, "name": t.name, "status": t.status, "channel": t.channel}
    return {"template": template, "proofStatus": "unavailable"}


def campaign_object(world: World, campaign: Campaign, now: datetime) -> dict[str, Any]:
    return {
        "campaignId": campaign.id,
        "name": campaign.name,
        "description": campaign.description,
        "campaignType": campaign.campaign_type,
        "channel": campaign.channel,
        "authoringStatus": campaign.authoring_status,
        "settings": {"category": campaign.category},
        "tags": list(campaign.tags),
        "currentVersionId": campaign.version_id,
        "audience": audience_block(world, campaign, now),
        "content": content_block(world, campaign),
        "schedule": schedule_object(campaign.schedule),
        "createdAt": iso(campaign.created_at),
        "updatedAt": iso(campaign.updated_at),
        "archivedAt": iso(campaign.archived_at),
        "links": _self_link(campaign),
    }


def preflight_view(campaign: Campaign, result: PreflightResult) -> dict[str, Any]:
    return {"campaignId": campaign.id, "status": result.status,
            "checks": [{"id": c.id, "status": c.status, "message": c.message} for c in result.checks],
            "evaluatedAt": iso(result.evaluated_at)}


def _last_execution_at(job: Job | None, now: datetime) -> str | None:
    return iso(started_at(job)) if job is not None and now >= started_at(job) else None


def summary(world: World, campaign: Campaign, now: datetime) -> dict[str, Any]:
    state = execution_state(campaign.job, now)
    started = campaign.job is not None and now >= started_at(campaign.job)
    pre = campaign.preflight
    return {
        "campaignId": campaign.id,
        "name": campaign.name,
        "campaignType": campaign.campaign_type,
        "channel": campaign.channel,
        "authoringStatus": campaign.authoring_status,
        "createdAt": iso(campaign.created_at),
        "updatedAt": iso(campaign.updated_at),
        "schedule": schedule_object(campaign.schedule),
        "audience": audience_block(world, campaign, now),
        "content": content_block(world, campaign),
        "preflight": {"status": pre.status if pre else "not_evaluated",
                      "checks": [{"id": c.id, "status": c.status, "message": c.message}
                                 for c in (pre.checks if pre else ())]},
        "latestExecution": {"status": state, "lastExecutionAt": _last_execution_at(campaign.job, now),
                            "counts": counts(campaign.job, now) if started else None},
        "links": _self_link(campaign, "/summary"),
    }


def status(world: World, campaign: Campaign, now: datetime) -> dict[str, Any]:
    job = campaign.job
    state = execution_state(job, now)
    schedule = None
    last = None
    if job is not None:
        schedule = {"scheduleId": job.schedule_id, "sendAt": iso(job.send_at), "timezone": job.timezone,
                    "active": state in ("scheduled", "pending_or_overdue")}
        if job.batch_date is not None:
            schedule["batchDate"] = job.batch_date
        if now >= started_at(job):
            done = now >= ended_at(job)
            last = {"executionId": job.execution_id, "startedAt": iso(started_at(job)),
                    "completedAt": iso(ended_at(job)) if done else None,
                    "status": state, "counts": counts(job, now)}
    return {"campaignId": campaign.id, "name": campaign.name, "authoringStatus": campaign.authoring_status,
            "schedule": schedule, "execution": {"state": state, "lastExecution": last}}


def metrics(campaign: Campaign, now: datetime) -> dict[str, Any]:
    return {"campaignId": campaign.id, "counts": counts(campaign.job, now),
            "executionState": execution_state(campaign.job, now),
            "lastExecutionAt": _last_execution_at(campaign.job, now)}


def list_item(campaign: Campaign) -> dict[str, Any]:
    return {"campaignId": campaign.id, "name": campaign.name, "campaignType": campaign.campaign_type,
            "channel": campaign.channel, "authoringStatus": campaign.authoring_status,
            "category": campaign.category, "tags": list(campaign.tags),
            "createdAt": iso(campaign.created_at), "updatedAt": iso(campaign.updated_at)}


def job_result(campaign: Campaign, job: Job, *, dry_run: bool) -> dict[str, Any]:
    """001: the dry-run 200 body, or the committed 201 body (digital or direct-mail variant)."""
    data: dict[str, Any] = {
        "journeyId": campaign.id,
        "versionId": job.version_id,
        "status": "published",
        "warnings": [],
        "bindings": [{"journey_version_id": job.version_id, "node_key": "send_1",
                      "manifest_id": job.manifest_id, "placeholder_manifest_id": None,
                      "touchpoint_id": job.touchpoint_id, "channel": campaign.channel}],
    }
    if dry_run:
        data["dryRun"] = True
        return data
    data.update({"manifestId": job.manifest_id, "scheduleId": job.schedule_id, "touchpointId": job.touchpoint_id})
    if job.batch_date is not None:
        data.update({"batchDate": job.batch_date, "timezone": job.timezone})
    else:
        data.update({"sendAt": iso(job.send_at), "timezone": job.timezone})
    return data
