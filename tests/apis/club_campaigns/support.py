"""Shared helpers of the Club Campaigns tests: the fixtures' world at 004's own moment, calls, and a check
that every answer the model gives is one the spec allows (status declared, body valid for its schema)."""
from __future__ import annotations

import functools
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from state_machine.apis.club_campaigns import fixtures, plugin
from state_machine.apis.club_campaigns.model import World
from state_machine.kernel import Call, Decision

ROOT = Path(__file__).resolve().parents[3]
SPEC_PATH = ROOT / "openapi" / "club-campaigns" / "openapi.yaml"
CATALOGUE_PATH = ROOT / "openapi" / "club-campaigns" / "requirements.yaml"
SOURCE = ROOT / "openapi" / "sources" / "004_2362bc262209d307.txt"

NOW = fixtures.DOC_EXAMPLE_NOW  # 2025-12-14T10:00:00Z: 004's createdAt, startedAt and cancelledAt
TENANT, OTHER_TENANT = "tenant_123", "tenant_456"
SECOND = timedelta(seconds=1)


def world(now: datetime = NOW) -> World:
    return fixtures.build(now).world


def call(operation: str, resource_id: str | None = None, *, now: datetime = NOW, tenant: str = TENANT,
         body: dict[str, Any] | None = None, query: dict[str, Any] | None = None) -> Call:
    ids = iter(f"campaign_new_{i}" for i in range(1, 1000))
    return Call(operation, tenant, now, resource_id=resource_id, body=body or {}, query=query or {},
                new_id=lambda kind: next(ids))


def decide(w: World, operation: str, resource_id: str | None = None, *, commit: bool = True, **kw: Any) -> Decision:
    """The model's decision, checked against the spec, and committed when it succeeded."""
    decision = plugin.decide(w, call(operation, resource_id, **kw))
    assert_conforms(operation, decision)
    if commit and decision.ok:
        w.apply(decision.changes)
    return decision


def body(decision: Decision) -> Any:
    return plugin.envelope.render(decision)


def read(w: World, campaign_id: str, at: datetime) -> dict[str, Any]:
    d = decide(w, "getCampaign", campaign_id, now=at)
    assert d.status == 200, body(d)
    return d.data


@functools.cache
def spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


@functools.cache
def catalogue() -> dict[str, Any]:
    return yaml.safe_load(CATALOGUE_PATH.read_text(encoding="utf-8"))


def _local(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: (v.replace("#/components/schemas/", "#/$defs/") if k == "$ref" else _local(v))
                for k, v in node.items()}
    return [_local(v) for v in node] if isinstance(node, list) else node


def validator(schema: dict[str, Any]) -> Draft202012Validator:
    """A Draft 2020-12 validator for a schema of the spec, with the components reachable and formats checked."""
    return Draft202012Validator({**_local(schema), "$defs": _local(spec()["components"]["schemas"])},
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def operation(operation_id: str) -> dict[str, Any]:
    for item in spec()["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                return op
    raise KeyError(operation_id)


def assert_conforms(operation_id: str, decision: Decision) -> None:
    """The decided answer is declared by the spec for this operation, its body valid for the response's
    schema (and, for an error, its code one of the response's enumerated codes)."""
    responses = operation(operation_id)["responses"]
    assert str(decision.status) in responses, f"{operation_id} answers {decision.status}, not in the spec"
    content = responses[str(decision.status)]["content"]
    (media, schema), = ((m, c["schema"]) for m, c in content.items())
    assert media == ("application/json" if decision.ok else "application/problem+json")
    errors = [e.message for e in validator(schema).iter_errors(body(decision))]
    assert not errors, f"{operation_id} {decision.status}: {errors}"
