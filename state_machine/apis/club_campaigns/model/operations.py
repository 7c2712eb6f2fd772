"""The Club Campaigns API (004), one function per operation.

Each function takes the world and a `Call` (already authenticated and valid for the spec) and returns a
`Decision`: the answer, every answer 004 allows instead (`acceptable`), and the campaign records that
replace the old ones. Nothing is mutated here.

Order of checks on a campaign (004 gives none, so every applicable answer is acceptable, CLUB-ERR-009):

    NOT_FOUND (404: missing or another tenant's)
    -> MANAGED_BY_JOURNEY (409: writes on a JOURNEY campaign)
    -> INVALID_TRANSITION / NOT_EDITABLE (409: the campaign's effective status)
    -> UNKNOWN_REFERENCE / SCHEDULE_INVALID (422)
    -> VALIDATION_FAILED (400: what the schema cannot see: zones, a field of another type)

Every operation works on the campaign as settled at `call.now` (delivery.settle): an action on a campaign
whose scheduledAt has passed acts on an ACTIVE campaign, and commits that too.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from state_machine.kernel import ApiError, Call, Decision, Outcome

from . import codes, delivery, interactions, listing, requests, stats, transitions, views
from .records import Campaign, Pause, World
from .recurrence import next_occurrence
from .values import (
    CANCEL,
    CANCELLED,
    COMPLETED,
    DRAFT,
    EXECUTE,
    JOURNEY,
    PAUSE,
    RECURRING,
    RESUME,
    SCHEDULE,
    TRIGGERED,
)


def success(status: int, data: Any, changes: dict[str, Campaign] | None = None,
            also: Iterable[Outcome] = ()) -> Decision:
    return Decision(status, data=data, acceptable=frozenset({(status, None), *also}), changes=changes or {})


def refuse(problems: list[ApiError], also: Iterable[Outcome] = ()) -> Decision:
    first = problems[0]
    return Decision(first.status, error=first,
                    acceptable=frozenset({(p.status, p.code) for p in problems} | set(also)))


ACTION_OF = {"scheduleCampaign": SCHEDULE, "executeCampaign": EXECUTE, "pauseCampaign": PAUSE,
             "resumeCampaign": RESUME, "cancelCampaign": CANCEL}
WRITES = frozenset({"updateCampaign", *ACTION_OF})
COLLECTION = frozenset({"listCampaigns", "createCampaign"})


def locate(world: World, call: Call) -> Campaign | Decision | None:
    """The campaign the call names, or the refusal it gets whatever its body says: 404 for a missing or
    another tenant's campaign (CLUB-AUTH-004), 409 for a write on a JOURNEY campaign (CLUB-TYPE-005).
    None for the collection operations, which name no campaign."""
    if call.operation in COLLECTION:
        return None
    c = world.campaign(call.tenant, call.resource_id)
    if c is None:
        return refuse([codes.error(codes.NOT_FOUND, f"campaign {call.resource_id} not found")])
    if c.type == JOURNEY and call.operation in WRITES:
        problem = codes.error(codes.MANAGED_BY_JOURNEY, f"campaign {c.id} is part of a journey; manage it via "
                              "the Journeys API", {"journeyId": c.journey_id})
        action = ACTION_OF.get(call.operation)
        status = delivery.status(world, c, call.now)
        # The table may refuse the action too; a server answering that is as right (CLUB-TYPE-005).
        also = ([transitions.refusal(c.id, status, action)]
                if action and transitions.target(status, action) is None else [])
        return refuse([problem, *also])
    return c


def _located(world: World, call: Call) -> Campaign | Decision:
    c = locate(world, call)
    assert c is not None, f"{call.operation} names no campaign"
    return c if isinstance(c, Decision) else delivery.settle(world, c, call.now)


def _tenant_problem(call: Call, named: Any) -> ApiError | None:
    if named == call.tenant:
        return None
    return codes.error(codes.TENANT_FORBIDDEN, f"tenant {named!r} is not the token's tenant", {"tenantId": named})


def _user(world: World, tenant: str) -> str:
    t = world.tenants.get(tenant)
    return t.user if t is not None else f"user_{tenant}"


# --- Campaigns -------------------------------------------------------------------------------------

def list_campaigns(world: World, call: Call) -> Decision:
    forbidden = _tenant_problem(call, call.query.get("tenantId"))
    if forbidden:
        return refuse([forbidden])
    rows = listing.select(world, call.tenant, call.query, call.now)
    return success(200, {"data": [views.list_item(world, c, call.now) for c in rows]})


def create_campaign(world: World, call: Call) -> Decision:
    body = call.body
    forbidden = _tenant_problem(call, body.get("tenantId"))
    if forbidden:  # nothing else can be judged against a tenant the caller may not use
        return refuse([forbidden])
    conflicts = [codes.error(codes.MANAGED_BY_JOURNEY, "JOURNEY campaigns are created via the Journeys API")
                 ] if body.get("type") == JOURNEY else []
    unprocessable = requests.reference_problems(world, call.tenant, body)
    invalid: list[ApiError] = []
    scheduled_at = requests.timestamp(body, "scheduledAt")
    if isinstance(scheduled_at, ApiError):
        invalid.append(scheduled_at)
        scheduled_at = None
    elif scheduled_at is not None and (late := requests.future_problem("scheduledAt", scheduled_at, call.now)):
        unprocessable.append(late)
    club = world.club(call.tenant, body.get("clubId"))
    timezone = body.get("timezone") or (club.timezone if club else None)
    invalid += [p for p in [requests.zone_problem("timezone", body.get("timezone")),
                            requests.zone_problem("schedule.timezone", (body.get("schedule") or {}).get("timezone"))]
                if p]
    problems = conflicts + unprocessable + invalid
    if problems:
        return refuse(problems)
    c = Campaign(
        id=call.new_id("campaign"), tenant=call.tenant, club=body["clubId"], name=body["name"], type=body["type"],
        status=DRAFT, channels=tuple(body["channels"]), created_by=_user(world, call.tenant),
        created_at=call.now, updated_at=call.now, description=body.get("description"),
        segment_id=body.get("segmentId"), email_template_id=body.get("emailTemplateId"),
        sms_template_id=body.get("smsTemplateId"), timezone=timezone, scheduled_at=scheduled_at,
        schedule=requests.schedule(body["schedule"], timezone) if body.get("schedule") else None,
        trigger_event=body.get("triggerEvent"),
        trigger_conditions=dict(body["triggerConditions"]) if body.get("triggerConditions") is not None else None,
    )
    return success(201, views.campaign_object(world, c, call.now), {c.id: c})


def get_campaign(world: World, call: Call) -> Decision:
    c = _located(world, call)
    return c if isinstance(c, Decision) else success(200, views.campaign_object(world, c, call.now))


# PATCH field -> record attribute. Segment and templates are DRAFT-only by 004; the rest of the
# definition by inference (CLUB-UPDATE-004); labels until the campaign is finished (CLUB-UPDATE-005).
ATTRIBUTE = {"name": "name", "description": "description", "segmentId": "segment_id",
             "emailTemplateId": "email_template_id", "smsTemplateId": "sms_template_id", "channels": "channels",
             "timezone": "timezone", "scheduledAt": "scheduled_at", "schedule": "schedule",
             "triggerEvent": "trigger_event", "triggerConditions": "trigger_conditions"}
LABELS = frozenset({"name", "description"})
DEFINITION = frozenset(ATTRIBUTE) - LABELS
TYPE_FIELDS = {"schedule": RECURRING, "triggerEvent": TRIGGERED, "triggerConditions": TRIGGERED}
FINISHED = frozenset({COMPLETED, CANCELLED})


def locked(status: str) -> frozenset[str]:
    """The PATCH fields a campaign in `status` refuses to change."""
    if status == DRAFT:
        return frozenset()
    return frozenset(ATTRIBUTE) if status in FINISHED else DEFINITION


def update_campaign(world: World, call: Call) -> Decision:
    c = _located(world, call)
    if isinstance(c, Decision):
        return c
    body = call.body
    invalid = [codes.invalid(f, f"{f} is a field of {t} campaigns; this one is {c.type}")
               for f, t in TYPE_FIELDS.items() if f in body and c.type != t]
    invalid += [codes.invalid(f, f"{f} cannot be updated") for f in body if f not in ATTRIBUTE]
    values: dict[str, Any] = {}
    for field in (f for f in body if f in ATTRIBUTE):
        if field == "scheduledAt":
            moment = requests.timestamp(body, field)
            if isinstance(moment, ApiError):
                invalid.append(moment)
                continue
            values[field] = moment
        elif field == "schedule":
            values[field] = requests.schedule(body[field], body.get("timezone") or c.timezone)
        elif field == "channels":
            values[field] = tuple(body[field])
        else:
            values[field] = body[field]
    changed = sorted(f for f, v in values.items() if getattr(c, ATTRIBUTE[f]) != v)
    refused = [f for f in changed if f in locked(c.status)]
    same_but_locked = [f for f in values if f not in changed and f in locked(c.status)]
    conflicts = [codes.error(codes.NOT_EDITABLE, f"a {c.status} campaign cannot change {', '.join(refused)}",
                             {"currentStatus": c.status, "fields": refused})] if refused else []
    # Resending a locked field's current value changes nothing; refusing it is a reading too (CLUB-UPDATE-006).
    also = {(409, codes.NOT_EDITABLE)} if same_but_locked else set()
    unprocessable = requests.reference_problems(world, c.tenant, {f: values[f] for f in changed})
    if "scheduledAt" in changed and values["scheduledAt"] is not None:
        late = requests.future_problem("scheduledAt", values["scheduledAt"], call.now)
        unprocessable += [late] if late else []
    invalid += [p for p in [requests.zone_problem("timezone", body.get("timezone")),
                            requests.zone_problem("schedule.timezone", (body.get("schedule") or {}).get("timezone"))]
                if p]
    problems = conflicts + unprocessable + invalid
    if problems:
        return refuse(problems, also)
    if not changed:
        return success(200, views.campaign_object(world, c, call.now), also=also)
    new = c.but(updated_at=call.now, **{ATTRIBUTE[f]: values[f] for f in changed})
    return success(200, views.campaign_object(world, new, call.now), {c.id: new}, also=also)


# --- Lifecycle -------------------------------------------------------------------------------------

def schedule_campaign(world: World, call: Call) -> Decision:
    c = _located(world, call)
    if isinstance(c, Decision):
        return c
    problems: list[ApiError] = []
    if transitions.target(c.status, SCHEDULE) is None:
        problems.append(transitions.refusal(c.id, c.status, SCHEDULE))
    when = requests.timestamp(call.body, "scheduledAt")
    if isinstance(when, ApiError):
        problems.append(when)
        when = None
    else:
        # The body's time, else the campaign's own, else a RECURRING schedule's next occurrence (CLUB-SCHED-002).
        when = when or c.scheduled_at or (next_occurrence(c.schedule, call.now)
                                          if c.type == RECURRING and c.schedule else None)
        if when is None:
            problems.append(codes.error(codes.SCHEDULE_INVALID, "no scheduledAt: send one in the body",
                                        {"field": "scheduledAt"}))
        elif late := requests.future_problem("scheduledAt", when, call.now):
            problems.append(late)
    # Whether a TRIGGERED campaign can be scheduled is open (CLUB-TYPE-007).
    also = {(409, codes.INVALID_TRANSITION)} if c.type == TRIGGERED else set()
    if problems:
        return refuse(problems, also)
    new = c.but(status=transitions.TABLE[(c.status, SCHEDULE)], scheduled_at=when,
                target_count=delivery.target_count(world, c), updated_at=call.now)
    return success(200, {"id": c.id, "status": new.status, "scheduledAt": views.stamp(when),
                         "targetCount": new.target_count}, {c.id: new}, also)


def _transition(action: str, act: Callable[[World, Campaign, Call], tuple[Campaign, dict[str, Any]]]
                ) -> Callable[[World, Call], Decision]:
    """A body-less action: the table's transition from the effective status, or 409 INVALID_TRANSITION."""
    def decide_action(world: World, call: Call) -> Decision:
        return _act(action, act, world, call)
    return decide_action


def _act(action: str, act: Callable[[World, Campaign, Call], tuple[Campaign, dict[str, Any]]],
         world: World, call: Call) -> Decision:
    # Module-level, not inside _transition's closure: the factory runs at import, so a mutation testing tool
    # that swaps function bodies per test (docs/mutation-testing.md) can only reach a body called per call.
    c = _located(world, call)
    if isinstance(c, Decision):
        return c
    to = transitions.target(c.status, action)
    if to is None:
        also = set()
        if (c.status, action) in transitions.TEXT_ONLY:  # cancel on ACTIVE (CLUB-LIFE-010)
            also.add((200, None))
        return refuse([transitions.refusal(c.id, c.status, action)], also)
    new, data = act(world, c.but(status=to, updated_at=call.now), call)
    return success(200, {"id": c.id, "status": to, **data}, {c.id: new})


def _execute(world: World, c: Campaign, call: Call) -> tuple[Campaign, dict[str, Any]]:
    new = c.but(started_at=call.now, target_count=delivery.target_count(world, c))
    return new, {"startedAt": views.stamp(call.now), "targetCount": new.target_count}


def _pause(world: World, c: Campaign, call: Call) -> tuple[Campaign, dict[str, Any]]:
    sent = delivery.sent_count(world, c, call.now)
    return c.but(pauses=(*c.pauses, Pause(call.now))), {"pausedAt": views.stamp(call.now), "sentCount": sent}


def _resume(world: World, c: Campaign, call: Call) -> tuple[Campaign, dict[str, Any]]:
    last = c.pauses[-1]
    return c.but(pauses=(*c.pauses[:-1], Pause(last.paused_at, call.now))), {"resumedAt": views.stamp(call.now)}


def _cancel(world: World, c: Campaign, call: Call) -> tuple[Campaign, dict[str, Any]]:
    new = c.but(cancelled_at=call.now)
    return new, {"cancelledAt": views.stamp(call.now), "sentCount": delivery.sent_count(world, new, call.now)}


execute_campaign = _transition(EXECUTE, _execute)
pause_campaign = _transition(PAUSE, _pause)
resume_campaign = _transition(RESUME, _resume)
cancel_campaign = _transition(CANCEL, _cancel)


# --- Statistics ------------------------------------------------------------------------------------

def get_stats(world: World, call: Call) -> Decision:
    c = _located(world, call)
    return c if isinstance(c, Decision) else success(200, stats.stats(world, c, call.now))


def _integer(query: dict[str, Any], name: str, default: int, least: int) -> int | ApiError:
    raw = query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = least - 1
    return value if value >= least else codes.invalid(name, f"{name} must be an integer >= {least}")


def get_interactions(world: World, call: Call) -> Decision:
    c = _located(world, call)
    if isinstance(c, Decision):
        return c
    query = dict(call.query)
    skip = _integer(query, "skip", 0, 0)
    take = _integer(query, "take", interactions.DEFAULT_TAKE, 1)
    if isinstance(skip, ApiError) or isinstance(take, ApiError):
        return refuse([p for p in (skip, take) if isinstance(p, ApiError)])
    return success(200, interactions.page(world, c, call.now, query.get("type"), skip, take))


OPERATIONS: dict[str, Callable[[World, Call], Decision]] = {
    "listCampaigns": list_campaigns,
    "createCampaign": create_campaign,
    "getCampaign": get_campaign,
    "updateCampaign": update_campaign,
    "scheduleCampaign": schedule_campaign,
    "executeCampaign": execute_campaign,
    "pauseCampaign": pause_campaign,
    "resumeCampaign": resume_campaign,
    "cancelCampaign": cancel_campaign,
    "getCampaignStats": get_stats,
    "getCampaignInteractions": get_interactions,
}


def decide(world: World, call: Call) -> Decision:
    """The answer the API gives to `call` in `world`. Pure: apply `Decision.changes` to commit it."""
    return OPERATIONS[call.operation](world, call)
