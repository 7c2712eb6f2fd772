"""Time to a failing verdict: `campaigns-contract verify --fail-fast` against every faulty variant of the
self-check (tests/selfcheck: the Campaigns faults, the sequence faults and the Club faults), each served over
real HTTP on 127.0.0.1, as a user's CI would meet a broken server.

    PYTHONPATH=. .venv/bin/python bench/bench_failfast.py [--only NAME ...] [--timeout 180] [--examples N]

Per variant: a fresh frozen-clock mock of its API with the fault installed (pytest's MonkeyPatch, undone after),
served by uvicorn in a thread with the shipped settings (tests/helpers/live_server.py, mock_server.serve.options()); the command runs in its own process with
`--fail-fast --strict` (the variants break the project's own decisions too) and the default examples; the
wall time from start to exit is the time to the verdict. Expected: exit 1 (DOES NOT CONFORM) for every variant.
Results: bench/results/failfast-<UTC stamp>.json and failfast-latest.md (also printed): per variant the
seconds, exit code and the failing requirement ids; the median, 90th percentile and maximum. Target (issue
"Performance", item 5): median <= 15 s. Reported, never asserted (machines are shared and noisy).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from mock_server import serve
from tests.helpers.live_server import live_mock
from tests.selfcheck import club_faults, faults, sequence_faults
from tests.selfcheck.runner import frozen_mock

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
TARGET_MEDIAN_SECONDS = 15.0
VARIANTS = ([("experiture-v1", "/public/v1", f) for f in faults.FAULTS]
            + [("experiture-v1", "/public/v1", f) for f in sequence_faults.SEQUENCE_FAULTS]
            + [("club-campaigns", "/club/v1", f) for f in club_faults.FAULTS])


def run_one(api: str, base: str, fault, timeout: float, examples: int | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTRACT_")}  # the flags alone decide
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as monkeypatch:
        app = fault.install(monkeypatch, frozen_mock(api))
        with live_mock(app, **serve.options()) as origin:  # served as `python -m mock_server` serves
            command = [sys.executable, "-m", "campaigns_contract", "verify", "--api", api, "--target-url",
                       origin + base, "--fail-fast", "--strict", "--no-color", "--report", f"{tmp}/conformance"]
            if examples:
                command += ["--examples", str(examples)]
            started = time.perf_counter()
            try:
                done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env)
                code, tail = done.returncode, (done.stdout.strip().splitlines() or [""])[-1]
            except subprocess.TimeoutExpired:
                code, tail = None, f"no verdict within {timeout:g} s"
            seconds = time.perf_counter() - started
        failing: list[str] = []
        report = Path(tmp) / "conformance.json"
        if report.exists():
            failing = [r["id"] for r in json.loads(report.read_text())["rows"] if r["result"] == "fail"]
    return {"variant": fault.name, "api": api, "seconds": round(seconds, 2), "exit": code, "caught": code == 1,
            "failing": failing, "last_line": tail[:200]}


def summary(rows: list[dict]) -> dict:
    times = sorted(r["seconds"] for r in rows)
    n = len(times)
    return {"variants": n, "caught": sum(r["caught"] for r in rows),
            "median_seconds": round(statistics.median(times), 2) if times else None,
            "p90_seconds": round(times[min(n - 1, int(0.9 * n))], 2) if times else None,
            "max_seconds": times[-1] if times else None, "target_median_seconds": TARGET_MEDIAN_SECONDS}


def markdown(stamp: str, rows: list[dict], totals: dict, command: str) -> str:
    lines = [f"# Time to a failing verdict (--fail-fast) — {stamp}", "",
             f"Command: `{command}`; machine: {os.cpu_count()} CPUs, load average at the end "
             f"{os.getloadavg()[0]:.1f}; each variant served on 127.0.0.1 by uvicorn in the bench process, "
             "the verify command in its own process (`--fail-fast --strict`).", "",
             "| variant | API | seconds | exit | failing requirements |", "|---|---|---:|---:|---|"]
    for r in rows:
        lines.append(f"| {r['variant']} | {r['api']} | {r['seconds']:.1f} | {r['exit']} | "
                     f"{', '.join(r['failing']) or '—'} |")
    verdict = "pass" if totals["median_seconds"] is not None and \
        totals["median_seconds"] <= TARGET_MEDIAN_SECONDS else "FAIL"
    lines += ["", f"Caught (exit 1): {totals['caught']} of {totals['variants']}. Median "
              f"{totals['median_seconds']} s, 90th percentile {totals['p90_seconds']} s, maximum "
              f"{totals['max_seconds']} s. Target: median <= {TARGET_MEDIAN_SECONDS:g} s: {verdict}.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", help="variant names (default: all)")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds allowed per variant")
    parser.add_argument("--examples", type=int, default=None, help="--examples for verify (default: its own)")
    parser.add_argument("--out-dir", type=Path, default=RESULTS)
    args = parser.parse_args()
    chosen = [v for v in VARIANTS if not args.only or v[2].name in args.only]
    rows = []
    for i, (api, base, fault) in enumerate(chosen, 1):
        row = run_one(api, base, fault, args.timeout, args.examples)
        rows.append(row)
        print(f"[{i}/{len(chosen)}] {row['variant']:45s} {row['seconds']:6.1f} s  exit {row['exit']}  "
              f"{', '.join(row['failing'][:4])}", flush=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    totals = summary(rows)
    command = "PYTHONPATH=. .venv/bin/python bench/bench_failfast.py " + " ".join(sys.argv[1:])
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / f"failfast-{stamp}.json").write_text(json.dumps(
        {"stamp": stamp, "command": command, "summary": totals, "rows": rows}, indent=2))
    text = markdown(stamp, rows, totals, command)
    (args.out_dir / "failfast-latest.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
