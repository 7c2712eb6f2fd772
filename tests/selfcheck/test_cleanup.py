"""A run leaves no campaigns behind on a server we did not write, also when it fails or is interrupted:
everything it created is deleted or archived, and the report names each one it could not remove.

The server is a variant of the mock served over HTTP that differs where the documents leave room
(variants.py: createCampaign answers 200, not 201) AND has one documented fault (faults.py), so the run
ends with DOES NOT CONFORM. What is left is read afterwards through the target's own list endpoint, for
every tenant the profile's tokens reach (not through the run's bookkeeping): each campaign listed now that
was not listed before the run must be archived, or named in the report's `not_cleaned_up`.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.helpers.live_server import live_mock

from .faults import FAULTS
from .runner import frozen_mock
from .variants import VARIANTS

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

VARIANT = next(v for v in VARIANTS if v.name == "create_answers_200")
FAULT = next(f for f in FAULTS if f.name == "pagination_total_off_by_one")


def _server(monkeypatch):
    return VARIANT.install(FAULT.install(monkeypatch, frozen_mock()))


def listed(origin: str) -> dict[str, dict]:
    """campaignId -> row, for every campaign the target lists to any tenant the profile's tokens reach
    (walking pages until a short one: this server's pagination.total is the fault)."""
    tokens = httpx.get(origin + "/__mock/profile", timeout=10).json()["tokens"]
    by_tenant = {t["tenant"]: t["token"] for t in reversed(list(tokens.values())) if "campaigns:read" in t["scopes"]}
    rows: dict[str, dict] = {}
    for token in by_tenant.values():
        offset = 0
        while True:
            page = httpx.get(origin + "/public/v1/campaigns", params={"limit": 100, "offset": offset},
                             headers={"Authorization": f"Bearer {token}"}, timeout=30)
            assert page.status_code == 200, page.text
            data = page.json()["data"]
            rows.update({r["campaignId"]: r for r in data})
            if len(data) < 100:
                break
            offset += 100
    return rows


def verify_command(origin: str, report: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "campaigns_contract", "verify", "--target-url", origin + "/public/v1",
            "--report", str(report), "--no-color", *extra]


def env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("CONTRACT_")}  # a user's run: flags only


def left_behind(before: dict[str, dict], after: dict[str, dict], report: Path) -> list[str]:
    """The campaigns the run created that are still there, not archived, and not named in the report."""
    named = " ".join(json.loads(report.with_suffix(".json").read_text()).get("not_cleaned_up") or [])
    return [f"{cid} {row.get('name')!r} {row.get('authoringStatus')}" for cid, row in after.items()
            if cid not in before and row.get("authoringStatus") != "archived" and cid not in named]


def test_a_failing_run_leaves_nothing_behind_on_a_server_we_did_not_write(monkeypatch, tmp_path):
    report = tmp_path / "conformance"
    with live_mock(_server(monkeypatch)) as origin:
        before = listed(origin)
        # Seed 3: its probes rename campaigns they created (and clone renamed ones), which a cleanup by name
        # prefix alone left behind.
        done = subprocess.run(verify_command(origin, report, "--examples", "20", "--shrink-seconds", "5",
                                             "--seed", "3"),
                              cwd=ROOT, capture_output=True, text=True, timeout=900, env=env())
        after = listed(origin)
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr[-2000:]
    made = json.loads(report.with_suffix(".json").read_text())["coverage"]["operations"]
    assert made.get("createCampaign") and made.get("cloneCampaign"), made  # the run did create campaigns
    assert left_behind(before, after, report) == [], done.stdout[-1500:]


def test_an_interrupted_run_leaves_nothing_behind(monkeypatch, tmp_path):
    report = tmp_path / "conformance"
    with live_mock(_server(monkeypatch)) as origin:
        before = listed(origin)
        run = subprocess.Popen(verify_command(origin, report, "--examples", "200"), cwd=ROOT, env=env(),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and len(listed(origin)) < len(before) + 10:
                time.sleep(0.5)  # wait until the run has created some campaigns of its own
            assert run.poll() is None, "the run ended before it could be interrupted"
            run.send_signal(signal.SIGINT)
            output, _ = run.communicate(timeout=300)
        finally:
            if run.poll() is None:
                run.kill()
        after = listed(origin)
    assert run.returncode == 130, output[-2000:]
    assert left_behind(before, after, report) == [], output[-1500:]
