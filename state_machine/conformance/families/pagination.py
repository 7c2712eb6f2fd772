"""Pagination rules, for list operations with offset paging (a GET on a path without parameters whose query
takes an integer limit and an integer offset, named limit/offset or take/skip): whatever the page size,
the pages of one list tile it exactly. The walk lists the run's own resources (filtered by the run's name
prefix when the operation has a text search parameter), first in one page, then page by page:

    no gap, no overlap      every resource of the one-page listing is on exactly one page
    the same total          every page reports the total of the one-page listing, which counts its items
    full pages              every page but the last holds exactly `limit` items

Events: `<list operation> page-tiling` (gaps, overlaps, page sizes) and `<list operation> page-total`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from contract_spec import Operation, Spec
from state_machine.plugin import ApiPlugin

from ..engine import json_of
from ..recheck import find_pointer
from ..target import Target

LIMIT_NAMES = ("limit", "take", "pagesize", "page_size", "per_page")
OFFSET_NAMES = ("offset", "skip")
SEARCH_NAMES = ("search", "q", "query", "name")
TOTAL_NAMES = ("total", "totalCount", "total_count", "count")
MAX_PAGES = 8  # a walk makes at most this many page requests (page sizes grow with the list)
PAGE_SIZES = (1, 2, 3, 5)


@dataclass(frozen=True)
class Paging:
    operation: str
    limit: str
    offset: str
    max_limit: int
    search: str | None


def _integer_params(spec: Spec, op: Operation, names: tuple[str, ...]) -> list[Any]:
    return [p for p in op.parameters if p.location == "query" and p.name.lower() in names
            and spec.resolve(p.schema).get("type") == "integer"]


def paged_operations(spec: Spec) -> list[Paging]:
    """The operations with offset paging. An operation with more than one limit-like or offset-like
    parameter is ambiguous and left out."""
    found = []
    for op_id, op in spec.operations.items():
        if op.method != "GET" or "{" in op.path:
            continue
        limits, offsets = _integer_params(spec, op, LIMIT_NAMES), _integer_params(spec, op, OFFSET_NAMES)
        if len(limits) != 1 or len(offsets) != 1:
            continue
        maximum = spec.resolve(limits[0].schema).get("maximum", 100)
        search = next((p.name for p in op.parameters if p.location == "query" and p.name.lower() in SEARCH_NAMES
                       and spec.resolve(p.schema).get("type") == "string"), None)
        found.append(Paging(op_id, limits[0].name, offsets[0].name, int(maximum), search))
    return found


def total_path(body: Any) -> str | None:
    """Where a page reports its total: a top-level integer named like a total, or one in a nested object
    (e.g. "pagination.total")."""
    if not isinstance(body, dict):
        return None
    for prefix, holder in (("", body), *((f"{k}.", v) for k, v in body.items() if isinstance(v, dict))):
        for name in TOTAL_NAMES:
            if isinstance(holder.get(name), int) and not isinstance(holder.get(name), bool):
                return prefix + name
    return None


def total_of(body: Any) -> int | None:
    """The total a page reports (at `total_path`)."""
    path = total_path(body)
    if path is None:
        return None
    for part in path.split("."):
        body = body[part]
    return body


def rules_for(spec: Spec, plugin: ApiPlugin, target: Target) -> type | None:
    pagings = paged_operations(spec)
    if not pagings:
        return None

    class PaginationRules:
        @precondition(lambda self: len(self.created) >= 2)
        @rule(data=st.data(), size=st.sampled_from(PAGE_SIZES))
        def walk_all_pages(self, data, size):
            paging = data.draw(st.sampled_from(pagings), label="list")
            self._walk(paging, size)

        def _page(self, paging: Paging, limit: int, offset: int | None) -> tuple[list[str], int | None] | None:
            """The ids on one page and the total it reports (where: `self.total_at`)."""
            query = {paging.limit: str(limit)}
            if offset is not None:
                query[paging.offset] = str(offset)
            if paging.search:
                query[paging.search] = self.prefix
            response, _ = self.send(paging.operation, query=query)
            body = json_of(response)
            rows = self.plugin.envelope.data(body) if response.status_code == 200 else None
            if not isinstance(rows, list):
                return None
            self.total_at = total_path(body) or "total"
            # Where the reproduction finds the rows, their ids and the total (recheck.py).
            self.page_steps.append(self.step)
            self.rows_at = find_pointer(body, rows) or ""
            self.id_key = next((k for row in rows[:1] if isinstance(row, dict) for k, v in row.items()
                                if v is not None and v == self.plugin.resource.id_of(row)), self.id_key)
            return [self.plugin.resource.id_of(row) for row in rows], total_of(body)

        def _page_total(self, step: int) -> str:
            return self.recheck.at(step, "/" + self.total_at.replace(".", "/"))

        def _page_ids(self, step: int) -> str:
            return f"[row.get({self.id_key!r}) for row in {self.recheck.at(step, self.rows_at)}]"

        def _walk(self, paging: Paging, size: int) -> None:
            self.page_steps: list[int] = []
            self.id_key = "id"
            whole = self._page(paging, paging.max_limit, None)
            if whole is None:
                return
            everything, total = whole
            first = self.step
            exercised = self.catalogue.exercised
            op = self.spec.operations[paging.operation]
            what = f"{op.method} {op.path} ({paging.limit}/{paging.offset})"
            held, rows, most = self._page_total(first), f"count({self.recheck.at(first, self.rows_at)})", paging.max_limit
            self.check(exercised(paging.operation, "page-total"), total is None or total == len(everything)
                       or (total > paging.max_limit and len(everything) == paging.max_limit),
                       f"{what}: one page of {paging.max_limit} holds {len(everything)} items, {self.total_at} "
                       f"says {total}", holds=f"{held} == {rows} or ({held} > {most} and {rows} == {most})")
            if total is None or total > paging.max_limit:
                return  # the whole list does not fit one page: nothing to tile against
            if total < 2:
                return  # one page whatever its size: nothing to tile
            size = max(min(size, total - 1), math.ceil(total / MAX_PAGES))  # at least two pages
            seen: list[str] = []
            problems: list[str] = []
            for offset in range(0, max(total, 1), size):
                page = self._page(paging, size, offset)
                if page is None:
                    return
                ids, page_total = page
                if page_total != total:
                    self.check(exercised(paging.operation, "page-total"), False,
                               f"{what}: the page at {paging.offset}={offset} reports {self.total_at} "
                               f"{page_total}, the one-page listing {total}",
                               holds=f"{self._page_total(self.step)} == {self._page_total(first)}")
                want = min(size, total - offset)
                if len(ids) != want:
                    problems.append(f"the page at {paging.offset}={offset} ({paging.limit}={size}) holds "
                                    f"{len(ids)} items, expected {want}")
                seen += ids
            repeated = sorted({i for i in seen if seen.count(i) > 1}, key=str)
            missing = [i for i in everything if i not in seen]
            extra = sorted({i for i in seen if i not in everything}, key=str)
            if repeated:
                problems.append(f"on more than one page: {repeated}")
            if missing:
                problems.append(f"on no page: {missing}")
            if extra:
                problems.append(f"on a page but not in the one-page listing: {extra}")
            pages = self.page_steps[1:]
            sizes = [min(size, total - offset) for offset in range(0, max(total, 1), size)]
            tiled = " + ".join(self._page_ids(step) for step in pages) or "[]"
            self.check(exercised(paging.operation, "page-tiling"), not problems,
                       f"{what}: pages of {size} do not tile the list of {total}: " + "; ".join(problems),
                       holds=self.recheck.all(
                           f"sorted(map(str, {tiled})) == sorted(map(str, {self._page_ids(first)}))",
                           f"[{', '.join(f'count({self.recheck.at(step, self.rows_at)})' for step in pages)}] == "
                           f"{sizes!r}"))

    return PaginationRules
