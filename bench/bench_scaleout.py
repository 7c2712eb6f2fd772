"""Scale-out of the mock: the Redis store with 1, 2 and 4 worker processes against the in-memory single
process, in the same run, over loopback (docs/performance.md, item 4).

    PYTHONPATH=. .venv/bin/python bench/bench_scaleout.py [--duration 10] [--workers 1,2,4] [--quick]
                                                          [--growth 60 [--growth-workers 2]]

Starts its own redis-server on a free 127.0.0.1 port (no persistence) and stops it at the end. For each
server (memory; redis with N workers), a fresh `python -m mock_server` (Redis: `--store redis://... --workers N`,
a fresh namespace by flushing the database first), then wrk (1 thread, 32 connections, 2 s warm-up, --duration
s) on GET campaign and on POST create with a fresh Idempotency-Key per request. Nothing is pinned: the workers
and Redis share the machine's CPUs with wrk. CPU columns: the mock's whole process tree and redis-server.
Redis cmds/req: Redis's own count of commands processed (INFO stats) over the run, per request answered.
--growth S: then POST create with fresh keys against ONE Redis-backed mock (--growth-workers, default 2) for S
seconds, as consecutive 10 s wrk windows on a world that keeps growing: req/s, p99 and validity per window.
Results: bench/results/scaleout-<UTC stamp>.json and bench/results/scaleout-latest.md (also printed).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_http as bh  # noqa: E402

CASES = [c for c in bh.CASES if c.name in ("GET campaign", "POST create (Idempotency-Key)")]


def tree_cpu(root: int) -> float:
    """CPU seconds (user + system) of `root` and all its descendants."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parts = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                parents[int(entry.name)] = int(parts[1])
            except (OSError, IndexError, ValueError):
                continue
    family, grew = {root}, True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in family and pid not in family:
                family.add(pid)
                grew = True
    return sum(bh.process_cpu_seconds(pid) for pid in family)


def start_redis(port: int, logdir: Path) -> subprocess.Popen:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server not found (apt-get install -y redis-server, or `make redis-server`)")
    log = open(logdir / "redis.log", "wb")
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--protected-mode", "yes", "--dir", str(logdir)], stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    import redis

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            redis.Redis(port=port).ping()
            return proc
        except redis.ConnectionError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"redis-server did not start on port {port}")


def redis_commands(port: int | None) -> int:
    if port is None:
        return 0
    import redis

    client = redis.Redis(port=port)
    try:
        return int(client.info("stats")["total_commands_processed"])
    finally:
        client.close()


def growth(args, logdir: Path, redis_port: int) -> list[dict]:
    """POST create with fresh keys against one Redis-backed mock, consecutive 10 s windows (no flush between)."""
    import redis

    redis.Redis(port=redis_port).flushdb()
    case = next(c for c in CASES if c.method == "POST")
    server = bh.Server("mock", "default", env={"PYTHONPATH": str(bh.ROOT)})
    port = bh.free_port()
    cmd = server.command(port) + ["--store", f"redis://127.0.0.1:{redis_port}/0", "--workers", str(args.growth_workers)]
    server.command = lambda p, cmd=cmd: cmd  # type: ignore[method-assign]
    running = bh.Running(server, port, None, logdir, "growth")
    windows: list[dict] = []
    try:
        running.wait_ready(case, timeout=60)
        for _ in range(max(1, args.growth // 10)):
            r = bh.run_wrk(port, case, server.prefix, 10, args.connections, 1, None)
            client = redis.Redis(port=redis_port)
            changed = sum(client.hlen(k) for k in client.scan_iter("mock:*:changed"))  # records created so far
            client.close()
            windows.append({k: r[k] for k in ("requests", "rps", "p99_ms", "non_2xx", "socket_errors", "valid")}
                           | {"changed_records": changed})
            print(f"growth window {len(windows)}: {r['rps']:7.0f} req/s  p99 {r['p99_ms']:7.2f} ms  "
                  f"valid {r['valid']}", flush=True)
    finally:
        running.stop()
    return windows


def measure(label: str, extra: list[str], case: bh.Case, args, logdir: Path, redis_pid: int | None,
            redis_port: int | None) -> dict:
    if redis_port is not None:
        import redis

        redis.Redis(port=redis_port).flushdb()
    server = bh.Server("mock", "default", env={"PYTHONPATH": str(bh.ROOT)})
    port = bh.free_port()
    cmd = server.command(port) + extra
    server.command = lambda p, cmd=cmd: cmd  # type: ignore[method-assign]
    running = bh.Running(server, port, None, logdir, f"{label}-{case.method}".replace(" ", "_"))
    record: dict = {"server": label, "case": case.name}
    try:
        running.wait_ready(case, timeout=60)
        bh.run_wrk(port, case, server.prefix, args.warmup, args.connections, 1, None)
        mock0, redis0 = tree_cpu(running.proc.pid), bh.process_cpu_seconds(redis_pid) if redis_pid else 0.0
        commands0 = redis_commands(redis_port)
        r = bh.run_wrk(port, case, server.prefix, args.duration, args.connections, 1, None)
        mock_cpu = tree_cpu(running.proc.pid) - mock0
        redis_cpu = (bh.process_cpu_seconds(redis_pid) - redis0) if redis_pid else 0.0
        if redis_port is not None and r["requests"]:
            record["redis_cmds_per_req"] = round((redis_commands(redis_port) - commands0) / r["requests"], 1)
        record.update({k: r[k] for k in ("requests", "rps", "p50_ms", "p99_ms", "non_2xx", "socket_errors", "valid",
                                         "wrk_cpu")})
        record["mock_cpu"] = round(mock_cpu / r["seconds"], 2)
        record["redis_cpu"] = round(redis_cpu / r["seconds"], 2)
        record["other_cpu"] = r["other_cpu"]  # note: includes the mock's workers beyond the main process, and Redis
        record["req_per_cpu_s"] = round(r["requests"] / (mock_cpu + redis_cpu), 1) if mock_cpu + redis_cpu else None
    except Exception as exc:  # noqa: BLE001
        record.update(valid=False, error=f"{type(exc).__name__}: {exc}")
    finally:
        running.stop()
    return record


def markdown(result: dict) -> str:
    m = result["meta"]
    out = [f"# Scale-out of the mock — {m['timestamp']}", "",
           f"Machine: {m['machine']['nproc']} CPUs, {m['machine']['cpu_model']}, Python {m['machine']['python']}; "
           f"{m['redis']}. wrk 1 thread, {m['connections']} connections, {m['duration_s']} s after {m['warmup_s']} s "
           "warm-up; nothing pinned. CPU: the mock's process tree, redis-server, and the rest of the machine "
           "(other jobs plus wrk).", "",
           "| case | server | req/s | p50 ms | p99 ms | mock CPU | redis CPU | req/CPU-s (mock+redis) | vs memory req/s "
           "| Redis cmds/req | valid |", "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in result["runs"]:
        if "rps" not in r:
            out.append(f"| {r['case']} | {r['server']} | — | — | — | — | — | — | — | — | NO: {r.get('error', '')[:100]} |")
            continue
        out.append(f"| {r['case']} | {r['server']} | {r['rps']:.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | "
                   f"{r['mock_cpu']:.2f} | {r['redis_cpu']:.2f} | {bh.fmt(r['req_per_cpu_s'], '.0f')} | "
                   f"{bh.fmt(r.get('vs_memory'), '.2f', 'x')} | {bh.fmt(r.get('redis_cmds_per_req'), '.1f')} | "
                   f"{'yes' if r['valid'] else 'NO'} |")
    if result.get("growth"):
        out += ["", f"Growth: POST create, Redis with {m.get('growth_workers')} workers, consecutive 10 s windows:", "",
                "| window | req/s | p99 ms | non-2xx | records changed so far | valid |", "|---:|---:|---:|---:|---:|---|"]
        out += [f"| {i} | {w['rps']:.0f} | {w['p99_ms']:.2f} | {w['non_2xx']} | {w['changed_records']} | "
                f"{'yes' if w['valid'] else 'NO'} |" for i, w in enumerate(result["growth"], 1)]
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--quick", action="store_true", help="3 s runs, 1 s warm-up")
    parser.add_argument("--growth", type=int, default=0, help="seconds of POST create on one Redis-backed mock")
    parser.add_argument("--growth-workers", type=int, default=2)
    parser.add_argument("--only-growth", action="store_true", help="skip the table")
    parser.add_argument("--out-dir", type=Path, default=bh.RESULTS)
    args = parser.parse_args()
    if args.quick:
        args.duration, args.warmup = 3, 1
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    runs: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bench-scaleout-") as tmp:
        redis_port = bh.free_port()
        redis_proc = start_redis(redis_port, Path(tmp))
        version = bh.sh(["redis-server", "--version"])
        try:
            for case in [] if args.only_growth else CASES:
                plan = [("memory, 1 process", [], None)] + [
                    (f"redis, {n} worker{'s' if n > 1 else ''}",
                     ["--store", f"redis://127.0.0.1:{redis_port}/0", "--workers", str(n)], redis_port)
                    for n in map(int, args.workers.split(","))]
                for label, extra, port in plan:
                    r = measure(label, extra, case, args, Path(tmp), redis_proc.pid if port else None, port)
                    runs.append(r)
                    print(f"{case.name:30s} {label:18s} " + (f"{r['rps']:7.0f} req/s  p99 {r['p99_ms']:7.2f} ms  "
                          f"mock/redis CPU {r['mock_cpu']:.2f}/{r['redis_cpu']:.2f}  valid {r['valid']}"
                          if "rps" in r else r.get("error", "")), flush=True)
            grown = growth(args, Path(tmp), redis_port) if args.growth else []
        finally:
            os.killpg(redis_proc.pid, 15)
            redis_proc.wait(timeout=10)
    for r in runs:
        base = next((b for b in runs if b["case"] == r["case"] and b["server"].startswith("memory")), None)
        if base and base.get("rps") and r.get("rps"):
            r["vs_memory"] = round(r["rps"] / base["rps"], 3)
    result = {"meta": {"timestamp": stamp, "machine": bh.machine(), "redis": version.split(" sha=")[0],
                       "duration_s": args.duration, "warmup_s": args.warmup, "connections": args.connections,
                       "growth_workers": args.growth_workers},
              "runs": runs, "growth": grown}
    args.out_dir.mkdir(parents=True, exist_ok=True)
    path = args.out_dir / f"scaleout-{stamp}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    md = markdown(result)
    (args.out_dir / "scaleout-latest.md").write_text(md)
    print()
    print(md)
    print(f"results: {path}, {args.out_dir / 'scaleout-latest.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
