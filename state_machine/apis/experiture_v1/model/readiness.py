"""Is a campaign ready to be committed to execution? Preflight checks and job readiness (001).

001: "The campaign must be a draft with at least one included audience and a published template bound
before a schedule job can be created", plus a current version, a send time, and no preflight blocker.
`job_problems` lists every problem that applies, in the order the model answers them:

    INVALID_FOR_CHANNEL (send-jobs on direct mail) -> NOT_DRAFT -> VERSION_MISSING
    -> AUDIENCE.REQUIRED -> CONTENT.REQUIRED -> send time (schedule-jobs) -> PREFLIGHT_BLOCKERS

The documents give no precedence, so any code of the list is an acceptable answer from another
implementation (NOT_FOUND and TYPE_UNSUPPORTED come before all of these; see operations.py).
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from state_machine.kernel import ApiError

from . import codes
from .reach import reach_status
from .records import Campaign, PreflightCheck, PreflightResult, Tenant, World
from .schedule import JobTiming, job_timing
from .values import DIRECT_MAIL, DRAFT


def preflight_checks(world: World, campaign: Campaign, now: datetime) -> tuple[PreflightCheck, ...]:
    template = world.template(campaign.tenant, campaign.template_id)
    reach = reach_status(world, campaign, now)

    def check(check_id: str, ok: bool, problem: str, fine: str, *, severity: str = "block") -> PreflightCheck:
        return PreflightCheck(check_id, "pass" if ok else severity, fine if ok else problem)

    return (
        check("current_version", campaign.version_id is not None,
              "the campaign has no current version", "a current version exists"),
        check("audience_included", bool(campaign.include),
              "at least one included audience is required", "an included audience is bound"),
        check("audience_reach", reach == "ok",
              f"reach evaluation is {reach}; evaluatedCount may not be current", "reach evaluation is ok",
              severity="warn"),
        check("template_bound", template is not None,
              "no template is bound (PUT /content)", "a template is bound"),
        check("template_published", template is not None and template.published,
              "the bound template is not published" if template else "no published template is bound",
              "the bound template is published"),
        check("template_compliance", template is None or template.compliance_issue is None,
              f"the template fails compliance: {template.compliance_issue}" if template else "",
              "no compliance issue found"),
        check("schedule_intent", campaign.schedule is not None,
              "no schedule intent is saved", "a schedule intent is saved", severity="warn"),
    )


def preflight(world: World, campaign: Campaign, now: datetime) -> PreflightResult:
    checks = preflight_checks(world, campaign, now)
    blocked = any(c.status == "block" for c in checks)
    return PreflightResult("blocked" if blocked else "passed", checks, now)


def job_problems(world: World, campaign: Campaign, tenant: Tenant, body: Mapping[str, Any],
                 now: datetime, *, send: bool) -> tuple[JobTiming | None, list[ApiError], list[ApiError]]:
    """(timing, problems, alternatives) for creating a schedule job (send=False) or send job."""
    problems: list[ApiError] = []
    if send and campaign.channel == DIRECT_MAIL:
        problems.append(codes.error(
            codes.INVALID_FOR_CHANNEL,
            "direct mail cannot be sent immediately; create a schedule job with a batchDate instead",
            {"channel": campaign.channel}))
    if campaign.authoring_status != DRAFT:
        problems.append(codes.error(codes.NOT_DRAFT, f"campaign is {campaign.authoring_status}, not a draft; "
                                 "it can be committed to execution only once",
                                 {"authoringStatus": campaign.authoring_status}))
    if campaign.version_id is None:
        problems.append(codes.error(codes.VERSION_MISSING, "campaign has no current version"))
    if not campaign.include:
        problems.append(codes.error(codes.AUDIENCE_REQUIRED,
                                 "at least one included audience is required (PUT /audience)"))
    template = world.template(campaign.tenant, campaign.template_id)
    if template is None or not template.published:
        problems.append(codes.error(codes.CONTENT_REQUIRED,
                                 "a published template of the campaign's channel must be bound (PUT /content)"))
    timing: JobTiming | None = None
    alternatives: list[ApiError] = []
    if not send:
        timing, timing_problems, alternatives = job_timing(campaign, body, now)
        problems += timing_problems
    elif campaign.channel != DIRECT_MAIL:
        timing = JobTiming(due_at=now, timezone="UTC", send_at=now)
    blockers = [c for c in preflight_checks(world, campaign, now) if c.status == "block"]
    if blockers:
        problems.append(codes.error(codes.PREFLIGHT_BLOCKERS, "preflight found blocking issues: "
                                 + "; ".join(c.message for c in blockers),
                                 {"checks": [{"id": c.id, "status": c.status, "message": c.message}
                                             for c in blockers]}))
    return (None if problems else timing), problems, alternatives
