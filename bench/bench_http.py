"""HTTP benchmark of the mock with wrk, against a bare Starlette ceiling and Prism, on loopback.

    PYTHONPATH=. .venv/bin/python bench/bench_http.py [--duration 10] [--connections 32] [--quick] ...
    make bench                      # the same (after installing wrk / Prism if missing), then bench_scale.py
    make bench QUICK=1              # 3 s runs (smoke test), then the in-process bench/bench_mock.py

Installs nothing. Needs `wrk` (Debian package `wrk`); uses, when present, Prism at
bench/.node/node_modules/.bin/prism (npm install --prefix bench/.node @stoplight/prism-cli).

Servers (each started afresh for each case, on a free 127.0.0.1 port, pinned `taskset -c 0`; wrk pinned
`taskset -c 1`), under two uvicorn settings:
- default: the mock as shipped (`python -m mock_server`: uvloop + httptools, project dependencies) and the bare
  ceiling app under the SAME settings (bench/serve.py: the loop and parser the shipped command resolves to);
- h11: `python -m mock_server --loop asyncio --http h11` and the ceiling under loop=asyncio, http=h11 (the
  previous shipped setting, for comparison);
- Prism static mock of the case's API document, openapi/<api>/openapi.yaml (Node; one setting; it serves the
  spec's paths at the root, without the servers' base path).
Cases: both APIs -- Campaigns v1 (GET campaign, GET summary, a filtered list, POST create with a fresh
Idempotency-Key, PUT audience) and Club (`python -m mock_server --api club-campaigns`: GET campaign, a filtered
list, POST create). The ceiling is one bare app for both (a fixed body whatever the path).
A run with any non-2xx answer or socket error is marked invalid and gives no ratio.
Then (--growth SECONDS, default 60; 0 skips) one POST-create run of that length against one fresh default mock
as its store grows, measured in 10 s windows: p99 of the first window against the last, and the server's RSS.
Results: bench/results/http-<UTC stamp>.json and bench/results/latest.md (also printed). The targets are
reported as pass/fail; they never fail the command. Everything started is killed (process groups) on exit.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
LUA = BENCH / "wrk" / "request.lua"
PRISM = BENCH / ".node" / "node_modules" / ".bin" / "prism"
SPEC = ROOT / "openapi" / "experiture-v1" / "openapi.yaml"
RESULTS = BENCH / "results"
PY = sys.executable
TOKEN = "mock-token-full"
CID = "c0000000-0000-4000-8000-000000000001"
BASE = "/public/v1"
DEFAULT_API = "experiture-v1"
# Per API: base path, the full token, the spec (Prism serves its paths at the root)
APIS = {DEFAULT_API: (BASE, TOKEN, SPEC),
        "club-campaigns": ("/club/v1", "club-token-full", ROOT / "openapi" / "club-campaigns" / "openapi.yaml")}


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str  # under BASE
    body: str | None = None  # file under bench/wrk
    idem: bool = False
    ceiling: str = "GET"  # which ceiling case it is compared with (the bare app: the same for every API)
    api: str = DEFAULT_API

    @property
    def token(self) -> str:
        return APIS[self.api][1]


CASES = [
    Case("GET campaign", "GET", f"/campaigns/{CID}", ceiling="GET"),
    Case("GET summary", "GET", f"/campaigns/{CID}/summary", ceiling="GET"),
    Case("GET list (filters)", "GET", "/campaigns?limit=2&status=draft&channel=email", ceiling="GET"),
    Case("POST create (Idempotency-Key)", "POST", "/campaigns", "create_campaign.json", idem=True, ceiling="POST"),
    Case("PUT audience", "PUT", f"/campaigns/{CID}/audience", "put_audience.json", ceiling="PUT"),
    Case("Club GET campaign", "GET", "/campaigns/campaign_123", ceiling="GET", api="club-campaigns"),
    Case("Club GET list", "GET", "/campaigns?tenantId=tenant_123&status=DRAFT&type=ONE_TIME", ceiling="GET",
         api="club-campaigns"),
    Case("Club POST create", "POST", "/campaigns", "club_create_campaign.json", ceiling="POST", api="club-campaigns"),
]
CEILING_CASES = {  # the bare app answers any path under /public/v1; same request bytes as the mock's cases
    "GET": Case("GET", "GET", f"/campaigns/{CID}"),
    "POST": Case("POST", "POST", "/campaigns", "create_campaign.json", idem=True),
    "PUT": Case("PUT", "PUT", f"/campaigns/{CID}/audience", "put_audience.json"),
}
# Targets (reported, never enforced): throughput ratios per case, and p99 against the ceiling's p99.
TARGETS = {
    "GET campaign": {"ceiling": 0.6, "prism": 3.0},
    "GET summary": {"ceiling": 0.6, "prism": 3.0},
    "POST create (Idempotency-Key)": {"ceiling": 0.5, "prism": 2.0},
}
P99_TARGET = 2.0  # mock p99 <= 2x the ceiling's p99 (every case)
SETTINGS = ["default", "h11"]
GROWTH_WINDOW_S = 10
GROWTH_TARGET = 1.5  # p99 of the last window <= 1.5x the first: "flat" as the store grows


@dataclass
class Server:
    kind: str  # mock | ceiling | prism
    setting: str  # default | h11 | node
    prefix: str = BASE
    env: dict = field(default_factory=dict)
    api: str = DEFAULT_API

    def command(self, port: int) -> list[str]:
        if self.kind == "prism":
            return [str(PRISM), "mock", str(APIS[self.api][2]), "-p", str(port), "-h", "127.0.0.1"]
        shipped = [PY, "-m", "mock_server", "--host", "127.0.0.1", "--port", str(port)]
        if self.api != DEFAULT_API:
            shipped += ["--api", self.api]
        if self.kind == "mock":
            return shipped if self.setting == "default" else [*shipped, "--loop", "asyncio", "--http", "h11"]
        loop, http = SHIPPED if self.setting == "default" else ("asyncio", "h11")
        return [PY, str(BENCH / "serve.py"), "--app", "bare", "--loop", loop, "--http", http, "--port", str(port)]

    @property
    def label(self) -> str:
        return "prism" if self.kind == "prism" else f"{self.kind} ({self.setting})"


# ---------------------------------------------------------------------------------------------- helpers

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pinned(cmd: list[str], core: int | None) -> list[str]:
    return ["taskset", "-c", str(core), *cmd] if core is not None else cmd


def one_request(port: int, case: Case, prefix: str, timeout: float = 5.0) -> tuple[int, str]:
    """One request of the case (fresh key), for the readiness/sanity check: (status, start of the body)."""
    data = (BENCH / "wrk" / case.body).read_bytes() if case.body else None
    headers = {"Authorization": f"Bearer {case.token}"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    if case.idem:
        headers["Idempotency-Key"] = str(uuid.uuid4())
    req = urllib.request.Request(f"http://127.0.0.1:{port}{prefix}{case.path}", data=data, headers=headers,
                                 method=case.method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read(300).decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(300).decode(errors="replace")


class Running:
    """A server in its own process group; stop() kills the whole group."""

    def __init__(self, server: Server, port: int, core: int | None, logdir: Path, tag: str) -> None:
        self.server, self.port = server, port
        self.log_path = logdir / f"{tag}.log"
        env = dict(os.environ, **server.env)
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(pinned(server.command(port), core), cwd=ROOT, env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)

    def wait_ready(self, case: Case, timeout: float) -> tuple[int, str]:
        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.server.label} exited with {self.proc.returncode}: {self.log_tail()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    pass
                return one_request(self.port, case, self.server.prefix)
            except OSError as exc:
                last = exc
                time.sleep(0.2)
        raise RuntimeError(f"{self.server.label} not ready after {timeout:.0f} s ({last}): {self.log_tail()}")

    def log_tail(self, n: int = 600) -> str:
        self.log.flush()
        return self.log_path.read_bytes()[-n:].decode(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
            except ProcessLookupError:
                pass
        self.log.close()


def cpu_busy_seconds() -> float:
    """Busy CPU time of the whole machine so far (all CPUs, /proc/stat), in seconds."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float:
    try:
        parts = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0.0


def run_wrk(port: int, case: Case, prefix: str, duration: float, connections: int, threads: int,
            core: int | None, server_pid: int | None = None) -> dict:
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration:g}s", "--latency",
           "--timeout", "5s", "-s", str(LUA), f"http://127.0.0.1:{port}{prefix}{case.path}", "--",
           case.method, case.token, str(BENCH / "wrk" / case.body) if case.body else "-", "idem" if case.idem else "-"]
    busy0, server0, kids0 = cpu_busy_seconds(), process_cpu_seconds(server_pid or 0), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    done = subprocess.run(pinned(cmd, core), capture_output=True, text=True, timeout=duration + 30,
                          stdin=subprocess.DEVNULL)
    kids1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_cpu = process_cpu_seconds(server_pid or 0) - server0
    wrk_cpu = (kids1.ru_utime - kids0.ru_utime) + (kids1.ru_stime - kids0.ru_stime)
    # CPU used on the machine by anything but this server and wrk during the run (other jobs on a shared box)
    other_cpu = max(0.0, cpu_busy_seconds() - busy0 - server_cpu - wrk_cpu)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("WRKJSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr[-500:]} {done.stdout[-500:]}")
    stats = json.loads(line[len("WRKJSON "):])
    seconds = stats["duration_us"] / 1e6
    statuses = {int(k): v for k, v in stats["statuses"].items()}
    non_2xx = sum(n for code, n in statuses.items() if not 200 <= code < 300)
    socket_errors = sum(v for k, v in stats["errors"].items() if k != "status")
    return {
        "requests": stats["requests"], "seconds": round(seconds, 3),
        "rps": round(stats["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": stats["latency_us"]["p50"] / 1e3, "p90_ms": stats["latency_us"]["p90"] / 1e3,
        "p99_ms": stats["latency_us"]["p99"] / 1e3, "p999_ms": stats["latency_us"]["p999"] / 1e3,
        "mean_ms": round(stats["latency_us"]["mean"] / 1e3, 3), "max_ms": stats["latency_us"]["max"] / 1e3,
        "statuses": {str(k): v for k, v in sorted(statuses.items())}, "non_2xx": non_2xx,
        "socket_errors": socket_errors, "errors": stats["errors"],
        "server_cpu": round(server_cpu / seconds, 2) if seconds else None,
        "wrk_cpu": round(wrk_cpu / seconds, 2) if seconds else None,
        "other_cpu": round(other_cpu / seconds, 2) if seconds else None,
        # requests per second of server CPU: less sensitive than req/s to other jobs on a shared machine
        "req_per_cpu_s": round(stats["requests"] / server_cpu, 1) if server_cpu > 0 else None,
        "valid": non_2xx == 0 and socket_errors == 0 and stats["requests"] > 0,
        "wrk_output": "\n".join(ln for ln in done.stdout.splitlines() if not ln.startswith("WRKJSON ")),
    }


def measure(server: Server, case: Case, args, logdir: Path) -> dict:
    tag = f"{server.kind}-{server.setting}-{case.name}".replace(" ", "_").replace("(", "").replace(")", "")
    record = {"server": server.kind, "setting": server.setting, "case": case.name, "method": case.method,
              "path": server.prefix + case.path, "connections": args.connections, "threads": args.threads,
              "duration_s": args.duration}
    running = Running(server, free_port(), args.server_core, logdir, tag)
    try:
        status, body = running.wait_ready(case, timeout=90 if server.kind == "prism" else 30)
        record["sanity"] = {"status": status, "body_start": body[:200]}
        if not 200 <= status < 300:
            record.update(valid=False, error=f"sanity request answered {status}: {body[:200]}")
            return record
        if args.warmup > 0:
            run_wrk(running.port, case, server.prefix, args.warmup, args.connections, args.threads, args.client_core)
        record.update(run_wrk(running.port, case, server.prefix, args.duration, args.connections, args.threads,
                              args.client_core, running.proc.pid))
        if running.proc.poll() is not None:
            record.update(valid=False, error=f"server died during the run: {running.log_tail()}")
    except Exception as exc:  # noqa: BLE001 - one failing server must not stop the others
        record.update(valid=False, error=f"{type(exc).__name__}: {exc}")
    finally:
        running.stop()
    return record


def growth_run(args, logdir: Path) -> dict:
    """POST create with fresh keys against ONE default mock for args.growth seconds, as consecutive 10 s wrk
    windows (the store keeps what every window created): req/s and p99 per window, RSS at the end."""
    case = next(c for c in CASES if c.method == "POST")
    server = Server("mock", "default", env={"PYTHONPATH": str(ROOT)})
    running = Running(server, free_port(), args.server_core, logdir, "growth")
    out: dict = {"duration_s": args.growth, "window_s": GROWTH_WINDOW_S, "windows": []}
    try:
        running.wait_ready(case, timeout=30)
        created = 0
        for i in range(max(1, args.growth // GROWTH_WINDOW_S)):
            r = run_wrk(running.port, case, server.prefix, GROWTH_WINDOW_S, args.connections, args.threads,
                        args.client_core, running.proc.pid)
            created += r["requests"]
            out["windows"].append({k: r[k] for k in ("rps", "p50_ms", "p99_ms", "p999_ms", "max_ms", "non_2xx",
                                                     "socket_errors", "server_cpu", "other_cpu", "req_per_cpu_s",
                                                     "valid")} | {"window": i + 1, "created_so_far": created})
            print(f"  window {i + 1}: {r['rps']:7.0f} req/s  p99 {r['p99_ms']:7.2f} ms  created {created}  "
                  f"cpu srv/other {r['server_cpu']:.2f}/{r['other_cpu']:.2f}", flush=True)
        out["rss_mb_end"] = rss_mb(running.proc.pid)
        out["created"] = created
    except Exception as exc:  # noqa: BLE001
        out["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        running.stop()
    return out


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


# ---------------------------------------------------------------------------------------------- environment

SHIPPED = ("uvloop", "httptools")  # what `python -m mock_server` resolves to (set in main)


def shipped_settings(pythonpath: str) -> tuple[str, str]:
    """(loop, http) of the mock's default command, as mock_server.serve.options() resolves them."""
    code = ("from mock_server import serve; o = serve.options(); "
            "print(o['loop'], 'httptools' if 'HttpTools' in o['http'].__name__ else 'h11')")
    out = subprocess.run([PY, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT,
                         env=dict(os.environ, PYTHONPATH=pythonpath), stdin=subprocess.DEVNULL)
    loop, http = out.stdout.split() if out.returncode == 0 else ("asyncio", "h11")
    return loop, http


def sh(cmd: list[str], **kw) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL, **kw)
        return (out.stdout or out.stderr).strip()
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unavailable ({exc})"


def importable(modules: str, pythonpath: str) -> str | None:
    """Versions of the modules when importable under that PYTHONPATH, else None."""
    code = (f"import importlib.metadata as m\nfor n in {modules.split()!r}:\n    __import__(n)\n"
            f"print(' '.join(n + ' ' + m.version(n) for n in {modules.split()!r}))")
    out = subprocess.run([PY, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT,
                         env=dict(os.environ, PYTHONPATH=pythonpath), stdin=subprocess.DEVNULL)
    return out.stdout.strip() if out.returncode == 0 else None


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {"nproc": os.cpu_count(), "cpu_model": cpu, "memory": mem, "kernel": platform.release(),
            "python": platform.python_version()}


# ---------------------------------------------------------------------------------------------- report

def ratio(a: dict | None, b: dict | None, key: str = "rps") -> float | None:
    if not a or not b or not a.get("valid") or not b.get("valid") or not b.get(key):
        return None
    return round(a[key] / b[key], 3)


def analyse(runs: list[dict], settings: list[str], cases: list[Case]) -> tuple[list[dict], list[dict]]:
    def find(server: str, setting: str, case: str) -> dict | None:
        return next((r for r in runs if r["server"] == server and r["setting"] == setting and r["case"] == case),
                    None)

    ratios, checks = [], []
    for case in cases:
        prism = find("prism", "node", case.name)
        for setting in settings:
            mock, ceiling = find("mock", setting, case.name), find("ceiling", setting, case.ceiling)
            row = {"case": case.name, "setting": setting, "ceiling_case": case.ceiling,
                   "mock_over_ceiling": ratio(mock, ceiling), "mock_over_prism": ratio(mock, prism),
                   "p99_over_ceiling_p99": ratio(mock, ceiling, "p99_ms"),
                   "per_cpu_over_ceiling": ratio(mock, ceiling, "req_per_cpu_s"),
                   "per_cpu_over_prism": ratio(mock, prism, "req_per_cpu_s")}
            ratios.append(row)
            target = TARGETS.get(case.name, {})
            for what, goal in (("ceiling", target.get("ceiling")), ("prism", target.get("prism"))):
                if goal is None:
                    continue
                value = row[f"mock_over_{what}"]
                checks.append({"check": f"{case.name}: mock/{what} rps >= {goal}x", "setting": setting,
                               "value": value, "verdict": "n/a" if value is None else
                               ("pass" if value >= goal else "FAIL")})
            value = row["p99_over_ceiling_p99"]
            checks.append({"check": f"{case.name}: p99 <= {P99_TARGET:g}x ceiling p99", "setting": setting,
                           "value": value, "verdict": "n/a" if value is None else
                           ("pass" if value <= P99_TARGET else "FAIL")})
    return ratios, checks


def fmt(x: float | None, spec: str = ".2f", suffix: str = "") -> str:
    return "—" if x is None else f"{x:{spec}}{suffix}"


def markdown(result: dict) -> str:
    meta, runs = result["meta"], result["runs"]
    m = meta["machine"]
    out = [f"# HTTP benchmark — {meta['timestamp']}", "",
           f"Machine: {m['nproc']} CPUs, {m['cpu_model']}, {m['memory']}, Linux {m['kernel']}, Python {m['python']}. "
           f"{meta['wrk']}: {meta['connections']} connections, {meta['threads']} thread(s), "
           f"{meta['duration_s']:g} s per run after {meta['warmup_s']:g} s warm-up, best of {meta['repeat']}; servers pinned to CPU "
           f"{meta['server_core']}, wrk to CPU {meta['client_core']}; a fresh server per run.", "",
           f"Settings: **default** = `python -m mock_server` as shipped ({meta['shipped_effective']}) and the "
           f"ceiling (bench/serve.py, bare Starlette app) under the same loop and parser; **h11** = `python -m "
           f"mock_server --loop asyncio --http h11` and the ceiling under loop=asyncio, http=h11; **prism** = "
           f"{meta['prism']}.", "",
           "## Runs", "",
           "CPU columns: CPUs used on average during the run by the server, by wrk, and by anything else on the "
           "machine (other jobs). A server CPU under 0.90 (\"disturbed\") means the server was not saturated or "
           "was starved by other jobs: treat that figure with care. req/CPU-s = requests per second of server CPU time, "
           "less sensitive to other jobs.", "",
           "| case | server | req/s | p50 ms | p99 ms | non-2xx | socket errors | server CPU | wrk CPU | other CPU "
           "| req/CPU-s | valid |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in runs:
        label = "prism" if r["server"] == "prism" else f"{r['server']} ({r['setting']})"
        case = r["case"] if r["server"] != "ceiling" else f"ceiling {r['case']}"
        if "rps" in r:
            out.append(f"| {case} | {label} | {r['rps']:.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | "
                       f"{r['non_2xx']} | {r['socket_errors']} | {r['server_cpu']:.2f} | {r['wrk_cpu']:.2f} | "
                       f"{r['other_cpu']:.2f} | {fmt(r['req_per_cpu_s'], '.0f')} | "
                       f"{('yes' + (' (disturbed)' if (r['server_cpu'] or 0) < 0.9 else '')) if r['valid'] else 'NO'} |")
        else:
            out.append(f"| {case} | {label} | — | — | — | — | — | — | — | — | — | NO: {r.get('error', '')[:120]} |")
    out += ["", "## Ratios (mock throughput over ceiling / Prism; p99 over the ceiling's p99)", "",
            "| case | setting | vs ceiling case | mock/ceiling | mock/Prism | p99 mock/ceiling "
            "| mock/ceiling per CPU-s | mock/Prism per CPU-s |",
            "|---|---|---|---:|---:|---:|---:|---:|"]
    for row in result["ratios"]:
        out.append(f"| {row['case']} | {row['setting']} | {row['ceiling_case']} | "
                   f"{fmt(row['mock_over_ceiling'], '.2f', 'x')} | {fmt(row['mock_over_prism'], '.2f', 'x')} | "
                   f"{fmt(row['p99_over_ceiling_p99'], '.2f', 'x')} | {fmt(row['per_cpu_over_ceiling'], '.2f', 'x')} | "
                   f"{fmt(row['per_cpu_over_prism'], '.2f', 'x')} |")
    out += ["", "## Targets (reported, not enforced)", "", "| check | setting | value | verdict |",
            "|---|---|---:|---|"]
    for c in result["checks"]:
        out.append(f"| {c['check']} | {c['setting']} | {fmt(c['value'], '.2f', 'x')} | {c['verdict']} |")
    growth = result.get("growth")
    if growth:
        out += ["", f"## POST growth run ({growth['duration_s']} s against one default mock, "
                f"{growth['window_s']} s windows)", ""]
        if growth.get("error"):
            out.append(f"Not measured: {growth['error']}")
        out += ["| window | created so far | req/s | p50 ms | p99 ms | p99.9 ms | max ms | server CPU | other CPU "
                "| req/CPU-s | valid |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        for w in growth.get("windows", []):
            out.append(f"| {w['window']} | {w['created_so_far']} | {w['rps']:.0f} | {w['p50_ms']:.2f} | "
                       f"{w['p99_ms']:.2f} | {w['p999_ms']:.2f} | {w['max_ms']:.2f} | {w['server_cpu']:.2f} | "
                       f"{w['other_cpu']:.2f} | {fmt(w['req_per_cpu_s'], '.0f')} | {'yes' if w['valid'] else 'NO'} |")
        out += ["", f"p99 last/first window: {fmt(growth.get('last_over_first_p99'), '.2f', 'x')}; worst window p99 "
                f"over the ceiling's POST p99: {fmt(growth.get('worst_p99_over_ceiling_p99'), '.2f', 'x')}; server "
                f"RSS at the end: {fmt(growth.get('rss_mb_end'), '.0f', ' MB')}."]
    if meta["notes"]:
        out += ["", "## Notes", ""] + [f"- {n}" for n in meta["notes"]]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------- main

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured run (default 10)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1: wrk has one CPU)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of wrk warm-up per run (default 2)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="measure every (server, case) N times, spread over the session, and keep the run with "
                             "the most req/s (the least disturbed by other jobs on a shared machine; default 1)")
    parser.add_argument("--quick", action="store_true", help="smoke test: 3 s runs, 1 s warm-up")
    parser.add_argument("--servers", default="mock,ceiling,prism",
                        help="comma-separated subset of mock,ceiling,prism (default all)")
    parser.add_argument("--settings", default=",".join(SETTINGS), help="subset of default,h11")
    parser.add_argument("--growth", type=int, default=60, help="seconds of the POST growth run against one "
                        "default mock, in 10 s windows (default 60; 0: skip)")
    parser.add_argument("--cases", default="", help="only cases whose name contains one of these "
                                                    "comma-separated words (e.g. 'campaign,POST')")
    parser.add_argument("--server-core", type=int, default=0)
    parser.add_argument("--client-core", type=int, default=1)
    parser.add_argument("--out-dir", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.quick:
        args.duration, args.warmup = 3, 1

    notes: list[str] = []
    if not shutil.which("wrk"):
        print("wrk not found: apt-get update && apt-get install -y wrk (or run `make bench`)", file=sys.stderr)
        return 2
    if not shutil.which("taskset") or (os.cpu_count() or 1) < 2:
        notes.append("no taskset or fewer than 2 CPUs: servers and wrk are NOT pinned (figures are noisier)")
        args.server_core = args.client_core = None
    servers_wanted = set(args.servers.split(","))
    settings = [s for s in args.settings.split(",") if s in SETTINGS]

    base_pp = str(ROOT)
    global SHIPPED
    SHIPPED = shipped_settings(base_pp)
    fast = importable("uvloop httptools", base_pp)
    shipped_effective = f"loop={SHIPPED[0]}, http={SHIPPED[1]} (mock_server.serve.options())"
    prism_version = None
    if "prism" in servers_wanted:
        if not shutil.which("node"):
            notes.append("node not found: Prism skipped")
        elif not PRISM.exists():
            notes.append(f"Prism not installed at {PRISM.relative_to(ROOT)} "
                         "(npm install --prefix bench/.node @stoplight/prism-cli): skipped")
        else:
            prism_version = sh([str(PRISM), "--version"])
    wanted_cases = [w.strip().lower() for w in args.cases.split(",") if w.strip()]
    cases = [c for c in CASES if not wanted_cases or any(w in c.name.lower() for w in wanted_cases)]

    # Runs that are compared are run next to each other (a ceiling case, then the mock and Prism cases compared
    # with it), so that the load of other jobs on a shared machine is as alike as can be within a pair.
    envs = {s: {"PYTHONPATH": base_pp} for s in settings}
    plan: list[tuple[Server, Case]] = []
    for key in dict.fromkeys(c.ceiling for c in cases):
        if "ceiling" in servers_wanted:
            plan += [(Server("ceiling", s, env=envs[s]), CEILING_CASES[key]) for s in settings]
        for c in (c for c in cases if c.ceiling == key):
            if "mock" in servers_wanted:
                plan += [(Server("mock", s, env=envs[s], prefix=APIS[c.api][0], api=c.api), c) for s in settings]
            if prism_version:
                plan.append((Server("prism", "node", prefix="", api=c.api), c))

    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    meta = {
        "timestamp": stamp, "machine": machine(), "wrk": sh(["wrk", "--version"]).splitlines()[0].split(" [")[0],
        "duration_s": args.duration, "warmup_s": args.warmup, "connections": args.connections,
        "threads": args.threads, "repeat": max(1, args.repeat), "server_core": args.server_core, "client_core": args.client_core,
        "uvicorn_starlette": importable("uvicorn starlette", base_pp), "uvloop_httptools": fast,
        "shipped_effective": shipped_effective,
        "prism": f"@stoplight/prism-cli {prism_version} on node {sh(['node', '--version'])}, "
                 f"`prism mock openapi/<api>/openapi.yaml` (paths at the root, default log level)"
                 if prism_version else "not run",
        "notes": notes,
    }
    print(f"{len(plan) * max(1, args.repeat)} runs of {args.duration:g} s (+{args.warmup:g} s warm-up), {args.connections} connections",
          flush=True)
    repeat = max(1, args.repeat)
    all_runs: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bench-http-") as tmp:
        for i, (server, case) in enumerate(plan * repeat, 1):
            r = measure(server, case, args, Path(tmp))
            r["round"] = (i - 1) // len(plan) + 1
            all_runs.append(r)
            shown = (f"{r['rps']:8.0f} req/s  p50 {r['p50_ms']:6.2f} ms  p99 {r['p99_ms']:7.2f} ms  "
                     f"non-2xx {r['non_2xx']}  errors {r['socket_errors']}  cpu srv/wrk/other "
                     f"{r['server_cpu']:.2f}/{r['wrk_cpu']:.2f}/{r['other_cpu']:.2f}" if "rps" in r else r.get("error", ""))
            print(f"[{i:2d}/{len(plan) * repeat}] {server.label:18s} {case.name:30s} {shown}", flush=True)
    runs: list[dict] = []  # the best of the repeats of each (server, setting, case)
    for server, case in plan:
        mine = [r for r in all_runs if (r["server"], r["setting"], r["case"]) == (server.kind, server.setting,
                                                                                  case.name)]
        best = max(mine, key=lambda r: (bool(r.get("valid")), r.get("rps", 0.0)))
        best = dict(best, repeats=[{k: r.get(k) for k in ("round", "rps", "p50_ms", "p99_ms", "server_cpu",
                                                          "other_cpu", "valid")} for r in mine])
        runs.append(best)
    if repeat > 1:
        notes.append(f"each figure is the best (most req/s) of {repeat} runs spread over the session; all runs are "
                     "in the JSON (`repeats`)")
    for r in runs:
        if r["server"] == "prism" and not r.get("valid"):
            notes.append(f"Prism, {r['case']}: not a valid figure ({r.get('error') or r.get('statuses')})")
        elif not r.get("valid"):
            notes.append(f"{r['server']} ({r['setting']}), {r['case']}: not a valid figure "
                         f"({r.get('error') or r.get('statuses')})")
    notes.append("PUT audience is compared with the ceiling's PUT (fixed body), POST create with the ceiling's "
                 "POST (same body and a fresh Idempotency-Key per request, ignored by the bare app).")
    ratios, checks = analyse(runs, settings, cases)
    growth = None
    if args.growth > 0:
        print(f"growth run: POST create for {args.growth} s against one default mock", flush=True)
        with tempfile.TemporaryDirectory(prefix="bench-growth-") as tmp:
            growth = growth_run(args, Path(tmp))
        ceiling_post = next((r for r in runs if r["server"] == "ceiling" and r["setting"] == "default"
                             and r["case"] == "POST" and r.get("valid")), None)
        windows = growth.get("windows") or []
        if len(windows) >= 2:
            flat = windows[-1]["p99_ms"] / windows[0]["p99_ms"] if windows[0]["p99_ms"] else None
            growth["last_over_first_p99"] = round(flat, 3) if flat else None
            checks.append({"check": f"POST growth {args.growth} s: last/first 10 s p99 <= {GROWTH_TARGET:g}x",
                           "setting": "default", "value": growth["last_over_first_p99"],
                           "verdict": "n/a" if flat is None else ("pass" if flat <= GROWTH_TARGET else "FAIL")})
            if ceiling_post:
                worst = max(w["p99_ms"] for w in windows) / ceiling_post["p99_ms"]
                growth["worst_p99_over_ceiling_p99"] = round(worst, 3)
                checks.append({"check": f"POST growth {args.growth} s: worst 10 s p99 <= {P99_TARGET:g}x ceiling "
                               "POST p99", "setting": "default", "value": round(worst, 3),
                               "verdict": "pass" if worst <= P99_TARGET else "FAIL"})
    result = {"meta": meta, "runs": runs, "ratios": ratios, "checks": checks, "growth": growth}
    args.out_dir.mkdir(parents=True, exist_ok=True)
    json_path = args.out_dir / f"http-{stamp}.json"
    json_path.write_text(json.dumps(result, indent=2) + "\n")
    md = markdown(result)
    (args.out_dir / "latest.md").write_text(md)
    print()
    print(md)
    print(f"results: {json_path.relative_to(ROOT) if json_path.is_relative_to(ROOT) else json_path}, "
          f"{(args.out_dir / 'latest.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
