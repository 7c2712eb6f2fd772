"""Read-back rules: every write is visible in the next read of every view that shows the resource, and a
replacement (PUT) replaces. For APIs with reads of one resource (GET on its path) or a list of them.

    every_write_read_back    after a step whose committed write changed a resource, each view of it is read
                             (the GETs on its path, and its row in the list of the run's resources) and what
                             it shows is compared with the model by the API (`compare_view`); the views the
                             API's own invariant reads after every step (`views_read_by_api`) are not read twice
    replace_with_a_subset    a PUT on a resource with a full body, then with a strict subset of it (the API's
                             `replacement_bodies`): the read-back must show the subset alone, never a merge

Events: `<view operation> read-back` (the view agreed with the model) and `<put operation> replaced`.
The findings of `compare_view` carry their own requirement ids (the API's checks).
"""
from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule

from contract_spec import Spec
from state_machine.plugin import ApiPlugin

from ..engine import json_of
from ..operations import on_resource
from ..target import Target
from .pagination import PAGE_SIZES, paged_operations

WALK_EVERY = 4  # every 4th read-back of a write also walks the list's pages


def rules_for(spec: Spec, plugin: ApiPlugin, target: Target) -> type | None:
    views = tuple(op for op in on_resource(spec, plugin) if spec.operations[op].method == "GET")
    lists = [p for p in paged_operations(spec) if spec.operations[p.operation].path == plugin.resource.collection_path]
    listing = lists[0] if lists else None
    puts = tuple(op for op in on_resource(spec, plugin) if spec.operations[op].method == "PUT")
    if not views and listing is None:
        return None

    class ReadBackRules:
        views_read_by_api: tuple[str, ...] = ()  # views the API's own invariant reads after every step
        read_backs = 0  # read-backs made in this run (an instance attribute once counted)

        @invariant()
        def every_write_read_back(self):
            written, self.written = self.written, []
            if not written:
                return
            rows = self._listed() if listing is not None else None
            self.read_backs += 1
            if rows and len(rows) >= 2 and self.read_backs % WALK_EVERY == 0 and hasattr(self, "_walk"):
                # a pagination walk rides on some read-backs (page sizes in turn), so lists are walked
                # in every run without a rule of their own being drawn
                self._walk(listing, PAGE_SIZES[(self.read_backs // WALK_EVERY) % len(PAGE_SIZES)])
            for rid in written:
                for operation in views:
                    if operation in self.views_read_by_api:
                        continue
                    response, _ = self.send(operation, rid)
                    if response.status_code == 200:
                        self._compare(operation, rid, self.plugin.envelope.data(json_of(response)), self.step)
                if rows is not None:
                    self._compare(listing.operation, rid, rows, self.listed_at)

        def _listed(self) -> list[Any] | None:
            """The rows of the one-page listing of the run's resources (its step: `listed_at`), or None."""
            assert listing is not None
            query = {listing.limit: str(listing.max_limit)}
            if listing.search:
                query[listing.search] = self.prefix
            response, _ = self.send(listing.operation, query=query)
            self.listed_at = self.step
            rows = self.plugin.envelope.data(json_of(response)) if response.status_code == 200 else None
            if not isinstance(rows, list) or len(rows) >= listing.max_limit:
                return None  # the run's resources do not fit one page: no row can be missed for sure
            return rows

        def _compare(self, operation: str, rid: str, data: Any, step: int) -> None:
            findings = self.compare_view(operation, rid, data)
            self.record.exercise(self.catalogue.exercised(operation, "read-back"))
            self.report_findings(findings, self.located(step, data),
                                 fallback=self.catalogue.exercised(operation, "read-back"))

        if puts:
            @rule(data=st.data(), operation=st.sampled_from(puts))
            def replace_with_a_subset(self, data, operation):
                """On one of the run's resources that the API has two such bodies for."""
                candidates = [(rid, bodies) for rid in self.created
                              if (bodies := self.replacement_bodies(operation, rid)) is not None]
                if not candidates:
                    return
                resource, (full, subset) = data.draw(st.sampled_from(candidates), label="resource")
                first, _ = self.send(operation, resource, body=full)
                if not 200 <= first.status_code < 300:
                    return
                second, _ = self.send(operation, resource, body=subset)
                if 200 <= second.status_code < 300:
                    # the invariant reads it back next (the write is in `written`)
                    self.record.exercise(self.catalogue.exercised(operation, "replaced"))

    return ReadBackRules
