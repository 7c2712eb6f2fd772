"""campaigns-contract verify | mock

    campaigns-contract verify [--api NAME] [--target-profile FILE | --target-url URL] [--report PATH]
                              [--junit PATH] [--strict] [--examples N] [--shrink-seconds S]
    campaigns-contract mock [--api NAME] [--host H] [--port P]

--api names the API (a registered plug-in, state_machine.registry); verify defaults to the target
profile's `api`, else the registry's default.

verify exits 0 when the target conforms, 1 when it does not, 2 when no verdict could be reached
(target unreachable, bad profile, the suite itself broke), with a one-line reason.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import httpx
import pytest

from contract_spec import load_spec
from state_machine import registry
from state_machine.conformance.target import Profile, ProfileError, profile_from_url
from state_machine.plugin import ApiPlugin

from . import report
from .collector import Collector
from .pytest_plugin import suite_dir

ROOT = Path(__file__).resolve().parents[1]


def _fail(reason: str) -> int:
    print(f"campaigns-contract: no verdict: {reason}", file=sys.stderr)
    return 2


def _check_target(args: argparse.Namespace) -> tuple[str, str | None, str | None]:
    """(description of the target, error or None, the API its profile names): the profile loads and the
    API answers."""
    if args.target_profile:
        try:
            profile = Profile.from_file(args.target_profile)
        except (OSError, ProfileError) as exc:
            return args.target_profile, f"bad target profile {args.target_profile}: {exc}", None
    elif args.target_url:
        try:
            profile = profile_from_url(args.target_url)
        except (httpx.HTTPError, ProfileError, ValueError) as exc:
            return args.target_url, f"cannot read the profile of {args.target_url} from /__mock/profile: {exc}", None
    else:
        return "embedded mock", None, None
    if "full" not in profile.tokens:
        return profile.base_url, "the target profile has no 'full' token", profile.api
    try:
        plugin = registry.get(args.api or profile.api)
    except registry.UnknownApi as exc:
        return profile.base_url, str(exc), profile.api
    try:
        httpx.get(profile.base_url + plugin.resource.collection_path, timeout=10,
                  headers={"Authorization": f"Bearer {profile.token('full')}"})
    except httpx.HTTPError as exc:
        return profile.base_url, f"target unreachable at {profile.base_url}: {exc}", profile.api
    return profile.base_url, None, profile.api


def _plugin(args: argparse.Namespace, profile_api: str | None) -> ApiPlugin:
    """--api, else the API the target's profile names, else the registry's default."""
    return registry.get(args.api or profile_api)


def verify(args: argparse.Namespace) -> int:
    suite = suite_dir()
    if not (suite / "test_stateful.py").is_file():
        return _fail(f"the contract suite is not at {suite} (reinstall campaigns-contract)")
    target, problem, profile_api = _check_target(args)
    if problem:
        return _fail(problem)
    try:
        plugin = _plugin(args, profile_api)
    except registry.UnknownApi as exc:
        return _fail(str(exc))
    report_path = Path(args.report)
    pytest_args = [str(suite), "-p", "no:cacheprovider", "--rootdir", str(suite.parents[1]), "-v",
                   "--contract-report-dir", str(report_path.parent),
                   "-W", "ignore::pytest.PytestAssertRewriteWarning",  # httpx (anyio) is imported before pytest starts
                   "--contract-progress", "--api", plugin.name]
    if args.target_profile:
        pytest_args += ["--target-profile", args.target_profile]
    if args.target_url:
        pytest_args += ["--target-url", args.target_url]
    if args.strict:
        pytest_args.append("--contract-strict")
    if args.examples:
        pytest_args += ["--contract-examples", str(args.examples)]
    if args.shrink_seconds is not None:
        pytest_args += ["--contract-shrink-seconds", str(args.shrink_seconds)]
    spec_name = plugin.spec_path.relative_to(ROOT) if plugin.spec_path.is_relative_to(ROOT) else plugin.spec_path
    print(f"campaigns-contract: verifying {target} ({plugin.title}) against {spec_name} ...", flush=True)
    collector = Collector()
    status = int(pytest.main(pytest_args, plugins=[collector]))
    exit_status = 0 if status == 0 else 1 if status == 1 else 2
    built = report.build(collector, load_spec(plugin.spec_path), plugin, target=target, exit_status=exit_status,
                         strict=bool(args.strict))
    md, js = report.write(built, report_path, junit_path=Path(args.junit) if args.junit else None)
    counts = built["requirements"]
    print(f"\n{built['verdict']}: {target} — requirements: "
          + ", ".join(f"{counts[r]} {r}" for r in report.RESULTS) + f"; report: {md} ({js.name})"
          + (f"; junit: {args.junit}" if args.junit else ""))
    if exit_status == 2:
        print(f"campaigns-contract: no verdict: the suite could not run (pytest exit {status})", file=sys.stderr)
    return exit_status


def mock(args: argparse.Namespace) -> int:
    from mock_server.__main__ import main as serve

    serve(["--api", args.api or registry.DEFAULT_API, "--host", args.host, "--port", str(args.port)])
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="campaigns-contract", description="Contract tests and a stateful mock for "
                                "campaign-management REST APIs (one plug-in per API).")
    apis = registry.names()
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("verify", help="run the conformance suite and write the report")
    v.add_argument("--api", choices=apis, metavar="NAME",
                   help=f"the API to check: {', '.join(apis)} (default: the profile's `api`, else "
                        f"{registry.DEFAULT_API})")
    where = v.add_mutually_exclusive_group()
    where.add_argument("--target-profile", metavar="FILE", help="YAML/JSON profile of the server to test")
    where.add_argument("--target-url", metavar="URL", help="base URL of a running mock (profile read from it)")
    v.add_argument("--report", default="reports/conformance", metavar="PATH",
                   help="report path without extension (default reports/conformance: .md and .json)")
    v.add_argument("--junit", metavar="PATH", help="also write JUnit XML there")
    v.add_argument("--strict", action="store_true", help="fail on inferred requirements too")
    v.add_argument("--examples", type=int, metavar="N", help="Hypothesis examples per stateful test")
    v.add_argument("--shrink-seconds", type=float, metavar="S",
                   help="time allowed to shrink a failure to a minimal reproduction (default 60)")
    v.set_defaults(run=verify)
    m = sub.add_parser("mock", help="serve the mock")
    m.add_argument("--api", choices=apis, metavar="NAME", help=f"the API to serve (default {registry.DEFAULT_API})")
    m.add_argument("--host", default="127.0.0.1")
    m.add_argument("--port", type=int, default=8080)
    m.set_defaults(run=mock)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)
