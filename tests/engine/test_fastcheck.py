"""The compiled validity checks (contract_spec.fastcheck) agree with jsonschema, instance for instance, on
every schema the mock and the suite validate against: request bodies, parameters and declared responses of
every registered API, on generated instances (valid ones and near misses)."""
from __future__ import annotations

import random
from typing import Any

import pytest

from contract_spec import load_spec
from contract_spec.fastcheck import Compiler, compile_pointer
from state_machine import registry

STRINGS = ["", "a", "draft", "email", "c0000000-0000-4000-8000-000000000001", "not-a-uuid",
           "2026-05-01T09:00:00Z", "2026-05-01T09:00:00.123+02:00", "9999-12-31T23:59:59Z", "2026-05-01",
           "2026-02-30", "Europe/Paris", "x" * 300, "\u00e9t\u00e9", "DRAFT", "ONE_TIME", "12", "-1"]
ANY = [None, True, False, 0, 1, -1, 1.5, 2.0, 10**20, "", "a", [], {}, [1], {"a": 1}]


def _gen(spec: Any, schema: Any, rng: random.Random, depth: int = 0) -> Any:
    if rng.random() < 0.08 or depth > 6 or not isinstance(schema, dict):
        return rng.choice(ANY + STRINGS)
    if "$ref" in schema and rng.random() < 0.9:
        return _gen(spec, spec.at(schema["$ref"].split("#", 1)[1]), rng, depth + 1)
    for key in ("oneOf", "anyOf", "allOf"):
        if key in schema and rng.random() < 0.7:
            return _gen(spec, rng.choice(schema[key]), rng, depth + 1)
    if "const" in schema and rng.random() < 0.7:
        return schema["const"]
    if "enum" in schema and rng.random() < 0.7:
        return rng.choice(schema["enum"])
    kind = schema.get("type", rng.choice(["object", "string", "integer"]))
    if isinstance(kind, list):
        kind = rng.choice(kind)
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        out = {}
        for name in props:
            if name in schema.get("required", []) and rng.random() < 0.95 or rng.random() < 0.5:
                out[name] = _gen(spec, props[name], rng, depth + 1)
        if rng.random() < 0.1:
            out[rng.choice(["extra", "zzz"])] = rng.choice(ANY)
        return out
    if kind == "array":
        return [_gen(spec, schema.get("items", {}), rng, depth + 1) for _ in range(rng.choice([0, 1, 2, 3]))]
    if kind == "string":
        return rng.choice(STRINGS)
    if kind == "integer":
        return rng.choice([0, 1, 5, 25, 100, 101, -3, 2.0, 10**6])
    if kind == "number":
        return rng.choice([0, 0.5, -1.25, 100, 1e300, float("nan")])
    if kind == "boolean":
        return rng.choice([True, False])
    return rng.choice(ANY)


def _pointers(spec: Any) -> list[str]:
    found = []
    for op in spec.operations.values():
        if op.body_pointer:
            found.append(op.body_pointer)
            schema = spec.schema_at(op.body_pointer)
            for target in (schema.get("discriminator") or {}).get("mapping", {}).values():
                found.append(target.lstrip("#"))
        found += [p.pointer for p in op.parameters]
        for status, declared in op.responses.items():
            ref = declared.get("$ref", "").lstrip("#")
            base = ref or f"/paths/{op.path.replace('~', '~0').replace('/', '~1')}/{op.method.lower()}/responses/{status}"
            if (spec.resolve(declared).get("content") or {}).get("application/json"):
                found.append(f"{base}/content/application~1json/schema")
    return sorted(set(found))


@pytest.mark.parametrize("api", registry.names())
def test_compiled_checks_agree_with_jsonschema(api: str) -> None:
    spec = load_spec(registry.get(api).spec_path)
    compiler = Compiler(spec.document, "urn:campaigns-contract:spec", spec.formats)
    rng = random.Random(f"fastcheck-{api}")
    pointers = _pointers(spec)
    assert pointers
    compared = valid = 0
    for pointer in pointers:
        check = compile_pointer(compiler, pointer)
        assert check is not None, f"{api} {pointer}: not compiled (the fast path would never apply)"
        validator = spec.validator(pointer)
        schema = spec.at(pointer)
        for _ in range(150):
            instance = _gen(spec, schema, rng)
            expected = validator.is_valid(instance)
            assert check(instance) == expected, f"{api} {pointer}: {instance!r} (jsonschema: {expected})"
            compared += 1
            valid += expected
    assert valid > compared * 0.05  # the generator reaches valid instances too, not only refusals
