"""What an API provides to the engine: one `ApiPlugin` value per API (see state_machine.registry).

The engine (contract_spec, mock_server, state_machine.conformance, campaigns_contract) knows no API; it
reads everything API-specific through this interface. An API package (state_machine/apis/<name>/) builds
one `ApiPlugin` from its pure model, its fixtures and its machine rules, plus its spec and catalogue
under openapi/. Standard library only, so a model may import it.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import MISSING, dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from state_machine.kernel import ApiError, Call, Decision


@dataclass(frozen=True)
class EngineCodes:
    """The error codes the engine answers with before any lifecycle rule is asked. A code the API does
    not have (no auth, no idempotency keys) is None, and the engine never needs it."""

    validation_failed: str  # a parameter or body the spec refuses
    malformed_body: str  # not JSON, or not an object
    not_found: str  # no such endpoint (the model answers its own resources' 404)
    method_not_allowed: str
    payload_too_large: str
    unsupported_media_type: str
    internal: str  # a fault of the server itself
    rate_limited: str | None = None
    unauthenticated: str | None = None  # no credentials
    invalid_token: str | None = None  # unknown credentials
    insufficient_scope: str | None = None  # a token without the operation's scope
    idempotency_key_invalid: str | None = None
    idempotency_key_reused: str | None = None  # the same key with another request
    idempotency_key_in_use: str | None = None  # the first request with the key is still running

    @classmethod
    def named_in(cls, namespace: object) -> EngineCodes:
        """The codes a module of codes names with the fields' upper-case names (VALIDATION_FAILED, ...);
        a name the module lacks is a feature the API lacks (None)."""
        values = {f.name: getattr(namespace, f.name.upper(), None) for f in fields(cls)}
        missing = [name for name, value in values.items() if value is None and _required(cls, name)]
        if missing:
            raise ValueError(f"{namespace!r} names no code for {', '.join(missing)}")
        return cls(**values)  # type: ignore[arg-type]  # the required ones were checked above


def _required(cls: type, name: str) -> bool:
    return next(f for f in fields(cls) if f.name == name).default is MISSING


@dataclass(frozen=True)
class Envelope:
    """How answers look on the wire."""

    render: Callable[[Decision], Any]  # a decided answer's body
    render_error: Callable[[ApiError], Any]  # an error's body
    error_code: Callable[[Any], str | None]  # the code an answer's body carries
    data: Callable[[Any], Any]  # what a success body carries (the resource, a page, ...)
    error_media_type: str = "application/json"


@dataclass(frozen=True)
class Resource:
    """The API's main resource: how its id travels."""

    path_param: str  # the path parameter that names it, e.g. "campaign_id"
    id_of: Callable[[Any], str | None]  # the id a success answer's data carries (a created resource's)
    # The ids a success answer assigned, as a model's `new_id(kind)` (so the oracle adopts the target's).
    ids_from: Callable[[Any], Callable[[str], str]]
    collection_path: str  # where a created resource is listed, e.g. "/campaigns" (Location: <it>/<id>)


@dataclass(frozen=True)
class Token:
    """A bearer token the mock accepts (and a target profile lists)."""

    name: str  # its role in a profile: full, reader, other_tenant, ...
    token: str
    tenant: str
    scopes: tuple[str, ...] = ()
    requests_per_minute: int | None = None  # a rate limit, None for none


@dataclass
class Fixture:
    """A world of fixtures as of some instant, and what a target profile says about it."""

    world: Any
    tokens: list[Token]
    profile_fixtures: dict[str, Any]  # the profile's `fixtures` block: ids by role


@dataclass(frozen=True)
class Idempotency:
    """How the API's Idempotency-Key works (the operations that take one are the spec's)."""

    ttl_seconds: float  # how long a replay is promised
    key_problem: Callable[[str], ApiError | None]  # a malformed key's error


@dataclass(frozen=True)
class ApiPlugin:
    name: str  # registry key and a profile's `api`, e.g. "experiture-v1"
    title: str
    spec_path: Path  # the OpenAPI document
    catalogue_path: Path  # the requirement catalogue
    # -- the pure model
    decide: Callable[[Any, Call], Decision]  # (world, call) -> decision, with every acceptable answer
    locate: Callable[[Any, Call], Any]  # a Decision when the call's resource refuses it before its body
    # counts (404, 409 on the resource itself), else anything
    error: Callable[..., ApiError]  # error(code, message, details=None): an error with its status
    codes: EngineCodes
    envelope: Envelope
    resource: Resource
    # -- worlds
    fixtures: Callable[[datetime], Fixture]  # the mock's fixtures as of `now`
    world_from_profile: Callable[[Any], Any]  # the oracle's starting world from a target profile
    world_to_data: Callable[[Any], Any]  # JSON-ready export ...
    world_from_data: Callable[[Any], Any]  # ... and import (ValueError when it is not one)
    world_apply: Callable[[Any, Mapping[str, Any]], None]  # commit a decision's changes
    new_ids: Callable[[], Callable[[str], str]]  # a fresh id source, new_id(kind) -> str
    idempotency: Idempotency | None = None
    # -- a large world's export without holding the state for the whole encoding (optional; both or neither):
    # world_snapshot(world) is a cheap copy taken under the state's lock (records are immutable: shallow copies
    # of the containers), world_stream(snapshot) yields the (key, value) pairs of world_to_data's object, a
    # value being JSON-ready data or an Iterable of JSON-ready items (a list, encoded piece by piece outside
    # the lock: GET /__mock/state streams it).
    world_snapshot: Callable[[Any], Any] | None = None
    world_stream: Callable[[Any], Iterator[tuple[str, Any | Iterable[Any]]]] | None = None
    # -- one changed record as JSON-ready data and back (optional; both or neither): the Redis store ships each
    # write's `Decision.changes` ({key: record}, applied by `world_apply` as replacements: the last record of a
    # key wins) to the other workers instead of the whole world. Without them it republishes the whole world.
    change_to_data: Callable[[Any], Any] | None = None
    change_from_data: Callable[[Any], Any] | None = None  # ValueError (or KeyError/TypeError) when it is not one
    auth_realm: str = "api"  # the WWW-Authenticate realm
    timing: Mapping[str, Any] = field(default_factory=dict)  # simulated work durations (profile `timing`)
    capabilities: Mapping[str, Any] = field(default_factory=dict)  # the mock's own profile capabilities
    # -- the conformance machine
    machine: Callable[[], type] | None = None  # the API's lifecycle rules: a RuleBasedStateMachine mixin
