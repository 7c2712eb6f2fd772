"""Schemathesis 4 probes of the Campaigns API: configuration, the per-case probe, the link-driven state machine.

test_probes.py runs them against the contract target; the pieces live here so a unit test can run the very
same probe against a deliberately broken app.
"""
from __future__ import annotations

import os
import json
from pathlib import Path
from typing import Any

import schemathesis
from schemathesis.config import SchemathesisConfig

SPEC = Path(__file__).resolve().parents[2] / "openapi" / "campaigns-v1.yaml"

CHECKS = [
    "not_a_server_error", "status_code_conformance", "content_type_conformance", "response_headers_conformance",
    "response_schema_conformance", "negative_data_rejection", "positive_data_acceptance", "ignored_auth",
    "use_after_free", "ensure_resource_availability", "missing_required_header", "unsupported_method",
]

JOBS = ("createScheduleJob", "createSendJob")

TRACE: list = []


def probe_config(*, headers: dict[str, str], max_examples: int, stateful_steps: int,
                 base_url: str | None = None) -> SchemathesisConfig:
    project: dict[str, Any] = {
        "headers": headers,
        "generation": {"mode": "all", "max-examples": max_examples},
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": True, "max-steps": stateful_steps, "generation": {"mode": "positive"}},
        },
        "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS},
                   "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "404", "409", "422", "429"]}},
        "output": {"sanitization": {"sensitive-markers": ["token", "secret", "password", "auth", "session",
                                                          "passwd", "credential"]}},
    }
    if base_url:
        project["base-url"] = base_url
    return SchemathesisConfig.from_dict(project)


def load_probe_schema(*, app=None, base_url: str | None = None, token: str, max_examples: int = 10,
                      stateful_steps: int = 10):
    config = probe_config(headers={"Authorization": f"Bearer {token}"}, max_examples=max_examples,
                          stateful_steps=stateful_steps, base_url=None if app is not None else base_url)
    schema = schemathesis.openapi.from_path(SPEC, config=config)
    if app is not None:
        schema.app = app
    return schema


def probe_case(case) -> None:
    response = case.call()
    if os.environ.get("PROBE_TRACE"):
        try:
            code = response.json().get("error", {}).get("code")
        except Exception:
            code = None
        meta = case.meta
        TRACE.append((case.operation.label, meta.phase.name.value if meta else None,
                      meta.generation.mode.value if meta else None, response.status_code, code,
                      getattr(meta.phase.data, "scenario", None) and str(meta.phase.data.scenario),
                      getattr(meta.phase.data, "description", None), json.dumps(case.body, default=repr)[:100],
                      dict(case.headers or {}).get("Authorization")))
    case.validate_response(response)
