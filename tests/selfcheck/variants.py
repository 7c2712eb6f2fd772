"""Conformant-but-different variants of the mock: each differs from it in ONE behaviour the documents leave
open (an inferred requirement) or do not fix at all (wording, extra fields, timestamp precision, key order).

A verdict a vendor can trust reports such a server as CONFORMS: one advisory row for the inferred choice it
made differently (one fail row with --strict), and nothing at all for the differences no document fixes
(standards.md, "Judging another implementation"). tests/selfcheck/test_variants.py checks exactly that.

Like faults.py, they are built outside the mock: an ASGI wrapper rewrites the answers under the API's base
path (status, JSON body, headers); nothing in the mock knows about them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tests.helpers.rewrite_answers import ExchangeRewrite, RewriteExchange

P = "JOURNEY_API.PUBLIC.CAMPAIGNS."
@dataclass(frozen=True)
class Variant:
    name: str
    differs: str  # what this server does differently, and why it still conforms
    rewrite: ExchangeRewrite
    advisory: str | None  # the one requirement the difference is reported against, None: nothing to report

    def install(self, app):
        return RewriteExchange(app, self.rewrite)


def _create_200(method, path, status, body, headers):
    if method == "POST" and path.rstrip("/").endswith("/campaigns") and status == 201:
        status = 200
    return status, body, headers


def _key_reuse_409(method, path, status, body, headers):
    if status == 422 and isinstance(body, dict) and (body.get("error") or {}).get("code") == P + "IDEMPOTENCY_KEY_REUSED":
        status = 409
    return status, body, headers


def _no_replayed_header(method, path, status, body, headers):
    return status, body, [(k, v) for k, v in headers if k.lower() != b"idempotent-replayed"]


def _extra(node: Any) -> Any:
    if isinstance(node, dict):
        return {**{k: _extra(v) for k, v in node.items()}, "vendorExtension": "x"}
    if isinstance(node, list):
        return [_extra(v) for v in node]
    return node


def _extra_fields(method, path, status, body, headers):
    return status, _extra(body) if body is not None else None, headers


def _reworded(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: (f"Request refused ({v.lower()})" if k == "message" and isinstance(v, str) else _reworded(v))
                for k, v in node.items()}
    if isinstance(node, list):
        return [_reworded(v) for v in node]
    return node


def _other_wording(method, path, status, body, headers):
    return status, _reworded(body), headers


_MILLIS = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{3})Z$")


def _precision(node: Any) -> Any:
    if isinstance(node, str):
        m = _MILLIS.match(node)
        if m:  # …:00.000Z -> …:00Z, …:00.123Z -> …:00.123000Z: both RFC 3339, the same instant
            return f"{m[1]}Z" if m[2] == "000" else f"{m[1]}.{m[2]}000Z"
        return node
    if isinstance(node, dict):
        return {k: _precision(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_precision(v) for v in node]
    return node


def _timestamp_precision(method, path, status, body, headers):
    return status, _precision(body), headers


def _reversed_keys(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _reversed_keys(node[k]) for k in reversed(list(node))}
    if isinstance(node, list):
        return [_reversed_keys(v) for v in node]
    return node


def _key_order(method, path, status, body, headers):
    return status, _reversed_keys(body), headers


VARIANTS = [
    Variant("create_answers_200", "createCampaign answers 200 instead of 201 (201 is inferred: RFC 9110)",
            _create_200, "CAMP-LIFE-013"),
    Variant("key_reuse_409", "a reused Idempotency-Key with another body answers 409 instead of 422 (inferred)",
            _key_reuse_409, "CAMP-IDEM-009"),
    Variant("no_replayed_header", "replays carry no Idempotent-Replayed header (inferred: Stripe's practice)",
            _no_replayed_header, "CAMP-IDEM-011"),
    Variant("extra_field_everywhere", "every JSON object carries one more field (a compatible extension)",
            _extra_fields, None),
    Variant("other_message_wording", "every error message is worded differently (no document fixes wording)",
            _other_wording, None),
    Variant("timestamp_precision", "timestamps with another RFC 3339 precision (…:00Z, …:00.123000Z)",
            _timestamp_precision, None),
    Variant("key_order_reversed", "every JSON object's keys in reverse order", _key_order, None),
]
