"""Attach to each entry of openapi/experiture-v1/requirements.yaml the checks that exercise it.

A check is a test carrying `@pytest.mark.req("CAMP-...")` (tests/**), or a place in the conformance
machine that reports a violation against the requirement: a function of an API's rules or read-back checks
(state_machine/apis/<api>/*.py, its model excluded) that names the id, or a function of the engine
(state_machine/conformance/**) that names an event the entry's `exercised_by` lists.

    python scripts/link_requirements.py          # rewrite the `checks:` lists
    python scripts/link_requirements.py --check  # exit 1 if they are out of date

tests/apis/experiture_v1/test_requirement_links.py runs the --check form, so the catalogue cannot drift.
"""
from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "openapi" / "experiture-v1" / "requirements.yaml"
REQ_ID = re.compile(r"^CAMP-[A-Z]+-\d{3}$")


def pytest_collection_finish(session) -> None:
    """Hook used when this file runs as a pytest plugin (see `test_checks`): dump the req markers."""
    out = os.environ.get("REQ_LINKS_OUT")
    if not out:
        return
    found: dict[str, list[str]] = defaultdict(list)
    for item in session.items:
        for mark in item.iter_markers("req"):
            for rid in mark.args:
                found[rid].append(item.nodeid.split("[")[0])
    Path(out).write_text(json.dumps(found), encoding="utf-8")


def test_checks(root: Path = ROOT) -> dict[str, set[str]]:
    """requirement id -> {"tests/...py::test_name", ...}, from the `req` markers pytest collects
    (parametrized marks included)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "links.json"
        env = {**os.environ, "REQ_LINKS_OUT": str(out),
               "PYTHONPATH": os.pathsep.join([str(root / "scripts"), str(root), os.environ.get("PYTHONPATH", "")])}
        done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "link_requirements",
                               "-p", "no:cacheprovider", "tests"], cwd=root, env=env, capture_output=True, text=True,
                              timeout=300)
        if not out.exists():
            raise RuntimeError(f"test collection failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        return {rid: set(refs) for rid, refs in json.loads(out.read_text(encoding="utf-8")).items()}


def _events(root: Path) -> dict[str, set[str]]:
    """<what> of the catalogue's `exercised_by` events -> the ids of the entries naming it. A success
    event with a status (`createSendJob 201`) is named in the engine as "2xx"."""
    data = yaml.safe_load((root / "openapi" / "experiture-v1" / "requirements.yaml").read_text(encoding="utf-8"))
    found: dict[str, set[str]] = defaultdict(set)
    for entry in data["requirements"]:
        for event in entry.get("exercised_by", []):
            what = event.partition(" ")[2]
            found["2xx" if what.isdigit() else what].add(entry["id"])
    return found


def _machine_files(root: Path) -> list[Path]:
    engine = sorted((root / "state_machine" / "conformance").rglob("*.py"))
    apis = sorted(p for p in (root / "state_machine" / "apis").glob("*/*.py") if p.name != "__init__.py")
    return engine + apis


def _own_nodes(func: ast.AST):
    """The nodes of a function, without those of the functions defined inside it (named on their own)."""
    stack = list(ast.iter_child_nodes(func))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))


def machine_checks(root: Path = ROOT) -> dict[str, set[str]]:
    """requirement id -> {"state_machine/.../x.py::function"} where the machine reports it."""
    events = _events(root)
    found: dict[str, set[str]] = defaultdict(set)
    for path in _machine_files(root):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = path.relative_to(root).as_posix()
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in _own_nodes(func):
                if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                    continue
                for rid in ({node.value} if REQ_ID.match(node.value) else events.get(node.value, set())):
                    found[rid].add(f"{rel}::{func.name}")
    return found


def all_checks(root: Path = ROOT) -> dict[str, list[str]]:
    merged: dict[str, set[str]] = defaultdict(set)
    for source in (test_checks(root), machine_checks(root)):
        for rid, refs in source.items():
            merged[rid] |= refs
    return {rid: sorted(refs) for rid, refs in merged.items()}


def render(text: str, checks: dict[str, list[str]]) -> str:
    """The catalogue text with each entry's `checks:` block replaced (comments and layout kept)."""
    out: list[str] = []
    current: str | None = None
    skipping = False
    for line in text.splitlines():
        m = re.match(r"^  - id: (\S+)", line)
        if m:
            current, skipping = m.group(1), False
        if skipping:
            if line.startswith("      - ") or line.startswith("    - "):
                continue
            skipping = False
        if current and re.match(r"^    checks:", line):
            refs = checks.get(current, [])
            if refs:
                out.append("    checks:")
                out += [f"      - {ref}" for ref in refs]
            else:
                out.append("    checks: []")
            skipping = True
            continue
        out.append(line)
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    text = CATALOGUE.read_text(encoding="utf-8")
    new = render(text, all_checks())
    if "--check" in argv:
        if new != text:
            print("openapi/experiture-v1/requirements.yaml `checks:` lists are out of date: run python scripts/link_requirements.py")
            return 1
        return 0
    CATALOGUE.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
