"""docs/fault-catalogue.md lists every faulty variant with the sentence it breaks, and is up to date."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from .faults import FAULTS
from .sequence_faults import SEQUENCE_FAULTS

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "fault_catalogue.py"


def _script():
    spec = importlib.util.spec_from_file_location("fault_catalogue", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_every_fault_says_which_sentence_it_breaks():
    for fault in (*FAULTS, *SEQUENCE_FAULTS):
        assert len(fault.breaks.split()) >= 5, fault.name
    for fault in SEQUENCE_FAULTS:
        assert '"' in fault.breaks, f"{fault.name}: quote the documents' sentence"


def test_the_page_is_up_to_date():
    script = _script()
    assert script.PAGE.read_text(encoding="utf-8") == script.render(), \
        "docs/fault-catalogue.md is out of date: run python scripts/fault_catalogue.py"
