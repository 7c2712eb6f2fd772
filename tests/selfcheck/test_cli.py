"""`campaigns-contract verify`: exit codes, the report, JUnit — against live servers on 127.0.0.1.

The command runs in a subprocess (as a CI job would), against a correct mock and a faulty one served
by this test with uvicorn; every server is stopped by the test.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.helpers.live_server import live_mock

from .faults import FAULTS
from .runner import frozen_mock

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def verify(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """The command as a user runs it: strictness and targets from its flags only (make test sets
    CONTRACT_STRICT=1 for the suite's own runs, which must not leak into these)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTRACT_")}
    return subprocess.run([sys.executable, "-m", "campaigns_contract", "verify", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, env=env)



@pytest.mark.req("CAMP-LIST-002")
def test_correct_mock_conforms_with_report_and_junit(tmp_path):
    with live_mock(frozen_mock()) as origin:  # the project's own mock: held to inferred requirements too
        done = verify("--target-url", origin + "/public/v1", "--examples", "10", "--strict",
                      "--report", str(tmp_path / "conformance"), "--junit", str(tmp_path / "junit.xml"))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "CONFORMS" in done.stdout.splitlines()[-1]
    report = json.loads((tmp_path / "conformance.json").read_text())
    assert report["verdict"] == "CONFORMS" and report["requirements"]["fail"] == 0
    rows = {r["id"]: r for r in report["rows"]}
    assert rows["CAMP-LIFE-001"]["result"] == "pass"  # every run creates campaigns
    assert any(r["result"] == "not exercised" for r in rows.values()) or all(
        r["result"] == "pass" for r in rows.values())
    assert report["coverage"]["operations"]["createCampaign"]
    md = (tmp_path / "conformance.md").read_text()
    assert md.startswith("# Conformance report: CONFORMS") and "| CAMP-LIFE-001 |" in md
    suites = ET.parse(tmp_path / "junit.xml").getroot()  # one test case per requirement, by operation
    cases = {c.get("name"): c for c in suites.iter("testcase")}
    assert set(cases) == set(rows) and cases["CAMP-LIST-002"].get("classname") == "listCampaigns"
    html = (tmp_path / "conformance.html").read_text()
    assert html.startswith("<!doctype html>") and "CAMP-LIST-002" in html and "<script" not in html
    for written in (tmp_path / "conformance.md", tmp_path / "conformance.json", tmp_path / "junit.xml"):
        assert "mock-token-full" not in written.read_text()  # secrets redacted


@pytest.mark.req("CAMP-LIST-002", "CAMP-LIST-003")
def test_faulty_server_does_not_conform_and_the_report_names_the_requirement(tmp_path, monkeypatch):
    fault = next(f for f in FAULTS if f.name == "pagination_total_off_by_one")
    app = fault.install(monkeypatch, frozen_mock())
    with live_mock(app) as origin:
        done = verify("--target-url", origin + "/public/v1", "--examples", "30", "--shrink-seconds", "10",
                      "--report", str(tmp_path / "conformance"))
    assert done.returncode == 1, done.stdout[-3000:]
    assert "DOES NOT CONFORM" in done.stdout.splitlines()[-1]
    report = json.loads((tmp_path / "conformance.json").read_text())
    failed = [r for r in report["rows"] if r["result"] == "fail"]
    assert {"CAMP-LIST-002", "CAMP-LIST-003"} & {r["id"] for r in failed}, failed
    evidence = " ".join(e for r in failed for e in r["evidence"])
    assert "pagination.total" in evidence
    assert {f["id"] for f in report["failing"]} == {r["id"] for r in failed}  # listed first, one line each
    scripts = [p for r in failed for p in r["reproductions"]]
    assert scripts and all(Path(p).parent == tmp_path for p in scripts)  # under the --report directory
    assert "import httpx" in Path(scripts[0]).read_text() and "mock-token-full" not in Path(scripts[0]).read_text()


def test_bad_profile_gives_no_verdict(tmp_path):
    profile = tmp_path / "profile.yaml"
    profile.write_text("api: experiture-v1\nbase_url: http://127.0.0.1:9/public/v1\n")  # no tokens
    done = verify("--target-profile", str(profile), timeout=60)
    assert done.returncode == 2
    assert "bad target profile" in done.stderr and "tokens" in done.stderr


def _profile_of(origin: str, tmp_path, **changes) -> str:
    import httpx
    import yaml

    data = {**httpx.get(origin + "/__mock/profile").json(), **changes}
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


@pytest.mark.parametrize("broken", ["base_path", "token", "fixture"])
def test_a_broken_run_gives_no_verdict_in_seconds(broken, tmp_path):
    """A base URL that is not the API, a token the target refuses, a fixture that does not exist: exit 2,
    one line naming the profile key at fault, before any test runs."""
    import time

    with live_mock(frozen_mock()) as origin:
        profile = _profile_of(origin, tmp_path)
        import yaml

        data = yaml.safe_load(open(profile))
        if broken == "base_path":
            data["base_url"] = origin + "/v1"
        elif broken == "token":
            data["tokens"]["reader"]["token"] = "not-the-reader"
        else:
            data["fixtures"]["campaigns"].append({"id": "0badc0de-0000-4000-8000-00000000beef", "role": "x"})
        (tmp_path / "profile.yaml").write_text(yaml.safe_dump(data))
        started = time.monotonic()
        done = verify("--target-profile", profile, timeout=60)
        seconds = time.monotonic() - started
    assert done.returncode == 2, done.stdout[-2000:] + done.stderr
    assert done.stderr.count("\n") == 1 and seconds < 20, (seconds, done.stderr)
    assert {"base_path": "`base_url`", "token": "`tokens.reader`", "fixture": "`fixtures.campaigns["}[broken] \
        in done.stderr


def test_unreachable_target_gives_no_verdict(tmp_path):
    profile = tmp_path / "profile.yaml"
    profile.write_text("api: experiture-v1\nbase_url: http://127.0.0.1:9/public/v1\n"
                       "tokens: {full: {token: x, tenant: t1, scopes: []}}\n")
    done = verify("--target-profile", str(profile), timeout=60)
    assert done.returncode == 2
    assert "unreachable" in done.stderr and done.stderr.count("\n") == 1  # one line
