"""The import rules of ARCHITECTURE.md, enforced."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STDLIB = set(sys.stdlib_module_names)

ENGINE_FORBIDDEN = {"state_machine.apis"}  # the engine knows no API: it asks state_machine.registry
KERNEL = {"state_machine.kernel"}
INTERFACE = KERNEL | {"state_machine.plugin", "state_machine.registry"}
API_DIRS = sorted(p.parent.relative_to(ROOT).as_posix() for p in ROOT.glob("state_machine/apis/*/__init__.py"))

# package directory -> (allowed module prefixes beyond the standard library and itself, forbidden prefixes)
RULES = {
    "state_machine/kernel": (set(), {"state_machine"}),
    "contract_spec": (INTERFACE | {"jsonschema", "referencing", "yaml"},
                      ENGINE_FORBIDDEN | {"mock_server", "state_machine.conformance", "campaigns_contract"}),
    "mock_server": (INTERFACE | {"contract_spec", "starlette", "uvicorn", "h11", "httptools", "uvloop", "orjson",
                                 "redis"},
                    ENGINE_FORBIDDEN | {"state_machine.conformance", "campaigns_contract"}),
    "state_machine/conformance": (INTERFACE | {"contract_spec", "hypothesis", "httpx", "yaml", "anyio"},
                                  ENGINE_FORBIDDEN | {"mock_server", "campaigns_contract"}),
    "campaigns_contract": (INTERFACE | {"state_machine.conformance", "contract_spec", "mock_server", "pytest", "httpx",
                                        "pydantic", "yaml"}, ENGINE_FORBIDDEN),
    # An API package: its model is pure (kernel only); the rest may use the engine's parts.
    **{f"{d}/model": (KERNEL, {"mock_server", "contract_spec", "campaigns_contract", "state_machine.conformance"})
       for d in API_DIRS},
    **{d: (INTERFACE | {"state_machine.conformance", "contract_spec", "hypothesis", "httpx"},
           {"mock_server", "campaigns_contract"}) for d in API_DIRS},
}
# Single-module layers of the interface: the plug-in contract and the registry.
MODULE_RULES = {
    "state_machine/plugin.py": KERNEL,
    "state_machine/registry.py": {"state_machine.plugin"},
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
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # `from pkg import name`: name may be a submodule, so judge pkg.name (a prefix rule covers both).
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _under(name: str, prefixes: set[str]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _bad_imports(path: Path, own: str, allowed: set[str], forbidden: set[str], root: Path) -> list[str]:
    found = []
    for name in sorted(imports_of(path, root)):
        top = name.split(".")[0]
        if top in STDLIB or top == "__future__":
            continue
        if _under(name, forbidden - {own}) and not _under(name, {own}) or not _under(name, allowed | {own}):
            found.append(f"{path.relative_to(root)} imports {name}")
    return found


def violations(package_dir: str, root: Path = ROOT, rules: dict = RULES) -> list[str]:
    allowed, forbidden = rules[package_dir]
    own = package_dir.replace("/", ".")
    nested = [d for d in rules if d != package_dir and d.startswith(package_dir + "/")]  # judged by their own rule
    return [problem for path in sorted((root / package_dir).rglob("*.py"))
            if not any(path.is_relative_to(root / d) for d in nested)
            for problem in _bad_imports(path, own, allowed, forbidden, root)]


@pytest.mark.parametrize("package_dir", sorted(RULES))
def test_layer_imports_only_what_architecture_allows(package_dir: str) -> None:
    found = violations(package_dir)
    assert not found, "imports ARCHITECTURE.md forbids:\n" + "\n".join(found)


@pytest.mark.parametrize("module", sorted(MODULE_RULES))
def test_interface_modules_import_only_the_kernel(module: str) -> None:
    own = module.removesuffix(".py").replace("/", ".")
    found = _bad_imports(ROOT / module, own, MODULE_RULES[module], set(), ROOT)
    assert not found, "\n".join(found)


def test_every_api_has_a_pure_model() -> None:
    """Each API package keeps its lifecycle in model/, which the rules above hold to the kernel."""
    assert API_DIRS, "no API package found"
    for d in API_DIRS:
        assert (ROOT / d / "model" / "__init__.py").is_file(), f"{d} has no model/ package"


def test_every_package_is_covered_by_a_rule() -> None:
    packages = {p.parent.relative_to(ROOT).as_posix() for p in ROOT.glob("*/__init__.py")}
    packages |= {p.parent.relative_to(ROOT).as_posix() for p in ROOT.glob("state_machine/**/__init__.py")}
    uncovered = {p for p in packages if not any(p == r or p.startswith(r + "/") for r in RULES)}
    assert uncovered <= {"state_machine", "state_machine/apis", "tests"}, f"packages with no import rule: {sorted(uncovered)}"


def test_detector_sees_forbidden_imports(tmp_path: Path) -> None:
    """The check can fail: a model importing starlette, an engine module importing an API package, and a
    mock module importing the conformance machine are all reported."""
    model = tmp_path / "state_machine" / "apis" / "toy" / "model"
    model.mkdir(parents=True)
    (model / "bad.py").write_text("import starlette\nfrom . import codes\nfrom state_machine.kernel import Call\n")
    (tmp_path / "mock_server").mkdir()
    (tmp_path / "mock_server" / "bad.py").write_text("from state_machine.conformance import machine\n"
                                                     "from state_machine.apis.toy import plugin\n"
                                                     "from state_machine import registry\n")
    rules = {"state_machine/apis/toy/model": RULES[f"{API_DIRS[0]}/model"], "mock_server": RULES["mock_server"]}
    assert violations("state_machine/apis/toy/model", tmp_path, rules) == [
        "state_machine/apis/toy/model/bad.py imports starlette"]
    assert not violations("state_machine/apis/toy/model", tmp_path, rules)[1:]  # kernel and own modules pass
    assert violations("mock_server", tmp_path, rules) == [
        "mock_server/bad.py imports state_machine.apis.toy.plugin",
        "mock_server/bad.py imports state_machine.conformance.machine"]
