"""One derandomized, generation-only run of the stateful suite against an in-process app: how the
self-checks measure whether (and how fast) a faulty variant is caught."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, Phase, settings

from mock_server import MockClock, create_app
from state_machine.conformance.exchanges import token_variable
from state_machine.conformance.machine import build_machine
from state_machine.conformance.record import RunRecord
from state_machine.conformance.target import asgi_target
from state_machine.conformance.verdict import ContractViolation
from tests.helpers.live_server import live_mock


def frozen_mock(api: str | None = None) -> Any:
    """A fresh mock of `api` (the default API when None) whose clock stands still unless a run moves it."""
    return create_app(clock=MockClock(datetime.now(timezone.utc), frozen=True), **({"api": api} if api else {}))


@dataclass
class SuiteRun:
    failure: BaseException | None  # what ended the run (a violation, normally), None when it conformed
    seconds: float
    record: RunRecord


def run_suite(app, report_dir: Path, *, examples: int, steps: int) -> SuiteRun:
    record = RunRecord()
    with asgi_target(app) as target:
        machine = build_machine(target, strict=True, report_dir=report_dir, record=record)
        test = machine.TestCase
        test.settings = settings(max_examples=examples, stateful_step_count=steps, deadline=None,
                                 phases=[Phase.generate], database=None, derandomize=True,
                                 suppress_health_check=list(HealthCheck))
        started = time.perf_counter()
        try:
            test("runTest").runTest()
        except BaseException as exc:  # noqa: BLE001 - a violation arrives as the test's failure
            return SuiteRun(exc, time.perf_counter() - started, record)
        return SuiteRun(None, time.perf_counter() - started, record)


def violations_in(exc: BaseException | None) -> list[ContractViolation]:
    if isinstance(exc, ContractViolation):
        return [exc]
    if isinstance(exc, BaseExceptionGroup):
        return [v for e in exc.exceptions for v in violations_in(e)]
    return []


# --- reproductions ---------------------------------------------------------------------------------

def reproduction_of(violation: BaseException) -> Path:
    """The script a violation's message names ("Reproduction (<path> replays it)")."""
    found = re.search(r"Reproduction \((\S+) replays it\)", str(violation))
    assert found, f"no reproduction named in: {str(violation)[:400]}"
    return Path(found.group(1))


def replay(script: Path, origin: str, base_path: str) -> subprocess.CompletedProcess:
    """The script run as a user would: the base URL as its argument, the profile's tokens in the
    environment (nothing of the test's CONTRACT_* settings)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTRACT_")}
    tokens = httpx.get(origin + "/__mock/profile", timeout=10).json()["tokens"]
    env.update({token_variable(name): t["token"] for name, t in tokens.items()})
    return subprocess.run([sys.executable, str(script), origin + base_path], capture_output=True, text=True,
                          timeout=120, env=env)


def assert_reproduces(violation: BaseException, monkeypatch: Any, faulty: Callable[[], Any],
                      correct: Callable[[], Any], base_path: str) -> None:
    """The violation's reproduction, replayed over HTTP, exits 1 on a fresh faulty server (the fault is
    still there) and 0 on a fresh correct one (fixed): it re-checks the failing check, not just statuses.
    `monkeypatch` (which installed the fault) is undone before the correct server starts."""
    script = reproduction_of(violation)
    with live_mock(faulty()) as origin:
        bad = replay(script, origin, base_path)
    assert bad.returncode == 1 and "STILL FAILING" in bad.stdout, \
        f"against the faulty server: exit {bad.returncode}\n{bad.stdout[-1500:]}{bad.stderr[-1500:]}"
    monkeypatch.undo()
    with live_mock(correct()) as origin:
        good = replay(script, origin, base_path)
    assert good.returncode == 0 and "FIXED" in good.stdout, \
        f"against the correct server: exit {good.returncode}\n{good.stdout[-1500:]}{good.stderr[-1500:]}"


def caught(fault: Any, monkeypatch: Any, tmp_path: Path, *, api: str | None = None, base_path: str,
           examples: int, steps: int) -> tuple[ContractViolation, SuiteRun]:
    """Run the suite against a faulty variant (`fault.install`) and hold it to what a self-check demands: a
    contract violation, naming a written reproduction that reproduces (assert_reproduces). The violation
    and the run come back for the caller's own assertions."""
    run = run_suite(fault.install(monkeypatch, frozen_mock(api)), tmp_path, examples=examples, steps=steps)
    assert run.failure is not None, f"{fault.name} was not detected in {examples} examples ({fault.breaks})"
    found = violations_in(run.failure)
    assert found, f"{fault.name}: the run failed, but not with a contract violation: {run.failure!r}"
    assert "Reproduction" in str(found[0]) and list(tmp_path.glob("repro-*.py")), "no reproduction written"
    assert_reproduces(found[0], monkeypatch, lambda: fault.install(monkeypatch, frozen_mock(api)),
                      lambda: frozen_mock(api), base_path)
    return found[0], run
