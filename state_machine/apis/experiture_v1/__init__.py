"""The Experiture Campaigns API v1 (seed documents 000-003) as a plug-in of the engine.

    model/      the lifecycle: pure, standard library and state_machine.kernel only
    fixtures.py the mock's tenants, tokens, templates, audiences and campaigns; a profile's world
    checks.py   read-back comparisons of what a target shows with what the model holds
    rules.py    the lifecycle rules of the conformance machine (hypothesis)

Spec, catalogue and decisions: openapi/experiture-v1/openapi.yaml, openapi/experiture-v1/requirements.yaml,
openapi/experiture-v1/decisions.md.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from state_machine.kernel.ids import uuid4_text
from state_machine.kernel.serialize import encode, record
from state_machine.plugin import ApiPlugin, EngineCodes, Envelope, Idempotency, Resource

from . import fixtures
from .model import codes, envelope, idempotency, timing
from .model.operations import decide, locate
from .model.records import Campaign
from .model.serialize import world_from_data, world_snapshot, world_stream, world_to_data

OPENAPI = Path(__file__).resolve().parents[3] / "openapi"


def _new_ids() -> Callable[[str], str]:
    touchpoints = itertools.count(1000)

    def new_id(kind: str) -> str:
        return str(next(touchpoints)) if kind == "touchpoint" else uuid4_text()

    return new_id


def _placeholder(kind: str) -> str:
    return "0" if kind == "touchpoint" else "00000000-0000-4000-8000-000000000000"


def _ids_from(data: Any) -> Callable[[str], str]:
    """The ids a success answer assigned (campaign, version, schedule, manifest, touchpoint)."""
    data = data if isinstance(data, dict) else {}
    known = {"campaign": data.get("campaignId"), "version": data.get("currentVersionId") or data.get("versionId"),
             "schedule": data.get("scheduleId"), "manifest": data.get("manifestId"),
             "touchpoint": str(data["touchpointId"]) if data.get("touchpointId") is not None else None}
    return lambda kind: known.get(kind) or _placeholder(kind)


def _id_of(data: Any) -> str | None:
    return data.get("campaignId") if isinstance(data, dict) else None


def _machine() -> type:
    from .rules import CampaignsRules

    return CampaignsRules


plugin = ApiPlugin(
    name="experiture-v1",
    title="Experiture Campaigns API v1",
    spec_path=OPENAPI / "experiture-v1" / "openapi.yaml",
    catalogue_path=OPENAPI / "experiture-v1" / "requirements.yaml",
    decide=decide,
    locate=locate,
    error=codes.error,
    codes=EngineCodes.named_in(codes),
    envelope=Envelope(render=envelope.render, render_error=envelope.render_error, error_code=envelope.error_code,
                      data=envelope.data),
    resource=Resource(path_param="campaign_id", id_of=_id_of, ids_from=_ids_from, collection_path="/campaigns"),
    fixtures=fixtures.build,
    world_from_profile=fixtures.world_from_profile,
    world_to_data=world_to_data,
    world_from_data=world_from_data,
    world_snapshot=world_snapshot,
    world_stream=world_stream,
    world_apply=lambda world, changes: world.apply(changes),
    change_to_data=encode,
    change_from_data=lambda data: record(Campaign, data),
    new_ids=_new_ids,
    idempotency=Idempotency(ttl_seconds=idempotency.IDEMPOTENCY_TTL_SECONDS, key_problem=idempotency.key_problem),
    auth_realm="experiture",
    timing={"reachEvaluationSeconds": timing.REACH_EVALUATION_SECONDS,
            "executionStartSeconds": timing.EXECUTION_START_SECONDS,
            "executionRunSeconds": timing.EXECUTION_RUN_SECONDS},
    capabilities={"second_tenant": True, "single_scope_tokens": True, "rate_limit_token": True},
    machine=_machine,
)
