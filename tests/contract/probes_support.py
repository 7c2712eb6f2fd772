"""Schemathesis 4 probes of the Campaigns API: the configuration, the per-case probe, the link-driven
state machine, and the safety guard for sends. test_probes.py runs them against the contract target; they
live here so that a unit test can run the very same probe against a deliberately broken app.

Why each check is configured the way it is (all twelve are enabled and run for real):

- positive_data_acceptance: a schema-valid request can still earn a documented refusal that no JSON Schema
  can express, so the expected statuses are set per operation (expected_for_valid_data) instead of
  disabling the check: 404 for a campaign id that does not exist (or was deleted, or is another tenant's),
  409 for state/type conflicts (NOT_DRAFT, TYPE_UNSUPPORTED, SUMMARY_*, AUDIENCE/CONTENT.REQUIRED,
  VERSION_MISSING), 422 for an Idempotency-Key reused with another body (a cross-request condition), 400
  only on the operations whose documents define request rules beyond the schema (a past sendAt ->
  SEND_AT_INVALID, mode/channel mismatch, audience overlap, unknown template, preflight blockers, an unknown
  IANA zone), and 429. 401/403 are *not* accepted: the probes send the profile's `full` token, which holds
  every scope. The companion check `positive_refusal_is_documented` keeps the widened 400 honest: a 400 to
  schema-valid data must carry one of that operation's business-rule codes, never MALFORMED_BODY,
  IDEMPOTENCY_KEY_INVALID or (where no rule needs it) VALIDATION_FAILED.
- ignored_auth and missing_required_header: schemathesis 4.32 derives no credential parameter from an
  `oauth2` security scheme (only apiKey/http), so against the spec as written both checks would silently
  never fire. The probes therefore load the spec with the oauth2 client-credentials scheme presented as the
  HTTP bearer scheme it is on the wire (000 + RFC 6750: `Authorization: Bearer <token>`); the operations'
  security requirements (and their scope lists, allowed as role names for non-oauth schemes in OAS 3.1)
  are unchanged. ignored_auth then re-sends 2xx requests without / with a bogus token and requires
  401/403; missing_required_header (whose only required header is Authorization: Idempotency-Key is
  optional) requires 401 when it is missing.
- use_after_free and ensure_resource_availability are stateful checks: they run in the links phase
  (createCampaign/cloneCampaign -> deleteCampaign, getCampaign, ...).
- unsupported_method: the coverage phase sends methods a path does not define; the API answers 405 with
  an Allow header (decided, openapi/experiture-v1/decisions.md).
- Everything else (not_a_server_error, status_code/content_type/response_headers/response_schema
  conformance, negative_data_rejection) runs with schemathesis's defaults.
"""
from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import hypothesis
import schemathesis
import yaml
from hypothesis import strategies as st
from pyrate_limiter import Limiter as _Limiter
from schemathesis.config import SchemathesisConfig
from schemathesis.core import NOT_SET
from schemathesis.specs.openapi.checks import response_schema_conformance

from contract_spec import declared_codes, load_spec
from state_machine import registry

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: the same data, ~10x faster

API = "experiture-v1"  # the plug-in these probes are configured for (other APIs skip them)
SPEC = registry.get(API).spec_path

CHECKS = [
    "not_a_server_error", "status_code_documented", "content_type_conformance", "response_headers_conformance",
    "response_schema_documented", "negative_data_rejection", "positive_data_acceptance", "ignored_auth",
    "use_after_free", "ensure_resource_availability", "missing_required_header", "unsupported_method",
]
JOBS = ("createScheduleJob", "createSendJob")
READ_ONLY = ("getCampaign", "getCampaignSummary", "getCampaignStatus", "getCampaignMetrics")

_P = "JOURNEY_API.PUBLIC.CAMPAIGNS."
_S = "JOURNEY_API.SCHEDULE."
_TIME_RULES = (_S + "SEND_AT_REQUIRED", _S + "SEND_AT_INVALID", _S + "BATCH_DATE_REQUIRED",
               _S + "BATCH_DATE_INVALID", _S + "UNSUPPORTED_CHANNEL")
# The 400s a schema-valid request may earn: documented request rules the schema cannot express.
BUSINESS_400: dict[str, tuple[str, ...]] = {
    # 002 forbids one audience in include and exclude (and a repeat in one list): VALIDATION_FAILED.
    "replaceCampaignAudience": (_P + "VALIDATION_FAILED",),
    "replaceCampaignContent": (_P + "CONTENT.TEMPLATE_NOT_FOUND", _P + "CONTENT.CHANNEL_MISMATCH"),
    # + VALIDATION_FAILED for a well-formed string that is no IANA zone.
    "setCampaignSchedule": (*_TIME_RULES, _P + "VALIDATION_FAILED"),
    "createScheduleJob": (*_TIME_RULES, _S + "INVALID_FOR_CHANNEL", "JOURNEY_API.BROADCASTS.SCHEDULE.PREFLIGHT_BLOCKERS",
                          _P + "VALIDATION_FAILED"),
    "createSendJob": (_S + "INVALID_FOR_CHANNEL", "JOURNEY_API.BROADCASTS.SCHEDULE.PREFLIGHT_BLOCKERS"),
}
IDEMPOTENT = ("createCampaign", "cloneCampaign", *JOBS)
NO_CAMPAIGN_ID = ("createCampaign", "listCampaigns")


def expected_for_valid_data(operation_id: str) -> list[str]:
    """positive_data_acceptance's expected statuses for one operation (see the module docstring)."""
    statuses = ["2xx", "429"]
    if operation_id not in NO_CAMPAIGN_ID:
        statuses.append("404")
    if operation_id != "listCampaigns":
        statuses.append("409")  # createCampaign: TYPE_UNSUPPORTED for a campaignType other than broadcast
    if operation_id in IDEMPOTENT:
        statuses.append("422")
    if operation_id in BUSINESS_400:
        statuses.append("400")
    return sorted(statuses)


# How the probes judge a departure the catalogue attributes (set by test_probes.py for its run): with
# `other_success(operation_id, message)` a success answered with another success status than the documented
# one is held to the entry fixing the status (an advisory in a lenient run), not reported as undocumented.
JUDGE: dict[str, Callable[..., Any]] = {}


@schemathesis.check
def status_code_documented(ctx, response, case) -> bool | None:
    """schemathesis's status_code_conformance, with one difference, one row: a success status the operation
    does not document, where it documents another success, goes to the catalogue's verdict (JUDGE)."""
    if case.method.upper() != case.operation.method.upper():
        return None  # a method the path does not define (unsupported_method's case): no responses to hold to
    raw = case.operation.definition.raw
    documented = [str(s) for s in raw.get("responses", {})]
    status = str(response.status_code)
    if status in documented or f"{status[0]}XX" in documented or "default" in documented:
        return None
    if status.startswith("2") and any(s.startswith("2") for s in documented) and "other_success" in JUDGE:
        JUDGE["other_success"](raw.get("operationId"), f"{case.method} {case.path} answered {status}, documented: "
                                                        f"{', '.join(documented)} (the request succeeded)")
        return None
    raise AssertionError(f"Undocumented status code {status}; documented: {', '.join(documented)}")


@functools.lru_cache(maxsize=1)
def _code_statuses() -> dict[str, dict[str, set[str]]]:
    """operationId -> error code -> the statuses under which the spec documents it."""
    spec = load_spec(SPEC)
    out: dict[str, dict[str, set[str]]] = {}
    for op_id, op in spec.operations.items():
        for status, response in op.responses.items():
            for code in declared_codes(spec, response):
                out.setdefault(op_id, {}).setdefault(code, set()).add(str(status))
    return out




@schemathesis.check
def response_schema_documented(ctx, response, case) -> bool | None:
    """schemathesis's response_schema_conformance, with one difference, one row: an error whose code the
    operation documents under another status (e.g. IDEMPOTENCY_KEY_REUSED as 409, not 422) is held to the
    entry about that code (JUDGE), not reported as a schema violation of the status it came with."""
    try:
        return response_schema_conformance(ctx, response, case)
    except AssertionError as failure:
        raw = case.operation.definition.raw
        operation_id = raw.get("operationId")
        try:
            code = response.json()["error"]["code"]
        except Exception:  # noqa: BLE001 - not an error envelope: the schema failure stands
            raise failure from None
        elsewhere = _code_statuses().get(operation_id, {}).get(code, set())
        if response.status_code >= 400 and elsewhere and str(response.status_code) not in elsewhere \
                and "moved_code" in JUDGE:
            JUDGE["moved_code"](operation_id, code, f"{case.method} {case.path} answered {code} with "
                                                    f"{response.status_code}, documented with {', '.join(sorted(elsewhere))}")
            return None
        raise


@schemathesis.check
def positive_refusal_is_documented(ctx, response, case) -> bool | None:
    """A 400 to schema-valid data names a documented request rule of that operation (see BUSINESS_400)."""
    meta = case.meta
    operation_id = case.operation.definition.raw.get("operationId")
    # Elsewhere a 400 to valid data is not expected at all, and positive_data_acceptance reports it.
    if (meta is None or not meta.generation.mode.is_positive or response.status_code != 400
            or operation_id not in BUSINESS_400):
        return None
    try:
        code = response.json()["error"]["code"]
    except Exception:  # noqa: BLE001 - the schema checks report a malformed body
        code = None
    if code not in BUSINESS_400[operation_id]:
        raise AssertionError(f"schema-valid request refused with 400 {code}; this operation's request rules "
                             f"allow only {', '.join(BUSINESS_400[operation_id])}")
    return None


def probe_spec() -> dict[str, Any]:
    """The spec as the probes load it: oauth2 client credentials shown as the bearer scheme it is on the
    wire, so that schemathesis knows where the credential goes (module docstring)."""
    spec = yaml.load(SPEC.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    schemes = spec["components"]["securitySchemes"]
    for name, scheme in list(schemes.items()):
        if scheme.get("type") == "oauth2":
            schemes[name] = {"type": "http", "scheme": "bearer",
                             "description": f"{scheme.get('description', '')} (oauth2 client credentials)"}
    return spec


def probe_config(*, token: str, max_examples: int, base_url: str | None = None) -> SchemathesisConfig:
    project: dict[str, Any] = {
        # schemathesis's OpenAPI-aware auth for the scheme named `oauth2` (a bearer scheme once loaded, see
        # probe_spec): it marks the credential as the tester's own, which ignored_auth relies on, and leaves
        # it off the coverage cases that leave Authorization out on purpose.
        "auth": {"openapi": {"oauth2": {"bearer": token}}},
        "generation": {"mode": "all", "max-examples": max_examples},
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
            # The links phase walks real resources: schema-valid steps only (negative data is the
            # per-operation probes' job), which also keeps the dry-run guard simple. Only the spec's own
            # links: no inferred ones. Its budget is set by run_stateful_probe.
            "stateful": {"enabled": True, "generation": {"mode": "positive"}, "inference": {"algorithms": []}},
        },
        "checks": {
            "enabled": False,
            **{name: {"enabled": True} for name in [*CHECKS, "positive_refusal_is_documented"]},
        },
        "operations": [
            {"include-operation-id": op, "checks": {"positive_data_acceptance": {
                "expected-statuses": expected_for_valid_data(op)}}}
            for op in OPERATION_IDS
        ],
        # Idempotency-Key is no secret and a 422 cannot be reproduced without it: only the token is masked.
        "output": {"sanitization": {"sensitive-markers": ["token", "secret", "password", "auth", "session",
                                                          "passwd", "credential"]}},
    }
    if base_url:
        project["base-url"] = base_url
    return SchemathesisConfig.from_dict(project)


def _operation_ids() -> list[str]:
    spec = yaml.load(SPEC.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    return [op["operationId"] for item in spec["paths"].values() for op in item.values()
            if isinstance(op, dict) and "operationId" in op]


OPERATION_IDS = _operation_ids()


def load_probe_schema(*, token: str, app=None, base_url: str | None = None, max_examples: int = 10, pacer=None):
    """The spec, configured for the probes, pointed at an in-process ASGI app or at a remote base URL; every
    request it sends waits for `pacer` (the run's --rate-limit, see pace)."""
    config = probe_config(token=token, max_examples=max_examples, base_url=None if app is not None else base_url)
    schema = schemathesis.openapi.from_dict(probe_spec(), config=config)
    if app is not None:
        schema.app = app
    return pace(schema, pacer)


def use_campaign_pool(schema, pool: Callable[[str], list[str]]) -> None:
    """Let fuzzing draw campaign ids from existing campaigns as well as random UUIDs, so the probes reach
    real answers (200s, business-rule refusals) and not only 404. `pool(operation_id)` lists the ids that
    operation may touch. Only a valid UUID is swapped (for another valid UUID): a case's invalid part stays."""

    @schema.hook("flatmap_path_parameters")
    def draw_existing_campaign(ctx, path_parameters):
        value = (path_parameters or {}).get("campaign_id")
        ids = pool(ctx.operation.definition.raw.get("operationId")) if value is not None else []
        if not ids or not _is_uuid(value):
            return st.just(path_parameters)
        return st.one_of(st.just(path_parameters),
                         st.sampled_from(ids).map(lambda cid: {**path_parameters, "campaign_id": cid}))


def remember_created(schema, made: list[str]) -> None:
    """Add the id of every campaign a create/clone sent through `schema` made to `made` (the run's cleanup
    deletes them by id: fuzzing may rename a campaign, and a name is no handle on what a run created)."""

    @schema.hook("after_call")
    def remember(ctx, case, response) -> None:
        if case.operation.definition.raw.get("operationId") not in CREATING or not 200 <= response.status_code < 300:
            return
        try:
            cid = response.json()["data"]["campaignId"]
        except Exception:  # noqa: BLE001 - an answer without the id: nothing to remember
            return
        if isinstance(cid, str) and cid not in made:
            made.append(cid)


def count_created(schema, counts, who: str) -> None:
    """Count, under `who`, every create/clone `schema` sent that succeeded (for an API with no operation that
    removes them: the report says how many the run left)."""

    @schema.hook("after_call")
    def count(ctx, case, response) -> None:
        if case.operation.definition.raw.get("operationId") in CREATING and 200 <= response.status_code < 300:
            counts[who] += 1


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# --- sends -----------------------------------------------------------------------------------------------

def dry_run_only(case) -> bool:
    """For a target whose profile lacks `allow_sends`: make a job request a dry run, or say it must not go.

    Every job request that is sent carries a JSON object body with `dryRun: true`. Positive cases get
    `dryRun: true` added (the job bodies have no required field, so they stay valid); negative cases too
    when their invalid part is elsewhere. A negative case whose body is not an object or whose `dryRun` is
    not a boolean is not sent at all: a lenient server might read it as a committed job.
    """
    if case.operation.definition.raw.get("operationId") not in JOBS:
        return True
    body = case.body
    if body is None or body is NOT_SET:
        case.body = {"dryRun": True}
        return True
    if not isinstance(body, dict) or not isinstance(body.get("dryRun", False), bool):
        return False
    case.body = {**body, "dryRun": True}
    return True


# --- the probes ------------------------------------------------------------------------------------------

# What the probes create is named with this prefix (a run's own; test_probes.py sets a fresh one per run), so
# that nothing fuzzed is left outside it and the run's cleanup finds all of it (search=prefix).
NAMING: dict[str, str] = {"prefix": "cc-probe-"}
CREATING = ("createCampaign", "cloneCampaign")
NAMING_OPERATIONS = (*CREATING, "updateCampaign")  # a rename is a name too: fuzzed names keep the prefix


def prefixed(case) -> None:
    """Give a create/clone/update case's valid `name` the run's prefix (kept within 200 characters); an
    invalid name (the case's point) stays as it is."""
    if case.operation.definition.raw.get("operationId") not in NAMING_OPERATIONS or not isinstance(case.body, dict):
        return
    name = case.body.get("name")
    if isinstance(name, str) and 1 <= len(name) <= 200 and not name.startswith(NAMING["prefix"]):
        case.body = {**case.body, "name": (NAMING["prefix"] + name)[:200]}


def pace(schema, pacer):
    """Make every request schemathesis sends for `schema` wait for the run's pacer (--rate-limit): the
    cases, the stateful steps, and the follow-ups its checks send on their own. ignored_auth re-sends an
    accepted request without a token and with a bogus one, and strips any session from those on purpose
    (schemathesis/specs/openapi/_auth_retry.py, build_retry_transport_kwargs), so pacing cannot ride a
    session. It rides schemathesis's own `rate-limit` instead: the requests transport consults the
    project's limiter before every send (transport/requests.py, RequestsTransport.send -> core/rate_limit.py,
    ratelimit), follow-ups included; the limiter set here is the run's Pacer, shared with the stateful suite.
    A pacer without a rate (the embedded mock, in-process) leaves the schema unlimited. Returns the schema."""
    if pacer is not None and pacer.interval:
        schema.config.rate_limit = PacerLimiter(pacer)
    return schema


class PacerLimiter(_Limiter):
    """The run's Pacer in the shape schemathesis's rate limit takes (a pyrate_limiter Limiter whose
    try_acquire blocks until the request may go). No bucket of pyrate_limiter's own: the Pacer is the
    only clock, so the probes and the suite share one budget."""

    def __init__(self, pacer) -> None:  # noqa: D107 - no bucket factory: try_acquire is all schemathesis calls
        self.pacer = pacer

    def try_acquire(self, name: str = "pyrate", weight: int = 1, blocking: bool = True,  # type: ignore[override]
                    timeout: int | float = -1) -> bool:
        for _ in range(max(weight, 1)):
            self.pacer.wait()
        return True

    def buckets(self) -> list:  # type: ignore[override]
        return []

    def close(self) -> None:
        return None


def probe_case(case, *, allow_sends: bool) -> None:
    """The per-case probe: send (unless the send guard forbids it) and run every configured check.
    A failure raises schemathesis's FailureGroup, whose message carries the curl reproduction."""
    if not allow_sends and not dry_run_only(case):
        return
    prefixed(case)
    case.call_and_validate()


def probe_operation(schema, path: str, method: str, mode, *, allow_sends: bool, max_examples: int = 25,
                    path_parameters: Mapping[str, Any] | None = None,
                    where: Callable[[Any], bool] | None = None) -> None:
    """probe_case over one operation's generated cases, outside pytest's parametrization (unit tests)."""
    strategy = schema[path][method].as_strategy(generation_mode=mode, path_parameters=dict(path_parameters or {})
                                                or None)
    if where is not None:
        strategy = strategy.filter(where)

    @hypothesis.given(case=strategy)
    @hypothesis.settings(max_examples=max_examples, deadline=None, database=None, report_multiple_bugs=False,
                         suppress_health_check=list(hypothesis.HealthCheck), derandomize=True,  # not flaky
                         phases=[hypothesis.Phase.generate])  # no shrinking: the first failure is the point
    def run(case) -> None:
        probe_case(case, allow_sends=allow_sends)

    run()


def run_stateful_probe(schema, *, allow_sends: bool, max_examples: int, steps: int, derandomize: bool = False) -> None:
    """Walk the spec's OpenAPI links (createCampaign/cloneCampaign -> the item operations)."""

    class LinksMachine(schema.as_state_machine()):
        def before_call(self, case) -> None:
            # Each step is a new request. A generated Idempotency-Key can repeat across steps and scenarios
            # (and Hypothesis replays whole scenarios), and a replay answers the *first* response (000,
            # Stripe practice): a replayed createCampaign names a campaign that an earlier scenario may have
            # deleted, which ensure_resource_availability then reports as "created resource not found".
            # Replays are the per-operation probes' and the stateful suite's business, not the links walk's.
            for name in list(case.headers or {}):
                if name.lower() == "idempotency-key":
                    case.headers[name] = str(uuid.uuid4())
            if not allow_sends:
                assert dry_run_only(case), "stateful steps are schema-valid, so always sendable as a dry run"
            prefixed(case)

    LinksMachine.run(settings=hypothesis.settings(
        max_examples=max_examples, stateful_step_count=steps, deadline=None, derandomize=derandomize,
        suppress_health_check=list(hypothesis.HealthCheck), print_blob=True, database=None))


# --- the Club Campaigns API (004) ------------------------------------------------------------------------
#
# The same schemathesis checks, configured from the Club plug-in and spec: its bearer scheme (already `http`
# bearer, no oauth2 to present), the profile's `full` token, and requests that name the token's tenant
# (tenantId is required on the list and in the create body; another tenant is a 403 the probes do not
# mean to ask about). A positive case's tenantId and references (club, segment, templates) are set to the
# profile's, so schema-valid data reaches 201/200 and not only 422; a negative case keeps its invalid part
# (a value is only replaced by another valid one). 004 has no dry run: on a target whose profile lacks
# `allow_sends`, the operations that start a send (schedule, execute, resume) are not probed.

CLUB_API = "club-campaigns"
CLUB_SPEC = registry.get(CLUB_API).spec_path
CLUB_SENDS = ("scheduleCampaign", "executeCampaign", "resumeCampaign")
CLUB_REFERENCES = {"clubId": "clubs", "segmentId": "segments", "emailTemplateId": "templates:EMAIL",
                   "smsTemplateId": "templates:SMS"}


def club_expected_for_valid_data(operation_id: str) -> list[str]:
    """positive_data_acceptance's statuses for schema-valid Club requests: 404 for an id that names no
    campaign of the tenant, 409 for 004's transition table, the DRAFT-only fields and JOURNEY campaigns,
    422 for references and send times the schema cannot judge, 400 for an unknown IANA zone or a field of
    another campaign type (catalogue CLUB-VAL-003, CLUB-UPDATE-008)."""
    statuses = ["2xx", "429"]
    if operation_id not in ("listCampaigns", "createCampaign"):
        statuses.append("404")
    if operation_id in ("createCampaign", "updateCampaign", "scheduleCampaign", "executeCampaign", "pauseCampaign",
                        "resumeCampaign", "cancelCampaign"):
        statuses.append("409")
    if operation_id in ("createCampaign", "updateCampaign", "scheduleCampaign"):
        statuses += ["400", "422"]
    return sorted(statuses)


def _club_operation_ids() -> list[str]:
    spec = yaml.safe_load(CLUB_SPEC.read_text(encoding="utf-8"))
    return [op["operationId"] for item in spec["paths"].values() for op in item.values()
            if isinstance(op, dict) and "operationId" in op]


def load_club_probe_schema(*, token: str, app=None, base_url: str | None = None, max_examples: int = 10,
                           pacer=None):
    project: dict[str, Any] = {
        "auth": {"openapi": {"bearer": {"bearer": token}}},
        "generation": {"mode": "all", "max-examples": max_examples},
        "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}, "fuzzing": {"enabled": True},
                   "stateful": {"enabled": True, "generation": {"mode": "positive"},
                                "inference": {"algorithms": []}}},
        "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
        "operations": [{"include-operation-id": op, "checks": {"positive_data_acceptance": {
            "expected-statuses": club_expected_for_valid_data(op)}}} for op in _club_operation_ids()],
    }
    if base_url and app is None:
        project["base-url"] = base_url
    spec = yaml.safe_load(CLUB_SPEC.read_text(encoding="utf-8"))
    schema = schemathesis.openapi.from_dict(spec, config=SchemathesisConfig.from_dict(project))
    if app is not None:
        schema.app = app
    return pace(schema, pacer)


def use_club_campaign_pool(schema, ids: list[str]) -> None:
    """Fuzzing draws the path's `id` from the probes' own campaigns as well as generated strings."""

    @schema.hook("flatmap_path_parameters")
    def draw_existing_campaign(ctx, path_parameters):
        if not ids or not isinstance((path_parameters or {}).get("id"), str) or not path_parameters["id"]:
            return st.just(path_parameters)
        return st.one_of(st.just(path_parameters),
                         st.sampled_from(ids).map(lambda cid: {**path_parameters, "id": cid}))


def _club_reference(profile, tenant: str, kind: str) -> str | None:
    kind, _, channel = kind.partition(":")
    found = [f["id"] for f in profile.fixtures.get(kind, []) if f.get("tenant", tenant) == tenant
             and (not channel or f.get("channel") == channel)]
    return found[0] if found else None


def club_tenant_case(case, profile) -> None:
    """Name the token's tenant and the profile's references wherever the case has a valid string for them
    (a valid value is swapped for another valid one, so a negative case stays negative)."""
    tenant = profile.tokens["full"].get("tenant")
    query = case.query if isinstance(case.query, dict) else None
    if query is not None and isinstance(query.get("tenantId"), str) and query["tenantId"]:
        query["tenantId"] = tenant
    body = case.body if isinstance(case.body, dict) else None
    if body is None:
        return
    if isinstance(body.get("tenantId"), str) and body["tenantId"]:
        body["tenantId"] = tenant
    for field, kind in CLUB_REFERENCES.items():
        if isinstance(body.get(field), str) and body[field]:
            body[field] = _club_reference(profile, tenant, kind) or body[field]


def club_probe_case(case, *, profile, allow_sends: bool) -> None:
    if not allow_sends and case.operation.definition.raw.get("operationId") in CLUB_SENDS:
        return
    club_tenant_case(case, profile)
    case.call_and_validate()


def run_club_stateful_probe(schema, *, profile, allow_sends: bool, max_examples: int, steps: int) -> None:
    """Walk the Club spec's links (createCampaign -> the item operations), with the tenant named; every
    request waits for the run's pacer when the schema is paced (pace)."""

    class LinksMachine(schema.as_state_machine()):
        def before_call(self, case) -> None:
            club_tenant_case(case, profile)

        def step(self, input, *args, **kwargs):  # noqa: A002 - schemathesis's name
            if not allow_sends and input.case.operation.definition.raw.get("operationId") in CLUB_SENDS:
                return None
            return super().step(input, *args, **kwargs)

    LinksMachine.run(settings=hypothesis.settings(
        max_examples=max_examples, stateful_step_count=steps, deadline=None, derandomize=True,
        suppress_health_check=list(hypothesis.HealthCheck), print_blob=True, database=None))
