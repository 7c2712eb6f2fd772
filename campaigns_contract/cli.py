"""campaigns-contract verify | mock  (see `campaigns-contract verify --help`)."""
from __future__ import annotations

import argparse
import ipaddress
import json
import os
import re
import signal
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from contract_spec import load_spec
from state_machine import registry
from state_machine.conformance.exchanges import secrets_of
from state_machine.conformance.target import Profile, ProfileError, profile_from_url
from state_machine.plugin import ApiPlugin

from . import report
from .collector import Collector
from .profile import ProfileProblem, load_profile
from .pytest_plugin import suite_dir

ROOT = Path(__file__).resolve().parents[1]
PREFLIGHT_TIMEOUT = 5.0  # seconds per pre-flight request: a broken run ends in seconds
REMOTE_RATE_LIMIT = "10/s"

EXIT_CODES = """exit codes:
  0    the target conforms (advisories on inferred requirements do not fail a run unless --strict)
  1    it does not: a documented requirement (or, with --strict, an inferred one) is broken
  2    no verdict: bad profile, base URL not answering the API, a token refused (401), a fixture missing,
       target unreachable, or the suite itself broke (one line on stderr names the key at fault)
  130  interrupted (Ctrl-C): a partial report is written

examples:
  campaigns-contract verify --target-profile vendor.yaml --report reports/vendor/conformance
  campaigns-contract verify --target-url http://127.0.0.1:8080/public/v1 --strict --seed 1
  campaigns-contract verify --target-profile vendor.yaml --rate-limit 5/s --max-time 600
  campaigns-contract verify --target-profile vendor.yaml --include-operation createCampaign --fail-fast
  campaigns-contract verify --target-profile vendor.yaml --last-failed
"""



# The pytest plugins the suite needs, loaded by name with entry-point autoloading off: pytest otherwise marks
# every module of every distribution that declares a plugin (hypothesis, schemathesis, this project) for
# assertion rewriting, and where bytecode is not cached (PYTHONDONTWRITEBYTECODE, read-only installs) each run
# re-parses them all: ~3 s of every verify run on this machine. Other plugins a user has installed do not
# change a verdict either.
SUITE_PLUGINS = ("--disable-plugin-autoload", "-p", "_hypothesis_pytestplugin", "-p", "schemathesis.pytest.plugin",
                 "-p", "campaigns_contract.pytest_plugin")

def _fail(reason: str) -> int:
    print(f"campaigns-contract: no verdict: {reason}", file=sys.stderr)
    return 2


def _version() -> str:
    try:
        return version("campaigns-contract")
    except PackageNotFoundError:  # pragma: no cover - running from a checkout without install
        return "0+checkout"


def parse_rate(text: str) -> float:
    """`10/s`, `100/m`, `1000/h` (schemathesis's spelling) -> requests per second; `0`/`none`: unlimited."""
    if text.strip().lower() in ("0", "none", "unlimited"):
        return 0.0
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*/\s*([smh])\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r}: expected N/s, N/m or N/h (e.g. 10/s)")
    return float(match[1]) / {"s": 1, "m": 60, "h": 3600}[match[2]]


def _loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# --- pre-flight: no verdict when the run is broken -----------------------------------------------------

def _load(args: argparse.Namespace) -> tuple[Profile | None, str | None]:
    if args.target_profile:
        try:
            return load_profile(args.target_profile), None
        except ProfileProblem as exc:
            return None, f"bad target profile {exc}"
    if args.target_url:
        try:
            return profile_from_url(args.target_url, timeout=PREFLIGHT_TIMEOUT, admin_token=args.admin_token), None
        except httpx.HTTPStatusError as exc:
            return None, (f"cannot read the profile of {args.target_url} from /__mock/profile: "
                          f"{exc.response.status_code}" + (" (an admin token is needed: --admin-token)"
                                                           if exc.response.status_code == 401 else ""))
        except (httpx.HTTPError, ProfileError, ValueError) as exc:
            return None, f"cannot read the profile of {args.target_url} from /__mock/profile: {exc}"
    return None, None


def preflight(profile: Profile, plugin: ApiPlugin) -> str | None:
    """One line naming the profile key at fault, or None: base_url answers a known operation (not 404, not
    5xx), every token authenticates, every fixture campaign exists."""
    known = plugin.resource.collection_path
    full = profile.token("full")
    with httpx.Client(timeout=PREFLIGHT_TIMEOUT) as client:
        def get(path: str, token: str | None) -> httpx.Response:
            return client.get(profile.base_url + path, headers={"Authorization": f"Bearer {token}"} if token else {},
                              params={"limit": 1} if path == known else None)

        try:
            first = get(known, full)
        except httpx.HTTPError as exc:
            return f"`base_url`: target unreachable at {profile.base_url}: {exc.__class__.__name__}: {exc}"
        if first.status_code == 404 or first.status_code >= 500:
            return (f"`base_url`: GET {profile.base_url}{known} answered {first.status_code}, not the API "
                    f"(is the base path right? e.g. .../public/v1)")
        for name, entry in profile.tokens.items():
            response = first if name == "full" else get(known, entry["token"])
            if response.status_code == 401:
                return f"`tokens.{name}`: the target does not accept this token (401 on GET {known})"
        full_tenant = profile.tokens["full"].get("tenant")
        for i, fixture in enumerate(profile.fixtures.get("campaigns", []) or []):
            tenant = fixture.get("tenant", full_tenant)
            # The full token when the fixture is its tenant's, else that tenant's tokens until one may read.
            tokens = [full] if tenant == full_tenant else \
                [t["token"] for t in profile.tokens.values() if t.get("tenant") == tenant]
            response = None
            for token in tokens:
                response = get(f"{known}/{fixture.get('id')}", token)
                if response.status_code not in (401, 403):
                    break
            if response is not None and response.status_code == 404:
                return (f"`fixtures.campaigns[{i}]` (role {fixture.get('role')!r}, id {fixture.get('id')}): "
                        f"not found on the target (404)")
    return None


# --- verify --------------------------------------------------------------------------------------------

def _last_failed(report_path: Path) -> list[str] | None:
    js = report_path.with_suffix(".json")
    if not js.is_file():
        return None
    data = json.loads(js.read_text(encoding="utf-8"))
    return [row["id"] for row in data.get("rows", []) if row["result"] == "fail"]


def verify(args: argparse.Namespace) -> int:
    started = time.monotonic()
    suite = suite_dir()
    if not (suite / "test_stateful.py").is_file():
        return _fail(f"the contract suite is not at {suite} (reinstall campaigns-contract)")
    profile, problem = _load(args)
    if problem:
        return _fail(problem)
    try:
        plugin = registry.get(args.api or (profile.api if profile else None))
    except registry.UnknownApi as exc:
        return _fail(f"`api`: {exc}")
    if profile is not None:
        problem = preflight(profile, plugin)
        if problem:
            return _fail(problem)
    target = profile.base_url if profile else "embedded mock"
    report_path = Path(args.report)
    include_requirements = list(args.include_requirement or [])
    if args.last_failed:
        previous = _last_failed(report_path)
        if previous is None:
            return _fail(f"--last-failed: no previous report at {report_path.with_suffix('.json')}")
        if not previous:
            print(f"campaigns-contract: the last report ({report_path.with_suffix('.json')}) has no failing "
                  f"requirement: nothing to re-run")
            return 0
        include_requirements += previous
    if args.rate_limit is not None:
        rate = parse_rate(args.rate_limit)
    else:
        rate = 0.0 if profile is None or _loopback(profile.base_url) else parse_rate(REMOTE_RATE_LIMIT)
    pytest_args = [str(suite), "-p", "no:cacheprovider", "--rootdir", str(suite.parents[1]), "-q", "-rN",
                   *SUITE_PLUGINS,
                   "--contract-report-dir", str(report_path.parent),
                   "-W", "ignore::pytest.PytestAssertRewriteWarning",  # httpx (anyio) is imported before pytest starts
                   "-W", "ignore::state_machine.conformance.verdict.ContractAdvisory",  # they are in the report
                   "--contract-progress", "--api", plugin.name, "--contract-rate", str(rate)]
    if args.no_color or os.environ.get("NO_COLOR"):
        pytest_args.append("--color=no")
    if args.target_profile:
        pytest_args += ["--target-profile", args.target_profile]
    if args.target_url:
        pytest_args += ["--target-url", args.target_url]
    if args.strict:
        pytest_args.append("--contract-strict")
    if args.examples:
        pytest_args += ["--contract-examples", str(args.examples)]
    shrink = args.shrink_seconds
    if args.fail_fast:
        pytest_args.append("-x")
        shrink = min(shrink if shrink is not None else 10.0, 10.0)  # bounded shrinking
    if shrink is not None:
        pytest_args += ["--contract-shrink-seconds", str(shrink)]
    if args.seed is not None:
        pytest_args += ["--hypothesis-seed", str(args.seed), "--contract-seed", str(args.seed)]
    if args.max_time:
        pytest_args += ["--contract-deadline", str(time.time() + args.max_time - (time.monotonic() - started))]
    for op in args.include_operation or []:
        pytest_args += ["--contract-include-operation", op]
    for rid in include_requirements:
        pytest_args += ["--contract-include-requirement", rid]
    spec_name = plugin.spec_path.relative_to(ROOT) if plugin.spec_path.is_relative_to(ROOT) else plugin.spec_path
    print(f"campaigns-contract: verifying {target} ({plugin.title}) against {spec_name}"
          f"{' (strict)' if args.strict else ''}; rate limit: {'none' if not rate else f'{rate:g}/s'}"
          f"{f'; seed {args.seed}' if args.seed is not None else ''} ...", flush=True)
    if args.admin_token:
        os.environ["CONTRACT_ADMIN_TOKEN"] = args.admin_token  # the suite reads the mock's profile with it
    collector = Collector(progress=True, started=started)
    previous_handler = signal.signal(signal.SIGINT, collector.request_interrupt)
    try:
        status = int(pytest.main(pytest_args, plugins=[collector]))
    except KeyboardInterrupt:
        status, collector.interrupted = 2, True
    except Exception:
        if not collector.interrupt_requested:
            raise
        # Ctrl-C, and pytest failed while reporting it (its traceback formatting can meet a frame without a
        # line number); the fixtures were torn down (cleanup ran) before: an interruption all the same.
        status, collector.interrupted = 2, True
    finally:
        signal.signal(signal.SIGINT, previous_handler)
    if collector.interrupt_requested:  # Ctrl-C, whatever pytest made of it (an internal error formatting it)
        collector.interrupted = True
    if collector.interrupted:
        exit_status = 130
    else:
        exit_status = 0 if status in (0, 5) else 1 if status == 1 else 2
    notes = []
    if collector.stopped_by_time:
        notes.append(f"--max-time {args.max_time:g} s reached: generation stopped, the report covers what ran")
    if include_requirements or args.include_operation:
        notes.append("filtered run: " + ", ".join(
            [f"operations {', '.join(args.include_operation)}"] * bool(args.include_operation)
            + [f"requirements {', '.join(include_requirements)}"] * bool(include_requirements)))
    built = report.build(collector, load_spec(plugin.spec_path), plugin, target=target, exit_status=exit_status,
                         strict=bool(args.strict), include_requirements=include_requirements or None,
                         include_operations=args.include_operation or None, notes=notes,
                         cleanup=collector.record.left_behind(plugin.resource.collection_path.strip("/") or "resources"))
    secrets = secrets_of(profile) if profile is not None else {}
    md, js = report.write(built, report_path, secrets=secrets, junit_path=Path(args.junit) if args.junit else None)
    counts = built["requirements"]
    print(f"\n{built['verdict']}: {target} — requirements: "
          + ", ".join(f"{counts[r]} {r}" for r in report.RESULTS) + f"; report: {md} ({js.name}, "
          f"{md.with_suffix('.html').name})" + (f"; junit: {args.junit}" if args.junit else "")
          + (f"; stateful: {collector.record.steps} steps, {rate:.0f} steps/s"
             if (rate := collector.record.steps_per_second) else "")
          + f"; {time.monotonic() - started:.0f} s")
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
    p.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    apis = registry.names()
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("verify", help="run the conformance suite and write the report",
                       description="Run the conformance suite against a target and write the report "
                                   "(.md, .html, .json; JUnit with --junit).",
                       epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    v.add_argument("--api", choices=apis, metavar="NAME",
                   help=f"the API to check: {', '.join(apis)} (default: the profile's `api`, else "
                        f"{registry.DEFAULT_API})")
    where = v.add_mutually_exclusive_group()
    where.add_argument("--target-profile", metavar="FILE", help="YAML/JSON profile of the server to test "
                                                                "(docs/profile.md)")
    where.add_argument("--target-url", metavar="URL", help="base URL of a running mock (profile read from it)")
    v.add_argument("--admin-token", metavar="TOKEN", default=os.environ.get("CONTRACT_ADMIN_TOKEN"),
                   help="the mock's admin token, to read its profile with --target-url (env CONTRACT_ADMIN_TOKEN)")
    v.add_argument("--report", default="reports/conformance", metavar="PATH",
                   help="report path without extension (default reports/conformance: .md, .html, .json); "
                        "reproductions are written in its directory")
    v.add_argument("--junit", metavar="PATH", help="also write JUnit XML there (one test case per requirement)")
    v.add_argument("--strict", action="store_true",
                   help="fail on inferred requirements too (default: advisory, against every target)")
    v.add_argument("--examples", type=int, metavar="N", help="Hypothesis examples per stateful test")
    v.add_argument("--shrink-seconds", type=float, metavar="S",
                   help="time allowed to shrink a failure to a minimal reproduction (default 60)")
    v.add_argument("--rate-limit", metavar="N/s|N/m",
                   help=f"at most this many requests (every request of the run, probes included); default: "
                        f"unlimited for the embedded mock and loopback targets, {REMOTE_RATE_LIMIT} otherwise")
    v.add_argument("--max-time", type=float, metavar="SECONDS",
                   help="whole-run budget: generation stops when it is reached, the report covers what ran "
                        "(exit by the findings so far)")
    v.add_argument("--seed", type=int, metavar="N", help="same seed, same run (Hypothesis and schemathesis)")
    v.add_argument("--include-operation", action="append", metavar="OPERATION_ID",
                   help="run and report only what concerns this operation (repeatable)")
    v.add_argument("--include-requirement", action="append", metavar="ID",
                   help="run and report only these requirements (an id or a prefix, e.g. CAMP-IDEM; repeatable)")
    v.add_argument("--fail-fast", action="store_true",
                   help="stop at the first failure (documented violation, or any with --strict); shrinking "
                        "bounded to 10 s")
    v.add_argument("--last-failed", action="store_true",
                   help="re-run only the requirements that failed in the report at --report (its .json)")
    v.add_argument("--no-color", action="store_true", help="no ANSI colours (also when NO_COLOR is set)")
    v.set_defaults(run=verify)
    m = sub.add_parser("mock", help="serve the mock")
    m.add_argument("--api", choices=apis, metavar="NAME", help=f"the API to serve (default {registry.DEFAULT_API})")
    m.add_argument("--host", default="127.0.0.1")
    m.add_argument("--port", type=int, default=8080)
    m.set_defaults(run=mock)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "rate_limit", None) is not None:
        try:
            parse_rate(args.rate_limit)
        except argparse.ArgumentTypeError as exc:
            return _fail(f"--rate-limit: {exc}")
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("campaigns-contract: interrupted", file=sys.stderr)
        return 130
