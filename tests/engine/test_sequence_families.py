"""The sequence families' generic parts (pagination detection, totals), the catalogue's shape-only events,
the run record's strong/weak evidence and the report's "weakly exercised" result."""
from __future__ import annotations

from campaigns_contract import report
from campaigns_contract.collector import Collector
from contract_spec import load_spec
from state_machine import registry
from state_machine.conformance.families import FAMILIES, pagination, readback, replay
from state_machine.conformance.record import RunRecord
from state_machine.conformance.requirements import Catalogue, load_catalogue

PLUGIN = registry.get("experiture-v1")
SPEC = load_spec(PLUGIN.spec_path)


def test_offset_paging_is_found_in_the_spec():
    (paging,) = pagination.paged_operations(SPEC)
    assert (paging.operation, paging.limit, paging.offset, paging.max_limit, paging.search) == \
        ("listCampaigns", "limit", "offset", 100, "search")


def test_a_total_is_found_at_the_top_or_one_level_down():
    assert pagination.total_of({"data": [], "pagination": {"total": 3}}) == 3
    assert pagination.total_of({"data": [], "total": 0}) == 0
    assert pagination.total_of({"data": [], "meta": {"total": True}}) is None
    assert pagination.total_of([]) is None


def test_the_new_families_are_registered():
    assert {pagination.rules_for, readback.rules_for, replay.rules_for} <= set(FAMILIES)


def test_shape_events_and_listed_events_are_shape_only():
    catalogue = Catalogue({
        "R-1": {"level": "documented", "exercised_by": ["op 2xx", "op shape"], "shape_only": ["op 2xx"]},
        "R-2": {"level": "documented", "exercised_by": ["op 2xx", "any read-back"]},
    })
    assert catalogue.outcome("op", 200, None) == ("R-1", "R-2")
    assert catalogue.outcome_shape_only("op", 200, None) == ("R-1",)
    assert catalogue.shape_only("op", "shape") == ("R-1",)
    assert catalogue.shape_only("op", "read-back") == ()


def test_every_shape_only_event_is_one_the_entry_is_exercised_by():
    catalogue = load_catalogue(PLUGIN.catalogue_path)
    for rid, entry in catalogue.entries.items():
        assert set(entry.get("shape_only", [])) <= set(entry.get("exercised_by", [])), rid


def test_a_requirement_checked_only_for_form_is_weakly_exercised_never_passed():
    catalogue = load_catalogue(PLUGIN.catalogue_path)
    weak_id, strong_id = "CAMP-OBS-007", "CAMP-AUD-001"
    collector = Collector(record=RunRecord())
    collector.record.exercise((weak_id, strong_id), weak=(weak_id, strong_id))
    collector.record.exercise((strong_id,))
    assert collector.record.weakly_exercised(weak_id) and not collector.record.weakly_exercised(strong_id)
    rows = {r.id: r for r in report.rows(collector, PLUGIN)}
    assert rows[weak_id].result == "weakly exercised" and rows[strong_id].result == "pass"
    assert catalogue.entries[weak_id]["level"] == "documented"
    built = report.build(collector, SPEC, PLUGIN, target="t", exit_status=0, strict=True)
    assert built["requirements"]["weakly exercised"] == 1
    assert "1 weakly exercised" in report.markdown(built)
