"""The contract suite as a pytest plugin (entry point `pytest11: campaigns_contract`).

Installed with the package, it gives any pytest run the suite's options and fixtures, so a user's own
project can run the suite against its server:

    pytest --target-profile target.yaml      # any server described by a target profile
    pytest --target-url http://127.0.0.1:8080/public/v1     # a running mock (profile read from it)
    pytest --api club-campaigns              # the API (plug-in) to check and to mock

With --target-profile or --target-url the suite's own modules (the `campaigns_contract.suite` package) are
collected too; without them, the suite runs only where it is named (e.g. `campaigns-contract verify`).
"""
from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from state_machine import registry
from state_machine.conformance.target import Target, asgi_target, http_target, profile_from_url
from state_machine.plugin import ApiPlugin

SUITE_PACKAGE = "campaigns_contract.suite"


def suite_dir() -> Path:
    """Where the suite's test modules are: the installed package (a checkout maps it to tests/contract)."""
    spec = importlib.util.find_spec(SUITE_PACKAGE)
    if spec is not None and spec.submodule_search_locations:
        return Path(list(spec.submodule_search_locations)[0])
    return Path(__file__).resolve().parents[1] / "tests" / "contract"


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("campaigns-contract")
    group.addoption("--target-profile", default=os.environ.get("CONTRACT_TARGET_PROFILE"),
                    help="YAML/JSON target profile of the server to test (default: the embedded mock)")
    group.addoption("--api", default=os.environ.get("CONTRACT_API"),
                    help="the API (a registered plug-in) to check and to mock (default: the target profile's "
                         f"`api`, else {registry.DEFAULT_API})")
    group.addoption("--target-url", default=os.environ.get("CONTRACT_TARGET_URL"),
                    help="base URL of a running mock; its profile is read from /__mock/profile")
    group.addoption("--contract-strict", action="store_true", default=_env_flag("CONTRACT_STRICT"),
                    help="fail (not warn) on departures from inferred requirements (default: advisory, against "
                         "every target; CONTRACT_STRICT=1 sets it, as `make test` does for the project's mock)")
    group.addoption("--contract-examples", type=int, default=None,
                    help="Hypothesis examples per stateful test (default: a budget that fits CI)")
    group.addoption("--contract-shrink-seconds", type=float, default=60.0,
                    help="how long Hypothesis may shrink a failure to its minimal reproduction (default 60)")
    group.addoption("--contract-progress", action="store_true", default=False,
                    help="print the stateful suite's progress while it runs")
    group.addoption("--contract-rate", type=float, default=None,
                    help="requests per second for every request of the run, probes included (0: unlimited; "
                         "default: the profile's max_requests_per_second, else 10 for a remote target)")
    group.addoption("--contract-seed", type=int, default=None,
                    help="a fixed seed for the stateful suite and the probes (same seed, same run)")
    group.addoption("--contract-deadline", type=float, default=None,
                    help="epoch seconds after which no more is generated (verify --max-time)")
    group.addoption("--contract-include-operation", action="append", default=[],
                    help="run only the tests concerning this operationId (repeatable)")
    group.addoption("--contract-include-requirement", action="append", default=[],
                    help="run only the tests checking this requirement id or id prefix (repeatable)")
    group.addoption("--contract-report-dir", default=os.environ.get("CONTRACT_REPORT_DIR", "reports"),
                    help="where reproductions are written (default: reports/ under the working directory)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "req(*ids): the catalogue requirement(s) this test checks")
    # A target named on the command line means "check it": collect the suite even when no path was given.
    if config.getoption("--target-profile") or config.getoption("--target-url"):
        suite = str(suite_dir())
        if not any(Path(arg.split("::")[0]).resolve().is_relative_to(suite) for arg in config.args
                   if Path(arg.split("::")[0]).exists()):
            config.args.append(suite)


# The suite's modules in the order that reaches a verdict soonest: the scenarios (each a few targeted requests:
# about a second for all of them), then the lifecycle machine (it checks most requirements, a second or so per
# example), then the schemathesis probes (most of a run's time). Under --fail-fast (-x) a fault a scenario or
# the machine sees stops the run before any probe has run.
SUITE_ORDER = {"scenarios": 0, "test_stateful.py": 1, "test_probes.py": 2}  # every API's *scenarios.py first


def _suite_rank(name: str) -> int:
    return SUITE_ORDER["scenarios"] if name.endswith("scenarios.py") else SUITE_ORDER.get(name, 1)


def suite_first(items: list[pytest.Item]) -> None:
    """Reorder the suite's own items by SUITE_ORDER (stable), leaving every other item where it is."""
    suite = suite_dir().resolve()
    places = [i for i, item in enumerate(items) if item.path.resolve().parent == suite]
    ordered = sorted((items[i] for i in places), key=lambda item: _suite_rank(item.path.name))
    for i, item in zip(places, ordered, strict=True):
        items[i] = item


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """The suite's modules in SUITE_ORDER; --contract-include-requirement / --contract-include-operation: keep
    the tests that check a matching requirement (the stateful suite, which checks many, always runs; the report
    is filtered too)."""
    suite_first(items)
    wanted_ids = config.getoption("--contract-include-requirement", [])
    wanted_ops = config.getoption("--contract-include-operation", [])
    if not wanted_ids and not wanted_ops:
        return
    from state_machine.conformance.requirements import load_catalogue

    catalogue = load_catalogue(registry.get(config.getoption("--api") or None).catalogue_path)

    def keep(item: pytest.Item) -> bool:
        if item.path.name == "test_stateful.py":
            return True
        ids = [rid for mark in item.iter_markers("req") for rid in mark.args]
        if wanted_ids and not any(rid.startswith(w) for rid in ids for w in wanted_ids):
            return False
        if wanted_ops:
            if item.path.name == "test_probes.py":
                return any(op.lower() in item.name.lower() for op in wanted_ops) or "[" not in item.name
            ops = {op for rid in ids if rid in catalogue.entries
                   for op in catalogue.entries[rid].get("operations", [])}
            return bool(ops & {*wanted_ops, "all"})
        return True

    kept = [item for item in items if keep(item)]
    config.hook.pytest_deselected(items=[item for item in items if item not in kept])
    items[:] = kept


@pytest.fixture(scope="session")
def contract_pacer(request: pytest.FixtureRequest):
    """The run's one request pacer (--contract-rate), shared by the targets and the probes; None: each
    target's own default."""
    from state_machine.conformance.target import Pacer

    rate = request.config.getoption("--contract-rate")
    return None if rate is None else Pacer(rate)


@pytest.fixture(scope="session")
def contract_target(request: pytest.FixtureRequest, contract_pacer) -> Iterator[Target]:
    """The target the contract suite checks: a profile's server, a running mock, or the embedded mock."""
    config = request.config
    if config.getoption("--target-profile"):
        from .profile import load_profile

        with http_target(load_profile(config.getoption("--target-profile")), pacer=contract_pacer) as target:
            yield target
    elif config.getoption("--target-url"):
        profile = profile_from_url(config.getoption("--target-url"),
                                   admin_token=os.environ.get("CONTRACT_ADMIN_TOKEN") or None)
        with http_target(profile, pacer=contract_pacer) as target:
            yield target
    else:
        from mock_server import MockClock, create_app

        # Frozen at real time: the embedded run is deterministic, time moves only by the suite's rules.
        app = create_app(clock=MockClock(datetime.now(timezone.utc), frozen=True), api=config.getoption("--api"))
        with asgi_target(app) as target:
            target.app = app  # for in-process clients of the same mock (contract_app)
            yield target


@pytest.fixture(scope="session")
def contract_api(request: pytest.FixtureRequest, contract_target: Target) -> ApiPlugin:
    """The plug-in of the API under test: --api, else the one the target's profile names."""
    return registry.get(request.config.getoption("--api") or contract_target.profile.api)


@pytest.fixture(scope="session")
def contract_app(contract_target: Target):
    """The embedded mock's ASGI app behind contract_target, or None when the target is a remote server."""
    return getattr(contract_target, "app", None)


@pytest.fixture(scope="session")
def contract_report_dir(request: pytest.FixtureRequest) -> Path:
    """Where the suite writes reproductions."""
    path = Path(request.config.getoption("--contract-report-dir"))
    path.mkdir(parents=True, exist_ok=True)
    return path
