"""A toy API of three operations, defined only in the tests: it runs through the mock (and the rest of
the engine) with no engine change, which is the proof that the plug-in boundary holds."""
from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from state_machine.kernel.serialize import encode, record
from state_machine.plugin import ApiPlugin, EngineCodes, Envelope, Fixture, Idempotency, Resource, Token

from . import model

HERE = Path(__file__).resolve().parent


def _fixtures(now: datetime) -> Fixture:
    tokens = [Token("full", "toy-token", "acme"), Token("other_tenant", "toy-token-other", "globex")]
    return Fixture(model.World(), tokens, {})


def _world_from_data(data: Any) -> model.World:
    if not isinstance(data, dict) or not isinstance(data.get("notes"), list):
        raise ValueError("expected {notes: [...]}")
    world = model.World()
    world.notes = {n.id: n for n in (record(model.Note, row) for row in data["notes"])}
    return world


def _key_problem(key: str) -> Any:
    return None if len(key) >= 8 else model.error("KEY_BAD", "Idempotency-Key must have 8 characters or more")


def _machine() -> type:
    from .rules import NotesRules

    return NotesRules


plugin = ApiPlugin(
    name="toy-notes",
    title="Toy Notes API",
    spec_path=HERE / "openapi.yaml",
    catalogue_path=HERE / "requirements.yaml",
    decide=model.decide,
    locate=model.locate,
    error=model.error,
    codes=EngineCodes(validation_failed="BAD_REQUEST", malformed_body="BAD_REQUEST", not_found="NO_ROUTE",
                      method_not_allowed="NOT_ALLOWED", payload_too_large="TOO_LARGE", unsupported_media_type="BAD_MEDIA",
                      internal="BROKEN", unauthenticated="UNAUTHENTICATED", invalid_token="BAD_TOKEN",
                      idempotency_key_invalid="KEY_BAD", idempotency_key_reused="KEY_REUSED",
                      idempotency_key_in_use="KEY_BUSY"),
    envelope=Envelope(render=lambda d: ({"error": d.error.code, "message": d.error.message} if d.error else d.data),
                      render_error=lambda e: {"error": e.code, "message": e.message},
                      error_code=lambda body: body.get("error") if isinstance(body, dict) else None,
                      data=lambda body: body),
    resource=Resource(path_param="note_id", id_of=lambda data: data.get("id") if isinstance(data, dict) else None,
                      ids_from=lambda data: (lambda kind: data.get("id") if isinstance(data, dict) else "?"),
                      collection_path="/notes"),
    fixtures=_fixtures,
    world_from_profile=lambda profile: model.World(),
    world_to_data=lambda world: {"notes": [encode(n) for n in world.notes.values()]},
    world_from_data=_world_from_data,
    world_apply=lambda world, changes: world.apply(dict(changes)),
    new_ids=lambda: (lambda kind: str(uuid.uuid4())),
    idempotency=Idempotency(ttl_seconds=60, key_problem=_key_problem),
    auth_realm="toy",
    machine=_machine,
)
