"""`campaigns-contract verify --api club-campaigns` against live Club mocks on 127.0.0.1: a correct one
conforms with one report row per Club catalogue requirement, a faulty one (club_faults.py) does not and
the report names the requirement with a reproduction. Kept quick: few examples, short shrinking."""
from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import yaml

from state_machine import registry
from tests.helpers.live_server import live_mock

from .club_faults import FAULTS
from .runner import frozen_mock
from .test_cli import verify

API = "club-campaigns"
pytestmark = pytest.mark.slow


def club_mock():
    return frozen_mock(API)


def catalogue_ids() -> set[str]:
    data = yaml.safe_load(registry.get(API).catalogue_path.read_text(encoding="utf-8"))
    return {e["id"] for e in data["requirements"]}


@pytest.mark.req("CLUB-LIFE-011")
def test_correct_club_mock_conforms_with_a_row_per_club_requirement(tmp_path):
    with live_mock(club_mock()) as origin:
        before = len(httpx.get(origin + "/__mock/state").json()["world"]["campaigns"])
        done = verify("--api", API, "--target-url", origin + "/club/v1", "--examples", "8",
                      "--report", str(tmp_path / "conformance"))
        after = len(httpx.get(origin + "/__mock/state").json()["world"]["campaigns"])
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "CONFORMS" in done.stdout.splitlines()[-1]
    report = json.loads((tmp_path / "conformance.json").read_text())
    # 004 has no delete: what the run leaves is not hidden, the report counts it, by who created it, exactly.
    left = {line.split(" created by ")[1].split(":")[0]: int(line.split()[0]) for line in report["not_cleaned_up"]
            if "the API has no operation that removes them" in line}
    assert set(left) == {"the lifecycle machine", "the scenarios", "the probes"}, report["not_cleaned_up"]
    assert sum(left.values()) == after - before > 0
    rows = {r["id"]: r for r in report["rows"]}
    assert set(rows) == catalogue_ids()
    assert report["requirements"]["fail"] == 0 and rows["CLUB-LIFE-011"]["result"] == "pass"
    assert sum(r["result"] == "pass" for r in rows.values()) > len(rows) // 2
    assert "| CLUB-LIFE-011 |" in (tmp_path / "conformance.md").read_text()


@pytest.mark.req("CLUB-LIST-004")
def test_faulty_club_server_does_not_conform(tmp_path, monkeypatch):
    fault = next(f for f in FAULTS if f.name == "list_ignores_status")
    with live_mock(fault.install(monkeypatch, club_mock())) as origin:
        done = verify("--api", API, "--target-url", origin + "/club/v1", "--examples", "10",
                      "--shrink-seconds", "5", "--report", str(tmp_path / "conformance"))
    assert done.returncode == 1, done.stdout[-3000:]
    assert "DOES NOT CONFORM" in done.stdout.splitlines()[-1]
    report = json.loads((tmp_path / "conformance.json").read_text())
    failed = {r["id"]: r for r in report["rows"] if r["result"] == "fail"}
    assert "CLUB-LIST-004" in failed, sorted(failed)
    scripts = failed["CLUB-LIST-004"]["reproductions"]
    assert scripts and all(Path(p).parent == tmp_path for p in scripts)  # under the --report directory
    assert "import httpx" in Path(scripts[0]).read_text() and "club-token-full" not in Path(scripts[0]).read_text()
