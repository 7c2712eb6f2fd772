"""Scale-out on Redis and concurrency (issue "Reliability and security"), against a REAL redis-server
started and stopped here, and live servers on 127.0.0.1: one process (memory store) and 4 worker processes
sharing Redis. N same-key creates make one resource and N identical answers; concurrent jobs on one
campaign make exactly one job; concurrent configuration and job creation never leave a campaign half
updated; a write is read back by every worker; list totals are consistent at rest."""
from __future__ import annotations

import asyncio
import json
import subprocess
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import httpx
import pytest
import redis

from mock_server import MockClock, create_app
from mock_server.redis_store import MAX_CATCH_UP, RedisStore
from mock_server.store import StoreError
from tests.helpers.processes import mock_process, redis_server

NOW = datetime(2026, 4, 25, 10, tzinfo=timezone.utc)
FULL = {"Authorization": "Bearer mock-token-full"}
N = 40
WORKERS = 4
SEGMENT, EMAIL_TEMPLATE = "a1b2c3d4-0000-0000-0000-000000000001", "5e3a1c2d-0000-4000-8000-000000000001"
FIGURES: dict[str, Any] = {}


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


# -- two apps on one Redis behave as one mock (in-process: each app is what one worker runs)
def _two_workers(url: str) -> tuple[Any, Any]:
    namespace = f"test-{uuid.uuid4().hex[:8]}"
    return tuple(create_app(clock=MockClock(NOW, frozen=True), store=RedisStore(url, namespace=namespace))
                 for _ in range(2))


async def _call(app: Any, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as c:
        return await c.request(method, path, json=body, headers=headers or {})


def test_two_workers_share_world_clock_idempotency_and_rate_limits(redis_url):
    a, b = _two_workers(redis_url)

    async def go() -> None:
        key = str(uuid.uuid4())
        created = await _call(a, "POST", "/public/v1/campaigns", {"name": "shared", "channel": "email"},
                              {**FULL, "Idempotency-Key": key})
        cid = created.json()["data"]["campaignId"]
        assert (await _call(b, "GET", f"/public/v1/campaigns/{cid}", headers=FULL)).status_code == 200
        replay = await _call(b, "POST", "/public/v1/campaigns", {"name": "shared", "channel": "email"},
                             {**FULL, "Idempotency-Key": f'"{key}"'})  # the sf-string form is the same key
        assert replay.headers["idempotent-replayed"] == "true" and replay.json() == created.json()
        reused = await _call(b, "POST", f"/public/v1/campaigns/{cid}/clone", {}, {**FULL, "Idempotency-Key": key})
        assert reused.status_code == 422
        await _call(a, "POST", "/__mock/clock", {"advanceSeconds": 600}, {"content-type": "application/json"})
        assert (await _call(b, "GET", "/__mock/clock")).json()["now"] == "2026-04-25T10:10:00.000Z"
        limited = {"Authorization": "Bearer mock-token-rate-limited"}
        statuses = [(await _call(app, "GET", "/public/v1/campaigns?limit=1", headers=limited)).status_code
                    for app in (a, b, a, b, a, b)]
        assert statuses == [200] * 5 + [429]
        await _call(b, "POST", "/__mock/reset")
        assert (await _call(a, "GET", f"/public/v1/campaigns/{cid}", headers=FULL)).status_code == 404
        again = await _call(a, "POST", "/public/v1/campaigns", {"name": "shared", "channel": "email"},
                            {**FULL, "Idempotency-Key": key})
        assert again.status_code == 201 and "idempotent-replayed" not in again.headers  # reset forgot keys

    asyncio.run(go())
    FIGURES["reloads"] = a.state.mock.store.reloads + b.state.mock.store.reloads


def test_touchpoint_ids_continue_across_workers(redis_url):
    a, b = _two_workers(redis_url)
    state_a, state_b = a.state.mock, b.state.mock
    with state_a.transaction():
        first = state_a.new_id("touchpoint")
        state_a.changed()
    with state_b.transaction():
        second = state_b.new_id("touchpoint")
    assert int(second) == int(first) + 1


# -- live servers
def _ready_draft(client: httpx.Client) -> str:
    cid = client.post("/public/v1/campaigns", json={"name": "ready", "channel": "email"}).json()["data"]["campaignId"]
    assert client.put(f"/public/v1/campaigns/{cid}/audience",
                      json={"include": [{"audienceId": SEGMENT, "type": "segment"}]}).status_code == 200
    assert client.put(f"/public/v1/campaigns/{cid}/content", json={"templateId": EMAIL_TEMPLATE}).status_code == 200
    assert client.put(f"/public/v1/campaigns/{cid}/schedule",
                      json={"mode": "at", "sendAt": "2026-04-25T12:00:00Z"}).status_code == 200
    return cid


async def _storm(origin: str) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    limits = httpx.Limits(max_connections=N, max_keepalive_connections=N)
    async with httpx.AsyncClient(base_url=origin, headers=FULL, limits=limits, timeout=30) as c:
        async def total() -> int:
            return (await c.get("/public/v1/campaigns?limit=1")).json()["pagination"]["total"]

        # 1. N same-key creates: one resource, N identical answers
        start, key, body = await total(), str(uuid.uuid4()), {"name": "same key", "channel": "sms"}
        answers = await asyncio.gather(*[c.post("/public/v1/campaigns", json=body,
                                                headers={"Idempotency-Key": key}) for _ in range(N)])
        statuses = Counter(r.status_code for r in answers)
        assert statuses == {201: N}, statuses
        assert len({r.content for r in answers}) == 1
        assert await total() == start + 1
        figures["same_key_creates"] = N

        # 2. concurrent jobs with different keys on one ready draft: exactly one job
        with httpx.Client(base_url=origin, headers=FULL, timeout=30) as sync:
            cid = _ready_draft(sync)
        kinds = ["schedule-jobs", "send-jobs"]
        jobs = await asyncio.gather(*[c.post(f"/public/v1/campaigns/{cid}/{kinds[i % 2]}", json={},
                                             headers={"Idempotency-Key": str(uuid.uuid4())}) for i in range(N)])
        statuses = Counter(r.status_code for r in jobs)
        assert statuses[201] == 1 and statuses[409] == N - 1, statuses
        status = (await c.get(f"/public/v1/campaigns/{cid}/status")).json()["data"]
        assert status["authoringStatus"] == "published"

        # 3. configuration racing job creation: the campaign is never half updated
        with httpx.Client(base_url=origin, headers=FULL, timeout=30) as sync:
            cid = _ready_draft(sync)
        racers = []
        for i in range(N):
            if i % 4 == 0:
                racers.append(c.post(f"/public/v1/campaigns/{cid}/schedule-jobs", json={},
                                     headers={"Idempotency-Key": str(uuid.uuid4())}))
            elif i % 4 == 1:
                racers.append(c.put(f"/public/v1/campaigns/{cid}/content", json={"templateId": EMAIL_TEMPLATE}))
            elif i % 4 == 2:
                racers.append(c.patch(f"/public/v1/campaigns/{cid}", json={"name": f"renamed {i}"}))
            else:
                racers.append(c.put(f"/public/v1/campaigns/{cid}/audience",
                                    json={"include": [{"audienceId": SEGMENT, "type": "segment"}]}))
        raced = await asyncio.gather(*racers)
        assert all(r.status_code < 500 for r in raced), [r.text for r in raced if r.status_code >= 500]
        created_jobs = [r for r in raced if r.request.url.path.endswith("schedule-jobs") and r.status_code == 201]
        assert len(created_jobs) == 1
        job_at = raced.index(created_jobs[0])
        after_job = [r for r in raced if raced.index(r) != job_at]
        summary = (await c.get(f"/public/v1/campaigns/{cid}")).json()["data"]
        assert summary["authoringStatus"] == "published"
        # every change after publication was refused whole (409), and the name is one a 200 answered with
        renamed = {r.json()["data"]["name"] for r in after_job if r.request.method == "PATCH" and r.status_code == 200}
        assert summary["name"] in renamed | {"ready"}

        # 4. read-your-writes across workers: create, then N reads
        cid = (await c.post("/public/v1/campaigns", json={"name": "read me", "channel": "push"})).json()["data"]["campaignId"]
        reads = await asyncio.gather(*[c.get(f"/public/v1/campaigns/{cid}") for _ in range(N)])
        assert Counter(r.status_code for r in reads) == {200: N}

        # 5. list totals at rest
        start = await total()
        await asyncio.gather(*[c.post("/public/v1/campaigns", json={"name": f"n{i}", "channel": "email"})
                               for i in range(N)])
        totals = await asyncio.gather(*[total() for _ in range(10)])
        assert set(totals) == {start + N}
    return figures


def test_concurrency_one_process_memory_store():
    with mock_process("--frozen", "--now", "2026-04-25T10:00:00Z") as mock:
        FIGURES["one_process"] = asyncio.run(_storm(mock.origin))


def test_concurrency_four_workers_on_redis(redis_url):
    namespace_flush(redis_url)
    with mock_process("--store", redis_url, "--workers", str(WORKERS), "--frozen", "--now",
                      "2026-04-25T10:00:00Z") as mock:
        FIGURES["workers"] = asyncio.run(_storm(mock.origin))
        workers = subprocess.run(["pgrep", "-P", str(mock.proc.pid)], capture_output=True, text=True).stdout.split()
        assert len(workers) >= WORKERS  # uvicorn's worker processes (and multiprocessing's resource tracker)
        assert mock.output().count("\n") == 1, mock.output()  # the start line, no access log, no warnings


def namespace_flush(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()


def test_a_worker_pool_needs_redis_and_reads_one_state(redis_url):
    """Two apps that start against an existing Redis state load it instead of their own fixtures."""
    namespace = f"test-{uuid.uuid4().hex[:8]}"
    first = create_app(clock=MockClock(NOW, frozen=True), store=RedisStore(redis_url, namespace=namespace))
    created = asyncio.run(_call(first, "POST", "/public/v1/campaigns", {"name": "early", "channel": "email"}, FULL))
    late = create_app(clock=MockClock(datetime(2030, 1, 1, tzinfo=timezone.utc), frozen=True),
                      store=RedisStore(redis_url, namespace=namespace))
    cid = created.json()["data"]["campaignId"]
    assert asyncio.run(_call(late, "GET", f"/public/v1/campaigns/{cid}", headers=FULL)).status_code == 200
    assert asyncio.run(_call(late, "GET", "/__mock/clock")).json()["now"] == "2026-04-25T10:00:00.000Z"


# -- the change log: a worker catches up on what others changed, record by record, without the lock
def _create(app: Any, name: str) -> str:
    answer = asyncio.run(_call(app, "POST", "/public/v1/campaigns", {"name": name, "channel": "email"}, FULL))
    assert answer.status_code == 201, answer.text
    return answer.json()["data"]["campaignId"]


def _get(app: Any, cid: str) -> Any:
    return asyncio.run(_call(app, "GET", f"/public/v1/campaigns/{cid}", headers=FULL))


def _world(app: Any) -> Any:
    state = app.state.mock
    return state.plugin.world_to_data(state.world)


def test_a_write_is_caught_up_by_another_worker_from_the_log(redis_url):
    a, b = _two_workers(redis_url)
    store_a, store_b = a.state.mock.store, b.state.mock.store
    reloads, full_writes = store_b.reloads, store_a.full_writes  # (the first worker wrote its fixtures)
    cid = _create(a, "logged")
    assert store_a.writes == 1 and store_a.full_writes == full_writes  # the record, not the world
    assert _get(b, cid).json()["data"]["name"] == "logged"
    assert store_b.caught_up == 1 and store_b.reloads == reloads  # one log entry, no whole-state load
    renamed = asyncio.run(_call(b, "PATCH", f"/public/v1/campaigns/{cid}", {"name": "renamed"}, FULL))
    assert renamed.status_code == 200
    assert _get(a, cid).json()["data"]["name"] == "renamed"
    assert _world(a) == _world(b)
    # a worker starting now loads the base snapshot plus the changed records: the same world
    late = create_app(clock=MockClock(NOW, frozen=True), store=RedisStore(redis_url, namespace=store_a.prefix[5:]))
    assert _world(late) == _world(a) and late.state.mock.id_counts == a.state.mock.id_counts


@pytest.mark.parametrize("damage", ["missing", "garbled", "not a record", "bad ids"])
def test_a_lost_or_garbled_log_entry_means_a_whole_reload_not_a_wrong_state(redis_url, damage):
    a, b = _two_workers(redis_url)
    store_b = b.state.mock.store
    first = _create(a, "first")
    assert _get(b, first).status_code == 200
    second = _create(a, "second")
    client = redis.Redis.from_url(redis_url)
    entry = f"{store_b.prefix}:log:{a.state.mock.version}"
    assert client.exists(entry)
    if damage == "missing":
        client.delete(entry)
    elif damage == "garbled":
        client.set(entry, b"\x00{not json")
    elif damage == "not a record":
        client.set(entry, json.dumps({"changes": {second: {"id": second, "name": 7}}, "ids": {}}))
    else:
        good = json.loads(client.get(entry))
        client.set(entry, json.dumps({**good, "ids": {"campaign": 10**12}}))
    client.close()
    reloads, caught_up = store_b.reloads, store_b.caught_up
    assert _get(b, second).json()["data"]["name"] == "second"
    assert store_b.reloads == reloads + 1 and store_b.caught_up == caught_up
    assert _world(b) == _world(a)


def test_admin_changes_are_whole_commits_seen_by_every_worker(redis_url):
    a, b = _two_workers(redis_url)
    cid = _create(a, "before import")
    export = asyncio.run(_call(b, "GET", "/__mock/state")).json()
    assert any(c["id"] == cid for c in export["world"]["campaigns"])
    assert asyncio.run(_call(b, "POST", "/__mock/reset")).status_code == 200
    assert _get(a, cid).status_code == 404
    imported = asyncio.run(_call(a, "PUT", "/__mock/state", export, {"content-type": "application/json"}))
    assert imported.status_code == 200
    assert _get(b, cid).status_code == 200 and _world(a) == _world(b)
    assert a.state.mock.store.full_writes >= 1 and b.state.mock.store.full_writes >= 1


def test_a_read_section_that_changes_something_is_not_committed_over_another_write(redis_url):
    a, b = _two_workers(redis_url)
    state_a, state_b = a.state.mock, b.state.mock
    with pytest.raises(StoreError), state_a.transaction(write=False):
        with state_b.transaction():  # another worker writes meanwhile (a has no lock to keep it out)
            state_b.clock.advance(60)
            state_b.changed()
        state_a.clock.advance(1)
        state_a.changed()
    with state_a.transaction(write=False):
        assert state_a.clock.now() == state_b.clock.now()  # a reloaded: b's write stands, a's did not land


def test_requests_cost_the_same_redis_traffic_as_the_world_grows(redis_url):
    """The Redis commands and bytes per create (on one worker) and per read of it (on the other) do not
    grow with the world: a commit carries the changed record, a catch-up the log entries since."""
    a, b = _two_workers(redis_url)
    client = redis.Redis.from_url(redis_url)

    def traffic(rounds: int) -> tuple[float, float]:
        client.config_resetstat()
        for i in range(rounds):
            cid = _create(a, f"grow {i}")
            assert _get(b, cid).status_code == 200
        info = client.info("stats")
        return (info["total_commands_processed"] / rounds,
                (info["total_net_input_bytes"] + info["total_net_output_bytes"]) / rounds)

    full_writes = a.state.mock.store.full_writes + b.state.mock.store.full_writes
    small = traffic(10)
    for i in range(300):
        _create(a, f"filler {i}")
    assert _get(b, _create(a, "caught up")).status_code == 200  # b behind by more than MAX_CATCH_UP: reloads
    large = traffic(10)
    client.close()
    assert large[0] <= small[0] + 1, (small, large)
    assert large[1] <= small[1] * 1.1, (small, large)
    assert a.state.mock.store.full_writes + b.state.mock.store.full_writes == full_writes
    client = redis.Redis.from_url(redis_url)
    assert len(list(client.scan_iter(f"{a.state.mock.store.prefix}:log:*"))) == MAX_CATCH_UP  # the log is trimmed
    client.close()


def test_reads_take_no_lock(redis_url):
    """GET requests, the rate-limit check and the admin reads answer while another worker holds the write lock."""
    a, b = _two_workers(redis_url)
    cid = _create(a, "read while locked")
    client = redis.Redis.from_url(redis_url)
    lock = f"{a.state.mock.store.prefix}:lock"
    assert client.set(lock, b"another worker", nx=True, px=60_000)
    try:
        assert _get(b, cid).status_code == 200
        limited = {"Authorization": "Bearer mock-token-rate-limited"}
        assert asyncio.run(_call(b, "GET", "/public/v1/campaigns?limit=1", headers=limited)).status_code == 200
        assert asyncio.run(_call(b, "GET", "/__mock/clock")).status_code == 200
        assert asyncio.run(_call(b, "GET", "/__mock/state")).status_code == 200
        assert client.get(lock) == b"another worker"  # untouched: nobody took it over or released it
    finally:
        client.delete(lock)
        client.close()
