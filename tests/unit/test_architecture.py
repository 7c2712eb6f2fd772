"""The import rules of ARCHITECTURE.md, enforced."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STDLIB = set(sys.stdlib_module_names)

# package directory -> (allowed top-level third-party/project modules, forbidden project prefixes)
RULES = {
    "state_machine/model": (set(), {"state_machine.conformance", "mock_server", "contract_spec",
                                    "campaigns_contract"}),
    "contract_spec": ({"state_machine", "jsonschema", "referencing", "yaml"},
                      {"mock_server", "state_machine.conformance", "campaigns_contract"}),
    "mock_server": ({"state_machine", "contract_spec", "starlette", "uvicorn"},
                    {"state_machine.conformance", "campaigns_contract"}),
    "state_machine/conformance": ({"state_machine", "contract_spec", "hypothesis", "httpx", "yaml", "anyio"},
                                  {"mock_server", "campaigns_contract"}),
    "campaigns_contract": ({"state_machine", "contract_spec", "mock_server", "pytest", "httpx"}, set()),
}


def imports_of(path: Path, root: Path = ROOT) -> set[str]:
    """Absolute module names a file imports (relative imports resolved against its package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                found.add(".".join(base + ([node.module] if node.module else [])))
            elif node.module:
                found.add(node.module)
    return found


def violations(package_dir: str, root: Path = ROOT) -> list[str]:
    allowed, forbidden = RULES[package_dir]
    own = package_dir.replace("/", ".")
    found = []
    for path in sorted((root / package_dir).rglob("*.py")):
        for name in imports_of(path, root):
            top = name.split(".")[0]
            if name.startswith(own) or top in STDLIB or top == "__future__":
                continue
            if any(name == f or name.startswith(f + ".") for f in forbidden) or top not in allowed:
                found.append(f"{path.relative_to(root)} imports {name}")
    return found


@pytest.mark.parametrize("package_dir", sorted(RULES))
def test_layer_imports_only_what_architecture_allows(package_dir: str) -> None:
    found = violations(package_dir)
    assert not found, "imports ARCHITECTURE.md forbids:\n" + "\n".join(found)


def test_model_is_standard_library_only() -> None:
    """The model imports nothing but the standard library and itself."""
    outside = {
        f"{p.relative_to(ROOT)}: {name}"
        for p in sorted((ROOT / "state_machine" / "model").rglob("*.py"))
        for name in imports_of(p)
        if not name.startswith("state_machine.apis.experiture_v1.model") and name.split(".")[0] not in STDLIB | {"__future__"}
    }
    assert not outside


def test_every_package_is_covered_by_a_rule() -> None:
    packages = {p.parent.relative_to(ROOT).as_posix() for p in ROOT.glob("*/__init__.py")}
    packages |= {p.parent.relative_to(ROOT).as_posix() for p in ROOT.glob("state_machine/*/__init__.py")}
    uncovered = {p for p in packages if not any(p == r or p.startswith(r + "/") for r in RULES)}
    assert uncovered <= {"state_machine"}, f"packages with no import rule: {sorted(uncovered)}"


def test_detector_sees_forbidden_imports(tmp_path: Path) -> None:
    """The check can fail: a model file importing starlette, and a mock file importing the conformance
    machine, are both reported."""
    (tmp_path / "state_machine" / "model").mkdir(parents=True)
    (tmp_path / "state_machine" / "model" / "bad.py").write_text("import starlette\nfrom . import codes\n")
    (tmp_path / "mock_server").mkdir()
    (tmp_path / "mock_server" / "bad.py").write_text("from state_machine.conformance import machine\n")
    assert violations("state_machine/model", tmp_path) == ["state_machine/model/bad.py imports starlette"]
    assert violations("mock_server", tmp_path) == [
        "mock_server/bad.py imports state_machine.conformance"]
