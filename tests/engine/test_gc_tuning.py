"""tune_gc (mock_server/serve.py): as the store grows, what survives is frozen, so no collection walks the
store. Counted, not timed: after thousands of creates the generations the collector walks stay small."""
from __future__ import annotations

import asyncio
import gc
import uuid

import httpx
import pytest

from mock_server import serve
from tests.selfcheck.runner import frozen_mock

CREATES = 4_000


@pytest.fixture
def tuned_gc():
    thresholds, callbacks = gc.get_threshold(), list(gc.callbacks)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.callbacks[:] = callbacks
        gc.unfreeze()


def test_the_store_is_frozen_as_it_grows_so_collections_stay_small(tuned_gc):
    headers = {"Authorization": "Bearer mock-token-full"}

    async def create_many() -> None:
        transport = httpx.ASGITransport(app=frozen_mock())
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            serve.tune_gc()
            for _ in range(CREATES):
                answer = await client.post("/public/v1/campaigns", json={"name": "gc", "channel": "email"},
                                           headers={**headers, "Idempotency-Key": str(uuid.uuid4())})
                assert answer.status_code == 201

    frozen_at_start = gc.get_freeze_count()
    asyncio.run(create_many())
    young, middle, old = (len(gc.get_objects(generation)) for generation in range(3))
    # The campaigns and stored answers went to the permanent generation...
    assert gc.get_freeze_count() - frozen_at_start > 5 * CREATES
    # ...and what an older collection walks is at most two young collections' survivors, not the store: the
    # ~36,000 objects these creates keep. (With the earlier thresholds, 20,000 / 20: 32,242 waited in
    # generation 1 for a collection that would walk them all; with these: 2,494.)
    assert middle + old < 10_000, (young, middle, old)
