"""The list indexes (model/index.py) answer exactly what a scan and a sort of every campaign would."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from state_machine.apis.experiture_v1.model import listing
from state_machine.apis.experiture_v1.model.index import Campaigns
from state_machine.apis.experiture_v1.model.records import Campaign, World

START = datetime(2026, 4, 25, 10, tzinfo=timezone.utc)
TENANTS = ["t1", "t2"]


def _naive(campaigns: dict[str, Campaign], tenant: str, query: dict) -> tuple[list[str], int]:
    rows = [c for c in campaigns.values() if c.tenant == tenant and c.deleted_at is None
            and query.get("status") in (None, c.authoring_status) and query.get("channel") in (None, c.channel)
            and (not query.get("search") or query["search"].casefold() in c.name.casefold())]
    attr = listing.SORT_FIELDS[query.get("sortBy") or listing.DEFAULT_SORT]
    key = (lambda c: (c.name.casefold(), c.id)) if attr == "name" else (lambda c: (getattr(c, attr), c.id))
    rows.sort(key=key, reverse=(query.get("sortDirection") or "desc") == "desc")
    limit, offset = query.get("limit") or listing.DEFAULT_LIMIT, query.get("offset") or 0
    return [c.id for c in rows[offset:offset + limit]], len(rows)


campaign = st.builds(
    lambda n, tenant, name, status, channel, created, updated, deleted: Campaign(
        id=f"c{n:04d}", tenant=tenant, name=name, channel=channel, authoring_status=status,
        created_at=START + timedelta(minutes=created), updated_at=START + timedelta(minutes=created + updated),
        deleted_at=START if deleted else None),
    st.integers(0, 40), st.sampled_from(TENANTS), st.sampled_from(["Alpha", "alpha", "Beta", "spring sale", "Ω"]),
    st.sampled_from(["draft", "published", "archived"]), st.sampled_from(["email", "sms", "push", "direct_mail"]),
    st.integers(0, 5), st.integers(0, 5), st.booleans())
query = st.fixed_dictionaries({}, optional={
    "status": st.sampled_from(["draft", "published", "archived"]), "channel": st.sampled_from(["email", "sms"]),
    "search": st.sampled_from(["alpha", "SPRING", "zzz"]), "sortBy": st.sampled_from(["createdAt", "updatedAt", "name"]),
    "sortDirection": st.sampled_from(["asc", "desc"]), "limit": st.integers(1, 7), "offset": st.integers(0, 9)})


@pytest.mark.req("CAMP-LIST-001", "CAMP-LIST-002", "CAMP-LIST-004", "CAMP-LIST-005", "CAMP-LIST-008")
@settings(max_examples=150, deadline=None)
@given(writes=st.lists(campaign, max_size=30), removals=st.lists(st.integers(0, 40), max_size=5),
       tenant=st.sampled_from(TENANTS), q=query)
def test_an_indexed_page_equals_a_scanned_and_sorted_page(writes, removals, tenant, q):
    """Writes replace records (a rename, a status change, a delete move them in every index); the page and
    its total are those of a plain filter-and-sort over every campaign."""
    plain: dict[str, Campaign] = {}
    indexed = Campaigns()
    for c in writes:
        plain[c.id] = c
        indexed[c.id] = c
    for n in removals:
        plain.pop(f"c{n:04d}", None)
        indexed.pop(f"c{n:04d}", None)
    page, pagination = listing.select(indexed, tenant, q)
    want_ids, want_total = _naive(plain, tenant, q)
    assert [c.id for c in page] == want_ids
    assert pagination["total"] == want_total


def test_a_world_built_from_a_plain_dict_is_indexed():
    c = Campaign(id="c1", tenant="t1", name="x", channel="email", created_at=START, updated_at=START)
    world = World(campaigns={"c1": c})
    assert isinstance(world.campaigns, Campaigns)
    assert [x.id for x in world.campaigns.ordered("t1", "name", descending=False)] == ["c1"]
    world.apply({"c1": c.but(deleted_at=START)})
    assert list(world.campaigns.ordered("t1", "name", descending=False)) == []
    assert world.campaigns.count("t1", None, None) == 0


@settings(max_examples=200)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 30), st.sampled_from("abcde")), max_size=300))
def test_sorted_keys_hold_the_order_of_one_sorted_list(monkeypatch_block, steps):
    """SortedKeys (blocks of keys, split when they grow) iterates, both ways, exactly as one sorted list would,
    through adds (in and out of order) and removes; blocks are kept tiny here so they split and empty."""
    import bisect

    from state_machine.apis.experiture_v1.model.index import SortedKeys

    keys, reference = SortedKeys(), []
    for remove, n, letter in steps:
        if remove and reference:
            key = reference[n % len(reference)]
            reference.remove(key)
            keys.remove(key)
        else:
            key = (n, letter + str(len(reference)))
            if key in reference:
                continue
            bisect.insort(reference, key)
            keys.add(key)
        assert list(keys) == reference and list(reversed(keys)) == reference[::-1] and len(keys) == len(reference)
    assert all(block for block in keys.blocks) and keys.firsts == [block[0] for block in keys.blocks]
    with pytest.raises(ValueError):
        keys.remove((99, "absent"))


@pytest.fixture(scope="module")
def monkeypatch_block():
    from state_machine.apis.experiture_v1.model.index import SortedKeys

    saved, SortedKeys.BLOCK = SortedKeys.BLOCK, 2
    yield
    SortedKeys.BLOCK = saved
