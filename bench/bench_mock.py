"""Benchmarks of the mock, as ratios against baselines measured in the same run (machines are noisy).

    .venv/bin/python bench/bench_mock.py [--requests N]

- request cost: one mock API call (auth, spec validation, model decision, response) against one call
  of a bare Starlette JSON route over the same in-process transport. Target: <= 15x.
- memory per campaign: tracemalloc growth of the mock per created campaign, against the growth of
  storing the same JSON bodies in a plain dict. Target: <= 20x.
Bounded: a fixed number of requests, in-process, no network.
"""
from __future__ import annotations

import argparse
import asyncio
import time
import tracemalloc
from datetime import datetime, timezone

import httpx
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from mock_server import MockClock, create_app

TOKEN = {"Authorization": "Bearer mock-token-full"}
TARGETS = {"request cost": 15.0, "memory per campaign": 20.0}


def bare_app() -> Starlette:
    async def item(request):
        return JSONResponse({"success": True, "data": {"campaignId": request.path_params["cid"]}})
    return Starlette(routes=[Route("/public/v1/campaigns/{cid}/summary", item)])


async def time_requests(app, n: int, path: str) -> float:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        await client.get(path, headers=TOKEN)  # warm-up
        started = time.perf_counter()
        for _ in range(n):
            response = await client.get(path, headers=TOKEN)
            assert response.status_code == 200, response.text
        return (time.perf_counter() - started) / n


async def memory_per_campaign(n: int) -> tuple[float, float]:
    app = create_app(clock=MockClock(datetime.now(timezone.utc), frozen=True))
    body = {"name": "bench", "channel": "email", "category": "retention"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        await client.post("/public/v1/campaigns", json=body, headers=TOKEN)
        tracemalloc.start()
        before = tracemalloc.take_snapshot()
        for _ in range(n):
            await client.post("/public/v1/campaigns", json=body, headers=TOKEN)
        grown = sum(s.size_diff for s in tracemalloc.take_snapshot().compare_to(before, "filename"))
        tracemalloc.stop()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    plain = {i: dict(body, id=str(i), tags=["retention"]) for i in range(n)}
    plain_grown = sum(s.size_diff for s in tracemalloc.take_snapshot().compare_to(before, "filename"))
    tracemalloc.stop()
    del plain
    return grown / n, max(plain_grown / n, 1.0)


async def main(n: int) -> None:
    mock = create_app(clock=MockClock(datetime.now(timezone.utc), frozen=True))
    cid = "c0000000-0000-4000-8000-000000000007"  # a fixture campaign with an execution
    mock_cost = await time_requests(mock, n, f"/public/v1/campaigns/{cid}/summary")
    bare_cost = await time_requests(bare_app(), n, f"/public/v1/campaigns/{cid}/summary")
    mem, plain = await memory_per_campaign(min(n, 500))
    rows = [("request cost", mock_cost / bare_cost, f"{mock_cost * 1e3:.2f} ms vs {bare_cost * 1e3:.2f} ms"),
            ("memory per campaign", mem / plain, f"{mem / 1024:.1f} KiB vs {plain / 1024:.2f} KiB")]
    for name, ratio, detail in rows:
        verdict = "ok" if ratio <= TARGETS[name] else "OVER TARGET"
        print(f"{name:22s} {ratio:6.2f}x  (target <= {TARGETS[name]:.0f}x, {verdict}; {detail})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300)
    asyncio.run(main(parser.parse_args().requests))
