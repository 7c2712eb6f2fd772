"""The spec as a hand-maintained source: no dead components, no copied answers, a valid document.

openapi/experiture-v1/openapi.yaml is written by hand (no generator). An answer several operations give (401, 429,
the body-size 413, ...) lives once in components/responses and is referenced with `$ref`; an answer that
differs for one operation (its own code enum for a status, its own examples) stays inline. These tests keep
it so: every component is reachable from the operations, and no two operations carry the same inline
response of 6 lines or more.
"""
from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
import yaml

SPEC_PATH = Path(__file__).resolve().parents[3] / "openapi" / "experiture-v1" / "openapi.yaml"
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
MIN_LINES = 6  # an inline response this long, repeated in two operations, belongs in components/responses


@pytest.fixture(scope="module")
def spec() -> dict:
    with SPEC_PATH.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


# --------------------------------------------------------------------------- helpers
def _references(node: Any) -> set[str]:
    """Every component named inside `node`: `$ref`s, discriminator mappings and security requirements
    (a security requirement names its scheme by key, not by `$ref`)."""
    found: set[str] = set()
    if isinstance(node, list):
        for v in node:
            found |= _references(v)
        return found
    if not isinstance(node, dict):
        return found
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str):
            found.add(value)
        elif key == "discriminator" and isinstance(value, dict):
            found |= {v for v in value.get("mapping", {}).values() if isinstance(v, str)}
            found |= _references(value)
        elif key == "security" and isinstance(value, list):
            found |= {f"#/components/securitySchemes/{name}" for req in value if isinstance(req, dict) for name in req}
        else:
            found |= _references(value)
    return found


def _component_of(ref: str) -> tuple[str, str] | None:
    """(kind, name) of a `#/components/<kind>/<name>[/...]` reference."""
    parts = ref.split("/")
    if len(parts) >= 4 and parts[0] == "#" and parts[1] == "components":
        return parts[2], parts[3].replace("~1", "/").replace("~0", "~")
    return None


def unreferenced_components(spec: dict) -> list[str]:
    """Components no chain of references reaches from the document outside `components`."""
    components = spec.get("components", {})
    reached: set[tuple[str, str]] = set()
    todo = [c for c in map(_component_of, _references({k: v for k, v in spec.items() if k != "components"})) if c]
    while todo:
        kind, name = todo.pop()
        if (kind, name) in reached or name not in components.get(kind, {}):
            continue
        reached.add((kind, name))
        todo.extend(c for c in map(_component_of, _references(components[kind][name])) if c)
    return [f"components/{kind}/{name}" for kind, members in components.items() if isinstance(members, dict)
            for name in members if (kind, name) not in reached]


def _lines(node: Any) -> int:
    return len(yaml.safe_dump(node, sort_keys=False, default_flow_style=False).splitlines())


def repeated_inline_responses(spec: dict) -> list[str]:
    """Pairs of operations that carry an identical inline (not `$ref`) response of MIN_LINES lines or more."""
    inline = []
    for path, item in spec.get("paths", {}).items():
        for method, op in item.items():
            if method not in HTTP_METHODS:
                continue
            for status, response in op.get("responses", {}).items():
                if isinstance(response, dict) and "$ref" not in response and _lines(response) >= MIN_LINES:
                    inline.append((op.get("operationId", f"{method} {path}"), status, response))
    return [f"{a} {sa} and {b} {sb}: the same {_lines(ra)}-line response inline; share it in "
            f"components/responses"
            for (a, sa, ra), (b, sb, rb) in itertools.combinations(inline, 2) if a != b and ra == rb]


# --------------------------------------------------------------------------- the spec
def test_every_component_is_referenced(spec):
    unused = unreferenced_components(spec)
    assert not unused, "components nothing refers to (remove them, or refer to them where they apply):\n" + \
        "\n".join(unused)


def test_no_operation_repeats_another_operations_inline_response(spec):
    repeated = repeated_inline_responses(spec)
    assert not repeated, "\n".join(repeated)


def test_shared_responses_are_not_copies_of_each_other(spec):
    shared = spec["components"].get("responses", {})
    copies = [f"{a} and {b}" for (a, ra), (b, rb) in itertools.combinations(shared.items(), 2) if ra == rb]
    assert not copies, f"identical components/responses: {copies}"


def test_spec_validates_with_openapi_spec_validator(spec):
    from openapi_spec_validator import validate

    validate(spec)


# --------------------------------------------------------------------------- the checks themselves
def _response(code: str) -> dict:
    return {"description": "d", "x-inferred": True, "content": {"application/json": {"schema": {"allOf": [
        {"$ref": "#/components/schemas/E"}, {"properties": {"code": {"enum": [code]}}}]}}}}


def _document(responses_a: dict, responses_b: dict, components: dict) -> dict:
    return {"openapi": "3.1.0", "security": [{"oauth2": []}], "paths": {
        "/a": {"get": {"operationId": "a", "responses": responses_a}},
        "/b": {"get": {"operationId": "b", "responses": responses_b}}}, "components": components}


def test_the_checks_catch_what_they_are_for():
    components = {"securitySchemes": {"oauth2": {}, "unused": {}},
                  "schemas": {"E": {"properties": {"x": {"$ref": "#/components/schemas/F"}}}, "F": {},
                              "Orphan": {"$ref": "#/components/schemas/Orphan2"}, "Orphan2": {},
                              "Base": {"discriminator": {"mapping": {"k": "#/components/schemas/Mapped"}}},
                              "Mapped": {}},
                  "responses": {"Shared": _response("X"), "Unused": _response("Y")}}
    doc = _document({"400": _response("X"), "429": {"$ref": "#/components/responses/Shared"},
                     "409": {"$ref": "#/components/schemas/Base"}},
                    {"400": _response("X"), "401": _response("Z")}, components)
    # reached through a chain (E -> F), a discriminator (Base -> Mapped) and a security requirement;
    # an orphan stays unreferenced even though another orphan refers to it
    assert sorted(unreferenced_components(doc)) == ["components/responses/Unused", "components/schemas/Orphan",
                                                    "components/schemas/Orphan2",
                                                    "components/securitySchemes/unused"]
    repeated = repeated_inline_responses(doc)
    assert len(repeated) == 1 and repeated[0].startswith("a 400 and b 400")
    # one differing code is an honest per-operation difference, not a repetition
    assert not repeated_inline_responses(_document({"400": _response("X")}, {"400": _response("Y")}, components))
