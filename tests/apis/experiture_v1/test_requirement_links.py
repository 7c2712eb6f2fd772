"""Every requirement of the catalogue is checked by at least one explicit test, and the catalogue's
`checks:` lists say which (scripts/link_requirements.py keeps them up to date)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def linker():
    spec = importlib.util.spec_from_file_location("link_requirements", ROOT / "scripts" / "link_requirements.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def entries():
    return {e["id"]: e for e in yaml.safe_load((ROOT / "openapi" / "experiture-v1" / "requirements.yaml").read_text())["requirements"]}


@pytest.fixture(scope="module")
def markers(linker):
    return linker.test_checks(ROOT)


def test_every_requirement_has_an_explicit_test(entries, markers):
    """A test carrying @pytest.mark.req names each requirement, documented or inferred: the machine's own
    references do not count here, so a misreading of the documents cannot hide inside the model."""
    unchecked = sorted(rid for rid in entries if rid not in markers)
    assert not unchecked, f"requirements no test marks with @pytest.mark.req: {unchecked}"


def test_markers_name_existing_requirements(entries, markers):
    unknown = sorted(m for m in set(markers) - set(entries) if m.startswith("CAMP-"))  # other APIs: their own test
    assert not unknown, f"@pytest.mark.req names ids the catalogue lacks: {unknown}"


def test_catalogue_checks_are_up_to_date(linker, entries):
    text = (ROOT / "openapi" / "experiture-v1" / "requirements.yaml").read_text(encoding="utf-8")
    assert linker.render(text, linker.all_checks(ROOT)) == text, \
        "openapi/experiture-v1/requirements.yaml checks are stale: run `.venv/bin/python scripts/link_requirements.py`"


def test_render_replaces_only_checks(linker):
    """The rewriter keeps everything but the checks block (it can fail: a changed block is seen)."""
    text = "requirements:\n  - id: CAMP-X-001\n    level: documented\n    checks: []\n  - id: CAMP-X-002\n    checks:\n      - a\n"
    out = linker.render(text, {"CAMP-X-001": ["t::one", "t::two"]})
    assert out == ("requirements:\n  - id: CAMP-X-001\n    level: documented\n    checks:\n      - t::one\n"
                   "      - t::two\n  - id: CAMP-X-002\n    checks: []\n")


def test_machine_names_existing_requirements(linker, entries):
    """Every requirement id the conformance machine reports or counts is in the catalogue."""
    unknown = sorted(set(linker.machine_checks(ROOT)) - set(entries))
    assert not unknown, f"state_machine/conformance names ids the catalogue lacks: {unknown}"
