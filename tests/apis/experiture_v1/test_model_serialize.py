"""Lifecycle model: serialize.py (the world as JSON data and back) and determinism of `decide`."""
from __future__ import annotations

import copy
import json

import pytest

from state_machine.apis.experiture_v1.model.serialize import world_from_data, world_to_data

from .model_helpers import (
    AUD_A,
    AUD_B,
    AUD_REACH_FAILS,
    AUDIENCE_REQUIRED,
    TPL_EMAIL,
    TPL_EMAIL_NONCOMPLIANT,
    Api,
    at,
    entry,
    inject,
)


def _rich_world() -> Api:
    """Campaigns in every kind of state the records can hold."""
    api = Api()
    dm = api.ready("direct_mail", schedule={"mode": "batch_on_date", "batchDate": "2026-05-01",
                                            "timezone": "America/New_York"})
    api.call("createScheduleJob", dm, {}, when=at(5))           # Job with a zoned due time
    email = api.ready("email", include=(AUD_A, AUD_B), schedule={"mode": "at", "sendAt": "2026-05-01T09:00:00Z"})
    api.call("runCampaignPreflight", email, when=at(10))         # PreflightResult
    api.call("replaceCampaignAudience", email, {"include": [entry(AUD_REACH_FAILS)], "exclude": [entry(AUD_A)]},
             when=at(20))                                       # ReachSnapshot kept
    sms = api.ready("sms")
    api.call("createSendJob", sms, when=at(30))
    api.call("archiveCampaign", sms, when=at(40))
    gone = api.create("push", description="bye", tags=["t1", "t2"], category="event")
    api.call("deleteCampaign", gone, when=at(50))
    api.ready("email", template=TPL_EMAIL_NONCOMPLIANT)
    inject(api, id="c0ffee00-0000-4000-8000-000000000002", campaign_type="journey")
    inject(api, id="c0ffee00-0000-4000-8000-000000000003", state_missing=True, version_id=None)
    return api


def test_world_round_trips_through_data():
    """serialize.py: world_from_data(world_to_data(w)) holds equal records."""
    world = _rich_world().world
    back = world_from_data(world_to_data(world))
    assert back.tenants == world.tenants
    assert back.templates == world.templates
    assert back.audiences == world.audiences
    assert back.campaigns == world.campaigns


def test_world_data_is_json_ready():
    """serialize.py: the export is JSON data (the mock's GET/PUT /__mock/state) and survives json."""
    world = _rich_world().world
    data = json.loads(json.dumps(world_to_data(world)))
    assert world_from_data(data).campaigns == world.campaigns


def test_round_tripped_world_answers_the_same():
    """The restored world gives the same decisions (derived reach/execution state included)."""
    api = _rich_world()
    restored = world_from_data(world_to_data(api.world))
    for cid in api.world.campaigns:
        for op in ("getCampaignSummary", "getCampaignStatus", "getCampaignMetrics"):
            a = api.call(op, cid, when=at(0, days=10), apply=False)
            api_b = Api()
            api_b.world = restored
            b = api_b.call(op, cid, when=at(0, days=10), apply=False)
            assert a == b, (op, cid)


def _valid() -> dict:
    return world_to_data(_rich_world().world)


def _campaign_row(data: dict) -> dict:
    return data["campaigns"][0]


BAD = {
    "not-an-object": lambda d: ["x"],
    "no-format-version": lambda d: {k: v for k, v in d.items() if k != "formatVersion"},
    "wrong-format-version": lambda d: {**d, "formatVersion": 99},
    "campaigns-not-a-list": lambda d: {**d, "campaigns": {"a": 1}},
    "row-not-an-object": lambda d: {**d, "campaigns": ["x"]},
    "unknown-field": lambda d: (_campaign_row(d).update(colour="red"), d)[1],
    "missing-required-field": lambda d: (_campaign_row(d).pop("name"), d)[1],
    "naive-timestamp": lambda d: (_campaign_row(d).update(created_at="2026-04-25T10:00:00"), d)[1],
    "garbage-timestamp": lambda d: (_campaign_row(d).update(updated_at="yesterday"), d)[1],
    "wrong-type-str": lambda d: (_campaign_row(d).update(name=5), d)[1],
    "wrong-type-int": lambda d: (d["audiences"][0].update(size="big"), d)[1],
    "wrong-type-bool": lambda d: (d["audiences"][0].update(reach_fails="yes"), d)[1],
    "nested-not-an-object": lambda d: (_campaign_row(d).update(schedule="at"), d)[1],
    "tenant-unknown-field": lambda d: (d["tenants"][0].update(region="eu"), d)[1],
}


@pytest.mark.parametrize("mutate", list(BAD.values()), ids=list(BAD))
def test_bad_data_raises_value_error(mutate):
    """serialize.py: world_from_data raises ValueError on anything that is not an export."""
    data = mutate(copy.deepcopy(_valid()))
    with pytest.raises(ValueError):
        world_from_data(data)


# --- determinism -----------------------------------------------------------------------------------

SCRIPT = [
    ("createCampaign", None, {"name": "A", "channel": "email", "category": "seasonal"}, 0),
    ("createCampaign", None, {"name": "B", "channel": "direct_mail"}, 1),
    ("replaceCampaignAudience", 0, {"include": [entry(AUD_A)], "exclude": [entry(AUD_B)]}, 2),
    ("replaceCampaignContent", 0, {"templateId": TPL_EMAIL}, 3),
    ("setCampaignSchedule", 0, {"mode": "at", "sendAt": "2026-04-25T10:05:00Z"}, 4),
    ("runCampaignPreflight", 0, {}, 5),
    ("createScheduleJob", 0, {"dryRun": True}, 6),
    ("createScheduleJob", 0, {}, 7),
    ("setCampaignSchedule", 1, {"mode": "batch_on_date", "batchDate": "2026-05-01"}, 8),
    ("createScheduleJob", 1, {}, 9),
    ("cloneCampaign", 0, {}, 10),
    ("getCampaignSummary", 0, {}, 400),
    ("getCampaignStatus", 0, {}, 310),
    ("getCampaignMetrics", 0, {}, 308),
    ("listCampaigns", None, {}, 500),
]


def _run_script() -> list:
    api = Api()
    ids, out = [], []
    for operation, target, body, seconds in SCRIPT:
        cid = ids[target] if target is not None else None
        query = {"sortBy": "name", "sortDirection": "asc"} if operation == "listCampaigns" else None
        d = api.call(operation, cid, body, query=query, when=at(seconds))
        if operation == "createCampaign":
            ids.append(d.data["campaignId"])
        out.append(d)
    return out


def test_same_calls_on_two_fresh_worlds_give_equal_decisions():
    """The model is pure and deterministic given the clock and new_id (operations.py)."""
    first, second = _run_script(), _run_script()
    assert [d.outcome for d in first] == [(201, None), (201, None), (200, None), (200, None), (200, None),
                                          (200, None), (200, None), (201, None), (200, None),
                                          (409, AUDIENCE_REQUIRED),
                                          (201, None), (200, None), (200, None), (200, None), (200, None)]
    assert first == second
