"""Deliberately faulty variants of the mock, each breaking one documented (or decided) rule.

They are built here, in the tests, by wrapping the app's decisions or rewriting its answers; nothing in
the mock knows about them. The conformance suite must fail on every one (test_faulty_variants.py).
Patching works on what the mock's request handler looks up (its plug-in's `decide`, replaced in that
handler's copy of the plug-in; `mock_server.api.authenticate`, `authorize`), never on the model or the
registered plug-in, which the oracle shares.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pytest

import mock_server.api as mock_api
from mock_server.api import Handler
from state_machine.apis.experiture_v1.model import views
from state_machine.apis.experiture_v1.model.operations import Call, Decision, success
from state_machine.apis.experiture_v1.model.records import World
from state_machine.apis.experiture_v1.model.values import CATEGORIES
from state_machine.kernel.idempotency import Begin, IdempotencyStore
from tests.helpers.rewrite_answers import RewriteAnswers

CONFIGURATION = ("replaceCampaignAudience", "replaceCampaignContent", "setCampaignSchedule")
JOBS = ("createScheduleJob", "createSendJob")


@dataclass(frozen=True)
class Fault:
    name: str
    breaks: str  # what the documents say that this variant gets wrong
    install: Callable[[pytest.MonkeyPatch, Any], Any]  # (monkeypatch, app) -> the app to test


def _with_campaign(world: World, campaign) -> World:
    return World(world.tenants, world.templates, world.audiences, {**world.campaigns, campaign.id: campaign})


def handler_of(app) -> Handler:
    """The request handler behind the app's API route."""
    return next(route.endpoint.__self__ for route in app.routes
                if isinstance(getattr(getattr(route, "endpoint", None), "__self__", None), Handler))


def wrap_decide(fault: Callable[[World, Call, Callable], Decision]):
    def install(monkeypatch: pytest.MonkeyPatch, app):
        handler = handler_of(app)
        original = handler.plugin.decide
        monkeypatch.setattr(handler, "plugin", replace(handler.plugin,
                                                       decide=lambda world, call: fault(world, call, original)))
        return app
    return install


def rewrite(fn):
    def install(monkeypatch: pytest.MonkeyPatch, app):
        return RewriteAnswers(app, fn)
    return install


# --- the faults ----------------------------------------------------------------------------------

def _config_not_locked(world, call, decide):
    c = world.campaigns.get(call.resource_id or "")
    if call.operation in CONFIGURATION and c is not None and c.authoring_status == "published":
        d = decide(_with_campaign(world, c.but(authoring_status="draft")), call)
        return replace(d, changes={k: v.but(authoring_status="published") for k, v in d.changes.items()})
    return decide(world, call)


def _second_job_allowed(world, call, decide):
    c = world.campaigns.get(call.resource_id or "")
    if call.operation in JOBS and c is not None and c.authoring_status == "published":
        return decide(_with_campaign(world, c.but(authoring_status="draft", job=None)), call)
    return decide(world, call)


def _dry_run_commits(world, call, decide):
    if call.operation in JOBS and call.body.get("dryRun"):
        d = decide(world, replace(call, body={**call.body, "dryRun": False}))
        if d.ok:
            return replace(d, status=200, acceptable=frozenset({(200, None)}))
    return decide(world, call)


def _send_on_direct_mail(world, call, decide):
    c = world.campaigns.get(call.resource_id or "")
    if call.operation == "createSendJob" and c is not None and c.channel == "direct_mail":
        d = decide(_with_campaign(world, c.but(channel="email")), call)
        return replace(d, changes={k: v.but(channel="direct_mail") for k, v in d.changes.items()})
    return decide(world, call)


def _reach_never_resets(world, call, decide):
    d = decide(world, call)
    c = world.campaigns.get(call.resource_id or "")
    if call.operation == "replaceCampaignAudience" and d.ok and c is not None and c.audience_bound_at is not None:
        return replace(d, changes={k: v.but(audience_bound_at=c.audience_bound_at) for k, v in d.changes.items()})
    return d


def _deleted_still_listed(world, call, decide):
    if call.operation == "listCampaigns":
        shadow = World(world.tenants, world.templates, world.audiences,
                       {k: v.but(deleted_at=None) for k, v in world.campaigns.items()})
        return decide(shadow, call)
    return decide(world, call)


def _saved_intent_ignored(world, call, decide):
    c = world.campaigns.get(call.resource_id or "")
    if call.operation == "createScheduleJob" and c is not None and not {"sendAt", "batchDate"} & set(call.body):
        return decide(_with_campaign(world, c.but(schedule=None)), call)
    return decide(world, call)


def _invalid_category_kept(world, call, decide):
    d = decide(world, call)
    raw = call.body.get("category")
    if call.operation == "createCampaign" and d.ok and isinstance(raw, str) and raw not in CATEGORIES:
        (c,) = d.changes.values()
        kept = c.but(category=raw, tags=tuple(t for t in c.tags if t != "general") + (raw,))
        return success(201, views.campaign_object(world, kept, call.now), {kept.id: kept})
    return d


def _other_tenant_visible(world, call, decide):
    c = world.campaigns.get(call.resource_id or "")
    if c is not None and c.tenant != call.tenant:
        return decide(world, replace(call, tenant=c.tenant))
    return decide(world, call)


def _timezone_source_wrong(world, call, decide):
    d = decide(world, call)
    if call.operation == "setCampaignSchedule" and d.ok and "timezone" not in call.body:
        changed = {k: v.but(schedule=replace(v.schedule, timezone="UTC", timezone_source="utc_fallback"))
                   if v.schedule and v.schedule.timezone_source == "tenant_default" else v
                   for k, v in d.changes.items()}
        return replace(d, changes=changed)
    return d


def _audience_merged(world, call, decide):
    d = decide(world, call)
    c = world.campaigns.get(call.resource_id or "")
    if call.operation == "replaceCampaignAudience" and d.ok and c is not None and c.include:
        merged = {k: v.but(include=tuple(dict.fromkeys(c.include + v.include))) for k, v in d.changes.items()}
        return replace(d, changes=merged)
    return d


class _ForgetfulStore(IdempotencyStore):
    def __init__(self) -> None:
        super().__init__(0)

    def begin(self, scope, body_fingerprint, now):  # never replays: every retry runs again
        return Begin()


def _replay_not_stored(monkeypatch, app):
    monkeypatch.setattr(app.state.mock, "idempotency", _ForgetfulStore())
    return app


def _scope_check_skipped(monkeypatch, app):
    monkeypatch.setattr(mock_api, "authorize", lambda plugin, token, scope: None)
    return app


def _missing_token_accepted(monkeypatch, app):
    original = mock_api.authenticate
    monkeypatch.setattr(mock_api, "authenticate",
                        lambda plugin, tokens, header: original(plugin, tokens, header or "Bearer mock-token-full"))
    return app


def _summary_type_code_swapped(method, path, status, body):
    if status == 409 and body["error"]["code"].endswith("SUMMARY_TYPE_UNSUPPORTED"):
        body["error"]["code"] = "JOURNEY_API.PUBLIC.CAMPAIGNS.TYPE_UNSUPPORTED"
    return status, body


def _unsupported_type_as_404(method, path, status, body):
    if status == 409 and body["error"]["code"].endswith(".TYPE_UNSUPPORTED"):
        return 404, {"success": False, "error": {"code": "JOURNEY_API.PUBLIC.CAMPAIGNS.NOT_FOUND",
                                                  "message": "not found", "details": {}}}
    return status, body


def _total_off_by_one(method, path, status, body):
    if status == 200 and method == "GET" and path.rstrip("/").endswith("/campaigns"):
        body["pagination"]["total"] += 1
    return status, body


def _counts_increase(method, path, status, body):
    if status == 200 and method == "GET" and isinstance(body.get("data"), dict):
        data = body["data"]
        counts = data.get("counts") if path.endswith("/metrics") else \
            ((data.get("execution") or {}).get("lastExecution") or {}).get("counts")
        if counts and counts.get("scheduled"):
            counts["sent"] = counts["scheduled"] + 1
    return status, body


def _never_completes(method, path, status, body):
    if status == 200 and path.endswith("/status"):
        execution = body["data"]["execution"]
        if execution["state"] in ("completed", "failed"):
            execution["state"] = "running"
    return status, body


FAULTS = [
    Fault("config_not_locked_after_job", "000/002/001: configuration is locked once a job moves the campaign out "
          "of draft (409 NOT_DRAFT)", wrap_decide(_config_not_locked)),
    Fault("second_job_allowed", "001: a job needs a draft; a published campaign answers 409 NOT_DRAFT",
          wrap_decide(_second_job_allowed)),
    Fault("dry_run_commits", "001: dryRun validates and returns 200 without committing", wrap_decide(_dry_run_commits)),
    Fault("send_job_on_direct_mail", "001: send-jobs on direct mail answers 400 INVALID_FOR_CHANNEL",
          wrap_decide(_send_on_direct_mail)),
    Fault("reach_never_resets", "002: after an audience update reach.status resets and is re-evaluated",
          wrap_decide(_reach_never_resets)),
    Fault("deleted_still_listed", "decided (003's client reads 404 as deleted): deleted campaigns are not listed",
          wrap_decide(_deleted_still_listed)),
    Fault("saved_intent_ignored", "001: schedule-jobs without sendAt/batchDate uses the saved schedule intent",
          wrap_decide(_saved_intent_ignored)),
    Fault("invalid_category_kept", "000: invalid categories default to general", wrap_decide(_invalid_category_kept)),
    Fault("other_tenant_visible", "002 (\"not found in this tenant\"): another tenant's campaign is 404",
          wrap_decide(_other_tenant_visible)),
    Fault("timezone_source_ignores_tenant", "001: direct mail without a timezone uses the tenant default "
          "(timezoneSource tenant_default)", wrap_decide(_timezone_source_wrong)),
    Fault("audience_merged_not_replaced", "002: PUT /audience is a full replacement, not a merge",
          wrap_decide(_audience_merged)),
    Fault("replay_not_stored", "000: the same Idempotency-Key and body return the cached response",
          _replay_not_stored),
    Fault("scope_check_skipped", "000: each endpoint requires its scope (403 INSUFFICIENT_SCOPE)", _scope_check_skipped),
    Fault("missing_token_accepted", "000: all endpoints require a bearer token", _missing_token_accepted),
    Fault("summary_type_code_swapped", "000/003: summary/object reads of other types answer SUMMARY_TYPE_UNSUPPORTED",
          rewrite(_summary_type_code_swapped)),
    Fault("unsupported_type_as_404", "003: an existing non-broadcast campaign answers 409, not 404",
          rewrite(_unsupported_type_as_404)),
    Fault("pagination_total_off_by_one", "003: pagination.total counts the matching campaigns",
          rewrite(_total_off_by_one)),
    Fault("counts_increase_along_pipeline", "003: sent never exceeds scheduled along the pipeline",
          rewrite(_counts_increase)),
    Fault("execution_never_completes", "003: execution reaches completed or failed", rewrite(_never_completes)),
]
