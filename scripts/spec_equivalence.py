"""Is a rewritten spec the same contract as another version? (a check for refactors of the spec source)

    python scripts/spec_equivalence.py [OLD_REV]      # default OLD_REV: HEAD; NEW is the working tree

For every operation, its parameters, request body and every response (headers, links, examples, schema)
are dereferenced completely -- every `$ref`, at any depth, replaced by what it names -- in both versions and
compared for equality; so are the schema and parameter components and the document outside `paths` and
`components`. Then each response and request schema is checked through the project's own reader
(contract_spec: the JSON pointer response_problems and check_body validate against) on the same
dereferenced comparison, and response_problems must say the same, word for word, about sample answers
(every code under every status) in both versions. Exit status 1 and a list of differences when anything differs.
"""
from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SPEC = "openapi/experiture-v1/openapi.yaml"
OLD_PATHS = (SPEC, "openapi/campaigns-v1.yaml")  # where earlier revisions kept it
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def at(doc: dict, ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = doc
    for token in ref[2:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def deref(doc: dict, node: Any, stack: tuple[str, ...] = ()) -> Any:
    """`node` with every $ref replaced by its (dereferenced) target; siblings of a $ref are kept beside it
    under "$ref-target" so that a $ref with siblings never compares equal to a plain merge."""
    if isinstance(node, list):
        return [deref(doc, v, stack) for v in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node and isinstance(node["$ref"], str):
        ref = node["$ref"]
        if ref in stack:
            return {"$recursive": ref}
        target = deref(doc, at(doc, ref), stack + (ref,))
        siblings = {k: deref(doc, v, stack) for k, v in node.items() if k != "$ref"}
        return {"$ref-target": target, **siblings} if siblings else target
    out = {k: deref(doc, v, stack) for k, v in node.items()}
    # discriminator mappings name schemas by reference: compare what they name
    if isinstance(out.get("discriminator"), dict) and "mapping" in out["discriminator"]:
        out["discriminator"] = {**out["discriminator"], "mapping": {
            k: deref(doc, {"$ref": v}, stack) for k, v in out["discriminator"]["mapping"].items()}}
    return out


def operations(doc: dict) -> dict[str, tuple[str, str, dict, list]]:
    found = {}
    for path, item in doc["paths"].items():
        for method in METHODS:
            if method in item:
                found[item[method]["operationId"]] = (path, method, item[method], item.get("parameters", []))
    return found


def compare(old: dict, new: dict) -> list[str]:
    problems = []
    old_ops, new_ops = operations(old), operations(new)
    if set(old_ops) != set(new_ops):
        problems.append(f"operations differ: {sorted(set(old_ops) ^ set(new_ops))}")
    checked = 0
    for op_id in sorted(set(old_ops) & set(new_ops)):
        (p1, m1, o1, s1), (p2, m2, o2, s2) = old_ops[op_id], new_ops[op_id]
        if (p1, m1) != (p2, m2):
            problems.append(f"{op_id}: {m1} {p1} became {m2} {p2}")
        if deref(old, s1) != deref(new, s2):
            problems.append(f"{op_id}: path-level parameters differ")
        keys = set(o1) | set(o2)
        for key in sorted(keys - {"responses"}):
            if deref(old, o1.get(key)) != deref(new, o2.get(key)):
                problems.append(f"{op_id}: {key} differs")
        r1, r2 = o1.get("responses", {}), o2.get("responses", {})
        if list(r1) != list(r2):
            problems.append(f"{op_id}: statuses {list(r1)} became {list(r2)}")
        for status in sorted(set(r1) & set(r2)):
            checked += 1
            if deref(old, r1[status]) != deref(new, r2[status]):
                problems.append(f"{op_id} {status}: response differs")
    for section in ("schemas", "parameters", "securitySchemes"):
        if deref(old, old["components"].get(section)) != deref(new, new["components"].get(section)):
            problems.append(f"components/{section} differ")
    for name, response in old["components"].get("responses", {}).items():
        if name not in new["components"].get("responses", {}):
            problems.append(f"components/responses/{name} is gone")
        elif deref(old, response) != deref(new, new["components"]["responses"][name]):
            problems.append(f"components/responses/{name} differs")
    rest = lambda d: {k: v for k, v in d.items() if k not in ("paths", "components") and not k.startswith("x-")}
    if rest(old) != rest(new):
        problems.append("the document outside paths/components differs")
    print(f"compared {len(old_ops)} operations, {checked} (operation, status) responses", file=sys.stderr)
    return problems


def via_contract_spec(old: dict, new: dict) -> list[str]:
    """The schemas the project's reader validates against, dereferenced, equal in both versions."""
    sys.path.insert(0, str(ROOT))
    from contract_spec.document import Spec

    problems = []
    a, b = Spec(copy.deepcopy(old)), Spec(copy.deepcopy(new))
    n = 0
    for op_id, op_a in a.operations.items():
        op_b = b.operations[op_id]
        if op_a.body_pointer or op_b.body_pointer:
            n += 1
            if deref(old, at(old, "#" + op_a.body_pointer)) != deref(new, at(new, "#" + op_b.body_pointer)):
                problems.append(f"{op_id}: request body schema differs")
        pa = {(p.location, p.name): (p.required, deref(old, at(old, "#" + p.pointer))) for p in op_a.parameters}
        pb = {(p.location, p.name): (p.required, deref(new, at(new, "#" + p.pointer))) for p in op_b.parameters}
        if pa != pb:
            problems.append(f"{op_id}: parameters differ as contract_spec reads them")
        n += len(pa)
        for status in op_a.responses:
            for spec, doc, op, out in ((a, old, op_a, "old"), (b, new, op_b, "new")):
                declared = op.responses[status]
                ref = declared.get("$ref", "").lstrip("#") or \
                    f"/paths/{op.path.replace('~', '~0').replace('/', '~1')}/{op.method.lower()}/responses/{status}"
                response = spec.resolve(declared)
                schema = None
                if response.get("content"):
                    schema = deref(doc, at(doc, "#" + ref + "/content/application~1json/schema"))
                    spec.validator(ref + "/content/application~1json/schema")  # builds and resolves
                if out == "old":
                    old_schema = schema
                elif schema != old_schema:
                    problems.append(f"{op_id} {status}: response schema differs as contract_spec reads it")
            n += 1
    print(f"checked {n} request/parameter/response schemas through contract_spec", file=sys.stderr)
    return problems


def via_response_problems(old: dict, new: dict) -> list[str]:
    """What response_problems says about sample answers (an error envelope with each code the spec names,
    under every status 100-599; a few other bodies) is the same word for word in both versions."""
    sys.path.insert(0, str(ROOT))
    from contract_spec.document import Spec
    from contract_spec.responses import response_problems

    def codes(node: Any) -> set[str]:
        if isinstance(node, dict):
            found = set(node.get("enum", [])) if all(isinstance(v, str) for v in node.get("enum", [])) else set()
            return found.union(*(codes(v) for v in node.values()))
        if isinstance(node, list):
            return set().union(*(codes(v) for v in node))
        return set()

    a, b = Spec(copy.deepcopy(old)), Spec(copy.deepcopy(new))
    bodies = [{"success": False, "error": {"code": c, "message": "m", "details": {}}}
              for c in sorted(c for c in codes(old) | codes(new) if c.startswith("JOURNEY_API"))]
    bodies += [{}, None, {"success": True, "data": {}}, {"success": False, "error": {"code": "X"}}]
    problems, n = [], 0
    for op_id, op_a in a.operations.items():
        op_b = b.operations[op_id]
        for status in range(100, 600):
            for body in bodies:
                n += 1
                pa = [x.replace(op_a.path, "") for x in response_problems(a, op_a, status, body)]
                pb = [x.replace(op_b.path, "") for x in response_problems(b, op_b, status, body)]
                if pa != pb:
                    problems.append(f"{op_id} {status} {body}: {pa} != {pb}")
                    break
    print(f"compared response_problems on {n} (operation, status, body) samples", file=sys.stderr)
    return problems


def main() -> int:
    rev = sys.argv[1] if len(sys.argv) > 1 else "HEAD"
    shown = [subprocess.run(["git", "show", f"{rev}:{path}"], cwd=ROOT, capture_output=True, text=True)
             for path in OLD_PATHS]
    found = next((r for r in shown if r.returncode == 0), None)
    if found is None:
        print(f"no spec at {rev} under {' or '.join(OLD_PATHS)}", file=sys.stderr)
        return 2
    old = yaml.safe_load(found.stdout)
    new = yaml.safe_load((ROOT / SPEC).read_text(encoding="utf-8"))
    problems = compare(old, new) + via_contract_spec(old, new) + via_response_problems(old, new)
    for p in problems:
        print(p)
    print("EQUIVALENT" if not problems else f"{len(problems)} difference(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
