"""The Club Campaigns API (seed document 004) as a plug-in of the engine.

    model/       the lifecycle: pure, standard library and state_machine.kernel only
    fixtures.py  the mock's tenants, tokens, clubs, segments, templates and campaigns; a profile's world
    checks.py    read-back comparisons of what a target shows with what the model holds
    rules.py     the lifecycle rules of the conformance machine (hypothesis)

Spec, catalogue and decisions: openapi/club-campaigns/ (openapi.yaml, requirements.yaml, decisions.md).
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from state_machine.kernel.serialize import encode, record
from state_machine.plugin import ApiPlugin, EngineCodes, Envelope, Resource

from . import fixtures
from .model import codes, envelope, timing
from .model.operations import decide, locate
from .model.records import Campaign
from .model.serialize import world_from_data, world_to_data

OPENAPI = Path(__file__).resolve().parents[3] / "openapi" / "club-campaigns"


def _new_ids() -> Callable[[str], str]:
    return lambda kind: f"{kind}_{uuid.uuid4().hex[:16]}"


def _id_of(data: Any) -> str | None:
    return data.get("id") if isinstance(data, dict) else None


def _ids_from(data: Any) -> Callable[[str], str]:
    """The ids a success answer assigned: a created campaign's (the model asks for no other kind)."""
    known = _id_of(data)
    return lambda kind: known if kind == "campaign" and known else f"{kind}_unknown"


def _machine() -> type:
    from .rules import ClubRules

    return ClubRules


plugin = ApiPlugin(
    name="club-campaigns",
    title="Club Campaigns API",
    spec_path=OPENAPI / "openapi.yaml",
    catalogue_path=OPENAPI / "requirements.yaml",
    decide=decide,
    locate=locate,
    error=codes.error,
    # No scopes (the tenant's 403 is the model's TENANT_FORBIDDEN) and no idempotency codes: 004 has neither.
    codes=EngineCodes.named_in(codes),
    envelope=Envelope(render=envelope.render, render_error=envelope.render_error, error_code=envelope.error_code,
                      data=envelope.data, error_media_type=envelope.ERROR_MEDIA_TYPE),
    resource=Resource(path_param="id", id_of=_id_of, ids_from=_ids_from, collection_path="/campaigns"),
    fixtures=fixtures.build,
    world_from_profile=fixtures.world_from_profile,
    world_to_data=world_to_data,
    world_from_data=world_from_data,
    world_apply=lambda world, changes: world.apply(changes),
    change_to_data=encode,
    change_from_data=lambda data: record(Campaign, data),
    new_ids=_new_ids,
    idempotency=None,
    auth_realm="club-campaigns",
    timing={"deliverySeconds": timing.DELIVERY_SECONDS, "recurringPeriodSeconds": dict(timing.PERIOD_SECONDS)},
    capabilities={"second_tenant": True, "rate_limit_token": True},
    machine=_machine,
)
