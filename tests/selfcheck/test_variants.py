"""A verdict a vendor can trust: a server that differs from the mock in one behaviour the documents leave
open gets CONFORMS with exactly one advisory row (the entry it chose differently), and nothing at all for
differences no document fixes (extra fields, wording, timestamp precision, key order); with --strict the
same difference is exactly one fail row, everything that depended on it "blocked", never failed.

Each variant (variants.py) is served live on 127.0.0.1 and checked by `campaigns-contract verify` in a
subprocess, as a vendor would run it; a short budget (--examples 5) keeps each run brief.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from mock_server import MockClock, create_app
from tests.helpers.live_server import live_mock

from .variants import VARIANTS, Variant

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow
EXAMPLES = "5"

CASES = [pytest.param(v, False, id=v.name) for v in VARIANTS] + \
        [pytest.param(v, True, id=f"{v.name}-strict") for v in VARIANTS
         if v.advisory is not None or v.name == "extra_field_everywhere"]


def run_verify(variant: Variant, strict: bool, tmp_path: Path) -> tuple[subprocess.CompletedProcess, dict]:
    app = variant.install(create_app(clock=MockClock(datetime.now(timezone.utc), frozen=True)))
    with live_mock(app) as origin:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CONTRACT_")}  # a user's run: flags only
        done = subprocess.run([sys.executable, "-m", "campaigns_contract", "verify", "--target-url",
                               origin + "/public/v1", "--examples", EXAMPLES, "--shrink-seconds", "3",
                               "--report", str(tmp_path / "conformance"), *(["--strict"] if strict else [])],
                              cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    return done, json.loads((tmp_path / "conformance.json").read_text())


@pytest.mark.parametrize(("variant", "strict"), CASES)
def test_one_difference_one_row(variant: Variant, strict: bool, tmp_path):
    done, report = run_verify(variant, strict, tmp_path)
    rows = {r["id"]: r for r in report["rows"]}
    flagged = sorted(rid for rid, r in rows.items() if r["result"] in ("fail", "advisory"))
    context = f"{variant.name} ({variant.differs}): {flagged}\n{done.stdout[-1500:]}\n{done.stderr[-1500:]}"
    assert not report["unattributed_failures"], context + str(report["unattributed_failures"])
    if variant.advisory is None:
        assert done.returncode == 0 and report["verdict"] == "CONFORMS", context
        assert flagged == [], context
    elif strict:
        assert done.returncode == 1 and report["verdict"] == "DOES NOT CONFORM", context
        assert flagged == [variant.advisory] and rows[variant.advisory]["result"] == "fail", context
        assert all(set(r["blocked_by"]) <= {variant.advisory, "an earlier step"} for r in rows.values()), context
    else:
        assert done.returncode == 0 and report["verdict"] == "CONFORMS", context
        assert flagged == [variant.advisory] and rows[variant.advisory]["result"] == "advisory", context
