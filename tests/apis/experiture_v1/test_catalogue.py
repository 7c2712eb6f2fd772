"""Consistency checks of the requirement catalogue (openapi/experiture-v1/requirements.yaml).

The catalogue is checked on its own (shape, ids, sources, levels), against the seed documents it cites,
against the decisions page (every error code decided there is catalogued) and against the OpenAPI spec
(operationIds and error codes agree both ways).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
CATALOGUE = ROOT / "openapi" / "experiture-v1" / "requirements.yaml"
SPEC = ROOT / "openapi" / "experiture-v1" / "openapi.yaml"
DECISIONS = ROOT / "openapi" / "experiture-v1" / "decisions.md"
SEEDS_DIR = ROOT / "openapi" / "sources"  # a copy of ../shared/seeds (test_sources.py checks it)

SEED_FILES = {
    "000": "000_37ee6b1a92ffae20.txt",
    "001": "001_361c5ac708137b4d.txt",
    "002": "002_f3b56f435c70c65c.txt",
    "003": "003_09d0b022ee5574c4.txt",
}
OPERATIONS = {
    "createCampaign", "listCampaigns", "getCampaign", "updateCampaign", "deleteCampaign",
    "archiveCampaign", "cloneCampaign", "replaceCampaignAudience", "replaceCampaignContent",
    "setCampaignSchedule", "runCampaignPreflight", "createScheduleJob", "createSendJob",
    "getCampaignSummary", "getCampaignStatus", "getCampaignMetrics",
}
ID_RE = re.compile(r"^CAMP-([A-Z]+)-(\d{3})$")
CODE_RE = re.compile(r"^JOURNEY_API(\.[A-Z][A-Z0-9_]*)+$")
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


# ----------------------------------------------------------------------------- loading helpers

@pytest.fixture(scope="module")
def catalogue() -> dict:
    with CATALOGUE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def entries(catalogue) -> list[dict]:
    return catalogue["requirements"]


@pytest.fixture(scope="module")
def spec() -> dict:
    if not SPEC.exists():
        pytest.skip(f"{SPEC.relative_to(ROOT)} does not exist yet")
    with SPEC.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def operations_of(entry: dict) -> list[str]:
    ops = entry["operations"]
    return [ops] if isinstance(ops, str) else list(ops)


def catalogue_codes(entries: list[dict]) -> set[str]:
    return {code for e in entries for code in e["codes"]}


def spec_operation_ids(spec: dict) -> set[str]:
    ids = set()
    for item in spec.get("paths", {}).values():
        for method, op in item.items():
            if method in HTTP_METHODS and isinstance(op, dict) and "operationId" in op:
                ids.add(op["operationId"])
    return ids


def _resolve(spec: dict, node):
    """Follow local $refs until a non-reference node is reached."""
    seen = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if ref in seen or not ref.startswith("#/"):
            return node
        seen.add(ref)
        target = spec
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _schema_strings(spec: dict, schema, seen: set[int]) -> set[str]:
    """Every enum/const string of a schema, through $ref and allOf/oneOf/anyOf."""
    schema = _resolve(spec, schema)
    if not isinstance(schema, dict) or id(schema) in seen:
        return set()
    seen.add(id(schema))
    found = {v for v in schema.get("enum", []) if isinstance(v, str)}
    if isinstance(schema.get("const"), str):
        found.add(schema["const"])
    for key in ("allOf", "oneOf", "anyOf"):
        for sub in schema.get(key, []):
            found |= _schema_strings(spec, sub, seen)
    return found


def _error_codes_in(spec: dict, node, seen: set[int]) -> set[str]:
    """Walk a response (or any schema tree) and collect the enums of every `error.code` property."""
    node = _resolve(spec, node)
    if isinstance(node, list):
        out = set()
        for item in node:
            out |= _error_codes_in(spec, item, seen)
        return out
    if not isinstance(node, dict) or id(node) in seen:
        return set()
    seen.add(id(node))
    out = set()
    props = node.get("properties")
    if isinstance(props, dict) and "error" in props:
        err = _resolve(spec, props["error"])
        for err_part in [err] + [_resolve(spec, s) for k in ("allOf", "oneOf", "anyOf")
                                 for s in (err.get(k, []) if isinstance(err, dict) else [])]:
            if isinstance(err_part, dict) and "code" in err_part.get("properties", {}):
                out |= _schema_strings(spec, err_part["properties"]["code"], set())
    for value in node.values():
        out |= _error_codes_in(spec, value, seen)
    return out


def spec_error_codes(spec: dict) -> set[str]:
    """Every enum value under an `error.code` property of any response of the spec."""
    responses = []
    for item in spec.get("paths", {}).values():
        for method, op in item.items():
            if method in HTTP_METHODS and isinstance(op, dict):
                responses.extend(op.get("responses", {}).values())
    responses.extend(spec.get("components", {}).get("responses", {}).values())
    return _error_codes_in(spec, responses, set())


# ----------------------------------------------------------------------------- the file itself

def test_catalogue_header(catalogue):
    assert catalogue["api"] == "experiture-v1"
    assert catalogue["sources"] == SEED_FILES
    assert isinstance(catalogue["requirements"], list) and catalogue["requirements"]


def test_ids_are_unique_well_formed_and_sequential(entries):
    ids = [e["id"] for e in entries]
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes, f"duplicate ids: {dupes}"
    numbers: dict[str, list[int]] = {}
    for i in ids:
        m = ID_RE.match(i)
        assert m, f"bad id {i!r}"
        numbers.setdefault(m.group(1), []).append(int(m.group(2)))
    for area, nums in numbers.items():
        assert nums == list(range(1, len(nums) + 1)), f"ids of area {area} are not 001.. in order: {nums}"


def test_every_entry_has_the_required_fields(entries):
    for e in entries:
        where = e.get("id")
        assert isinstance(e.get("statement"), str) and len(e["statement"].strip()) > 10, where
        assert isinstance(e.get("source"), dict) and "file" in e["source"], where
        assert e.get("level") in {"documented", "inferred"}, where
        ops = e.get("operations")
        assert isinstance(ops, (list, str)) and ops, f"{where}: operations must be a non-empty list or 'all'"
        assert isinstance(e.get("codes"), list), where
        assert isinstance(e.get("checks"), list), where
        for code in e["codes"]:
            assert CODE_RE.match(code), f"{where}: {code!r} is not a full JOURNEY_API.* code"
        assert len(set(e["codes"])) == len(e["codes"]), f"{where}: repeated code"


def test_sources_are_seed_files(entries):
    seeds = set(SEED_FILES.values())
    for e in entries:
        f = e["source"]["file"]
        if e["level"] == "documented":
            assert f in seeds, f"{e['id']}: documented entry must cite a seed file, not {f!r}"
            assert e["source"].get("section"), f"{e['id']}: documented entry must name a section"
        else:
            assert f in seeds or f == "none", f"{e['id']}: source file {f!r}"


def test_inferred_entries_have_a_rationale_documented_ones_do_not(entries):
    for e in entries:
        if e["level"] == "inferred":
            r = e.get("rationale")
            assert isinstance(r, str) and len(r.strip()) > 20, f"{e['id']}: inferred entry needs a rationale"
        else:
            assert "rationale" not in e, f"{e['id']}: documented entries carry no rationale"


def test_operations_are_known_operation_ids(entries):
    for e in entries:
        ops = operations_of(e)
        if "all" in ops:
            assert ops == ["all"], f"{e['id']}: 'all' cannot be combined with operationIds"
            continue
        unknown = set(ops) - OPERATIONS
        assert not unknown, f"{e['id']}: unknown operations {unknown}"
        assert len(set(ops)) == len(ops), f"{e['id']}: repeated operation"


def test_enough_documented_entries_and_every_operation_covered(entries):
    documented = [e for e in entries if e["level"] == "documented"]
    assert len(documented) >= 60, len(documented)
    named = {op for e in documented for op in operations_of(e)}
    missing = OPERATIONS - named
    assert not missing, f"operations named by no documented entry: {sorted(missing)}"


def test_every_seed_file_is_a_documented_source(entries):
    cited = {e["source"]["file"] for e in entries if e["level"] == "documented"}
    missing = set(SEED_FILES.values()) - cited
    assert not missing, f"seed files cited by no documented entry: {missing}"


def test_one_scope_entry_per_operation(entries):
    scope_ops = Counter()
    for e in entries:
        if e["id"].startswith("CAMP-SCOPE-") and e["source"]["section"] == "Endpoint Index":
            ops = operations_of(e)
            assert len(ops) == 1, e["id"]
            scope_ops[ops[0]] += 1
    assert set(scope_ops) == OPERATIONS and set(scope_ops.values()) == {1}, scope_ops


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="seed documents not available")
def test_cited_seed_files_exist_and_codes_of_seeds_are_catalogued(entries):
    for name in SEED_FILES.values():
        assert (SEEDS_DIR / name).is_file(), name
    seed_text = "\n".join((SEEDS_DIR / n).read_text(encoding="utf-8") for n in SEED_FILES.values())
    # codes contain no digits; the extraction runs the HTTP status into the code column
    # ("...NOT_FOUND404Campaign"), so a code ends where the digits start
    documented_codes = set(re.findall(r"JOURNEY_API(?:\.[A-Z][A-Z_]*)+", seed_text))
    documented_codes.discard("JOURNEY_API.PUBLIC.CAMPAIGNS")  # the namespace itself ("...CAMPAIGNS.*")
    codes_of_documented_entries = {c for e in entries if e["level"] == "documented" for c in e["codes"]}
    missing = documented_codes - codes_of_documented_entries
    assert not missing, f"codes of the seed documents in no documented entry: {sorted(missing)}"


def test_every_code_of_the_decisions_page_is_catalogued(entries):
    text = DECISIONS.read_text(encoding="utf-8")
    codes = catalogue_codes(entries)
    full = set(re.findall(r"JOURNEY_API(?:\.[A-Z][A-Z_]*)+", text))
    assert full, "no codes found on the decisions page"
    assert not full - codes, f"decided codes missing from the catalogue: {sorted(full - codes)}"
    # short forms such as `NOT_DRAFT` or `AUDIENCE.REQUIRED` must name a catalogued code
    short = {s for s in re.findall(r"`([A-Z][A-Z0-9_]*(?:\.[A-Z][A-Z0-9_]*)*)`", text)
             if "_" in s and not s.startswith("JOURNEY_API")}
    for s in short:
        assert any(c.endswith("." + s) for c in codes), f"decided code {s} missing from the catalogue"


# ----------------------------------------------------------------------------- against the spec

def test_catalogue_operations_are_spec_operation_ids(entries, spec):
    ids = spec_operation_ids(spec)
    assert ids == OPERATIONS, f"spec operationIds differ from the decisions page: {ids ^ OPERATIONS}"
    for e in entries:
        ops = operations_of(e)
        if ops != ["all"]:
            assert set(ops) <= ids, f"{e['id']}: {set(ops) - ids} not in the spec"


def test_spec_error_code_collection_finds_codes(spec):
    # guards the collector itself: the spec documents at least the 403 and 404 codes
    codes = spec_error_codes(spec)
    assert "JOURNEY_API.AUTH.INSUFFICIENT_SCOPE" in codes
    assert "JOURNEY_API.PUBLIC.CAMPAIGNS.NOT_FOUND" in codes


def test_every_spec_error_code_is_catalogued(entries, spec):
    missing = spec_error_codes(spec) - catalogue_codes(entries)
    assert not missing, f"spec error codes with no catalogue entry: {sorted(missing)}"


def test_every_catalogued_code_is_in_the_spec(entries, spec):
    missing = catalogue_codes(entries) - spec_error_codes(spec)
    assert not missing, f"catalogued codes absent from the spec's error.code enums: {sorted(missing)}"


def test_documented_codes_are_in_the_spec_of_each_named_operation(entries, spec):
    per_operation: dict[str, set[str]] = {}
    for item in spec.get("paths", {}).values():
        for method, op in item.items():
            if method in HTTP_METHODS and isinstance(op, dict) and "operationId" in op:
                per_operation[op["operationId"]] = _error_codes_in(spec, list(op.get("responses", {}).values()), set())
    problems = []
    for e in entries:
        if e["level"] != "documented":
            continue
        ops = operations_of(e)
        for op in (sorted(per_operation) if ops == ["all"] else ops):
            missing = set(e["codes"]) - per_operation.get(op, set())
            if missing:
                problems.append(f"{e['id']} {op}: {sorted(missing)}")
    assert not problems, "documented codes the spec does not list on the operation:\n" + "\n".join(problems)
