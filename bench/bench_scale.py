"""Scale of the mock over real HTTP: a filtered, sorted list page with 1,000 vs 100,000 campaigns, resident
memory, state export while other requests are served, idempotency lookup (docs/performance.md, item 3).

    PYTHONPATH=. .venv/bin/python bench/bench_scale.py [--small 1000] [--large 100000] [--quick]

For each size, a state file holding the fixtures plus generated campaigns (copies of the fixture campaigns of
tenant t1 with fresh ids, names and times, across every authoring status and channel) is written and
`python -m mock_server --state-file FILE` started on loopback (pinned `taskset -c 0`, wrk `-c 1`). Then:
- list cost: wrk (4 connections, --duration s) on `GET /campaigns?status=draft&channel=email&sortBy=name&
  sortDirection=asc&limit=25&offset=50` and on the same page sorted by updatedAt; the cost of a page is server
  CPU-seconds per request (robust against other jobs on the machine); ratio large/small (target <= 2);
- RSS of the server (VmRSS) with the large world loaded, after the runs (target < 500 MB);
- export: GET /__mock/state streamed while a probe sends GET campaign requests one after another on
  another connection: the longest probe latency during the export (target <= 50 ms) and the export's time
  and size;
- idempotency: IdempotencyStore.begin per call with 1,000 vs 100,000 keys stored, in process (O(1): ratio ~1).
Results: bench/results/scale-<UTC stamp>.json and bench/results/scale-latest.md (also printed). The targets
are reported, never enforced.
"""
from __future__ import annotations

import argparse
import http.client
import json
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_http as bh  # noqa: E402

LIST_QUERIES = {
    "list by name": "/campaigns?status=draft&channel=email&sortBy=name&sortDirection=asc&limit=25&offset=50",
    "list by updatedAt": "/campaigns?status=published&channel=sms&sortBy=updatedAt&sortDirection=desc&limit=25",
}
TARGETS = {"list_cost_ratio": 2.0, "rss_mb": 500.0, "export_probe_max_ms": 50.0}


def world_state(n: int) -> dict:
    """A state-file snapshot: the fixtures plus generated campaigns of tenant t1, n campaigns in all."""
    from mock_server import create_app
    from mock_server.store import snapshot

    app = create_app(store="memory")
    data = snapshot(app.state.mock)
    campaigns = data["world"]["campaigns"]
    models = [c for c in campaigns if c["tenant"] == "t1" and not c.get("deleted_at")]
    channels = ["email", "sms", "push", "direct_mail"]
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for i in range(n - len(campaigns)):
        c = dict(models[i % len(models)])
        cid = str(uuid.UUID(int=(0xC0FFEE << 96) | i, version=4))
        created = start + timedelta(seconds=37 * i)
        c.update(id=cid, name=f"Generated campaign {i:06d} {channels[i % 4]}", channel=channels[(i // 3) % 4],
                 created_at=created.isoformat(), updated_at=(created + timedelta(seconds=i % 977)).isoformat())
        if c.get("version_id"):
            c["version_id"] = cid[:-12] + "00000000ffff"
        campaigns.append(c)
    data["idempotency"], data["rateLimits"] = [], {}
    return data


def start_mock(state_file: Path, logdir: Path, tag: str, core: int | None) -> bh.Running:
    server = bh.Server("mock", "default", env={"PYTHONPATH": str(bh.ROOT)})
    port = bh.free_port()
    server_cmd = server.command(port) + ["--state-file", str(state_file)]
    server.command = lambda p, cmd=server_cmd: cmd  # type: ignore[method-assign]
    running = bh.Running(server, port, core, logdir, tag)
    running.wait_ready(bh.Case("probe", "GET", f"/campaigns/{bh.CID}"), timeout=300)
    return running


def measure_list(running: bh.Running, path: str, args) -> dict:
    case = bh.Case("list", "GET", path)
    bh.run_wrk(running.port, case, bh.BASE, 1, 4, 1, args.client_core)  # warm-up
    r = bh.run_wrk(running.port, case, bh.BASE, args.duration, 4, 1, args.client_core, running.proc.pid)
    keep = ("requests", "rps", "p50_ms", "p99_ms", "server_cpu", "other_cpu", "req_per_cpu_s", "valid", "non_2xx")
    out = {k: r[k] for k in keep}
    out["cpu_us_per_request"] = round(1e6 / r["req_per_cpu_s"], 1) if r.get("req_per_cpu_s") else None
    return out


def get(conn: http.client.HTTPConnection, path: str, headers: dict) -> tuple[int, bytes]:
    conn.request("GET", path, headers=headers)
    resp = conn.getresponse()
    return resp.status, resp.read()


def measure_export(running: bh.Running) -> dict:
    """The export, streamed, while a probe measures GET campaign latencies back to back."""
    probe_conn = http.client.HTTPConnection("127.0.0.1", running.port, timeout=30)
    auth = {"Authorization": f"Bearer {bh.TOKEN}"}
    latencies: list[tuple[float, float]] = []  # (start, seconds)
    stop = threading.Event()

    def probe() -> None:
        while not stop.is_set():
            t0 = time.perf_counter()
            status, _ = get(probe_conn, f"{bh.BASE}/campaigns/{bh.CID}", auth)
            latencies.append((t0, time.perf_counter() - t0))
            assert status == 200, status
            time.sleep(0.002)

    for _ in range(20):  # warm the probe's path
        get(probe_conn, f"{bh.BASE}/campaigns/{bh.CID}", auth)
    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    time.sleep(0.3)
    baseline = [s for _, s in latencies]
    conn = http.client.HTTPConnection("127.0.0.1", running.port, timeout=300)
    t0 = time.perf_counter()
    status, body = get(conn, "/__mock/state", {})
    t1 = time.perf_counter()
    time.sleep(0.2)
    stop.set()
    thread.join(10)
    during = [s for start, s in latencies if t0 <= start <= t1]
    campaigns = len(json.loads(body)["world"]["campaigns"]) if status == 200 else None
    return {"status": status, "seconds": round(t1 - t0, 3), "bytes": len(body), "campaigns": campaigns,
            "probes_during": len(during), "probe_max_ms": round(max(during) * 1e3, 2) if during else None,
            "probe_p50_ms": round(sorted(during)[len(during) // 2] * 1e3, 2) if during else None,
            "probe_max_before_ms": round(max(baseline) * 1e3, 2) if baseline else None}


def idempotency_ratio(small: int, large: int) -> dict:
    from state_machine.kernel.idempotency import IdempotencyStore, StoredResponse

    now = datetime(2026, 5, 1, tzinfo=timezone.utc)

    def per_call(n: int) -> float:
        store = IdempotencyStore(24 * 3600)
        for i in range(n):
            store.begin(("t1", f"k{i}"), "f", now)
            store.complete(("t1", f"k{i}"), StoredResponse(201, {}))
        calls = 20000
        t0 = time.perf_counter()
        for i in range(calls):
            store.begin(("t1", f"new{i}"), "f", now)
        return (time.perf_counter() - t0) / calls

    best = {n: min(per_call(n) for _ in range(3)) for n in (small, large)}
    return {"small": small, "large": large, "us_small": round(best[small] * 1e6, 3),
            "us_large": round(best[large] * 1e6, 3), "ratio": round(best[large] / best[small], 3)}


def rss_mb(pid: int) -> float | None:
    return bh.rss_mb(pid)


def markdown(result: dict) -> str:
    m = result["meta"]
    out = [f"# Scale of the mock — {m['timestamp']}", "",
           f"Machine: {m['machine']['nproc']} CPUs, {m['machine']['cpu_model']}, Python {m['machine']['python']}. "
           f"`python -m mock_server --state-file` (default settings) pinned to CPU {m['server_core']}, wrk (4 "
           f"connections, {m['duration_s']} s) to CPU {m['client_core']}. Cost = server CPU time per request.", "",
           "## List page cost", "",
           "| query | campaigns | req/s | p50 ms | p99 ms | server CPU | other CPU | CPU µs/request | valid |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for name, sizes in result["lists"].items():
        for n, r in sizes.items():
            out.append(f"| {name} | {n} | {r['rps']:.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | "
                       f"{r['server_cpu']:.2f} | {r['other_cpu']:.2f} | {bh.fmt(r['cpu_us_per_request'], '.0f')} | "
                       f"{'yes' if r['valid'] else 'NO'} |")
    out += ["", "## Checks (reported, not enforced)", "", "| check | value | target | verdict |", "|---|---:|---:|---|"]
    for c in result["checks"]:
        out.append(f"| {c['check']} | {bh.fmt(c['value'], '.2f')} | {c['target']} | {c['verdict']} |")
    e = result["export"]
    out += ["", f"Export of {e['campaigns']} campaigns: {e['seconds']} s, {e['bytes'] / 1e6:.1f} MB, streamed; "
            f"{e['probes_during']} probe requests during it, p50 {e['probe_p50_ms']} ms, max {e['probe_max_ms']} ms "
            f"(max before the export: {e['probe_max_before_ms']} ms).",
            f"RSS: {result['rss_mb_small']} MB with {result['small']} campaigns, {result['rss_mb_large']} MB with "
            f"{result['large']}.",
            f"Idempotency begin(): {result['idempotency']['us_small']} µs with {result['idempotency']['small']} keys, "
            f"{result['idempotency']['us_large']} µs with {result['idempotency']['large']} keys."]
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=5, help="seconds per list run (default 5)")
    parser.add_argument("--quick", action="store_true", help="2 s list runs")
    parser.add_argument("--server-core", type=int, default=0)
    parser.add_argument("--client-core", type=int, default=1)
    parser.add_argument("--out-dir", type=Path, default=bh.RESULTS)
    args = parser.parse_args()
    if args.quick:
        args.duration = 2
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    result: dict = {"meta": {"timestamp": stamp, "machine": bh.machine(), "duration_s": args.duration,
                             "server_core": args.server_core, "client_core": args.client_core},
                    "small": args.small, "large": args.large, "lists": {name: {} for name in LIST_QUERIES}}
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        for n in (args.small, args.large):
            state_file = Path(tmp) / f"state-{n}.json"
            t0 = time.perf_counter()
            state_file.write_text(json.dumps(world_state(n)))
            print(f"{n} campaigns: state file {state_file.stat().st_size / 1e6:.1f} MB "
                  f"({time.perf_counter() - t0:.1f} s)", flush=True)
            t0 = time.perf_counter()
            running = start_mock(state_file, Path(tmp), f"scale-{n}", args.server_core)
            print(f"  mock up in {time.perf_counter() - t0:.1f} s", flush=True)
            try:
                for name, path in LIST_QUERIES.items():
                    r = measure_list(running, path, args)
                    result["lists"][name][n] = r
                    print(f"  {name:18s} {r['rps']:7.0f} req/s  {r['cpu_us_per_request']} CPU µs/request  "
                          f"p99 {r['p99_ms']:.2f} ms  valid {r['valid']}", flush=True)
                result[f"rss_mb_{'small' if n == args.small else 'large'}"] = rss_mb(running.proc.pid)
                if n == args.large:
                    result["export"] = measure_export(running)
                    print(f"  export: {result['export']}", flush=True)
                    result["rss_mb_large_after_export"] = rss_mb(running.proc.pid)
            finally:
                running.stop()
    result["idempotency"] = idempotency_ratio(args.small, args.large)
    checks = []
    for name, sizes in result["lists"].items():
        a, b = sizes.get(args.small), sizes.get(args.large)
        value = (b["cpu_us_per_request"] / a["cpu_us_per_request"]
                 if a and b and a["cpu_us_per_request"] and b["cpu_us_per_request"] else None)
        checks.append({"check": f"{name}: cost at {args.large} / cost at {args.small}", "value": value,
                       "target": f"<= {TARGETS['list_cost_ratio']:g}",
                       "verdict": "n/a" if value is None else "pass" if value <= TARGETS["list_cost_ratio"] else "FAIL"})
    rss = max(filter(None, [result.get("rss_mb_large"), result.get("rss_mb_large_after_export")]), default=None)
    checks.append({"check": f"RSS with {args.large} campaigns (MB)", "value": rss, "target": f"< {TARGETS['rss_mb']:g}",
                   "verdict": "n/a" if rss is None else "pass" if rss < TARGETS["rss_mb"] else "FAIL"})
    probe = result["export"]["probe_max_ms"]
    checks.append({"check": "longest other request during the export (ms)", "value": probe,
                   "target": f"<= {TARGETS['export_probe_max_ms']:g}",
                   "verdict": "n/a" if probe is None else "pass" if probe <= TARGETS["export_probe_max_ms"] else "FAIL"})
    idem = result["idempotency"]["ratio"]
    checks.append({"check": f"idempotency begin() at {args.large} keys / at {args.small}", "value": idem,
                   "target": "~1 (O(1))", "verdict": "pass" if idem <= 2 else "FAIL"})
    result["checks"] = checks
    args.out_dir.mkdir(parents=True, exist_ok=True)
    path = args.out_dir / f"scale-{stamp}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    md = markdown(result)
    (args.out_dir / "scale-latest.md").write_text(md)
    print()
    print(md)
    print(f"results: {path}, {args.out_dir / 'scale-latest.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
