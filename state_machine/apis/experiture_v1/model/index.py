"""The world's campaigns with the indexes GET /campaigns reads, kept up to date on every write.

A list page walks one tenant's campaigns in the requested order and stops once the page is full, and its
`total` comes from counts per (status, channel): neither a scan of every campaign nor a sort per request,
so a page costs about the same with 100,000 campaigns as with 1,000. Text search still scans.
"""
from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # records.py builds on this module
    from .records import Campaign

SortKey = tuple[Any, str]  # (the sort field's value, campaign id): ids break ties, so the order is total


def sort_keys(c: Campaign) -> dict[str, SortKey]:
    return {"created_at": (c.created_at, c.id), "updated_at": (c.updated_at, c.id), "name": (c.name.casefold(), c.id)}


class SortedKeys:
    """Sort keys in order, held as a list of short sorted blocks: adding or removing a key moves at most
    one block's worth of items (not the whole list, as `bisect.insort` into one list does: with 100,000
    campaigns of the same name, each create would move 100,000 pointers)."""

    BLOCK = 512  # a block splits in two past twice this size

    def __init__(self) -> None:
        self.blocks: list[list[SortKey]] = []
        self.firsts: list[SortKey] = []  # the first key of each block: which block a key belongs in

    def __len__(self) -> int:
        return sum(len(b) for b in self.blocks)

    def add(self, key: SortKey) -> None:
        blocks = self.blocks
        if not blocks:
            blocks.append([key])
            self.firsts.append(key)
            return
        block = blocks[-1]
        if block[-1] < key:  # the usual case for created_at/updated_at: an append, no search
            i = len(blocks) - 1
            block.append(key)
        else:
            i = max(bisect.bisect_right(self.firsts, key) - 1, 0)
            block = blocks[i]
            bisect.insort(block, key)
            self.firsts[i] = block[0]
        if len(block) > 2 * self.BLOCK:
            blocks.insert(i + 1, block[self.BLOCK:])
            del block[self.BLOCK:]
            self.firsts.insert(i + 1, blocks[i + 1][0])

    def remove(self, key: SortKey) -> None:
        i = max(bisect.bisect_right(self.firsts, key) - 1, 0)
        block = self.blocks[i] if self.blocks else []
        j = bisect.bisect_left(block, key)
        if j == len(block) or block[j] != key:
            raise ValueError(f"{key!r} is not indexed")
        del block[j]
        if block:
            self.firsts[i] = block[0]
        else:
            del self.blocks[i], self.firsts[i]

    def __iter__(self) -> Iterator[SortKey]:
        for block in self.blocks:
            yield from block

    def __reversed__(self) -> Iterator[SortKey]:
        for block in reversed(self.blocks):
            yield from reversed(block)


class _TenantIndex:
    def __init__(self) -> None:
        self.order: dict[str, SortedKeys] = {"created_at": SortedKeys(), "updated_at": SortedKeys(),
                                             "name": SortedKeys()}
        self.counts: Counter[tuple[str, str]] = Counter()  # (authoringStatus, channel) -> listed campaigns

    def add(self, c: Campaign) -> None:
        order = self.order
        for attr, key in sort_keys(c).items():
            order[attr].add(key)
        self.counts[(c.authoring_status, c.channel)] += 1

    def remove(self, c: Campaign) -> None:
        order = self.order
        for attr, key in sort_keys(c).items():
            order[attr].remove(key)
        self.counts[(c.authoring_status, c.channel)] -= 1


def listed(c: Campaign | None) -> bool:
    """A campaign a list shows (to its tenant): any that is not deleted."""
    return c is not None and c.deleted_at is None


class Campaigns(dict[str, "Campaign"]):
    """Campaign records by id (a dict), with per-tenant list indexes updated on every write."""

    def __init__(self, records: Mapping[str, Campaign] | Iterable[tuple[str, Campaign]] = ()) -> None:
        super().__init__()
        self._tenants: dict[str, _TenantIndex] = {}
        self.update(records)

    def __setitem__(self, cid: str, c: Campaign) -> None:
        old = self.get(cid)
        if listed(old):
            assert old is not None
            self._tenants[old.tenant].remove(old)
        super().__setitem__(cid, c)
        if listed(c):
            index = self._tenants.get(c.tenant)
            if index is None:  # not setdefault: an index is built only for a new tenant, not on every write
                index = self._tenants[c.tenant] = _TenantIndex()
            index.add(c)

    def __delitem__(self, cid: str) -> None:
        old = self[cid]
        if listed(old):
            self._tenants[old.tenant].remove(old)
        super().__delitem__(cid)

    def update(self, *args: Any, **kwargs: Any) -> None:  # dict.update bypasses __setitem__
        for cid, c in dict(*args, **kwargs).items():
            self[cid] = c

    def pop(self, cid: str, *default: Any) -> Any:
        if cid not in self:
            return dict.pop(self, cid, *default)
        c = self[cid]
        del self[cid]
        return c

    def clear(self) -> None:
        super().clear()
        self._tenants.clear()

    def setdefault(self, cid: str, default: Campaign | None = None) -> Any:
        if cid not in self and default is not None:
            self[cid] = default
        return self.get(cid)

    def ordered(self, tenant: str, attr: str, *, descending: bool) -> Iterator[Campaign]:
        """A tenant's listed campaigns in the order of `attr` (ties broken by id)."""
        index = self._tenants.get(tenant)
        if index is None:
            return iter(())
        keys = index.order[attr]
        return (self[cid] for _, cid in (reversed(keys) if descending else keys))

    def count(self, tenant: str, status: str | None, channel: str | None) -> int:
        """How many of a tenant's listed campaigns have this status and channel (None: any)."""
        index = self._tenants.get(tenant)
        if index is None:
            return 0
        return sum(n for (s, ch), n in index.counts.items()
                   if (status is None or s == status) and (channel is None or ch == channel))
