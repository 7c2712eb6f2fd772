"""The requirement catalogue of the Club Campaigns API on its own and against the spec and the tests."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from .support import ROOT, catalogue, spec

ID_RE = re.compile(r"^CLUB-[A-Z]+-\d{3}$")
CODE_RE = re.compile(r"^CLUB\.[A-Z][A-Z_]*$")
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
HERE = Path(__file__).resolve().parent
OPERATION_IDS = {"listCampaigns", "getCampaign", "createCampaign", "updateCampaign", "scheduleCampaign",
                 "executeCampaign", "pauseCampaign", "resumeCampaign", "cancelCampaign", "getCampaignStats",
                 "getCampaignInteractions"}


def entries() -> list[dict]:
    return catalogue()["requirements"]


def spec_operation_ids() -> set[str]:
    return {op["operationId"] for item in spec()["paths"].values() for m, op in item.items() if m in HTTP_METHODS}


def spec_codes() -> set[str]:
    """Every error code the spec's responses enumerate."""
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            code = node.get("properties", {}).get("code") if isinstance(node.get("properties"), dict) else None
            if isinstance(code, dict) and "enum" in code:
                found.update(code["enum"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(spec()["paths"])
    walk(spec()["components"]["responses"])
    return found


def test_header_names_the_api_and_its_source():
    assert catalogue()["api"] == "club-campaigns"
    assert catalogue()["sources"] == {"004": "004_2362bc262209d307.txt"}


def test_ids_are_unique_and_well_formed():
    ids = [e["id"] for e in entries()]
    assert len(ids) == len(set(ids))
    assert all(ID_RE.match(i) for i in ids), [i for i in ids if not ID_RE.match(i)]


def test_ids_are_numbered_in_order_within_each_area():
    by_area: dict[str, list[int]] = {}
    for e in entries():
        _, area, n = e["id"].split("-")
        by_area.setdefault(area, []).append(int(n))
    for area, numbers in by_area.items():
        assert numbers == list(range(1, len(numbers) + 1)), area


def test_every_entry_has_the_catalogue_shape():
    for e in entries():
        assert set(e) >= {"id", "statement", "source", "level", "operations", "codes", "checks"}, e["id"]
        assert e["level"] in {"documented", "inferred"}, e["id"]
        assert ("rationale" in e) == (e["level"] == "inferred"), f"{e['id']}: rationale iff inferred"
        assert isinstance(e["statement"], str) and e["statement"].strip(), e["id"]


def test_sources_exist_and_sections_are_headings_of_the_document():
    text = (ROOT / "openapi" / "sources" / "004_2362bc262209d307.txt").read_text(encoding="utf-8")
    lines = {line.strip() for line in text.splitlines()}
    for e in entries():
        assert (ROOT / "openapi" / "sources" / e["source"]["file"]).is_file(), e["id"]
        assert e["source"]["section"] in lines, f"{e['id']}: no heading {e['source']['section']!r} in 004"


def test_the_copy_of_004_equals_the_seed():
    seed = ROOT.parent / "shared" / "seeds" / "004_2362bc262209d307.txt"
    if not seed.is_file():
        pytest.skip("../shared/seeds is not beside this checkout")
    assert (ROOT / "openapi" / "sources" / seed.name).read_bytes() == seed.read_bytes()


def test_spec_has_exactly_the_eleven_operations_of_004():
    assert spec_operation_ids() == OPERATION_IDS


def test_every_operation_of_the_catalogue_exists_in_the_spec():
    for e in entries():
        ops = e["operations"]
        assert ops == ["all"] or set(ops) <= spec_operation_ids(), e["id"]


def test_every_operation_is_covered_by_a_documented_entry():
    covered = {op for e in entries() if e["level"] == "documented" for op in e["operations"]}
    assert OPERATION_IDS <= covered | {"all"}, OPERATION_IDS - covered


def test_error_codes_agree_between_catalogue_and_spec():
    catalogued = {code for e in entries() for code in e["codes"]}
    assert all(CODE_RE.match(c) for c in catalogued)
    assert catalogued == spec_codes(), (catalogued ^ spec_codes())


def test_inferred_codes_of_the_spec_are_among_its_enumerated_codes():
    for item in spec()["paths"].values():
        for method, op in item.items():
            for status, response in op["responses"].items():
                inferred = set(response.get("x-inferred-codes", []))
                enumerated = {c for m in response.get("content", {}).values()
                              for part in m["schema"].get("allOf", []) for c in part.get("properties", {})
                              .get("code", {}).get("enum", [])}
                assert inferred <= enumerated, (op["operationId"], status)


def _marked_tests() -> dict[str, set[str]]:
    """requirement id -> node ids of the tests in this folder marked with it."""
    marked: dict[str, set[str]] = {}
    for path in sorted(HERE.glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef):
                continue
            for deco in node.decorator_list:
                if (isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute) and deco.func.attr == "req"):
                    for arg in deco.args:
                        node_id = f"{path.relative_to(ROOT)}::{node.name}"
                        marked.setdefault(arg.value, set()).add(node_id)
    return marked


def test_every_req_marker_names_a_catalogue_entry():
    ids = {e["id"] for e in entries()}
    assert set(_marked_tests()) <= ids, set(_marked_tests()) - ids


def test_checks_list_exactly_the_tests_marked_with_the_entry():
    marked = _marked_tests()
    for e in entries():
        assert set(e["checks"]) == marked.get(e["id"], set()), e["id"]


def test_every_documented_statement_is_checked():
    unchecked = [e["id"] for e in entries() if e["level"] == "documented" and not e["checks"]]
    assert not unchecked, unchecked
