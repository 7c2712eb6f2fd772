"""Does a response match what the spec declares for its operation and status?"""
from __future__ import annotations

from typing import Any

from .document import Operation, Spec


def response_problems(spec: Spec, op: Operation, status: int, body: Any,
                      content_type: str | None = "application/json") -> list[str]:
    """Every way the response departs from the spec (undeclared status, wrong media type, schema)."""
    key = _response_key(op, status)
    if key is None:
        return [f"{op.method} {op.path}: status {status} is not declared (declared: "
                f"{', '.join(sorted(op.responses))})"]
    declared = op.responses[key]
    content = spec.resolve(declared).get("content")
    if not content:
        return []
    media = _media(content, content_type)
    if media is None:
        return [f"{op.method} {op.path} {status}: content type {content_type!r}, expected "
                f"{' or '.join(sorted(content))}"]
    pointer = _schema_pointer(op, declared, key, media)
    if spec.is_valid(pointer, body):  # the common case: no error objects, no $ref resolution
        return []
    problems = []
    for e in sorted(spec.validator(pointer).iter_errors(body), key=lambda e: list(map(str, e.absolute_path))):
        where = "/".join(map(str, e.absolute_path)) or "(body)"
        problems.append(f"{op.method} {op.path} {status}: {where}: {e.message[:300]}")
    return problems


def response_schema(spec: Spec, op: Operation, status: int, content_type: str | None) -> str | None:
    """The JSON pointer of the schema the spec declares for this answer; None when its status or media
    type is not declared (or it declares no content), as `response_problems` reads them."""
    key = _response_key(op, status)
    if key is None:
        return None
    declared = op.responses[key]
    media = _media(spec.resolve(declared).get("content") or {}, content_type)
    return _schema_pointer(op, declared, key, media) if media else None


def _response_key(op: Operation, status: int) -> str | None:
    """The response the spec declares for `status`: its own, its class (4XX), the default, or None."""
    for key in (str(status), f"{str(status)[0]}XX", "default"):
        if op.responses.get(key):
            return key
    return None


def _media(content: dict[str, Any], content_type: str | None) -> str | None:
    """The declared media type an answer carries (application/json, or e.g. application/problem+json)."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media in content:
        return media
    return "application/json" if "application/json" in content and "application/json" in (content_type or "") \
        else None


def _schema_pointer(op: Operation, declared: Any, key: str, media: str) -> str:
    ref = declared.get("$ref", "").lstrip("#") or f"/paths/{_escape(op.path)}/{op.method.lower()}/responses/{key}"
    return f"{ref}/content/{_escape(media)}/schema"


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def declared_codes(spec: Spec, node: Any) -> set[str]:
    """Every error code the spec lets answers under `node` carry: the `enum` of each `code` property
    (examples are not declarations)."""
    node = spec.resolve(node)
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "code" and isinstance(value, dict) and "enum" in value:
                found |= set(value["enum"])
            elif key != "examples":
                found |= declared_codes(spec, value)
    elif isinstance(node, list):
        for value in node:
            found |= declared_codes(spec, value)
    return found
