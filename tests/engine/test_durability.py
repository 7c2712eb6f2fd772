"""Durability (issue "Reliability and security"): --state-file keeps the world, the clock and the
idempotency records across a restart (SIGTERM) and keeps every acknowledged write across a SIGKILL; state
files and imports are checked whole, and a refused one changes nothing."""
from __future__ import annotations

import asyncio
import json
import signal
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from mock_server import MockClock, create_app
from mock_server.store import StoreError
from tests.helpers.processes import mock_process

NOW = datetime(2026, 4, 25, 10, tzinfo=timezone.utc)
FULL = {"Authorization": "Bearer mock-token-full"}
FIGURES: dict[str, Any] = {}


def run(app: Any, *requests: tuple[str, str, Any, dict[str, str]]) -> list[httpx.Response]:
    async def go() -> list[httpx.Response]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as c:
            return [await c.request(m, p, json=b, headers=h) for m, p, b, h in requests]

    return asyncio.run(go())


def test_state_file_round_trip_in_process(tmp_path: Path):
    path = tmp_path / "mock-state.json"
    key = str(uuid.uuid4())
    app = create_app(clock=MockClock(NOW, frozen=True), state_file=path)
    created, _ = run(app, ("POST", "/public/v1/campaigns", {"name": "kept", "channel": "email"},
                           {**FULL, "Idempotency-Key": key}),
                     ("POST", "/__mock/clock", {"advanceSeconds": 90}, {}))
    store = app.state.mock.store
    FIGURES["save_ms"] = 1000 * store.save_seconds / store.saves
    FIGURES["state_file_bytes"] = path.stat().st_size
    saved = json.loads(path.read_text())
    assert saved["formatVersion"] == 1 and saved["api"] == "experiture-v1"
    assert saved["clock"]["frozen"] is True and saved["idempotency"][0]["key"] == key
    again = create_app(clock=MockClock(NOW, frozen=True), state_file=path)  # a restart
    clock, replay = run(again, ("GET", "/__mock/clock", None, {}),
                        ("POST", "/public/v1/campaigns", {"name": "kept", "channel": "email"},
                         {**FULL, "Idempotency-Key": key}))
    assert clock.json()["now"] == "2026-04-25T10:01:30.000Z"
    assert replay.status_code == 201 and replay.headers["idempotent-replayed"] == "true"
    assert replay.json() == created.json()
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary file left behind


def test_a_state_file_that_is_not_one_refuses_to_start(tmp_path: Path):
    path = tmp_path / "state.json"
    app = create_app(clock=MockClock(NOW, frozen=True), state_file=path)
    good = json.loads(path.read_text())
    for broken, says in ((b"{", "cannot be loaded"), (b"[]", "JSON object"),
                         (json.dumps({**good, "formatVersion": 2}).encode(), "formatVersion"),
                         (json.dumps({**good, "api": "toy-notes"}).encode(), "api"),
                         (json.dumps({**good, "clock": {"frozen": "yes"}}).encode(), "clock")):
        path.write_bytes(broken)
        with pytest.raises(StoreError, match=says):
            create_app(clock=MockClock(NOW, frozen=True), state_file=path)
    assert app is not None


def test_an_import_with_a_broken_reference_is_refused_naming_it_and_the_state_stays():
    app = create_app(clock=MockClock(NOW, frozen=True))
    (exported,) = run(app, ("GET", "/__mock/state", None, {}))
    world = exported.json()["world"]
    before = exported.json()
    broken = json.loads(json.dumps(world))
    broken["campaigns"][0]["template_id"] = "no-such-template"
    dup = json.loads(json.dumps(world))
    dup["campaigns"].append(dup["campaigns"][0])
    enum = json.loads(json.dumps(world))
    enum["campaigns"][0]["channel"] = "fax"
    answers = run(app, *[("PUT", "/__mock/state", {"world": w}, {}) for w in (broken, dup, enum)])
    messages = [r.json()["error"]["message"] for r in answers]
    assert [r.status_code for r in answers] == [400, 400, 400]
    assert "no-such-template" in messages[0] and "duplicate id" in messages[1] and "'fax'" in messages[2]
    assert run(app, ("GET", "/__mock/state", None, {}))[0].json() == before


def _create(origin: str, name: str, key: str | None = None) -> httpx.Response:
    headers = {**FULL, **({"Idempotency-Key": key} if key else {})}
    return httpx.post(f"{origin}/public/v1/campaigns", json={"name": name, "channel": "email"}, headers=headers,
                      timeout=10)


def test_sigterm_restart_keeps_campaigns_clock_and_replays_and_sigkill_keeps_acknowledged_writes(tmp_path: Path):
    path = tmp_path / "live-state.json"
    args = ("--state-file", str(path), "--frozen", "--now", "2026-04-25T10:00:00Z")
    key = str(uuid.uuid4())
    with mock_process(*args) as mock:
        first = _create(mock.origin, "before SIGTERM", key)
        assert first.status_code == 201
        assert httpx.post(mock.origin + "/__mock/clock", json={"advanceSeconds": 3600}).status_code == 200
        assert mock.stop(signal.SIGTERM) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal after a clean shutdown
        mock.start()  # the same port, the same state file
        cid = first.json()["data"]["campaignId"]
        assert httpx.get(f"{mock.origin}/public/v1/campaigns/{cid}", headers=FULL).status_code == 200
        assert httpx.get(mock.origin + "/__mock/clock").json()["now"] == "2026-04-25T11:00:00.000Z"
        replay = _create(mock.origin, "before SIGTERM", key)
        assert replay.headers.get("idempotent-replayed") == "true" and replay.json() == first.json()
        acknowledged = [_create(mock.origin, f"before SIGKILL {i}").json()["data"]["campaignId"] for i in range(5)]
        mock.stop(signal.SIGKILL)
        mock.start()
        for cid in acknowledged:
            assert httpx.get(f"{mock.origin}/public/v1/campaigns/{cid}", headers=FULL).status_code == 200
    FIGURES["restarts"] = 2
