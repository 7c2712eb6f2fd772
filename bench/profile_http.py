"""Where the mock spends its time per request under wrk load: py-spy samples of the running server.

    PYTHONPATH=. .venv/bin/python bench/profile_http.py [--duration 10] [--rate 200] [--setting default]
    (py-spy: .venv/bin/pip install py-spy; it needs ptrace, i.e. root or CAP_SYS_PTRACE)

For GET campaign and POST create: starts the mock (as bench_http.py does, pinned to CPU 0), loads it with wrk
(32 connections, CPU 1), and records it with `py-spy record --format raw --nolineno` (collapsed stacks).
Writes bench/results/profile-<stamp>.md: per case, the share of samples per layer (the file of the leaf
frame), the top functions by self time and by inclusive time; raw stacks go to bench/results/profile-raw/
(flamegraph.pl or https://speedscope.app read them). Everything started is killed on exit.
"""
from __future__ import annotations

import argparse
import collections
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

LAYERS = [  # (layer, substrings of the leaf frame's file), first match wins
    ("uvicorn / h11 / httptools (HTTP parsing, protocol)", ("uvicorn/", "h11/", "httptools")),
    ("starlette (routing, request, response)", ("starlette/",)),
    ("mock_server (handler, auth, state)", ("mock_server/",)),
    ("contract_spec (spec lookup, parameter and body validation)", ("contract_spec/",)),
    ("state_machine (model decision, idempotency)", ("state_machine/",)),
    ("jsonschema / referencing", ("jsonschema", "referencing/", "rpds")),
    ("json (encode/decode)", ("json/",)),
    ("asyncio / uvloop event loop, sockets", ("asyncio/", "uvloop", "selectors.py", "socket.py")),
]


def frame_file(frame: str) -> str:
    # py-spy frames: "function (path/to/file.py)" with --nolineno
    return frame.rsplit("(", 1)[-1].rstrip(")") if "(" in frame else frame


def short(frame: str) -> str:
    if "(" not in frame:
        return frame
    func, path = frame.rsplit(" (", 1)
    path = path.rstrip(")")
    for marker in ("site-packages/", "/work/wt-bench/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{func} ({path})"


def layer(frame: str) -> str:
    path = frame_file(frame)
    for name, needles in LAYERS:
        if any(n in path for n in needles):
            return name
    return "other (stdlib, typing, dataclasses, ...)"


def analyse(raw: str, top: int) -> dict:
    stacks: list[tuple[list[str], int]] = []
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            frames = [f for f in stack.split(";") if not f.startswith("process ") and not f.startswith("thread ")]
            stacks.append((frames, int(count)))
    total = sum(n for _, n in stacks) or 1
    self_t: collections.Counter = collections.Counter()
    incl: collections.Counter = collections.Counter()
    layers: collections.Counter = collections.Counter()
    for frames, n in stacks:
        if not frames:
            continue
        self_t[short(frames[-1])] += n
        layers[layer(frames[-1])] += n
        for f in {short(f) for f in frames}:
            incl[f] += n
    pct = lambda n: round(100 * n / total, 1)  # noqa: E731
    return {"samples": total,
            "layers": [(k, pct(v)) for k, v in layers.most_common()],
            "self": [(k, pct(v)) for k, v in self_t.most_common(top)],
            "inclusive": [(k, pct(v)) for k, v in incl.most_common(top * 3)]}


def profile_case(case: bh.Case, setting: str, args, logdir: Path, raw_dir: Path, stamp: str) -> dict:
    env = {"PYTHONPATH": str(bh.ROOT)}
    server = bh.Server("mock", setting, env=env)
    running = bh.Running(server, bh.free_port(), 0, logdir, f"profile-{setting}-{case.method}")
    wrk = None
    try:
        status, body = running.wait_ready(case, timeout=30)
        if not 200 <= status < 300:
            raise RuntimeError(f"sanity request answered {status}: {body[:200]}")
        cmd = ["wrk", "-t1", "-c", str(args.connections), "-d", f"{args.duration + 4}s", "--timeout", "5s",
               "-s", str(bh.LUA), f"http://127.0.0.1:{running.port}{bh.BASE}{case.path}", "--", case.method,
               bh.TOKEN, str(bh.BENCH / "wrk" / case.body) if case.body else "-", "idem" if case.idem else "-"]
        wrk = subprocess.Popen(["taskset", "-c", "1", *cmd], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)
        time.sleep(2)  # warm-up
        raw_path = raw_dir / f"{stamp}-{setting}-{case.method.lower()}.txt"
        spy = subprocess.run(["taskset", "-c", "1", args.py_spy, "record", "--pid", str(running.proc.pid),
                              "--duration", str(args.duration), "--rate", str(args.rate), "--format", "raw",
                              "--nolineno", "-o", str(raw_path)],
                             capture_output=True, text=True, timeout=args.duration + 60)
        if spy.returncode != 0 or not raw_path.exists():
            raise RuntimeError(f"py-spy failed ({spy.returncode}): {spy.stderr[-800:]}")
        out, _ = wrk.communicate(timeout=args.duration + 30)
        line = next((ln for ln in out.splitlines() if ln.startswith("WRKJSON ")), "")
        result = analyse(raw_path.read_text(), args.top)
        result.update(case=case.name, setting=setting, raw=str(raw_path.relative_to(bh.ROOT)),
                      wrk=line[len("WRKJSON "):], expected_samples=args.duration * args.rate)
        return result
    finally:
        if wrk is not None and wrk.poll() is None:
            import os
            import signal
            os.killpg(wrk.pid, signal.SIGKILL)
            wrk.wait(timeout=5)
        running.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rate", type=int, default=200, help="py-spy samples per second")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--setting", default="default", choices=["default", "h11"])
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--py-spy", default=shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy"))
    args = parser.parse_args()
    if not Path(args.py_spy).exists() or not shutil.which("wrk"):
        print("needs py-spy (.venv/bin/pip install py-spy) and wrk (apt-get install -y wrk)", file=sys.stderr)
        return 2
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    raw_dir = bh.RESULTS / "profile-raw"
    raw_dir.mkdir(parents=True, exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        for case in CASES:
            results.append(profile_case(case, args.setting, args, Path(tmp), raw_dir, stamp))
    md = [f"# Profile of the mock under wrk load — {stamp}", "",
          f"py-spy record, {args.rate} Hz for {args.duration} s, setting {args.setting}, {args.connections} "
          "connections; percentages of all samples of the server's thread (idle samples excluded).", ""]
    for r in results:
        md += [f"## {r['case']}", "", f"{r['samples']} samples (expected ~{r['expected_samples']} if never idle); "
               f"raw stacks: `{r['raw']}`; wrk: `{r['wrk'][:160]}...`", "",
               "| layer (file of the running frame) | % |", "|---|---:|"]
        md += [f"| {k} | {v} |" for k, v in r["layers"]]
        md += ["", "| top self time: function (file) | % |", "|---|---:|"]
        md += [f"| `{k}` | {v} |" for k, v in r["self"]]
        md += ["", "| top inclusive time: function (file) | % |", "|---|---:|"]
        md += [f"| `{k}` | {v} |" for k, v in r["inclusive"]]
        md.append("")
    text = "\n".join(md) + "\n"
    path = bh.RESULTS / f"profile-{stamp}.md"
    path.write_text(text)
    print(text)
    print(f"written: {path.relative_to(bh.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
