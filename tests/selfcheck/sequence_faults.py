"""Faulty variants of the mock that no single answer gives away: each one answers every request plausibly,
and only a sequence (a change then a replay, a walk over pages, a replacement then a read-back, reads at
several instants) shows the sentence of the documents it breaks. The conformance suite must fail on every
one within the default verify budget (test_sequence_faults.py).

Built like faults.py: wrapping the mock handler's copy of the plug-in's `decide`, replacing the mock's
idempotency store, or rewriting answers (tests/helpers/rewrite_answers.py); never the model or the
registered plug-in, which the oracle shares. Each fault function's docstring quotes the sentence it breaks.
"""
from __future__ import annotations

import copy
import uuid
from dataclasses import replace
from typing import Any

import anyio
import pytest

from state_machine.apis.experiture_v1.model import views
from state_machine.apis.experiture_v1.model.operations import Call, Decision
from state_machine.apis.experiture_v1.model.records import World
from state_machine.kernel.idempotency import Begin, IdempotencyStore

from .faults import Fault, rewrite, wrap_decide


def _shadow(world: World, campaigns: dict) -> World:
    return World(world.tenants, world.templates, world.audiences, campaigns)


def _listing(call: Call) -> tuple[int, int]:
    return int(call.query.get("offset") or 0), int(call.query.get("limit") or 25)


# --- idempotency -------------------------------------------------------------------------------------

def _forgotten_after_one_hour(monkeypatch: pytest.MonkeyPatch, app: Any) -> Any:
    """000: "return the cached response for 24 hours" — this store forgets a key after one hour."""
    monkeypatch.setattr(app.state.mock, "idempotency", IdempotencyStore(3600))
    return app


class _RerenderingStore(IdempotencyStore):
    """Replays a stored campaign answer re-rendered from the campaign as it is now."""

    def __init__(self, ttl: float, state: Any) -> None:
        super().__init__(ttl)
        self.state = state

    def begin(self, scope, body_fingerprint, now):
        begun = super().begin(scope, body_fingerprint, now)
        stored = begun.replay
        if stored is not None and 200 <= stored.status < 300 and isinstance(stored.body, dict):
            data = stored.body.get("data")
            campaign = self.state.world.campaigns.get(data.get("campaignId")) if isinstance(data, dict) else None
            if campaign is not None:
                body = copy.deepcopy(stored.body)
                body["data"] = views.campaign_object(self.state.world, campaign, now)
                return Begin(replay=replace(stored, body=body))
        return begun


def _replay_rerendered(monkeypatch: pytest.MonkeyPatch, app: Any) -> Any:
    """000: "Duplicate requests with the same key and body return the cached response" — this variant
    re-renders the campaign as it is now instead of returning the cached answer."""
    state = app.state.mock
    monkeypatch.setattr(state, "idempotency", _RerenderingStore(state.idempotency.ttl.total_seconds(), state))
    return app


class _ErrorRedecidingStore(IdempotencyStore):
    def begin(self, scope, body_fingerprint, now):
        begun = super().begin(scope, body_fingerprint, now)
        if begun.replay is not None and begun.replay.status >= 400:
            return Begin()  # decided again, and the new answer stored over the old
        return begun


def _error_replay_redecided(monkeypatch: pytest.MonkeyPatch, app: Any) -> Any:
    """000: "Duplicate requests with the same key and body return the cached response" (the cached
    response whatever its status; decided CAMP-IDEM-013) — this variant decides a stored error again."""
    state = app.state.mock
    monkeypatch.setattr(state, "idempotency", _ErrorRedecidingStore(state.idempotency.ttl.total_seconds()))
    return app


class _OverlappingKeyedCreates:
    """ASGI middleware: a keyed create takes OVERLAP_SECONDS before it reaches the mock (a server that
    takes its time), and one that arrives while another create with the same key is still in flight gets
    a key of its own, as if the store did not see the first request yet. Sequential requests with one key
    are still a create and its replay; only overlapping ones make two campaigns."""

    OVERLAP_SECONDS = 0.15

    def __init__(self, app: Any) -> None:
        self.app, self.state, self.in_flight = app, getattr(app, "state", None), set()

    async def __call__(self, scope, receive, send):
        headers = dict(scope.get("headers") or []) if scope["type"] == "http" else {}
        key = headers.get(b"idempotency-key")
        if key is None or scope["method"] != "POST" or scope["path"] != "/public/v1/campaigns":
            return await self.app(scope, receive, send)
        scope_key = (headers.get(b"authorization"), key)
        mine = scope_key not in self.in_flight
        if mine:
            self.in_flight.add(scope_key)
        else:  # the first request with this key is not answered yet: this one is taken for a new request
            fresh = str(uuid.uuid4()).encode()
            scope = {**scope, "headers": [(k, fresh if k == b"idempotency-key" else v) for k, v in scope["headers"]]}
        try:
            await anyio.sleep(self.OVERLAP_SECONDS)
            await self.app(scope, receive, send)
        finally:
            if mine:
                self.in_flight.discard(scope_key)


def _overlapping_creates_duplicated(monkeypatch: pytest.MonkeyPatch, app: Any) -> Any:
    """000: "Duplicate requests with the same key and body return the cached response for 24 hours,
    preventing duplicate campaigns" — this variant creates two campaigns for two simultaneous creates with
    one key (only when they overlap: one after the other, the second is a replay)."""
    return _OverlappingKeyedCreates(app)


# --- pagination --------------------------------------------------------------------------------------

def _page_starts_one_early(world: World, call: Call, decide) -> Decision:
    """003: "The list endpoint uses offset pagination. Walk pages with:" offset += pagination.limit while
    offset < total (every campaign once) — here the page at offset N > 0 starts at item N-1."""
    offset, _ = _listing(call)
    if call.operation == "listCampaigns" and offset > 0:
        d = decide(world, replace(call, query={**call.query, "offset": str(offset - 1)}))
        if d.ok:
            return replace(d, extra={**d.extra, "pagination": {**d.extra["pagination"], "offset": offset}})
        return d
    return decide(world, call)


def _last_page_short(world: World, call: Call, decide) -> Decision:
    """003: "The list endpoint uses offset pagination. Walk pages with:" offset += pagination.limit while
    offset < total (every campaign once) — here the last page of a walk (offset > 0) drops its final item."""
    d = decide(world, call)
    offset, _ = _listing(call)
    if call.operation == "listCampaigns" and d.ok and offset > 0 and d.data \
            and offset + len(d.data) >= d.extra["pagination"]["total"]:
        return replace(d, data=d.data[:-1])
    return d


def _total_counts_deleted(world: World, call: Call, decide) -> Decision:
    """003: "Walk pages with:" ... `while total is None or offset < total` (pagination.total counts the
    campaigns the walk returns; deleted ones are not listed, decided CAMP-LIST-015) — here the total also
    counts the deleted ones."""
    d = decide(world, call)
    if call.operation == "listCampaigns" and d.ok:
        undeleted = _shadow(world, {k: v.but(deleted_at=None) for k, v in world.campaigns.items()})
        total = decide(undeleted, call).extra["pagination"]["total"]
        return replace(d, extra={**d.extra, "pagination": {**d.extra["pagination"], "total": total}})
    return d


def _deleted_listed_until_time_moves(world: World, call: Call, decide) -> Decision:
    """000: DELETE /campaigns/:id "Soft-delete a campaign" (003's client reads 404 as "deleted"; decided
    CAMP-LIST-015: deleted campaigns are not listed) — here the list index catches up only when time moves,
    so a campaign deleted at this instant is still listed."""
    if call.operation == "listCampaigns":
        now = call.now
        shadow = _shadow(world, {k: v.but(deleted_at=None) if v.deleted_at == now else v
                                 for k, v in world.campaigns.items()})
        return decide(shadow, call)
    return decide(world, call)


def _patch_not_in_list():
    """000: PATCH /campaigns/{id} "Update campaign metadata" (the list shows the campaign as it is) — here
    the list index keeps the name, description and tags a campaign was created with."""
    first: dict[str, Any] = {}

    def fault(world: World, call: Call, decide) -> Decision:
        d = decide(world, call)
        for cid, c in d.changes.items():
            first.setdefault(cid, (c.name, c.description, c.tags))
        if call.operation == "listCampaigns" and d.ok:
            stale = {k: v.but(name=first[k][0], description=first[k][1], tags=first[k][2]) if k in first else v
                     for k, v in world.campaigns.items()}
            return decide(_shadow(world, stale), call)
        return d
    return fault


# --- replacement -------------------------------------------------------------------------------------

def _exclude_merged(world: World, call: Call, decide) -> Decision:
    """002: "This is a full replacement, not a merge — any previously bound audiences not present in the new
    payload are removed" — here exclude entries are merged with the ones already bound."""
    d = decide(world, call)
    c = world.campaigns.get(call.resource_id or "")
    if call.operation == "replaceCampaignAudience" and d.ok and c is not None and c.exclude:
        return replace(d, changes={k: v.but(exclude=tuple(dict.fromkeys(c.exclude + v.exclude)))
                                   for k, v in d.changes.items()})
    return d


def _include_removals_ignored(world: World, call: Call, decide) -> Decision:
    """002: "This is a full replacement, not a merge — any previously bound audiences not present in the new
    payload are removed" — here a PUT whose include is a subset of the bound one removes nothing (an
    upsert: adding works, removing does not)."""
    d = decide(world, call)
    c = world.campaigns.get(call.resource_id or "")
    if call.operation == "replaceCampaignAudience" and d.ok and c is not None:
        ids = {e.audience_id for e in c.include}
        changes = {k: v.but(include=c.include) if {e.audience_id for e in v.include} < ids else v
                   for k, v in d.changes.items()}
        return replace(d, changes=changes)
    return d


def _content_not_replaced(world: World, call: Call, decide) -> Decision:
    """000: PUT /campaigns/:id/content "Replace content/template binding" — here a campaign keeps its first
    template: a second PUT answers the new one but binds nothing."""
    d = decide(world, call)
    c = world.campaigns.get(call.resource_id or "")
    if call.operation == "replaceCampaignContent" and d.ok and c is not None and c.template_id is not None:
        return replace(d, changes={k: v.but(template_id=c.template_id) for k, v in d.changes.items()})
    return d


def _stale_summary():
    """003: "GET /campaigns/:id/summary returns a structured setup snapshot. Use it to confirm audience,
    template, and schedule are all configured" — here a summary is cached per campaign until time moves,
    so a write made at the same instant is not visible in it."""
    cache: dict[tuple[str, Any], Decision] = {}

    def fault(world: World, call: Call, decide) -> Decision:
        if call.operation == "getCampaignSummary":
            key = (call.resource_id or "", call.now)
            if key not in cache:
                cache[key] = decide(world, call)
            return cache[key]
        return decide(world, call)
    return fault


# --- over time ---------------------------------------------------------------------------------------

def _counts_decrease():
    """003: /metrics gives "Aggregated pipeline counts" of the run, which only grow while it runs (decided
    CAMP-EXEC-007: none decreases over time) — here metrics shows one fewer sent on every read after the
    first that saw it."""
    seen: dict[str, int] = {}

    def fn(method: str, path: str, status: int, body: Any) -> tuple[int, Any]:
        if status == 200 and method == "GET" and path.endswith("/metrics"):
            counts = (body.get("data") or {}).get("counts") or {}
            if counts.get("sent"):
                n = seen[path] = seen.get(path, 0) + 1
                if n > 1:
                    counts["sent"] -= 1
                    counts["failed"] = min(counts["failed"], counts["scheduled"])
        return status, body
    return fn


def _reach_back_to_pending():
    """002: "After updating the audience, audience.reach.status resets. The platform re-evaluates targeting
    asynchronously." (it resets on an update, and only then) — here the summary shows pending again on a
    later read of an ok binding."""
    seen_ok: set[str] = set()

    def fn(method: str, path: str, status: int, body: Any) -> tuple[int, Any]:
        if status == 200 and method == "GET" and path.endswith("/summary"):
            reach = (((body.get("data") or {}).get("audience") or {}).get("reach") or {})
            if reach.get("status") == "ok":
                if path in seen_ok:
                    reach.update(status="pending", isStale=True)
                seen_ok.add(path)
        return status, body
    return fn


def _lazy(factory):
    """An installer that builds a fresh stateful fault per app (so variants share no state)."""
    def install(monkeypatch: pytest.MonkeyPatch, app: Any) -> Any:
        return wrap_decide(factory())(monkeypatch, app)
    install.__doc__ = factory.__doc__
    return install


def _lazy_rewrite(factory):
    def install(monkeypatch: pytest.MonkeyPatch, app: Any) -> Any:
        return rewrite(factory())(monkeypatch, app)
    install.__doc__ = factory.__doc__
    return install


def _doc(fn) -> str:
    return " ".join((fn.__doc__ or "").split())


SEQUENCE_FAULTS = [
    Fault("idempotency_forgotten_after_one_hour", _doc(_forgotten_after_one_hour), _forgotten_after_one_hour),
    Fault("replay_rerendered_from_current_state", _doc(_replay_rerendered), _replay_rerendered),
    Fault("error_replay_redecided", _doc(_error_replay_redecided), _error_replay_redecided),
    Fault("overlapping_keyed_creates_duplicated", _doc(_overlapping_creates_duplicated),
          _overlapping_creates_duplicated),
    Fault("page_at_offset_starts_one_early", _doc(_page_starts_one_early), wrap_decide(_page_starts_one_early)),
    Fault("last_page_drops_final_item", _doc(_last_page_short), wrap_decide(_last_page_short)),
    Fault("total_counts_deleted_campaigns", _doc(_total_counts_deleted), wrap_decide(_total_counts_deleted)),
    Fault("audience_exclude_merged", _doc(_exclude_merged), wrap_decide(_exclude_merged)),
    Fault("audience_include_removals_ignored", _doc(_include_removals_ignored),
          wrap_decide(_include_removals_ignored)),
    Fault("content_not_replaced_on_second_put", _doc(_content_not_replaced), wrap_decide(_content_not_replaced)),
    Fault("summary_cache_stale_after_write", _doc(_stale_summary), _lazy(_stale_summary)),
    Fault("metrics_counts_decrease_on_later_read", _doc(_counts_decrease), _lazy_rewrite(_counts_decrease)),
    Fault("reach_back_to_pending_without_rebind", _doc(_reach_back_to_pending), _lazy_rewrite(_reach_back_to_pending)),
    Fault("deleted_campaign_listed_until_time_moves", _doc(_deleted_listed_until_time_moves),
          wrap_decide(_deleted_listed_until_time_moves)),
    Fault("patch_visible_in_get_not_in_list", _doc(_patch_not_in_list), _lazy(_patch_not_in_list)),
]

assert len({f.name for f in SEQUENCE_FAULTS}) == len(SEQUENCE_FAULTS)
