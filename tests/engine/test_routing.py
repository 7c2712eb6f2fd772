"""Spec.find (templates indexed by segment count, literal segments compared in one call) answers exactly what
trying every operation's own path regex would: the operation, its path parameters and the allowed methods."""
from __future__ import annotations

import random

import pytest

from contract_spec import load_spec
from state_machine import registry


def _by_regex(spec, method: str, path: str):
    allowed, found = [], (None, {})
    for op in spec.operations.values():
        params = op.match(path)
        if params is None:
            continue
        allowed.append(op.method)
        if op.method == method.upper():
            found = (op, params)
    return found[0], found[1], allowed


def _paths(spec, rng: random.Random) -> list[str]:
    segments = ["", "x", "campaigns", "c0000000-0000-4000-8000-000000000001", "{id}", "%20", "a b", "summary",
                "audience", "jobs", "publish", "-"]
    paths = ["/", ""]
    for op in spec.operations.values():
        parts = op.path.split("/")
        paths.append(op.path)
        for _ in range(30):  # the template with parameters filled, emptied, or a segment swapped
            filled = [rng.choice(segments[1:]) if p.startswith("{") else p for p in parts]
            if rng.random() < 0.3:
                filled[rng.randrange(len(filled))] = rng.choice(segments)
            if rng.random() < 0.1:
                filled.append(rng.choice(segments))
            paths.append("/".join(filled))
    return paths


@pytest.mark.parametrize("api", registry.names())
def test_the_route_index_agrees_with_the_templates_regexes(api: str) -> None:
    spec = load_spec(registry.get(api).spec_path)
    rng = random.Random(7)
    for path in _paths(spec, rng):
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "get"):
            op, params, allowed = spec.find(method, path)
            expected = _by_regex(spec, method, path)
            assert (op, params, allowed) == expected, (method, path)
