from __future__ import annotations

import pytest
import schemathesis

from .probes_support import load_probe_schema, probe_case


@pytest.fixture(scope="session")
def probe_schema(contract_target, contract_app, contract_examples):
    profile = contract_target.profile
    return load_probe_schema(app=contract_app, base_url=profile.base_url, token=profile.token("full"),
                             max_examples=contract_examples or 10)


schema = schemathesis.pytest.from_fixture("probe_schema")


@schema.parametrize()
def test_operation(case):
    probe_case(case)


def test_zz_dump():
    import collections, os
    from .probes_support import TRACE
    with open("/tmp/probe_scratch/trace.txt", "w") as f:
        for t in TRACE:
            f.write(repr(t) + "\n")
