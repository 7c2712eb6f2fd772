"""Reproductions that reproduce: the repro-*.py a failing run writes replays the sequence against any base
URL (times moved to that target's clock), re-checks the failing check, exits non-zero while the fault is
there and zero on a correct server; it needs only httpx and holds no secret (tokens from the environment).
"""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone

import httpx
import pytest
from hypothesis import HealthCheck, Phase, settings

from mock_server import MockClock, create_app
from state_machine.conformance.exchanges import token_variable
from state_machine.conformance.machine import build_machine
from state_machine.conformance.target import http_target, profile_from_url
from tests.helpers.live_server import live_mock

from .faults import FAULTS

pytestmark = pytest.mark.slow


def frozen_mock():
    return create_app(clock=MockClock(datetime.now(timezone.utc), frozen=True))


def replay(script, origin: str) -> subprocess.CompletedProcess:
    """The script run as a user would: base URL as its argument, every token of the profile in the environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTRACT_")}
    tokens = httpx.get(origin + "/__mock/profile").json()["tokens"]
    env.update({token_variable(name): t["token"] for name, t in tokens.items()})
    return subprocess.run([sys.executable, str(script), origin + "/public/v1"], capture_output=True, text=True,
                          timeout=120, env=env)


@pytest.mark.parametrize("fault_name", ["pagination_total_off_by_one"])
def test_reproduction_fails_on_the_fault_and_passes_once_fixed(fault_name, monkeypatch, tmp_path):
    fault = next(f for f in FAULTS if f.name == fault_name)
    app = fault.install(monkeypatch, frozen_mock())
    with live_mock(app) as origin:
        with http_target(profile_from_url(origin + "/public/v1")) as target:
            machine = build_machine(target, strict=True, report_dir=tmp_path)
            # Generation only (no shrinking: it costs minutes over HTTP): the first failing sequence's script.
            machine.TestCase.settings = settings(max_examples=200, stateful_step_count=30, deadline=None,
                                                 phases=[Phase.generate], database=None,
                                                 derandomize=True, suppress_health_check=list(HealthCheck))
            with pytest.raises(BaseException):  # the violation  # noqa: B017
                machine.TestCase("runTest").runTest()
    # The script of the failing sequence: the last one written (names share a second; their suffix is random).
    scripts = sorted(tmp_path.glob("repro-*.py"), key=lambda p: p.stat().st_mtime_ns)
    assert scripts, "no reproduction written"
    script = scripts[-1]
    text = script.read_text()
    assert "mock-token-full" not in text and "CONTRACT_TOKEN_FULL" in text  # no secret, an env var
    with live_mock(fault.install(monkeypatch, frozen_mock())) as origin:  # the same fault on a fresh server
        faulty = replay(script, origin)
    assert faulty.returncode == 1, faulty.stdout[-2000:] + faulty.stderr[-2000:]
    assert "STILL FAILING" in faulty.stdout
    with live_mock(frozen_mock()) as origin:
        fixed = replay(script, origin)
    assert fixed.returncode == 0, fixed.stdout[-2000:] + fixed.stderr[-2000:]
    assert "FIXED" in fixed.stdout
